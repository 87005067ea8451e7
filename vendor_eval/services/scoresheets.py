"""Scoresheets: a workbook per evaluator who scores outside the app, issued and imported back.

Decisions:

- Issuing records a ScoresheetIssue (audited): a random token the file must carry back, and
  the evaluator's scores as they stood (value, comment, version). The file's hidden identity
  is only a claim: an import whose issue id, evaluator or token does not match is refused.
- Blind: the sheet holds the evaluator's own scores only. Two-envelope: technical evaluators
  get no price/cost criteria, commercial ones only those. Vendors named in the evaluator's
  declaration in force get no column.
- Import is all or nothing per file, in one transaction: the declaration on the sheet (a new,
  appended declaration when it differs from the one in force), the scores, and the evaluator
  marked submitted when the sheet says so. Every problem is reported with its cell.
- A score changed in the app since the sheet was issued is never overwritten: when the sheet
  also changed it, that cell is a conflict (an error); when the sheet left it as issued, the
  app's value stays and a note says so. An empty score cell keeps the score the app has.
- Each score written is audited with the file name and its SHA-256, as is the import itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval import domain
from vendor_eval.errors import NotFound, UserError, ValidationError
from vendor_eval.io.excel.questionnaire_import import normalised
from vendor_eval.io.excel.scoresheet_import import ParsedScoresheet, ScoresheetInvalid, parse_scoresheet
from vendor_eval.io.excel.scoresheet_template import ScoresheetSpec, SheetScore, build_scoresheet, sheet_digest
from vendor_eval.services.lookup import Ref, editable_evaluation, ensure_editable, get_member
from vendor_eval.services.questionnaires import read_workbook_file
from vendor_eval.services.scores import ScoreInput, write_scores_in
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import ConflictDeclaration, Evaluator, Score, ScoresheetIssue, utcnow

Progress = Callable[[int, int, str], None]
ANSWER_CHARS = 1_000


@dataclass(frozen=True)
class ScoresheetResult:
    file_name: str
    ok: bool
    dry_run: bool = False
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    evaluator: str = ""
    scores_new: int = 0
    scores_changed: int = 0
    scores_unchanged: int = 0
    declaration_recorded: bool = False
    submitted: bool = False
    sha256: str = ""
    vendor_created: bool = False  # the import wizard's columns are shared with questionnaires

    @property
    def vendor(self) -> str:
        return f"scoresheet of {self.evaluator}" if self.evaluator else "scoresheet"

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: not imported, {len(self.errors)} problem(s)."
        verb = "would import" if self.dry_run else "imported"
        extra = ("; declaration recorded" if self.declaration_recorded else "") + (
            "; marked submitted" if self.submitted else "")
        return (f"{self.file_name}: {verb} the scoresheet of {self.evaluator}: {self.scores_new} new, "
                f"{self.scores_changed} changed, {self.scores_unchanged} unchanged score(s){extra}.")

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file_name, "kind": "scoresheet", "ok": self.ok, "dry_run": self.dry_run,
                "errors": list(self.errors), "warnings": list(self.warnings), "evaluator": self.evaluator,
                "scores": {"new": self.scores_new, "changed": self.scores_changed, "unchanged": self.scores_unchanged},
                "declaration_recorded": self.declaration_recorded, "submitted": self.submitted, "sha256": self.sha256}


class _DryRun(Exception):
    def __init__(self, result: ScoresheetResult):
        self.result = result


# --- what one evaluator's sheet holds ------------------------------------------------------------


def sheet_criteria(evaluation: domain.EvaluationInfo, evaluator: domain.Evaluator,
                   criteria: Sequence[domain.Criterion]) -> tuple[domain.Criterion, ...]:
    """The criteria this evaluator scores: in two-envelope mode technical evaluators score no
    price or cost criteria and commercial ones only those."""
    if evaluation.two_envelope and evaluator.envelope == "technical":
        return tuple(c for c in criteria if not c.is_cost)
    if evaluation.two_envelope and evaluator.envelope == "commercial":
        return tuple(c for c in criteria if c.is_cost)
    return tuple(criteria)


def _conflicts_in_force(snap: domain.Snapshot, evaluator_id: int) -> set[int]:
    declared = [d for d in snap.declarations if d.evaluator_id == evaluator_id]
    return set(max(declared, key=lambda d: d.id).vendor_ids) if declared else set()


def _answer_text(answer: domain.AnswerEntry) -> str:
    value = answer.value
    if isinstance(value, list):
        text = "; ".join(map(str, value))
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = "" if value is None else str(value)
    if answer.evidence:
        text = f"{text}\n{answer.evidence}" if text else answer.evidence
    return text if len(text) <= ANSWER_CHARS else text[: ANSWER_CHARS - 1] + "…"


def _cell_key(vendor_id: int, criterion_id: int) -> str:
    return f"{vendor_id}:{criterion_id}"


# --- issue ---------------------------------------------------------------------------------------


def issue_scoresheet(db: Database, ref: Ref, evaluator: Ref, path: Path, actor: str) -> Path:
    """Write one evaluator's scoresheet to path and record its issue (one transaction: a file that
    cannot be written leaves no issue behind)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"A scoresheet is an .xlsx workbook; give a file name ending in .xlsx, not {path.name!r}.")
    snap = load_snapshot(db, ref)
    ensure_editable(snap.evaluation)
    with db.read() as s:
        evaluator_id = get_member(s, Evaluator, snap.evaluation.id, evaluator).id
    who = next(e for e in snap.evaluators if e.id == evaluator_id)
    criteria = sheet_criteria(snap.evaluation, who, snap.criteria)
    conflicted = _conflicts_in_force(snap, who.id)
    vendors = tuple(v for v in snap.vendors if v.id not in conflicted)
    wanted = {c.id for c in criteria}
    mine = {(x.vendor_id, x.criterion_id): x for x in snap.scores if x.evaluator_id == who.id}
    baseline = {_cell_key(v, c): [x.value, x.comment, x.version] for (v, c), x in mine.items()}
    token = secrets.token_hex(16)
    with db.write() as s:
        evaluation = editable_evaluation(s, snap.evaluation.id)
        issue = ScoresheetIssue(evaluation_id=evaluation.id, evaluator_id=who.id, token=token, issued_by=actor,
                                criteria_digest=sheet_digest(criteria, vendors), baseline=baseline)
        s.add(issue)
        s.flush()
        spec = ScoresheetSpec(
            evaluation=snap.evaluation, evaluator=who, groups=snap.groups, criteria=criteria, vendors=vendors,
            all_vendors=snap.vendors, issue_id=issue.id, token=token, issued_at=issue.issued_at,
            scores={k: SheetScore(x.value, x.comment) for k, x in mine.items() if k[1] in wanted},
            answers={(a.vendor_id, a.criterion_id): _answer_text(a) for a in snap.answers},
            suggestions={(x.vendor_id, x.criterion_id): f"{x.value:g}: {x.explanation}" for x in snap.suggestions},
        )
        audit.record(s, evaluation.id, actor, "scoresheet", issue.id, "issued", None,
                     {"evaluator": who.name, "file": path.name, "criteria": len(criteria), "vendors": len(vendors)})
        try:
            return build_scoresheet(spec, path)
        except OSError as exc:
            raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def issue_scoresheets(db: Database, ref: Ref, folder: Path, actor: str,
                      evaluators: Sequence[Ref] | None = None) -> list[Path]:
    """One scoresheet per evaluator (all of them, or those named) in folder, named after them."""
    snap = load_snapshot(db, ref)
    with db.read() as s:
        chosen = ([get_member(s, Evaluator, snap.evaluation.id, e).id for e in evaluators] if evaluators is not None
                  else [e.id for e in snap.evaluators])
    if not chosen:
        raise ValidationError("The evaluation has no evaluators to send scoresheets to; add the committee first.")
    names = {e.id: e.name for e in snap.evaluators}
    return [issue_scoresheet(db, snap.evaluation.id, eid, Path(folder) / scoresheet_file_name(snap.evaluation.name,
                                                                                              names[eid]), actor)
            for eid in chosen]


