"""The one validation layer for what people type: ids, texts, names and numbers.

The CLI passes every argument through check_argument, services pass every stored name and
number through check_name/check_number, and the CLI's terminal output goes through
terminal_safe. Each refusal is one ValidationError sentence naming the field.
"""

from __future__ import annotations

import math
import re
import unicodedata

from vendor_eval.errors import ValidationError

MAX_NAME = 200  # the columns' String(200)
MAX_TEXT = 20_000  # comments, statements, reasons
MAX_ID_DIGITS = 18  # below SQLite's 64-bit integer limit
MAX_INT = 2**53  # any integer option (samples, seeds, ids): beyond it a float cannot hold it exactly

# C0 and C1 controls (ESC starts terminal sequences) and the bidirectional overrides that
# make a name read differently from what is stored; tab and newline are allowed in texts.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # \r: progress


def parse_id(text: str) -> int | None:
    """A plain decimal id ("12"), or None: superscripts, other scripts' digits, signs and
    numbers beyond a database integer are not ids (they are looked up as names)."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


def check_text(value: str, what: str, max_len: int = MAX_TEXT) -> str:
    """Valid Unicode (no undecodable bytes), no control characters, at most max_len characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"{what} is not valid text: it holds bytes that are not UTF-8.") from None
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ValidationError(f"{what} contains a control character (U+{ord(bad.group()):04X}) at position "
                              f"{bad.start() + 1}; remove it.")
    if len(value) > max_len:
        raise ValidationError(f"{what} is {len(value):,} characters long; the limit is {max_len:,}.")
    return value


def check_name(value: str, what: str) -> str:
    """A name: trimmed, non-empty, valid text on one line, at most MAX_NAME characters (NFC)."""
    name = unicodedata.normalize("NFC", check_text(str(value), what, max_len=10 * MAX_NAME).strip())
    if not name:
        raise ValidationError(f"{what} is empty; give a name.")
    if "\n" in name or "\t" in name:
        raise ValidationError(f"{what} must be on one line.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"{what} is {len(name):,} characters long; the limit is {MAX_NAME}.")
    return name


def name_key(name: str) -> str:
    """What makes two names the same name: case, width, accents, invisible characters and
    spacing do not count ("Bluestem", "BLUESTEM", "Bluéstem", "Blue\u200bstem" are one)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf", "Cc"))
    return " ".join(text.casefold().split())


def same_name(name: str, existing: list[str]) -> str | None:
    """The existing name that `name` would be confused with, if any."""
    key = name_key(name)
    return next((other for other in existing if name_key(other) == key), None)


def check_number(value: float, what: str, low: float, high: float) -> float:
    """A finite number within [low, high]."""
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationError(f"{what} must be a number from {_plain(low)} to {_plain(high)}, got {value!r}.")
    return value


def _plain(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def check_argument(value: object, what: str) -> None:
    """One parsed command-line value: text as above, integers and floats in range."""
    if isinstance(value, str):
        check_text(value, what)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise ValidationError(f"{what} is out of range ({len(str(abs(value)))} digits).")
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 1e15:
            raise ValidationError(f"{what} must be a finite number of sensible size, got {value!r}.")
    elif isinstance(value, list | tuple):
        for item in value:
            check_argument(item, what)
    else:
        check_text(str(value), what)


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters shown as U+FFFD instead of acting on the terminal."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _TERMINAL_UNSAFE.sub("\ufffd", text)
