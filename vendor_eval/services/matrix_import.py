"""Create an evaluation from an officer's existing scoring spreadsheet, whatever its layout.

io.matrix finds the table (any sheet, either orientation, evaluator sheets or blocks, .xlsx,
.csv or .ods); the original layout (sheet 'Matrix', 'Vendor' in A1) is still read by
io.excel.matrix_import with its own exact messages. preview_matrix shows what was detected
and the ranking it gives before anything is written.

Two transactions, because creating an evaluation has its own service: the evaluation and its
criteria first, then vendors, the evaluator 'Imported' and the scores. The file is fully
validated before either runs; should the second still fail, the new evaluation is deleted,
so a failed import never leaves a half-filled evaluation behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.matrix_import import SHEET, MatrixData, parse_matrix
from vendor_eval.io.excel.questionnaire_import import QuestionnaireInvalid
from vendor_eval.io.matrix.detect import Overrides
from vendor_eval.io.matrix.read import Detection, detect_matrix
from vendor_eval.io.matrix.sheets import Sheet, read_sheets
from vendor_eval.io.templates import AnswerSpec, CriterionSpec, GroupSpec, TemplateSpec
from vendor_eval.scoring import aggregate, normalise, weighted, weights
from vendor_eval.services.evaluations import create_from_template, delete_evaluation
from vendor_eval.services.questionnaires import read_workbook_file
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Criterion, Evaluator, Score, Vendor

PREVIEW_POLICY = "minimum"  # the preview counts a blank cell as the scale's worst value, and says so


@dataclass(frozen=True)
class MatrixImportSummary:
    evaluation_id: int
    criteria: int
    vendors: int
    scores: int
    warnings: tuple[str, ...] = ()
    evaluators: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatrixPreview:
    detection: Detection
    ranking: tuple[tuple[str, float], ...]  # (vendor, weighted total 0-100), best first
    missing: int  # vendor x criterion cells nobody scored (counted as the scale's minimum here)


def check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    low, high = (float(x) for x in scale)
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise ValidationError(f"The scale must go from a lower to a higher number, got {low:g} to {high:g}.")
    return low, high


def load_mapping(path: Path | str) -> Overrides:
    """A mapping saved from the wizard or by --save-mapping (JSON)."""
    path = Path(path)
    try:
        return Overrides.from_json(path.read_text(encoding="utf-8"), path.name)
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"The mapping {path.name} cannot be read: {exc}.") from None


def save_mapping(path: Path | str, mapping: Overrides) -> None:
    Path(path).write_text(mapping.as_json() + "\n", encoding="utf-8")


def sheets_of(path: Path | str) -> list[Sheet]:
    """The file's sheets as plain grids, to show before (or whatever) the detection finds."""
    path = Path(path)
    return read_sheets(read_workbook_file(path), path.name)


def preview_matrix(path: Path | str, scale: tuple[float, float] = (0.0, 5.0),
                   overrides: Overrides | None = None) -> MatrixPreview:
    """Detect the layout and rank; ValidationError when no table (or an ambiguous one) is found.
    Cell problems stay in detection.errors, so the wizard can show them beside the sheet."""
    low, high = check_scale(scale)
    path = Path(path)
    detection = detect_matrix(read_sheets(read_workbook_file(path), path.name), path.name, (low, high), overrides)
    if detection.data is None:
        return MatrixPreview(detection, (), 0)
    return MatrixPreview(detection, *_rank(detection.data, low, high))


def _rank(m: MatrixData, low: float, high: float) -> tuple[tuple[tuple[str, float], ...], int]:
    """The same maths as scoring.engine (min-max, hierarchical weights, mean of evaluators, weighted sum)."""
    cube = np.full((len(m.evaluators), len(m.vendors), len(m.criteria)), np.nan)
    for e, v, c, value in m.scores:
        cube[e, v, c] = value
    raw = aggregate.aggregate(cube, "mean")
    missing = int(np.isnan(raw).sum())
    names = [c.name for c in m.criteria]
    scaled = normalise.linear_minmax(raw, [low] * len(names), [high] * len(names), [c.direction for c in m.criteria],
                                     names)
    group_pos = {g.name: i for i, g in enumerate(m.groups)}
    w = weights.hierarchical_weights([g.weight for g in m.groups], [g.name for g in m.groups],
                                     [c.weight for c in m.criteria], [group_pos[c.group] for c in m.criteria], names)
    total = weighted.weighted_sum(scaled, w, PREVIEW_POLICY).total
    order = sorted(range(len(m.vendors)), key=lambda v: (-total[v], v))
    return tuple((m.vendors[v], float(total[v])) for v in order), missing


