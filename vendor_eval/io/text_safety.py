"""The one place that makes untrusted text (vendors', users') safe for each output format."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# OWASP: a cell starting with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 forbids: openpyxl refuses them (IllegalCharacterError) and
# would abort a whole export over one pasted comment, so they become U+FFFD.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_LIMIT = 32_767  # characters; Excel "repairs" (drops) longer cells


def pdf_text(value: object) -> str:
    """Escape text for reportlab Paragraph markup; newlines become line breaks; NUL and other
    control characters (which reach the PDF raw otherwise) become U+FFFD."""
    text = XML_ILLEGAL.sub("\ufffd", "" if value is None else str(value))
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def excel_text(value: str) -> str:
    """Text that can never run as a formula: a leading trigger gets an apostrophe-like guard.

    The guard is a leading single quote, which Excel shows as text and most readers strip
    visually; numbers are never passed here, so they stay numbers. Control characters XML
    cannot hold are replaced, and text beyond Excel's cell limit is cut with an ellipsis.
    """
    value = XML_ILLEGAL.sub("\ufffd", value)
    if value.startswith(FORMULA_TRIGGERS):
        value = "'" + value
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def set_text_cell(cell: object, value: str) -> None:
    """Write untrusted text into an openpyxl cell as a string, never as a formula."""
    cell.value = excel_text(value)  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]


def excel_text_restore(value: str) -> str:
    """Undo excel_text's guard when reading back a workbook we wrote, so names round-trip exactly."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
