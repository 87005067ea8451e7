"""The committee report's content as plain data, computed before any layout (STYLE.md 11).

Pure functions from a Snapshot and the decision engine's results to rows, totals and
chart series (here), tables and vendor pages (tables.py), the executive summary
(summary.py); contents.py assembles them for the PDF. Every string is plain,
unescaped text: the writers make it safe for their format.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from vendor_eval.domain import AuditRow, Snapshot
from vendor_eval.scoring.results import (
    DisagreementResult,
    RankingResult,
    SensitivityResult,
    TariffResult,
)
from vendor_eval.vocabulary import METHODS

CHART_VENDORS = 25  # bars in the stacked chart: more would not be legible on one page
RADAR_VENDORS = 5


@dataclass(frozen=True)
class ReportInputs:
    """Everything one report shows; the service assembles it, the writers only read it."""

    snapshot: Snapshot
    ranking: RankingResult
    generated_at: datetime
    disagreement: DisagreementResult | None = None
    sensitivity: SensitivityResult | None = None
    tariffs: TariffResult | None = None
    audit: tuple[AuditRow, ...] = ()
    # None = not verified; a function = a verification still running beside the writing
    # (services.integrity.Verification), asked only when the workbook prints the verdict.
    chain_intact: bool | None | Callable[[], bool] = None

    def verdict(self) -> bool | None:
        """Whether the record verifies (None = not verified), waiting for a check still running."""
        return self.chain_intact() if callable(self.chain_intact) else self.chain_intact


# --- fingerprint -------------------------------------------------------------------------


def fingerprint(snap: Snapshot) -> str:
    """SHA-256 over the evaluation's content and its audit chain head: two printed copies
    with the same fingerprint show the same data. Timestamps of rows are left out on
    purpose (a re-save without a change must not alter it); the chain head covers history."""
    e = snap.evaluation
    h = hashlib.sha256()

    def feed(part: Any) -> None:
        h.update(json.dumps(part, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8"))

    feed([e.id, e.name, e.organisation, e.status, e.missing_policy, e.aggregation, e.discuss_threshold,
          e.must_discuss_threshold])
    feed([[g.id, g.name, g.weight, g.position] for g in snap.groups])
    feed([[c.id, c.group_id, c.key, c.name, c.weight, c.scale_min, c.scale_max, c.direction, c.knockout,
           c.knockout_min, c.is_cost] for c in snap.criteria])
    feed([[v.id, v.name] for v in snap.vendors])
    feed([[x.id, x.name, x.role] for x in snap.evaluators])
    h.update(_scores_json(snap).encode("utf-8"))
    feed(sorted((c.vendor_id, c.criterion_id, c.value, c.reason) for c in snap.consensus))
    feed(sorted((c.vendor_id, c.category, c.annual_amount, c.origin_country, c.pass_through) for c in snap.cost_lines))
    feed([[t.name, sorted(t.rates.items()), t.imaging_exemption] for t in snap.tariff_scenarios])
    feed([[d.evaluator_id, str(d.declared_at), list(d.vendor_ids), d.statement] for d in snap.declarations])
    feed(snap.audit_head)
    return h.hexdigest()


def _scores_json(snap: Snapshot) -> str:
    """The scores as fingerprint() has always fed them, json.dumps([[evaluator, vendor, criterion,
    value, comment], ...]) in (evaluator, vendor, criterion) order, written row by row as text:
    180,000 small lists would cost twice as much, half of it in the garbage collector."""
    t = snap.scores
    order = np.lexsort((t.criterion_id, t.vendor_id, t.evaluator_id))
    columns = [a[order].tolist() for a in (t.id, t.evaluator_id, t.vendor_id, t.criterion_id, t.value)]
    if not np.isfinite(t.value).all():  # json writes NaN and Infinity its own way
        return json.dumps([[e, v, c, x, t.comments.get(i, "")] for i, e, v, c, x in zip(*columns, strict=True)],
                          ensure_ascii=False, separators=(",", ":"))
    comments, empty = t.comments, '""'
    rows = [f"[{e},{v},{c},{x!r},{json.dumps(comments[i], ensure_ascii=False) if i in comments else empty}]"
            for i, e, v, c, x in zip(*columns, strict=True)]
    return f"[{','.join(rows)}]"


def short_fingerprint(full: str) -> str:
    return f"{full[:8]}-{full[8:16]}"


def nothing_scored(snap: Snapshot) -> str:
    """One plain sentence when no score is on record (no evaluators, or none has scored yet), else "":
    the ranking then only reflects the missing-score policy, and the analyses have nothing to compare."""
    if len(snap.scores):
        return ""
    if not snap.evaluators:
        return ("No evaluator is on the panel and no score has been recorded, so nothing can be recommended yet: "
                "add the committee's evaluators and their scores, then export this report again.")
    n = len(snap.evaluators)
    who = "The one evaluator on the panel has" if n == 1 else f"The {n} evaluators on the panel have"
    return (f"{who} recorded no score yet, so nothing can be recommended: record the scores, then export this "
            "report again.")


# --- cover and ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    title: str
    organisation: str
    status: str
    date: str
    generated: str
    fingerprint: str
    audit_head: str  # full: `vendor-eval-cli verify --head` checks that the record still contains it
    counts: str
    ranked_by: str = ""  # the committee's choices: method, aggregation, prices (see ranked_by())


def cover(inp: ReportInputs) -> Cover:
    snap, e = inp.snapshot, inp.snapshot.evaluation
    on = e.finalised_at or inp.generated_at
    status = f"Finalised by {e.finalised_by} on {e.finalised_at:%d %B %Y}" if e.finalised_at else e.status.capitalize()
    counts = (f"{len(snap.vendors)} vendors, {len(snap.criteria)} criteria in {len(snap.groups)} groups, "
              f"{len(snap.evaluators)} evaluators")
    return Cover(e.name, e.organisation, status, f"{on:%d %B %Y}", f"{inp.generated_at:%Y-%m-%d %H:%M} UTC",
                 fingerprint(snap), snap.audit_head, counts, ranked_by(inp.ranking))


def scenario_of(r: RankingResult) -> str | None:
    """The tariff scenario the prices were raised under, None when ranked at quoted prices."""
    chosen = r.variant.get("tariff_scenario", "")
    return None if not chosen or chosen.startswith("none") else chosen


def ranked_by(r: RankingResult) -> str:
    """The committee's choices in one line, for the cover and every ranking caption."""
    scenario = scenario_of(r)
    prices = f"prices under the tariff scenario '{scenario}'" if scenario else "prices as quoted"
    return (f"Ranked by {METHODS.get(r.method, r.method)}; scores aggregated as "
            f"{r.variant.get('aggregation', 'set for the evaluation')}; {prices}.")


