"""Rows keyed by a cell, held as columns: the shape shared by scores, consensus and suggestions.

A large evaluation holds 10^5-10^6 scores and up to one consensus and one suggestion per
vendor x criterion cell; as objects they cost ~500 bytes each and seconds to load, as columns
8 bytes per number plus the texts that are not empty.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar, overload

import numpy as np

E = TypeVar("E", bound=tuple[Any, ...])  # the NamedTuple a row reads as
Key = tuple[int, ...]
FOLD = 256  # edited cells an overlay holds before they are folded into new columns


class CellTable(Generic[E]):
    """One row per cell, one numpy array per numeric field, a dict per text field (row id ->
    text, empty texts left out), and an optional timestamp column (None when not loaded:
    no screen or report reads them, and parsing them cost more than the rest of a load).

    Immutable, like the Snapshot that holds it. with_cell() returns a new table that shares
    these arrays and carries the changed cells in a small overlay, so an edit costs O(overlay)
    and never a pass over every row; the overlay is folded into new columns when it grows past
    FOLD cells, or once when a reader wants whole columns. Rows stay in id order, as a fresh
    load reads them. Reads as a sequence of entries (len, index, iterate, compare with a tuple).

    A subclass names its entry type and which of its fields are the cell, numbers and texts;
    its remaining field is the timestamp.
    """

    __slots__ = ("_base", "_overlay", "_merged")
    ENTRY: ClassVar[Any]  # the NamedTuple class
    KEY: ClassVar[tuple[str, ...]]  # fields that name the cell, in the order get() takes them
    NUMBERS: ClassVar[dict[str, Any]]  # field -> numpy dtype; "id" first, KEY included
    TEXTS: ClassVar[tuple[str, ...]]
    STAMP: ClassVar[str] = "updated_at"

    def __init__(self, **fields: Any) -> None:
        """Numbers as arrays (or sequences), texts as {row id: text}, the stamp as an array or None."""
        cols: dict[str, Any] = {name: np.asarray(fields.get(name, ()), dtype) for name, dtype in self.NUMBERS.items()}
        stamps = fields.get(self.STAMP)
        cols[self.STAMP] = None if stamps is None or self.STAMP not in self.ENTRY._fields else np.asarray(
            stamps, "datetime64[us]")
        for a in cols.values():
            if isinstance(a, np.ndarray):
                a.flags.writeable = False  # shared by every copy made with with_cell
        for name in self.TEXTS:
            cols[name] = {k: t for k, t in (fields.get(name) or {}).items() if t}
        self._base = cols
        self._overlay: dict[Key, E | None] = {}
        self._merged: dict[str, Any] | None = cols

    @classmethod
    def of(cls, entries: Iterable[E]) -> Any:
        """A table holding these entries (tests, and snapshots built by hand)."""
        rows: list[Any] = list(entries)
        fields: dict[str, Any] = {c: [getattr(r, c) for r in rows] for c in cls.NUMBERS}
        fields.update({c: {r.id: getattr(r, c) for r in rows} for c in cls.TEXTS})
        if cls.STAMP in cls.ENTRY._fields:
            stamps = [getattr(r, cls.STAMP) for r in rows]
            fields[cls.STAMP] = None if not rows or None in stamps else stamps
        return cls(**fields)

    # --- columns ---
    def _columns(self) -> dict[str, Any]:
        """The base with the overlay applied (computed once per table)."""
        if self._merged is None:
            base, overlay = self._base, self._overlay
            keep = np.ones(len(base["id"]), bool)
            for cell in overlay:
                row = self._base_row(cell)
                if row is not None:
                    keep[row] = False
            added: list[Any] = [x for x in overlay.values() if x is not None]
            cols: dict[str, Any] = {c: np.concatenate([base[c][keep], np.array([getattr(x, c) for x in added], dtype)])
                                    for c, dtype in self.NUMBERS.items()}
            stamps = base[self.STAMP]
            cols[self.STAMP] = None if stamps is None or any(getattr(x, self.STAMP) is None for x in added) else (
                np.concatenate([stamps[keep], np.array([getattr(x, self.STAMP) for x in added], stamps.dtype)]))
            gone = {int(i) for i in base["id"][~keep]}
            for name in self.TEXTS:
                texts = {k: t for k, t in base[name].items() if k not in gone}
                texts.update({x.id: getattr(x, name) for x in added if getattr(x, name)})
                cols[name] = texts
            if added:  # back in id order, as a fresh load reads them (an edited cell keeps its place)
                order = np.argsort(cols["id"], kind="stable")
                for c in (*self.NUMBERS, self.STAMP):
                    if cols[c] is not None:
                        cols[c] = cols[c][order]
            self._merged = cols
        return self._merged

    def column(self, name: str) -> Any:
        """One field as a whole: an array for numbers and the stamp (or None), a dict for texts."""
        return self._columns()[name]

    @property
    def id(self) -> np.ndarray:
        return self.column("id")  # type: ignore[no-any-return]

    @property
    def vendor_id(self) -> np.ndarray:
        return self.column("vendor_id")  # type: ignore[no-any-return]

    @property
    def criterion_id(self) -> np.ndarray:
        return self.column("criterion_id")  # type: ignore[no-any-return]

    @property
    def value(self) -> np.ndarray:
        return self.column("value")  # type: ignore[no-any-return]

    # --- rows ---
    def _entry_of(self, cols: dict[str, Any], row: int) -> E:
        sid = int(cols["id"][row])
        out: list[Any] = []
        for name in self.ENTRY._fields:
            if name in self.NUMBERS:
                out.append(cols[name][row].item())
            elif name in self.TEXTS:
                out.append(cols[name].get(sid, ""))
            else:
                stamps = cols[self.STAMP]
                out.append(None if stamps is None else stamps[row].item())
        return self.ENTRY._make(out)  # type: ignore[no-any-return]

    def entry(self, row: int) -> E:
        return self._entry_of(self._columns(), row)

    def rows(self, mask: np.ndarray | None = None) -> Iterator[E]:
        """The rows as entries, in table order; with a boolean mask only those it selects.
        Built a column at a time (tolist), not a field at a time: a tenth of the cost per row."""
        cols = self._columns()
        picked: Any = slice(None) if mask is None else np.flatnonzero(mask)
        ids = cols["id"][picked].tolist()
        fields: list[Iterable[Any]] = []
        for name in self.ENTRY._fields:
            if name in self.NUMBERS:
                fields.append(ids if name == "id" else cols[name][picked].tolist())
            elif name in self.TEXTS:
                texts = cols[name]
                fields.append([texts.get(i, "") for i in ids] if texts else itertools.repeat(""))
            else:
                stamps = cols[self.STAMP]
                fields.append(itertools.repeat(None) if stamps is None else stamps[picked].tolist())
        return itertools.starmap(self.ENTRY, zip(*fields, strict=False))  # repeat() columns have no end

    def _get(self, cell: Key) -> E | None:
        """One cell's row, found without a pass over the table."""
        if cell in self._overlay:
            return self._overlay[cell]
        row = self._base_row(cell)
        return None if row is None else self._entry_of(self._base, row)

    def _base_row(self, cell: Key) -> int | None:
        """Row of a cell in the base columns: binary search over a sort made once per base (and
        kept with it, so every copy that shares the base shares the sort)."""
        base = self._base
        if "sorted" not in base:
            order = np.lexsort(tuple(base[k] for k in reversed(self.KEY)))
            base["sorted"] = (order, *(base[k][order] for k in self.KEY))
        order, *keys = base["sorted"]
        lo, hi = 0, len(order)
        for key, want in zip(keys, cell, strict=True):
            lo, hi = lo + int(np.searchsorted(key[lo:hi], want, "left")), lo + int(np.searchsorted(key[lo:hi], want, "right"))
            if lo == hi:
                return None
        return int(order[lo])

    # --- edits ---
    def _with(self, cell: Key, entry: E | None) -> Any:
        """A copy with one cell set to entry (None: cleared); this table is left as it was."""
        copy = type(self).__new__(type(self))
        copy._base = self._base
        copy._overlay = {**self._overlay, cell: entry}
        copy._merged = None
        if len(copy._overlay) > FOLD:
            folded = copy._columns()
            copy = type(self)(**{c: folded[c] for c in (*self.NUMBERS, *self.TEXTS, self.STAMP)})
        return copy

    # --- sequence of entries ---
    def __len__(self) -> int:
        if self._merged is not None:
            return len(self._merged["id"])
        n = len(self._base["id"])
        for cell, entry in self._overlay.items():
            n += (entry is not None) - (self._base_row(cell) is not None)
        return n

    def __iter__(self) -> Iterator[E]:
        return self.rows()

    @overload
    def __getitem__(self, i: int) -> E: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[E, ...]: ...
    def __getitem__(self, i: int | slice) -> E | tuple[E, ...]:
        if isinstance(i, slice):
            return tuple(self.entry(r) for r in range(len(self))[i])
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"{type(self).__name__} row out of range")
        return self.entry(i % n)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CellTable | tuple | list):
            return sorted(self) == sorted(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"


def as_table(cls: type[CellTable[Any]], rows: CellTable[Any] | Iterable[Any]) -> Any:
    """rows as a table of cls (a table of that class is kept as it is)."""
    return rows if isinstance(rows, cls) else cls.of(rows)

