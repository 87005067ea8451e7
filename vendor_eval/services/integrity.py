"""Is an evaluation's record intact? Re-walk its audit chain and cross-check what it anchors.

In order, the first problem found is reported:
1. the hash chain: an altered, inserted or deleted past event;
2. the audit anchor written by finalise/reopen (services.lifecycle) must still be in the chain;
3. outside anchors: a chain head printed earlier (`--head`, `--against` a report's cover or a
   backup of the file) must still be in the chain, at the same place when that is known;
4. every score and consensus value must equal the value its newest audit event recorded;
5. the seal: the newest event must be the digest of the decision state written at the last
   commit (storage.audit), and the state in the file must still have that digest; this covers
   every table (weights, scales, policies, vendors, evaluators, declarations, answers, ...);
6. a finalised evaluation's live rows must still reproduce its frozen ranking.

What no check inside the file can catch: its owner deleting events and recomputing every hash
and seal with this very code (the algorithm is public and there is no secret). Step 3 catches
that against anything kept outside the file: a report, a backup, a printed head.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import signal
import sqlite3
import sys
import threading
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.safety import open_workbook
from vendor_eval.services.lifecycle import frozen_problem, ranking_digest
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.audit import (
    EVALUATOR_ENTITIES,
    EVALUATOR_TABLES,
    GENESIS,
    EventRow,
    chain_events,
    is_seal,
    verify_chain,
)
from vendor_eval.storage.decision_state import changed_tables, delta_of, moved_by_deltas
from vendor_eval.storage.models import (
    ConsensusScore,
    CriterionGroup,
    Evaluation,
    Evaluator,
    Score,
    ServerUser,
    Vendor,
)

HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class IntegrityReport:
    evaluation: str
    events: int
    head: str
    problem: str | None  # the first thing found wrong, as one sentence; None when intact
    broken_seq: int | None = None  # the first broken event, when the problem is one event

    @property
    def intact(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.problem is None:
            return f"Audit trail of {self.evaluation!r} is intact: {self.events} events, head {self.head}."
        return f"Audit trail of {self.evaluation!r} is broken: {self.problem}"

    def as_json(self) -> dict[str, Any]:
        return {"evaluation": self.evaluation, "intact": self.intact, "events": self.events, "head": self.head,
                "problem": self.problem, "broken_seq": self.broken_seq}


@dataclass(frozen=True)
class KnownHead:
    """A chain head kept outside the file: its hash, and its seq when the source says it (a backup)."""

    hash: str
    seq: int | None
    source: str


def verify(db: Database, ref: Ref, known_head: str | None = None,
           against: tuple[Path, ...] = ()) -> IntegrityReport:
    """Intact, or the first problem: a broken chain event, a missing anchor, data off the record.
    known_head and the files in `against` (backups, PDF or Excel reports) are heads kept outside."""
    with db.read() as s:
        name = get_evaluation(s, ref).name
    known = tuple(head_in(path, name) for path in against)
    heads = known + ((KnownHead(_hex(known_head, "--head"), None, ""),) if known_head else ())
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        events = chain_events(s, evaluation.id)
        head = events[-1].hash if events else GENESIS
        evaluation_id, name, finalised = evaluation.id, evaluation.name, evaluation.status == "finalised"

        def report(problem: str | None, seq: int | None = None) -> IntegrityReport:
            return IntegrityReport(name, len(events), head, problem, seq)

        broken = verify_chain(events)
        if broken is not None:
            return report(broken.describe() + ".", broken.seq)
        by_seq = {e.seq: e for e in events}
        problem = (_anchor_problem(evaluation, by_seq) or _outside_problem(heads, events)
                   or _data_problem(s, evaluation_id, events) or _seal_problem(s, evaluation_id, events))
        if problem is not None:
            return report(problem)
    if finalised:
        return report(frozen_problem(db, evaluation_id))
    return report(None)


class Verification:
    """verify() running beside the caller's own work: the same full check, in a forked process
    on the machine's other core, while a report writes its workbook (verify reads and hashes
    every row of the evaluation, about as long as writing the large evaluation's workbook).

    Forked only on Linux, where the child starts at once from the parent's memory and reopens
    no module (spawn would import the whole application first, longer than the check itself;
    macOS and Windows do not fork safely). os.fork, not multiprocessing.Process: the app's
    export already runs in a daemonic worker process (ui/process_runner.py), which
    multiprocessing forbids to have children. The child uses connections of its own, never
    the parent's, and ends with os._exit, so nothing of the parent's is closed or flushed
    twice. Not forked while this process runs other Python threads (one of them could hold a
    lock the child needs, forever). Elsewhere, or when the child gives no answer (killed,
    verify raised: the error is raised again here; or stuck for CHILD_TIMEOUT_S), result()
    runs verify in this process.
    """

    CHILD_TIMEOUT_S = 120.0  # the large evaluation verifies in about 1.2 s

    def __init__(self, db: Database, ref: Ref, known_head: str | None = None) -> None:
        self._args = (db, ref, known_head)
        self._pid: int | None = None
        self._report: IntegrityReport | None = None
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            return
        self._answer, child_end = multiprocessing.Pipe(duplex=False)
        try:
            pid = os.fork()
        except OSError:  # no process to spare (a limit on processes or memory): result() verifies here
            self._answer.close()
            child_end.close()
            return
        if pid == 0:  # the child: never returns into the caller's code
            try:
                self._answer.close()
                _verify_child(child_end, db, ref, known_head)
            finally:
                os._exit(0)
        self._pid = pid
        child_end.close()

    def result(self) -> IntegrityReport:
        """The verdict, waiting for the child if it is still working."""
        if self._report is None:
            answer = None
            if self._pid is not None:
                try:
                    if self._answer.poll(self.CHILD_TIMEOUT_S):
                        answer = self._answer.recv()
                except (EOFError, OSError):
                    answer = None  # it ended without a verdict
                self.cancel()
            self._report = answer if isinstance(answer, IntegrityReport) else verify(*self._args)
        return self._report

    def __call__(self) -> bool:
        """Whether the record verifies: what a report prints (io.report.data.ReportInputs)."""
        return self.result().intact

    def cancel(self) -> None:
        """Stop the child if it still runs (a report that failed no longer needs the verdict), and reap it."""
        if self._pid is not None:
            with suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)  # a child that has ended is still there until reaped
            with suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
                os.waitpid(self._pid, 0)
            self._answer.close()
            self._pid = None


def _verify_child(conn: Any, db: Database, ref: Ref, known_head: str | None) -> None:
    """In the forked child: an engine of its own on the same database. The parent's pooled
    connections are left untouched, not even freed: a SQLite or libpq connection closed in a
    fork can drop the parent's locks or end its server session. No cyclic collection (a
    short life with 10^5 row tuples and no cycles). The verdict is sent back; on any error
    nothing is sent, and the parent verifies itself."""
    gc.disable()
    try:
        mine = open_database(db.engine.url.render_as_string(hide_password=False), migrate=False, daily_backup=False)
        try:
            conn.send(verify(mine, ref, known_head))
        finally:
            mine.dispose()
    except Exception:  # noqa: BLE001, S110 - the parent runs verify itself and meets the error there
        pass
    finally:
        conn.close()


def _hex(text: str, where: str) -> str:
    value = text.strip().lower()
    if not HEX64.fullmatch(value):
        raise ValidationError(f"{where} must be a chain head of 64 hexadecimal digits, as verify and reports print it.")
    return value


def head_in(path: Path, evaluation: str) -> KnownHead:
    """The chain head of `evaluation` recorded in a backup (any vendor_eval database file) or a report."""
    try:
        with path.open("rb") as f:
            magic = f.read(16)
    except OSError as exc:
        raise ValidationError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if magic.startswith(b"SQLite format 3"):
        return _head_in_database(path, evaluation)
    if magic.startswith(b"%PDF"):
        return _head_in_text(_pdf_text(path), path)
    if magic.startswith(b"PK"):
        return _head_in_text(_xlsx_text(path), path)
    raise ValidationError(f"{path} is neither a vendor_eval database, a PDF report nor an Excel report.")


def _head_in_database(path: Path, evaluation: str) -> KnownHead:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute(
                "SELECT a.seq, a.hash FROM audit_event a JOIN evaluation e ON e.id = a.evaluation_id "
                "WHERE e.name = ? ORDER BY a.seq DESC LIMIT 1", (evaluation,)).fetchone()
    except sqlite3.Error as exc:
        raise ValidationError(f"{path} is not a readable vendor_eval database ({exc}).") from None
    if row is None:
        raise ValidationError(f"{path} holds no audit trail of the evaluation {evaluation!r}.")
    return KnownHead(str(row[1]), int(row[0]), f"the backup {path.name}")


def _head_in_text(text: str, path: Path) -> KnownHead:
    compact = re.sub(r"\s+", "", text)
    match = re.search(r"Auditchainhead:?([0-9a-f]{64})", compact)
    if match is None:
        raise ValidationError(f"{path} shows no audit chain head; it is not a vendor_eval committee report.")
    return KnownHead(match.group(1), None, f"the report {path.name}")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader  # only verify --against a PDF needs it
    from pypdf.errors import PdfReadError as PdfError

    try:
        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages[:3])
    except (PdfError, OSError, ValueError, KeyError) as exc:
        raise ValidationError(f"{path} cannot be read as a PDF ({exc}).") from None


def _xlsx_text(path: Path) -> str:
    book = open_workbook(path.read_bytes(), path.name, formulas=False)
    try:
        return "\n".join(" ".join(str(c) for c in row if c is not None)
                         for sheet in book.workbook.worksheets[:2] for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _seal_problem(s: Session, evaluation_id: int, events: list[EventRow]) -> str | None:
    """The newest event seals the decision state; the file must still hold that state."""
    if not events:
        return ("it has no audit events at all, yet every evaluation created by vendor_eval has some: "
                "they were deleted." if _has_rows(s, evaluation_id) else None)
    # The newest full seal (not an evaluator's delta), found from the end: only it and the seals
    # after it are parsed (an evaluation edited in the app has about one seal per event).
    values: dict[int, object] = {}
    full = None
    for i in range(len(events) - 1, -1, -1):
        if is_seal(events[i]):
            value = values[events[i].seq] = _json(events[i].new_value)
            if delta_of(value) is None:
                full = i
                break
    if full is None:
        return None  # written before sealing existed (or in bulk by a benchmark): nothing to compare with
    last, after = events[full], events[full + 1:]
    # An evaluator login on a server does not seal (storage.audit): only its own kind of event,
    # and the delta of each of its commits, may follow the newest seal. When those deltas cover
    # every event since the seal, the state must equal the seal moved by them; otherwise (a
    # client from before the deltas) only the evaluator's tables may differ from the seal.
    # A file has no such logins: there the newest event is always a seal.
    logins = s.scalar(select(ServerUser.id).where(ServerUser.evaluation_id == evaluation_id).limit(1)) is not None
    stray = [e for e in after if not logins or (e.entity not in EVALUATOR_ENTITIES and e.seq not in values)]
    if stray:
        return (f"audit event #{stray[-1].seq} ({stray[-1].entity} {stray[-1].field}) is not followed by the seal of "
                "the decision state that vendor_eval writes with every change: the newest events were deleted, or "
                "this one was appended outside vendor_eval.")
    sealed = values[last.seq]
    moved = moved_by_deltas(sealed, last.seq, [(e.seq, values[e.seq]) for e in after if e.seq in values],
                            events[-1].seq) if after else None
    changed = changed_tables(s, evaluation_id, moved if moved is not None else sealed)
    if changed is None or (after and moved is None and changed and set(changed) <= EVALUATOR_TABLES):
        return None
    where = f" (rows of {', '.join(changed)})" if changed else ""
    return (f"the evaluation's data no longer has the digest sealed by audit event #{last.seq} "
            f"({last.at[:19].replace('T', ' ')} UTC): rows were changed, added or deleted outside vendor_eval"
            f"{where}.")


def _json(text: str | None) -> object:
    try:
        return json.loads(text or "null")
    except ValueError:
        return None  # not a value vendor_eval wrote: it matches no state


def _has_rows(s: Session, evaluation_id: int) -> bool:
    return s.scalar(select(CriterionGroup.id).where(CriterionGroup.evaluation_id == evaluation_id).limit(1)) is not None


def _outside_problem(heads: tuple[KnownHead, ...], events: list[EventRow]) -> str | None:
    """A head kept outside the file must still be in the chain (at its seq when known)."""
    by_hash = {e.hash: e.seq for e in events}
    for known in heads:
        seq = by_hash.get(known.hash)
        if seq is None or (known.seq is not None and seq != known.seq):
            at = f" (event #{known.seq})" if known.seq is not None else ""
            source = f" from {known.source}" if known.source else ""
            return (f"the chain head {known.hash}{at}{source} is no longer in the trail: "
                    "events were deleted or the chain was rewritten after it.")
    return None


def _anchor_problem(evaluation: Evaluation, by_seq: dict[int, EventRow]) -> str | None:
    frozen = evaluation.frozen_result or {}
    anchor = frozen.get("audit_anchor")
    if not isinstance(anchor, dict):
        if evaluation.status == "finalised":
            return "the evaluation is finalised but its frozen result has no audit anchor: it was altered."
        return None
    seq, expected = anchor.get("seq"), anchor.get("hash")
    event = by_seq.get(seq) if isinstance(seq, int) else None
    if event is None:
        return f"audit event #{seq}, written when the evaluation was finalised or reopened, is missing: the newest events were deleted."
    if event.hash != expected:
        return f"audit event #{seq} is not the event recorded when the evaluation was finalised or reopened."
    if evaluation.status == "finalised" and event.field == "frozen_result":
        recorded = json.loads(event.new_value or "{}").get("sha256")
        if recorded != ranking_digest(frozen.get("ranking")):
            return f"the frozen ranking no longer matches the SHA-256 that audit event #{seq} recorded at finalisation."
    return None


def _data_problem(s: Session, evaluation_id: int, events: list[EventRow]) -> str | None:
    """Each score and consensus row must hold the value of its newest audited change."""
    last: dict[tuple[str, int], EventRow] = {}
    for e in events:  # in seq order, so the newest wins
        if e.entity in ("score", "consensus") and e.field == "value" and e.entity_id is not None:
            last[(e.entity, e.entity_id)] = e
    if not last:
        return None  # no audited value to compare with (rows written in bulk): skip reading every score
    connection = s.connection()  # Core rows: the ORM's row machinery cost more than the query
    rows: list[tuple[str, int, float]] = [
        ("score", i, v) for i, v in connection.execute(
            select(Score.id, Score.value).join(Evaluator, Score.evaluator_id == Evaluator.id)
            .where(Evaluator.evaluation_id == evaluation_id).order_by(Score.id))
    ] + [
        ("consensus", i, v) for i, v in connection.execute(
            select(ConsensusScore.id, ConsensusScore.value).join(Vendor, ConsensusScore.vendor_id == Vendor.id)
            .where(Vendor.evaluation_id == evaluation_id).order_by(ConsensusScore.id))
    ]
    for entity, row_id, value in rows:
        newest = last.get((entity, row_id))
        if newest is None:
            continue  # written in bulk without a trail (benchmarks); nothing to compare with
        recorded = json.loads(newest.new_value) if newest.new_value is not None else None
        recorded_value = recorded.get("value") if isinstance(recorded, dict) else None
        if recorded_value != value:
            return (f"{entity} id {row_id} holds {value:g} but its newest audit event #{newest.seq} recorded "
                    f"{'a removal' if recorded_value is None else f'{recorded_value:g}'}: newer events were deleted "
                    "or the value was changed outside vendor_eval.")
    return None
