"""Opening untrusted .xlsx files: every way a file can be hostile or broken ends in one sentence.

Checks run before openpyxl sees the bytes, cheapest first: file size, file signature
(empty, encrypted, legacy .xls, CSV or other non-zip), zip directory, zip-bomb limits
on every member's size and compression ratio, and the workbook part. openpyxl then parses
in read_only mode (streaming, low memory) with defusedxml active, so entity bombs and
external entities are refused. Macros (.xlsm) are never run: openpyxl does not execute
VBA and we load without keep_vba, so the project is dropped and the caller is told.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from vendor_eval.errors import ValidationError

MAX_FILE_BYTES = 20_000_000
MAX_MEMBER_BYTES = 100_000_000  # uncompressed size of any one part
MAX_TOTAL_BYTES = 250_000_000  # uncompressed size of all parts
MAX_RATIO = 200  # uncompressed / compressed, checked on parts over RATIO_FLOOR
RATIO_FLOOR = 5_000_000
MAX_MEMBERS = 2_000
MAX_ROWS = 5_000  # per sheet that we read; a questionnaire has a few hundred
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

# What a damaged or hostile file can make zipfile, zlib, expat and openpyxl raise.
READ_ERRORS = (ValueError, KeyError, ParseError, zipfile.BadZipFile, InvalidFileException, OSError, TypeError,
               AttributeError, IndexError, EOFError, zlib.error, struct.error, NotImplementedError, OverflowError)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def require_defusedxml() -> None:
    """openpyxl only protects against XML attacks when defusedxml is importable; refuse to run without it."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("defusedxml is not installed: vendor_eval refuses to open untrusted workbooks without it.")


@dataclass
class SafeWorkbook:
    """A workbook opened read-only, with what the checks noticed on the way."""

    workbook: Workbook
    has_macros: bool
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.workbook.close()


def check_container(data: bytes, name: str) -> bool:
    """Refuse anything that is not a plain, reasonably sized .xlsx zip; returns whether it holds macros."""
    if not data:
        raise ValidationError(f"{name} is empty (0 bytes); it is not an Excel workbook.")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{name} is {len(data) / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit for a questionnaire; "
            "remove embedded pictures or attachments and send them separately."
        )
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_MARK in data:
            raise ValidationError(f"{name} is protected with a password (encrypted); ask for a copy saved without one.")
        raise ValidationError(f"{name} is an old-style .xls file; open it in Excel or LibreOffice and save it as .xlsx.")
    if not data.startswith(b"PK"):
        raise ValidationError(f"{name} is not an Excel workbook (it looks like {_sniff(data)}); save it as .xlsx.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error, NotImplementedError):
        raise ValidationError(f"{name} is damaged or incomplete (not a readable zip archive); send it again.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValidationError(f"{name} holds {len(members)} parts, far more than a workbook has; it was refused.")
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise ValidationError(f"{name} is a zip archive but not an Excel workbook (no xl/workbook.xml).")
        _check_sizes(members, name)
        return "xl/vbaProject.bin" in names


def _check_sizes(members: list[zipfile.ZipInfo], name: str) -> None:
    """Checked on the sizes the archive declares: zipfile never inflates a part past its declared
    size (it stops there and fails the CRC check), so a part that lies about its size cannot
    expand beyond what was checked here."""
    total = 0
    for m in members:
        if m.flag_bits & 0x1:
            raise ValidationError(f"{name} has encrypted parts; ask for a copy saved without a password.")
        declared = m.file_size
        if declared > MAX_MEMBER_BYTES or (declared > RATIO_FLOOR and declared > MAX_RATIO * max(m.compress_size, 1)):
            raise _bomb(name, m.filename)
        total += declared
        if total > MAX_TOTAL_BYTES:
            raise _bomb(name, m.filename)


def _bomb(name: str, part: str) -> ValidationError:
    return ValidationError(
        f"{name} expands to far more data than a questionnaire holds ({part}); it was refused as a possible zip bomb."
    )


def _sniff(data: bytes) -> str:
    head = data[:512]
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return "HTML or XML"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    return "CSV or plain text" if ("," in text or ";" in text or "\t" in text) else "plain text"


def open_workbook(data: bytes, name: str, formulas: bool = True) -> SafeWorkbook:
    """Open checked bytes read-only. formulas=True keeps formulas (to flag them);
    False gives the values Excel or LibreOffice saved for them."""
    require_defusedxml()
    has_macros = check_container(data, name)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False)
    except READ_ERRORS as exc:
        raise _unreadable(exc, f"{name} is not a valid Excel workbook", name) from None
    notes = ["it contains macros (VBA); they were ignored and never run"] if has_macros else []
    return SafeWorkbook(workbook, has_macros, notes)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def iter_sheet_rows(workbook: Workbook, sheet: str, name: str, max_col: int, max_rows: int = MAX_ROWS) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as read-only cells, refusing sheets past max_rows (counted, not the file's own claim)."""
    ws = workbook[sheet]
    try:
        ws.reset_dimensions()  # the file states its own size; read what is really there
        for count, row in enumerate(ws.iter_rows(max_col=max_col), start=1):
            if count > max_rows:
                raise ValidationError(f"{name}: sheet {sheet!r} has more than {max_rows:,} rows; it was refused.")
            yield row
    except ValidationError:
        raise
    except READ_ERRORS as exc:
        raise _unreadable(exc, f"{name}: sheet {sheet!r} cannot be read", name) from None


def _unreadable(exc: BaseException, what: str, name: str) -> ValidationError:
    """openpyxl wraps parser errors in its own; look down the chain for defusedxml's refusal."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return ValidationError(f"{name} contains XML entity or DTD declarations (a known attack); it was refused.")
        if isinstance(seen, (zipfile.BadZipFile, EOFError, zlib.error)):
            return ValidationError(f"{name} is damaged or incomplete ({_short(seen)}); send it again.")
        seen = seen.__cause__ or seen.__context__
    return ValidationError(f"{what} ({_short(exc)}).")
