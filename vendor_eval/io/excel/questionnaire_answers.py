"""Checking one answer cell against what its question accepts.

Each parser returns the clean value or raises BadCell with "expected ..., got ..."; the
importer adds the sheet and cell in front, so the vendor reads
"Questions!G14: expected minutes between 0 and 1440, got 'fast'".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from vendor_eval import domain
from vendor_eval.io.excel.questionnaire_template import MULTI_SEPARATOR, YES_NO_PARTIAL
from vendor_eval.io.excel.safety import MAX_CELL_CHARS
from vendor_eval.io.text_safety import excel_text_restore

_SPACES = re.compile(r"\s+")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}([.,]\d{3})+$")  # '1,500': 1.5 or 1500? refuse, do not guess
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


class BadCell(ValueError):
    """The cell's content does not fit; the message starts with 'expected'."""


def shown(raw: Any) -> str:
    """A short, safe rendering of what the vendor typed, for an error message."""
    if isinstance(raw, str):
        text = raw if len(raw) <= 60 else raw[:57] + "..."
        return repr(text)
    if isinstance(raw, (datetime, date, time)):
        return f"the date/time {raw}"
    return repr(raw)


def norm(text: str) -> str:
    """Case- and spacing-insensitive form for matching choices typed by hand."""
    return _SPACES.sub(" ", text).strip().casefold()


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text_value(raw: Any, limit: int = MAX_CELL_CHARS) -> str:
    """Any cell as text (numbers as typed, never '45.0'); refuses text longer than limit."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        text = "yes" if raw else "no"
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, (datetime, date)):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = excel_text_restore(text.strip())
    if len(text) > limit:
        raise BadCell(f"expected at most {limit:,} characters, got {len(text):,}")
    return text


def number_value(raw: Any, what: str, lo: float | None, hi: float | None, percent_format: bool = False) -> float:
    """A finite number within [lo, hi]; text like '45' or '99.9 %' is accepted, '45 min' is not."""
    value: float | None = None
    if isinstance(raw, (bool, datetime, date, time, timedelta)):
        raise BadCell(f"expected {what}, got {shown(raw)}")
    if isinstance(raw, (int, float)):
        value = float(raw) * (100 if percent_format else 1)
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        text = text.removesuffix("%")
        if _AMBIGUOUS.match(text):
            raise BadCell(f"expected {what} without thousands separators, got {shown(raw)}")
        if _NUMBER_TEXT.match(text):
            value = float(text.replace(",", "."))
    if value is None or not math.isfinite(value):
        raise BadCell(f"expected {what}, got {shown(raw)}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise BadCell(f"expected {what}, got {value:g}")
    return value


def number_phrase(unit: str, lo: float | None, hi: float | None) -> str:
    """'minutes between 0 and 1440', 'a percentage between 90 and 100', 'an amount in USD of at least 0'."""
    if unit.strip().lower() in ("percent", "%"):
        noun = "a percentage"
    elif len(unit) == 3 and unit.isalpha() and unit.isupper():
        noun = f"an amount in {unit}"
    else:
        noun = unit or "a number"
    if lo is not None and hi is not None:
        return f"{noun} between {lo:g} and {hi:g}"
    if lo is not None:
        return f"{noun} of at least {lo:g}"
    if hi is not None:
        return f"{noun} of at most {hi:g}"
    return noun


@lru_cache(maxsize=1024)
def _index(choices: tuple[str, ...]) -> dict[str, str]:
    """Normalised form -> canonical choice, built once per list rather than once per cell."""
    return {norm(c): c for c in choices}


def choice_value(raw: Any, choices: Sequence[str], what: str) -> str:
    """One of choices (matched ignoring case and spacing), returned as the canonical text."""
    text = text_value(raw)
    by_norm = _index(tuple(choices))
    found = by_norm.get(norm(text))
    if found is None:
        raise BadCell(f"expected {what}, got {shown(raw)}")
    return found


def multi_choice_value(raw: Any, choices: Sequence[str]) -> list[str]:
    """Options separated by ';' (an option may itself contain ';'); each once, in the list's order."""
    text = text_value(raw)
    by_norm = _index(tuple(choices))
    parts = [p for p in (norm(x) for x in text.split(MULTI_SEPARATOR))]
    picked: set[str] = set()
    i = 0
    while i < len(parts):
        if not parts[i]:
            i += 1
            continue
        for j in range(len(parts), i, -1):  # longest run of parts that names one option
            joined = norm(f"{MULTI_SEPARATOR} ".join(parts[i:j]))
            if joined in by_norm:
                picked.add(by_norm[joined])
                i = j
                break
        else:
            raise BadCell(f"expected options from the list separated by ';', got the unknown option {shown(parts[i])}")
    return [c for c in choices if c in picked]


def answer_value(c: domain.Criterion, raw: Any, percent_format: bool = False) -> Any:
    """The clean answer to criterion c, or None when the cell is empty."""
    if is_blank(raw):
        return None
    if c.answer_type == "yes_no_partial":
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        return choice_value(raw, YES_NO_PARTIAL, "yes, no or partial")
    if c.answer_type == "number":
        percent = percent_format and c.answer_unit.strip().lower() in ("percent", "%")
        what = number_phrase(c.answer_unit, c.answer_min, c.answer_max)
        value = number_value(raw, what, c.answer_min, c.answer_max, percent)
        if c.answer_integer and not value.is_integer():
            raise BadCell(f"expected a whole number ({what}), got {value:g}")
        return value
    if c.answer_type == "single_choice":
        return choice_value(raw, c.choices, "one of the options in the drop-down list")
    if c.answer_type == "multi_choice":
        return multi_choice_value(raw, c.choices)
    return text_value(raw)
