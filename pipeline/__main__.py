"""``python -m pipeline``: see pipeline/cli.py."""

import os
import sys

from pipeline.cli import main

if __name__ == "__main__":
    status = main(process_ends=True)
    # Every output, the state file and the workers are closed by now: end without the
    # interpreter's teardown, which frees spaCy's and the rules' objects one by one
    # (about 50 ms) only for the process to exit. An exception above still exits
    # the usual way, with its traceback.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
