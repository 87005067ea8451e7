"""Criteria, groups and weights: edit, reorder, add, remove, normalise."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.errors import ValidationError
from vendor_eval.scoring.rules import RuleError, check_rule
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member, remove_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Criterion, CriterionGroup, Score
from vendor_eval.vocabulary import ANSWER_TYPES

CRITERION_FIELDS: dict[str, Any] = {
    "name": str, "question": str, "provide": str, "guidance": str, "descriptors": dict, "direction": str, "knockout": bool,
    "knockout_min": (float, type(None)), "is_cost": bool, "scoring_rule": (dict, type(None)),
    "answer_type": str, "answer_unit": str, "answer_min": (float, type(None)), "answer_max": (float, type(None)),
    "choices": list, "answer_integer": bool, "answer_example": str, "scale_min": float, "scale_max": float,
}


MAX_WEIGHT = 1_000_000  # percent; far above any real weight, far below overflow when weights are summed

def check_weight(value: Any, where: str) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"The weight of {where} must be a number, got {value!r}.") from None
    if not math.isfinite(weight) or weight < 0:
        raise ValidationError(f"The weight of {where} must be zero or more, got {value!r}.")
    if weight > MAX_WEIGHT:
        raise ValidationError(f"The weight of {where} must be at most {MAX_WEIGHT:,} (percent), got {value!r}.")
    return weight


def set_criterion_weight(db: Database, ref: Ref, criterion: Ref, weight: Any, actor: str) -> None:
    set_weights(db, ref, {criterion: weight}, actor)


def set_weights(db: Database, ref: Ref, weights: dict[Ref, Any], actor: str, reason: str = "") -> None:
    """Set several criterion weights (percent within their group) in one transaction, e.g. from AHP."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        for criterion_ref, value in weights.items():
            c = get_member(s, Criterion, evaluation.id, criterion_ref)
            weight = check_weight(value, f"criterion {c.name!r}")
            audit.set_field(s, evaluation.id, actor, "criterion", c, "weight", weight, reason)


def set_group_weight(db: Database, ref: Ref, group: Ref, weight: Any, actor: str) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        value = check_weight(weight, f"group {g.name!r}")
        audit.set_field(s, evaluation.id, actor, "group", g, "weight", value)


def normalise_weights(db: Database, ref: Ref, actor: str, group: Ref | None = None) -> None:
    """Rescale to 100 %: the group weights and the criteria within each group (or within one group)."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        groups = [get_member(s, CriterionGroup, evaluation.id, group)] if group is not None else list(evaluation.groups)
        if group is None:
            _rescale(s, evaluation.id, "group", groups, "the criteria groups", actor)
        for g in groups:
            _rescale(s, evaluation.id, "criterion", list(g.criteria), f"group {g.name!r}", actor)


def _rescale(s: Session, evaluation_id: int, entity: str, rows: list[Any], where: str, actor: str) -> None:
    total = sum(r.weight for r in rows)
    if total <= 0:
        raise ValidationError(f"The weights in {where} sum to zero, so they cannot be normalised; give one a positive weight.")
    for r in rows:
        new = r.weight * 100.0 / total
        if not math.isclose(new, r.weight, rel_tol=1e-12):
            audit.record(s, evaluation_id, actor, entity, r.id, "weight", r.weight, new, "normalised to 100 %")
            r.weight = new


def update_criterion(db: Database, ref: Ref, criterion: Ref, actor: str, **changes: Any) -> None:
    """Change a criterion's texts, scale, descriptors, knock-out rule, answer definition or scoring rule."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        _apply_criterion_fields(s, evaluation.id, actor, c, changes)


