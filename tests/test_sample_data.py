"""The sample RFP: the committed files are what the script makes, the demo loads, and the
sample shows every feature the walk-through relies on, checked through the real services."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tests.conftest import Seeds
from vendor_eval.cli import main as cli_main
from vendor_eval.errors import ValidationError
from vendor_eval.io.templates import builtin_templates, load_template
from vendor_eval.paths import default_db_path, sample_data_dir
from vendor_eval.scoring import engine
from vendor_eval.scoring.rules import apply_rule
from vendor_eval.services import declarations, questionnaires, ranking, tariffs
from vendor_eval.services.demo import load_demo, read_sample
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database

SAMPLE = sample_data_dir()
CHINA_25 = "US Section 301: 25 % on China"
# Market participants named in the domain notes, plus other well-known teleradiology and imaging-AI
# firms: the sample must name none of them.
REAL_FIRMS = ("vRad", "Virtual Radiologic", "Radiology Partners", "Teleradiology Solutions", "RadNet", "Telerad Tech",
              "StatRad", "Philips", "Nuance", "NightHawk", "Everlight", "I-MED", "Medica", "4ways", "Aidoc", "Qure",
              "Lunit", "Annalise", "USARAD", "ONRAD", "Siemens", "GE HealthCare", "Fujifilm", "Canon Medical")


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_sample", SAMPLE / "build_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, _seeds: Seeds) -> tuple[Database, int]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    eid = _seeds.copy(path, "demo", load_demo)  # load_demo itself is tested below, on a second copy
    db = open_database(path, daily_backup=False)
    yield db, eid
    db.dispose()


def _rank_under(db: Database, eid: int, scenario: str | None):
    """The hand calculation the scenario ranking must agree with: each vendor's quoted price
    x (1 + its exposure ratio from the tariff service), then the engine ranks as quoted."""
    snap = load_snapshot(db, eid)
    if scenario is not None:
        factor = {x.vendor_id: 1 + x.exposure_ratio for x in tariffs.compute_tariffs(db, eid).lines
                  if x.scenario == scenario}
        price = next(c for c in snap.criteria if c.is_cost)
        snap = dataclasses.replace(snap, answers=tuple(
            dataclasses.replace(a, value=float(a.value) * factor[a.vendor_id]) if a.criterion_id == price.id else a
            for a in snap.answers))
    return engine.rank_snapshot(snap)


# --- the files -------------------------------------------------------------------------------


def test_committed_files_are_what_the_script_makes(tmp_path: Path) -> None:
    _build_script().main(["--out", str(tmp_path)])
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*")
                       if p.is_file() and p.suffix in (".json", ".xlsx"))
    assert made == committed
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (SAMPLE / rel).read_bytes(), f"{rel} differs: run build_sample.py"


def test_only_fictional_names() -> None:
    text = (SAMPLE / "sample_rfp.json").read_text(encoding="utf-8")
    named = re.search(rf"\b(?:{'|'.join(map(re.escape, REAL_FIRMS))})\b", text, re.IGNORECASE)  # one pass, not 24
    assert named is None, named.group()
    assert all(".example" in v["profile"]["contact"] for v in read_sample()["vendors"])


def test_figures_are_realistic() -> None:
    data = read_sample()
    assert len(data["vendors"]) == 7 and len(data["evaluators"]) == 4
    studies = data["evaluation"]["annual_studies"]
    for v in data["vendors"]:
        a = v["answers"]
        assert 20 <= a["sla.stat_turnaround"] <= 120  # minutes: 60 is the benchmark, 120 the floor
        assert 12 <= a["sla.routine_turnaround"] <= 96  # hours
        assert 0.5 <= a["clinical.discrepancy_rate"] <= 2.5  # % (RADPEER sees 0.6-0.8)
        assert 0.5 <= a["clinical.prelim_final_difference"] <= 4  # % major differences (usually about 1-3)
        assert 99.0 <= a["deployment.platform_availability"] <= 99.99
        assert 15 <= v["price_per_study"] <= 60  # USD per study, blended
        assert sum(x["annual_amount"] for x in v["cost_lines"]) == pytest.approx(v["price_per_study"] * studies)
        assert a["commercial.price_per_study"] == v["price_per_study"]
    assert all(s["comment"] for s in data["scores"])


def test_answers_agree_with_their_evidence() -> None:
    """The cases the first sample got wrong: each answer is what the vendor's evidence supports."""
    vendors = {v["key"]: v for v in read_sample()["vendors"]}
    template = load_template(builtin_templates()[read_sample()["evaluation"]["template"]])
    rule = {c.key: c.scoring_rule for g in template.groups for c in g.criteria}

    def level(slug: str, key: str) -> float:
        suggestion = apply_rule(rule[key], vendors[slug]["answers"][key])
        assert suggestion is not None
        return suggestion.value

    costaverde = vendors["costaverde"]
    assert "only those 58 will be assigned" in costaverde["evidence"]["clinical.licensure_board_cert"]
    assert costaverde["answers"]["clinical.reader_pool"] == 58  # not its 64 readers
    thrift = vendors["thriftread"]
    assert "no US licence" in thrift["evidence"]["clinical.licensure_board_cert"]
    assert level("thriftread", "clinical.licensure_board_cert") == 0 and level("thriftread", "security.baa_dpa") == 0
    assert "Internal peer review" in vendors["vindhya"]["evidence"]["clinical.peer_review"]
    assert "RADPEER" not in vendors["vindhya"]["answers"]["clinical.peer_review"]
    assert "2b or 3b" in vendors["bluestem"]["evidence"]["clinical.discrepancy_rate"]  # the 2016 scale
    assert "3-4" not in vendors["bluestem"]["evidence"]["clinical.discrepancy_rate"]
    assert "of discovery" in vendors["lumenhaven"]["evidence"]["security.breach_notification"]
    gates = [c.key for g in template.groups for c in g.criteria if c.knockout]
    passing = [slug for slug in vendors if all(level(slug, k) == 1 for k in gates)]
    assert sorted(passing) == sorted(set(vendors) - {"thriftread"})


