"""Draw the application icon (resources/icons/vendor-eval.{png,svg,ico,icns}).

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

One drawing, described once as shapes, rendered by QPainter to PNG/ICO and written
as SVG text, so the three files agree. The motif: a scorecard whose three bars rank
vendors, the winner's bar in amber with a tick.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 256
BG_TOP, BG_BOTTOM = "#13808c", "#0b4a66"
CARD, INK, WINNER = "#ffffff", "#9fb7c4", "#f2a93b"
CARD_RECT = (56, 44, 144, 168, 14)  # x, y, w, h, corner radius
BARS = [(78, 86, 72, WINNER), (78, 126, 58, INK), (78, 166, 40, INK)]  # x, y, length, colour
BAR_H = 18
TICK = [(160, 86), (170, 96), (186, 74)]


def svg() -> str:
    x, y, w, h, r = CARD_RECT
    bars = "\n".join(f'  <rect x="{bx}" y="{by - BAR_H // 2}" width="{ln}" height="{BAR_H}" rx="{BAR_H // 2}" '
                     f'fill="{c}"/>' for bx, by, ln, c in BARS)
    tick = " ".join(f"{px},{py}" for px, py in TICK)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="{BG_TOP}"/><stop offset="1" stop-color="{BG_BOTTOM}"/></linearGradient></defs>
  <rect x="8" y="8" width="240" height="240" rx="48" fill="url(#bg)"/>
  <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{CARD}"/>
{bars}
  <polyline points="{tick}" fill="none" stroke="#1d7a46" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def render(size: int):  # -> QImage
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / SIZE, size / SIZE)
    gradient = QLinearGradient(0, 8, 0, 248)
    gradient.setColorAt(0, QColor(BG_TOP))
    gradient.setColorAt(1, QColor(BG_BOTTOM))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)
    x, y, w, h, r = CARD_RECT
    p.setBrush(QColor(CARD))
    p.drawRoundedRect(QRectF(x, y, w, h), r, r)
    for bx, by, length, colour in BARS:
        p.setBrush(QColor(colour))
        p.drawRoundedRect(QRectF(bx, by - BAR_H / 2, length, BAR_H), BAR_H / 2, BAR_H / 2)
    pen = QPen(QColor("#1d7a46"), 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline([QPointF(px, py) for px, py in TICK])
    p.end()
    return image


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 (QPainter needs it for fonts)
    ICONS.mkdir(parents=True, exist_ok=True)
    if not render(SIZE).save(str(ICONS / "vendor-eval.png")):
        raise SystemExit("could not write the PNG icon")
    (ICONS / "vendor-eval.svg").write_text(svg(), encoding="utf-8")
    # Windows (.ico, 256 px: what Explorer shows largest) and macOS (.icns) through Qt's
    # image-format plugins; a Qt build without them skips the file and says so.
    for suffix, fmt in (("ico", "ICO"), ("icns", "ICNS")):
        if not render(SIZE).save(str(ICONS / f"vendor-eval.{suffix}"), fmt):
            print(f"{fmt} writer not available in this Qt build; vendor-eval.{suffix} not written")
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
