"""The imaging criteria library as a buyer, a radiology chair and a procurement lawyer need it:
vendors read no evaluator notes, knock-outs are passable before award, anchors are ordered,
numbers refuse slips, suggestions never claim more than the answer states, and the old
version still loads. Checked on the real template file, real workbooks and a real database."""

from __future__ import annotations

import itertools
import json
import re
import runpy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from tests.conftest import Seeds, create_imaging
from tests.io.questionnaire_filling import fill
from vendor_eval.cli import main as cli_main
from vendor_eval.errors import ReadOnlyError, ValidationError
from vendor_eval.io.report.data import award_conditions
from vendor_eval.io.templates import CriterionSpec, TemplateSpec, builtin_templates, load_template
from vendor_eval.scoring.rules import apply_rule, highest_suggestion
from vendor_eval.services import (
    conditions,
    evaluations,
    evaluators,
    lifecycle,
    questionnaires,
    reports,
    scores,
    vendors,
)
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

IMAGING = "Medical imaging outsourcing and teleradiology"
IMAGING_V1 = "Medical imaging outsourcing and teleradiology (version 1)"
DOCS = Path(__file__).resolve().parents[2] / "docs"
# Things only an award can bring about: a pass mark that needs one fails every honest bidder.
POST_AWARD = re.compile(r"credentialed at|privileged at|credentialing at the hospital|as issued|has signed|"
                        r"after award|go-live", re.IGNORECASE)


def _spec(name: str = IMAGING) -> TemplateSpec:
    return load_template(builtin_templates()[name])


def _criteria(spec: TemplateSpec) -> list[CriterionSpec]:
    return [c for g in spec.groups for c in g.criteria]


def _workbook_texts(path: Path) -> list[str]:
    """Every string in every cell of every sheet, hidden ones included, plus validation prompts."""
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            texts += [c.value for c in row if isinstance(c.value, str)]
        for dv in ws.data_validations.dataValidation:
            texts += [t for t in (dv.prompt, dv.error, dv.formula1) if t]
    return texts


# --- versions -------------------------------------------------------------------------------------


def test_the_new_version_is_the_default_and_the_old_one_still_loads(db: Database) -> None:
    new, old = _spec(), _spec(IMAGING_V1)
    assert (new.version, old.version) == ("2", "1")
    assert old.criteria_count == 51 and new.criteria_count == 69
    old_eval = evaluations.create_from_template(db, IMAGING_V1, "Made from version 1", "officer")
    new_eval = evaluations.create_from_template(db, IMAGING, "Made from version 2", "officer")
    old_snap, new_snap = load_snapshot(db, old_eval), load_snapshot(db, new_eval)
    assert old_snap.evaluation.template_version == "1" and new_snap.evaluation.template_version == "2"
    assert [c.key for c in old_snap.criteria] == [c.key for c in _criteria(old)]  # keeps its own criteria
    stat_v1 = next(c for c in old_snap.criteria if c.key == "sla.stat_turnaround")
    assert stat_v1.knockout and stat_v1.knockout_min == 2  # version 1's rules, untouched


# --- what vendors read -------------------------------------------------------------------------------


@pytest.mark.parametrize("template", [IMAGING, IMAGING_V1, "Generic services RFP"])
@pytest.mark.parametrize("disclose", [False, True])
def test_no_evaluator_text_anywhere_in_a_questionnaire(db: Database, tmp_path: Path, template: str,
                                                       disclose: bool) -> None:
    eid = evaluations.create_from_template(db, template, "RFP", "officer")
    evaluations.update_settings(db, eid, "officer", disclose_weights=disclose)
    path = questionnaires.generate_questionnaire(db, eid, tmp_path / "q.xlsx")
    texts = _workbook_texts(path)
    blob = "\n".join(texts)
    spec = _spec(template)
    for c in _criteria(spec):
        assert c.guidance and c.guidance not in blob, c.key
        for source in c.sources:
            assert source not in blob, c.key
        # nor any long fragment of it (a sentence copied into another column)
        for sentence in re.split(r"(?<=[.;:])\s+", c.guidance):
            if len(sentence) > 40:
                assert sentence not in blob, (c.key, sentence)
    # the vendor-facing text is what goes out instead (version 1 has none: its column stays empty)
    assert all(c.provide in texts for c in _criteria(spec) if c.provide)
    assert template == IMAGING_V1 or all(c.provide for c in _criteria(spec))


