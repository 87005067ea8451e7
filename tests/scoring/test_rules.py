"""Scoring rules: every kind of the built-in template, edges and answers a rule cannot judge."""

from __future__ import annotations

import json

import pytest

from vendor_eval.paths import templates_dir
from vendor_eval.scoring.rules import RuleError, Suggestion, apply_rule, check_rule, highest_suggestion

YNP = {"kind": "yes_no_partial", "map": {"yes": 5, "partial": 2, "no": 0}}
STAT = {"kind": "thresholds", "better": "lower",
        "thresholds": [[30, 5], [60, 4], [90, 3], [120, 2], [240, 1]], "otherwise": 0}
UPTIME = {"kind": "thresholds", "better": "higher", "thresholds": [[99.9, 5], [99.5, 4], [99.0, 2]], "otherwise": 0}
CERTS = {"kind": "count_of", "items": ["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF", "ISO/IEC 27701"],
         "thresholds": [[4, 5], [3, 4], [2, 3], [1, 1]], "otherwise": 0}
CHOICE = {"kind": "choice_map", "map": {"Phoned at once": 5, "Flagged only": 1, "None": 0}}


@pytest.mark.parametrize(("answer", "score"), [("yes", 5), ("Partial", 2), (" NO ", 0)])
def test_yes_no_partial_maps_answers(answer: str, score: float) -> None:
    assert apply_rule(YNP, answer).value == score


@pytest.mark.parametrize(("minutes", "score"), [(0, 5), (30, 5), (30.5, 4), (60, 4), (120, 2), (240, 1), (241, 0)])
def test_lower_is_better_thresholds_are_inclusive(minutes: float, score: float) -> None:
    assert apply_rule(STAT, minutes).value == score


@pytest.mark.parametrize(("uptime", "score"), [(100, 5), (99.9, 5), (99.89, 4), (99.0, 2), (98.99, 0)])
def test_higher_is_better_thresholds(uptime: float, score: float) -> None:
    assert apply_rule(UPTIME, uptime).value == score


def test_threshold_explanation_names_value_and_limit() -> None:
    value, explanation = apply_rule(STAT, 45)
    assert value == 4
    assert "45 <= 60" in explanation


def test_threshold_without_otherwise_gives_no_suggestion_past_the_last_limit() -> None:
    rule = {k: v for k, v in STAT.items() if k != "otherwise"}
    assert apply_rule(rule, 500) is None


@pytest.mark.parametrize(("held", "score"), [
    (["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF", "ISO/IEC 27701"], 5),
    (["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF"], 4),
    (["iso/iec 27001", "ISO/IEC 27001"], 1),  # counted once, case-insensitive
    (["ISO/IEC 27001", "Something else"], 1),  # unlisted items do not count
    ([], 0),  # "none of these" is an answer
])
def test_count_of_counts_distinct_listed_items(held: list[str], score: float) -> None:
    assert apply_rule(CERTS, held).value == score


def test_count_of_accepts_semicolon_text() -> None:
    suggestion = apply_rule(CERTS, "ISO/IEC 27001; SOC 2 Type II")
    assert suggestion == Suggestion(3.0, suggestion.explanation)
    assert "2 of 4" in suggestion.explanation


def test_choice_map_is_exact() -> None:
    assert apply_rule(CHOICE, "Phoned at once").value == 5
    assert apply_rule(CHOICE, "None").value == 0  # the text 'None' is a choice, not a missing answer
    assert apply_rule(CHOICE, "phoned at once") is None


@pytest.mark.parametrize("answer", [None, "", "   ", float("nan")])
def test_missing_answer_gives_no_suggestion(answer: object) -> None:
    for rule in (YNP, STAT, CERTS, CHOICE):
        assert apply_rule(rule, answer) is None


@pytest.mark.parametrize(("rule", "answer"), [
    (YNP, "maybe"), (STAT, "fast"), (STAT, True), (STAT, float("inf")), (CERTS, 3), (CHOICE, "other"),
])
def test_answer_the_rule_cannot_judge_gives_no_suggestion(rule: dict, answer: object) -> None:
    assert apply_rule(rule, answer) is None


def test_no_rule_gives_no_suggestion() -> None:
    assert apply_rule(None, "yes") is None


@pytest.mark.parametrize("rule", [
    {"kind": "magic"},
    {"kind": "thresholds", "better": "sideways", "thresholds": [[1, 5]]},
    {"kind": "thresholds", "better": "lower", "thresholds": [[1]]},
    {"kind": "thresholds", "better": "lower", "thresholds": [["a", 5]]},
    {"kind": "count_of", "thresholds": [[1, 5]]},
    {"kind": "choice_map", "map": {}},
    {"kind": "yes_no_partial", "map": {"yes": "five"}},
])
def test_malformed_rules_are_refused(rule: dict) -> None:
    with pytest.raises(RuleError):
        check_rule(rule)
    with pytest.raises(RuleError):
        apply_rule(rule, "yes" if rule["kind"] != "thresholds" else 3)


@pytest.mark.parametrize("file", ["imaging_outsourcing.json", "imaging_outsourcing_v1.json"])
def test_every_rule_in_the_builtin_templates_is_well_formed_and_scores_its_choices(file: str) -> None:
    data = json.loads((templates_dir() / file).read_text(encoding="utf-8"))
    seen = set()
    for group in data["groups"]:
        for c in group["criteria"]:
            rule = c.get("scoring_rule")
            check_rule(rule)
            if rule is None:
                continue
            seen.add(rule["kind"])
            answer = c["answer"]
            if answer["type"] in ("single_choice", "multi_choice"):
                sample = answer["choices"][0] if answer["type"] == "single_choice" else answer["choices"]
            elif answer["type"] == "number":
                sample = answer.get("min", 0)
            else:
                sample = "yes"
            suggestion = apply_rule(rule, sample)
            assert suggestion is not None, c["key"]
            assert c["scale"]["min"] <= suggestion.value <= c["scale"]["max"]
    # Version 2 has no yes/no/partial rule left: a bare 'yes' proved less than the top anchor.
    expected = {"thresholds", "count_of", "choice_map"} | ({"yes_no_partial"} if file.endswith("v1.json") else set())
    assert seen == expected


def test_a_cap_keeps_a_suggestion_at_what_the_answer_proves() -> None:
    rule = {"kind": "yes_no_partial", "map": {"yes": 5, "partial": 2, "no": 0}, "cap": 3}
    capped = apply_rule(rule, "yes")
    assert capped is not None and capped.value == 3 and "capped at 3" in capped.explanation
    assert apply_rule(rule, "partial") == apply_rule({**rule, "cap": None}, "partial")  # below the cap: untouched
    assert highest_suggestion(rule) == 3 and highest_suggestion({**rule, "cap": None}) == 5
    steps = {"kind": "thresholds", "better": "lower", "thresholds": [[30, 5], [60, 4]], "otherwise": 0, "cap": 4}
    assert apply_rule(steps, 10).value == 4 and apply_rule(steps, 45).value == 4 and apply_rule(steps, 90).value == 0
    with pytest.raises(RuleError, match="cap must be a number"):
        check_rule({**rule, "cap": "high"})