def scoresheet_file_name(evaluation: str, evaluator: str) -> str:
    """'Scoresheet - Teleradiology RFP - Dr Ada Osei.xlsx', without characters file systems refuse."""
    def clean(text: str) -> str:
        return "".join(ch if ch.isalnum() or ch in " .-_" else "_" for ch in text).strip()[:60] or "evaluator"
    return f"Scoresheet - {clean(evaluation)} - {clean(evaluator)}.xlsx"


# --- import --------------------------------------------------------------------------------------


def import_scoresheets(db: Database, ref: Ref, paths: Sequence[Path | str], actor: str, dry_run: bool = False,
                       progress: Progress | None = None) -> list[ScoresheetResult]:
    """Import returned scoresheets, each file all or nothing; one result per file, in order."""
    results = []
    for done, raw in enumerate(paths):
        path = Path(raw)
        if progress is not None:
            progress(done, len(paths), path.name)
        results.append(_import_one(db, ref, path, actor, dry_run))
    if progress is not None:
        progress(len(paths), len(paths), "")
    return results


def _import_one(db: Database, ref: Ref, path: Path, actor: str, dry_run: bool) -> ScoresheetResult:
    name = path.name
    try:
        data = read_workbook_file(path)
        snap = load_snapshot(db, ref)
        ensure_editable(snap.evaluation)
        parsed = parse_scoresheet(data, name, snap.evaluation, snap.criteria, [v.id for v in snap.vendors])
        sha = hashlib.sha256(data).hexdigest()
        with db.write() as s:
            result = _apply(s, snap, parsed, sha, actor, dry_run)
            if dry_run:
                raise _DryRun(result)
            return result
    except _DryRun as rolled_back:
        return rolled_back.result
    except ScoresheetInvalid as exc:
        return ScoresheetResult(name, ok=False, dry_run=dry_run, errors=exc.errors)
    except UserError as exc:
        return ScoresheetResult(name, ok=False, dry_run=dry_run, errors=(str(exc),))


