"""Rebuild the sample RFP: sample_rfp.json, the vendors' completed questionnaires and a returned scoresheet.

    python sample_data/build_sample.py [--out DIR]

Deterministic: a fixed seed drives the evaluators' scores and fixed dates go into the
workbooks, so running it again reproduces the committed files byte for byte.
Scores come from each vendor's questionnaire answers (the template's scoring rules give
the base score, as the import's suggestions do), moved by each evaluator's leaning on each criteria group and a little
seeded noise; the cells the walk-through relies on are written by hand (STORY_CELLS).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scenario
from questionnaires_build import build_questionnaires, questionnaire_files
from scoresheets_build import build_scoresheets, scoresheet_files

from vendor_eval.io.templates import CriterionSpec, builtin_templates, load_template
from vendor_eval.scoring.rules import apply_rule

SEED = 20260313
FORMAT = "vendor_eval.sample"

# How each committee member leans, in scale points, per criteria group (key prefix).
LEANINGS: dict[str, dict[str, float]] = {
    "chair": {"clinical": -0.3, "ai": -0.4, "interop": 0.2, "commercial": 0.2},
    "pacs": {"interop": -0.3, "ai": 0.3, "deployment": 0.2, "security": 0.1},
    "security": {"security": -0.5, "deployment": -0.4, "ai": -0.3, "interop": -0.2},
    "finance": {"commercial": -0.2, "tariff": -0.3, "clinical": 0.4, "coverage": 0.4, "ai": 0.4, "interop": 0.3,
                "governance": 0.3},
}
LOWER_REMARK = {
    "chair": "Clinically I need more evidence before scoring higher.",
    "pacs": "Integration work would fall on our team; scored down.",
    "security": "Not yet verified against the audit reports; scored conservatively.",
    "finance": "Scored down for the cost and contract risk it carries.",
}
HIGHER_REMARK = {
    "chair": "Reference calls with their clients were convincing.",
    "pacs": "Their demo against our test PACS went well.",
    "security": "Documentation is thorough and current.",
    "finance": "Good value for what is offered.",
}

# (evaluator, vendor slug, criterion key) -> (score, comment): the cells the story needs.
STORY_CELLS: dict[tuple[str, str, str], tuple[float, str]] = {
    # The must-discuss cell: the AI vendor's validation evidence.
    ("chair", "zephyrine", "ai.external_validation"): (1, (
        "Validation is from three academic centres in other countries; nothing on a community population like "
        "ours and no local validation offered. Confidence intervals only for head CT.")),
    ("pacs", "zephyrine", "ai.external_validation"): (4, (
        "Published external validation with confidence intervals (AUC 0.94-0.97); the strongest AI evidence "
        "among the reading groups.")),
    ("security", "zephyrine", "ai.external_validation"): (3, "Papers look sound; not my field, middle score."),
    ("finance", "zephyrine", "ai.external_validation"): (4, "Peer-reviewed results at three sites; convincing to me."),
    # Offshore reading: where patient images are viewed from.
    ("chair", "vindhya", "deployment.delivery_model"): (2, "Offshore reading, but final reports are signed by US-licensed radiologists."),
    ("pacs", "vindhya", "deployment.delivery_model"): (3, "Follow-the-sun model suits our night volume; latency measured fine."),
    ("security", "vindhya", "deployment.delivery_model"): (1, "Patient images viewed from India: cross-border access needs extra controls."),
    ("finance", "vindhya", "deployment.delivery_model"): (3, "Offshore delivery is what makes the price possible."),
    # 24/7 cover of the EU provider: "most modalities" rests on a small night team.
    ("chair", "lumenhaven", "sla.coverage_24x7"): (1, "Weekend nights rest on a three-person Boston team: not real 24/7 cover."),
    ("pacs", "lumenhaven", "sla.coverage_24x7"): (3, "EU hubs cover our evenings, Boston the nights; works for our volume."),
    ("security", "lumenhaven", "sla.coverage_24x7"): (2, "Cover as stated in the answer, with gaps at weekends."),
    ("finance", "lumenhaven", "sla.coverage_24x7"): (3, "Cover matches our volume curve; acceptable."),
    # Price of the onshore group.
    ("finance", "bluestem", "commercial.price_per_study"): (1, "Highest price in the field: USD 41.50 per study, about USD 2.0 M a year."),
    ("chair", "bluestem", "commercial.price_per_study"): (3, "Expensive, but in line with what US-licensed subspecialists cost."),
    # Tariff exposure of the AI vendor, read from the Tariffs tab.
    ("finance", "zephyrine", "tariff.exposure"): (1, (
        "38 % of the cost is China-origin hardware, passed through without a cap: under a 25 % Section 301 tariff "
        "the exposure is 8 % after its 5 % escalation cap, about USD 136,000 a year more.")),
    # The knock-outs: the low-cost vendor's subcontracted readers.
    ("security", "thriftread", "security.baa_dpa"): (0, (
        "Signs our BAA, but its subcontracted reading groups are not bound by it: fails the mandatory requirement.")),
    ("chair", "thriftread", "clinical.licensure_board_cert"): (0, (
        "Overflow and night reads go to subcontracted readers in Manila with no US licence: fails.")),
}

CONSENSUS: list[dict[str, Any]] = [
    {"vendor": "thriftread", "criterion": "security.baa_dpa", "value": 0, "reason": (
        "Clarification round 2: the vendor confirmed in writing that its subcontracted reading groups will not sign "
        "BAA flow-down terms. The mandatory requirement is not met.")},
    {"vendor": "prairiegate", "criterion": "sla.stat_turnaround", "value": 1, "reason": (
        "120 minutes at the 95th percentile meets the mandatory STAT commitment and scores at the floor.")},
    {"vendor": "vindhya", "criterion": "deployment.delivery_model", "value": 2, "reason": (
        "Offshore delivery as the template defines it; security controls for cross-border access go in the contract.")},
    {"vendor": "lumenhaven", "criterion": "sla.coverage_24x7", "value": 2, "reason": (
        "Weekend nights depend on a small US team: the committee scores it as cover with gaps.")},
]

DECLARATIONS: list[dict[str, Any]] = [
    {"evaluator": "chair", "conflicts": [], "statement": "I have no financial or personal interest in any invited vendor."},
    {"evaluator": "pacs", "conflicts": ["costaverde"], "statement": (
        "A former colleague of mine leads Costaverde Teleimagen's integration team.")},
    {"evaluator": "pacs", "conflicts": [], "statement": (
        "Compliance reviewed my earlier declaration: a former colleague is not a conflict. No conflict with any vendor.")},
    {"evaluator": "security", "conflicts": [], "statement": "No conflict of interest with any invited vendor."},
    {"evaluator": "finance", "conflicts": [], "statement": "No conflict of interest with any invited vendor."},
]


def criteria() -> list[CriterionSpec]:
    spec = load_template(builtin_templates()[scenario.EVALUATION["template"]])
    return [c for g in spec.groups for c in g.criteria]


def base_scores(crits: list[CriterionSpec]) -> dict[tuple[str, str], float]:
    lowest = min(v["price"] for v in scenario.VENDORS)
    base: dict[tuple[str, str], float] = {}
    for v in scenario.VENDORS:
        for c in crits:
            suggested = apply_rule(c.scoring_rule, v["answers"][c.key])  # what the import will suggest
            value = suggested.value if suggested is not None else None
            if c.key == "commercial.price_per_study":  # the usual procurement formula: lowest / price x max
                value = round(c.scale_max * lowest / v["price"])
            if value is None:
                value = float(v["base"][c.key])
            base[v["slug"], c.key] = value
    return base


def describe(c: CriterionSpec, answer: Any) -> str:
    """The vendor's answer in a few words, for the comment."""
    if c.key == "commercial.price_per_study":
        return f"USD {answer:.2f} per study (USD {answer * scenario.ANNUAL_STUDIES / 1e6:.2f} M a year at our volume)"
    if c.answer.type == "number":
        return f"Answered {answer:g} {c.answer.unit}"
    if c.answer.type == "multi_choice":
        return f"{len(answer)} of {len(c.answer.choices)} listed"
    if c.answer.type == "yes_no_partial":
        return f"Answered {answer!r}"
    if c.answer.type == "text":
        return "Plan: " + str(answer).split(";")[0].rstrip(".")
    return str(answer).split(",")[0].split(";")[0]


