"""Questionnaires: generate the workbook, import completed ones, and turn answers into suggestions.

Import decisions:

- One transaction per file: a file with any error changes nothing; other files still import.
- The vendor is the one the questionnaire was generated for (--vendor); otherwise the vendor
  whose name or legal name matches the profile's vendor name or legal name (ignoring case and
  spacing); otherwise a new vendor is created under the profile's vendor name, because an
  officer may send the blank questionnaire to bidders before knowing who will answer.
- Re-importing updates what the file says: each changed answer is audited old -> new; an
  answer emptied in the newer file is removed (audited); questions the file has no row for
  are left alone. Profile fields left empty keep their current value.
- Cost lines in the file replace the vendor's lines (audited old -> new); a file with no cost
  lines keeps the current ones and says so.
- The first import of answers is audited as one event (file, size, SHA-256, counts), not one
  event per answer: the QuestionnaireImport row and each answer's import_id hold the detail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from vendor_eval import domain
from vendor_eval.errors import NotFound, UserError, ValidationError
from vendor_eval.io.excel.questionnaire_import import (
    ParsedQuestionnaire,
    QuestionnaireInvalid,
    normalised,
    parse_questionnaire,
)
from vendor_eval.io.excel.questionnaire_template import build_questionnaire
from vendor_eval.io.excel.safety import MAX_FILE_BYTES
from vendor_eval.scoring.rules import RuleError, Scorer, compile_rule
from vendor_eval.services.lookup import Ref, editable_evaluation, ensure_editable, get_evaluation, get_member
from vendor_eval.services.scores import (
    SavedScore,
    ScoreInput,
    record_score,
    record_scores,
)
from vendor_eval.services.snapshot import gc_paused, load_criteria, load_snapshot
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    Answer,
    CostLine,
    Criterion,
    Evaluation,
    Evaluator,
    QuestionnaireImport,
    Score,
    SuggestedScore,
    Vendor,
)

ANSWERS = cast(Table, Answer.__table__)  # Core statements for the bulk paths
SUGGESTIONS = cast(Table, SuggestedScore.__table__)
Progress = Callable[[int, int, str], None]  # (files done, files in total, file being read)
PROFILE_UPDATES = ("legal_name", "contact", "hq_country", "delivery_locations", "deployment_model", "hosting_model",
                   "modalities", "service_types", "certifications", "contract_term_years", "escalation_cap_pct")


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    ok: bool
    dry_run: bool = False
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    vendor: str = ""
    vendor_created: bool = False
    answers_new: int = 0
    answers_changed: int = 0
    answers_cleared: int = 0
    answers_unchanged: int = 0
    profile_changed: tuple[str, ...] = ()
    cost_lines: int | None = None  # None: the vendor's cost lines were left as they were
    suggestions: int = 0
    import_id: int | None = None
    sha256: str = ""

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: not imported, {len(self.errors)} problem(s)."
        verb = "would import" if self.dry_run else "imported"
        who = f"{'new vendor ' if self.vendor_created else ''}{self.vendor}"
        costs = "cost lines kept" if self.cost_lines is None else f"{self.cost_lines} cost line(s)"
        return (f"{self.file_name}: {verb} for {who}: {self.answers_new} new, {self.answers_changed} changed, "
                f"{self.answers_cleared} cleared, {self.answers_unchanged} unchanged answer(s); {costs}; "
                f"{self.suggestions} suggested score(s).")


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back everything it did."""

    def __init__(self, result: ImportResult):
        self.result = result


# --- generate ------------------------------------------------------------------------------


