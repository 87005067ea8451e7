"""A generated corpus of broken and hostile workbooks: each gives a clear error or a correct import.

Every case is imported into the same evaluation; an error must leave the database exactly
as it was (compared row by row), and no case may raise: the service returns a result.
"""

from __future__ import annotations

import io
import os
import random
import string
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from questionnaire_filling import (
    ANSWER,
    dump,
    fill,
    member,
    question_rows,
    rewrite_zip,
    sheet_member,
)

from vendor_eval.io.excel.safety import OLE2_MAGIC, require_defusedxml
from vendor_eval.services import evaluations, questionnaires
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database

IMAGING = "Medical imaging outsourcing and teleradiology (version 1)"  # holds every answer type
VENDOR = "Hostile Test Vendor"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
BOMB_DTD = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


@dataclass
class Corpus:
    db: Database
    evaluation: int
    other_evaluation: int
    blank: bytes  # the generated questionnaire
    base: bytes  # a valid completed one
    other_blank: bytes
    rows: dict[str, int]
    tmp: Path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    tmp = tmp_path_factory.mktemp("hostile")
    db = open_database(tmp / "hostile.db")
    evaluation = evaluations.create_from_template(db, IMAGING, "Hostile RFP", "officer")
    other = evaluations.create_from_template(db, IMAGING, "Another RFP", "officer")
    blank = questionnaires.generate_questionnaire(db, evaluation, tmp / "blank.xlsx")
    other_blank = questionnaires.generate_questionnaire(db, other, tmp / "other.xlsx")
    base = fill(blank, tmp / "base.xlsx", profile={"name": VENDOR},
                answers={"sla.stat_turnaround": 45, "sla.coverage_24x7": "yes"},
                costs=[["Hardware", "Servers", 1000, "USD", "China", "yes", "no"]])
    rows = question_rows(openpyxl.load_workbook(blank)["Questions"])
    yield Corpus(db, evaluation, other, blank.read_bytes(), base.read_bytes(), other_blank.read_bytes(), rows, tmp)
    db.dispose()


Build = Callable[[Corpus], bytes]


def edited(change: Callable[[openpyxl.Workbook, Corpus], None], start: str = "base") -> Build:
    """A variant made the way a vendor's spreadsheet program would: load, change, save."""
    def build(c: Corpus) -> bytes:
        wb = openpyxl.load_workbook(io.BytesIO(getattr(c, start)))
        change(wb, c)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    return build


def answer(key: str, value: Any, as_text: bool = True) -> Build:
    def change(wb: openpyxl.Workbook, c: Corpus) -> None:
        cell = wb["Questions"].cell(row=c.rows[key], column=ANSWER)
        cell.value = value
        if as_text and isinstance(value, str):
            cell.data_type = "s"
    return edited(change)


def cell(sheet: str, coord: str, value: Any, as_text: bool = True) -> Build:
    def change(wb: openpyxl.Workbook, _c: Corpus) -> None:
        wb[sheet][coord] = value
        if as_text and isinstance(value, str):
            wb[sheet][coord].data_type = "s"
    return edited(change)


def zipped(changes: Callable[[Corpus], dict[str, bytes | None]]) -> Build:
    return lambda c: rewrite_zip(c.base, changes(c))


def sheet_xml(sheet: str, transform: Callable[[str], str]) -> Build:
    def build(c: Corpus) -> bytes:
        name = sheet_member(c.base, sheet)
        return rewrite_zip(c.base, {name: transform(member(c.base, name).decode()).encode()})
    return build


