"""Deleting a criterion or a criteria group so that undo can put back exactly what went: the rows
as stored (ids, versions and timestamps included) with everything that hangs on them (scores,
consensus, vendors' answers, suggested scores, the link of a condition of award).

Each delete and each restore is one transaction and one audited event ("deleted", "restored").
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval.services.lookup import Ref, editable_evaluation, get_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    Answer,
    AwardCondition,
    Base,
    ConsensusScore,
    Criterion,
    CriterionGroup,
    Score,
    SuggestedScore,
)

Row = dict[str, Any]
# What cascades with a criterion, in the order they go back (each names the criterion by criterion_id).
DEPENDENTS: tuple[type[Score] | type[ConsensusScore] | type[Answer] | type[SuggestedScore], ...] = (
    Score, ConsensusScore, Answer, SuggestedScore)
WORDS = {"criterion": ("criterion", "criteria"), "score": ("score", "scores"),
         "consensus_score": ("consensus score", "consensus scores"), "answer": ("answer", "answers"),
         "suggested_score": ("suggested score", "suggested scores")}


@dataclass(frozen=True)
class Removed:
    """A deleted criterion or group as it was stored."""

    entity: str  # "criterion" or "group"
    name: str
    group: Row | None  # the group row when a whole group went
    group_positions: dict[int, int]  # every group's position before (a group delete renumbers the rest)
    criteria: tuple[Row, ...]
    dependents: tuple[tuple[str, Row], ...]  # (table name, row)
    conditions: tuple[tuple[int, int], ...]  # (award condition, criterion) links the delete cleared

    def counts(self) -> str:
        """What went, in words for the audit trail: "3 criteria, 12 scores, 1 consensus score"."""
        n: dict[str, int] = {"criterion": len(self.criteria)} if self.group is not None else {}
        for table, _ in self.dependents:
            n[table] = n.get(table, 0) + 1
        return ", ".join(f"{count} {WORDS[table][count != 1]}" for table, count in n.items()) or "no scores"


def _row(obj: Base) -> Row:
    return {c.key: copy.deepcopy(getattr(obj, c.key)) for c in obj.__table__.columns}


def _capture(s: Session, entity: str, name: str, criteria: list[Criterion], group: CriterionGroup | None,
             groups: list[CriterionGroup]) -> Removed:
    ids = [c.id for c in criteria]
    dependents: list[tuple[str, Row]] = []
    for model in DEPENDENTS:
        rows = s.scalars(select(model).where(model.criterion_id.in_(ids)).order_by(model.id))
        dependents += [(model.__tablename__, _row(r)) for r in rows]
    linked = s.scalars(select(AwardCondition).where(AwardCondition.criterion_id.in_(ids)).order_by(AwardCondition.id))
    conditions = tuple((a.id, a.criterion_id) for a in linked if a.criterion_id is not None)
    return Removed(entity, name, _row(group) if group is not None else None, {g.id: g.position for g in groups},
                   tuple(_row(c) for c in criteria), tuple(dependents), conditions)


def delete_criterion(db: Database, ref: Ref, criterion: Ref, actor: str) -> Removed:
    """Delete a criterion with its scores, consensus, answers and suggestions; returns what went."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        removed = _capture(s, "criterion", c.name, [c], None, list(evaluation.groups))
        audit.record(s, evaluation.id, actor, "criterion", c.id, "deleted", c.name, None, f"{removed.counts()} removed")
        s.delete(c)
        return removed


def delete_group(db: Database, ref: Ref, group: Ref, actor: str) -> Removed:
    """Delete a criteria group with its criteria and everything on them; returns what went."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        removed = _capture(s, "group", g.name, list(g.criteria), g, list(evaluation.groups))
        audit.record(s, evaluation.id, actor, "group", g.id, "deleted", g.name, None, f"{removed.counts()} removed")
        s.delete(g)
        s.flush()
        for i, x in enumerate(x for x in evaluation.groups if x.id != g.id):
            x.position = i
        return removed


def restore(db: Database, ref: Ref, removed: Removed, actor: str) -> Removed:
    """Put a deleted criterion or group back as it was stored (the undo of a delete), in one transaction.
    The old ids are used again; an id taken meanwhile (by someone else's new row) gets a new one,
    and the returned Removed says which, so that a redo deletes the right rows."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        group_ids: dict[int, int] = {}
        group_row = None
        if removed.group is not None:
            group_row = _insert(s, CriterionGroup, removed.group)
            group_ids[removed.group["id"]] = group_row["id"]
        criterion_ids: dict[int, int] = {}
        criteria = []
        for row in removed.criteria:
            row = {**row, "group_id": group_ids.get(row["group_id"], row["group_id"])}
            get_member(s, CriterionGroup, evaluation.id, row["group_id"])  # its group is still there
            criteria.append(_insert(s, Criterion, row))
            criterion_ids[row["id"]] = criteria[-1]["id"]
        models = {m.__tablename__: m for m in DEPENDENTS}
        dependents = [(table, _insert(s, models[table], {**row, "criterion_id": criterion_ids[row["criterion_id"]]}))
                      for table, row in removed.dependents]
        for condition_id, criterion_id in removed.conditions:
            condition = s.get(AwardCondition, condition_id)
            if condition is not None and condition.criterion_id is None:  # not re-linked meanwhile
                condition.criterion_id = criterion_ids[criterion_id]
        for g in evaluation.groups:  # the other groups back in their places (the restored row has its own)
            if g.id not in group_ids.values():
                g.position = removed.group_positions.get(g.id, g.position)
        entity_id = group_row["id"] if group_row is not None else criteria[0]["id"]
        moved = {old: new for old, new in {**group_ids, **criterion_ids}.items() if old != new}
        note = f"; ids now {', '.join(f'{a} -> {b}' for a, b in moved.items())}" if moved else ""
        audit.record(s, evaluation.id, actor, removed.entity, entity_id, "restored", None, removed.name,
                     f"undo of the delete: {removed.counts()} put back{note}")
        links = tuple((a, criterion_ids[c]) for a, c in removed.conditions)
        return Removed(removed.entity, removed.name, group_row, removed.group_positions, tuple(criteria),
                       tuple(dependents), links)


def _insert(s: Session, model: type[Base], row: Row) -> Row:
    """Add a row with its old id, or a new id when the old one is taken; returns the row as added."""
    values = copy.deepcopy(row)
    if s.get(model, values["id"]) is not None:
        del values["id"]
    obj = model(**values)
    s.add(obj)
    s.flush()
    return _row(obj)