def _is_original_layout(path: Path, data: bytes, overrides: Overrides | None) -> bool:
    if overrides not in (None, Overrides()) or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    for sheet in read_sheets(data, path.name):
        if sheet.name == SHEET:
            first = sheet.value(0, 0)
            return isinstance(first, str) and first.strip().casefold() == "vendor"
    return False


def import_matrix(db: Database, path: Path | str, name: str, actor: str,
                  scale: tuple[float, float] = (0.0, 5.0), overrides: Overrides | None = None) -> MatrixImportSummary:
    """All or nothing: every cell problem is named before anything is written."""
    low, high = check_scale(scale)
    path = Path(path)
    data = read_workbook_file(path)
    if _is_original_layout(path, data, overrides):
        matrix = parse_matrix(data, path.name, (low, high))
    else:
        detection = detect_matrix(read_sheets(data, path.name), path.name, (low, high), overrides)
        if detection.data is None:
            raise QuestionnaireInvalid(path.name, detection.errors)
        matrix = dataclasses.replace(detection.data, warnings=tuple(f"skipped {n}" for n in detection.notes))
    evaluation_id = create_from_template(db, _as_template(matrix, name, low, high), name, actor,
                                         description=f"Imported from the scoring spreadsheet {path.name}.")
    try:
        _fill(db, evaluation_id, matrix, actor, path.name, hashlib.sha256(data).hexdigest())
    except BaseException:
        delete_evaluation(db, evaluation_id)
        raise
    return MatrixImportSummary(evaluation_id, len(matrix.criteria), len(matrix.vendors), len(matrix.scores),
                               matrix.warnings, matrix.evaluators)


def _as_template(matrix: MatrixData, name: str, low: float, high: float) -> TemplateSpec:
    groups = []
    number = 0
    for g in matrix.groups:
        criteria = []
        for c in matrix.criteria:
            if c.group != g.name:
                continue
            number += 1
            criteria.append(CriterionSpec(
                key=f"matrix.{number:03d}", name=c.name, question="", guidance="", weight=c.weight,
                scale_min=low, scale_max=high, descriptors={}, direction=c.direction, answer=AnswerSpec(),
            ))
        groups.append(GroupSpec(name=g.name, description="", weight=g.weight, criteria=tuple(criteria)))
    return TemplateSpec(name=f"Imported matrix: {name}", description="", groups=tuple(groups))


def _fill(db: Database, evaluation_id: int, matrix: MatrixData, actor: str, file_name: str, sha: str) -> None:
    with db.write() as s:
        by_name = {c.name: c.id for c in s.scalars(select(Criterion).where(Criterion.evaluation_id == evaluation_id))}
        criterion_ids = [by_name[c.name] for c in matrix.criteria]
        vendor_ids = []
        for position, vendor_name in enumerate(matrix.vendors):
            vendor = Vendor(evaluation_id=evaluation_id, name=vendor_name, position=position)
            s.add(vendor)
            s.flush()
            vendor_ids.append(vendor.id)
        evaluator_ids = []
        for who in matrix.evaluators:
            evaluator = Evaluator(evaluation_id=evaluation_id, name=who, role="scores from the imported matrix")
            s.add(evaluator)
            s.flush()
            evaluator_ids.append(evaluator.id)
        if matrix.scores:
            s.execute(insert(Score), [
                {"evaluator_id": evaluator_ids[e], "vendor_id": vendor_ids[v], "criterion_id": criterion_ids[c],
                 "value": value, "comment": f"Imported from {file_name}"}
                for e, v, c, value in matrix.scores
            ])
        audit.record(s, evaluation_id, actor, "evaluation", evaluation_id, "imported_matrix", None, {
            "file": file_name, "sha256": sha, "vendors": list(matrix.vendors), "evaluators": list(matrix.evaluators),
            "scores": len(matrix.scores),
        })
