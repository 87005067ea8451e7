"""The page furniture: A4 frame, header with the evaluation name, footer with
"Page X of Y", the confidentiality mark and the short fingerprint.

The total page count is only known at the end, so the canvas defers every page and
draws the footers in save() (the reportlab "page X of Y" recipe, ENGINEERING.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from vendor_eval.io.report.pdf_fonts import BODY, font_for
from vendor_eval.io.report.pdf_styles import ACCENT, MUTED, RULE

PAGE = A4
MARGIN_X = 1.8 * cm
MARGIN_TOP = 2.0 * cm
MARGIN_BOTTOM = 1.8 * cm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
WIDE = landscape(A4)  # the score matrix: more vendors side by side
WIDE_FRAME_WIDTH = WIDE[0] - 2 * MARGIN_X


def _fit(text: str, font: str, size: float, width: float, c: Canvas) -> str:
    """Shorten text with an ellipsis until it fits width (long evaluation names)."""
    if c.stringWidth(text, font, size) <= width:
        return text
    while text and c.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def canvas_class(title: str, fingerprint: str) -> type[Canvas]:
    """A Canvas that writes header and footer on every page once the page count is known."""

    class ReportCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type stubs
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("initialFontName", BODY)  # else every page references (unembedded) Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = self._pagesize
            number = self._pageNumber
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            if number > 1:
                font = font_for(title)
                self.setFont(font, 8)
                self.setFillColor(ACCENT)
                self.drawString(MARGIN_X, height - 1.2 * cm, _fit(title, font, 8, width - 2 * MARGIN_X - 3 * cm, self))
                self.setFillColor(MUTED)
                self.setFont(BODY, 8)
                self.drawRightString(width - MARGIN_X, height - 1.2 * cm, "Committee report")
                self.line(MARGIN_X, height - 1.35 * cm, width - MARGIN_X, height - 1.35 * cm)
            self.line(MARGIN_X, 1.25 * cm, width - MARGIN_X, 1.25 * cm)
            self.setFillColor(MUTED)
            self.setFont(BODY, 7.5)
            self.drawString(MARGIN_X, 0.85 * cm, f"CONFIDENTIAL · fingerprint {fingerprint}")
            self.drawRightString(width - MARGIN_X, 0.85 * cm, f"Page {number} of {total}")
            self.restoreState()

    return ReportCanvas


def document(path: Path, title: str, author: str) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        str(path), pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author=author, subject="Vendor evaluation committee report",
        creator="vendor_eval",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[_frame(PAGE)], pagesize=PAGE),
                          PageTemplate(id="wide", frames=[_frame(WIDE)], pagesize=WIDE)])
    return doc


def _frame(size: tuple[float, float]) -> Frame:
    return Frame(MARGIN_X, MARGIN_BOTTOM, size[0] - 2 * MARGIN_X, size[1] - MARGIN_TOP - MARGIN_BOTTOM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
