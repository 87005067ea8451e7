"""Print the demo evaluation's committee workbook as a committee member would (LibreOffice
headless to PDF) and render its Summary, Consensus and first evaluator pages to PNG.

    python docs/workbook_prints.py [--out docs]

Needs soffice (libreoffice-calc-nogui) and pdftoppm (poppler-utils). Prints the page count.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = {"workbook-summary": "Summary", "workbook-consensus": "Consensus", "workbook-evaluator": "E01 "}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_prints_"))
    os.environ["VENDOR_EVAL_DATA_DIR"] = str(tmp)

    from pypdf import PdfReader

    from vendor_eval.services.demo import load_demo
    from vendor_eval.services.reports import export_report
    from vendor_eval.storage import open_database

    db = open_database(tmp / "demo.db")
    try:
        xlsx = export_report(db, load_demo(db, "demo"), "xlsx", tmp / "committee.xlsx")
    finally:
        db.dispose()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(xlsx)], check=True, capture_output=True, timeout=300)
    pdf = tmp / "committee.pdf"
    texts = [(p.extract_text() or "").lstrip() for p in PdfReader(pdf).pages]
    print(f"{pdf}: {len(texts)} pages")
    for name, sheet in PAGES.items():
        number = next(i for i, t in enumerate(texts, start=1) if t.startswith(sheet))
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(args.out / name)], check=True)
        print(f"page {number} ({sheet.strip()}) -> {args.out / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
