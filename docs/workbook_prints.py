"""Print the demo evaluation's committee workbook as a committee member would (LibreOffice
headless to PDF) and render its Summary, Consensus, first evaluator and first Audit pages
(the Audit sheet prints every comment) to PNG.

    python docs/workbook_prints.py [--out docs]

Needs soffice (libreoffice-calc-nogui) and pdftoppm, pdftotext (poppler-utils). Prints the page
count per sheet and any page where a row's text runs into the next row (a row height set too
low for its wrapped text: the estimate in xlsx_sheets is tuned against this check).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = {"workbook-summary": "Summary", "workbook-consensus": "Consensus", "workbook-evaluator": "E01 ",
         "workbook-audit": "Audit"}


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
    sheets = [t.split(" ", 1)[0] for t in texts]
    counts = {s: sheets.count(s) for s in dict.fromkeys(sheets)}
    print(f"{pdf}: {len(texts)} pages; per sheet (first word of the header): {counts}")
    print(f"pages where words overprint: {overprinted(pdf) or 'none'}")
    for name, sheet in PAGES.items():
        number = next(i for i, t in enumerate(texts, start=1) if t.startswith(sheet))
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(args.out / name)], check=True)
        print(f"page {number} ({sheet.strip()}) -> {args.out / name}.png")
    return 0


def overprinted(pdf: Path) -> dict[int, int]:
    """Page -> words whose box covers a third of another's height at the same place (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found: dict[int, int] = {}
    box = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"'
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        words = [tuple(map(float, m)) for m in re.findall(box, page)]
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                high = min(a[3] - a[1], b[3] - b[1])
                if a[0] < b[2] - 1 and b[0] < a[2] - 1 and min(a[3], b[3]) - max(a[1], b[1]) > 0.3 * high:
                    found[number] = found.get(number, 0) + 1
                    break
    return found


if __name__ == "__main__":
    sys.exit(main())
