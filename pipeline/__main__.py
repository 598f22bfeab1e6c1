"""``python -m pipeline``: see pipeline/cli.py."""

import sys

from pipeline.cli import main

if __name__ == "__main__":
    sys.exit(main(process_ends=True))
