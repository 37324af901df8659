"""``python -m crmlab``: the ``crmlab`` command (same subcommands and exit codes)."""
import sys

from crmlab.cli import main

if __name__ == "__main__":
    sys.exit(main())