def _apply_criterion_fields(s: Session, evaluation_id: int, actor: str, c: Criterion, changes: dict[str, Any]) -> None:
    """Set and audit each field, then check the criterion as a whole (a new scale and its pass mark
    arrive together, so they are checked after both are set)."""
    for field, value in changes.items():
        if field not in CRITERION_FIELDS:
            raise ValidationError(f"{field!r} cannot be edited on a criterion; editable fields are {', '.join(CRITERION_FIELDS)}.")
        if isinstance(value, int) and not isinstance(value, bool) and CRITERION_FIELDS[field] is not bool:
            value = float(value)
        if not isinstance(value, CRITERION_FIELDS[field]):
            raise ValidationError(f"The criterion field {field!r} got {value!r}, which has the wrong type.")
        _check_criterion_field(c, field, value)
        if field == "name" and value != c.name:
            _check_name_free(s, evaluation_id, value)
        audit.set_field(s, evaluation_id, actor, "criterion", c, field, value)
    if c.scale_max <= c.scale_min:
        raise ValidationError(f"The scale of {c.name!r} needs its maximum above its minimum, "
                              f"got {c.scale_min:g}-{c.scale_max:g}.")
    if c.knockout and c.knockout_min is None:
        raise ValidationError(f"Knock-out criterion {c.name!r} needs the minimum score that passes (knockout_min).")
    if c.knockout_min is not None and not c.scale_min <= c.knockout_min <= c.scale_max:
        raise ValidationError(f"The knock-out minimum of {c.name!r} must lie on its scale "
                              f"{c.scale_min:g}-{c.scale_max:g}, got {c.knockout_min:g}.")
    if "scale_min" in changes or "scale_max" in changes:
        outside = s.scalar(select(func.count()).where(
            Score.criterion_id == c.id, (Score.value < c.scale_min) | (Score.value > c.scale_max))) or 0
        if outside:
            raise ValidationError(f"{outside} score(s) of {c.name!r} lie outside the new scale "
                                  f"{c.scale_min:g}-{c.scale_max:g}; change or clear them first.")


def _check_name_free(s: Session, evaluation_id: int, name: str) -> None:
    if s.scalar(select(Criterion.id).where(Criterion.evaluation_id == evaluation_id, Criterion.name == name)):
        raise ValidationError(f"There is already a criterion named {name!r}.")


def _check_criterion_field(c: Criterion, field: str, value: Any) -> None:
    if field == "name" and not value.strip():
        raise ValidationError("A criterion needs a name.")
    if field == "direction" and value not in ("max", "min"):
        raise ValidationError(f"A criterion's direction is 'max' or 'min', got {value!r}.")
    if field == "answer_type" and value not in ANSWER_TYPES:
        raise ValidationError(f"Answer type must be one of {', '.join(ANSWER_TYPES)}, got {value!r}.")
    if field in ("scale_min", "scale_max") and not math.isfinite(value):
        raise ValidationError(f"The scale of {c.name!r} must be finite numbers, got {value!r}.")
    if field == "scoring_rule":
        try:
            check_rule(value)
        except RuleError as exc:
            raise ValidationError(f"The scoring rule of {c.name!r} is not valid: {exc}.") from None


def update_group(db: Database, ref: Ref, group: Ref, actor: str, name: str | None = None,
                 description: str | None = None) -> None:
    """Rename a criteria group or change its description."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        if name is not None:
            name = name.strip()
            if not name:
                raise ValidationError("A criteria group needs a name.")
            if any(x.name == name and x.id != g.id for x in evaluation.groups):
                raise ValidationError(f"There is already a group named {name!r}.")
            audit.set_field(s, evaluation.id, actor, "group", g, "name", name)
        if description is not None:
            audit.set_field(s, evaluation.id, actor, "group", g, "description", description.strip())


def remove_group(db: Database, ref: Ref, group: Ref, actor: str) -> None:
    """Remove a criteria group with its criteria and their scores (the audit trail keeps the counts)."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        ids = [c.id for c in g.criteria]
        dropped = (s.scalar(select(func.count()).where(Score.criterion_id.in_(ids))) or 0) if ids else 0
        audit.record(s, evaluation.id, actor, "group", g.id, "deleted", g.name, None,
                     f"{len(ids)} criteria and {dropped} scores removed")
        s.delete(g)
        s.flush()
        for i, x in enumerate(x for x in evaluation.groups if x.id != g.id):
            x.position = i