def generate_questionnaire(db: Database, ref: Ref, path: Path, vendor: Ref | None = None) -> Path:
    """Write the questionnaire workbook for an evaluation (pre-filled for one vendor if named)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"A questionnaire is an .xlsx workbook; give a file name ending in .xlsx, not {path.name!r}.")
    snapshot = load_snapshot(db, ref)
    target = None
    if vendor is not None:
        with db.read() as s:
            target_id = get_member(s, Vendor, snapshot.evaluation.id, vendor).id
        target = next(v for v in snapshot.vendors if v.id == target_id)
    try:
        return build_questionnaire(snapshot, path, target)
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.") from None


# --- import --------------------------------------------------------------------------------


def import_questionnaires(db: Database, ref: Ref, paths: Sequence[Path | str], actor: str, dry_run: bool = False,
                          progress: Progress | None = None) -> list[ImportResult]:
    """Import completed questionnaires, each file all-or-nothing; returns one result per file, in order."""
    snapshot = load_criteria(db, ref)
    ensure_editable(snapshot.evaluation)
    scorers = _scorers(snapshot.criteria)
    results: list[ImportResult] = []
    for done, raw_path in enumerate(paths):
        path = Path(raw_path)
        if progress is not None:
            progress(done, len(paths), path.name)
        with gc_paused():  # one file allocates ~4,000 small acyclic objects; rescanning them cost ~15 % CPU
            results.append(_import_one(db, snapshot, scorers, path, actor, dry_run))
    if progress is not None:
        progress(len(paths), len(paths), "")
    return results


def _scorers(criteria: Iterable[domain.Criterion]) -> dict[int, Scorer]:
    """Each criterion's rule checked once per import; a broken rule gives no suggestions (the
    evaluator scores by hand) rather than refusing the vendor's file."""
    scorers = {}
    for c in criteria:
        try:
            scorer = compile_rule(c.scoring_rule)
        except RuleError:
            continue
        if scorer is not None:
            scorers[c.id] = scorer
    return scorers


def _import_one(db: Database, snapshot: domain.Snapshot, scorers: dict[int, Scorer], path: Path, actor: str,
                dry_run: bool) -> ImportResult:
    name = path.name
    try:
        data = read_workbook_file(path)
        parsed = parse_questionnaire(data, name, snapshot.evaluation, snapshot.criteria)
    except QuestionnaireInvalid as exc:
        return ImportResult(name, ok=False, dry_run=dry_run, errors=exc.errors)
    except UserError as exc:
        return ImportResult(name, ok=False, dry_run=dry_run, errors=(str(exc),))
    sha = hashlib.sha256(data).hexdigest()
    try:
        with db.write() as s:
            result = _apply(s, snapshot, scorers, parsed, len(data), sha, actor, dry_run)
            if dry_run:
                raise _DryRun(result)
            return result
    except _DryRun as rolled_back:
        return rolled_back.result
    except UserError as exc:
        return ImportResult(name, ok=False, dry_run=dry_run, errors=(str(exc),))