def with_member(name: str, size: int, filler: bytes = b"\0") -> Build:
    def build(c: Corpus) -> bytes:
        out = io.BytesIO(c.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open(name, "w", force_zip64=True) as part:
            chunk = filler * (1 << 20)
            for _ in range(size >> 20):
                part.write(chunk)
        return out.getvalue()
    return build


def inline_text(key: str, text: str) -> Build:
    """A huge answer written straight into the sheet XML (openpyxl itself cuts text at 32,767 characters)."""
    def build(c: Corpus) -> bytes:
        import re
        coord = f"G{c.rows[key]}"
        name = sheet_member(c.base, "Questions")
        xml = member(c.base, name).decode()
        def inline(m: re.Match[str]) -> str:
            attributes = re.sub(r' t="[^"]*"', "", m.group(1))
            return f'<c r="{coord}"{attributes} t="inlineStr"><is><t>{text}</t></is></c>'

        new = re.sub(rf'<c r="{coord}"([^>/]*)/>', inline, xml)
        assert new != xml
        return rewrite_zip(c.base, {name: new.encode()})
    return build


def random_text(n: int) -> str:
    """n random letters and spaces (random bytes mapped onto them: the cases are built at collection,
    in every xdist worker, and a character at a time took seconds)."""
    alphabet = (string.ascii_letters + " ").encode()
    return random.Random(n).randbytes(n).translate(bytes(alphabet[b % len(alphabet)] for b in range(256))).decode()


def q(c: Corpus, key: str) -> str:
    return f"Questions!G{c.rows[key]}"


def stored(c: Corpus, key: str) -> Any:
    snap = load_snapshot(c.db, c.evaluation)
    vendor = next(v for v in snap.vendors if v.name == VENDOR)
    crit = next(x for x in snap.criteria if x.key == key)
    return next((a for a in snap.answers if a.vendor_id == vendor.id and a.criterion_id == crit.id), None)


# (id, file name, builder, expected error text | None for a correct import, check after an import)
Check = Callable[[Corpus, questionnaires.ImportResult], None]


def value_is(key: str, expected: Any) -> Check:
    def check(c: Corpus, _r: questionnaires.ImportResult) -> None:
        row = stored(c, key)
        assert row is not None and row.value == expected
    return check


def evidence_is(key: str, expected: str) -> Check:
    return lambda c, _r: (stored(c, key).evidence == expected) or pytest.fail(f"evidence {stored(c, key).evidence!r}")


def warns(text: str) -> Check:
    return lambda _c, r: any(text in w for w in r.warnings) or pytest.fail(f"no warning with {text!r}: {r.warnings}")


def no_check(_c: Corpus, _r: questionnaires.ImportResult) -> None:
    pass


INJECTIONS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
              "\t=1+1", "=1+1\r\n"]
SCRIPTS = "報告は24時間以内 — التقرير خلال ٢٤ ساعة — 🩻🚑👩‍⚕️ — \u202eevil\u202c"


