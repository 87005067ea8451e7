"""Finalise an evaluation (freeze its ranking, make it read-only) and reopen it, on record.

Finalising records who and when, freezes the ranking as JSON in Evaluation.frozen_result
and anchors the audit chain: frozen_result["audit_anchor"] holds the seq and hash of the
last event written by finalise, so services.integrity.verify can tell when the newest
events were deleted afterwards. The anchored event also carries the SHA-256 of the frozen
ranking, which puts the frozen result itself under the hash chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vendor_eval import domain
from vendor_eval.errors import ConflictError, ReadOnlyError, UserError, ValidationError
from vendor_eval.scoring.engine import MissingScores, disagreement_snapshot, rank_snapshot
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.services.ranking import rank_evaluation
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import AuditEvent, utcnow

FROZEN_FORMAT = 1
REOPENED_STATUS = "scoring"


@dataclass(frozen=True)
class Finalised:
    evaluation: str
    finalised_by: str
    finalised_at: datetime
    winner: str | None
    audit_head: str


def ranking_digest(ranking: dict[str, Any] | None) -> str:
    """SHA-256 of the frozen ranking in canonical JSON (sorted keys), as recorded in the trail."""
    payload = json.dumps(ranking, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Check:
    """One line of the check before finalising: a blocker stops it, a warning is for the committee to weigh."""

    level: str  # "blocker" | "warning" | "ok"
    text: str
    fix: str = ""  # where to fix it: "settings" (missing-score policy), "scoring", "committee", "criteria", ""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def finalise_checks(snap: domain.Snapshot) -> list[Check]:
    """What stands between this evaluation and a frozen ranking, blockers first; computed on the
    snapshot so the window can show it before asking "Freeze the ranking?"."""
    checks: list[Check] = []
    if snap.evaluation.status == "finalised":
        return [Check("blocker", f"Evaluation {snap.evaluation.name!r} is already finalised.")]
    try:
        result = rank_snapshot(snap)
    except MissingScores as exc:
        checks.append(Check("blocker", f"{_count(len(exc.cells), 'cell has', 'cells have')} no score and the missing-score policy is "
                            f"'block' (e.g. {exc.cells[0].describe()}). Score them, or change the policy in "
                            "the evaluation settings.", "settings"))
        result = None
    except UserError as exc:
        checks.append(Check("blocker", f"The ranking cannot be computed: {exc}"))
        result = None
    if result is not None:
        if result.winner is not None:
            checks.append(Check("ok", f"The ranking computes: {result.winner.name} leads with "
                                      f"{result.winner.score:.2f} ({result.score_scale})."))
        else:
            checks.append(Check("warning", "Every vendor is disqualified by a knock-out: the frozen ranking "
                                           "will have no winner.", "scoring"))
        if result.missing:
            checks.append(Check("warning", f"{_count(len(result.missing), 'cell has', 'cells have')} no score; the "
                                           f"'{snap.evaluation.missing_policy}' policy decides how they count.",
                                "settings"))
    pending = [e.name for e in snap.evaluators if e.submitted_at is None]
    if pending:
        checks.append(Check("warning", f"{len(pending)} of {_count(len(snap.evaluators), 'evaluator', 'evaluators')} "
                                       f"{'has' if len(pending) == 1 else 'have'} not submitted "
                                       f"their scores: {', '.join(pending)}.", "scoring"))
    declared = {d.evaluator_id for d in snap.declarations}
    undeclared = [e.name for e in snap.evaluators if e.id not in declared]
    if undeclared:
        checks.append(Check("warning", "No conflict-of-interest declaration from " + ", ".join(undeclared) + "."))
    if snap.vendors and snap.criteria and len(snap.evaluators) > 1:
        try:
            flagged = disagreement_snapshot(snap).flagged()
        except UserError:
            flagged = ()
        settled = {(c.vendor_id, c.criterion_id) for c in snap.consensus}
        open_cells = [c for c in flagged if c.band == "must_discuss" and (c.vendor_id, c.criterion_id) not in settled]
        if open_cells:
            checks.append(Check("warning", f"{_count(len(open_cells), 'cell must be discussed and has', 'cells must be discussed and have')} "
                                           f"no consensus score yet (e.g. {open_cells[0].vendor}, {open_cells[0].criterion}).",
                                "committee"))
    gsum = sum(g.weight for g in snap.groups)
    if snap.groups and abs(gsum - 100.0) >= 0.05:
        checks.append(Check("warning", f"The group weights sum to {gsum:.1f} %, not 100 %; the ranking uses "
                                       "them as proportions.", "criteria"))
    if not any(c.level != "ok" for c in checks):
        checks.append(Check("ok", "Nothing else stands in the way."))
    order = {"blocker": 0, "warning": 1, "ok": 2}
    return sorted(checks, key=lambda c: order[c.level])


def check_finalise(db: Database, ref: Ref) -> list[Check]:
    """finalise_checks on the evaluation as stored."""
    return finalise_checks(load_snapshot(db, ref))


def _require(text: str | None, what: str) -> str:
    if text is None or not text.strip():
        raise ValidationError(f"{what} is required.")
    return text.strip()


def _current_ranking(db: Database, ref: Ref) -> tuple[dict[str, Any], str | None, str]:
    """The ranking as JSON (the evaluation's own method settings), its winner, and how it was computed."""
    result = rank_evaluation(db, ref)
    winner = result.winner.name if result.winner is not None else None
    variant = "; ".join(f"{k}: {v}" for k, v in result.variant.items())
    return result.as_json(), winner, f"{result.method} ranking ({variant})"


def finalise(db: Database, ref: Ref, by: str) -> Finalised:
    """Freeze the ranking and make the evaluation read-only; refused when already finalised."""
    by = _require(by, "The name of the person finalising")
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        _refuse_if_finalised(evaluation.name, evaluation.status, evaluation.finalised_by, evaluation.finalised_at)
        evaluation_id, head_before = evaluation.id, audit.chain_head(s, evaluation.id)
    ranking, winner, note = _current_ranking(db, evaluation_id)
    digest = ranking_digest(ranking)
    with db.write() as s:
        evaluation = get_evaluation(s, evaluation_id)
        _refuse_if_finalised(evaluation.name, evaluation.status, evaluation.finalised_by, evaluation.finalised_at)
        # Every change is audited, so an unchanged head means the ranking was computed on what is frozen.
        if audit.chain_head(s, evaluation_id) != head_before:
            raise ConflictError(f"Evaluation {evaluation.name!r} changed while it was being finalised; finalise it again.")
        now = utcnow()
        audit.record(s, evaluation_id, by, "evaluation", evaluation_id, "status", evaluation.status, "finalised")
        anchor = audit.record(s, evaluation_id, by, "evaluation", evaluation_id, "frozen_result", None,
                              {"sha256": digest, "winner": winner, "note": note})
        evaluation.status, evaluation.finalised_at, evaluation.finalised_by = "finalised", now, by
        evaluation.frozen_result = {
            "format": FROZEN_FORMAT, "finalised_at": now.isoformat(), "finalised_by": by, "note": note,
            "winner": winner, "ranking": ranking, "ranking_sha256": digest, "audit_anchor": _anchor(anchor),
        }
        name = evaluation.name
    with db.read() as s:  # after the commit, whose seal is the new head
        return Finalised(name, by, now, winner, audit.chain_head(s, evaluation_id))


def reopen(db: Database, ref: Ref, by: str, reason: str) -> None:
    """Make a finalised evaluation editable again: only with a reason, and on record."""
    by = _require(by, "The name of the person reopening")
    reason = _require(reason, "A reason for reopening a finalised evaluation")
    with db.write() as s:
        evaluation = get_evaluation(s, ref)
        if evaluation.status != "finalised":
            raise ValidationError(f"Evaluation {evaluation.name!r} is not finalised, so there is nothing to reopen.")
        previous = evaluation.frozen_result or {}
        event = audit.record(s, evaluation.id, by, "evaluation", evaluation.id, "status", "finalised",
                             REOPENED_STATUS, reason)
        evaluation.frozen_result = {
            "format": FROZEN_FORMAT, "reopened_at": utcnow().isoformat(), "reopened_by": by, "reason": reason,
            "previous": {k: previous.get(k) for k in ("finalised_at", "finalised_by", "winner", "ranking_sha256")},
            "audit_anchor": _anchor(event),
        }
        evaluation.status, evaluation.finalised_at, evaluation.finalised_by = REOPENED_STATUS, None, None


def frozen_ranking(db: Database, ref: Ref) -> dict[str, Any] | None:
    """The ranking frozen at finalisation (RankingResult.as_json()), or None when not finalised."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        if evaluation.status != "finalised" or not evaluation.frozen_result:
            return None
        ranking = evaluation.frozen_result.get("ranking")
        return ranking if isinstance(ranking, dict) else None


@dataclass(frozen=True)
class FrozenRanking:
    """What `rank` and `report` show for a finalised evaluation: the ranking frozen then,
    and whether the live rows still reproduce it (problem is None) or not (one sentence)."""

    evaluation: str
    finalised_by: str
    finalised_at: str
    ranking: dict[str, Any]
    problem: str | None


def frozen_view(db: Database, ref: Ref) -> FrozenRanking | None:
    """None when the evaluation is not finalised."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        if evaluation.status != "finalised":
            return None
        name, by = evaluation.name, evaluation.finalised_by or "unknown"
        at = evaluation.finalised_at.strftime("%Y-%m-%d %H:%M UTC") if evaluation.finalised_at else "an unknown date"
        evaluation_id = evaluation.id
    ranking = frozen_ranking(db, evaluation_id) or {}
    return FrozenRanking(name, by, at, ranking, frozen_problem(db, evaluation_id))


def frozen_problem(db: Database, ref: Ref) -> str | None:
    """None when the live rows still reproduce the frozen ranking (or it is not finalised);
    otherwise one sentence saying what differs."""
    frozen = frozen_ranking(db, ref)
    if frozen is None:
        with db.read() as s:
            if get_evaluation(s, ref).status == "finalised":
                return "the evaluation is finalised but its frozen ranking is missing: the frozen result was altered."
        return None
    try:
        live = rank_evaluation(db, ref).as_json()
    except ValidationError as exc:
        return f"the data in the file can no longer be ranked ({exc}), so it does not reproduce the frozen ranking."
    return _ranking_difference(frozen, live)


def _ranking_difference(frozen: dict[str, Any], live: dict[str, Any]) -> str | None:
    def rows(ranking: dict[str, Any]) -> list[tuple[Any, ...]]:
        vendors = ranking.get("vendors")
        if not isinstance(vendors, list):
            return []
        return [(v.get("name"), v.get("rank"), v.get("disqualified"), v.get("score"))
                for v in vendors if isinstance(v, dict)]

    was, now = rows(frozen), rows(live)
    same = len(was) == len(now) and all(
        a[:3] == b[:3] and _close(a[3], b[3]) for a, b in zip(was, now, strict=True))
    if same:
        return None
    first = next(iter(was), None)
    first_now = next(iter(now), None)
    return ("the live data no longer reproduces the frozen ranking: it was finalised with "
            f"{_place(first)} and the rows in the file now give {_place(first_now)}; "
            "the frozen ranking stands and the file was changed outside vendor_eval.")


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return bool(a == b)


def _place(row: tuple[Any, ...] | None) -> str:
    if row is None:
        return "no vendors"
    score = f"{row[3]:.1f} points" if isinstance(row[3], int | float) else "no score"
    return f"{row[0]} first ({score})" + (", disqualified" if row[2] else "")


def _anchor(event: AuditEvent) -> dict[str, Any]:
    return {"seq": event.seq, "hash": event.hash}


def _refuse_if_finalised(name: str, status: str, by: str | None, at: datetime | None) -> None:
    if status == "finalised":
        when = at.strftime("%Y-%m-%d %H:%M UTC") if at else "an unknown date"
        raise ReadOnlyError(f"Evaluation {name!r} is already finalised (by {by} on {when}).")