def read_workbook_file(path: Path) -> bytes:
    """The bytes of an uploaded workbook, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                f"{path.name} is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit for a "
                "questionnaire; remove embedded pictures or attachments and send them separately.")
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a workbook.") from None
    except OSError as exc:
        raise ValidationError(f"{path.name} cannot be read: {exc.strerror or exc}.") from None


def _apply(s: Session, snapshot: domain.Snapshot, scorers: dict[int, Scorer], parsed: ParsedQuestionnaire, size: int,
           sha: str, actor: str, dry_run: bool) -> ImportResult:
    evaluation = editable_evaluation(s, snapshot.evaluation.id)
    warnings = list(parsed.warnings)
    vendor, created = _match_vendor(s, evaluation, parsed, actor)
    profile_changed = [] if created else _update_profile(s, evaluation.id, vendor, parsed.profile, actor)
    if parsed.profile.get("name") and normalised(parsed.profile["name"]) != normalised(vendor.name):
        warnings.append(f"{parsed.file_name}: the profile names the vendor {parsed.profile['name']!r}; "
                        f"it was imported for {vendor.name!r}.")
    record = QuestionnaireImport(evaluation_id=evaluation.id, vendor_id=vendor.id, file_name=parsed.file_name[:500],
                                 file_size=size, sha256=sha, template_version=parsed.template_version,
                                 imported_by=actor)
    s.add(record)
    s.flush()
    criteria = {c.key: c for c in snapshot.criteria}
    counts, answers = _apply_answers(s, evaluation.id, vendor, parsed, criteria, record.id, actor)
    cost_lines = _replace_cost_lines(s, evaluation.id, vendor, parsed, actor)
    if cost_lines is None:
        warnings.append(f"{parsed.file_name}: the Costs sheet is empty; {vendor.name}'s cost lines were kept.")
    suggestions = _suggest(s, vendor.id, snapshot.criteria, scorers, answers, record.id)
    audit.record(s, evaluation.id, actor, "questionnaire_import", record.id, "imported", None, {
        "file": parsed.file_name, "size": size, "sha256": sha, "vendor": vendor.name,
        "template_version": parsed.template_version, **counts,
    })
    return ImportResult(
        parsed.file_name, ok=True, dry_run=dry_run, warnings=tuple(warnings), vendor=vendor.name,
        vendor_created=created, profile_changed=tuple(profile_changed), cost_lines=cost_lines,
        suggestions=suggestions, import_id=None if dry_run else record.id, sha256=sha,
        answers_new=counts["new"], answers_changed=counts["changed"], answers_cleared=counts["cleared"],
        answers_unchanged=counts["unchanged"],
    )


def _match_vendor(s: Session, evaluation: Evaluation, parsed: ParsedQuestionnaire, actor: str) -> tuple[Vendor, bool]:
    """The vendor the file belongs to (see the module notes), created with its profile when new."""
    candidates = s.execute(select(Vendor.id, Vendor.name, Vendor.legal_name)
                           .where(Vendor.evaluation_id == evaluation.id)).all()
    names = {normalised(x) for x in (parsed.profile.get("name", ""), parsed.profile.get("legal_name", "")) if x}
    found = [v for v in candidates if parsed.generated_for and v.name == parsed.generated_for]
    by_name = [v for v in candidates if normalised(v.name) in names]
    by_legal = [v for v in candidates if v.legal_name and normalised(v.legal_name) in names]
    for matches in (found, by_name, by_legal):
        if len(matches) == 1:
            return s.get_one(Vendor, matches[0].id), False
        if len(matches) > 1:
            raise ValidationError(
                f"{parsed.file_name}: the vendor and legal names in the profile match several vendors "
                f"({', '.join(v.name for v in matches)}); generate the questionnaire with --vendor.")
    name = str(parsed.profile.get("name", "")).strip()
    if not name:
        raise ValidationError(f"{parsed.file_name}: the vendor profile gives no vendor name.")
    profile = {k: parsed.profile[k] for k in PROFILE_UPDATES if k in parsed.profile}
    vendor = Vendor(evaluation_id=evaluation.id, name=name, position=len(candidates), **profile)
    s.add(vendor)
    s.flush()
    # One event with the whole profile, as vendors.add_vendor records it.
    audit.record(s, evaluation.id, actor, "vendor", vendor.id, "created", None, {"name": name, **profile},
                 f"from questionnaire {parsed.file_name}")
    return vendor, True


def _update_profile(s: Session, evaluation_id: int, vendor: Vendor, profile: dict[str, Any], actor: str) -> list[str]:
    """Profile fields the file fills in and that differ, each audited; empty fields keep their value."""
    changed = []
    for key in PROFILE_UPDATES:
        if key not in profile:
            continue
        old, new = getattr(vendor, key), profile[key]
        if old != new:
            audit.record(s, evaluation_id, actor, "vendor", vendor.id, key, old, new, "questionnaire import")
            setattr(vendor, key, new)
            changed.append(key)
    return changed


def _apply_answers(s: Session, evaluation_id: int, vendor: Vendor, parsed: ParsedQuestionnaire,
                   criteria: dict[str, domain.Criterion], import_id: int,
                   actor: str) -> tuple[dict[str, int], dict[int, Any]]:
    """Apply the file's answers; returns the counts and every answer the vendor now has (criterion id -> value).

    Plain Core rows, not ORM objects: a re-import compares hundreds of answers and changes few."""
    table = ANSWERS
    existing = {row.criterion_id: row for row in s.execute(
        select(table.c.id, table.c.criterion_id, table.c.value, table.c.evidence, table.c.attachment_ref)
        .where(table.c.vendor_id == vendor.id))}
    final = {cid: row.value for cid, row in existing.items()}
    counts = {"new": 0, "changed": 0, "cleared": 0, "unchanged": 0}
    fresh: list[dict[str, Any]] = []
    events: list[tuple[str, int | None, str, Any, Any, str]] = []  # appended to the trail together, in order
    for answer in parsed.answers:
        c = criteria[answer.key]
        new = {"value": answer.value, "evidence": answer.evidence, "attachment_ref": answer.attachment_ref}
        empty = answer.value is None and not answer.evidence and not answer.attachment_ref
        row = existing.get(c.id)
        if row is None:
            if not empty:
                fresh.append({"vendor_id": vendor.id, "criterion_id": c.id, "import_id": import_id, **new})
                final[c.id] = answer.value
                counts["new"] += 1
            continue
        who = {"vendor": vendor.name, "criterion": c.key}
        if empty:
            events.append(("answer", row.id, "cleared", {**who, "value": row.value}, None, parsed.file_name))
            s.execute(table.delete().where(table.c.id == row.id))
            del final[c.id]
            counts["cleared"] += 1
            continue
        changed = {key: value for key, value in new.items() if getattr(row, key) != value}
        for key, value in changed.items():
            events.append(("answer", row.id, key, {**who, key: getattr(row, key)}, {**who, key: value},
                           parsed.file_name))
        if changed:
            s.execute(table.update().where(table.c.id == row.id).values(import_id=import_id, **changed))
            final[c.id] = answer.value
        counts["changed" if changed else "unchanged"] += 1
    if fresh:
        s.execute(table.insert(), fresh)
    audit.record_many(s, evaluation_id, actor, events)
    return counts, final


def _replace_cost_lines(s: Session, evaluation_id: int, vendor: Vendor, parsed: ParsedQuestionnaire,
                        actor: str) -> int | None:
    if not parsed.cost_lines:
        return None
    old_rows = list(s.scalars(select(CostLine).where(CostLine.vendor_id == vendor.id)
                              .order_by(CostLine.position, CostLine.id)))
    old = [{k: getattr(r, k) for k in domain.COST_LINE_FIELDS} for r in old_rows]
    new = [{k: getattr(line, k) for k in domain.COST_LINE_FIELDS} for line in parsed.cost_lines]
    if old != new:
        s.execute(delete(CostLine).where(CostLine.vendor_id == vendor.id))
        s.execute(insert(CostLine), [{"vendor_id": vendor.id, "position": i, **line} for i, line in enumerate(new)])
        audit.record(s, evaluation_id, actor, "cost_lines", vendor.id, "replaced", old or None, new, parsed.file_name)
    return len(new)


def _suggest(s: Session, vendor_id: int, criteria: Sequence[domain.Criterion], scorers: dict[int, Scorer],
             answers: dict[int, Any], import_id: int) -> int:
    """Recompute the vendor's suggested scores from all its answers (derived data, not audited);
    only the suggestions that differ are written, so an unchanged re-import writes nothing."""
    wanted: dict[int, tuple[float, str]] = {}
    for c in criteria:
        scorer = scorers.get(c.id)
        suggestion = scorer(answers.get(c.id)) if scorer is not None else None
        if suggestion is not None:
            wanted[c.id] = (min(max(suggestion.value, c.scale_min), c.scale_max), suggestion.explanation[:500])
    current = {row.criterion_id: (row.value, row.explanation) for row in s.execute(
        select(SuggestedScore.criterion_id, SuggestedScore.value, SuggestedScore.explanation)
        .where(SuggestedScore.vendor_id == vendor_id))}
    stale = [cid for cid, old in current.items() if wanted.get(cid) != old]
    if stale:
        s.execute(delete(SuggestedScore).where(SuggestedScore.vendor_id == vendor_id,
                                               SuggestedScore.criterion_id.in_(stale)))
    fresh = [{"vendor_id": vendor_id, "criterion_id": cid, "value": value, "explanation": why, "import_id": import_id}
             for cid, (value, why) in wanted.items() if current.get(cid) != (value, why)]
    if fresh:
        s.execute(SUGGESTIONS.insert(), fresh)
    return len(wanted)


# --- suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionRow:
    vendor: str
    criterion_key: str
    criterion: str
    value: float
    explanation: str
    answer: Any


@dataclass(frozen=True)
class AcceptSummary:
    accepted: int
    skipped: tuple[str, ...] = field(default_factory=tuple)


def list_suggestions(db: Database, ref: Ref) -> list[SuggestionRow]:
    snap = load_snapshot(db, ref)
    vendors = {v.id: v for v in snap.vendors}
    criteria = {c.id: c for c in snap.criteria}
    answers = {(a.vendor_id, a.criterion_id): a.value for a in snap.answers}
    rows = [
        SuggestionRow(vendors[x.vendor_id].name, criteria[x.criterion_id].key, criteria[x.criterion_id].name,
                      x.value, x.explanation, answers.get((x.vendor_id, x.criterion_id)))
        for x in snap.suggestions
    ]
    order_v = {v.id: i for i, v in enumerate(snap.vendors)}
    order_c = {c.key: i for i, c in enumerate(snap.criteria)}
    by_name = {v.name: v.id for v in snap.vendors}
    return sorted(rows, key=lambda r: (order_v[by_name[r.vendor]], order_c[r.criterion_key]))


def accept_suggestion(db: Database, ref: Ref, evaluator: Ref, vendor: Ref, criterion: Ref, actor: str) -> SavedScore:
    """Make the suggested score the evaluator's own score (through record_score: audited, checked)."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        e = get_member(s, Evaluator, evaluation.id, evaluator)
        v = get_member(s, Vendor, evaluation.id, vendor)
        c = get_member(s, Criterion, evaluation.id, criterion)
        suggestion = s.scalar(select(SuggestedScore).where(SuggestedScore.vendor_id == v.id,
                                                           SuggestedScore.criterion_id == c.id))
        if suggestion is None:
            raise NotFound(f"There is no suggested score for {v.name} on {c.name!r}.")
        current = s.scalar(select(Score).where(Score.evaluator_id == e.id, Score.vendor_id == v.id,
                                               Score.criterion_id == c.id))
        ids, value, explanation = (evaluation.id, e.id, v.id, c.id), suggestion.value, suggestion.explanation
    # Keep an evaluator's own justification; an empty one gets the rule's explanation.
    comment = f"Accepted the suggested score ({explanation})." if current is None or not current.comment else None
    return record_score(db, ids[0], ids[1], ids[2], ids[3], value, actor, comment=comment)


