"""Benchmark: PDF and Excel committee reports of the large evaluation (60 vendors x 200
criteria x 15 evaluators). Target: <= 4 s each, end to end (read, rank, analyse, write).
Excel: <= 2 s end to end, beside its floor (excel_floor) as a ratio.

    python bench/bench_reports.py            # prints one line per step
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.large_evaluation import build_large_evaluation
from vendor_eval.io.report.contents import build_report_data
from vendor_eval.io.report.pdf import write_pdf
from vendor_eval.io.report.xlsx import write_xlsx
from vendor_eval.services.reports import export_report, report_inputs
from vendor_eval.storage import open_database

TARGET_S = 4.0  # wall time; on a busy shared machine compare the cpu column too
EXCEL_TARGET_S = 2.0


# --- Excel -----------------------------------------------------------------------------------
def excel_floor(ours: Path, out: Path) -> tuple[float, float]:
    """The bare library's cost for our workbook: openpyxl write-only writing the same cells
    (every value, text and formula of every sheet, read back from `ours` untimed), with no
    styles, widths, print setup, charts or notes. Returns (wall, cpu) seconds."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(ours, read_only=True)
    sheets = [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in source.worksheets]
    source.close()
    start, cpu = time.perf_counter(), time.process_time()
    wb = Workbook(write_only=True)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(out)
    return time.perf_counter() - start, time.process_time() - cpu


def excel_report(db, name: str, tmp: Path) -> bool:  # type: ignore[no-untyped-def]
    """The Excel report end to end, then its floor; prints both and the ratios."""
    xlsx = tmp / "large.xlsx"
    start, cpu = time.perf_counter(), time.process_time()
    export_report(db, name, "xlsx", xlsx)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    floor_wall, floor_cpu = excel_floor(xlsx, tmp / "floor.xlsx")
    print(f"{'export_report xlsx (end to end)':<34} {wall:6.2f} s wall {used:6.2f} s cpu")
    print(f"{'  floor: openpyxl write-only cells':<34} {floor_wall:6.2f} s wall {floor_cpu:6.2f} s cpu")
    print(f"Excel: {xlsx.stat().st_size / 1e6:.1f} MB; end to end / floor = {wall / floor_wall:.2f} wall, "
          f"{used / floor_cpu:.2f} cpu; target <= {EXCEL_TARGET_S:g} s: {'met' if wall <= EXCEL_TARGET_S else 'MISSED'}")
    return wall <= EXCEL_TARGET_S


def timed(label: str, func, *args):  # type: ignore[no-untyped-def]
    """Wall time, and this process's CPU time (what the step costs on a machine nobody else is using)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    took, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<34} {took:6.2f} s wall {used:6.2f} s cpu")
    return result, took


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "large.db"
        name, _ = timed("build large evaluation (setup)", build_large_evaluation, db_path)
        db = open_database(db_path)
        try:
            inputs, _ = timed("  read + rank + analyses", report_inputs, db, name)
            data, _ = timed("  report data (pure)", build_report_data, inputs)
            timed("  PDF layout + render", write_pdf, data, Path(tmp) / "parts.pdf")
            timed("  Excel workbook", write_xlsx, data, Path(tmp) / "parts.xlsx")
            excel_ok = excel_report(db, name, Path(tmp))
            pdf = Path(tmp) / "large.pdf"
            _, t_pdf = timed("export_report pdf (end to end)", export_report, db, name, "pdf", pdf)
        finally:
            db.dispose()
        from pypdf import PdfReader

        pages = len(PdfReader(pdf).pages)
        print(f"PDF: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
        ok = t_pdf <= TARGET_S and excel_ok
        print(f"target <= {TARGET_S:g} s each: {'met' if ok else 'MISSED'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
