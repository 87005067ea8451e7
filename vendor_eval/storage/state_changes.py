"""What a transaction changes in the decision state, as it happens: for each evaluation and
table, the sum of the hashes of the rows as they are after a write minus the rows as they
were before it (storage.decision_state). The seal at commit (storage.audit) moves the previous
seal by these deltas instead of re-reading every row, so its cost follows the rows changed.

The app writes through two doors, and both are watched:
- the ORM's flush: the rows of dirty and deleted objects are read before it (and before an
  UPDATE or DELETE of an object not seen then, such as an orphan), with the rows the database
  deletes or sets to NULL through its foreign keys; after it they are read again, with the
  inserted ones;
- Core INSERT, UPDATE and DELETE statements run through the session (the bulk paths of the
  imports): the rows their WHERE clause matches are read before and after; an INSERT returns
  the ids it made.
Reading the same set of rows before and after a write gives its exact delta, whatever the
write did to them. A row changed any other way (SQL behind the app's back) is in no delta: the
next seal does not absorb it, and verify, which recomputes from every row, keeps reporting it.
A write whose rows cannot be told (INSERT ... SELECT, a WHERE with a list of parameters)
asks the seal for a full computation instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Result
from sqlalchemy.orm import ORMExecuteState, Session

from vendor_eval.storage.decision_state import row_hashes, state_tables
from vendor_eval.storage.models import Base, Evaluation

DELTAS, FULL, FLUSH, FLUSHED = "state_deltas", "state_full", "state_flush", "state_flushed"
Rows = dict[Table, set[int]]


def take(session: Session) -> tuple[dict[int, dict[str, int]], bool, set[int]]:
    """The deltas gathered since the last call (evaluation -> table -> delta), whether a write
    asked for a full computation, and the evaluations whose rows an ORM flush changed (they are
    due a seal even without an event; a Core write alone, such as storage.transfer's copy of
    rows and events, is not); all are reset."""
    return session.info.pop(DELTAS, {}), bool(session.info.pop(FULL, False)), session.info.pop(FLUSHED, set())


def _table_of(target: object) -> Table | None:
    table = Base.metadata.tables.get(getattr(target, "name", ""))
    return table if table is not None and table in state_tables() else None


def _apply(session: Session, rows: Rows, sign: int, lock: bool = False) -> None:
    deltas: dict[int, dict[str, int]] = session.info.setdefault(DELTAS, {})
    flushed: set[int] | None = session.info.setdefault(FLUSHED, set()) if FLUSH in session.info else None
    for table, ids in rows.items():
        for evaluation_id, _row, digest in row_hashes(session, table, ids, lock):
            if flushed is not None:
                flushed.add(evaluation_id)
            per_table = deltas.setdefault(evaluation_id, {})
            per_table[table.name] = per_table.get(table.name, 0) + sign * digest


def _merge(into: Rows, more: Rows) -> Rows:
    for table, ids in more.items():
        into.setdefault(table, set()).update(ids)
    return into


def _through_foreign_keys(session: Session, deleted: Rows) -> tuple[Rows, Rows]:
    """The rows the database deletes (ON DELETE CASCADE) or changes (SET NULL) with `deleted`.
    A deleted evaluation is not followed: it is not sealed again, and its rows go with it."""
    cascaded: Rows = {}
    nulled: Rows = {}
    frontier = [(t, set(ids)) for t, ids in deleted.items() if t.name != Evaluation.__tablename__]
    connection = session.connection()
    while frontier:
        parent, ids = frontier.pop()
        for child in state_tables():
            for fk in child.foreign_keys:
                if fk.column.table is not parent or fk.ondelete not in ("CASCADE", "SET NULL"):
                    continue
                (pk,) = child.primary_key.columns
                found: set[int] = set()
                listed = sorted(ids)
                for start in range(0, len(listed), 500):
                    found.update(connection.execute(
                        select(pk).where(fk.parent.in_(listed[start:start + 500]))).scalars())
                if fk.ondelete == "SET NULL":
                    nulled.setdefault(child, set()).update(found)
                    continue
                new = found - cascaded.get(child, set()) - deleted.get(child, set())
                if new:
                    cascaded.setdefault(child, set()).update(new)
                    frontier.append((child, new))
    return cascaded, nulled


def _rows_of(objects: Iterable[Any]) -> Rows:
    rows: Rows = {}
    for obj in objects:
        mapper = inspect(obj).mapper
        table = _table_of(mapper.local_table)
        (key,) = mapper.primary_key_from_instance(obj)  # set by an INSERT before the identity is
        if table is not None and key is not None:
            rows.setdefault(table, set()).add(int(key))
    return rows


def _before_write(session: Session, changed: Rows, deleted: Rows) -> Rows:
    """Subtract the rows a write is about to change or delete; returns the rows to read again
    after it (the changed ones and those its deletes set to NULL)."""
    cascaded, nulled = _through_foreign_keys(session, deleted) if deleted else ({}, {})
    _apply(session, _merge(_merge({}, changed), deleted), -1, lock=True)
    _apply(session, _merge(cascaded, nulled), -1)
    return _merge(_merge({}, changed), nulled)


# --- the ORM's flush ---------------------------------------------------------------------------


@sa_event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    changed, deleted = _rows_of(dirty), _rows_of(session.deleted)
    seen = _merge(_merge({}, changed), deleted)
    flush: dict[str, Rows] = {"seen": seen, "again": {}, "inserted": {}}
    session.info[FLUSH] = flush
    flush["again"] = _before_write(session, changed, deleted)


def _unseen(target: Any) -> tuple[Session, dict[str, Rows], Rows] | None:
    """The flush's bookkeeping and the target's row, when the flush has not read it yet."""
    session = Session.object_session(target)
    flush = session.info.get(FLUSH) if session is not None else None
    rows = _rows_of([target])
    if session is None or flush is None or not rows:
        return None
    ((table, ids),) = rows.items()
    if ids <= flush["seen"].get(table, set()):
        return None
    _merge(flush["seen"], rows)
    return session, flush, rows


@sa_event.listens_for(Base, "before_update", propagate=True)
def _before_update(_mapper: Any, _connection: Any, target: Any) -> None:
    unseen = _unseen(target)
    if unseen is not None:
        session, flush, rows = unseen
        _merge(flush["again"], _before_write(session, rows, {}))


@sa_event.listens_for(Base, "before_delete", propagate=True)
def _before_delete(_mapper: Any, _connection: Any, target: Any) -> None:
    unseen = _unseen(target)  # an orphan, or a delete cascaded by the ORM during the flush
    if unseen is not None:
        session, flush, rows = unseen
        _merge(flush["again"], _before_write(session, {}, rows))


@sa_event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(_mapper: Any, _connection: Any, target: Any) -> None:
    session = Session.object_session(target)
    flush = session.info.get(FLUSH) if session is not None else None
    if flush is not None:
        _merge(flush["inserted"], _rows_of([target]))


@sa_event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    flush = session.info.get(FLUSH)
    if flush is not None:
        _apply(session, _merge(flush["again"], flush["inserted"]), +1)
        del session.info[FLUSH]


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args: Any) -> None:
    for key in (DELTAS, FULL, FLUSH, FLUSHED):
        session.info.pop(key, None)


# --- Core statements through the session --------------------------------------------------------


@sa_event.listens_for(Session, "do_orm_execute")
def _core_write(state: ORMExecuteState) -> Result[Any] | None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    statement: Any = state.statement
    table = _table_of(getattr(statement, "table", None))
    if table is None:
        return None  # the audit trail itself, or not a table of the decision state
    session = state.session
    (pk,) = table.primary_key.columns
    parameters: Any = state.parameters
    many = isinstance(parameters, list)
    if state.is_insert:
        if getattr(statement, "select", None) is not None or statement._returning:
            session.info[FULL] = True
            return None
        result = state.invoke_statement(statement=statement.returning(pk, sort_by_parameter_order=True))
        frozen = result.freeze()
        _apply(session, {table: set(frozen().scalars())}, +1)
        return frozen()
    where = statement.whereclause
    if many and where is None and state.is_update:  # ORM bulk UPDATE by primary key
        ids = {int(p[pk.key]) for p in parameters}
    elif many:
        session.info[FULL] = True
        return None
    else:
        query = select(pk) if where is None else select(pk).where(where)
        ids = set(session.connection().execute(query, parameters or {}).scalars())
    rows: Rows = {table: ids}
    again = _before_write(session, rows, {}) if state.is_update else _before_write(session, {}, rows)
    result = state.invoke_statement()
    _apply(session, again, +1)
    return result
