"""The report's look: paragraph styles, colours, heat colours and table styles."""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from vendor_eval.io.report.pdf_fonts import BODY, BOLD, register_fonts

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#1D4E89")
RULE = colors.HexColor("#C9D1DB")
HEADER_BG = colors.HexColor("#E6ECF3")
ZEBRA = colors.HexColor("#F6F8FA")
FLAG_BG = {"bad": colors.HexColor("#F8D7D5"), "warn": colors.HexColor("#FCEFC7"), "good": colors.HexColor("#DCEFD9")}
MISSING_BG = colors.HexColor("#E5E7EB")
Command = tuple[Any, ...]  # a reportlab TableStyle command

# Qualitative palette for criteria groups (colour-blind friendly order, Tableau 10 + 2).
PALETTE = tuple(colors.HexColor(h) for h in (
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#2F4B7C", "#A05195",
))


def palette(i: int) -> colors.Color:
    return PALETTE[i % len(PALETTE)]


# Pastel red (0) - amber (0.5) - green (1): light enough for black text on top (the workbook uses them too).
HEAT_STOPS = ((0.0, (0.96, 0.72, 0.70)), (0.5, (0.99, 0.92, 0.66)), (1.0, (0.70, 0.88, 0.69)))


@lru_cache(maxsize=4096)  # a score matrix repeats few values; one Color object each
def heat(value: float | None) -> colors.Color:
    """The heat colour of a normalised score (HEAT_STOPS, linear between them); grey when missing."""
    if value is None:
        return MISSING_BG
    stops = HEAT_STOPS
    for (x0, c0), (x1, c1) in pairwise(stops):
        if value <= x1:
            t = (value - x0) / (x1 - x0)
            return colors.Color(*(a + (b - a) * t for a, b in zip(c0, c1, strict=True)))
    return colors.Color(*stops[-1][1])


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=BODY, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT,
                          bulletFontName=BODY)
    s = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=7.5, leading=9.2),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=7.5, leading=9.2, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=7.5, leading=9.2, textColor=INK),
        "head_center": ParagraphStyle("head_center", parent=base, fontName=BOLD, fontSize=6.8, leading=8.2,
                                      alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT,
                             spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15, textColor=ACCENT,
                             spaceBefore=10, spaceAfter=4),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3,
                                 bulletFontName=BODY),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=26, leading=32, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19, textColor=INK),
        "confidential": ParagraphStyle("confidential", parent=base, fontName=BOLD, fontSize=12, leading=16,
                                       textColor=colors.HexColor("#A61B1B"), alignment=TA_LEFT),
    }
    return s


def grid_style(header_rows: int = 1, zebra: bool = True, rows: int = 0) -> list[Command]:
    """The house table style: ruled header, thin horizontal rules, zebra stripes."""
    cmds: list[Command] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for r in range(header_rows + 1, rows, 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    return cmds


def table_style(cmds: list[Command]) -> TableStyle:
    return TableStyle(cmds)