@pytest.fixture
def imaging_blank(seed: Callable[..., int], _seeds: Seeds, db: Database, tmp_path: Path) -> tuple[int, Path]:
    """A new evaluation from the imaging template and its blank questionnaire, generated by the
    service once per session (every test's evaluation is the same seed) and copied for the test."""
    eid = seed("imaging", create_imaging)
    made = _seeds.artifact("imaging-blank.xlsx", lambda p: questionnaires.generate_questionnaire(db, eid, p))
    return eid, Path(shutil.copyfile(made, tmp_path / "blank.xlsx"))


def test_knockouts_are_stated_as_mandatory_requirements_to_the_vendor(imaging_blank: tuple[int, Path]) -> None:
    ws = openpyxl.load_workbook(imaging_blank[1])["Questions"]
    by_key = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=4).value for r in range(4, ws.max_row + 1)}
    for c in _criteria(_spec()):
        assert ("Mandatory requirement" in by_key[c.key]) == c.knockout, c.key


def test_instructions_show_weights_and_method_only_when_disclosed(db: Database, tmp_path: Path) -> None:
    eid = evaluations.create_from_template(db, IMAGING, "RFP", "officer")
    hidden = "\n".join(_workbook_texts(questionnaires.generate_questionnaire(db, eid, tmp_path / "a.xlsx")))
    assert "How offers are scored" not in hidden and " %" not in hidden.split("Questions")[0]
    evaluations.update_settings(db, eid, "officer", disclose_weights=True)
    wb = openpyxl.load_workbook(questionnaires.generate_questionnaire(db, eid, tmp_path / "b.xlsx"))
    instructions = {ws_row[0].value: ws_row[1].value for ws_row in wb["Instructions"].iter_rows(min_row=4)
                    if ws_row[0].value}
    assert "How offers are scored" in instructions
    spec = _spec()
    total = sum(g.weight for g in spec.groups)
    price = next(c for c in _criteria(spec) if c.cost)
    commercial = next(g for g in spec.groups if price in g.criteria)
    label = f"{commercial.name}: {commercial.weight / total * 100:.1f} %"
    expected = commercial.weight / total * price.weight / sum(c.weight for c in commercial.criteria) * 100
    assert f"{price.name}: {expected:.1f} %" in instructions[label]  # 20 % x 60 % = 12.0 %
    assert "Price per study: 12.0 %" in instructions[label]
    assert "Data-protection agreement (mandatory): pass/fail, no weight" in instructions["Security and compliance: 11.0 %"]


# --- knock-outs ------------------------------------------------------------------------------------


def test_every_knockout_is_a_gate_a_compliant_vendor_can_pass_before_award() -> None:
    gates = [c for c in _criteria(_spec()) if c.knockout]
    assert {c.key for c in gates} >= {"security.baa_dpa", "clinical.licensure_board_cert", "sla.stat_commitment"}
    for c in gates:
        assert c.weight == 0 and (c.scale_min, c.scale_max, c.knockout_min) == (0, 1, 1), c.key
        assert c.scoring_rule is not None
        passing = [choice for choice in c.answer.choices
                   if (s := apply_rule(c.scoring_rule, choice)) is not None and s.value >= c.knockout_min]
        failing = [choice for choice in c.answer.choices if choice not in passing]
        assert len(passing) == 1 and failing, c.key  # one compliant answer; a failing one exists
        for text in (passing[0], c.descriptors[f"{c.knockout_min:g}"], c.provide.split("(see")[0]):
            assert not POST_AWARD.search(text), (c.key, text)
    licensure = next(c for c in gates if c.key == "clinical.licensure_board_cert")
    assert any("credentialed and privileged" in x for x in licensure.award_conditions)
    baa = next(c for c in gates if c.key == "security.baa_dpa")
    assert "Minor edits are acceptable" in baa.provide  # not 'signs our agreement as issued'


def test_award_conditions_come_from_the_template_and_the_committee(db: Database) -> None:
    eid = evaluations.create_from_template(db, IMAGING, "RFP", "officer")
    from_template = conditions.list_conditions(db, eid)
    expected = [(c.key, text) for c in _criteria(_spec()) for text in c.award_conditions]
    assert [(x.criterion_key, x.text) for x in from_template] == expected and all(not x.vendor for x in from_template)
    vendors.add_vendor(db, eid, "Borealis Reading Group", "officer")
    added = conditions.add_condition(db, eid, "Pilot on night CT passes its exit criteria.", "chair",
                                     vendor="Borealis Reading Group", criterion="governance.pilot")
    rows = award_conditions(load_snapshot(db, eid))
    assert rows[-1].applies_to == "Borealis Reading Group" and rows[-1].criterion == "Phased pilot"
    assert rows[0].applies_to == "The winning vendor"
    with pytest.raises(ValidationError, match="needs its text"):
        conditions.add_condition(db, eid, "  ", "chair")
    conditions.remove_condition(db, eid, added, "chair")
    assert len(conditions.list_conditions(db, eid)) == len(expected)
    saved = evaluations.template_from_evaluation(db, eid, "Saved")  # the conditions travel with a saved template
    assert [(c.key, t) for c in _criteria(saved) for t in c.award_conditions] == expected
    evaluations.update_settings(db, eid, "officer", missing_policy="minimum")
    lifecycle.finalise(db, eid, "officer")
    with pytest.raises(ReadOnlyError):
        conditions.add_condition(db, eid, "Too late.", "chair")


