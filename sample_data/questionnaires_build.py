"""The vendors' completed questionnaires, made with the project's own generator.

For each vendor: generate its questionnaire (services.questionnaires.generate_questionnaire)
from an evaluation laid out exactly as load_demo lays it out, then fill the yellow cells the
way that vendor's staff would (capitalised choices, decimal commas, '%' signs, evidence
notes), as plain openpyxl edits to answer cells. One vendor's first submission carries
deliberate errors (text where minutes and hours are expected) so the import's error report
can be seen; its corrected resubmission is the file the demo imports.
Fixed dates in the workbook properties and in the zip entries keep the files byte-stable.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from vendor_eval.io.excel.questionnaire_template import (
    COSTS,
    HEADER_ROW,
    META,
    MULTI_SEPARATOR,
    QUESTIONS,
)
from vendor_eval.services import evaluations, questionnaires, vendors
from vendor_eval.services.demo import prepare_evaluation
from vendor_eval.storage import open_database

FIXED = datetime(2026, 3, 12, 9, 0, 0)  # the week the answers came back
COST_LABELS = {"professional_services": "Professional services", "software": "Software", "hardware": "Hardware",
               "datacentre": "Data centre"}
# How each vendor's staff type their answers: all valid for the importer.
HABITS: dict[str, dict[str, Any]] = {
    "costaverde": {"case": str.capitalize, "decimal_comma": True},
    "vindhya": {"case": str.upper, "separator": ";"},
    "lumenhaven": {"percent_sign": True},
    "prairiegate": {"case": str.capitalize},
}


def questionnaire_files(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The files the sample ships: one per vendor, plus the first, faulty submission of one."""
    files = [{"vendor": v["key"], "file": f"questionnaires/{v['key']}.xlsx", "import": True} for v in data["vendors"]]
    files += [{"vendor": v["key"], "file": f"questionnaires/{v['key']}_first_submission_with_errors.xlsx",
               "import": False, "errors": v["questionnaire_errors"]}
              for v in data["vendors"] if v["questionnaire_errors"]]
    return files


def build_questionnaires(data: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "sample.db")
        try:
            eid = _evaluation(db, data)
            by_key = {v["key"]: v for v in data["vendors"]}
            for entry in questionnaire_files(data):
                v = by_key[entry["vendor"]]
                path = out / Path(entry["file"]).name
                questionnaires.generate_questionnaire(db, eid, path, vendor=v["name"])
                _fill(path, v, entry.get("errors", {}))
                written.append(path)
        finally:
            db.dispose()
    return written


def _evaluation(db: Any, data: dict[str, Any]) -> int:
    """The evaluation as load_demo creates it (id 1 in a fresh database), with its vendors."""
    e = data["evaluation"]
    eid = evaluations.create_from_template(db, e["template"], e["name"], "sample", e["organisation"],
                                          e["description"])
    prepare_evaluation(db, eid, e, "sample")
    for v in data["vendors"]:
        vendors.add_vendor(db, eid, v["name"], "sample", **v["profile"])
    return eid


def _typed(value: Any, habits: dict[str, Any]) -> Any:
    """A value as this vendor's staff would type it."""
    if isinstance(value, list):
        return (habits.get("separator", MULTI_SEPARATOR + " ")).join(value)
    if isinstance(value, float) and habits.get("decimal_comma") and not value.is_integer():
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str) and value in ("yes", "no", "partial") and "case" in habits:
        return habits["case"](value)
    return value


def _fill(path: Path, v: dict[str, Any], errors: dict[str, str]) -> None:
    habits = HABITS.get(v["key"], {})
    wb = load_workbook(path)
    ws = wb[QUESTIONS]
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        key = ws.cell(row=row, column=1).value
        if key not in v["answers"]:
            continue
        value = errors.get(key, v["answers"][key])
        if key == "deployment.platform_availability" and habits.get("percent_sign"):
            value = f"{value:g} %"
        ws.cell(row=row, column=7).value = _typed(value, habits)
        if key in v["evidence"]:
            annex = "ABCDEFGH"[list(v["evidence"]).index(key)]
            ws.cell(row=row, column=8).value = v["evidence"][key]
            ws.cell(row=row, column=9).value = f"Annex {annex}, {v['name']} RFP response"
    costs = wb[COSTS]
    for i, line in enumerate(v["cost_lines"]):
        row = HEADER_ROW + 1 + i
        cells = [COST_LABELS[line["category"]], line["description"], line["annual_amount"], line["currency"],
                 line["origin_country"], "yes" if line["pass_through"] else "no",
                 "yes" if line["imaging_equipment"] else "no"]
        for col, value in enumerate(cells, start=1):
            costs.cell(row=row, column=col).value = value
    meta = wb[META]
    for row in range(1, meta.max_row + 1):
        if meta.cell(row=row, column=1).value == "generated_at":
            meta.cell(row=row, column=2).value = FIXED.isoformat(timespec="seconds") + "+00:00"
    wb.properties.creator = v["name"]
    wb.properties.lastModifiedBy = v["profile"]["contact"].split(",")[0]
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(path)
    _fix_zip_dates(path)


def _fix_zip_dates(path: Path) -> None:
    """openpyxl stamps each zip entry and the 'modified' property with the current time
    (whatever the workbook says); rewrite both with FIXED."""
    stamp = FIXED.isoformat(timespec="seconds") + "Z"
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    entries = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), payload)
                if name == "docProps/core.xml" else payload) for name, payload in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, payload)
