"""PyInstaller entry point of the command-line tool (vendor-eval-cli)."""

import sys

from vendor_eval.cli import main

sys.exit(main())
