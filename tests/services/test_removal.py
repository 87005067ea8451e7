"""Deleting a criterion so that undo can put it back: when its id was taken meanwhile (SQLite hands
a deleted highest id to the next new row), it comes back under a new id and the audit says so."""

from __future__ import annotations

from vendor_eval.services import audit_log, criteria, declarations, evaluators, removal, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


def test_restore_under_a_new_id_when_the_old_one_was_taken(db: Database, imaging_eval: int) -> None:
    snap = load_snapshot(db, imaging_eval)
    last = max(snap.criteria, key=lambda c: c.id)
    vendor = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    evaluator = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    declarations.declare(db, imaging_eval, evaluator, [], "officer", "No interest in any vendor")
    scores.record_score(db, imaging_eval, evaluator, vendor, last.id, last.scale_max, "officer", comment="clear evidence")
    removed = removal.delete_criterion(db, imaging_eval, last.id, "officer")
    squatter = criteria.add_criterion(db, imaging_eval, last.group_id, "Someone else's new criterion", "cli")
    assert squatter == last.id  # the old id is taken
    back = removal.restore(db, imaging_eval, removed, "officer")
    new_id = back.criteria[0]["id"]
    assert new_id not in (last.id, squatter)
    after = load_snapshot(db, imaging_eval)
    restored = next(c for c in after.criteria if c.id == new_id)
    assert (restored.name, restored.weight, restored.descriptors, restored.position) == (
        last.name, last.weight, last.descriptors, last.position)
    [score] = [s for s in after.scores if s.criterion_id == new_id]
    assert (score.vendor_id, score.value, score.comment) == (vendor, last.scale_max, "clear evidence")
    [event] = audit_log.list_audit_events(db, imaging_eval, limit=1)
    assert (event.entity_id, event.field) == (new_id, "restored")
    assert event.reason == f"undo of the delete: 1 score put back; ids now {last.id} -> {new_id}"
    removal.delete_criterion(db, imaging_eval, new_id, "officer")  # a redo deletes the row it now is
    assert new_id not in {c.id for c in load_snapshot(db, imaging_eval).criteria}
