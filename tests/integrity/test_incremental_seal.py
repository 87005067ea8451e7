"""The incremental seal (storage.audit with storage.state_changes): each commit moves the previous
seal by the rows it changed instead of re-reading the evaluation.

- After any sequence of the services' edits (scores, weights, criteria, vendors, evaluators,
  consensus, questionnaire and matrix imports, costs, scenarios, declarations, submissions) the
  seal equals the digest computed from every row, on SQLite and on PostgreSQL, and no commit
  after the first needed the full computation.
- A row changed behind the app's back between two commits is not absorbed by the later seals:
  verify still reports it (a full re-hash at every commit used to absorb it).
- A file sealed before version 2 (tests/integrity/data/seals_v1.sql, written by commit eda2712)
  still verifies; its first commit starts the version-2 seals.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import create_imaging
from tests.integrity.helpers import raw_sql
from tests.io.matrix_layouts import write_sheet
from tests.io.questionnaire_filling import fill, sample_answer
from vendor_eval.errors import UserError
from vendor_eval.services import (
    criteria,
    declarations,
    evaluations,
    evaluators,
    integrity,
    questionnaires,
    scores,
    tariffs,
    vendors,
)
from vendor_eval.services.matrix_import import import_matrix
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, audit, open_database
from vendor_eval.storage.decision_state import seal_value
from vendor_eval.storage.models import AuditEvent, Score

V1_DUMP = Path(__file__).parent / "data" / "seals_v1.sql"


def newest_seal(db: Database, evaluation_id: int) -> dict[str, Any]:
    with db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.evaluation_id == evaluation_id)
                          .order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert audit.is_seal(event), f"the newest event is {event.entity} {event.field}, not a seal"
    value = json.loads(event.new_value or "null")
    assert isinstance(value, dict)
    return value


def from_every_row(db: Database, evaluation_id: int) -> dict[str, object]:
    with db.read() as s:
        return seal_value(s, evaluation_id)


@pytest.fixture
def full_computations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The evaluations whose seal a commit computed from every row (instead of moving the previous one)."""
    calls: list[int] = []
    real = audit.seal_value

    def counted(session: Any, evaluation_id: int) -> dict[str, object]:
        calls.append(evaluation_id)
        return real(session, evaluation_id)

    monkeypatch.setattr(audit, "seal_value", counted)
    yield calls


def _base(db: Database) -> int:
    ref = create_imaging(db)
    for name in ("Aurora Imaging Partners", "Borealis Reading Group", "Cirrus Teleradiology"):
        vendors.add_vendor(db, ref, name, "officer")
    for name in ("Dr Ames", "Dr Bello", "Dr Chen"):
        evaluators.add_evaluator(db, ref, name, "officer")
    snap = load_snapshot(db, ref)
    scores.record_scores(db, ref, [
        scores.ScoreInput(e.name, v.name, c.id, min(c.scale_max, c.scale_min + i % 3), "")
        for i, (e, v, c) in enumerate((e, v, c) for e in snap.evaluators for v in snap.vendors for c in snap.criteria[:12])
    ], "officer")
    return ref


