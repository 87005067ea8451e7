"""The audit trail in words: the stored events as the services write them (JSON values,
entity keys) become lines a committee member reads."""

from __future__ import annotations

import json

from report_fixtures import make_snapshot

from vendor_eval.domain import AuditRow
from vendor_eval.io.report.audit_text import audit_lines

WHERE = {"criterion": "sla.stat", "evaluator": "Dr. Miriam Okafor", "vendor": "Northwind Teleradiology"}


def event(seq: int, at: str, entity: str, entity_id: int | None, field: str, old: object, new: object,
          reason: str = "") -> AuditRow:
    def stored(value: object) -> str:
        return "" if value is None else json.dumps(value)

    return AuditRow(seq, at, "officer", entity, entity_id, field, stored(old), stored(new), reason)


def test_a_score_and_its_comment_read_as_one_line_in_words() -> None:
    rows = [event(10, "2026-03-20T09:30:00.101", "score", 7, "value", None, {**WHERE, "value": 4.0}),
            event(11, "2026-03-20T09:30:00.102", "score", 7, "comment", None, "Phoned within 60 minutes.")]
    [line] = audit_lines(rows, make_snapshot())
    assert (line.seq, line.events, line.when, line.who) == (10, 2, "2026-03-20 09:30:00", "officer")
    assert (line.what, line.vendor, line.criterion) == ("Score by Dr. Miriam Okafor", "Northwind Teleradiology",
                                                        "STAT turnaround")  # the criterion's name, not its key
    assert (line.change, line.before, line.after) == ("Value, comment", "",
                                                        "4; comment: Phoned within 60 minutes.")


def test_a_later_comment_is_named_after_its_score_and_keeps_old_and_new() -> None:
    rows = [event(10, "2026-03-20T09:30:00", "score", 7, "value", None, {**WHERE, "value": 4.0}),
            event(11, "2026-03-20T09:30:00", "score", 8, "value", None, {**WHERE, "vendor": "Harbor", "value": 2.0}),
            event(30, "2026-03-22T14:00:00", "score", 7, "comment", "Phoned.", "Phoned within 60 minutes."),
            event(31, "2026-03-22T14:01:00", "score", 7, "value", {**WHERE, "value": 4.0}, {**WHERE, "value": 3.5},
                  "after the reference call")]
    lines = audit_lines(rows, make_snapshot())
    assert [x.seq for x in lines] == [10, 11, 30, 31]  # different scores, different times: nothing merged
    comment = lines[2]
    assert (comment.what, comment.vendor, comment.criterion, comment.change) == (
        "Score by Dr. Miriam Okafor", "Northwind Teleradiology", "STAT turnaround", "Comment")
    assert (comment.before, comment.after) == ("Phoned.", "Phoned within 60 minutes.")
    change = lines[3]
    assert (change.change, change.before, change.after, change.reason) == ("Value", "4", "3.5",
                                                                           "after the reference call")


def test_settings_and_created_records_read_without_keys_or_json() -> None:
    rows = [event(1, "2026-03-20T09:00:00", "evaluation", 1, "questionnaire_deadline", "", "2026-03-13"),
            event(2, "2026-03-20T09:00:01", "vendor", 99, "created", None,
                  {"name": "Acme Reads", "hq_country": "Germany", "modalities": ["CT", "MRI"], "notes": None}),
            event(3, "2026-03-20T09:00:02", "vendor", 99, "notes", None, "Reference call booked"),
            event(4, "2026-03-20T09:00:03", "vendor", 10, "name", "Northwind", "Northwind Teleradiology"),
            event(5, "2026-03-20T09:00:04", "tariff_scenario", 3, "imaging_exemption", False, True)]
    deadline, created, notes, renamed, exemption = audit_lines(rows, make_snapshot())
    assert (deadline.what, deadline.change, deadline.before, deadline.after) == (
        "Evaluation", "Questionnaire deadline", "", "2026-03-13")
    assert created.what == "Vendor Acme Reads" and created.change == "Created"
    assert created.after == "Name: Acme Reads; Hq country: Germany; Modalities: CT, MRI; Notes: (none)"
    assert notes.what == "Vendor Acme Reads"  # named from its creation record
    assert renamed.what == "Vendor Northwind Teleradiology"  # named from the evaluation's vendors
    assert (exemption.what, exemption.change, exemption.before, exemption.after) == (
        "Tariff scenario EU 15 % without exemption", "Imaging exemption", "no", "yes")


def test_cost_lines_name_their_vendor_and_amounts_read_as_numbers() -> None:
    lines = [{"annual_amount": 1164000.0, "category": "hardware", "origin_country": "India", "pass_through": False}]
    [replaced] = audit_lines([event(7, "2026-03-20T09:00:00", "cost_lines", 10, "replaced", None, lines,
                                    "northwind.xlsx")], make_snapshot())
    assert (replaced.what, replaced.vendor, replaced.change, replaced.reason) == (
        "Cost lines", "Northwind Teleradiology", "Replaced", "northwind.xlsx")
    assert replaced.after == "Annual amount: 1,164,000; Category: hardware; Origin country: India; Pass through: no"


def test_a_merged_edit_names_the_value_and_the_comment_on_both_sides() -> None:
    """'4' alone could be a score or a comment: each side of a merged line says which is which."""
    rows = [event(40, "2026-03-23T10:00:00.1", "score", 7, "value", {**WHERE, "value": 4.0}, {**WHERE, "value": 2.0}),
            event(41, "2026-03-23T10:00:00.2", "score", 7, "comment", "4", "")]
    [line] = audit_lines(rows, make_snapshot())
    assert (line.seq, line.events, line.change) == (40, 2, "Value, comment")
    assert (line.before, line.after) == ("4; comment: 4", "2; no comment")
