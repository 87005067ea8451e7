"""The fonts the PDF reports embed, and the per-script fallback between them.

reportlab has no glyph fallback of its own: a character missing from the font draws
as a box. So text is split into runs, each run set in the first font that has all
its glyphs (DejaVu Sans for Latin, Greek, Cyrillic, Arabic; WenQuanYi Zen Hei for
CJK). Fonts are registered once per process, lazily (nothing happens at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from vendor_eval.io.text_safety import pdf_text
from vendor_eval.paths import resources_dir

BODY = "VE-Sans"
BOLD = "VE-Sans-Bold"
CJK = "VE-CJK"


@dataclass(frozen=True)
class FontFiles:
    body: Path
    bold: Path
    cjk: Path


def font_files() -> FontFiles:
    base = resources_dir() / "fonts"
    return FontFiles(base / "DejaVuSans.ttf", base / "DejaVuSans-Bold.ttf", base / "wqy-zenhei.ttc")


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str, str]:
    """Register the shipped fonts with reportlab (idempotent); returns (body, bold, cjk)."""
    files = font_files()
    pdfmetrics.registerFont(TTFont(BODY, str(files.body)))
    pdfmetrics.registerFont(TTFont(BOLD, str(files.bold)))
    # Face 0 of the collection is the proportional "Zen Hei"; it also has Latin, so a whole
    # string can be set in it when it mixes scripts (chart labels, headers).
    pdfmetrics.registerFont(TTFont(CJK, str(files.cjk), subfontIndex=0))
    # <b> inside a Paragraph in the body font switches to the bold face.
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, BODY)
    addMapping(BODY, 1, 1, BOLD)
    addMapping(CJK, 0, 0, CJK)
    addMapping(CJK, 1, 0, CJK)
    addMapping(CJK, 0, 1, CJK)
    addMapping(CJK, 1, 1, CJK)
    return BODY, BOLD, CJK


@lru_cache(maxsize=1)
def _body_chars() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(BODY)
    return frozenset(font.face.charToGlyph)


def _covered(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or code in _body_chars() or ch in "\n\r\t"


def needs_fallback(text: str) -> bool:
    """True when the body font lacks a glyph of text (e.g. Chinese)."""
    return not text.isascii() and not all(_covered(ch) for ch in text)  # ASCII: the body font has it all


def font_for(text: str, bold: bool = False) -> str:
    """One font for a whole string drawn on the canvas (headers, chart labels)."""
    if needs_fallback(text):
        return CJK
    return BOLD if bold else BODY


def markup(value: object) -> str:
    """Untrusted text as Paragraph markup: escaped, with runs the body font lacks in the CJK font."""
    text = "" if value is None else str(value)
    if not needs_fallback(text):
        return pdf_text(text)
    parts: list[str] = []
    run: list[str] = []
    run_is_body = True
    for ch in text:
        is_body = _covered(ch)
        if run and is_body != run_is_body:
            parts.append(_run_markup("".join(run), run_is_body))
            run = []
        run.append(ch)
        run_is_body = is_body
    if run:
        parts.append(_run_markup("".join(run), run_is_body))
    return "".join(parts)


def _run_markup(run: str, is_body: bool) -> str:
    escaped = pdf_text(run)
    return escaped if is_body else f'<font face="{CJK}">{escaped}</font>'