def _issue_of(s: Session, snap: domain.Snapshot, parsed: ParsedScoresheet) -> ScoresheetIssue:
    """The issue the file claims to be, refused unless issue, evaluator and token all match."""
    issue = s.get(ScoresheetIssue, parsed.meta_int("issue_id"))
    claimed = parsed.meta_int("evaluator_id")
    if (issue is None or issue.evaluation_id != snap.evaluation.id or issue.evaluator_id != claimed
            or not hmac.compare_digest(issue.token, parsed.meta.get("token", ""))):
        raise ValidationError(
            f"{parsed.file_name} does not match any scoresheet issued in {snap.evaluation.name!r} (its hidden identity "
            f"names {parsed.meta.get('evaluator_name', '?')!r}); it was edited or issued from another database: "
            "issue a new scoresheet.")
    return issue


def _apply(s: Session, snap: domain.Snapshot, parsed: ParsedScoresheet, sha: str, actor: str,
           dry_run: bool) -> ScoresheetResult:
    evaluation = editable_evaluation(s, snap.evaluation.id)
    issue = _issue_of(s, snap, parsed)
    who = next((e for e in snap.evaluators if e.id == issue.evaluator_id), None)
    if who is None:
        raise NotFound(f"{parsed.file_name} is the scoresheet of an evaluator who is no longer on the committee.")
    errors: list[str] = []
    warnings = list(parsed.warnings)
    decl = parsed.declaration
    if normalised(decl.name) != normalised(who.name):
        warnings.append(f"{parsed.file_name}: the declaration is signed {decl.name!r}; the sheet was issued to "
                        f"{who.name!r}.")
    in_force = _conflicts_in_force(snap, who.id)
    conflicts = {v for v in in_force if v not in decl.conflicts} | {v for v, yes in decl.conflicts.items() if yes}
    has_declared = any(d.evaluator_id == who.id for d in snap.declarations)
    recorded = not has_declared or conflicts != in_force
    if recorded:
        vendor_names = {v.id: v.name for v in snap.vendors}
        statement = f"{decl.statement} (signed {decl.name} on {decl.signed_on}; scoresheet {parsed.file_name})".strip()
        row = ConflictDeclaration(evaluation_id=evaluation.id, evaluator_id=who.id, declared_by=actor,
                                  vendor_ids=sorted(conflicts), statement=statement)
        s.add(row)
        s.flush()
        audit.record(s, evaluation.id, actor, "declaration", row.id, "conflict_vendors", None,
                     {"evaluator": who.name, "vendors": [vendor_names[v] for v in sorted(conflicts)],
                      "statement": statement}, f"scoresheet {parsed.file_name} sha256 {sha}")
    now_asked = sheet_criteria(snap.evaluation, who, snap.criteria)
    if issue.criteria_digest != sheet_digest(now_asked, [v for v in snap.vendors if v.id not in in_force]):
        warnings.append(f"{parsed.file_name}: the criteria, their scales or the vendors changed since this sheet "
                        "was issued; scores were matched by criterion key and vendor.")
    allowed = {c.key for c in now_asked}
    criteria = {c.key: c for c in snap.criteria}
    vendors = {v.id: v for v in snap.vendors}
    current = {(x.vendor_id, x.criterion_id): x for x in s.scalars(select(Score).where(Score.evaluator_id == who.id))}
    cells: list[ScoreInput] = []
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for p in parsed.scores:
        c, v = criteria[p.key], vendors[p.vendor_id]
        now = current.get((v.id, c.id))
        if p.value is None:
            if now is not None:
                warnings.append(f"{p.cell} is empty; {who.name}'s score {now.value:g} for {v.name} on {c.name!r} was "
                                "kept (clear a score in the app).")
            continue
        if p.key not in allowed:
            errors.append(f"{p.cell}: expected an empty cell: {who.name} does not score {c.name!r} "
                          f"({who.envelope} envelope), got {p.value:g}")
            continue
        if v.id in conflicts:
            errors.append(f"{p.cell}: expected an empty cell: {who.name} declared a conflict of interest with "
                          f"{v.name}, got {p.value:g}")
            continue
        if now is not None and now.value == p.value and now.comment == p.comment:
            counts["unchanged"] += 1
            continue
        base = issue.baseline.get(_cell_key(v.id, c.id))
        if (now.version if now is not None else 0) != (base[2] if base else 0):
            if base is not None and base[0] == p.value and base[1] == p.comment:
                warnings.append(f"{p.cell}: {who.name}'s score for {v.name} on {c.name!r} was changed in the app "
                                "after this sheet was issued; the app's value was kept.")
                continue
            app = f"{now.value:g}" if now is not None else "empty"
            errors.append(f"{p.cell}: {who.name}'s score for {v.name} on {c.name!r} was changed in the app after this "
                          f"sheet was issued (now {app}, the sheet says {p.value:g}); it was not overwritten: settle "
                          "it in the app or issue a new scoresheet")
            continue
        counts["new" if now is None else "changed"] += 1
        cells.append(ScoreInput(who.id, v.id, c.id, p.value, p.comment))
    if errors:
        raise ScoresheetInvalid(parsed.file_name, errors)
    reason = f"scoresheet {parsed.file_name} sha256 {sha}"
    write_scores_in(s, evaluation.id, cells, actor, reason)
    evaluator_row = s.get_one(Evaluator, who.id)
    submitted = decl.submit and evaluator_row.submitted_at is None
    if submitted:
        new = utcnow()
        audit.record(s, evaluation.id, actor, "evaluator", who.id, "submitted_at", None, new, reason)
        evaluator_row.submitted_at = new
    audit.record(s, evaluation.id, actor, "scoresheet", issue.id, "imported", None,
                 {"file": parsed.file_name, "sha256": sha, "evaluator": who.name, **counts,
                  "submitted": decl.submit})
    return ScoresheetResult(parsed.file_name, ok=True, dry_run=dry_run, warnings=tuple(warnings), evaluator=who.name,
                            scores_new=counts["new"], scores_changed=counts["changed"],
                            scores_unchanged=counts["unchanged"], declaration_recorded=recorded, submitted=submitted,
                            sha256=sha)