def test_a_duplicate_keeps_version_disclosure_and_conditions(db: Database) -> None:
    eid = evaluations.create_from_template(db, IMAGING, "RFP", "officer")
    evaluations.update_settings(db, eid, "officer", disclose_weights=True)
    copy = evaluations.duplicate_evaluation(db, eid, "RFP (rerun)", "officer")
    info = load_snapshot(db, copy).evaluation
    assert (info.template_version, info.disclose_weights) == ("2", True)
    assert [x.text for x in conditions.list_conditions(db, copy)] == [x.text for x in conditions.list_conditions(db, eid)]


def test_the_committee_report_prints_the_conditions_of_award(db: Database, tmp_path: Path) -> None:
    eid = evaluations.create_from_template(db, IMAGING, "RFP", "officer")
    evaluations.update_settings(db, eid, "officer", missing_policy="minimum")
    for name in ("Borealis Reading Group", "Cobalt Teleradiology"):
        vendors.add_vendor(db, eid, name, "officer")
    evaluators.add_evaluator(db, eid, "Dr Ames", "officer")
    scores.record_score(db, eid, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround", 4, "officer")
    conditions.add_condition(db, eid, "Night-CT pilot passes its exit criteria <by week 12>.", "chair",
                             vendor="Cobalt Teleradiology")
    path = reports.export_report(db, eid, "pdf", tmp_path / "report.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))
    assert "Conditions of award" in text
    assert "Night-CT pilot passes its exit criteria <by week 12>." in text  # escaped, not parsed as markup
    assert "credentialed and privileged at each of our hospitals" in text  # from the licensure gate


def test_conditions_from_the_command_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_path)
    assert cli_main(["new", "--db", db, "--template", IMAGING, "--name", "RFP"]) == 0
    assert cli_main(["conditions", "add", "RFP", "--db", db, "--text", "Named onboarding lead before go-live."]) == 0
    capsys.readouterr()
    assert cli_main(["conditions", "list", "RFP", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Named onboarding lead before go-live." in out and "credentialed and privileged" in out
    assert cli_main(["disclose", "RFP", "on", "--db", db]) == 0
    capsys.readouterr()
    assert cli_main(["show", "RFP", "--db", db]) == 0
    assert "teleradiology (version 2);" in capsys.readouterr().out
    assert cli_main(["show", "RFP", "--db", db, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["template_version"], shown["disclose_weights"]) == ("2", True)
    assert cli_main(["conditions", "remove", "RFP", "--db", db, "--id", "999"]) == 1
    assert "no condition of award 999" in capsys.readouterr().err


# --- anchors and rules ------------------------------------------------------------------------------


def _levels(c: CriterionSpec) -> list[int]:
    return list(range(int(c.scale_min), int(c.scale_max) + 1))


def test_every_anchor_ladder_is_complete_and_strictly_ordered() -> None:
    for c in _criteria(_spec()):
        assert sorted(int(k) for k in c.descriptors) == _levels(c), c.key
        assert len(set(c.descriptors.values())) == len(c.descriptors), c.key
        rule = c.scoring_rule
        if rule is None:
            continue
        if rule["kind"] in ("thresholds", "count_of"):
            limits = [limit for limit, _ in rule["thresholds"]]
            scores = [score for _, score in rule["thresholds"]] + [rule.get("otherwise", 0)]
            assert all(a > b for a, b in itertools.pairwise(scores)), c.key  # better answer, higher score
            ascending = rule["kind"] == "thresholds" and rule["better"] == "lower"
            assert all((a < b) if ascending else (a > b) for a, b in itertools.pairwise(limits)), c.key
        if rule["kind"] == "choice_map" and not c.knockout:  # options listed best first
            scores = [rule["map"][choice] for choice in c.answer.choices]
            assert all(a > b for a, b in itertools.pairwise(scores)), c.key


def test_more_certifications_never_score_less() -> None:
    certs = next(c for c in _criteria(_spec()) if c.key == "security.certifications")
    items = list(certs.answer.choices)
    scores = [apply_rule(certs.scoring_rule, items[:n]).value for n in range(len(items) + 1)]
    assert all(a < b for a, b in itertools.pairwise(scores[:5]))  # 0 < 1 cert < 2 < 3 < 4
    assert certs.descriptors[f"{scores[1]:g}"] == "One listed certification in scope"


def _possible_answers(c: CriterionSpec) -> list[Any]:
    a = c.answer
    if a.type == "single_choice":
        return list(a.choices)
    if a.type == "multi_choice":
        return [list(a.choices[:n]) for n in range(len(a.choices) + 1)]
    if a.type == "yes_no_partial":
        return ["yes", "partial", "no"]
    if a.type == "number" and c.scoring_rule is not None:
        limits = [limit for limit, _ in c.scoring_rule["thresholds"]]
        return [x for limit in limits for x in (limit, limit - 0.01, limit + 0.01)] + [a.min, a.max]
    return []


def test_a_suggestion_never_exceeds_what_the_answer_states() -> None:
    for c in _criteria(_spec()):
        rule = c.scoring_rule
        if rule is None:
            continue
        assert rule["kind"] != "yes_no_partial" or rule.get("cap", c.scale_max) < c.scale_max, c.key
        for answer in _possible_answers(c):
            s = apply_rule(rule, answer)
            if s is None:
                continue
            assert c.scale_min <= s.value <= c.scale_max, (c.key, answer)
            if rule["kind"] == "choice_map":  # the option is the anchor of its level (gates: or a fail)
                assert c.descriptors[f"{s.value:g}"] == answer or s.value == c.scale_min, (c.key, answer)
            if rule["kind"] == "count_of":  # a level's anchor names the count that earns it
                held = len(answer)
                assert held >= min((n for n, score in rule["thresholds"] if score == s.value), default=0)
        assert highest_suggestion(rule) <= c.scale_max


# --- numbers -------------------------------------------------------------------------------------------


def test_every_number_states_unit_example_and_a_minimum() -> None:
    for c in _criteria(_spec()):
        if c.answer.type != "number":
            continue
        assert c.answer.unit and c.answer.example and c.answer.min is not None and c.answer.max is not None, c.key
        if c.answer.min == 0:  # only where none is a true answer (no live sites, no spare capacity)
            assert c.key in ("interop.live_integrations", "coverage.surge_capacity"), c.key


@pytest.mark.parametrize(("key", "typed", "message"), [
    ("sla.stat_turnaround", 1, "expected minutes between 10 and 1440, got 1"),  # '1' for one hour
    ("sla.stat_turnaround", 0, "got 0"),
    ("sla.stat_turnaround", 45.5, "expected a whole number (minutes between 10 and 1440), got 45.5"),
    ("clinical.discrepancy_rate", 0.007, "expected a percentage between 0.1 and 100, got 0.007"),  # a fraction
    ("clinical.prelim_final_difference", 0, "got 0"),
    ("interop.live_integrations", 2.5, "whole number"),
    ("clinical.reader_pool", 0, "got 0"),
    ("commercial.price_per_study", 0, "got 0"),
    ("deployment.platform_availability", 0.999, "got 0.999"),
])
def test_numbers_that_would_be_misread_are_refused_on_import(db: Database, tmp_path: Path, key: str, typed: Any,
                                                            message: str, imaging_blank: tuple[int, Path]) -> None:
    eid, blank = imaging_blank
    path = fill(blank, tmp_path / "v.xlsx", answers={key: typed}, profile={"name": "Borealis Reading Group"})
    [result] = questionnaires.import_questionnaires(db, eid, [path], "officer")
    assert not result.ok and len(result.errors) == 1 and message in result.errors[0]


def test_how_to_answer_gives_unit_and_example(imaging_blank: tuple[int, Path]) -> None:
    ws = openpyxl.load_workbook(imaging_blank[1])["Questions"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value == "sla.stat_turnaround")
    assert ws.cell(row=row, column=6).value == (
        "A whole number of minutes between 10 and 1440. For example: 45 (for 45 minutes; 90 for an hour and a half).")


# --- the review document -------------------------------------------------------------------------------


def test_the_review_document_is_generated_from_the_template(tmp_path: Path) -> None:
    runpy.run_path(str(DOCS / "template_review.py"))["main"](["--out", str(tmp_path / "review.md")])
    made = (tmp_path / "review.md").read_text(encoding="utf-8")
    assert made == (DOCS / "template-review.md").read_text(encoding="utf-8"), "run python docs/template_review.py"
    for c in _criteria(_spec()):  # one row per criterion, with its guidance and sources
        row = next(line for line in made.splitlines() if line.startswith(f"| `{c.key}`"))
        assert c.guidance.replace("|", "\\|") in row
        assert all(s in row for s in c.sources) and (c.sources or "no figures" in row)
