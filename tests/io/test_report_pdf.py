"""The committee PDF, read back with pypdf: names literal, winner stated, pages numbered,
CJK drawn with the embedded font, large matrices paginated with repeated headers."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from report_fixtures import (
    ACME,
    ARABIC_COMMENT,
    CJK,
    HOSTILE_COMMENT,
    VENDORS,
    make_inputs,
    seed_database,
)

from vendor_eval import domain
from vendor_eval.cli import main
from vendor_eval.io.report.contents import build_report_data
from vendor_eval.io.report.data import ReportInputs, short_fingerprint
from vendor_eval.io.report.pdf import write_pdf
from vendor_eval.io.report.pdf_styles import heat
from vendor_eval.scoring import engine
from vendor_eval.services import integrity


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportInputs, PdfReader, list[str]]:
    inp = make_inputs()
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    write_pdf(build_report_data(inp), path)
    reader = PdfReader(path)
    return inp, reader, [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Table cells wrap: compare with line breaks folded into nothing or a space."""
    return re.sub(r"\s+", " ", text)


def test_every_vendor_and_the_hostile_text_appear_literally(report: tuple) -> None:
    _inp, _reader, pages = report
    text = flat(" ".join(pages))
    squashed = re.sub(r"\s+", "", text)
    for name in VENDORS:
        assert re.sub(r"\s+", "", name) in squashed, name
    assert ACME in text  # markup shown, not interpreted (and no parse error)
    assert '<font color="red">' in text and re.sub(r"\s+", "", HOSTILE_COMMENT) in squashed
    assert "Teleradiology RFP <2026> & co" in text  # the evaluation name in the header
    assert ARABIC_COMMENT in text or ARABIC_COMMENT[::-1] in text


def test_summary_names_the_winner_and_margin(report: tuple) -> None:
    inp, _reader, pages = report
    summary = flat(next(p for p in pages if "Executive summary" in p))
    winner, second = inp.ranking.vendors[0], inp.ranking.vendors[1]
    assert f"{winner.name} ranks first with {winner.score:.1f} points" in summary
    assert f"{winner.score - second.score:.1f} ahead of the runner-up" in summary
    assert "Harbor Imaging Partners (Knock-out criterion 'STAT turnaround' scored 1" in summary
    assert "ranked first in 100% of them" in summary


def test_every_page_is_numbered_and_fingerprinted(report: tuple) -> None:
    inp, _reader, pages = report
    n = len(pages)
    assert f"Page {n} of {n}" in pages[-1]
    fp = short_fingerprint(build_report_data(inp).cover.fingerprint)
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in text
        assert fp in text
    assert "Sign-off" in pages[-1] and "Dr. Miriam Okafor" in pages[-1]
    assert "CONFIDENTIAL" in pages[0] and "ab" * 32 in pages[0].replace("\n", "")  # the audit chain head


