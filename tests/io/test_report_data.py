"""The report's content as plain data, before any layout."""

from __future__ import annotations

from dataclasses import replace

import pytest
from report_fixtures import ACME, CJK, fresh, make_inputs, make_snapshot

from vendor_eval.io.report import data as rd
from vendor_eval.io.report import tables as rt
from vendor_eval.io.report.summary import summary_sentences


@pytest.fixture(scope="module")
def inp() -> rd.ReportInputs:
    return make_inputs()


def test_fingerprint_covers_scores_and_the_audit_chain() -> None:
    snap = make_snapshot()
    fp = rd.fingerprint(snap)
    assert len(fp) == 64 and rd.fingerprint(make_snapshot()) == fp  # stable for the same data
    first = snap.scores[0]
    bumped = first._replace(value=first.value + 1) if hasattr(first, "_replace") else replace(first, value=first.value + 1)
    assert rd.fingerprint(fresh(snap, scores=(bumped,) + snap.scores[1:])) != fp
    assert rd.fingerprint(fresh(snap, audit_head="cd" * 32)) != fp
    assert rd.short_fingerprint(fp) == f"{fp[:8]}-{fp[8:16]}"


def test_summary_sentences(inp: rd.ReportInputs) -> None:
    sentences = summary_sentences(inp)
    first, second = inp.ranking.vendors[0], inp.ranking.vendors[1]
    assert sentences[0] == (f"{first.name} ranks first with {first.score:.1f} points, "
                            f"{first.score - second.score:.1f} ahead of the runner-up, {second.name} "
                            f"({second.score:.1f}).")
    text = " ".join(sentences)
    assert "ranked first in 100% of them: the win is robust" in text
    assert "2 vendors were disqualified: Harbor Imaging Partners (Knock-out criterion 'STAT turnaround'" in text
    assert "1 vendor-criterion cell had no score" in text
    assert "Under the tariff scenario" in text


def test_summary_without_a_qualified_vendor(inp: rd.ReportInputs) -> None:
    everyone_out = replace(inp.ranking, vendors=tuple(replace(v, disqualified=True, reasons=("Failed.",))
                                                      for v in inp.ranking.vendors))
    sentences = summary_sentences(replace(inp, ranking=everyone_out, sensitivity=None, tariffs=None))
    assert sentences[0].startswith("No vendor passed every knock-out requirement")


def test_ranking_rows_and_chart_series(inp: rd.ReportInputs) -> None:
    rows = rd.ranking_rows(inp.ranking, inp.snapshot)
    assert [r.vendor for r in rows][:3] == ["Northwind Teleradiology", ACME, CJK]
    assert rows[0].status == "Recommended" and rows[0].behind == 0
    assert all(r.rank is None for r in rows if r.status == "Disqualified")
    stacked = rd.stacked_groups(inp.ranking)
    assert stacked.series == ("Service levels", "Security & compliance", "Commercial")
    for name, values in zip(stacked.categories, stacked.values, strict=True):
        score = next(v.score for v in inp.ranking.vendors if v.name == name)
        assert sum(values) == pytest.approx(score)  # the stacked bar adds up to the total
    assert rd.stacked_groups(inp.ranking, limit=2).note == "The best 2 of 6 vendors are shown."
    radar = rd.radar_groups(inp.ranking)
    assert len(radar.categories) == 4  # qualified vendors only
    assert all(0 <= x <= 100 for row in radar.values for x in row)


def test_matrix_blocks_split_vendors_and_keep_every_criterion(inp: rd.ReportInputs) -> None:
    blocks = rd.matrix_blocks(inp.snapshot, inp.ranking, per_block=4)
    assert [len(b.vendors) for b in blocks] == [4, 2]
    for b in blocks:
        kinds = [r.kind for r in b.rows]
        assert kinds.count("criterion") == len(inp.snapshot.criteria)
        assert kinds.count("group") == len(inp.snapshot.groups) and kinds[-1] == "total"
    last = blocks[1]
    exit_row = next(r for r in last.rows if r.label == "Exit terms")
    assert exit_row.values[-1] == "–" and exit_row.heat[-1] is None  # the unscored cell
    discrepancy = next(r for r in blocks[0].rows if r.label.startswith("Discrepancy rate"))
    assert "lower is better" in discrepancy.label
    assert discrepancy.heat[0] > discrepancy.heat[3]  # lower rate, better (greener) cell


def test_knockouts_declarations_and_tariffs(inp: rd.ReportInputs) -> None:
    ko = rt.knockout_table(inp.snapshot, inp.ranking)
    harbor = next(r for r in ko.rows if r[0] == "Harbor Imaging Partners")
    assert harbor[1].endswith("FAIL") and harbor[-1] == "Disqualified"
    decl = rt.declaration_table(inp.snapshot)
    assert ("Priya Raman", "–", "missing", "No declaration on file", "") in decl.rows
    assert any(r[2:4] == ("in force", "Harbor Imaging Partners") for r in decl.rows)
    okafor = [r[2] for r in decl.rows if r[0] == "Dr. Miriam Okafor"]
    assert okafor == ["superseded", "in force"]  # append-only: the earlier declaration stays on record
    tariffs = rt.tariff_table(inp.tariffs)
    assert tariffs.header[2:] == ("Baseline", "US Section 301: 25 % on China", "EU 15 % without exemption")
    assert len(tariffs.rows) == len(inp.snapshot.vendors)


def test_vendor_pages(inp: rd.ReportInputs) -> None:
    pages = {p.name: p for p in rt.vendor_pages(inp.snapshot, inp.ranking)}
    acme = pages[ACME]
    assert acme.headline == "Rank 2 of 4 with 81.3 points"
    assert len(acme.strengths) == 3 and len(acme.weaknesses) == 3
    assert acme.comments[0][2].startswith("Good SLA <font")
    assert [g[0] for g in acme.groups] == ["Service levels", "Security & compliance", "Commercial"]
    assert pages["Harbor Imaging Partners"].reasons
