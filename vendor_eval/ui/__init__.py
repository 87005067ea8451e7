"""The desktop application: windows, dialogs, Qt item models and the background-work helper.

The only package that imports PySide6. It reaches the data only through vendor_eval.services.
"""

from vendor_eval.ui import qt_workarounds as _qt_workarounds  # noqa: F401  (before any signal is emitted)