def test_sample_questionnaires_disclose_the_weights_and_no_guidance() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLE / "questionnaires" / "bluestem.xlsx")
    instructions = [c.value for row in wb["Instructions"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "How offers are scored" in instructions  # a public buyer discloses weights and method
    assert any(x.startswith("AI validation: 6.0 %") for x in instructions)
    questions = {c.value for row in wb["Questions"].iter_rows() for c in row if isinstance(c.value, str)}
    template = load_template(builtin_templates()[read_sample()["evaluation"]["template"]])
    assert not any(c.guidance in questions for g in template.groups for c in g.criteria)


# --- the demo loads ------------------------------------------------------------------------------


def test_demo_loads_everything(demo: tuple[Database, int]) -> None:
    db, eid = demo
    snap = load_snapshot(db, eid)
    assert snap.evaluation.name == "Teleradiology and AI reading services"
    assert snap.evaluation.status == "scoring"
    assert (len(snap.vendors), len(snap.evaluators), len(snap.criteria)) == (7, 4, 69)
    assert len(snap.scores) == 7 * 4 * 69 and all(s.comment for s in snap.scores)
    assert snap.evaluation.disclose_weights and snap.evaluation.template_version == "2"
    groups = {g.name: g.weight for g in snap.groups}
    assert groups["AI validation"] == 6 and sum(groups.values()) == 100  # AI triage is in scope
    assert all(e.submitted_at is not None for e in snap.evaluators)
    assert len(snap.consensus) == 4 and len(snap.cost_lines) == 28 and len(snap.tariff_scenarios) == 4
    assert {a.vendor_id for a in snap.answers} == {v.id for v in snap.vendors}  # every questionnaire imported
    assert len(snap.suggestions) > 400
    profiles = {v["name"]: v["profile"] for v in read_sample()["vendors"]}
    for v in snap.vendors:  # the questionnaires' profile sheets agree with the vendors as added
        assert list(v.delivery_locations) == profiles[v.name]["delivery_locations"]
        assert (v.deployment_model, v.contract_term_years) == (profiles[v.name]["deployment_model"],
                                                              profiles[v.name]["contract_term_years"])
    history = declarations.list_declarations(db, eid)
    superseded = [d for d in history if not d.in_force]
    assert len(history) == 5 and [d.conflict_vendors for d in superseded] == [("Costaverde Teleimagen",)]


def test_imported_answers_are_the_scenarios(demo: tuple[Database, int]) -> None:
    db, eid = demo
    snap = load_snapshot(db, eid)
    vendors = {v.id: v.name for v in snap.vendors}
    keys = {c.id: c.key for c in snap.criteria}
    got = {(vendors[a.vendor_id], keys[a.criterion_id]): a.value for a in snap.answers}
    for v in read_sample()["vendors"]:
        for key, value in v["answers"].items():
            actual = got[v["name"], key]
            if isinstance(value, list):  # the importer returns options in the question's order
                actual, value = sorted(actual), sorted(value)
            assert actual == (pytest.approx(value) if isinstance(value, float) else value), (v["name"], key)


def test_the_finance_directors_scores_came_back_in_his_scoresheet(demo: tuple[Database, int]) -> None:
    """His 483 scores are the sample's, and each is on record as imported from the workbook."""
    from sqlalchemy import select

    from vendor_eval.storage.models import AuditEvent

    db, eid = demo
    data = read_sample()
    [sheet] = data["scoresheets"]
    person = next(x["name"] for x in data["evaluators"] if x["key"] == sheet["evaluator"])
    names = {v["key"]: v["name"] for v in data["vendors"]}
    expected = {(names[x["vendor"]], x["criterion"]): (x["value"], x["comment"]) for x in data["scores"]
                if x["evaluator"] == sheet["evaluator"]}
    snap = load_snapshot(db, eid)
    who = next(e.id for e in snap.evaluators if e.name == person)
    vendors, keys = {v.id: v.name for v in snap.vendors}, {c.id: c.key for c in snap.criteria}
    got = {(vendors[x.vendor_id], keys[x.criterion_id]): (x.value, x.comment) for x in snap.scores
           if x.evaluator_id == who}
    assert got == expected and len(got) == 7 * 69
    with db.read() as s:
        reasons = set(s.scalars(select(AuditEvent.reason).where(
            AuditEvent.evaluation_id == eid, AuditEvent.entity == "score", AuditEvent.field == "value",
            AuditEvent.new_value.contains(person))))
    [reason] = reasons
    assert reason.startswith("scoresheet finance.xlsx sha256 ") and len(reason.split()[-1]) == 64


def test_faulty_questionnaire_reports_every_error_and_changes_nothing(demo: tuple[Database, int]) -> None:
    db, eid = demo
    faulty = [q for q in read_sample()["questionnaires"] if not q["import"]]
    assert len(faulty) == 1
    before = load_snapshot(db, eid)
    [result] = questionnaires.import_questionnaires(db, eid, [SAMPLE / faulty[0]["file"]], "test")
    assert not result.ok and len(result.errors) == 2
    # '1' typed for one hour in a minutes field: the minimum of 10 minutes refuses it
    assert "expected minutes between 10 and 1440, got 1" in result.errors[0]
    assert "'30 days'" in result.errors[1]
    after = load_snapshot(db, eid)
    assert (after.answers, after.cost_lines, after.audit_head) == (before.answers, before.cost_lines, before.audit_head)


# --- the story ---------------------------------------------------------------------------------


def test_knockouts_disqualify_the_low_cost_vendor(demo: tuple[Database, int]) -> None:
    db, eid = demo
    result = ranking.rank_evaluation(db, eid)
    out = [v for v in result.vendors if v.disqualified]
    assert [v.name for v in out] == ["ThriftRead Imaging"] and out[0].rank == 7
    # Its subcontracted readers abroad: neither licensed here nor bound by the BAA.
    assert len(out[0].reasons) == 2
    assert "Licensure" in out[0].reasons[0] and "Data-protection agreement" in out[0].reasons[1]
    prices = {v["name"]: v["price_per_study"] for v in read_sample()["vendors"]}
    assert min(prices, key=prices.__getitem__) == "ThriftRead Imaging"


def test_one_cell_the_committee_must_discuss(demo: tuple[Database, int]) -> None:
    db, eid = demo
    result = ranking.disagreement(db, eid)
    must = [c for c in result.cells if c.band == "must_discuss"]
    assert [(c.vendor, c.criterion_key) for c in must] == [("Zephyrine AI Imaging", "ai.external_validation")]
    assert must[0].spread == pytest.approx(0.6)
    assert 60 <= sum(c.band == "discuss" for c in result.cells) <= 160  # one-point gaps, as committees have


def test_tariff_exposed_vendor_drops_a_rank_under_25_percent_on_china(demo: tuple[Database, int]) -> None:
    db, eid = demo
    exposure = {x.vendor: x.exposure_ratio for x in tariffs.compute_tariffs(db, eid).lines if x.scenario == CHINA_25}
    assert max(exposure, key=exposure.__getitem__) == "Zephyrine AI Imaging"
    assert exposure["Zephyrine AI Imaging"] == pytest.approx(0.08, abs=0.005)  # capped by its 5 % escalation cap
    base = {v.name: v.rank for v in _rank_under(db, eid, None).vendors}
    china = {v.name: v.rank for v in _rank_under(db, eid, CHINA_25).vendors}
    assert base["Zephyrine AI Imaging"] == 4 and china["Zephyrine AI Imaging"] == 5
    assert china["Vindhya Radiology Network"] == 4
    assert base == {v.name: v.rank for v in ranking.rank_evaluation(db, eid).vendors}
    by_service = ranking.rank_evaluation(db, eid, tariff_scenario=CHINA_25)
    assert {v.name: v.rank for v in by_service.vendors} == china
    assert by_service.variant["tariff_scenario"] == CHINA_25
    hand = {v.name: v.score for v in _rank_under(db, eid, CHINA_25).vendors}
    assert {v.name: v.score for v in by_service.vendors} == pytest.approx(hand, abs=1e-9)


def test_ranking_under_an_unknown_scenario_is_refused(demo: tuple[Database, int]) -> None:
    db, eid = demo
    with pytest.raises(ValidationError, match="There is no tariff scenario 'Mars tariff'; scenarios are Baseline"):
        ranking.rank_evaluation(db, eid, tariff_scenario="Mars tariff")


def test_close_race_at_the_top_that_sensitivity_explains(demo: tuple[Database, int]) -> None:
    db, eid = demo
    top = ranking.rank_evaluation(db, eid).vendors[:2]
    assert [v.name for v in top] == ["Bluestem Reading Group", "Costaverde Teleimagen"]
    assert 0 < top[0].score - top[1].score < 1.0
    result = ranking.sensitivity(db, eid, samples=2000, seed=0)
    flips = [c for c in result.critical if c.delta_up is not None and c.winner_up == "Costaverde Teleimagen"]
    assert min(c.delta_up for c in flips) < 0.02  # two points of weight on one criterion change the winner
    first = dict(zip(result.vendor_names, result.smaa.acceptability[:, 0], strict=True))
    assert first["Bluestem Reading Group"] < 0.7
    assert first["Lumenhaven Imaging Cloud"] > 0.2 and first["Costaverde Teleimagen"] > 0.1


# --- loading elsewhere --------------------------------------------------------------------------


def test_cli_demo_refuses_the_default_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["demo"]) == 1
    assert cli_main(["demo", "--db", str(default_db_path())]) == 1
    assert "default database" in capsys.readouterr().err
    assert not default_db_path().exists()


def test_demo_loads_beside_other_evaluations(demo: tuple[Database, int]) -> None:
    db, _ = demo
    second = load_demo(db)  # the questionnaires are readdressed to the new evaluation
    snap = load_snapshot(db, second)
    assert snap.evaluation.name == "Teleradiology and AI reading services (2)"
    assert {a.vendor_id for a in snap.answers} == {v.id for v in snap.vendors}


def test_a_readdressed_questionnaire_differs_only_in_its_evaluation_id(tmp_path: Path) -> None:
    """The sample's file, and one whose id cell a spreadsheet program saved as a number."""
    import openpyxl

    from vendor_eval.io.excel.questionnaire_template import META, readdress

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
        finally:
            wb.close()

    original = SAMPLE / "questionnaires" / "bluestem.xlsx"
    resaved = tmp_path / "resaved.xlsx"
    wb = openpyxl.load_workbook(original)
    [id_cell] = [row[1] for row in wb[META].iter_rows(max_col=2) if row[0].value == "evaluation_id"]
    id_cell.value = 1
    wb.save(resaved)
    expected = cells(original)
    expected[META] = [("evaluation_id", "42") if row[0] == "evaluation_id" else row for row in expected[META]]
    assert expected != cells(original)
    for source in (original, resaved):
        assert cells(readdress(source, 42, tmp_path / f"readdressed-{source.name}")) == expected


def test_sample_json_is_stable_json() -> None:
    text = (SAMPLE / "sample_rfp.json").read_text(encoding="utf-8")
    assert json.loads(text)["seed"] == _build_script().SEED


def test_sensitivity_under_a_tariff_scenario_prices_as_the_scenario_does(demo: tuple[Database, int]) -> None:
    db, eid = demo
    quoted = ranking.sensitivity(db, eid, samples=2000, seed=1)
    china = ranking.sensitivity(db, eid, samples=2000, seed=1, tariff_scenario=CHINA_25)
    assert china.variant["tariff_scenario"] == CHINA_25
    # Same weight samples (same seed); only Zephyrine's price rises, so in every sample its rank
    # can only fall: its expected rank must be worse, the others' no worse on average overall.
    z = quoted.vendor_names.index("Zephyrine AI Imaging")
    places = np.arange(1, quoted.smaa.acceptability.shape[1] + 1)
    assert china.smaa.acceptability[z] @ places > quoted.smaa.acceptability[z] @ places
