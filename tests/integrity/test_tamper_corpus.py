"""The tamper corpus: direct edits to a copy of the sample database with sqlite3, as a losing
bidder's expert (or an insider) would make them, before and after finalise. verify must
catch every one; a deleted tail that leaves a consistent older state, and a chain recomputed
with vendor_eval's own code, are caught against a head kept outside the file (a report's
cover, a backup), as the README says.

Each case is named; the last test prints "caught N of M" for the report.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Seeds
from vendor_eval.services import integrity
from vendor_eval.services.demo import load_demo
from vendor_eval.storage import open_database
from vendor_eval.storage.audit import GENESIS, chain_events, chain_head, event_hash
from vendor_eval.storage.decision_state import seal_value
from vendor_eval.storage.models import AuditEvent

from .helpers import finalised_sample

EID = 1
Tamper = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    tamper: Tamper
    outside_head: bool = False  # caught only against a head kept outside the file


def sql(*statements: str) -> Tamper:
    def apply(path: Path) -> None:
        with closing(sqlite3.connect(path)) as conn:  # foreign keys off, as in the sqlite3 shell
            with conn:
                for statement in statements:
                    cursor = conn.execute(statement)
                    assert cursor.rowcount != 0 or not statement.lstrip().upper().startswith(("UPDATE", "DELETE")), \
                        f"the tamper changed nothing: {statement}"
    return apply


def _rechain(path: Path, reseal: bool) -> None:
    """Recompute every event's hash in order (and, with reseal, the newest seal's digest) with
    vendor_eval's own code: the chain is then self-consistent."""
    db = open_database(path, migrate=False, daily_backup=False)
    try:
        with db.read() as s:
            events = chain_events(s, EID)
            seal = json.dumps(seal_value(s, EID), sort_keys=True, ensure_ascii=False, default=str) if reseal else None
    finally:
        db.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:  # the rows as plain tuples: faster than ORM objects
        prev = GENESIS
        for n, e in enumerate(events, start=1):
            e = e._replace(seq=n, prev_hash=prev)
            if seal is not None and n == len(events):
                e = e._replace(new_value=seal)
            prev = event_hash(e)
            conn.execute("UPDATE audit_event SET seq = ?, prev_hash = ?, new_value = ?, hash = ? WHERE id = ?",
                         (e.seq, e.prev_hash, e.new_value, prev, e.id))


def rechained(*statements: str, reseal: bool = True) -> Tamper:
    def apply(path: Path) -> None:
        sql(*statements)(path)
        _rechain(path, reseal)
    return apply


def forged_append(path: Path) -> None:
    """A well-formed event appended after the seal, hash and link correct."""
    db = open_database(path, migrate=False, daily_backup=False)
    try:
        with db.write() as s:
            last = s.scalars(select(AuditEvent).where(AuditEvent.evaluation_id == EID)
                             .order_by(AuditEvent.seq.desc()).limit(1)).one()
            forged = AuditEvent(evaluation_id=EID, seq=last.seq + 1, at=last.at, actor="Dr. Miriam Okafor",
                                entity="evaluation", entity_id=EID, field="approval", old_value=None,
                                new_value='"approved Lumenhaven"', reason="", prev_hash=last.hash)
            forged.hash = event_hash(forged)
            s.add(forged)
    finally:
        db.dispose()


LAST_SEQ = "(SELECT max(seq) FROM audit_event WHERE evaluation_id = 1)"
VENDOR = "(SELECT id FROM vendor WHERE name = '{}')"
BLUESTEM, THRIFT, LUMEN = (VENDOR.format(n) for n in
                           ("Bluestem Reading Group", "ThriftRead Imaging", "Lumenhaven Imaging Cloud"))
FIRST_SCORE = "(SELECT min(id) FROM score)"