def ranking_table(inp: ReportInputs) -> Table:
    """The ranking in the method's own terms: points and the gap for a weighted sum; closeness and
    both distances for TOPSIS; under a tariff scenario, each vendor's cost as quoted and under it."""
    r, scenario = inp.ranking, scenario_of(inp.ranking)
    lead = r.vendors[0].score if r.vendors and not r.vendors[0].disqualified else None
    topsis = r.method == "topsis"
    header = ["Rank", "Vendor"] + (["Closeness", "To ideal", "To anti-ideal"] if topsis else ["Score", "Behind leader"])
    costs: dict[str, tuple[float, float]] = {}
    if scenario and inp.tariffs is not None:
        costs = {x.vendor: (x.baseline_total, x.total) for x in inp.tariffs.lines if x.scenario == scenario}
        currency = inp.tariffs.lines[0].currency if inp.tariffs.lines else ""
        header += [f"Cost as quoted ({currency})", f"Cost under scenario ({currency})"]
    header += ["Status", "Knock-out findings"]
    rows, flags = [], []
    unscored = bool(nothing_scored(inp.snapshot))  # a 0-point tie recommends no one
    for v in r.vendors:
        cells = ["–" if v.disqualified else str(v.rank), v.name]
        if topsis:
            near, far = v.distances or (math.nan, math.nan)
            cells += [fmt_score(v.score, 3), fmt_score(near, 4), fmt_score(far, 4)]
        else:
            behind = None if v.disqualified or lead is None else lead - v.score
            cells += [fmt_score(v.score), "" if behind is None else ("–" if behind == 0 else f"-{behind:.1f}")]
        if scenario:
            quoted, under = costs.get(v.name, (math.nan, math.nan))
            cells += [_money(quoted), _money(under)]
        status = ("Not scored" if unscored else "Disqualified" if v.disqualified
                  else "Recommended" if v.rank == 1 else "Qualified")
        rows.append(tuple(cells + [status, " ".join(v.reasons)]))
        flags.append("good" if status == "Recommended" else "bad" if v.disqualified else "")
    return Table(tuple(header), tuple(rows), tuple(flags), ranked_by(r))


def _money(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.0f}"


@dataclass(frozen=True)
class ConditionRow:
    applies_to: str  # a vendor's name, or "The winning vendor"
    criterion: str  # the criterion's name, or ""
    text: str


def award_conditions(snap: Snapshot) -> list[ConditionRow]:
    """What the winner must meet after signing and before go-live, in the committee's order."""
    vendors = {v.id: v.name for v in snap.vendors}
    criteria = {c.id: c.name for c in snap.criteria}
    return [ConditionRow(vendors.get(x.vendor_id, "") if x.vendor_id is not None else "The winning vendor",
                         criteria.get(x.criterion_id, "") if x.criterion_id is not None else "", x.text)
            for x in snap.award_conditions]


@dataclass(frozen=True)
class RankingRow:
    rank: int | None  # None = disqualified
    vendor: str
    score: float
    behind: float | None  # points behind the leader
    status: str
    reasons: tuple[str, ...]


