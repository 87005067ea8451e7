"""A scoring spreadsheet as plain grids: .xlsx through the shared safety layer, .csv and .ods.

Every format becomes the same `Sheet`: cell values (the saved result where a cell holds a
formula), which cells hold formulas and which are formatted as percentages, so layout
detection never needs to know where the grid came from.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from openpyxl.utils import get_column_letter

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.safety import (
    MAX_FILE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_TOTAL_BYTES,
    iter_sheet_rows,
    open_workbook,
)

MAX_COLS = 300
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


@dataclass(frozen=True)
class Sheet:
    name: str
    cells: tuple[tuple[Any, ...], ...]
    formulas: frozenset[tuple[int, int]] = frozenset()
    percent: frozenset[tuple[int, int]] = frozenset()  # cells shown as percentages (0.25 shows 25 %)

    @cached_property
    def rows(self) -> int:
        return len(self.cells)

    @cached_property
    def cols(self) -> int:
        return max([len(r) for r in self.cells] + [c + 1 for _, c in self.formulas], default=0)

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.cells) and 0 <= col < len(self.cells[row]):
            return self.cells[row][col]
        return None

    def at(self, row: int, col: int) -> str:
        """The cell's address as the user sees it: 'Scoring'!C5 style, quoted only when needed."""
        name = self.name if re.fullmatch(r"\w+", self.name) else f"'{self.name}'"
        return f"{name}!{get_column_letter(col + 1)}{row + 1}"


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """Every sheet of the file, by its extension (.xlsx/.xlsm, .csv/.txt, .ods)."""
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix in ("csv", "txt", "tsv"):
        return [_read_csv(data, file_name)]
    if suffix == "ods":
        return _read_ods(data, file_name)
    return _read_xlsx(data, file_name)


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    # Formulas are read once as written (to know where they are) and once as saved results.
    book = open_workbook(data, file_name, formulas=True)
    try:
        raw = {name: [tuple(row) for row in iter_sheet_rows(book.workbook, name, file_name, max_col=MAX_COLS)]
               for name in book.workbook.sheetnames if book.workbook[name].sheet_state == "visible"}
    finally:
        book.close()
    book = open_workbook(data, file_name, formulas=False)
    try:
        sheets = []
        for name, rows in raw.items():
            saved = [[c.value for c in row] for row in iter_sheet_rows(book.workbook, name, file_name, max_col=MAX_COLS)]
            formulas = frozenset((r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                                 if getattr(cell, "data_type", None) == "f")
            percent = frozenset((r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                                if "%" in str(getattr(cell, "number_format", "") or ""))
            sheets.append(Sheet(name, tuple(_trim(r) for r in saved), formulas, percent))
        return sheets
    finally:
        book.close()


def _trim(row: list[Any]) -> tuple[Any, ...]:
    """Read-only rows are padded to the widest column asked for; keep what holds something."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return tuple(row[:end])


def _read_csv(data: bytes, file_name: str) -> Sheet:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"{file_name} is {len(data) / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[Any, ...]] = []
    formulas = set()
    for r, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if r >= MAX_ROWS:
            raise ValidationError(f"{file_name} has more than {MAX_ROWS:,} rows; it was refused.")
        cells: list[Any] = []
        for c, cell in enumerate(row[:MAX_COLS]):
            cell = cell.strip()
            if cell.startswith("="):  # a formula typed into a CSV is never evaluated: it is not a value
                formulas.add((r, c))
                cells.append(None)
            elif _NUMBER.match(cell) and (dialect.delimiter == ";" or "," not in cell):
                cells.append(float(cell.replace(",", ".")))
            else:
                cells.append(cell or None)
        rows.append(tuple(cells))
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "Sheet1"
    return Sheet(stem, tuple(rows), frozenset(formulas))


def _read_ods(data: bytes, file_name: str) -> list[Sheet]:
    import pandas as pd  # only .ods needs it, through odfpy

    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"{file_name} is {len(data) / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if "content.xml" not in {m.filename for m in members}:
                raise KeyError("content.xml")
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_TOTAL_BYTES or any(
                    m.file_size > MAX_MEMBER_BYTES or m.flag_bits & 0x1 for m in members):
                raise ValidationError(f"{file_name} expands to far more data than a spreadsheet holds, or is "
                                      "encrypted; it was refused.")
            heads = [archive.open(m).read(4096) for m in members if m.filename.endswith(".xml")]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        raise ValidationError(f"{file_name} is not a readable OpenDocument spreadsheet (.ods).") from None
    if any(b"<!DOCTYPE" in head or b"<!ENTITY" in head for head in heads):
        # odfpy's parser does not refuse entity declarations; a DTD can only sit before the root element.
        raise ValidationError(f"{file_name} contains XML entity or DTD declarations (a known attack); it was refused.")
    try:
        frames = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=None, header=None, dtype=object)
    except (ValueError, KeyError, OSError, TypeError, AttributeError, IndexError) as exc:
        raise ValidationError(f"{file_name} is not a readable OpenDocument spreadsheet ({str(exc)[:100]}).") from None
    sheets = []
    for name, frame in frames.items():
        rows = tuple(tuple(None if _missing(v) else v for v in row) for row in frame.itertuples(index=False))
        sheets.append(Sheet(str(name), rows[:MAX_ROWS]))
    return sheets


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
