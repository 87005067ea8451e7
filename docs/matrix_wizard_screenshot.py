"""Screenshot of the 'Bring your spreadsheet' wizard's preview, for the README.

    python docs/matrix_wizard_screenshot.py [--out docs/screenshots/matrix-wizard.png]

Builds a buyer's matrix (title block, weighted group headings, word scores, a total row,
fictional vendors), opens the wizard on it offscreen and grabs the dialog.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROWS = [
    ["Criterion", "Weight %", "Northwind Imaging", "Bluepeak Radiology", "Caldera Teleread", "Comments"],
    ["Service levels (40%)"],
    ["STAT turnaround <= 1 h", 50, "Good", "Fair", "Good", "95th percentile stated"],
    ["Routine turnaround <= 24 h", 30, "Good", "Good", "Fair", ""],
    ["Discrepancy rate (RADPEER)", 20, "Fair", "Good", "Poor", "Caldera: no RADPEER data"],
    ["Security and interoperability (35%)"],
    ["SOC 2 Type II report", 40, "Good", "Good", "Fair", ""],
    ["IHE XDS-I.b / SWF.b tested", 60, "Fair", "Good", "Good", "Connectathon 2025"],
    ["Commercial (25%)"],
    ["Price per study", 100, "Fair", "Poor", "Good", "lowest: Caldera"],
    ["Total", None, "=SUM(C6:C14)", "=SUM(D6:D14)", "=SUM(E6:E14)"],
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "screenshots" / "matrix-wizard.png")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import openpyxl
    from PySide6.QtWidgets import QApplication

    from vendor_eval.storage import open_database
    from vendor_eval.ui import tasks
    from vendor_eval.ui.matrix_wizard import MatrixWizard

    app = QApplication([sys.argv[0]])
    tasks.set_inline(True)
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_matrix_"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Evaluation"
    ws.append(["Teleradiology services RFP 2026 - evaluation matrix"])
    ws.merge_cells("A1:F1")
    ws.append(["Prepared by", "Procurement office"])
    ws.append([])
    for row in ROWS:
        ws.append(row)
    path = tmp / "Teleradiology RFP 2026.xlsx"
    wb.save(path)
    db = open_database(tmp / "shots.db", daily_backup=False)
    wizard = MatrixWizard(None, db, "officer", path)
    wizard.resize(1400, 800)
    wizard.show()
    app.processEvents()
    wizard.detect()  # again, now that the views have their sizes
    app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(args.out))
    print(f"Wrote {args.out}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