def accept_all_suggestions(db: Database, ref: Ref, evaluator: Ref, actor: str, overwrite: bool = False) -> AcceptSummary:
    """Accept every suggestion the evaluator has not scored yet (or all of them with overwrite), as one
    all-or-nothing action through record_scores; vendors the evaluator declared a conflict with are
    skipped and named."""
    snap = load_snapshot(db, ref)
    with db.read() as s:
        e = get_member(s, Evaluator, snap.evaluation.id, evaluator)
    mine = {(x.vendor_id, x.criterion_id): x for x in snap.scores.rows(snap.scores.evaluator_id == e.id)}
    declared = [d for d in snap.declarations if d.evaluator_id == e.id]
    conflicted = set(declared[-1].vendor_ids) if declared else set()  # the latest declaration counts
    vendors = {v.id: v.name for v in snap.vendors}
    cells, skipped = [], []
    for x in _in_order(snap, snap.suggestions):
        current = mine.get((x.vendor_id, x.criterion_id))
        if current is not None and not overwrite:
            continue
        if x.vendor_id in conflicted:
            skipped.append(f"{vendors[x.vendor_id]}: {e.name} declared a conflict of interest with this vendor")
            continue
        comment = None if current is not None and current.comment else f"Accepted the suggested score ({x.explanation})."
        cells.append(ScoreInput(e.id, x.vendor_id, x.criterion_id, x.value, comment))
    accepted = record_scores(db, snap.evaluation.id, cells, actor) if cells else 0
    return AcceptSummary(accepted, tuple(dict.fromkeys(skipped)))


def _in_order(snap: domain.Snapshot, items: Iterable[domain.SuggestionEntry]) -> list[domain.SuggestionEntry]:
    return sorted(items, key=lambda x: (snap.index_of("vendor", x.vendor_id), snap.index_of("criterion", x.criterion_id)))
