"""`python -m vendor_eval` opens the app, as the vendor-eval command does."""

import sys

from vendor_eval.app import main

if __name__ == "__main__":
    sys.exit(main())
