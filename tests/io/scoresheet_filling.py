"""Filling in a scoresheet as an evaluator would, with openpyxl: found by what the sheet shows
(criterion keys in column A, vendor names above each block), never by our own layout constants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from vendor_eval.services import evaluations, evaluators, vendors
from vendor_eval.storage import Database

IMAGING = "Medical imaging outsourcing and teleradiology"
VENDORS = ("Northwind Reads", "Bluefin Imaging", "Kestrel Radiology")
COMMITTEE = (("Dr Ada Osei", "all"), ("Tom Lind", "technical"), ("Mia Ferraz", "commercial"))


def build_committee(db: Database) -> int:
    """The v2 imaging evaluation with three fictional vendors and three evaluators, two envelopes."""
    eid = evaluations.create_from_template(db, IMAGING, "Scoresheet RFP", "officer", "North Valley Health")
    for name in VENDORS:
        vendors.add_vendor(db, eid, name, "officer")
    for name, envelope in COMMITTEE:
        evaluators.add_evaluator(db, eid, name, "officer", envelope=envelope)
    evaluations.update_settings(db, eid, "officer", two_envelope=True)
    return eid


def header_row(ws: Any) -> int:
    return next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Key")


def score_column(ws: Any, vendor: str) -> int:
    """The Score column under the vendor's name (the name sits above its block)."""
    head = header_row(ws)
    for col in range(1, ws.max_column + 1):
        if ws.cell(row=head - 2, column=col).value == vendor:
            assert ws.cell(row=head, column=col).value == "Score"
            return col
    raise KeyError(vendor)


def vendor_names(ws: Any) -> list[str]:
    head = header_row(ws)
    return [ws.cell(row=head - 2, column=c).value for c in range(1, ws.max_column + 1)
            if ws.cell(row=head, column=c).value == "Score"]


def criterion_rows(ws: Any) -> dict[str, int]:
    head = header_row(ws)
    return {ws.cell(row=r, column=1).value: r for r in range(head + 1, ws.max_row + 1)
            if ws.cell(row=r, column=1).value}


def declare(wb: Any, name: str, conflicts: tuple[str, ...] = (), submit: str | None = "no",
            signed: Any = date(2026, 11, 28), skip: tuple[str, ...] = ()) -> None:
    ws = wb["Declaration"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, 12)}
    ws.cell(row=labels["Your name"], column=3).value = name
    ws.cell(row=labels["Date (YYYY-MM-DD)"], column=3).value = signed
    ws.cell(row=labels["Submit my scores as final"], column=3).value = submit
    for r in range(1, ws.max_row + 1):
        vendor = ws.cell(row=r, column=2).value
        if vendor in VENDORS and vendor not in skip:
            ws.cell(row=r, column=3).value = "yes" if vendor in conflicts else "no"


def fill(source: Path, target: Path, scores: dict[tuple[str, str], Any], comments: dict[tuple[str, str], str],
         name: str, swap: tuple[str, str] | None = None, edit: Callable[[Any], None] | None = None,
         **declaration: Any) -> Path:
    """Scores and comments by (criterion key, vendor name); swap exchanges two criterion rows
    whole (as sorting would), edit may change anything else."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Scores"]
    rows = criterion_rows(ws)
    for (key, vendor), value in scores.items():
        ws.cell(row=rows[key], column=score_column(ws, vendor)).value = value
    for (key, vendor), text in comments.items():
        ws.cell(row=rows[key], column=score_column(ws, vendor) + 1).value = text
    if swap is not None:
        a, b = rows[swap[0]], rows[swap[1]]
        for col in range(1, ws.max_column + 1):
            first, second = ws.cell(row=a, column=col), ws.cell(row=b, column=col)
            first.value, second.value = second.value, first.value
    declare(wb, name, **declaration)
    if edit is not None:
        edit(wb)
    wb.save(target)
    return target