class Edits:
    """Random edits through the services, as an officer and a committee would make them."""

    def __init__(self, db: Database, ref: int, folder: Path, rng: random.Random):
        self.db, self.ref, self.folder, self.rng = db, ref, folder, rng
        self.n = 0

    def snap(self) -> Any:
        return load_snapshot(self.db, self.ref)

    def pick(self, items: Any) -> Any:
        return self.rng.choice(list(items))

    def writable(self, snap: Any) -> Any:
        """Evaluators who may score; when all have submitted, one withdraws first."""
        open_ones = [e for e in snap.evaluators if e.submitted_at is None]
        if open_ones:
            return open_ones
        withdrawn = self.pick(snap.evaluators)
        evaluators.set_submitted(self.db, self.ref, withdrawn.name, False, "officer")
        return [withdrawn]

    def score(self) -> None:
        snap = self.snap()
        e, v, c = self.pick(self.writable(snap)), self.pick(snap.vendors), self.pick(snap.criteria)
        value = self.rng.randint(int(c.scale_min), int(c.scale_max))
        scores.record_score(self.db, self.ref, e.name, v.name, c.id, value, "officer", f"note {self.n}")

    def clear(self) -> None:
        writable = [e.id for e in self.writable(self.snap())]
        with self.db.read() as s:
            mine = s.execute(select(Score.evaluator_id, Score.vendor_id, Score.criterion_id)
                             .where(Score.evaluator_id.in_(writable)).order_by(Score.id)).all()
        if mine:
            e, v, c = self.pick(mine)
            scores.clear_score(self.db, self.ref, e, v, c, "officer")

    def weight(self) -> None:
        snap = self.snap()
        if self.rng.random() < 0.5:
            criteria.set_criterion_weight(self.db, self.ref, self.pick(snap.criteria).id, self.rng.randint(1, 30),
                                          "officer")
        else:
            criteria.set_group_weight(self.db, self.ref, self.pick(snap.groups).id, self.rng.randint(1, 30), "officer")

    def normalise(self) -> None:
        criteria.normalise_weights(self.db, self.ref, "officer")

    def add_criterion(self) -> None:
        group = self.pick(self.snap().groups)
        criteria.add_criterion(self.db, self.ref, group.id, f"Added criterion {self.n}", "officer", weight=5)

    def remove_criterion(self) -> None:
        criteria.remove_criterion(self.db, self.ref, self.pick(self.snap().criteria).id, "officer")

    def add_vendor(self) -> None:
        vendors.add_vendor(self.db, self.ref, f"Vendor number {self.n}", "officer", hq_country="Germany")

    def update_vendor(self) -> None:
        vendors.update_vendor(self.db, self.ref, self.pick(self.snap().vendors).id, "officer", notes=f"call {self.n}")

    def remove_vendor(self) -> None:
        snap = self.snap()
        if len(snap.vendors) > 2:
            vendors.remove_vendor(self.db, self.ref, self.pick(snap.vendors).id, "officer")

    def add_evaluator(self) -> None:
        evaluators.add_evaluator(self.db, self.ref, f"Dr Number {self.n}", "officer")

    def remove_evaluator(self) -> None:
        snap = self.snap()
        if len(snap.evaluators) > 2:
            evaluators.remove_evaluator(self.db, self.ref, self.pick(snap.evaluators).id, "officer")

    def submit(self) -> None:
        e = self.pick(self.snap().evaluators)
        evaluators.set_submitted(self.db, self.ref, e.name, e.submitted_at is None, "officer")

    def declare(self) -> None:
        snap = self.snap()
        conflicts = [self.pick(snap.vendors).id] if self.rng.random() < 0.3 else []
        declarations.declare(self.db, self.ref, self.pick(snap.evaluators).name, conflicts, "officer",
                             f"statement {self.n}")

    def consensus(self) -> None:
        snap = self.snap()
        v, c = self.pick(snap.vendors), self.pick(snap.criteria)
        if self.rng.random() < 0.7:
            scores.set_consensus(self.db, self.ref, v.id, c.id, c.scale_max, f"agreed {self.n}", "officer")
        elif snap.consensus:
            entry = self.pick(snap.consensus)
            scores.clear_consensus(self.db, self.ref, entry.vendor_id, entry.criterion_id, "officer")

    def costs(self) -> None:
        snap = self.snap()
        if snap.cost_lines and self.rng.random() < 0.5:
            line = self.pick(snap.cost_lines)
            if self.rng.random() < 0.5:
                tariffs.update_cost_line(self.db, self.ref, line.id, "officer", annual_amount=1000 * self.n + 1)
            else:
                tariffs.remove_cost_line(self.db, self.ref, line.id, "officer")
        else:
            tariffs.add_cost_line(self.db, self.ref, self.pick(snap.vendors).id, "officer", "software",
                                  50_000 + self.n, origin_country="India")

    def scenario(self) -> None:
        existing = self.snap().tariff_scenarios
        if not existing or self.rng.random() < 0.5:
            tariffs.add_scenario(self.db, self.ref, f"Scenario {self.n}", {"India": 0.1 * (self.n % 5)}, "officer")
        else:
            scenario = self.pick(existing)
            tariffs.update_scenario(self.db, self.ref, scenario.id, "officer", rates={"China": 0.05 * (self.n % 7)})

    def settings(self) -> None:
        evaluations.update_settings(self.db, self.ref, "officer",
                                    aggregation=self.pick(["mean", "median"]), discuss_threshold=0.1 + self.n % 5 / 10)

    def questionnaire(self) -> None:
        """A vendor's completed questionnaire: new answers, changed ones and cleared ones
        (Core INSERT, UPDATE and DELETE of answers and suggestions; its cost lines replaced)."""
        snap = self.snap()
        vendor = self.pick(snap.vendors)
        blank = questionnaires.generate_questionnaire(self.db, self.ref, self.folder / f"q{self.n}.xlsx",
                                                      vendor=vendor.name)
        answers = {}
        for i, c in enumerate(snap.criteria):
            roll = self.rng.random()
            if roll < 0.5:
                answers[c.key] = sample_answer(c, self.n + i)[0]
            elif roll < 0.7:
                answers[c.key] = None
        filled = fill(blank, self.folder / f"filled{self.n}.xlsx", answers=answers,
                      costs=[["software", "Licences", 120_000 + self.n, "USD", "India", "no", "no"]])
        questionnaires.import_questionnaires(self.db, self.ref, [filled], "officer")

    def run(self) -> str:
        self.n += 1
        kinds: list[Callable[[], None]] = [
            self.score, self.score, self.score, self.clear, self.weight, self.normalise, self.add_criterion,
            self.remove_criterion, self.add_vendor, self.update_vendor, self.remove_vendor, self.add_evaluator,
            self.remove_evaluator, self.submit, self.declare, self.consensus, self.consensus, self.costs,
            self.scenario, self.settings, self.questionnaire,
        ]
        action = self.rng.choice(kinds)
        try:
            action()
        except UserError:  # refused (a conflict of interest, a submitted evaluator): nothing written
            return f"{action.__name__} refused"
        return action.__name__


