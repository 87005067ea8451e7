"""The audit trail: every change is an AuditEvent written in the change's own transaction.

Events are hash-chained per evaluation: each stores SHA-256 over its content and
the previous event's hash, so editing or deleting a past event breaks the chain
at that point (verify_chain names it).

Every transaction that records events ends with a seal: one more event whose value is
the digest of the evaluation's whole decision state as committed (storage.decision_state).
A row changed in the file afterwards no longer matches the newest seal, whether or not an
event describes it; verify recomputes the digest and compares.

The seal is incremental: the previous seal moved by the rows this transaction changed
(storage.state_changes), so a score edit costs the same on 1,000 scores as on 180,000. A row
changed outside the app since the previous seal is therefore not absorbed by the next one:
verify keeps reporting it. A full computation happens only where there is no version-2 seal
to start from (the first commit after an upgrade), or after events that no seal followed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Executable, insert, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from vendor_eval.storage import state_changes
from vendor_eval.storage.decision_state import advanced, delta_of, delta_value, moved_by_deltas, seal_value
from vendor_eval.storage.models import AuditEvent, Evaluation, utcnow

GENESIS = "0" * 64
SEAL_ENTITY, SEAL_FIELD = "evaluation", "state_sha256"


def _encode(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


class EventRow(NamedTuple):
    """An audit event as stored, without the ORM: verify reads every event of the evaluation
    (chain_events), and building an AuditEvent object for each cost more than checking the chain."""

    id: int
    evaluation_id: int
    seq: int
    at: str
    actor: str
    entity: str
    entity_id: int | None
    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    prev_hash: str
    hash: str


ChainEvent = AuditEvent | EventRow  # what event_hash and verify_chain read
_PAYLOAD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these, made once


# The columns an event's hash covers, in this order (prev_hash chains it to the one before).
HASHED = ("evaluation_id", "seq", "at", "actor", "entity", "entity_id", "field", "old_value", "new_value", "reason",
          "prev_hash")


def event_hash(event: ChainEvent) -> str:
    return _digest([getattr(event, name) for name in HASHED])


def _digest(content: list[Any]) -> str:
    return hashlib.sha256(_PAYLOAD.encode(content).encode("utf-8")).hexdigest()


def record(
    session: Session,
    evaluation_id: int,
    actor: str,
    entity: str,
    entity_id: int | None,
    field: str,
    old: Any,
    new: Any,
    reason: str = "",
    *,
    seal: bool = False,
    returning: bool = True,
) -> AuditEvent:
    """Append one event to the evaluation's chain (the caller's transaction commits it,
    and sealing the decision state at commit is due for the evaluation).

    The chain head is read once per transaction and then kept in session.info: a writer
    holds SQLite's write lock (BEGIN IMMEDIATE) until it commits, so nobody else can
    append meanwhile, and a batch of edits does not re-query the head for every event.
    On PostgreSQL, vendor_eval_chain_head (migration 0003) takes the evaluation's writer
    turn until commit and reads the head as the owner: row-level security may hide
    other evaluators' events from the writer.
    """
    row = _chained(session, evaluation_id, actor, entity, entity_id, field, old, new, reason)
    event = AuditEvent(**row)
    if returning:
        session.add(event)
        session.flush()
    else:  # (an evaluator login may write its delta but not read it back: storage/server.py)
        session.connection().execute(insert(AuditEvent).values(row).inline())
    if not seal:
        session.info.setdefault("audit_unsealed", {})[evaluation_id] = actor
    return event


def record_many(session: Session, evaluation_id: int, actor: str,
                changes: list[tuple[str, int | None, str, Any, Any, str]]) -> int:
    """record() for many events of one evaluation, in order: (entity, entity_id, field, old,
    new, reason) each, inserted by one executemany (a bulk score write: the sample's 4,000
    events cost 3 s one record() each). Returns the number of events written."""
    rows = [_chained(session, evaluation_id, actor, *change) for change in changes]
    if rows:
        session.connection().execute(insert(AuditEvent), rows)
        session.info.setdefault("audit_unsealed", {})[evaluation_id] = actor
    return len(rows)


def _chained(session: Session, evaluation_id: int, actor: str, entity: str, entity_id: int | None, field: str,
             old: Any, new: Any, reason: str) -> dict[str, Any]:
    """The next event of the evaluation's chain as column values, hashed; the head moves to it."""
    last_seq, last_hash = _head(session, evaluation_id)
    row = {"evaluation_id": evaluation_id, "seq": last_seq + 1, "at": utcnow().isoformat(timespec="microseconds"),
           "actor": actor, "entity": entity, "entity_id": entity_id, "field": field, "old_value": _encode(old),
           "new_value": _encode(new), "reason": reason or "", "prev_hash": last_hash}
    row["hash"] = _digest([row[name] for name in HASHED])
    session.info["audit_heads"][evaluation_id] = (row["seq"], row["hash"])
    return row


