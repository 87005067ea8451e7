"""How each sheet of the committee workbook prints: A4 (the PDF report's paper), orientation,
fit to one page wide, repeated header rows and label column, print area, and a footer with
the evaluation, "Page X of Y" and the fingerprint. All standard OOXML, so Excel's page layout
and LibreOffice read the same settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from vendor_eval.io.report.data import short_fingerprint
from vendor_eval.io.text_safety import XML_ILLEGAL

A4 = 9  # OOXML paperSize code
NAME_LIMIT = 90  # Excel refuses a header or footer over 255 characters
MARGINS = PageMargins(left=0.35, right=0.35, top=0.55, bottom=0.55, header=0.25, footer=0.25)  # inches
MIN_FIT_SCALE = 0.55  # below this a page is too small to read: print across pages instead
PORTRAIT_SCALE = 0.65  # an "automatic" sheet turns landscape when portrait would shrink it more


@dataclass(frozen=True)
class PrintFrame:
    """What every printed page repeats: the evaluation's name and its fingerprint."""

    evaluation: str
    fingerprint: str

    def decorate(self, ws: Any) -> None:
        """Header: sheet name; footer: evaluation, Page X of Y, short fingerprint (8 pt, grey)."""
        name = hf_text(self.evaluation)
        if len(name) > NAME_LIMIT:
            name = name[: NAME_LIMIT - 1].rstrip("&") + "…"
        parts = ((ws.oddHeader.left, "&A"), (ws.oddHeader.right, "Committee workbook"),
                 (ws.oddFooter.left, name), (ws.oddFooter.center, "Page &P of &N"),
                 (ws.oddFooter.right, f"Fingerprint {short_fingerprint(self.fingerprint)}"))
        for part, text in parts:
            part.text, part.size, part.color = text, 8, "5F6B7A"


def hf_text(text: str) -> str:
    """User text inside a header or footer: '&' starts a code there, so it is doubled."""
    return XML_ILLEGAL.sub("\ufffd", text).replace("\r", " ").replace("\n", " ").replace("&", "&&")


def setup_print(sheet: Any, frame: PrintFrame, *, landscape: bool | None = False, title_rows: str | None = None,
                title_cols: str | None = None, area: str | None = None, one_page: bool = False,
                width_units: float | None = None) -> None:
    """Page setup of one sheet. Fit to one page wide (height free), or to one page when
    one_page; when width_units (the printed columns' total width) says fitting would shrink
    the text below MIN_FIT_SCALE, pages go across instead, the label columns repeated.
    landscape=None chooses: portrait unless that would shrink the text below PORTRAIT_SCALE."""
    if landscape is None:
        landscape = width_units is not None and width_units > printable_units(False) / PORTRAIT_SCALE
    ws = getattr(sheet, "ws", sheet)  # xlsx_sheets.Sheet wraps the worksheet
    setup = ws.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = A4
    ws.page_margins = MARGINS
    fit = one_page or width_units is None or width_units <= printable_units(landscape) / MIN_FIT_SCALE
    if fit:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        setup.fitToWidth = 1
        setup.fitToHeight = 1 if one_page else 0
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if area:
        ws.print_area = area
    frame.decorate(ws)


def printable_units(landscape: bool) -> float:
    """Roughly how many column-width units fit across A4 inside the margins (1 unit ~ 5.6 pt)."""
    width_pt = (842 if landscape else 595) - 72 * (MARGINS.left + MARGINS.right)
    return float(width_pt / 5.6)
