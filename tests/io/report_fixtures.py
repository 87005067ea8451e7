"""A small, hostile evaluation as plain data (no database) for the report tests.

Fictional vendors only. Names and comments carry markup, formula triggers, Chinese
and Arabic, so every writer is exercised on untrusted text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from vendor_eval import domain
from vendor_eval.domain import AuditRow
from vendor_eval.io.report.data import ReportInputs
from vendor_eval.scoring import engine
from vendor_eval.scoring import tariffs as tariff_model

T0 = datetime(2026, 3, 20, 9, 30)
ACME = "<b>Acme & Sons"
CJK = "北京影像科技"
FORMULA_VENDOR = "=HYPERLINK(\"http://x.example\",\"click\")"
HOSTILE_COMMENT = 'Good SLA <font color="red">but</font> & pricing unclear'
ARABIC_COMMENT = "تقرير ممتاز"
CONTROL_COMMENT = "Pasted from a PDF:\x0b bullet\x07 end"  # XML cannot hold \x0b or \x07
VENDORS = ("Northwind Teleradiology", ACME, CJK, "Harbor Imaging Partners", FORMULA_VENDOR,
           "Bluefield Diagnostic Reading Services International Cooperative")


def _criterion(cid: int, gid: int, key: str, name: str, weight: float, *, direction: str = "max",
               knockout: bool = False, knockout_min: float | None = None, scale_max: float = 5.0) -> domain.Criterion:
    return domain.Criterion(
        id=cid, group_id=gid, key=key, name=name, question="", guidance="", weight=weight, scale_min=0.0,
        scale_max=scale_max, descriptors={}, direction=direction, knockout=knockout, knockout_min=knockout_min,
        is_cost=False, answer_type="number", answer_unit="", answer_min=None, answer_max=None, choices=(),
        scoring_rule=None, position=cid,
    )


def make_snapshot(missing_policy: str = "renormalise", drop_cell: bool = True) -> domain.Snapshot:
    info = domain.EvaluationInfo(
        id=1, name="Teleradiology RFP <2026> & co", organisation="North Valley Health", description="",
        status="scoring", template_name="test", missing_policy=missing_policy, aggregation="mean",
        discuss_threshold=0.2, must_discuss_threshold=0.5, blind_mode=True, two_envelope=False,
        questionnaire_deadline="", questionnaire_contact="", created_at=T0, updated_at=T0, finalised_at=None,
        finalised_by=None,
    )
    groups = (domain.Group(1, "Service levels", "", 40, 0), domain.Group(2, "Security & compliance", "", 35, 1),
              domain.Group(3, "Commercial", "", 25, 2))
    criteria = (
        _criterion(1, 1, "sla.stat", "STAT turnaround", 50, knockout=True, knockout_min=2),
        _criterion(2, 1, "sla.discrepancy", "Discrepancy rate", 30, direction="min"),
        _criterion(3, 1, "sla.coverage", "24/7 coverage", 20),
        _criterion(4, 2, "sec.soc2", "SOC 2 Type II", 60, scale_max=10.0),
        _criterion(5, 2, "sec.baa", "HIPAA BAA signed", 40, knockout=True),
        _criterion(6, 3, "com.price", "Price per study", 70),
        _criterion(7, 3, "com.exit", "Exit terms", 30),
    )
    vendors = tuple(domain.Vendor(id=10 + i, name=n, hq_country=("China" if n == CJK else "Germany"),
                                  modalities=("CT", "MRI"), certifications=("ISO 27001",), position=i,
                                  notes="=SUM(A1:A9)" if i == 0 else "")
                    for i, n in enumerate(VENDORS))
    evaluators = (domain.Evaluator(100, "Dr. Miriam Okafor", "Chair of Radiology", "all", None, 0),
                  domain.Evaluator(101, "Tomasz Lindqvist", "PACS / IT lead", "all", None, 1),
                  domain.Evaluator(102, "Priya Raman", "Information security officer", "all", None, 2))
    scores = []
    sid = 0
    for e_i, e in enumerate(evaluators):
        for v_i, v in enumerate(vendors):
            for c in criteria:
                if drop_cell and v_i == 5 and c.id == 7:
                    continue  # nobody scored this cell: a missing cell
                base = (5 - v_i * 0.7) if c.direction == "max" else (v_i * 0.7)
                value = min(c.scale_max, max(0.0, round(base * c.scale_max / 5 + (e_i - 1) * (0.5 + c.id % 3), 1)))
                if v.name == "Harbor Imaging Partners" and c.key == "sla.stat":
                    value = 1.0  # fails the STAT knock-out
                comment = ""
                if e_i == 0 and c.id == 1:
                    comment = HOSTILE_COMMENT if v_i == 1 else ("=1+1 injected" if v_i == 4 else "")
                if e_i == 1 and c.id == 2 and v_i == 2:
                    comment = ARABIC_COMMENT + " / 报告质量很好"
                if e_i == 2 and c.id == 3 and v_i == 0:
                    comment = CONTROL_COMMENT
                sid += 1
                scores.append(domain.ScoreEntry(sid, e.id, v.id, c.id, value, comment, T0, 1))
    consensus = (domain.ConsensusEntry(1, 10, 7, 4.0, "agreed after the reference call", "officer", T0, 1),)
    cost_lines = tuple(
        domain.CostLineEntry("hardware", "scanner parts", 100_000 + 10_000 * i, "USD",
                             "China" if i % 2 else "Germany", True, False, id=i, vendor_id=v.id)
        for i, v in enumerate(vendors))
    scenarios = (domain.TariffScenarioEntry(1, "Baseline", {}, False, 0),
                 domain.TariffScenarioEntry(2, "US Section 301: 25 % on China", {"China": 0.25}, False, 1),
                 domain.TariffScenarioEntry(3, "EU 15 % without exemption", {"EU": 0.15}, False, 2))
    declarations = (domain.DeclarationEntry(1, 100, T0, "officer", (), "No links to any bidder."),
                    domain.DeclarationEntry(2, 101, T0, "officer", (13,), "Former employee of Harbor <2019>."),
                    domain.DeclarationEntry(3, 100, T0, "officer", (), "Re-confirmed after the shortlist."))
    return domain.Snapshot(info, groups, criteria, vendors, evaluators, tuple(scores), consensus=consensus,
                           cost_lines=cost_lines, tariff_scenarios=scenarios, declarations=declarations,
                           audit_head="ab" * 32)


def fresh(snap: domain.Snapshot, **changes: Any) -> domain.Snapshot:
    """A changed copy of a Snapshot (replace() starts its indexes and caches afresh)."""
    return replace(snap, **changes)


def tariffs_of(snap: domain.Snapshot) -> tariff_model.TariffResult:
    items: dict[int, list[tariff_model.CostItem]] = {v.id: [] for v in snap.vendors}
    for x in snap.cost_lines:
        items[x.vendor_id].append(tariff_model.CostItem(x.annual_amount, x.origin_country, x.pass_through,
                                                        x.imaging_equipment, x.currency))
    vendors = [tariff_model.VendorCosts(v.id, v.name, v.contract_term_years, v.escalation_cap_pct,
                                        tuple(items[v.id])) for v in snap.vendors]
    scenarios = [tariff_model.Scenario(t.name, dict(t.rates), t.imaging_exemption) for t in snap.tariff_scenarios]
    return tariff_model.tariff_costs(snap.evaluation.name, vendors, scenarios)


def make_inputs(missing_policy: str = "renormalise", drop_cell: bool = True) -> ReportInputs:
    snap = make_snapshot(missing_policy, drop_cell)
    ranking = engine.rank_snapshot(snap, "weighted")
    sens_snap = make_snapshot("minimum", drop_cell)  # sensitivity refuses renormalised gaps
    audit = (AuditRow(1, "2026-03-20T09:30:00", "officer", "vendor", 1, "name", "", ACME, "=cmd|' /C calc'!A0"),)
    return ReportInputs(
        snapshot=snap, ranking=ranking, generated_at=T0,
        disagreement=engine.disagreement_snapshot(snap),
        sensitivity=engine.sensitivity_snapshot(sens_snap, samples=2000, seed=1),
        tariffs=tariffs_of(snap), audit=audit, chain_intact=True,
    )


def seed_database(db: Any, evaluation_id: int) -> list[str]:
    """A few vendors and scores in a real database through the services (missing cells count as
    the worst score); returns the vendor names, best first."""
    from vendor_eval.services import evaluations, evaluators, scores, vendors
    from vendor_eval.services.snapshot import load_snapshot

    evaluations.update_settings(db, evaluation_id, "officer", missing_policy="minimum")
    names = ["Northwind Teleradiology", ACME, CJK]
    for name in names:
        vendors.add_vendor(db, evaluation_id, name, "officer")
    evaluators.add_evaluator(db, evaluation_id, "Dr. Miriam Okafor", "officer", "Chair of Radiology")
    evaluators.add_evaluator(db, evaluation_id, "Tomasz Lindqvist", "officer", "PACS / IT lead")
    criteria = load_snapshot(db, evaluation_id).criteria
    scored = [c for c in criteria if c.knockout] + [c for c in criteria if not c.knockout][:6]
    for rank, name in enumerate(names):
        for c in scored:
            for who in ("Dr. Miriam Okafor", "Tomasz Lindqvist"):
                value = c.scale_max if c.knockout else max(c.scale_min, c.scale_max - rank - (who[0] == "T"))
                comment = HOSTILE_COMMENT if (name == ACME and c.knockout and who[0] == "D") else None
                scores.record_score(db, evaluation_id, who, name, c.key, value, "officer", comment=comment)
    return names
