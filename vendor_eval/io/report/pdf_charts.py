"""Charts as reportlab graphics (vector, embedded fonts): stacked bars and a radar."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, String

from vendor_eval.io.report.data import Series
from vendor_eval.io.report.pdf_fonts import font_for
from vendor_eval.io.report.pdf_styles import INK, MUTED, RULE, palette

LABEL_CHARS = 30
LEGEND_ROW = 11.0  # points between legend rows


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(names: tuple[str, ...], x: float, y: float, columns: int, width: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName = font_for(" ".join(names))
    legend.fontSize = 7
    legend.fillColor = INK
    legend.dx = legend.dy = 7
    legend.deltay = LEGEND_ROW
    legend.deltax = width / columns
    legend.columnMaximum = max(1, -(-len(names) // columns))
    legend.dxTextSpace = 4
    legend.strokeWidth = 0
    legend.colorNamePairs = [(palette(i), _short(n, 34)) for i, n in enumerate(names)]
    return legend


def stacked_bar(series: Series, width: float) -> Drawing:
    """One horizontal bar per vendor, split into its weighted points per criteria group."""
    n = max(1, len(series.categories))
    bar_area = 14.0 * n + 10
    legend_rows = -(-len(series.series) // 3)
    legend_height = legend_rows * LEGEND_ROW
    height = bar_area + 44 + legend_height
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 34 + legend_height
    chart.width, chart.height = width - 165, bar_area
    # Series are groups, categories are vendors; reportlab wants data[series][category].
    chart.data = [[row[j] for row in series.values] or [0.0] for j in range(len(series.series))] or [[0.0]]
    chart.categoryAxis.categoryNames = [_short(c) for c in series.categories] or [""]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = 1  # best vendor at the top
    chart.categoryAxis.labels.fontName = font_for(" ".join(series.categories))
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    top = max((sum(row) for row in series.values), default=0.0)
    chart.valueAxis.valueMax = max(10.0, min(100.0, (int(top / 10) + 1) * 10.0))
    chart.valueAxis.valueStep = 10
    chart.valueAxis.labels.fontName = font_for("0")
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.barWidth = 9
    chart.groupSpacing = 5
    chart.bars.strokeWidth = 0.2
    chart.bars.strokeColor = RULE
    for j in range(len(series.series)):
        chart.bars[j].fillColor = palette(j)
    d.add(chart)
    d.add(String(chart.x + chart.width / 2, chart.y - 20, "weighted points (0-100)", fontName=font_for("w"),
                 fontSize=7, fillColor=MUTED, textAnchor="middle"))
    d.add(_legend(series.series, 10, legend_height, 3, width - 10))
    return d


def radar(series: Series, width: float, height: float = 260) -> Drawing:
    """Share of each group's attainable points (0-100 %) for the top vendors."""
    d = Drawing(width, height)
    if len(series.series) < 3 or not series.categories:
        d.add(String(width / 2, height / 2, "A radar chart needs at least three criteria groups.",
                     fontName=font_for("a"), fontSize=8, fillColor=MUTED, textAnchor="middle"))
        return d
    chart = SpiderChart()
    chart.x, chart.y = 10, 40
    chart.width, chart.height = width * 0.6, height - 80
    chart.data = [list(row) for row in series.values]
    chart.labels = [_short(g, 22) for g in series.series]
    chart.spokeLabels.fontName = font_for(" ".join(series.series))
    chart.spokeLabels.fontSize = 6.5
    chart.spokes.labelRadius = 1.28  # labels clear of the strands at the rim
    chart.spokes.strokeColor = RULE
    chart.spokes.strokeWidth = 0.4
    chart.strands.strokeWidth = 1.4
    chart.strands.fillColor = None
    for i in range(len(series.categories)):
        chart.strands[i].strokeColor = palette(i)
        chart.strands[i].fillColor = None
    chart.strandLabels.fontName = font_for("0")
    d.add(chart)
    legend = _legend(series.categories, width * 0.68, height - 40, 1, width * 0.3)
    d.add(legend)
    d.add(String(width * 0.68, 30, "0 % at the centre, 100 % at the rim", fontName=font_for("a"), fontSize=6.5,
                 fillColor=MUTED))
    return d
