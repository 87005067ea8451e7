import sys

from vendor_eval.cli import main

sys.exit(main())