def ranking_rows(r: RankingResult, snap: Snapshot) -> list[RankingRow]:
    lead = r.vendors[0].score if r.vendors and not r.vendors[0].disqualified else None
    unscored = bool(nothing_scored(snap))  # a 0-point tie recommends no one
    rows = []
    for v in r.vendors:
        behind = None if v.disqualified or lead is None else lead - v.score
        status = ("Not scored" if unscored else "Disqualified" if v.disqualified
                  else "Recommended" if v.rank == 1 else "Qualified")
        rows.append(RankingRow(None if v.disqualified else v.rank, v.name, v.score, behind, status, v.reasons))
    return rows


def fmt_score(value: float, digits: int = 1) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


# --- chart series ------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """values[i][j]: category i (a vendor), series j (a group)."""

    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    note: str = ""


def group_names(r: RankingResult) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for gid in r.criterion_group_ids:
        seen.setdefault(r.group_names[gid], None)
    return tuple(seen)


def group_shares(r: RankingResult) -> dict[str, float]:
    """Each group's share of the total weight (0-1)."""
    out: dict[str, float] = {}
    for gid, w in zip(r.criterion_group_ids, r.weights, strict=True):
        out[r.group_names[gid]] = out.get(r.group_names[gid], 0.0) + float(w)
    return out


def stacked_groups(r: RankingResult, limit: int = CHART_VENDORS) -> Series:
    """Weighted points by group for the best `limit` vendors, best first."""
    groups = group_names(r)
    shown = r.vendors[:limit]
    values = tuple(tuple(finite_or_zero(v.by_group.get(g, 0.0)) for g in groups) for v in shown)
    note = f"The best {limit} of {len(r.vendors)} vendors are shown." if len(r.vendors) > limit else ""
    return Series(tuple(v.name for v in shown), groups, values, note)


def radar_groups(r: RankingResult, limit: int = RADAR_VENDORS) -> Series:
    """Share of each group's attainable points (0-100 %) for the top qualified vendors."""
    groups = group_names(r)
    shares = group_shares(r)
    top = [v for v in r.vendors if not v.disqualified][:limit]
    values = tuple(
        tuple(100.0 * finite_or_zero(v.by_group.get(g, 0.0)) / (100.0 * shares[g]) if shares[g] > 0 else 0.0 for g in groups)
        for v in top
    )
    return Series(tuple(v.name for v in top), groups, values)


def finite_or_zero(x: float) -> float:
    return float(x) if x is not None and math.isfinite(x) else 0.0


# --- score matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    kind: str  # "group" | "criterion" | "total"
    label: str
    values: tuple[str, ...] = ()
    heat: tuple[float | None, ...] = ()  # normalised 0-1 per vendor, None = missing


@dataclass(frozen=True)
class MatrixBlock:
    vendors: tuple[str, ...]
    ranks: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


def matrix_blocks(snap: Snapshot, r: RankingResult, per_block: int) -> list[MatrixBlock]:
    """Criteria as rows, vendors in column blocks of `per_block` (in ranking order), so any
    number of vendors and criteria paginates into readable tables."""
    col_of = {vid: i for i, vid in enumerate(r.vendor_ids)}
    crit_of = {cid: j for j, cid in enumerate(r.criterion_ids)}
    ordered = list(r.vendors)
    blocks = []
    for start in range(0, len(ordered), per_block):
        chunk = ordered[start:start + per_block]
        rows: list[MatrixRow] = []
        last_group = None
        for c in snap.criteria:
            if c.id not in crit_of:
                continue
            if c.group_id != last_group:
                last_group = c.group_id
                rows.append(MatrixRow("group", snap.group_of(c).name))
            j = crit_of[c.id]
            raw = [float(r.matrix[col_of[v.vendor_id], j]) for v in chunk]
            heat = tuple(_heat(v.normalised.get(c.key, math.nan)) for v in chunk)
            label = f"{c.name} (lower is better)" if c.direction == "min" else c.name
            rows.append(MatrixRow("criterion", label, tuple(fmt_score(x) for x in raw), heat))
        rows.append(MatrixRow("total", "Weighted total (0-100)", tuple(fmt_score(v.score) for v in chunk),
                              tuple(None for _ in chunk)))
        ranks = tuple("DQ" if v.disqualified else f"#{v.rank}" for v in chunk)
        blocks.append(MatrixBlock(tuple(v.name for v in chunk), ranks, tuple(rows)))
    return blocks


def _heat(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else min(1.0, max(0.0, float(x)))


# --- shared by the tables and the summary ------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A generic table: header and rows of plain text; `flags` marks rows to highlight."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flags: tuple[str, ...] = ()  # per row: "" | "bad" | "warn" | "good"
    note: str = ""


def smallest_change(c: Any) -> float:
    """The smaller absolute weight change (up or down) that changes the winner; inf when none does."""
    options = [abs(x) for x in (c.delta_up, c.delta_down) if x is not None]
    return min(options) if options else math.inf


def conditions_table(snap: Snapshot) -> Table:
    """The conditions of award as the report prints them (empty rows: no section)."""
    rows = tuple((x.applies_to, x.criterion or "-", x.text) for x in award_conditions(snap))
    return Table(("Applies to", "From criterion", "Condition (met after signing, before go-live)"), rows)
