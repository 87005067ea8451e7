"""Every section of the committee report, computed once from the inputs; the PDF and the Excel
writers both take this ReportData (the workbook's live formulas also read the inputs it carries)."""

from __future__ import annotations

from dataclasses import dataclass

from vendor_eval.io.report import data as rd
from vendor_eval.io.report import tables as rt
from vendor_eval.io.report.summary import summary_sentences

VENDORS_PER_BLOCK = 10  # score-matrix columns on a landscape page


@dataclass(frozen=True)
class ReportData:
    inputs: rd.ReportInputs
    cover: rd.Cover
    method: str  # "weighted" | "topsis": which charts apply
    summary: list[str]
    ranking: list[rd.RankingRow]
    ranking_table: rd.Table  # in the method's terms, with scenario costs when ranked under one
    stacked: rd.Series
    radar: rd.Series
    matrix: list[rd.MatrixBlock]
    knockouts: rd.Table
    disagreement: rd.Table
    bias: rd.Table
    critical: rd.Table
    acceptability: rd.Table
    tariffs: rd.Table
    vendors: list[rt.VendorPage]
    declarations: rd.Table
    method_text: list[str]
    method_table: rd.Table
    signatories: list[rt.Signatory]
    conditions: rd.Table = rd.Table((), ())


def build_report_data(inp: rd.ReportInputs, vendors_per_block: int = VENDORS_PER_BLOCK) -> ReportData:
    snap, r = inp.snapshot, inp.ranking
    why = rd.nothing_scored(snap)  # the analyses below say it when they had nothing to work on
    cells, bias = rt.disagreement_tables(inp.disagreement, why=why)
    text, table = rt.methodology(snap, r)
    return ReportData(
        inputs=inp, cover=rd.cover(inp), method=r.method, summary=summary_sentences(inp), ranking=rd.ranking_rows(r, inp.snapshot),
        ranking_table=rd.ranking_table(inp),
        stacked=rd.stacked_groups(r), radar=rd.radar_groups(r), matrix=rd.matrix_blocks(snap, r, vendors_per_block),
        knockouts=rt.knockout_table(snap, r), disagreement=cells, bias=bias,
        critical=rt.critical_table(inp.sensitivity, why=why),
        acceptability=rt.acceptability_table(inp.sensitivity, why=why),
        tariffs=rt.tariff_table(inp.tariffs), vendors=rt.vendor_pages(snap, r),
        declarations=rt.declaration_table(snap), method_text=text, method_table=table,
        signatories=rt.signatories(snap), conditions=rd.conditions_table(snap),
    )
