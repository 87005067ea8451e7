"""Create an evaluation from an officer's existing scoring spreadsheet (io.excel.matrix_import reads it).

Two transactions, because creating an evaluation has its own service: the evaluation and its
criteria first, then vendors, the evaluator 'Imported' and the scores. The file is fully
validated before either runs; should the second still fail, the new evaluation is deleted,
so a failed import never leaves a half-filled evaluation behind.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.matrix_import import MatrixData, parse_matrix
from vendor_eval.io.templates import AnswerSpec, CriterionSpec, GroupSpec, TemplateSpec
from vendor_eval.services.evaluations import create_from_template, delete_evaluation
from vendor_eval.services.questionnaires import read_workbook_file
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Criterion, Evaluator, Score, Vendor

EVALUATOR = "Imported"


@dataclass(frozen=True)
class MatrixImportSummary:
    evaluation_id: int
    criteria: int
    vendors: int
    scores: int
    warnings: tuple[str, ...] = ()


def import_matrix(db: Database, path: Path | str, name: str, actor: str,
                  scale: tuple[float, float] = (0.0, 5.0)) -> MatrixImportSummary:
    low, high = (float(x) for x in scale)
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise ValidationError(f"The scale must go from a lower to a higher number, got {low:g} to {high:g}.")
    path = Path(path)
    data = read_workbook_file(path)
    matrix = parse_matrix(data, path.name, (low, high))
    evaluation_id = create_from_template(db, _as_template(matrix, name, low, high), name, actor,
                                         description=f"Imported from the scoring spreadsheet {path.name}.")
    try:
        _fill(db, evaluation_id, matrix, actor, path.name, hashlib.sha256(data).hexdigest())
    except BaseException:
        delete_evaluation(db, evaluation_id)
        raise
    return MatrixImportSummary(evaluation_id, len(matrix.criteria), len(matrix.vendors), len(matrix.scores),
                               matrix.warnings)


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
        evaluator = Evaluator(evaluation_id=evaluation_id, name=EVALUATOR, role="scores from the imported matrix")
        s.add(evaluator)
        s.flush()
        if matrix.scores:
            s.execute(insert(Score), [
                {"evaluator_id": evaluator.id, "vendor_id": vendor_ids[v], "criterion_id": criterion_ids[c],
                 "value": value, "comment": f"Imported from {file_name}"}
                for v, c, value in matrix.scores
            ])
        audit.record(s, evaluation_id, actor, "evaluation", evaluation_id, "imported_matrix", None, {
            "file": file_name, "sha256": sha, "vendors": list(matrix.vendors), "evaluator": EVALUATOR,
            "scores": len(matrix.scores),
        })