def cases() -> list[tuple[str, str, Build, str | Callable[[Corpus], str] | None, Check]]:
    out: list[tuple[str, str, Build, Any, Check]] = [
        # not workbooks at all
        ("empty", "v.xlsx", lambda c: b"", "is empty (0 bytes)", no_check),
        ("csv-renamed", "v.xlsx", lambda c: b"vendor,answer\nAcme,yes\n", "looks like CSV", no_check),
        ("plain-text", "v.xlsx", lambda c: b"just some words", "not an Excel workbook", no_check),
        ("pdf-renamed", "v.xlsx", lambda c: b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "looks like a PDF", no_check),
        ("html-renamed", "v.xlsx", lambda c: b"<html><body><table></table></body></html>", "HTML or XML", no_check),
        ("random-binary", "v.xlsx", lambda c: random.Random(1).randbytes(5000), "not an Excel workbook", no_check),
        ("encrypted", "v.xlsx", lambda c: OLE2_MAGIC + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500,
         "protected with a password", no_check),
        ("legacy-xls", "v.xls", lambda c: OLE2_MAGIC + b"\0" * 500 + "Workbook".encode("utf-16-le"), "old-style .xls",
         no_check),
        # broken zips
        ("truncated-half", "v.xlsx", lambda c: c.base[: len(c.base) // 2], "damaged or incomplete", no_check),
        ("truncated-100-bytes", "v.xlsx", lambda c: c.base[:100], "damaged or incomplete", no_check),
        ("corrupted-middle", "v.xlsx",
         lambda c: c.base[:2000] + bytes(b ^ 0x5A for b in c.base[2000:6000]) + c.base[6000:],
         "damaged or incomplete", no_check),
        ("zip-without-workbook", "v.xlsx", lambda c: _plain_zip({"word/document.xml": b"<w/>"}), "no xl/workbook.xml",
         no_check),
        ("workbook-xml-garbage", "v.xlsx", zipped(lambda c: {"xl/workbook.xml": b"<workbook><sheets>"}),
         "not a valid Excel workbook", no_check),
        ("sheet-xml-truncated", "v.xlsx", sheet_xml("Questions", lambda x: x[: len(x) // 2]), "cannot be read",
         no_check),
        ("sheet-part-missing", "v.xlsx", lambda c: rewrite_zip(c.base, {sheet_member(c.base, "Questions"): None}),
         "has no sheet 'Questions'", no_check),
        ("part-lies-about-its-size", "v.xlsx", lambda c: _lying_size(c.base, sheet_member(c.base, "Questions")),
         "damaged or incomplete (Bad CRC-32", no_check),
        # XML attacks (defusedxml)
        ("entity-bomb-workbook", "v.xlsx", zipped(lambda c: {"xl/workbook.xml": (
            '<?xml version="1.0"?>' + BOMB_DTD + f'<workbook {NS}><sheets>&lol3;</sheets></workbook>').encode()}),
         "XML entity or DTD declarations", no_check),
        ("entity-bomb-sheet", "v.xlsx", sheet_xml("Questions", lambda x: '<?xml version="1.0"?>' + BOMB_DTD
                                                  + x.replace("<sheetData>", "<sheetData>&lol3;", 1)),
         "XML entity or DTD declarations", no_check),
        ("external-entity", "v.xlsx", sheet_xml("Vendor profile", lambda x: (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + x.replace("<sheetData>", "<sheetData>&xxe;", 1))), "XML entity or DTD declarations", no_check),
        # size limits
        ("zip-bomb-member", "v.xlsx", with_member("xl/media/image1.png", 150 << 20), "possible zip bomb", no_check),
        ("high-ratio-member", "v.xlsx", with_member("xl/media/image2.png", 8 << 20), "possible zip bomb", no_check),
        ("over-size-limit", "v.xlsx", lambda c: _stored_zip(c.base, os.urandom(21_000_000)), "over the 20 MB limit",
         no_check),
        ("rows-past-limit", "v.xlsx", cell("Costs", "A1048576", "x"), "more than 5,000 rows", no_check),
        ("ten-mb-random-text", "v.xlsx", inline_text("governance.change_management", random_text(10_000_000)),
         lambda c: f"{q(c, 'governance.change_management')}: expected at most 32,767 characters, got 10,000,000",
         no_check),
        ("ten-mb-repeated-text", "v.xlsx", inline_text("governance.change_management", "A" * 10_000_000),
         "possible zip bomb", no_check),
        # structure
        ("questions-sheet-renamed", "v.xlsx", edited(lambda wb, c: setattr(wb["Questions"], "title", "Sheet1")),
         "has no sheet 'Questions'", no_check),
        ("costs-sheet-deleted", "v.xlsx", edited(lambda wb, c: wb.remove(wb["Costs"])), "has no sheet 'Costs'",
         no_check),
        ("metadata-deleted", "v.xlsx", edited(lambda wb, c: wb.remove(wb["vendor_eval"])),
         "not a vendor_eval questionnaire", no_check),
        ("metadata-format-forged", "v.xlsx", cell("vendor_eval", "B1", "something.else"),
         "not a vendor_eval questionnaire", no_check),
        ("metadata-version-newer", "v.xlsx", cell("vendor_eval", "B2", "99"), "format '99'", no_check),
        ("another-evaluation", "v.xlsx", lambda c: fill_bytes(c, c.other_blank),
         "is the questionnaire of evaluation 'Another RFP'", no_check),
        ("header-row-destroyed", "v.xlsx", cell("Questions", "A3", "hello"), "lost its header row", no_check),
        ("answer-column-renamed", "v.xlsx", cell("Questions", "G3", "Reply"), "has no column 'Answer'", no_check),
        ("duplicate-question-row", "v.xlsx", edited(lambda wb, c: _copy_key(wb, c, "sla.stat_turnaround", 200)),
         "appears again", no_check),
        ("unknown-question-key", "v.xlsx", cell("Questions", "A200", "=cmd|' /C calc'!A0"),
         "expected a question key of this evaluation, got \"=cmd|' /C calc'!A0\"", no_check),
        ("vendor-name-missing", "v.xlsx", cell("Vendor profile", "C4", None), "Vendor profile!C4: expected the vendor name",
         no_check),
        ("profile-choice-invalid", "v.xlsx", cell("Vendor profile", "C9", "on the moon"),
         "Vendor profile!C9: expected one of onshore, nearshore, offshore, got 'on the moon'", no_check),
        ("profile-number-invalid", "v.xlsx", cell("Vendor profile", "C14", "five"),
         "Vendor profile!C14: expected a number of years between 0.1 and 50, got 'five'", no_check),
        # wrong types and ranges, one per answer type
        ("ynp-maybe", "v.xlsx", answer("sla.coverage_24x7", "maybe"),
         lambda c: f"{q(c, 'sla.coverage_24x7')}: expected yes, no or partial, got 'maybe'", no_check),
        ("number-word", "v.xlsx", answer("sla.stat_turnaround", "fast"),
         lambda c: f"{q(c, 'sla.stat_turnaround')}: expected minutes between 0 and 1440, got 'fast'", no_check),
        ("number-too-big", "v.xlsx", answer("sla.stat_turnaround", 5000),
         lambda c: f"{q(c, 'sla.stat_turnaround')}: expected minutes between 0 and 1440, got 5000", no_check),
        ("number-negative", "v.xlsx", answer("sla.stat_turnaround", -1), "got -1", no_check),
        ("number-is-date", "v.xlsx", answer("sla.stat_turnaround", __import__("datetime").datetime(2026, 1, 1)),
         "got the date/time 2026-01-01", no_check),
        ("number-infinite-text", "v.xlsx", answer("sla.stat_turnaround", "inf"), "got 'inf'", no_check),
        ("number-nan-text", "v.xlsx", answer("sla.stat_turnaround", "NaN"), "got 'NaN'", no_check),
        ("number-ambiguous-thousands", "v.xlsx", answer("interop.live_integrations", "1,500"),
         "without thousands separators, got '1,500'", no_check),
        ("number-error-value", "v.xlsx", sheet_xml("Questions", lambda x: _error_cell(x)), "got '#DIV/0!'", no_check),
        ("single-choice-unknown", "v.xlsx", answer("sla.critical_findings", "We call sometimes"),
         "expected one of the options in the drop-down list, got 'We call sometimes'", no_check),
        ("multi-choice-unknown", "v.xlsx", answer("interop.ihe_profiles", "SWF.b; XDS-I.b; Carrier pigeon"),
         "got the unknown option 'carrier pigeon'", no_check),
        ("text-formula-no-value", "v.xlsx", answer("governance.change_management", "=1+1", as_text=False),
         "formula with no saved result", no_check),
        ("cost-errors", "v.xlsx", edited(lambda wb, c: _bad_cost(wb)), "Costs!C5: expected a yearly amount", no_check),
        ("too-many-cost-lines", "v.xlsx", edited(lambda wb, c: _many_costs(wb, 201)), "at most 200 cost lines",
         no_check),
    ]
    out += [  # files that must import correctly
        ("valid-base", "v.xlsx", lambda c: c.base, None, value_is("sla.stat_turnaround", 45)),
        ("macros-ignored", "v.xlsm", zipped(lambda c: {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake VBA project"}),
         None, warns("macros (VBA); they were ignored and never run")),
        ("dimension-lies", "v.xlsx", sheet_xml("Questions", lambda x: _set_dimension(x, "A1:A1")), None,
         value_is("sla.coverage_24x7", "yes")),
        ("formula-injection-text", "v.xlsx", edited(lambda wb, c: _texts(wb, c, INJECTIONS)), None,
         evidence_is("sla.stat_turnaround", INJECTIONS[0])),
        ("cjk-rtl-emoji", "v.xlsx", edited(lambda wb, c: _texts(wb, c, [SCRIPTS])), None,
         value_is("governance.change_management", SCRIPTS)),
        ("boolean-yes", "v.xlsx", answer("sla.coverage_24x7", True), None, value_is("sla.coverage_24x7", "yes")),
        ("number-as-text", "v.xlsx", answer("sla.stat_turnaround", " 42 "), None, value_is("sla.stat_turnaround", 42.0)),
        ("percent-with-sign", "v.xlsx", answer("deployment.platform_availability", "99.95 %"), None,
         value_is("deployment.platform_availability", 99.95)),
        ("percent-formatted-cell", "v.xlsx", edited(lambda wb, c: _percent_cell(wb, c)), None,
         value_is("deployment.platform_availability", 99.9)),
        ("decimal-comma", "v.xlsx", answer("clinical.discrepancy_rate", "0,8"), None,
         value_is("clinical.discrepancy_rate", 0.8)),
        ("multi-choice-messy", "v.xlsx", answer("interop.ihe_profiles", " xds-i.b ;SWF.B;; swf.b "), None,
         value_is("interop.ihe_profiles", ["SWF.b", "XDS-I.b"])),
        ("choice-with-semicolon", "v.xlsx", answer(
            "interop.hl7_fhir", "hl7 v2 in production;  FHIR available but not yet in production"), None,
         value_is("interop.hl7_fhir", "HL7 v2 in production; FHIR available but not yet in production")),
        ("extra-sheet-and-reordered", "v.xlsx", edited(lambda wb, c: (wb.create_sheet("Notes", 0),
                                                                       wb.move_sheet("Costs", -2))), None, no_check),
        ("cost-formula-saved-value", "v.xlsx", cost_formula, None, cost_amounts([1000.0, 7.0])),
        ("renamed-evaluation-warns", "v.xlsx", cell("vendor_eval", "B4", "Old RFP name"), None,
         warns("renamed 'Hostile RFP'")),
        ("all-answers-empty", "v.xlsx", lambda c: fill_bytes(c, c.blank, answers=False), None,
         lambda c, r: (r.answers_cleared >= 2) or pytest.fail(r.summary())),
    ]
    return out


def fill_bytes(c: Corpus, blank: bytes, answers: bool = True) -> bytes:
    src, dst = c.tmp / "src.xlsx", c.tmp / "dst.xlsx"
    src.write_bytes(blank)
    fill(src, dst, profile={"name": VENDOR}, answers={"sla.coverage_24x7": "yes"} if answers else None)
    return dst.read_bytes()


def _plain_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def _stored_zip(base: bytes, blob: bytes) -> bytes:
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as z:
        z.writestr("xl/media/huge.bin", blob)
    return out.getvalue()


def _lying_size(data: bytes, name: str) -> bytes:
    """Declare a part far smaller than it inflates to (a zip bomb that lies in its directory)."""
    import struct
    raw = bytearray(data)
    encoded = name.encode()
    local = raw.find(b"PK\x03\x04")
    while local != -1:
        if raw[local + 30: local + 30 + len(encoded)] == encoded:
            struct.pack_into("<I", raw, local + 22, 10)
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        if raw[central + 46: central + 46 + len(encoded)] == encoded:
            struct.pack_into("<I", raw, central + 24, 10)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def _copy_key(wb: openpyxl.Workbook, c: Corpus, key: str, row: int) -> None:
    wb["Questions"].cell(row=row, column=1).value = key


def _error_cell(xml: str) -> str:
    # The first answer cell typed as a spreadsheet error, as Excel saves =1/0.
    import re
    return re.sub(r'<c r="G(\d+)"([^>]*)><v>45</v></c>', r'<c r="G\1" t="e"><v>#DIV/0!</v></c>', xml, count=1)


def _set_dimension(xml: str, ref: str) -> str:
    import re
    if "<dimension" in xml:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
    return xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)


def _texts(wb: openpyxl.Workbook, c: Corpus, texts: list[str]) -> None:
    ws = wb["Questions"]
    keys = ["sla.stat_turnaround", "sla.coverage_24x7", "clinical.licensure_board_cert"]
    for key, text in zip(keys, texts, strict=False):
        ws.cell(row=c.rows[key], column=ANSWER + 1).value = text
        ws.cell(row=c.rows[key], column=ANSWER + 1).data_type = "s"
    answer_cell = ws.cell(row=c.rows["governance.change_management"], column=ANSWER)
    answer_cell.value = texts[-1]
    answer_cell.data_type = "s"


def _percent_cell(wb: openpyxl.Workbook, c: Corpus) -> None:
    answer_cell = wb["Questions"].cell(row=c.rows["deployment.platform_availability"], column=ANSWER)
    answer_cell.value = 0.999  # Excel stores "99.9%" typed into a cell as 0.999 with a % format
    answer_cell.number_format = "0.0%"


def _bad_cost(wb: openpyxl.Workbook) -> None:
    ws = wb["Costs"]
    for col, value in enumerate(["Jewellery", "x", -5, "dollars", "China", "perhaps", "no"], start=1):
        ws.cell(row=5, column=col).value = value


def _many_costs(wb: openpyxl.Workbook, n: int) -> None:
    ws = wb["Costs"]
    for i in range(n):
        for col, value in enumerate(["Software", f"line {i}", 10, "USD", "", "no", "no"], start=1):
            ws.cell(row=4 + i, column=col).value = value


def cost_formula(c: Corpus) -> bytes:
    """A cost amount typed as =500*2 whose saved value is 1000, followed by a second line."""
    import re

    def change(wb: openpyxl.Workbook, _c: Corpus) -> None:
        wb["Costs"]["C4"] = "=500*2"
        for col, value in enumerate(["Software", "Licence", 7, "USD", "", "no", "no"], start=1):
            wb["Costs"].cell(row=5, column=col).value = value

    data = edited(change)(c)
    name = sheet_member(data, "Costs")
    xml = member(data, name).decode()
    saved = re.sub(r"<f>500\*2</f>(<v\s*/>|<v></v>)?", "<f>500*2</f><v>1000</v>", xml)
    assert saved != xml
    return rewrite_zip(data, {name: saved.encode()})


def cost_amounts(expected: list[float]) -> Check:
    def check(c: Corpus, r: questionnaires.ImportResult) -> None:
        snap = load_snapshot(c.db, c.evaluation)
        vendor = next(v for v in snap.vendors if v.name == VENDOR)
        assert [x.annual_amount for x in snap.cost_lines if x.vendor_id == vendor.id] == expected
        assert any("Costs!C4" in w and "formula" in w for w in r.warnings)
    return check


CASES = cases()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 50


def test_defusedxml_is_active() -> None:
    assert openpyxl.DEFUSEDXML is True
    require_defusedxml()


@pytest.mark.parametrize(("name", "build", "expected", "check"), [(c[1], c[2], c[3], c[4]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_hostile_workbook(corpus: Corpus, name: str, build: Build, expected: Any, check: Check) -> None:
    path = corpus.tmp / name
    path.write_bytes(build(corpus))
    before = dump(corpus.db)
    [result] = questionnaires.import_questionnaires(corpus.db, corpus.evaluation, [path], "officer")
    if expected is None:
        assert result.ok, result.errors
        check(corpus, result)
        return
    text = expected(corpus) if callable(expected) else expected
    assert not result.ok
    assert any(text in e for e in result.errors), result.errors
    assert all("Traceback" not in e and len(e) < 600 for e in result.errors)
    assert dump(corpus.db) == before


def test_randomly_damaged_files_never_escape_as_exceptions(corpus: Corpus) -> None:
    """Seeded fuzzing: flip bytes anywhere in a valid file; every result is an import or a clear error."""
    rng = random.Random(20261123)
    before = dump(corpus.db)
    paths = []
    for n in range(40):
        raw = bytearray(corpus.base)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        path = corpus.tmp / f"fuzz{n:02d}.xlsx"
        path.write_bytes(bytes(raw))
        paths.append(path)
    results = questionnaires.import_questionnaires(corpus.db, corpus.evaluation, paths, "officer", dry_run=True)
    assert len(results) == len(paths)
    assert all(r.ok or (r.errors and all(len(e) < 600 for e in r.errors)) for r in results)
    assert dump(corpus.db) == before
