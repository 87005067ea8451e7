"""The committee report as a PDF: lays out a ReportData (contents.py) with reportlab platypus.

Every piece of user or vendor text passes through pdf_fonts.markup (escaping plus the
CJK font fallback) before it becomes a Paragraph; a table cell that fits on one line is a
plain string instead, which reportlab draws as it is, without parsing markup (cell()).
Numbers are formatted in data.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import Flowable, HRFlowable

from vendor_eval.io.report import data as rd
from vendor_eval.io.report.contents import ReportData
from vendor_eval.io.report.pdf_charts import radar, stacked_bar
from vendor_eval.io.report.pdf_fonts import BODY, BOLD, markup, needs_fallback, register_fonts
from vendor_eval.io.report.pdf_layout import (
    FRAME_WIDTH,
    WIDE_FRAME_WIDTH,
    canvas_class,
    document,
)
from vendor_eval.io.report.pdf_styles import (
    ACCENT,
    FLAG_BG,
    HEADER_BG,
    INK,
    MUTED,
    RULE,
    grid_style,
    heat,
    styles,
    table_style,
)
from vendor_eval.io.text_safety import XML_ILLEGAL

Progress = Callable[[float, str], None]
SHORT_CELL = 12  # characters: always one line, as the narrowest column draws them
MATRIX_LABEL_WIDTH = 170.0
LINE_BREAKS = re.compile(r"[\n\r\t]")  # a Paragraph turns them into breaks or spaces; a string would not
CELL_PADDING = 6.0  # left + right, as grid_style sets them
CELL_SIZE, CELL_LEADING = 7.5, 9.2  # the "cell" paragraph style's, for cells drawn as plain strings


def p(text: object, style: str = "body") -> Paragraph:
    return Paragraph(markup(text), styles()[style])


def cell(text: str, style: str = "cell", width: float = 0.0) -> Paragraph | str:
    """Text that fits its column on one line in the body font is drawn as a plain string: no
    markup is parsed, so nothing needs escaping, and a big table lays out several times faster.
    Text that wraps, needs the CJK font or holds control characters is a Paragraph."""
    if fits(text, width - CELL_PADDING) or (len(text) <= SHORT_CELL and fits(text, math.inf)):
        return text  # short text stays on one line: a Paragraph would break it inside the word
    return p(text, style)


def head(text: str, width: float) -> Paragraph | str:
    """A header cell: a plain string when it fits on one line (the table sets the bold font)."""
    return text if fits(text, width - CELL_PADDING, BOLD) else p(text, "head")


def fits(text: str, room: float, font: str = BODY) -> bool:
    return (not LINE_BREAKS.search(text) and not XML_ILLEGAL.search(text) and not needs_fallback(text)
            and stringWidth(text, font, CELL_SIZE) <= room)


def widths(weights: Sequence[float], total: float = FRAME_WIDTH) -> list[float]:
    s = float(sum(weights))
    return [total * w / s for w in weights]


def table(t: rd.Table, col_weights: Sequence[float], style: str = "cell") -> list[Flowable]:
    """A rd.Table as a wrapped, zebra-striped table with a repeated header and row flags."""
    out: list[Flowable] = []
    if t.rows:
        cols = widths(col_weights[: len(t.header)] or [1] * len(t.header))
        data = [[head(h, w) for h, w in zip(t.header, cols, strict=True)]] + [
            [cell(c, "cell" if k == 0 else style, w) for k, (c, w) in enumerate(zip(row, cols, strict=True))]
            for row in t.rows]
        cmds = grid_style(rows=len(data)) + [("FONT", (0, 1), (-1, -1), BODY, CELL_SIZE, CELL_LEADING),
                                             ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING),
                                             ("TEXTCOLOR", (0, 0), (-1, 0), INK)]
        if style == "cell_right":
            cmds.append(("ALIGN", (1, 1), (-1, -1), "RIGHT"))
        for i, flag in enumerate(t.flags):
            if flag:
                cmds.append(("BACKGROUND", (0, i + 1), (-1, i + 1), FLAG_BG[flag]))
        tbl = Table(data, colWidths=cols, repeatRows=1)
        tbl.setStyle(table_style(cmds))
        out.append(tbl)
    if t.note:
        out += [Spacer(1, 3), p(t.note, "small")]
    return out


def h1(text: str) -> Paragraph:
    return p(text, "h1")


def h2(text: str) -> Paragraph:
    return p(text, "h2")


# --- sections ------------------------------------------------------------------------------


def cover(c: rd.Cover) -> list[Flowable]:
    rows = [("Organisation", c.organisation or "–"), ("Report date", c.date), ("Status", c.status),
            ("Scope", c.counts), ("Ranking", c.ranked_by), ("Generated", c.generated),
            ("Fingerprint (SHA-256)", c.fingerprint), ("Audit chain head", c.audit_head)]
    facts = Table([[p(k, "cell_bold"), p(v, "body")] for k, v in rows], colWidths=widths([1, 3]))
    facts.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                                ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    mark = Table([[p("CONFIDENTIAL: for the procurement committee and the board only. Do not forward to vendors.",
                     "confidential")]], colWidths=[FRAME_WIDTH])
    mark.setStyle(table_style([("BOX", (0, 0), (-1, -1), 1, FLAG_BG["bad"].clone(alpha=1)),
                               ("BACKGROUND", (0, 0), (-1, -1), FLAG_BG["bad"]),
                               ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    return [Spacer(1, 3.5 * cm), p("Vendor evaluation committee report", "subtitle"), Spacer(1, 6),
            p(c.title, "title"), Spacer(1, 4), HRFlowable(width="100%", thickness=2, color=ACCENT),
            Spacer(1, 1.2 * cm), facts, Spacer(1, 1.5 * cm), mark, PageBreak()]


def summary(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = [h1("Executive summary")]
    out += [Paragraph(markup(s), styles()["bullet"], bulletText="•") for s in data.summary]
    out += [h2("Ranking")]
    figures = len(data.ranking_table.header) - 4  # the method's (and the scenario's) number columns
    out += table(data.ranking_table, [0.55, 2.6] + [0.95] * figures + [1.1, 3.6 - 0.4 * figures])
    return out


def charts(data: ReportData) -> list[Flowable]:
    if data.method != "weighted":  # TOPSIS distances do not split into points per group: no group charts
        return [NextPageTemplate("wide"), PageBreak()]
    bars = stacked_bar(data.stacked, FRAME_WIDTH)
    # On the summary page when it fits, so a short evaluation's decision reads on one page.
    out: list[Flowable] = [CondPageBreak(bars.height + 3 * cm), h1("Scores by criteria group"),
                           p("Each bar is a vendor's weighted total, split into the points earned in each criteria "
                             "group. Disqualified vendors are shown after the qualified ones.", "small"),
                           Spacer(1, 6), bars]
    if data.stacked.note:
        out.append(p(data.stacked.note, "small"))
    out += [CondPageBreak(9 * cm), h2("Profile of the leading vendors"),
            p("Share of each group's attainable points that each of the top qualified vendors earned.", "small"),
            radar(data.radar, FRAME_WIDTH)]
    return out + [NextPageTemplate("wide"), PageBreak()]


def matrix(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = [h1("Score matrix"),
                           p("Aggregated scores on each criterion's own scale, vendors in ranking order. The cell "
                             "colour shows the normalised score from red (worst) through amber to green (best); grey "
                             "cells have no score. The header repeats on every page.", "small"), Spacer(1, 6)]
    for n, block in enumerate(data.matrix):
        if n:
            out.append(PageBreak())
        if len(data.matrix) > 1:
            out.append(p(f"Vendors {n * len(data.matrix[0].vendors) + 1}-"
                         f"{n * len(data.matrix[0].vendors) + len(block.vendors)} of "
                         f"{sum(len(b.vendors) for b in data.matrix)}", "small"))
        out.append(_matrix_table(block, len(data.matrix[0].vendors)))
    return out + [NextPageTemplate("page"), PageBreak()]


def _matrix_table(block: rd.MatrixBlock, per_block: int) -> Table:
    s = styles()
    header = [p("Criterion", "head")] + [
        Paragraph(f"{markup(name)}<br/><font color='#5F6B7A'>{rank}</font>", s["head_center"])
        for name, rank in zip(block.vendors, block.ranks, strict=True)]
    data: list[list[object]] = [header]
    cmds = [("VALIGN", (0, 0), (-1, 0), "BOTTOM"), ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT), ("FONT", (1, 1), (-1, -1), BODY, 7),
            ("ALIGN", (1, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("GRID", (1, 1), (-1, -1), 0.5, (1, 1, 1)), ("FONT", (0, 1), (0, -1), BODY, CELL_SIZE, CELL_LEADING)]
    for row in block.rows:
        r = len(data)
        if row.kind == "group":
            data.append([p(row.label, "cell_bold")] + [""] * len(block.vendors))
            cmds += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), HEADER_BG),
                     ("TOPPADDING", (0, r), (-1, r), 3)]
        elif row.kind == "total":
            data.append([p(row.label, "cell_bold"), *row.values])
            cmds += [("FONT", (1, r), (-1, r), BOLD, 7.5), ("LINEABOVE", (0, r), (-1, r), 0.8, ACCENT)]
        else:
            data.append([cell(row.label, "cell", MATRIX_LABEL_WIDTH), *row.values])
            # One command per row, its cells' colours in turn: the same rectangles as a BACKGROUND
            # per cell, but a tenth of the commands for reportlab to carry across page splits.
            cmds.append(("COLBACKGROUNDS", (1, r), (-1, r), [heat(h) for h in row.heat]))
    col = (WIDE_FRAME_WIDTH - MATRIX_LABEL_WIDTH) / per_block
    tbl = Table(data, colWidths=[MATRIX_LABEL_WIDTH] + [col] * len(block.vendors), repeatRows=1)
    tbl.setStyle(table_style(cmds))
    return tbl


def knockouts(data: ReportData) -> list[Flowable]:
    n = len(data.knockouts.header)
    out = [h1("Knock-out requirements"),
           p("A vendor that fails any mandatory requirement is disqualified automatically, whatever its total.",
             "small"), Spacer(1, 4), *table(data.knockouts, [2.5] + [1.4] * (n - 2) + [1.1])]
    if data.conditions.rows:
        out += [h2("Conditions of award"),
                p("What the awarded vendor must meet after signing and before go-live.", "small"), Spacer(1, 4),
                *table(data.conditions, [1.6, 2, 5])]
    return out


def disagreement(data: ReportData) -> list[Flowable]:
    return [CondPageBreak(6 * cm), h1("Evaluator disagreement"),
            p("Cells where evaluators' scores spread widely (the committee should discuss these), largest spread "
              "first.", "small"), Spacer(1, 4), *table(data.disagreement, [2.4, 3, 0.8, 0.9, 0.8, 1.2]),
            h2("Evaluator bias"),
            p("How far each evaluator scores above (+) or below (-) the rest of the panel on the same cells, as a "
              "share of the scale. Ten per cent or more is highlighted.", "small"), Spacer(1, 4),
            *table(data.bias, [3, 2, 1.4])]


def sensitivity(data: ReportData) -> list[Flowable]:
    return [PageBreak(), h1("Sensitivity of the ranking"), h2("Critical weight changes"),
            p("How far one criterion's weight must move (the others rescaled in proportion) before another vendor "
              "wins; pp = percentage points of the total weight. Computed on the weighted sum, with the report's "
              "aggregation and prices.", "small"), Spacer(1, 4),
            *table(data.critical, [3, 1, 2.4, 2.4]), h2("Rank acceptability"),
            *table(data.acceptability, [3] + [1] * (len(data.acceptability.header) - 1), "cell_right")]


def tariffs(data: ReportData) -> list[Flowable]:
    n = len(data.tariffs.header)
    return [CondPageBreak(6 * cm), h1("Tariff scenarios"), *table(data.tariffs, [2.4, 0.6] + [1.5] * (n - 2))]


def vendor_pages(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = []
    for v in data.vendors:
        out += [PageBreak(), h1(v.name), p(v.headline, "subtitle"), Spacer(1, 4)]
        out += [Paragraph(markup(x), styles()["bullet"], bulletText="✗") for x in v.reasons]
        if v.profile:
            prof = Table([[p(k, "cell_bold"), p(val, "cell")] for k, val in v.profile], colWidths=widths([1, 3]))
            prof.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]))
            out += [h2("Profile"), prof]
        if v.groups:
            out += [h2("Score by criteria group"),
                    *table(rd.Table(("Group", "Points", "Attainable", "Share"), v.groups), [3, 1, 1, 1], "cell")]
        sw = Table([[p("Strengths (best criteria)", "head"), p("Weaknesses (worst criteria)", "head")],
                    [[p(x, "cell") for x in v.strengths] or [p("–", "cell")],
                     [p(x, "cell") for x in v.weaknesses] or [p("–", "cell")]]],
                   colWidths=widths([1, 1]))
        sw.setStyle(table_style(grid_style(zebra=False) + [("BACKGROUND", (0, 1), (0, 1), FLAG_BG["good"]),
                                                           ("BACKGROUND", (1, 1), (1, 1), FLAG_BG["warn"])]))
        out += [h2("Strengths and weaknesses"), sw]
        out.append(h2("Evaluators' comments, weakest-scored criteria first"))
        if v.comments:
            out += table(rd.Table(("Evaluator", "Criterion", "Comment"), v.comments), [1.3, 1.8, 4.5])
        else:
            out.append(p("No evaluator left a comment on this vendor.", "small"))
        if v.more_comments:
            out.append(p(f"{v.more_comments} further comments are in the Excel workbook.", "small"))
    return out


def appendix(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), h1("Conflict-of-interest declarations"),
                           p("Declarations are append-only: every declaration ever made is listed, oldest first.",
                             "small"), Spacer(1, 4), *table(data.declarations, [1.6, 1.45, 0.9, 2, 3])]
    out += [PageBreak(), h1("Methodology")]
    out += [Paragraph(markup(t), styles()["bullet"], bulletText="•") for t in data.method_text]
    out += [h2("Criteria and weights"), *table(data.method_table, [2.4, 3.2, 0.7, 0.9, 0.6, 0.7, 1.2])]
    return out


def sign_off(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), h1("Sign-off"),
                           p("By signing, each committee member confirms that the scores above are their own, that "
                             "their conflict-of-interest declaration is complete, and that they agree with the "
                             "recommendation.", "body"), Spacer(1, 12)]
    rows = [[p("Committee member", "head"), p("Role", "head"), p("Signature", "head"), p("Date", "head")]]
    rows += [[p(s.name, "cell"), p(s.role, "cell"), "", ""] for s in data.signatories]
    tbl = Table(rows, colWidths=widths([2.2, 2, 2.6, 1.2]), rowHeights=[None] + [1.1 * cm] * len(data.signatories),
                repeatRows=1)
    tbl.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                              ("LINEBELOW", (2, 1), (-1, -1), 0.5, INK), ("LINEBELOW", (0, 1), (1, -1), 0.25, RULE),
                              ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG)]))
    out.append(tbl)
    out += [Spacer(1, 18), KeepTogether([p("Approved for the board by the procurement officer:", "body"),
                                         Spacer(1, 28), HRFlowable(width="45%", color=MUTED, hAlign="LEFT"),
                                         p("Name, signature and date", "small")])]
    return out


def write_pdf(data: ReportData, path: Path, progress: Progress | None = None) -> None:
    """Render the report to path (written in place; the service writes to a temporary file)."""
    note = progress or (lambda _f, _m: None)
    render(story(data, note), path, data, note)


def story(data: ReportData, note: Progress | None = None) -> list[Flowable]:
    """The report's flowables, laid out from the prepared data (nothing is drawn yet)."""
    register_fonts()
    note = note or (lambda _f, _m: None)
    note(0.05, "laying out the summary")
    out: list[Flowable] = cover(data.cover) + summary(data) + charts(data)
    note(0.2, "laying out the score matrix")
    out += matrix(data) + knockouts(data) + disagreement(data) + sensitivity(data) + tariffs(data)
    note(0.4, "laying out the vendor pages")
    return out + vendor_pages(data) + appendix(data) + sign_off(data)


def render(flowables: list[Flowable], path: Path, data: ReportData, progress: Progress | None = None) -> None:
    """reportlab's part: paginate and draw the flowables (bench_reports times it as the floor)."""
    note = progress or (lambda _f, _m: None)
    note(0.5, "rendering pages")
    doc = document(path, data.cover.title, data.cover.organisation)
    doc.setProgressCallBack(_build_progress(note))
    doc.build(flowables, canvasmaker=canvas_class(data.cover.title, rd.short_fingerprint(data.cover.fingerprint)))
    note(1.0, "done")


def _build_progress(note: Progress) -> Callable[[str, int], None]:
    """reportlab's build callback (flowables laid out of an estimate) as 0.5-0.95, in 5 % steps."""
    state = {"total": 0, "last": 0.5}

    def on_progress(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            state["total"] = max(1, value)
        elif kind == "PROGRESS" and state["total"]:
            fraction = 0.5 + 0.45 * min(1.0, value / state["total"])
            if fraction - state["last"] >= 0.05:
                state["last"] = fraction
                note(fraction, "rendering pages")

    return on_progress
