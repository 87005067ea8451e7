"""Counted words: "1 cell", "2 cells" through Qt's tr and %n, and every counted phrase in the code
has its English plural forms in resources/i18n."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from vendor_eval.paths import resources_dir
from vendor_eval.ui.wording import counted

ROOT = Path(__file__).resolve().parents[2]


def test_singular_and_plural(qapp) -> None:  # type: ignore[no-untyped-def]
    assert counted("%n cell(s)", 1) == "1 cell"
    assert counted("%n cell(s)", 2) == "2 cells"
    assert counted("%n cell(s)", 0) == "0 cells"
    assert counted("%n cell(s) have no score yet", 1) == "1 cell has no score yet"
    assert counted("%n change(s)", 12_345) == "12,345 changes"


def test_every_counted_phrase_has_its_plural_forms() -> None:
    ts = ET.parse(resources_dir() / "i18n" / "vendor_eval_en.ts")
    known = {m.findtext("source") for m in ts.iter("message")
             if len(m.findall("translation/numerusform")) == 2}
    used = set()
    for path in (ROOT / "vendor_eval").rglob("*.py"):
        used |= set(re.findall(r"""counted\(\s*["']([^"']+)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= known, f"add these to vendor_eval_en.ts and run pyside6-lrelease: {used - known}"


def test_compiled_plurals_match_their_source(tmp_path: Path) -> None:
    """The shipped .qm is what pyside6-lrelease makes of the .ts today (no stale build)."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed beside this Python")
    source = resources_dir() / "i18n" / "vendor_eval_en.ts"
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(tmp_path / "en.qm")], check=True)
    assert (tmp_path / "en.qm").read_bytes() == source.with_suffix(".qm").read_bytes()