@pytest.mark.both_engines
def test_after_random_edits_the_seal_equals_the_digest_of_every_row(
        db: Database, seed: Callable[..., int], tmp_path: Path, full_computations: list[int]) -> None:
    ref = seed("incremental-seal-base", _base)
    full_computations.clear()  # building the evaluation computed its first seal
    edits = Edits(db, ref, tmp_path, random.Random(20261128))
    done: list[str] = []
    for _ in range(45):
        done.append(edits.run())
        assert ref not in full_computations, f"{done[-1]} computed the seal from every row"
        sealed = newest_seal(db, ref)
        assert sealed.get("v") == 2, done[-1]
        assert sealed == from_every_row(db, ref), f"after {done}"
    assert {"questionnaire", "remove_vendor", "remove_criterion", "consensus", "score"} <= set(done), done
    # An imported matrix is a new evaluation: sealed from its rows (Core bulk INSERT of its scores).
    path = write_sheet(tmp_path / "m.xlsx", [["Vendor", "Turnaround", "Security"], ["Weight", 2, 1],
                                             ["Acme Reading", 4, 3.5], ["Beta Imaging", 5, 2]])
    other = import_matrix(db, path, "Imported RFP", "officer").evaluation_id
    assert newest_seal(db, other) == from_every_row(db, other)
    edits.ref = other
    for _ in range(5):
        edits.score()
        assert newest_seal(db, other) == from_every_row(db, other)
    assert integrity.verify(db, ref).problem is None and integrity.verify(db, other).problem is None


