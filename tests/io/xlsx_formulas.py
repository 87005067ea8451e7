"""A small evaluator of the formulas the committee workbook uses, so tests can recalculate
the live totals without Excel or LibreOffice.

Grammar: numbers, "strings", references (Sheet!$A$1, 'Sheet name'!A1:B9), ranges,
unary -, + - * /, > < = >= <= <>, and SUM, SUMPRODUCT, SUMIF, IF, ISNUMBER.
Anything else raises, so a formula outside this grammar fails the test loudly.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import column_index_from_string

TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
  | (?P<func>[A-Z]+)\(
  | (?P<op><>|>=|<=|[-+*/(),<>=])
)""", re.VERBOSE)
FUNCS = {"SUM", "SUMPRODUCT", "SUMIF", "IF", "ISNUMBER"}


class Arr(list):  # type: ignore[type-arg]
    """A flattened range or an element-wise result."""


def tokenize(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse {text[pos:]!r} in {text!r}")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class Evaluator:
    def __init__(self, workbook: Any):
        self.wb = workbook
        self.cache: dict[tuple[str, int, int], Any] = {}
        self.overrides: dict[tuple[str, int, int], Any] = {}

    def set(self, sheet: str, coord: str, value: Any) -> None:
        self.overrides[self._key(sheet, coord)] = value
        self.cache.clear()

    def _key(self, sheet: str, coord: str) -> tuple[str, int, int]:
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", coord)
        assert m, coord
        return sheet, int(m.group(2)), column_index_from_string(m.group(1))

    def value(self, sheet: str, coord: str) -> Any:
        return self._cell(*self._key(sheet, coord))

    def _cell(self, sheet: str, row: int, col: int) -> Any:
        key = (sheet, row, col)
        if key in self.overrides:
            return self.overrides[key]
        if key not in self.cache:
            cell = self.wb[sheet].cell(row, col)
            v = cell.value
            if cell.data_type == "f" and isinstance(v, str) and v.startswith("="):
                self.cache[key] = None  # cycle guard
                v = self.formula(sheet, v[1:])
            self.cache[key] = v
        return self.cache[key]

    def formula(self, sheet: str, text: str) -> Any:
        saved = getattr(self, "tokens", None), getattr(self, "i", 0), getattr(self, "sheet", None)
        self.tokens, self.i, self.sheet = tokenize(text), 0, sheet  # re-entrant: refs evaluate other cells
        try:
            value = self._compare()
            if self.i != len(self.tokens):
                raise ValueError(f"trailing tokens in {text!r}")
            return value
        finally:
            self.tokens, self.i, self.sheet = saved  # type: ignore[assignment]

    # --- recursive descent -------------------------------------------------------------
    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self, op: str | None = None) -> tuple[str, str]:
        tok = self.tokens[self.i]
        if op is not None and tok != ("op", op):
            raise ValueError(f"expected {op!r}, got {tok!r}")
        self.i += 1
        return tok

    def _compare(self) -> Any:
        left = self._add()
        while (t := self._peek()) and t[0] == "op" and t[1] in ("<", ">", "=", "<=", ">=", "<>"):
            self._take()
            right = self._add()
            left = _zip(left, right, _CMP[t[1]])
        return left

    def _add(self) -> Any:
        left = self._mul()
        while (t := self._peek()) in (("op", "+"), ("op", "-")):
            self._take()
            right = self._mul()
            left = _zip(left, right, (lambda a, b: _n(a) + _n(b)) if t[1] == "+" else (lambda a, b: _n(a) - _n(b)))
        return left

    def _mul(self) -> Any:
        left = self._unary()
        while (t := self._peek()) in (("op", "*"), ("op", "/")):
            self._take()
            right = self._unary()
            left = _zip(left, right, (lambda a, b: _n(a) * _n(b)) if t[1] == "*" else (lambda a, b: _n(a) / _n(b)))
        return left

    def _unary(self) -> Any:
        if self._peek() == ("op", "-"):
            self._take()
            return _zip(self._unary(), 0, lambda a, _b: -_n(a))
        return self._atom()

    def _atom(self) -> Any:
        kind, text = self._take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self._ref(text)
        if kind == "func":
            return self._call(text)
        if (kind, text) == ("op", "("):
            value = self._compare()
            self._take(")")
            return value
        raise ValueError(f"unexpected {text!r}")

    def _ref(self, text: str) -> Any:
        sheet = self.sheet
        if "!" in text:
            name, text = text.rsplit("!", 1)
            sheet = name[1:-1].replace("''", "'") if name.startswith("'") else name
        if ":" not in text:
            return self._cell(*self._key(sheet, text))
        a, b = (self._key(sheet, x) for x in text.split(":"))
        return Arr(self._cell(sheet, r, c) for r in range(a[1], b[1] + 1) for c in range(a[2], b[2] + 1))

    def _call(self, name: str) -> Any:
        if name not in FUNCS:
            raise ValueError(f"function {name} is outside the workbook's grammar")
        args = []
        if self._peek() != ("op", ")"):
            args.append(self._compare())
            while self._peek() == ("op", ","):
                self._take()
                args.append(self._compare())
        self._take(")")
        if name == "IF":
            return args[1] if _truthy(args[0]) else (args[2] if len(args) > 2 else False)
        if name == "ISNUMBER":
            return _zip(args[0], 0, lambda a, _b: isinstance(a, (int, float)) and not isinstance(a, bool))
        if name == "SUM":
            return sum(_num_or_zero(x) for a in args for x in (a if isinstance(a, Arr) else [a]))
        if name == "SUMIF":
            rng, crit, total = args
            return sum(_num_or_zero(t) for r, t in zip(rng, total, strict=True)
                       if str(r).lower() == str(crit).lower())
        arrays = [a if isinstance(a, Arr) else Arr([a]) for a in args]
        assert len({len(a) for a in arrays}) == 1, "SUMPRODUCT ranges differ in size"
        total = 0.0
        for items in zip(*arrays, strict=True):
            product = 1.0
            for x in items:
                product *= _num_or_zero(x)
            total += product
        return total


_CMP = {"<": lambda a, b: _n(a) < _n(b), ">": lambda a, b: _n(a) > _n(b), "=": lambda a, b: a == b,
        "<=": lambda a, b: _n(a) <= _n(b), ">=": lambda a, b: _n(a) >= _n(b), "<>": lambda a, b: a != b}


def _n(x: Any) -> float:
    if x is None:
        return 0.0
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, (int, float)):
        return float(x)
    raise ValueError(f"#VALUE! ({x!r} is not a number)")


def _num_or_zero(x: Any) -> float:
    """SUM and SUMPRODUCT skip text and blanks (TRUE/FALSE only count after --)."""
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def _truthy(x: Any) -> bool:
    return bool(x) if not isinstance(x, str) else x != ""


def _zip(a: Any, b: Any, f: Any) -> Any:
    if isinstance(a, Arr) or isinstance(b, Arr):
        n = len(a) if isinstance(a, Arr) else len(b)
        aa = a if isinstance(a, Arr) else [a] * n
        bb = b if isinstance(b, Arr) else [b] * n
        return Arr(f(x, y) for x, y in zip(aa, bb, strict=True))
    return f(a, b)
