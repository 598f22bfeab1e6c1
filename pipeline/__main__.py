"""``python -m pipeline``: see pipeline/cli.py."""

import gc
import os
import sys

# Off through start-up: importing spaCy and building the pipeline allocate several
# hundred thousand objects that live for the whole run, and the collector's full
# passes on the way found nothing to free. The run switches it back on once they
# are set aside (pipeline.runner._settle_gc).
gc.disable()

try:
    from pipeline.cli import main  # noqa: E402 - after the collector is off
except KeyboardInterrupt:  # Ctrl-C while starting: one line, no traceback
    print("interrupted by SIGINT while starting; nothing was done", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    try:
        status = main(process_ends=True)
    except KeyboardInterrupt:  # outside a run's own handling (argument parsing, explain, review commands)
        print("interrupted by SIGINT", file=sys.stderr)
        status = 130
    # Every output, the state file and the workers are closed by now: end without the
    # interpreter's teardown, which frees spaCy's and the rules' objects one by one
    # (about 50 ms) only for the process to exit. Not under a tracer or profiler
    # (coverage, pyinstrument), which write their reports at exit. An exception above
    # still exits the usual way, with its traceback.
    if sys.gettrace() is None and sys.getprofile() is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
