"""GUI entry point (placeholder window until the desktop issue lands: see vendor_eval/ui)."""

from __future__ import annotations

import sys


def main() -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    label = QLabel("vendor_eval")
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
