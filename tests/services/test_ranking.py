"""Ranking, disagreement and sensitivity against a real database, and the CLI over them."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from vendor_eval.cli import main
from vendor_eval.errors import ValidationError
from vendor_eval.io.templates import parse_template
from vendor_eval.scoring.engine import MissingScores
from vendor_eval.services import evaluations, evaluators, ranking, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.storage.models import Answer

pytestmark = pytest.mark.both_engines

NAME = "Small imaging RFP"
TEMPLATE: dict[str, Any] = {
    "format": "vendor_eval.template", "format_version": 1, "name": "small",
    "groups": [
        {"name": "Service levels", "weight": 60, "criteria": [
            {"key": "sla.stat", "name": "STAT turnaround", "weight": 50, "knockout": True, "knockout_min": 2},
            {"key": "sla.coverage", "name": "24/7 coverage", "weight": 50},
        ]},
        {"name": "Commercial", "weight": 40, "criteria": [
            {"key": "commercial.price", "name": "Price per study", "weight": 100, "cost": True,
             "answer": {"type": "number", "unit": "USD"}},
        ]},
    ],
}
# evaluator Ann, evaluator Ben: STAT, coverage, price on 0-5
SCORES = {
    "Aurora Reads": [(4, 5), (3, 3), (2, 2)],
    "Borealis Imaging": [(3, 3), (5, 4), (4, 4)],
    "Cirrus Radiology": [(1, 2), (5, 5), (5, 5)],
}
KEYS = ["sla.stat", "sla.coverage", "commercial.price"]


@pytest.fixture
def small(seed: Callable[..., str]) -> str:
    return seed("small-rfp", _small)


def _small(db: Database) -> str:
    evaluations.create_from_template(db, parse_template(TEMPLATE), NAME, "officer")
    for name in SCORES:
        vendors.add_vendor(db, NAME, name, "officer")
    for person in ("Ann", "Ben"):
        evaluators.add_evaluator(db, NAME, person, "officer")
    for vendor, cells in SCORES.items():
        for key, (ann, ben) in zip(KEYS, cells, strict=True):
            scores.record_score(db, NAME, "Ann", vendor, key, ann, "Ann")
            scores.record_score(db, NAME, "Ben", vendor, key, ben, "Ben")
    return NAME


def test_weighted_ranking_with_knockout(db: Database, small: str) -> None:
    # Weights: STAT 0.6 x 0.5 = 0.3, coverage 0.3, price 0.4. Borealis: 0.3 x 3/5 + 0.3 x 4.5/5 + 0.4 x 4/5 = 0.77.
    result = ranking.rank_evaluation(db, small)
    rows = [(v.name, round(v.score, 6), v.rank, v.disqualified) for v in result.vendors]
    assert rows == [("Borealis Imaging", 77.0, 1, False), ("Aurora Reads", 61.0, 2, False),
                    ("Cirrus Radiology", 79.0, 3, True)]
    assert result.vendors[2].reasons == ("Knock-out criterion 'STAT turnaround' scored 1.5; it must be at least 2.",)
    assert result.vendors[0].by_group == pytest.approx({"Service levels": 45.0, "Commercial": 32.0})
    assert result.winner is not None and result.winner.name == "Borealis Imaging"
    assert result.variant["aggregation"] == "mean" and result.variant["missing_policy"] == "block"
    assert result.matrix.shape == (3, 3) and result.criterion_keys == tuple(KEYS)
    assert result.missing == ()


def test_price_formula_from_quoted_prices(db: Database, small: str) -> None:
    with db.write() as s:
        snap_vendors = {v.name: v.id for v in load_snapshot(db, small).vendors}
        crit = next(c.id for c in load_snapshot(db, small).criteria if c.key == "commercial.price")
        for vendor, price in (("Aurora Reads", 40), ("Borealis Imaging", 50), ("Cirrus Radiology", 45)):
            s.add(Answer(vendor_id=snap_vendors[vendor], criterion_id=crit, value=price))
    # Ratio formula: Aurora 5, Borealis 40/50 x 5 = 4. Aurora: 27 + 18 + 40 = 85; Borealis: 18 + 27 + 32 = 77.
    result = ranking.rank_evaluation(db, small)
    assert [(v.name, round(v.score, 6)) for v in result.vendors[:2]] == [("Aurora Reads", 85.0),
                                                                         ("Borealis Imaging", 77.0)]
    assert "lowest price / price" in result.variant["price_formula"]
    assert ranking.rank_evaluation(db, small, price_formula="scores").vendors[0].name == "Borealis Imaging"
    # Stored as the evaluation's setting (the settings dialog), the formula applies without being asked for.
    evaluations.update_settings(db, small, "officer", price_formula="scores")
    assert ranking.rank_evaluation(db, small).vendors[0].name == "Borealis Imaging"
    assert ranking.rank_evaluation(db, small, price_formula="ratio").vendors[0].name == "Aurora Reads"
    with pytest.raises(ValidationError, match="price_formula must be one of ratio, linear, scores"):
        evaluations.update_settings(db, small, "officer", price_formula="cheapest")


def test_price_of_zero_is_refused(db: Database, small: str) -> None:
    snap = load_snapshot(db, small)
    crit = next(c.id for c in snap.criteria if c.key == "commercial.price")
    with db.write() as s:
        s.add(Answer(vendor_id=snap.vendors[0].id, criterion_id=crit, value=0))
    with pytest.raises(ValidationError, match="Aurora Reads's price 0 must be above zero"):
        ranking.rank_evaluation(db, small)


def test_consensus_aggregation_uses_the_committee_value(db: Database, small: str) -> None:
    scores.set_consensus(db, small, "Aurora Reads", "sla.coverage", 5, "references confirmed 24/7 cover", "chair")
    assert ranking.rank_evaluation(db, small).vendors[1].score == pytest.approx(61.0)
    result = ranking.rank_evaluation(db, small, aggregation="consensus")
    aurora = next(v for v in result.vendors if v.name == "Aurora Reads")
    assert aurora.score == pytest.approx(73.0)
    assert result.variant["aggregation"] == "consensus where set, else mean"


def test_missing_scores_block_or_renormalise(db: Database, small: str) -> None:
    for person in ("Ann", "Ben"):
        scores.clear_score(db, small, person, "Cirrus Radiology", "sla.coverage", "officer")
    with pytest.raises(MissingScores) as blocked:
        ranking.rank_evaluation(db, small)
    assert [(c.vendor, c.criterion_key) for c in blocked.value.cells] == [("Cirrus Radiology", "sla.coverage")]
    assert "Cirrus Radiology on '24/7 coverage'" in str(blocked.value)
    # An export runs in a child process: the refusal crosses back pickled, cells and message intact.
    back = pickle.loads(pickle.dumps(blocked.value))
    assert isinstance(back, MissingScores) and back.cells == blocked.value.cells and str(back) == str(blocked.value)
    result = ranking.rank_evaluation(db, small, missing_policy="renormalise")
    assert [m.describe() for m in result.missing] == ["Cirrus Radiology on '24/7 coverage'"]
    cirrus = next(v for v in result.vendors if v.name == "Cirrus Radiology")
    assert cirrus.score == pytest.approx(100 * (0.3 * 0.3 + 0.4 * 1.0) / 0.7)
    minimum = ranking.rank_evaluation(db, small, missing_policy="minimum")
    assert next(v for v in minimum.vendors if v.name == "Cirrus Radiology").score == pytest.approx(49.0)


def test_topsis_ranking_names_its_variant(db: Database, small: str) -> None:
    result = ranking.rank_evaluation(db, small, method="topsis")
    assert result.score_scale == "closeness 0-1"
    assert "vector normalisation" in result.variant["normalisation"]
    assert all(0.0 <= v.score <= 1.0 for v in result.vendors)
    assert result.vendors[-1].name == "Cirrus Radiology" and result.vendors[-1].disqualified


def test_disagreement_flags_cells_and_bias(db: Database, small: str) -> None:
    scores.record_score(db, small, "Ben", "Aurora Reads", "sla.coverage", 0, "Ben")
    result = ranking.disagreement(db, small)
    top = result.flagged()[0]
    assert (top.vendor, top.criterion_key, top.band, top.spread) == ("Aurora Reads", "sla.coverage", "must_discuss", 0.6)
    biases = {e.name: e.bias for e in result.evaluators}
    assert biases["Ben"] == pytest.approx(-biases["Ann"]) and biases["Ben"] < 0


def test_sensitivity_is_seeded_and_excludes_disqualified(db: Database, small: str) -> None:
    a = ranking.sensitivity(db, small, samples=500, seed=4)
    b = ranking.sensitivity(db, small, samples=500, seed=4)
    assert a.vendor_names == ("Aurora Reads", "Borealis Imaging") and a.winner == "Borealis Imaging"
    assert a.smaa is not None and b.smaa is not None
    assert (a.smaa.acceptability == b.smaa.acceptability).all()
    stat = next(c for c in a.critical if c.criterion_key == "sla.stat")
    # Aurora (0.9, 0.6, 0.4) vs Borealis (0.6, 0.9, 0.8): STAT must rise to where they tie.
    assert stat.winner_up == "Aurora Reads" and stat.delta_up is not None and stat.delta_up > 0


def test_empty_evaluation_is_refused(db: Database) -> None:
    evaluations.create_from_template(db, parse_template(TEMPLATE), "Empty", "officer")
    with pytest.raises(ValidationError, match="has no vendors to rank"):
        ranking.rank_evaluation(db, "Empty")


def test_out_of_scale_score_in_the_database_is_refused(db: Database, small: str) -> None:
    from vendor_eval.storage.models import Score
    with db.write() as s:
        s.query(Score).filter(Score.value == 1).update({Score.value: 9.0})
    with pytest.raises(ValidationError, match="Ann's score for Cirrus Radiology on 'STAT turnaround' lies outside"):
        ranking.rank_evaluation(db, small)


def test_cli_rank_json(db: Database, small: str, db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", small, "--db", db_target, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"evaluation", "method", "vendors", "missing"}
    assert [v["name"] for v in out["vendors"]] == ["Borealis Imaging", "Aurora Reads", "Cirrus Radiology"]
    assert set(out["vendors"][0]) >= {"name", "score", "rank", "disqualified", "reasons", "by_group"}
    assert main(["rank", small, "--db", db_target, "--method", "topsis", "--aggregate", "median"]) == 0
    text = capsys.readouterr().out
    assert "topsis (closeness 0-1)" in text and "aggregation: median" in text and "STAT turnaround" in text


def test_cli_sensitivity_and_errors(db: Database, small: str, db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", small, "--db", db_target, "--samples", "200", "--seed", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["smaa"]["samples"] == 200 and out["smaa"]["seed"] == 3 and out["winner"] == "Borealis Imaging"
    assert main(["rank", "No such RFP", "--db", db_target]) == 1
    assert "There is no evaluation" in capsys.readouterr().err