DATA_CASES = [
    Case("group weight raised", sql("UPDATE criterion_group SET weight = weight + 40 WHERE name = 'AI validation'")),
    Case("criterion weight changed", sql("UPDATE criterion SET weight = weight * 3 + 1 WHERE id = (SELECT min(id) FROM criterion)")),
    Case("knock-out pass mark lowered", sql("UPDATE criterion SET knockout_min = 0 WHERE knockout = 1")),
    Case("knock-out switched off", sql("UPDATE criterion SET knockout = 0 WHERE key = 'security.baa_dpa'")),
    Case("criterion scale changed", sql("UPDATE criterion SET scale_max = 10 WHERE id = (SELECT min(id) FROM criterion)")),
    Case("criterion direction flipped", sql("UPDATE criterion SET direction = 'min' WHERE id = (SELECT min(id) FROM criterion)")),
    Case("criterion added", sql("INSERT INTO criterion (evaluation_id, group_id, key, name, question, guidance, weight, "
                                "scale_min, scale_max, descriptors, direction, knockout, is_cost, answer_type, "
                                "answer_unit, choices, position) SELECT 1, min(id), 'x.extra', 'Extra', '', '', 50, "
                                "0, 5, '{}', 'max', 0, 0, 'text', '', '[]', 99 FROM criterion_group")),
    Case("criterion deleted", sql("DELETE FROM criterion WHERE id = (SELECT max(id) FROM criterion)")),
    Case("aggregation changed", sql("UPDATE evaluation SET aggregation = 'median'")),
    Case("missing-score policy changed", sql("UPDATE evaluation SET missing_policy = 'renormalise'")),
    Case("discussion threshold changed", sql("UPDATE evaluation SET discuss_threshold = 0.9")),
    Case("blind mode switched off", sql("UPDATE evaluation SET blind_mode = NOT blind_mode")),
    Case("evaluation renamed", sql("UPDATE evaluation SET name = name || ' (final)'")),
    Case("vendor renamed", sql(f"UPDATE vendor SET name = 'Bluestem Reading Grp' WHERE id = {BLUESTEM}")),
    Case("vendor deleted", sql(f"DELETE FROM vendor WHERE id = {THRIFT}")),
    Case("vendor deleted with its rows", sql(f"DELETE FROM score WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM answer WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM cost_line WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM consensus_score WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM suggested_score WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM questionnaire_import WHERE vendor_id = {THRIFT}",
                                             f"DELETE FROM vendor WHERE id = {THRIFT}")),
    Case("vendor certifications edited", sql(f"UPDATE vendor SET certifications = '[\"ISO 27001\"]' WHERE id = {THRIFT}")),
    Case("score value changed", sql(f"UPDATE score SET value = 0 WHERE id = {FIRST_SCORE}")),
    Case("score deleted", sql(f"DELETE FROM score WHERE id = {FIRST_SCORE}")),
    Case("scores of two vendors swapped", sql(
        f"UPDATE score SET vendor_id = -1 WHERE vendor_id = {BLUESTEM}",
        f"UPDATE score SET vendor_id = {BLUESTEM} WHERE vendor_id = {LUMEN}",
        f"UPDATE score SET vendor_id = {LUMEN} WHERE vendor_id = -1")),
    Case("score moved to another vendor", sql(
        f"DELETE FROM score WHERE vendor_id = {LUMEN} AND evaluator_id = (SELECT min(id) FROM evaluator) "
        "AND criterion_id = (SELECT min(id) FROM criterion)",
        f"UPDATE score SET vendor_id = {LUMEN} WHERE vendor_id = {BLUESTEM} AND evaluator_id = "
        "(SELECT min(id) FROM evaluator) AND criterion_id = (SELECT min(id) FROM criterion)")),
    Case("score comment changed", sql(f"UPDATE score SET comment = 'weak answer' WHERE id = {FIRST_SCORE}")),
    Case("ghost evaluator with 51 scores", sql(
        "INSERT INTO evaluator (evaluation_id, name, role, envelope, position) VALUES (1, 'Dr. Ghost', '', 'all', 9)",
        f"INSERT INTO score (evaluator_id, vendor_id, criterion_id, value, comment, updated_at, version) "
        f"SELECT (SELECT max(id) FROM evaluator), {LUMEN}, id, scale_max, '', '2026-01-01 00:00:00', 1 FROM criterion")),
    Case("evaluator renamed", sql("UPDATE evaluator SET name = 'Dr. M. Okafor' WHERE name = 'Dr. Miriam Okafor'")),
    Case("evaluator deleted", sql("DELETE FROM evaluator WHERE name = 'Tomasz Lindqvist'")),
    Case("submitted_at changed", sql("UPDATE evaluator SET submitted_at = '2020-01-01 00:00:00.000000' "
                                     "WHERE id = (SELECT min(id) FROM evaluator)")),
    Case("evaluator envelope changed", sql("UPDATE evaluator SET envelope = 'technical' WHERE id = (SELECT min(id) FROM evaluator)")),
    Case("declaration deleted", sql("DELETE FROM conflict_declaration WHERE id = (SELECT max(id) FROM conflict_declaration)")),
    Case("declared conflict removed", sql("UPDATE conflict_declaration SET vendor_ids = '[]'")),
    Case("declaration statement edited", sql("UPDATE conflict_declaration SET statement = 'none' WHERE id = (SELECT min(id) FROM conflict_declaration)")),
    Case("questionnaire answer changed", sql("UPDATE answer SET value = '\"Yes\"' WHERE id = (SELECT min(id) FROM answer)")),
    Case("questionnaire answer deleted", sql("DELETE FROM answer WHERE id = (SELECT max(id) FROM answer)")),
    Case("answer evidence edited", sql("UPDATE answer SET evidence = 'see annex' WHERE id = (SELECT min(id) FROM answer)")),
    Case("suggested score changed", sql("UPDATE suggested_score SET value = -1 WHERE id = (SELECT min(id) FROM suggested_score)")),
    Case("questionnaire import hash changed", sql("UPDATE questionnaire_import SET sha256 = 'x' WHERE id = (SELECT min(id) FROM questionnaire_import)")),
    Case("cost line amount changed", sql("UPDATE cost_line SET annual_amount = annual_amount / 2 WHERE id = (SELECT min(id) FROM cost_line)")),
    Case("cost line deleted", sql("DELETE FROM cost_line WHERE id = (SELECT max(id) FROM cost_line)")),
    Case("cost line origin changed", sql("UPDATE cost_line SET origin_country = 'Germany' WHERE id = (SELECT min(id) FROM cost_line)")),
    Case("consensus value changed", sql("UPDATE consensus_score SET value = 5 WHERE id = (SELECT min(id) FROM consensus_score)")),
    Case("consensus reason changed", sql("UPDATE consensus_score SET reason = 'agreed' WHERE id = (SELECT min(id) FROM consensus_score)")),
    Case("consensus set_by changed", sql("UPDATE consensus_score SET set_by = 'chair' WHERE id = (SELECT min(id) FROM consensus_score)")),
    Case("consensus deleted", sql("DELETE FROM consensus_score WHERE id = (SELECT max(id) FROM consensus_score)")),
    Case("tariff scenario rate changed", sql("UPDATE tariff_scenario SET rates = '{\"China\": 0.99}' WHERE id = (SELECT min(id) FROM tariff_scenario)")),
]

