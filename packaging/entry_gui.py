"""PyInstaller entry point of the desktop app (vendor-eval)."""

import sys

from vendor_eval.app import main

sys.exit(main())
