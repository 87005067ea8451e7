"""The sample's evaluator scoresheet: the finance director scores on the plane, in Excel.

Issued by the real service in a fresh build database (evaluation 1, vendors numbered in
sample order), filled in with openpyxl as he would, with his scores from sample_rfp.json;
fixed dates and token so the committed file is reproduced byte for byte. The demo readdresses
it to a sheet it issues itself (services.demo) and imports it through the real import.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from questionnaires_build import FIXED, _evaluation, _fix_zip_dates

from vendor_eval.io.excel.scoresheet_template import META
from vendor_eval.services import declarations, evaluators, scoresheets
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import open_database

SHEET_EVALUATOR = "finance"


def scoresheet_files(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"evaluator": SHEET_EVALUATOR, "file": f"scoresheets/{SHEET_EVALUATOR}.xlsx", "import": True,
             "vendor_ids": {v["key"]: i for i, v in enumerate(data["vendors"], start=1)}}]


def build_scoresheets(data: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "sample.db")
        try:
            eid = _evaluation(db, data)
            people = {x["key"]: evaluators.add_evaluator(db, eid, x["name"], "sample", x["role"])
                      for x in data["evaluators"]}
            vendor_ids = {v.name: v.id for v in load_snapshot(db, eid).vendors}
            for entry in scoresheet_files(data):
                assert entry["vendor_ids"] == {v["key"]: vendor_ids[v["name"]] for v in data["vendors"]}
                declared = [d for d in data["declarations"] if d["evaluator"] == entry["evaluator"]]
                for d in declared:
                    declarations.declare(db, eid, people[d["evaluator"]], [], "sample", d["statement"])
                path = out / Path(entry["file"]).name
                scoresheets.issue_scoresheet(db, eid, people[entry["evaluator"]], path, "sample")
                _fill(path, data, entry["evaluator"], declared[-1]["statement"] if declared else "")
                written.append(path)
        finally:
            db.dispose()
    return written


def _fill(path: Path, data: dict[str, Any], who: str, statement: str) -> None:
    person = next(x for x in data["evaluators"] if x["key"] == who)
    names = {v["key"]: v["name"] for v in data["vendors"]}
    wb = load_workbook(path)
    ws = wb["Scores"]
    head = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Key")
    columns = {ws.cell(row=head - 2, column=c).value: c for c in range(1, ws.max_column + 1)
               if ws.cell(row=head, column=c).value == "Score"}
    rows = {ws.cell(row=r, column=1).value: r for r in range(head + 1, ws.max_row + 1)}
    for sc in data["scores"]:
        if sc["evaluator"] == who:
            col = columns[names[sc["vendor"]]]
            ws.cell(row=rows[sc["criterion"]], column=col).value = sc["value"]
            ws.cell(row=rows[sc["criterion"]], column=col + 1).value = sc["comment"]
    decl = wb["Declaration"]
    answers = {decl.cell(row=r, column=1).value: r for r in range(1, 10)}
    decl.cell(row=answers["Your name"], column=3).value = person["name"]
    decl.cell(row=answers["Date (YYYY-MM-DD)"], column=3).value = date(2026, 3, 14)
    decl.cell(row=answers["Statement (optional)"], column=3).value = statement
    decl.cell(row=answers["Submit my scores as final"], column=3).value = "yes"
    for r in range(1, decl.max_row + 1):
        if decl.cell(row=r, column=2).value in names.values():
            decl.cell(row=r, column=3).value = "no"
    meta = wb[META]
    for r in range(1, meta.max_row + 1):
        if meta.cell(row=r, column=1).value == "token":
            meta.cell(row=r, column=2).value = "issued-by-the-sample-build"  # the demo readdresses it
        if meta.cell(row=r, column=1).value == "issued_at":
            meta.cell(row=r, column=2).value = FIXED.isoformat(timespec="seconds")
    wb.properties.creator = wb.properties.lastModifiedBy = person["name"]
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(path)
    _fix_zip_dates(path)
