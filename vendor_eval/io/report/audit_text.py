"""The audit trail in words: 'Score by Dr. Okafor', 'Bluestem Reading Group', 'STAT turnaround',
'3 -> 4', instead of entity keys and stored JSON. Plain text out; each writer escapes it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vendor_eval.domain import AuditRow, Snapshot

ENTITY_WORDS = {
    "score": "Score", "consensus": "Consensus score", "vendor": "Vendor", "evaluator": "Evaluator",
    "evaluation": "Evaluation", "criterion": "Criterion", "group": "Criteria group",
    "tariff_scenario": "Tariff scenario", "cost_line": "Cost line", "cost_lines": "Cost lines",
    "questionnaire_import": "Questionnaire import", "declaration": "Conflict declaration",
}
FIELD_WORDS = {"value": "Value", "submitted_at": "Submitted", "conflict_vendors": "Declared",
               "imported_matrix": "Imported a scoring matrix", "frozen_result": "Frozen result"}
# Keys of a stored dict that the Vendor / Criterion columns (or the subject) already show.
CONTEXT_KEYS = ("evaluator", "vendor", "criterion")
VENDOR_IDS = frozenset({"cost_lines"})  # entities recorded under their vendor's id


@dataclass(frozen=True)
class AuditLine:
    seq: int  # the first event's number; `events` consecutive events make this line
    events: int
    when: str  # "2026-03-20 09:30:00", UTC
    who: str
    what: str  # "Score by Dr. Miriam Okafor", "Vendor Bluestem Reading Group"
    vendor: str
    criterion: str
    change: str  # the field in words
    before: str
    after: str
    reason: str


def audit_lines(rows: Sequence[AuditRow], snap: Snapshot) -> list[AuditLine]:
    """The audit events in words, oldest first as given. A score's comment event is named after
    the score (its value event carries evaluator, vendor and criterion); a value and the comment
    saved with it (events n and n + 1, same score, same person, same second) share one line."""
    lines = _event_lines(rows, snap)
    out: list[AuditLine] = []
    for row, line in zip(rows, lines, strict=True):
        prev = out[-1] if out else None
        if (prev is not None and row.entity == "score" and row.field == "comment" and prev.events == 1
                and prev.change == FIELD_WORDS["value"] and prev.seq + 1 == line.seq
                and (prev.what, prev.vendor, prev.criterion, prev.who, prev.when)
                == (line.what, line.vendor, line.criterion, line.who, line.when)):
            out[-1] = AuditLine(prev.seq, 2, prev.when, prev.who, prev.what, prev.vendor, prev.criterion,
                                "Value, comment", _pair(prev.before, line.before), _pair(prev.after, line.after),
                                prev.reason or line.reason)
        else:
            out.append(line)
    return out


def _pair(value: str, comment: str) -> str:
    """A value and its comment in one cell, each named, so neither can be read as the other:
    '4; comment: Phoned.', '4; no comment', '' when neither existed (a first entry's before)."""
    if not value and not comment:
        return ""
    return f"{value or 'no value'}; " + (f"comment: {comment}" if comment else "no comment")


def _event_lines(rows: Sequence[AuditRow], snap: Snapshot) -> list[AuditLine]:
    criterion_names = {c.key: c.name for c in snap.criteria}
    names: dict[tuple[str, int], str] = {}
    for kind, items in (("vendor", snap.vendors), ("evaluator", snap.evaluators), ("criterion", snap.criteria),
                        ("group", snap.groups), ("tariff_scenario", snap.tariff_scenarios)):
        for item in items:
            names[(kind, item.id)] = item.name
    context: dict[tuple[str, int], dict[str, Any]] = {}
    out = []
    for a in rows:
        old, new = _load(a.old_value), _load(a.new_value)
        key = (a.entity, a.entity_id if a.entity_id is not None else -1)
        where = {k: v for d in (old, new) if isinstance(d, dict) for k, v in d.items() if k in CONTEXT_KEYS}
        if where:
            context[key] = where
        where = where or context.get(key, {})
        if isinstance(new, dict) and isinstance(new.get("name"), str):
            names.setdefault(key, new["name"])
        label = ENTITY_WORDS.get(a.entity, _words(a.entity))
        if where.get("evaluator"):
            what = f"{label} by {where['evaluator']}"
        elif key in names and a.entity not in ("score", "consensus"):
            what = f"{label} {names[key]}"
        else:
            what = label
        vendor = str(where.get("vendor", ""))
        if not vendor and a.entity in VENDOR_IDS and a.entity_id is not None:
            vendor = names.get(("vendor", a.entity_id), "")
        criterion = str(where.get("criterion", ""))
        criterion = criterion_names.get(criterion, criterion)
        out.append(AuditLine(a.seq, 1, a.at[:19].replace("T", " "), a.actor, what, vendor, criterion,
                             FIELD_WORDS.get(a.field, _words(a.field)), _text(old), _text(new), a.reason or ""))
    return out


def _load(stored: str) -> Any:
    if not stored:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def _words(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _text(value: Any) -> str:
    """A stored value as a person reads it; the context keys are left to their own columns."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.4f}".rstrip("0").rstrip(".")  # 1164000.0 -> 1,164,000; 3.125 -> 3.125
    if isinstance(value, dict):
        rest = {k: v for k, v in value.items() if k not in CONTEXT_KEYS}
        if set(rest) == {"value"}:
            return _text(rest["value"])
        return "; ".join(f"{_words(k)}: {_text(v) or '(none)'}" for k, v in rest.items())
    if isinstance(value, list):
        if value and all(isinstance(x, dict) for x in value):
            return " | ".join(_text(x) for x in value)
        return ", ".join(_text(x) for x in value)
    return str(value)
