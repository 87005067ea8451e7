"""Scoring rules: turn a vendor's objective answer into a suggested score with a reason.

A rule is the JSON kept with a criterion (criteria templates, `Criterion.scoring_rule`):

- ``{"kind": "yes_no_partial", "map": {"yes": 5, "partial": 2, "no": 0}}``
- ``{"kind": "thresholds", "better": "lower" | "higher", "thresholds": [[limit, score], ...],
  "otherwise": score}``: the first limit the answer meets (<= for lower, >= for higher) wins,
  so list limits from best to worst.
- ``{"kind": "count_of", "items": [...], "thresholds": [[count, score], ...], "otherwise": score}``:
  how many of the listed items the answer holds; the first count reached wins.
- ``{"kind": "choice_map", "map": {choice: score, ...}}``

Any rule may add ``"cap": score``: the suggestion never goes above it. A bare "yes" to a
question that does not ask for the top anchor's conditions proves only the level it asks
about; the evaluator may score higher on evidence, the rule may not.

compile_rule checks a rule once and returns a scorer for many answers; apply_rule does both.
A scorer never raises on an answer: an answer the rule cannot judge (empty, wrong type,
a choice the map lacks) gives no suggestion, because the evaluator scores it by hand.
A malformed rule raises RuleError, since that is a template bug someone must fix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from vendor_eval.vocabulary import RULE_KINDS


class RuleError(ValueError):
    """A scoring rule that is not well formed."""


class Suggestion(NamedTuple):
    """A suggested score; unpacks as (value, explanation)."""

    value: float
    explanation: str


Scorer = Callable[[Any], Suggestion | None]


def compile_rule(rule: dict[str, Any] | None) -> Scorer | None:
    """Check the rule once and return a function that scores answers (None when there is no rule).

    Importing 60 questionnaires applies the same 200 rules 12,000 times: compile once, apply many.
    """
    if rule is None:
        return None
    scorer = _compile(rule)
    cap = _number(rule.get("cap"), "cap", allow_none=True)
    if cap is None:
        return scorer
    return lambda answer: _capped(scorer(answer), cap)


def _capped(suggestion: Suggestion | None, cap: float) -> Suggestion | None:
    if suggestion is None or suggestion.value <= cap:
        return suggestion
    return Suggestion(cap, f"{suggestion.explanation}, capped at {_fmt(cap)}: the answer alone proves no more")


def _compile(rule: dict[str, Any]) -> Scorer:
    kind = rule.get("kind") if isinstance(rule, dict) else None
    if kind == "yes_no_partial":
        lowered = {k.lower(): v for k, v in _score_map(rule).items()}
        return _unless_blank(lambda answer: _mapped(lowered, _as_text(answer).lower()))
    if kind == "choice_map":
        exact = _score_map(rule)
        return _unless_blank(lambda answer: _mapped(exact, _as_text(answer)))
    if kind == "thresholds":
        better = rule.get("better")
        if better not in ("lower", "higher"):
            raise RuleError(f"a thresholds rule needs better = 'lower' or 'higher', got {better!r}")
        steps, otherwise = _steps(rule), _number(rule.get("otherwise"), "otherwise", allow_none=True)
        return _unless_blank(lambda answer: _thresholds(better == "lower", steps, otherwise, answer))
    if kind == "count_of":
        items = _items(rule)
        steps, otherwise = _steps(rule), _number(rule.get("otherwise"), "otherwise", allow_none=True)
        return _unless_blank(lambda answer: _count_of(items, steps, otherwise, answer))
    raise RuleError(f"scoring rule kind must be one of {', '.join(RULE_KINDS)}, got {kind!r}")


def apply_rule(rule: dict[str, Any] | None, answer: Any) -> Suggestion | None:
    """The suggested score for answer under rule, or None when there is no rule or no usable answer."""
    scorer = compile_rule(rule)
    return None if scorer is None else scorer(answer)


def check_rule(rule: dict[str, Any] | None) -> None:
    """Raise RuleError when the rule is malformed (used when a rule is saved, not only when applied)."""
    compile_rule(rule)


def highest_suggestion(rule: dict[str, Any]) -> float:
    """The most any answer can be given under rule (the cap included)."""
    check_rule(rule)
    kind = rule["kind"]
    if kind in ("yes_no_partial", "choice_map"):
        values = list(_score_map(rule).values())
    else:
        values = [score for _limit, score in _steps(rule)]
        otherwise = _number(rule.get("otherwise"), "otherwise", allow_none=True)
        values += [] if otherwise is None else [otherwise]
    cap = _number(rule.get("cap"), "cap", allow_none=True)
    return min(max(values), cap) if cap is not None else max(values)


def _unless_blank(scorer: Scorer) -> Scorer:
    return lambda answer: None if _is_blank(answer) else scorer(answer)


def _is_blank(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, (list, tuple, set, frozenset)):
        return False  # an empty selection is a real answer: "none of these"
    if isinstance(answer, float):
        return math.isnan(answer)
    return False


def _as_text(answer: Any) -> str:
    return answer.strip() if isinstance(answer, str) else str(answer)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _number(raw: Any, what: str, allow_none: bool = False) -> float | None:
    if raw is None and allow_none:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise RuleError(f"scoring rule {what} must be a number, got {raw!r}")
    return float(raw)


def _score_map(rule: dict[str, Any]) -> dict[str, float]:
    raw = rule.get("map")
    if not isinstance(raw, dict) or not raw:
        raise RuleError(f"a {rule['kind']} rule needs a non-empty map of answer to score, got {raw!r}")
    return {str(k): float(_number(v, f"map[{k!r}]") or 0.0) for k, v in raw.items()}


def _steps(rule: dict[str, Any]) -> list[tuple[float, float]]:
    raw = rule.get("thresholds")
    if not isinstance(raw, list) or not raw:
        raise RuleError(f"a {rule['kind']} rule needs a non-empty list of [limit, score] pairs, got {raw!r}")
    steps = []
    for i, pair in enumerate(raw):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise RuleError(f"scoring rule thresholds[{i}] must be a [limit, score] pair, got {pair!r}")
        steps.append((float(_number(pair[0], f"thresholds[{i}][0]") or 0.0),
                      float(_number(pair[1], f"thresholds[{i}][1]") or 0.0)))
    return steps


def _items(rule: dict[str, Any]) -> list[str]:
    raw = rule.get("items")
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        raise RuleError(f"a count_of rule needs a non-empty list of item texts, got {raw!r}")
    return raw


def _mapped(scores: dict[str, float], key: str) -> Suggestion | None:
    if key not in scores:
        return None
    return Suggestion(scores[key], f"answered {key!r}: rule gives {_fmt(scores[key])}")


def _answer_number(answer: Any) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)):
        return float(answer) if math.isfinite(answer) else None
    if isinstance(answer, str):
        try:
            value = float(answer.strip().replace(",", "."))
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def _thresholds(lower: bool, steps: list[tuple[float, float]], otherwise: float | None,
                answer: Any) -> Suggestion | None:
    value = _answer_number(answer)
    if value is None:
        return None
    sign = "<=" if lower else ">="
    for limit, score in steps:
        if (value <= limit) if lower else (value >= limit):
            return Suggestion(score, f"{_fmt(value)} {sign} {_fmt(limit)}: rule gives {_fmt(score)}")
    if otherwise is None:
        return None
    return Suggestion(otherwise, f"{_fmt(value)} meets no threshold: rule gives {_fmt(otherwise)}")


def _selection(answer: Any) -> list[str] | None:
    if isinstance(answer, str):
        return [x.strip() for x in answer.split(";") if x.strip()]
    if isinstance(answer, (list, tuple, set, frozenset)) and all(isinstance(x, str) for x in answer):
        return [x.strip() for x in answer]
    return None


def _count_of(items: list[str], steps: list[tuple[float, float]], otherwise: float | None,
              answer: Any) -> Suggestion | None:
    chosen = _selection(answer)
    if chosen is None:
        return None
    count = len(_held(items, chosen))
    for needed, score in steps:
        if count >= needed:
            return Suggestion(score, f"holds {count} of {len(items)} listed (>= {_fmt(needed)}): rule gives {_fmt(score)}")
    if otherwise is None:
        return None
    return Suggestion(otherwise, f"holds {count} of {len(items)} listed: rule gives {_fmt(otherwise)}")


def _held(items: Sequence[str], chosen: Iterable[str]) -> list[str]:
    """The listed items the answer names, each counted once (case-insensitive)."""
    wanted = {x.casefold() for x in chosen}
    return [item for item in items if item.casefold() in wanted]
