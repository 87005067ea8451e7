"""Counted words as people read them: "1 cell", "2 cells".

Qt's own way: the source text says ``%n cell(s)`` and ``tr`` picks the English plural form from
resources/i18n/vendor_eval_en.qm (compiled from the .ts beside it with ``pyside6-lrelease``).
A new counted phrase needs its entry in the .ts (tests/ui/test_wording.py checks every one).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from vendor_eval.paths import resources_dir

CONTEXT = "vendor_eval"
_translator: QTranslator | None = None


def translations_file() -> str:
    return str(resources_dir() / "i18n" / "vendor_eval_en.qm")


def _install() -> None:
    """Load the English plural forms once per application (tests create theirs without app.py)."""
    global _translator
    app = QCoreApplication.instance()
    if _translator is not None or app is None:
        return
    translator = QTranslator(app)
    if translator.load(translations_file()):
        QCoreApplication.installTranslator(translator)
        _translator = translator


def counted(text: str, n: int) -> str:
    """``counted("%n cell(s)", 1)`` -> "1 cell"; the number is written with thousands separators."""
    _install()
    out = QCoreApplication.translate(CONTEXT, text, None, n)
    return out.replace(str(n), f"{n:,}", 1) if abs(n) >= 1000 else out