def _to_unicode(font: object) -> dict[int, str]:
    """code -> text from a simple font's ToUnicode CMap (bfchar and bfrange entries)."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")  # type: ignore[index]
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = chr(int(start, 16) + k - int(lo, 16))
    return out


def test_cjk_name_is_drawn_with_the_embedded_font(report: tuple) -> None:
    _inp, reader, pages = report
    # The vendor's own page, where its name is a Paragraph heading (no chart labels there).
    index = next(i for i, t in enumerate(pages) if "Profile" in t and "Rank 3 of" in t)
    assert pages[index].lstrip().startswith(CJK)  # text maps back to the characters: no boxes, no .notdef
    page = reader.pages[index]
    content = page.get_contents().get_data().decode("latin-1")
    fonts = page["/Resources"]["/Font"]
    drawn: set[str] = set()
    for key, ref in fonts.items():
        font = ref.get_object()
        if "WenQuanYi" not in font["/BaseFont"]:
            continue
        assert f"{key} " in content  # this page's text is set in the CJK font
        program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()  # embedded, not referenced
        subset = TTFont(io.BytesIO(program))
        cmap = {}
        for table in subset["cmap"].tables:
            cmap.update(table.cmap)
        glyf = subset["glyf"]
        for code, text in _to_unicode(font).items():
            glyph = glyf[cmap[code]] if code in cmap else None
            if glyph is not None and glyph.numberOfContours != 0:  # a real outline, not an empty box
                drawn.add(text)
    assert set(CJK) <= drawn


def _big_inputs(vendors: int, criteria: int) -> ReportInputs:
    t0 = datetime(2026, 1, 1)
    info = domain.EvaluationInfo(1, "Scale test", "Org", "", "scoring", "", "block", "mean", 0.2, 0.5, True,
                                 False, "", "", t0, t0, None, None)
    groups = tuple(domain.Group(g + 1, f"Group {g + 1}", "", 10, g) for g in range(6))
    crit = tuple(domain.Criterion(
        id=100 + j, group_id=1 + j % 6, key=f"c{j:03d}", name=f"Criterion {j:03d} with a fairly long descriptive name",
        question="", guidance="", weight=10, scale_min=0, scale_max=5, descriptors={}, direction="max", knockout=False,
        knockout_min=None, is_cost=False, answer_type="number", answer_unit="", answer_min=None, answer_max=None,
        choices=(), scoring_rule=None, position=j) for j in range(criteria))
    crit = tuple(sorted(crit, key=lambda c: (c.group_id, c.position)))
    vend = tuple(domain.Vendor(id=1000 + i, name=f"Vendor {i:02d} Imaging Services", position=i) for i in range(vendors))
    ev = (domain.Evaluator(1, "A. Evaluator", "chair", "all", None, 0),)
    scores = tuple(domain.ScoreEntry(k, 1, v.id, c.id, float((v.id * 7 + c.id * 3) % 6), "", t0, 1)
                   for k, (v, c) in enumerate((v, c) for v in vend for c in crit))
    snap = domain.Snapshot(info, groups, crit, vend, ev, scores, audit_head="0" * 64)
    return ReportInputs(snapshot=snap, ranking=engine.rank_snapshot(snap), generated_at=t0)


def test_large_matrix_paginates_with_repeated_headers(tmp_path: Path) -> None:
    inp = _big_inputs(vendors=24, criteria=90)
    data = build_report_data(inp)
    path = tmp_path / "big.pdf"
    write_pdf(data, path)
    pages = [flat(p.extract_text() or "") for p in PdfReader(path).pages]
    assert len(data.matrix) == 3  # 24 vendors in blocks of 10
    first = next(i for i, p in enumerate(pages) if "Score matrix" in p)
    after = next(i for i, p in enumerate(pages) if "Knock-out requirements" in p)
    matrix_pages = pages[first:after]
    assert len(matrix_pages) >= 6  # each block spans more than one page
    for p in matrix_pages:
        # the repeated header: the column title and the block's vendor names on every page
        assert "Criterion" in p and "Vendor" in p and "#" in p
    for j in (0, 45, 89):
        assert sum(f"Criterion {j:03d}" in p for p in matrix_pages) >= 3  # every criterion in every block
    n = len(pages)
    assert f"Page {n} of {n}" in pages[-1]


def test_cli_report_writes_the_pdf(db_path: Path, db: Any, imaging_eval: int, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    names = seed_database(db, imaging_eval)
    out = tmp_path / "committee.pdf"
    assert main(["report", str(imaging_eval), "--db", str(db_path), "-o", str(out), "--quiet"]) == 0
    assert "Wrote the PDF committee report" in capsys.readouterr().out
    pages = [flat(p.extract_text() or "") for p in PdfReader(out).pages]
    text = " ".join(pages)
    assert f"{names[0]} ranks first" in text and ACME in text and CJK in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # The chain head printed on the cover is the one integrity checks accept later.
    head = re.search(r"Auditchainhead([0-9a-f]{64})", re.sub(r"\s+", "", pages[0]))
    assert head is not None and integrity.verify(db, imaging_eval, known_head=head.group(1)).intact


def test_cli_report_needs_a_known_format(db_path: Path, imaging_eval: int, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(imaging_eval), "--db", str(db_path), "-o", str(tmp_path / "r.txt")]) == 1
    assert "--format pdf or --format xlsx" in capsys.readouterr().err


def test_progress_rises_to_done(tmp_path: Path) -> None:
    seen: list[float] = []
    write_pdf(build_report_data(make_inputs()), tmp_path / "r.pdf", lambda f, _m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 5


def test_every_matrix_cell_is_filled_with_its_heat_colour(tmp_path: Path) -> None:
    """Each criterion cell of the score matrix is painted in its normalised score's colour, on
    every page the blocks split over (a rectangle filled right after the colour is set)."""
    inp = _big_inputs(vendors=24, criteria=90)
    data = build_report_data(inp)
    write_pdf(data, tmp_path / "big.pdf")
    painted: dict[tuple[float, ...], int] = {}
    for page in PdfReader(tmp_path / "big.pdf").pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for rgb in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\s+n?\s*[-\d. ]+ re f", stream):
            key = tuple(round(float(x), 3) for x in rgb)
            painted[key] = painted.get(key, 0) + 1
    # The colours the data asks for: scores 0-5 on 0-5 scales, so normalised k / 5, red to green.
    expected: dict[tuple[float, ...], int] = {}
    for block in data.matrix:
        for row in block.rows:
            for h in row.heat if row.kind == "criterion" else ():
                key = tuple(round(x, 3) for x in heat(h).rgb())
                expected[key] = expected.get(key, 0) + 1
    assert sum(expected.values()) == 24 * 90 and len(expected) == 6
    for colour, cells in expected.items():
        assert painted.get(colour, 0) == cells, colour


def test_only_one_line_plain_text_is_drawn_as_a_string() -> None:
    from reportlab.platypus import Paragraph

    from vendor_eval.io.report.pdf import cell

    assert cell("Vendor 01 Imaging", "cell", 200) == "Vendor 01 Imaging"
    assert cell("<b>Acme & Sons", "cell", 200) == "<b>Acme & Sons"  # not parsed: drawn as written
    for text in ("line\rbreak", "tab\there", "two\nlines", "bell\x07", CJK, "a long comment " * 10):
        assert isinstance(cell(text, "cell", 200), Paragraph), text
