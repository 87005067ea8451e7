"""Every item model against Qt's model contract (pytest-qt's qtmodeltester), plus what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vendor_eval.scoring.engine import rank_snapshot
from vendor_eval.services import evaluations, scores
from vendor_eval.services.audit_log import list_audit_events
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.models.consensus_grid import BAND_ROLE, ConsensusModel
from vendor_eval.ui.models.criteria_tree import EFFECTIVE, KNOCKOUT, WEIGHT, CriteriaTreeModel
from vendor_eval.ui.models.pairwise import PairwiseModel
from vendor_eval.ui.models.scoring_grid import KNOCKOUT_ROLE, ScoringModel
from vendor_eval.ui.models.tables import AuditModel, EvaluationListModel, RankingModel, VendorsModel


def test_evaluation_list_model(qtmodeltester, db: Database, scored_eval: int) -> None:
    model = EvaluationListModel()
    model.set_rows(evaluations.list_evaluations(db))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "Teleradiology RFP"


def test_criteria_tree_model_sums_and_knockout(qtmodeltester, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    model = CriteriaTreeModel()
    model.set_snapshot(snap)
    qtmodeltester.check(model)
    assert model.rowCount() == len(snap.groups)
    assert sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount())) == len(snap.criteria)
    assert model.unbalanced() == []
    first_criterion = model.index(0, KNOCKOUT, model.index(0, 0))
    assert model.data(first_criterion, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked  # STAT is a knock-out
    effective = sum(float(model.data(model.index(c, EFFECTIVE, model.index(g, 0))))
                    for g in range(model.rowCount()) for c in range(model.rowCount(model.index(g, 0))))
    assert abs(effective - 100) < 0.2
    assert model.data(model.index(0, WEIGHT), Qt.ItemDataRole.EditRole) == snap.groups[0].weight


def test_scoring_model_shows_own_scores_and_marks_knockouts(qtmodeltester, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    model = ScoringModel()
    model.set_snapshot(snap, snap.evaluators[0].id)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (len(snap.criteria), len(snap.vendors))
    assert model.data(model.index(0, 0), KNOCKOUT_ROLE) is True
    assert model.data(model.index(0, 0)) == f"{snap.criteria[0].scale_max:g}"
    assert "Committed within 30 minutes" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_consensus_model_highlights_spread(qtmodeltester, db: Database, scored_eval: int) -> None:
    from vendor_eval.services import evaluators

    snap = load_snapshot(db, scored_eval)
    other = evaluators.add_evaluator(db, scored_eval, "Sam Okafor", "officer")
    crit, vendor = snap.criteria[1], snap.vendors[0]
    scores.record_score(db, scored_eval, other, vendor.id, crit.id, crit.scale_min, "officer")  # far apart
    model = ConsensusModel()
    model.set_snapshot(load_snapshot(db, scored_eval))
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0), BAND_ROLE) == "must_discuss"
    assert model.data(model.index(2, 0), BAND_ROLE) == "fine"


def test_ranking_vendors_and_audit_models(qtmodeltester, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    ranking = RankingModel()
    ranking.set_rows(rank_snapshot(snap).vendors)
    qtmodeltester.check(ranking)
    vendors_model = VendorsModel()
    vendors_model.set_rows(snap.vendors)
    qtmodeltester.check(vendors_model)
    audit = AuditModel()
    audit.set_rows(list_audit_events(db, scored_eval))
    qtmodeltester.check(audit)
    assert audit.rowCount() > 0


def test_pairwise_model_keeps_the_matrix_reciprocal(qtmodeltester) -> None:
    model = PairwiseModel(["A", "B", "C"])
    qtmodeltester.check(model)
    assert model.setData(model.index(0, 1), "1/5")
    assert model.matrix[1, 0] == 5.0
    assert not model.setData(model.index(1, 0), "3")  # the lower triangle follows, never edited
    assert not model.setData(model.index(0, 2), "12")  # off Saaty's scale