EVENT_CASES = [
    Case("an old event's value edited", sql("UPDATE audit_event SET new_value = '{\"value\": 5}' WHERE seq = 100")),
    Case("an old event's actor edited", sql("UPDATE audit_event SET actor = 'Dr. Ghost' WHERE seq = 50")),
    Case("an event deleted in the middle", sql("DELETE FROM audit_event WHERE seq = 200")),
    Case("the last events deleted", sql(f"DELETE FROM audit_event WHERE seq > {LAST_SEQ} - 3")),
    Case("the last seal deleted", sql(f"DELETE FROM audit_event WHERE seq = {LAST_SEQ}")),
    Case("all events deleted", sql("DELETE FROM audit_event")),
    Case("events renumbered", sql("UPDATE audit_event SET seq = -seq WHERE seq > 10")),
    Case("an event edited and its hash recomputed", rechained(
        "UPDATE audit_event SET actor = 'Dr. Ghost' WHERE seq = 50", reseal=False), outside_head=True),
    Case("a score edited and the chain recomputed without a new seal", rechained(
        f"UPDATE score SET value = 0 WHERE id = {FIRST_SCORE}", reseal=False)),
    Case("a forged event appended", forged_append),
    Case("all events deleted and a fresh chain written", rechained(
        f"UPDATE score SET value = 0 WHERE id = {FIRST_SCORE}",
        "DELETE FROM audit_event WHERE seq > 1 AND seq < " + LAST_SEQ), outside_head=True),
    Case("a score edited, its event edited and the chain and seal recomputed", rechained(
        f"UPDATE score SET value = 0 WHERE id = {FIRST_SCORE}",
        f"UPDATE audit_event SET new_value = json_set(new_value, '$.value', 0) WHERE entity = 'score' AND field = 'value' "
        f"AND entity_id = {FIRST_SCORE}"), outside_head=True),
]

FINALISED_CASES = [
    Case("status reset to scoring", sql("UPDATE evaluation SET status = 'scoring'")),
    Case("status reset, finaliser cleared", sql("UPDATE evaluation SET status = 'scoring', finalised_by = NULL, "
                                                "finalised_at = NULL")),
    Case("finalised_by changed", sql("UPDATE evaluation SET finalised_by = 'Priya Raman'")),
    Case("finalised_at changed", sql("UPDATE evaluation SET finalised_at = '2020-01-01 00:00:00.000000'")),
    Case("frozen winner changed", sql("UPDATE evaluation SET frozen_result = "
                                      "json_set(frozen_result, '$.winner', 'Lumenhaven Imaging Cloud')")),
    Case("frozen ranking_sha256 changed", sql("UPDATE evaluation SET frozen_result = "
                                              "json_set(frozen_result, '$.ranking_sha256', 'x')")),
    Case("frozen finalised_by changed", sql("UPDATE evaluation SET frozen_result = "
                                            "json_set(frozen_result, '$.finalised_by', 'Priya Raman')")),
    Case("frozen ranking reordered", sql("UPDATE evaluation SET frozen_result = json_set(frozen_result, "
                                         "'$.ranking.vendors[0].name', 'Lumenhaven Imaging Cloud')")),
    Case("frozen result removed", sql("UPDATE evaluation SET frozen_result = NULL")),
    Case("frozen audit anchor removed", sql("UPDATE evaluation SET frozen_result = "
                                            "json_remove(frozen_result, '$.audit_anchor')")),
    Case("weights changed and the frozen ranking rewritten to match", sql(
        "UPDATE criterion_group SET weight = weight + 40 WHERE name = 'AI validation'",
        "UPDATE evaluation SET frozen_result = json_set(frozen_result, '$.winner', 'Lumenhaven Imaging Cloud')")),
]