def generate_scores(crits: list[CriterionSpec]) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    base = base_scores(crits)
    rows = []
    for ev in scenario.EVALUATORS:
        for v in scenario.VENDORS:
            for c in crits:
                b = base[v["slug"], c.key]
                noise = rng.gauss(0.0, 0.25)  # drawn for every cell so one override does not shift the rest
                story = STORY_CELLS.get((ev["key"], v["slug"], c.key))
                if story is not None:
                    value, comment = story
                elif c.knockout:  # pass/fail evidence is documentary: everyone reads it the same way
                    value, comment = b, ""
                else:
                    lean = LEANINGS[ev["key"]].get(c.key.split(".")[0], 0.0)
                    # Within one point of the evidence: wider gaps are the story cells' job.
                    value = float(min(c.scale_max, b + 1, max(c.scale_min, b - 1, round(b + lean + noise))))
                    comment = ""
                if not comment:
                    comment = f"{describe(c, v['answers'][c.key])}. {c.descriptors.get(str(int(value)), '')}."
                    if value < b:
                        comment += " " + LOWER_REMARK[ev["key"]]
                    elif value > b:
                        comment += " " + HIGHER_REMARK[ev["key"]]
                rows.append({"evaluator": ev["key"], "vendor": v["slug"], "criterion": c.key,
                             "value": float(value), "comment": comment})
    return rows


def build_scenario() -> dict[str, Any]:
    crits = criteria()
    vendors = []
    for v in scenario.VENDORS:
        vendors.append({
            "key": v["slug"], "name": v["name"], "story": v["story"], "profile": v["profile"],
            "price_per_study": v["price"],
            "cost_lines": [
                {"category": cat, "description": desc, "annual_amount": amount, "currency": "USD",
                 "origin_country": origin, "pass_through": pt, "imaging_equipment": img}
                for cat, desc, amount, origin, pt, img in v["cost_lines"]
            ],
            "answers": v["answers"], "evidence": v["evidence"],
            "questionnaire_errors": v.get("questionnaire_errors", {}),
        })
    data = {
        "format": FORMAT, "format_version": 1, "seed": SEED,
        "evaluation": {**scenario.EVALUATION, "annual_studies": scenario.ANNUAL_STUDIES},
        "evaluators": scenario.EVALUATORS,
        "vendors": vendors,
        "declarations": DECLARATIONS,
        "scores": generate_scores(crits),
        "consensus": CONSENSUS,
    }
    data["questionnaires"] = questionnaire_files(data)
    data["scoresheets"] = scoresheet_files(data)
    return data


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: sample_data/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    data = build_scenario()
    write_json(data, args.out / "sample_rfp.json")
    print(f"wrote {args.out / 'sample_rfp.json'}: {len(data['vendors'])} vendors, {len(data['scores'])} scores")
    for path in build_questionnaires(data, args.out / "questionnaires"):
        print(f"wrote {path}")
    for path in build_scoresheets(data, args.out / "scoresheets"):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
