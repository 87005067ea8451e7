"""The one place that makes untrusted text (vendors', users') safe for each output format."""

from __future__ import annotations

from xml.sax.saxutils import escape

# OWASP: a cell starting with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def pdf_text(value: object) -> str:
    """Escape text for reportlab Paragraph markup; newlines become line breaks."""
    text = "" if value is None else str(value)
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def excel_text(value: str) -> str:
    """Text that can never run as a formula: a leading trigger gets an apostrophe-like guard.

    The guard is a leading single quote, which Excel shows as text and most readers strip
    visually; numbers are never passed here, so they stay numbers.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
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