NAMED_TABLES = {
    "group weight raised": "criterion_group", "knock-out pass mark lowered": "criterion",
    "aggregation changed": "evaluation", "vendor renamed": "vendor", "ghost evaluator with 51 scores": "evaluator",
    "submitted_at changed": "evaluator", "declaration deleted": "conflict_declaration",
    "questionnaire answer changed": "answer", "cost line amount changed": "cost_line",
    "consensus reason changed": "consensus_score", "tariff scenario rate changed": "tariff_scenario",
}

ALL = ([("before finalise", c) for c in DATA_CASES + EVENT_CASES]
       + [("after finalise", c) for c in DATA_CASES + EVENT_CASES + FINALISED_CASES])


def _copy(source: Path, target: Path) -> Path:
    """A byte copy: every connection to source is closed, so its WAL is in the file."""
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, _seeds: Seeds) -> dict[str, tuple[Path, str]]:
    """The sample RFP before and after finalise (the session's seeds), each with the chain head a
    report of it would print."""
    folder = tmp_path_factory.mktemp("tamper")
    before, after = folder / "sample.db", folder / "finalised.db"
    _seeds.copy(before, "demo", load_demo)
    db = open_database(before, daily_backup=False)
    with db.read() as s:
        head_before = chain_head(s, EID)  # as a report prints it (services.snapshot's audit_head)
    db.dispose()
    head_after = finalised_sample(_seeds, after)
    return {"before finalise": (before, head_before), "after finalise": (after, head_after)}


def _verify(path: Path, head: str | None) -> integrity.IntegrityReport:
    db = open_database(path, daily_backup=False)
    try:
        return integrity.verify(db, EID, known_head=head)
    finally:
        db.dispose()


@pytest.mark.parametrize("phase", ["before finalise", "after finalise"])
def test_the_untouched_sample_is_intact(samples: dict[str, tuple[Path, str]], phase: str, tmp_path: Path) -> None:
    path, head = samples[phase]
    report = _verify(_copy(path, tmp_path / "copy.db"), head)
    assert report.intact, report.problem


RESULTS: dict[str, str] = {}  # case -> "inside" (verify alone), "outside" (needs the head), "missed"


@pytest.mark.parametrize(("phase", "case"), ALL, ids=[f"{p}: {c.name}" for p, c in ALL])
def test_verify_catches(samples: dict[str, tuple[Path, str]], phase: str, case: Case, tmp_path: Path) -> None:
    path, head = samples[phase]
    copy = _copy(path, tmp_path / "copy.db")
    case.tamper(copy)
    inside = _verify(copy, None)
    report = _verify(copy, head) if case.outside_head and inside.intact else inside
    RESULTS[f"{phase}: {case.name}"] = "missed" if report.intact else "inside" if report is inside else "outside"
    assert not report.intact, f"{phase}: {case.name} went unnoticed"
    assert report.problem and report.problem.endswith(".") and "\n" not in report.problem
    if not case.outside_head:
        assert report is inside
    table = NAMED_TABLES.get(case.name)
    if table and phase == "before finalise":  # the seal names the table that was edited
        assert "digest sealed" in (report.problem or "") and table in (report.problem or ""), report.problem


def test_the_corpus_is_large_enough() -> None:
    kinds = {c.name for c in DATA_CASES + EVENT_CASES + FINALISED_CASES}
    assert len(kinds) >= 40 and len(ALL) >= 80
    caught = [k for k, v in RESULTS.items() if v != "missed"]
    outside = [k for k, v in RESULTS.items() if v == "outside"]
    print(f"\ntamper corpus: {len(kinds)} kinds, {len(ALL)} cases; caught {len(caught)} of {len(RESULTS)} run, "
          f"{len(outside)} of them only against the outside head: {'; '.join(outside)}")