def test_a_row_changed_between_two_commits_is_still_reported_after_later_commits(
        db: Database, scored: int, db_path: Path, full_computations: list[int]) -> None:
    snap = load_snapshot(db, scored)
    criterion = snap.criteria[0]
    scores.record_score(db, scored, "Dr Ames", "Aurora Imaging Partners", criterion.id, 3, "officer")
    assert integrity.verify(db, scored).problem is None
    raw_sql(db_path, "UPDATE criterion_group SET weight = weight + 40 WHERE id = ?", snap.groups[0].id)
    for value in (2, 1, 5):  # later commits by the app, each sealing
        scores.record_score(db, scored, "Dr Bello", "Borealis Reading Group", criterion.id, value, "officer")
        problem = integrity.verify(db, scored).problem
        assert problem is not None and "digest sealed by audit event" in problem and "criterion_group" in problem
        assert newest_seal(db, scored) != from_every_row(db, scored)
    assert scored not in full_computations
    # The seal computed from every row, as every commit did before version 2, absorbs the edit:
    with db.write() as s:
        audit.record(s, scored, "officer", "evaluation", scored, "note", None, "x")
        s.info["state_full"] = True
    assert integrity.verify(db, scored).problem is None


def _v1_file(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    return path


def test_a_file_sealed_before_version_2_verifies_and_moves_on_to_version_2(
        tmp_path: Path, full_computations: list[int]) -> None:
    db = open_database(_v1_file(tmp_path / "old.db"), daily_backup=False)
    try:
        [evaluation] = evaluations.list_evaluations(db)
        ref = evaluation.id
        assert "v" not in newest_seal(db, ref) and len(newest_seal(db, ref)["sha256"]) == 64
        assert integrity.verify(db, ref).problem is None
        scores.record_score(db, ref, "Dr Ames", "Aurora Imaging Partners", load_snapshot(db, ref).criteria[1].id, 1,
                            "officer")
        assert full_computations == [ref]  # the first version-2 seal starts from every row
        scores.record_score(db, ref, "Dr Bello", "Aurora Imaging Partners", load_snapshot(db, ref).criteria[1].id, 0,
                            "officer")
        assert full_computations == [ref]
        assert newest_seal(db, ref) == from_every_row(db, ref) and newest_seal(db, ref)["v"] == 2
        assert integrity.verify(db, ref).problem is None
    finally:
        db.dispose()


def test_a_file_sealed_before_version_2_still_shows_a_change_behind_the_apps_back(tmp_path: Path) -> None:
    path = _v1_file(tmp_path / "old.db")
    raw_sql(path, "UPDATE criterion_group SET weight = weight + 40 WHERE id = (SELECT min(id) FROM criterion_group)")
    db = open_database(path, daily_backup=False)
    try:
        problem = integrity.verify(db, 1).problem
        assert problem is not None and "rows of criterion_group" in problem
    finally:
        db.dispose()


def test_the_score_table_sum_is_the_documented_multiset_hash(db: Database, scored: int, db_path: Path) -> None:
    """The version-2 value written out independently: SHAKE-256 (2048 bits) of each score row's
    canonical text, summed; the seal keeps the low 256 bits per table."""
    scores.record_score(db, scored, "Dr Ames", "Aurora Imaging Partners", load_snapshot(db, scored).criteria[0].id, 1,
                        "officer")
    header = "score:id, evaluator_id, vendor_id, criterion_id, value, comment, updated_at, version\n"
    total = 0
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute("SELECT s.id, evaluator_id, vendor_id, criterion_id, value, comment, updated_at, version "
                            "FROM score s JOIN evaluator e ON e.id = s.evaluator_id WHERE e.evaluation_id = ?",
                            (scored,)).fetchall()
    for i, e, v, c, value, comment, updated, version in rows:
        moment = datetime.fromisoformat(updated).isoformat(sep=" ", timespec="microseconds")
        text = "\t".join([str(i), str(e), str(v), str(c), repr(float(value)), repr(comment), moment, str(version)])
        total += int.from_bytes(hashlib.shake_256((header + text).encode()).digest(256))
    assert len(rows) == 2 * 2 * len(load_snapshot(db, scored).criteria)
    assert newest_seal(db, scored)["tables"]["score"] == f"{total % 2**256:064x}"
