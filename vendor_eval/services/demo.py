"""Load the sample RFP (sample_data/) into a database through the ordinary services.

Everything goes through the same calls a user's actions make (create from the template,
add vendors and evaluators, declare, import questionnaires, score, agree consensus),
so the demo's audit trail, suggestions and rankings are the real thing.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel import scoresheet_template
from vendor_eval.io.excel.questionnaire_template import readdress
from vendor_eval.paths import sample_data_dir
from vendor_eval.services import (
    criteria,
    declarations,
    evaluations,
    evaluators,
    questionnaires,
    scores,
    scoresheets,
    tariffs,
    vendors,
)
from vendor_eval.storage import Database
from vendor_eval.storage.models import Evaluation

SAMPLE_FORMAT = "vendor_eval.sample"
SAMPLE_EVALUATION_ID = 1  # the questionnaires were generated for the first evaluation of a fresh database
Progress = Callable[[int, int, str], None]


def sample_path() -> Path:
    return sample_data_dir() / "sample_rfp.json"


def read_sample(path: Path | None = None) -> dict[str, Any]:
    path = path or sample_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"The sample data {path} cannot be read: {exc}.") from exc
    if not isinstance(data, dict) or data.get("format") != SAMPLE_FORMAT:
        raise ValidationError(f"{path} is not a vendor_eval sample file.")
    return data


def _free_name(db: Database, name: str) -> str:
    """The sample's name, or 'name (2)'... when the database already holds it."""
    with db.read() as s:
        taken = set(s.scalars(select(Evaluation.name).where(Evaluation.name.startswith(name))))
    n, candidate = 1, name
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def load_demo(db: Database, actor: str = "demo", progress: Progress | None = None) -> int:
    """Load the committed sample RFP, importing its valid questionnaires; returns the evaluation id."""
    return load_sample(db, read_sample(), actor, sample_data_dir(), progress)


def load_sample(db: Database, data: dict[str, Any], actor: str, folder: Path | None = None,
                progress: Progress | None = None) -> int:
    """Replay a sample scenario (the sample_rfp.json layout) into db; returns the evaluation id.

    folder: where the questionnaire files named in data live (None: load without them, and
    take the cost lines from the scenario instead of the vendors' Costs sheets).
    """
    e = data["evaluation"]
    report = progress or (lambda done, total, what: None)
    steps = 6
    files = [q for q in data.get("questionnaires", []) if q.get("import")] if folder is not None else []
    answered = {q["vendor"] for q in files}
    report(0, steps, "Creating the evaluation")
    eid = evaluations.create_from_template(db, e["template"], _free_name(db, e["name"]), actor,
                                          e["organisation"], e["description"])
    prepare_evaluation(db, eid, e, actor)
    evaluations.update_settings(db, eid, actor, aggregation=e.get("aggregation", "mean"))
    report(1, steps, "Adding the vendors")
    vendor_ids: dict[str, int] = {}
    for v in data["vendors"]:
        vendor_ids[v["key"]] = vendors.add_vendor(db, eid, v["name"], actor, **v["profile"])
        if v["key"] not in answered:  # otherwise the questionnaire's Costs sheet brings them
            for line in v["cost_lines"]:
                tariffs.add_cost_line(db, eid, vendor_ids[v["key"]], actor, **line)
    tariffs.create_default_scenarios(db, eid, actor)
    if files:
        report(2, steps, "Importing the vendors' questionnaires")
        assert folder is not None
        _import_questionnaires(db, eid, [folder / q["file"] for q in files], actor)
    report(3, steps, "Adding the committee and its declarations")
    evaluator_ids = {x["key"]: evaluators.add_evaluator(db, eid, x["name"], actor, x["role"])
                     for x in data["evaluators"]}
    for d in data["declarations"]:
        declarations.declare(db, eid, evaluator_ids[d["evaluator"]], [vendor_ids[k] for k in d["conflicts"]],
                             actor, d["statement"])
    evaluations.set_status(db, eid, "scoring", actor)
    report(4, steps, "Recording the evaluators' scores")
    sheets = [x for x in data.get("scoresheets", []) if x.get("import")] if folder is not None else []
    by_sheet = {x["evaluator"] for x in sheets}  # these evaluators' scores come back in their workbook
    scores.record_scores(db, eid, (
        scores.ScoreInput(evaluator_ids[sc["evaluator"]], vendor_ids[sc["vendor"]], sc["criterion"], sc["value"],
                          sc["comment"])
        for sc in data["scores"] if sc["evaluator"] not in by_sheet), actor)
    for sheet in sheets:
        assert folder is not None
        _import_scoresheet(db, eid, folder / sheet["file"], evaluator_ids[sheet["evaluator"]],
                           {old: vendor_ids[key] for key, old in sheet["vendor_ids"].items()}, actor)
    for x in evaluator_ids.values():
        evaluators.set_submitted(db, eid, x, True, actor)
    report(5, steps, "Recording the committee's consensus")
    for c in data["consensus"]:
        scores.set_consensus(db, eid, vendor_ids[c["vendor"]], c["criterion"], c["value"], c["reason"], actor)
    report(steps, steps, "Sample evaluation ready")
    return eid


def prepare_evaluation(db: Database, eid: int, e: dict[str, Any], actor: str) -> None:
    """The settings and weights the officer gives the sample before questionnaires go out (the
    sample's questionnaires were generated after this step, so they show the same weights)."""
    evaluations.update_settings(db, eid, actor, questionnaire_deadline=e["questionnaire_deadline"],
                                questionnaire_contact=e["questionnaire_contact"],
                                disclose_weights=bool(e.get("disclose_weights", False)))
    for group, weight in e.get("group_weights", {}).items():
        criteria.set_group_weight(db, eid, group, weight, actor)


def _import_questionnaires(db: Database, eid: int, paths: list[Path], actor: str) -> None:
    """Import through the real service; the files name evaluation 1 (a fresh database), so in a
    database that already holds evaluations they are first readdressed to this one."""
    with tempfile.TemporaryDirectory() as tmp:
        if eid != SAMPLE_EVALUATION_ID:
            paths = [readdress(p, eid, Path(tmp) / p.name) for p in paths]
        results = questionnaires.import_questionnaires(db, eid, paths, actor)
    failed = [r for r in results if not r.ok]
    if failed:
        raise ValidationError(f"The sample questionnaire {failed[0].file_name} did not import: {failed[0].errors[0]}")


def _import_scoresheet(db: Database, eid: int, path: Path, evaluator_id: int, vendor_ids: dict[int, int],
                       actor: str) -> None:
    """The evaluator's returned workbook, through the real import: the sheet is issued here (so
    this database holds its token) and the sample's filled-in copy is readdressed to it."""
    with tempfile.TemporaryDirectory() as tmp:
        issued = scoresheets.issue_scoresheet(db, eid, evaluator_id, Path(tmp) / "issued.xlsx", actor)
        returned = scoresheet_template.readdress(path, scoresheet_template.read_identity(issued), vendor_ids,
                                                 Path(tmp) / path.name)
        [result] = scoresheets.import_scoresheets(db, eid, [returned], actor)
    if not result.ok:
        raise ValidationError(f"The sample scoresheet {path.name} did not import: {result.errors[0]}")