def _head(session: Session, evaluation_id: int) -> tuple[int, str]:
    """The chain head (seq, hash), read once per transaction (see record); the head as the
    transaction found it stays in session.info["audit_start"] for the seal."""
    heads: dict[int, tuple[int, str]] = session.info.setdefault("audit_heads", {})
    if evaluation_id not in heads:
        query: Executable
        if session.get_bind().dialect.name == "postgresql":
            query = text("SELECT seq, hash FROM vendor_eval_chain_head(:evaluation)").bindparams(evaluation=evaluation_id)
        else:
            query = (select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.evaluation_id == evaluation_id)
                     .order_by(AuditEvent.seq.desc()).limit(1))
        last = session.execute(query).first()
        heads[evaluation_id] = (last.seq, last.hash) if last and last.seq is not None else (0, GENESIS)
        session.info.setdefault("audit_start", {})[evaluation_id] = heads[evaluation_id][0]
    return heads[evaluation_id]


def is_seal(event: ChainEvent) -> bool:
    return event.entity == SEAL_ENTITY and event.field == SEAL_FIELD


@sa_event.listens_for(Session, "before_flush")
def _mark_changed(session: Session, _context: Any, _instances: Any) -> None:
    """A change written without an event (to a row that names its evaluation) still gets its
    evaluation sealed, so the seal never goes stale behind a legitimate edit."""
    pending: dict[int, str] = session.info.setdefault("audit_unsealed", {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            continue
        evaluation_id = obj.id if isinstance(obj, Evaluation) else getattr(obj, "evaluation_id", None)
        if isinstance(evaluation_id, int):
            pending.setdefault(evaluation_id, "vendor_eval")


@sa_event.listens_for(Session, "before_commit")
def _seal(session: Session) -> None:
    seal_pending(session)


def seal_pending(session: Session) -> None:
    """Append the digest of each changed evaluation's state to its chain: at commit, or
    earlier by Database.write, so the heads it announces and keeps are the seals' seqs."""
    session.flush()  # first: its before_flush marks the evaluations changed without an event
    pending: dict[int, str] = session.info.pop("audit_unsealed", {})
    deltas, full, flushed = state_changes.take(session)
    for evaluation_id in flushed:  # rows changed without an event (a score saved with its old value)
        pending.setdefault(evaluation_id, "vendor_eval")
    for evaluation_id, actor in sorted(pending.items()):
        if session.get(Evaluation, evaluation_id) is None:
            continue  # deleted in this transaction, with its trail
        if not _sees_whole_evaluation(session, evaluation_id):
            # sealed at the next commit of a login that sees it all (see below), which adds this
            # delta (without one, that seal is computed from every row)
            if not full:
                _head(session, evaluation_id)
                first = session.info["audit_start"][evaluation_id] + 1
                record(session, evaluation_id, actor, SEAL_ENTITY, evaluation_id, SEAL_FIELD, None,
                       delta_value(deltas.get(evaluation_id, {}), first), seal=True, returning=False)
            continue
        _head(session, evaluation_id)  # the writer's turn first: no seal can be written meanwhile
        previous = None if full else _previous_seal(session, evaluation_id)
        value = advanced(previous, deltas.get(evaluation_id, {})) if previous is not None else None
        if value is None:
            value = seal_value(session, evaluation_id)
        record(session, evaluation_id, actor, SEAL_ENTITY, evaluation_id, SEAL_FIELD, None, value, seal=True,
               returning=False)  # no ORM flush: the seal is the commit's last write
        session.info.setdefault("audit_sealed", {})[evaluation_id] = value


def _previous_seal(session: Session, evaluation_id: int) -> object | None:
    """The seal value this transaction's changes start from: a seal written earlier in this
    transaction, or the newest seal moved on by the deltas of the evaluator logins' commits since
    (storage.decision_state.moved_by_deltas), up to the head as this transaction found it.
    None when that does not cover every event since the seal (rows written in bulk, a version-1
    seal, no seal yet): the seal is then computed from every row."""
    own: object | None = session.info.get("audit_sealed", {}).get(evaluation_id)
    if own is not None:
        return own
    start = session.info.get("audit_start", {}).get(evaluation_id, 0)
    head = session.connection().execute(  # by its seq: the usual case, one look-up in the (evaluation, seq) key
        select(AuditEvent.entity, AuditEvent.field, AuditEvent.new_value)
        .where(AuditEvent.evaluation_id == evaluation_id, AuditEvent.seq == start)).first()
    if head is None or (head.entity, head.field) != (SEAL_ENTITY, SEAL_FIELD):
        return None
    try:
        value = json.loads(head.new_value or "null")
    except ValueError:
        return None
    if delta_of(value) is None:
        return advanced(value, {})
    deltas: list[tuple[int, object]] = []
    seals = session.connection().execute(
        select(AuditEvent.seq, AuditEvent.new_value)
        .where(AuditEvent.evaluation_id == evaluation_id, AuditEvent.seq <= start,
               AuditEvent.entity == SEAL_ENTITY, AuditEvent.field == SEAL_FIELD)
        .order_by(AuditEvent.seq.desc()))
    try:
        for seq, text in seals:
            try:
                value = json.loads(text or "null")
            except ValueError:
                return None
            if delta_of(value) is None:
                return moved_by_deltas(value, seq, deltas[::-1], start)
            if not deltas and seq != start:
                return None  # events that no seal or delta covers follow
            deltas.append((seq, value))
        return None
    finally:
        seals.close()


# What an evaluator login on a server writes (storage/server.py): the entities of its events
# and the tables of its rows. Row-level security hides other evaluators' rows from it, so it
# cannot compute the digest of the whole state and does not seal; its events stay after the
# newest seal until a login that sees everything (owner, officer, chair) commits a change to
# the evaluation and seals it. Until then verify accepts differences from the seal in these
# tables only, when only these events follow it (services/integrity.py).
EVALUATOR_ENTITIES = frozenset({"score", "evaluator", "declaration"})
EVALUATOR_TABLES = frozenset({"score", "evaluator", "conflict_declaration"})


def _sees_whole_evaluation(session: Session, evaluation_id: int) -> bool:
    """False for a server login mapped to an evaluator of the evaluation (storage/server.py's
    server_user): row-level security narrows what it reads. A SQLite file shows everything."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    mapped = session.execute(text("SELECT 1 FROM server_user WHERE login = session_user AND evaluation_id = :e"),
                             {"e": evaluation_id}).first()
    return mapped is None


def set_field(session: Session, evaluation_id: int, actor: str, entity: str, row: Any, field: str, value: Any,
              reason: str = "") -> bool:
    """Change one attribute of a row and record the change; nothing happens when the value is the same."""
    old = getattr(row, field)
    if old == value:
        return False
    record(session, evaluation_id, actor, entity, row.id, field, old, value, reason)
    setattr(row, field, value)
    return True


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    problem: str

    def describe(self) -> str:
        return f"audit event #{self.seq} (id {self.event_id}) {self.problem}"


def verify_chain(events: Iterable[ChainEvent]) -> ChainBreak | None:
    """Walk events in seq order; return the first that does not fit, or None when intact."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return ChainBreak(event.seq, event.id, f"follows #{expected_seq - 1}: event(s) before it were deleted")
        if event.prev_hash != expected_prev:
            return ChainBreak(event.seq, event.id, "does not link to the event before it")
        if event_hash(event) != event.hash:
            return ChainBreak(event.seq, event.id, "was altered after it was written")
        expected_prev = event.hash
        expected_seq += 1
    return None


def chain_events(session: Session, evaluation_id: int) -> list[EventRow]:
    """The evaluation's events in seq order, as plain rows (the columns need no conversion)."""
    table = AuditEvent.__table__
    query = (select(*(table.c[name] for name in EventRow._fields))
             .where(table.c.evaluation_id == evaluation_id).order_by(table.c.seq))
    events: list[EventRow] = []
    for rows in session.connection().execute(query).partitions(10_000):  # fetchmany: one call per batch, not per row
        events.extend(map(EventRow._make, rows))
    return events


def chain_head(session: Session, evaluation_id: int) -> str:
    head = session.scalar(
        select(AuditEvent.hash)
        .where(AuditEvent.evaluation_id == evaluation_id)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    return head or GENESIS