def move_group(db: Database, ref: Ref, group: Ref, position: int, actor: str) -> None:
    """Move a criteria group to another position in the tree."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        others = [x for x in evaluation.groups if x.id != g.id]
        position = max(0, min(position, len(others)))
        old_position = g.position
        others.insert(position, g)
        for i, x in enumerate(others):
            x.position = i
        if old_position != position:
            audit.record(s, evaluation.id, actor, "group", g.id, "position", old_position, position)


def add_group(db: Database, ref: Ref, name: str, actor: str, weight: float = 0.0, description: str = "") -> int:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        if not name.strip():
            raise ValidationError("A criteria group needs a name.")
        if any(g.name == name for g in evaluation.groups):
            raise ValidationError(f"There is already a group named {name!r}.")
        g = CriterionGroup(evaluation_id=evaluation.id, name=name, description=description,
                           weight=check_weight(weight, f"group {name!r}"), position=len(evaluation.groups))
        s.add(g)
        s.flush()
        audit.record(s, evaluation.id, actor, "group", g.id, "created", None, name)
        return g.id


def add_criterion(db: Database, ref: Ref, group: Ref, name: str, actor: str, weight: float = 0.0,
                  scale_min: float = 0.0, scale_max: float = 5.0, key: str | None = None, **details: Any) -> int:
    """Add a criterion at the end of a group; details are the fields update_criterion takes
    (question, guidance, knock-out, scoring rule...), set in the same transaction."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        if not name.strip():
            raise ValidationError("A criterion needs a name.")
        name = name.strip()
        _check_name_free(s, evaluation.id, name)
        if scale_max <= scale_min:
            raise ValidationError(f"A scale needs its maximum above its minimum, got {scale_min:g}..{scale_max:g}.")
        keys = set(s.scalars(select(Criterion.key).where(Criterion.evaluation_id == evaluation.id)))
        if key is None:  # the next free custom key: a removed criterion leaves a gap, never a clash
            key = next(f"custom.{n}" for n in range(len(keys) + 1, 2 * len(keys) + 2) if f"custom.{n}" not in keys)
        elif key in keys:
            raise ValidationError(f"There is already a criterion with the key {key!r}.")
        c = Criterion(evaluation_id=evaluation.id, group_id=g.id, key=key, name=name,
                      weight=check_weight(weight, f"criterion {name!r}"), scale_min=float(scale_min),
                      scale_max=float(scale_max), descriptors={}, choices=[], position=len(g.criteria))
        s.add(c)
        s.flush()
        audit.record(s, evaluation.id, actor, "criterion", c.id, "created", None, {"name": name, "group": g.name})
        _apply_criterion_fields(s, evaluation.id, actor, c, details)
        return c.id


def remove_criterion(db: Database, ref: Ref, criterion: Ref, actor: str) -> int:
    """Remove a criterion and its scores; returns how many scores went (also on record)."""
    return remove_member(db, ref, Criterion, criterion, actor)


def move_criterion(db: Database, ref: Ref, criterion: Ref, position: int, actor: str, group: Ref | None = None) -> None:
    """Move a criterion to a position within its group, or into another group."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        source = c.group
        target = get_member(s, CriterionGroup, evaluation.id, group) if group is not None else source
        siblings = [x for x in source.criteria if x.id != c.id]
        if target.id != source.id:
            for i, x in enumerate(siblings):
                x.position = i
            siblings = [x for x in target.criteria if x.id != c.id]
            audit.record(s, evaluation.id, actor, "criterion", c.id, "group", source.name, target.name)
            c.group_id = target.id
        position = max(0, min(position, len(siblings)))
        siblings.insert(position, c)
        old_position = c.position
        for i, x in enumerate(siblings):
            x.position = i
        if old_position != position:
            audit.record(s, evaluation.id, actor, "criterion", c.id, "position", old_position, position)
