"""The committee report's content as plain data, computed before any layout (STYLE.md 11).

Pure functions from a Snapshot and the decision engine's results to rows, totals and
chart series. The PDF and the Excel writers only lay these out; tests check them here
first. Every string is plain, unescaped text: the writers make it safe for their format.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from vendor_eval.domain import Snapshot
from vendor_eval.scoring.knockouts import KnockoutSpec, knockout_reasons
from vendor_eval.scoring.results import DisagreementResult, RankingResult, SensitivityResult, TariffResult

CHART_VENDORS = 25  # bars in the stacked chart: more would not be legible on one page
RADAR_VENDORS = 5
STRENGTHS = 3
COMMENTS_PER_VENDOR = 12
FLAGGED_CELLS = 40


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    entity: str
    field: str
    old: str
    new: str
    reason: str


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
    chain_intact: bool | None = None  # None = not verified


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
    feed(sorted((s.evaluator_id, s.vendor_id, s.criterion_id, s.value, s.comment) for s in snap.scores))
    feed(sorted((c.vendor_id, c.criterion_id, c.value, c.reason) for c in snap.consensus))
    feed(sorted((c.vendor_id, c.category, c.annual_amount, c.origin_country, c.pass_through) for c in snap.cost_lines))
    feed([[t.name, sorted(t.rates.items()), t.imaging_exemption] for t in snap.tariff_scenarios])
    feed([[d.evaluator_id, str(d.declared_at), list(d.vendor_ids), d.statement] for d in snap.declarations])
    feed(snap.audit_head)
    return h.hexdigest()


def short_fingerprint(full: str) -> str:
    return f"{full[:8]}-{full[8:16]}"


# --- cover and ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    title: str
    organisation: str
    status: str
    date: str
    generated: str
    fingerprint: str
    counts: str


def cover(inp: ReportInputs) -> Cover:
    snap, e = inp.snapshot, inp.snapshot.evaluation
    on = e.finalised_at or inp.generated_at
    status = f"Finalised by {e.finalised_by} on {e.finalised_at:%d %B %Y}" if e.finalised_at else e.status.capitalize()
    counts = (f"{len(snap.vendors)} vendors, {len(snap.criteria)} criteria in {len(snap.groups)} groups, "
              f"{len(snap.evaluators)} evaluators")
    return Cover(e.name, e.organisation, status, f"{on:%d %B %Y}", f"{inp.generated_at:%Y-%m-%d %H:%M} UTC",
                 fingerprint(snap), counts)


@dataclass(frozen=True)
class RankingRow:
    rank: int | None  # None = disqualified
    vendor: str
    score: float
    behind: float | None  # points behind the leader
    status: str
    reasons: tuple[str, ...]


def ranking_rows(r: RankingResult) -> list[RankingRow]:
    lead = r.vendors[0].score if r.vendors and not r.vendors[0].disqualified else None
    rows = []
    for v in r.vendors:
        behind = None if v.disqualified or lead is None else lead - v.score
        status = "Disqualified" if v.disqualified else ("Recommended" if v.rank == 1 else "Qualified")
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
    values = tuple(tuple(_finite(v.by_group.get(g, 0.0)) for g in groups) for v in shown)
    note = f"The best {limit} of {len(r.vendors)} vendors are shown." if len(r.vendors) > limit else ""
    return Series(tuple(v.name for v in shown), groups, values, note)


def radar_groups(r: RankingResult, limit: int = RADAR_VENDORS) -> Series:
    """Share of each group's attainable points (0-100 %) for the top qualified vendors."""
    groups = group_names(r)
    shares = group_shares(r)
    top = [v for v in r.vendors if not v.disqualified][:limit]
    values = tuple(
        tuple(100.0 * _finite(v.by_group.get(g, 0.0)) / (100.0 * shares[g]) if shares[g] > 0 else 0.0 for g in groups)
        for v in top
    )
    return Series(tuple(v.name for v in top), groups, values)


def _finite(x: float) -> float:
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


# --- knock-outs, disagreement, sensitivity, tariffs ---------------------------------------


@dataclass(frozen=True)
class Table:
    """A generic table: header and rows of plain text; `flags` marks rows to highlight."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flags: tuple[str, ...] = ()  # per row: "" | "bad" | "warn" | "good"
    note: str = ""


def knockout_table(snap: Snapshot, r: RankingResult) -> Table:
    """Each vendor's aggregated score on each knock-out criterion, judged by the engine's own rule."""
    kos = [(j, c) for j, c in enumerate(snap.criteria) if c.knockout and c.id in r.criterion_ids]
    header = ("Vendor", *(f"{c.name} (min {c.knockout_min:g})" if c.knockout_min is not None else c.name
                          for _, c in kos), "Result")
    row_of = {vid: i for i, vid in enumerate(r.vendor_ids)}
    failed = {}
    for _, c in kos:
        col = r.criterion_ids.index(c.id)
        spec = KnockoutSpec(col, c.name, c.knockout_min, c.direction == "min", c.scale_min, c.scale_max)
        failed[c.id] = [bool(x) for x in knockout_reasons(r.matrix, [spec])]
    rows, flags = [], []
    for v in r.vendors:
        i = row_of[v.vendor_id]
        cells = []
        for _, c in kos:
            x = float(r.matrix[i, r.criterion_ids.index(c.id)])
            cells.append(f"{fmt_score(x)} {'FAIL' if failed[c.id][i] else 'pass'}")
        rows.append((v.name, *cells, "Disqualified" if v.disqualified else "Passed"))
        flags.append("bad" if v.disqualified else "")
    note = "" if kos else "This evaluation has no knock-out criteria."
    return Table(header, tuple(rows), tuple(flags), note)


def disagreement_tables(d: DisagreementResult | None, limit: int = FLAGGED_CELLS) -> tuple[Table, Table]:
    if d is None:
        empty = Table(("",), (), (), "Disagreement was not computed.")
        return empty, empty
    flagged = d.flagged()
    rows = tuple((c.vendor, c.criterion, str(c.n_scores), f"{c.low:g}-{c.high:g}", f"{c.spread:.0%}",
                  "Must discuss" if c.band == "must_discuss" else "Discuss") for c in flagged[:limit])
    flags = tuple("bad" if c.band == "must_discuss" else "warn" for c in flagged[:limit])
    note = (f"{len(flagged) - limit} further cells to discuss are listed in the Excel workbook."
            if len(flagged) > limit else ("" if flagged else "No cell exceeds the discussion threshold."))
    cells = Table(("Vendor", "Criterion", "Scores", "Range", "Spread", "Action"), rows, flags, note)
    bias_rows = tuple((b.name, f"{b.bias:+.1%}" if math.isfinite(b.bias) else "–", str(b.cells))
                      for b in d.evaluators)
    bias_flags = tuple("warn" if math.isfinite(b.bias) and abs(b.bias) >= 0.1 else "" for b in d.evaluators)
    bias = Table(("Evaluator", "Bias (share of scale vs. panel)", "Cells compared"), bias_rows, bias_flags)
    return cells, bias


def critical_table(s: SensitivityResult | None, limit: int = 25) -> Table:
    if s is None or not s.critical:
        return Table(("",), (), (), "The sensitivity analysis was not computed.")
    changes = sorted(s.critical, key=_smallest_change)[:limit]
    rows = []
    for c in changes:
        up = f"+{c.delta_up * 100:.1f} pp → {c.winner_up}" if c.delta_up is not None else "none"
        down = f"{c.delta_down * 100:.1f} pp → {c.winner_down}" if c.delta_down is not None else "none"
        rows.append((c.criterion, f"{c.weight:.1%}", up, down))
    return Table(("Criterion", "Weight now", "Raise until the winner changes", "Lower until the winner changes"),
                 tuple(rows), note=f"The {len(rows)} criteria whose weight changes the winner soonest.")


def _smallest_change(c: Any) -> float:
    options = [abs(x) for x in (c.delta_up, c.delta_down) if x is not None]
    return min(options) if options else math.inf


def acceptability_table(s: SensitivityResult | None, ranks: int = 5, limit: int = 20) -> Table:
    if s is None or s.smaa is None:
        return Table(("",), (), (), "Rank acceptability (SMAA) was not computed.")
    acc = s.smaa.acceptability
    k = min(ranks, acc.shape[1])
    order = np.argsort(-acc[:, 0], kind="stable")[:limit]
    rows = tuple((s.vendor_names[i], *(f"{acc[i, r]:.0%}" for r in range(k))) for i in order)
    note = (f"Share of {s.smaa.samples:,} sampled weight vectors ({s.smaa.sampling} sampling, seed {s.smaa.seed}) "
            "in which each vendor took each rank.")
    return Table(("Vendor", *(f"Rank {r + 1}" for r in range(k))), rows, note=note)


def tariff_table(t: TariffResult | None) -> Table:
    if t is None or not t.lines:
        return Table(("",), (), (), "No tariff scenarios were computed (no cost lines or scenarios).")
    vendors = list(dict.fromkeys(x.vendor for x in t.lines))
    base = {x.vendor: x for x in t.lines}
    rows = []
    for v in vendors:
        cells = []
        for sc in t.scenarios:
            try:
                line = t.line(v, sc)
            except KeyError:
                cells.append("–")
                continue
            extra = f" (+{line.exposure_ratio:.1%})" if line.increase > 0 else ""
            cells.append(f"{line.total:,.0f}{extra}")
        rows.append((v, f"{base[v].term_years:g} y", *cells))
    currency = t.lines[0].currency
    return Table(("Vendor", "Term", *t.scenarios), tuple(rows),
                 note=f"Cost over the contract term in {currency}; in brackets the rise over the baseline. "
                 + " ".join(t.notes))


# --- vendor pages, declarations, methodology, sign-off ------------------------------------


@dataclass(frozen=True)
class VendorPage:
    name: str
    headline: str
    reasons: tuple[str, ...]
    profile: tuple[tuple[str, str], ...]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    comments: tuple[tuple[str, str, str], ...]  # evaluator, criterion, text
    groups: tuple[tuple[str, str, str, str], ...] = ()  # group, points, attainable, share
    more_comments: int = 0


def vendor_pages(snap: Snapshot, r: RankingResult) -> list[VendorPage]:
    by_id = {v.id: v for v in snap.vendors}
    crit_by_key = {c.key: c for c in snap.criteria}
    evaluator = {x.id: x.name for x in snap.evaluators}
    criterion = {c.id: c.name for c in snap.criteria}
    comments: dict[int, list[tuple[str, str, str]]] = {}
    for s in sorted(snap.scores, key=lambda s: (snap.index_of("criterion", s.criterion_id),
                                                 snap.index_of("evaluator", s.evaluator_id))):
        if s.comment.strip():
            comments.setdefault(s.vendor_id, []).append((evaluator[s.evaluator_id], criterion[s.criterion_id], s.comment))
    shares = group_shares(r)
    pages = []
    for v in r.vendors:
        p = by_id[v.vendor_id]
        groups = tuple((g, fmt_score(_finite(v.by_group.get(g, 0.0))), fmt_score(100 * shares[g]),
                        f"{_finite(v.by_group.get(g, 0.0)) / (100 * shares[g]):.0%}" if shares[g] > 0 else "–")
                       for g in group_names(r)) if v.by_group else ()
        scored = sorted(((x, k) for k, x in v.normalised.items() if math.isfinite(x)), key=lambda t: (-t[0], t[1]))
        label = lambda t: f"{crit_by_key[t[1]].name} ({t[0]:.0%})"  # noqa: E731
        strengths = tuple(label(t) for t in scored[:STRENGTHS])
        weaknesses = tuple(label(t) for t in reversed(scored[-STRENGTHS:])) if len(scored) > STRENGTHS else ()
        headline = (f"Disqualified; {v.score:.1f} points before knock-outs" if v.disqualified
                    else f"Rank {v.rank} of {sum(not x.disqualified for x in r.vendors)} with {v.score:.1f} points")
        profile = tuple((k, val) for k, val in (
            ("Legal name", p.legal_name), ("Headquarters", p.hq_country),
            ("Delivery locations", ", ".join(p.delivery_locations)),
            ("Deployment / hosting", " / ".join(x for x in (p.deployment_model, p.hosting_model) if x)),
            ("Modalities", ", ".join(p.modalities)), ("Services", ", ".join(p.service_types)),
            ("Certifications", ", ".join(p.certifications)), ("Contract term", f"{p.contract_term_years:g} years"),
            ("Escalation cap", "" if p.escalation_cap_pct is None else f"{p.escalation_cap_pct:g} % a year"),
            ("Contact", p.contact), ("Notes", p.notes),
        ) if val)
        mine = comments.get(v.vendor_id, [])
        pages.append(VendorPage(v.name, headline, v.reasons, profile, strengths, weaknesses,
                                tuple(mine[:COMMENTS_PER_VENDOR]), groups, max(0, len(mine) - COMMENTS_PER_VENDOR)))
    return pages


def declaration_table(snap: Snapshot) -> Table:
    """Every declaration on record (append-only), and evaluators who made none."""
    vendor = {v.id: v.name for v in snap.vendors}
    evaluator = {x.id: x.name for x in snap.evaluators}
    rows, flags = [], []
    for d in snap.declarations:
        conflicts = ", ".join(vendor.get(i, f"vendor #{i}") for i in d.vendor_ids)
        rows.append((evaluator.get(d.evaluator_id, f"#{d.evaluator_id}"), f"{d.declared_at:%Y-%m-%d %H:%M}",
                     conflicts or "No conflict", d.statement))
        flags.append("warn" if d.vendor_ids else "")
    declared = {d.evaluator_id for d in snap.declarations}
    for x in snap.evaluators:
        if x.id not in declared:
            rows.append((x.name, "–", "No declaration on file", ""))
            flags.append("bad")
    return Table(("Evaluator", "Declared (UTC)", "Conflicts with", "Statement"), tuple(rows), tuple(flags))


MISSING_POLICY_TEXT = {
    "block": "the ranking is refused while any cell lacks a score",
    "minimum": "a cell without a score counts as the scale's worst value",
    "renormalise": "a cell without a score is left out and the vendor's remaining weights are rescaled to 100 %",
}


def methodology(snap: Snapshot, r: RankingResult) -> tuple[list[str], Table]:
    e = snap.evaluation
    text = [f"Method: {r.method} ({r.score_scale})."]
    text += [f"{k.replace('_', ' ').capitalize()}: {v}." for k, v in r.variant.items()
             if k not in ("method", "missing_policy")]
    text.append(f"Missing scores: {MISSING_POLICY_TEXT.get(e.missing_policy, e.missing_policy)}.")
    text.append(f"Evaluator disagreement: spread = (highest - lowest) / scale range; discuss from "
                f"{e.discuss_threshold:.0%}, must discuss from {e.must_discuss_threshold:.0%}.")
    text.append("Knock-out criteria disqualify a vendor whose aggregated score is below the stated minimum, "
                "whatever its total.")
    weight = dict(zip(r.criterion_ids, r.weights, strict=True))
    rows = []
    for c in snap.criteria:
        rows.append((snap.group_of(c).name, c.name, f"{c.weight:g} %", f"{100 * weight.get(c.id, 0.0):.2f} %",
                     f"{c.scale_min:g}-{c.scale_max:g}", "lower" if c.direction == "min" else "higher",
                     "knock-out" + (f" ≥ {c.knockout_min:g}" if c.knockout_min is not None else "") if c.knockout else ""))
    table = Table(("Group", "Criterion", "In group", "Effective", "Scale", "Better", "Rule"), tuple(rows))
    return text, table


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


def signatories(snap: Snapshot) -> list[Signatory]:
    return [Signatory(x.name, x.role) for x in snap.evaluators]


# --- executive summary -------------------------------------------------------------------


def summary_sentences(inp: ReportInputs) -> list[str]:
    """The executive summary in plain sentences, generated from the results."""
    r = inp.ranking
    out: list[str] = []
    qualified = [v for v in r.vendors if not v.disqualified]
    unit = "points" if r.method == "weighted" else "closeness"
    if not qualified:
        out.append("No vendor passed every knock-out requirement, so the committee has no vendor to recommend.")
    else:
        first = qualified[0]
        tied = [v.name for v in qualified if v.rank == 1]
        if len(tied) > 1:
            out.append(f"{_join(tied)} tie for first place with {first.score:.1f} {unit}.")
        elif len(qualified) == 1:
            out.append(f"{first.name} ranks first with {first.score:.1f} {unit} and is the only vendor "
                       "that passed every knock-out requirement.")
        else:
            second = qualified[1]
            gap = first.score - second.score
            out.append(f"{first.name} ranks first with {first.score:.1f} {unit}, {gap:.1f} ahead of the runner-up, "
                       f"{second.name} ({second.score:.1f}).")
    out += _robustness(inp.sensitivity, qualified[0].name if qualified else None)
    dq = [v for v in r.vendors if v.disqualified]
    if dq:
        shown = "; ".join(f"{v.name} ({' '.join(v.reasons).rstrip('.') or 'failed a knock-out'})" for v in dq[:5])
        more = f"; and {len(dq) - 5} more (see Knock-out results)" if len(dq) > 5 else ""
        out.append(f"{len(dq)} vendor{'s were' if len(dq) > 1 else ' was'} disqualified: {shown}{more}.")
    else:
        out.append("No vendor was disqualified on the knock-out requirements.")
    if r.missing:
        cells = "cell" if len(r.missing) == 1 else "cells"
        out.append(f"{len(r.missing)} vendor-criterion {cells} had no score; "
                   f"{MISSING_POLICY_TEXT.get(inp.snapshot.evaluation.missing_policy, 'see the methodology')}.")
    d = inp.disagreement
    if d is not None:
        must = sum(c.band == "must_discuss" for c in d.cells)
        disc = sum(c.band == "discuss" for c in d.cells)
        if must or disc:
            out.append(f"Evaluators disagreed strongly on {must} cells and moderately on {disc}; "
                       "the committee should discuss them before finalising.")
        else:
            out.append("Evaluators broadly agreed: no cell exceeds the discussion threshold.")
    out += _tariff_sentence(inp.tariffs, qualified[0].name if qualified else None)
    return out


def _robustness(s: SensitivityResult | None, winner: str | None) -> list[str]:
    if s is None or winner is None:
        return []
    out = []
    if s.smaa is not None and winner in s.vendor_names:
        share = float(s.smaa.acceptability[s.vendor_names.index(winner), 0])
        verdict = ("the win is robust" if share >= 0.8 else "the win is fairly robust" if share >= 0.5
                   else "the win depends on the weights chosen")
        out.append(f"Across {s.smaa.samples:,} random weightings of the criteria, {winner} ranked first in "
                   f"{share:.0%} of them: {verdict}.")
    options = [c for c in s.critical if _smallest_change(c) < math.inf]
    if options:
        c = min(options, key=_smallest_change)
        up = c.delta_up is not None and (c.delta_down is None or abs(c.delta_up) <= abs(c.delta_down))
        delta, other = (c.delta_up, c.winner_up) if up else (c.delta_down, c.winner_down)
        out.append(f"The smallest single weight change that changes the winner is "
                   f"{'raising' if up else 'lowering'} the weight of {c.criterion} by {abs(delta or 0) * 100:.1f} "
                   f"percentage points (now {c.weight:.1%}), which would make {other} the winner.")
    elif s.critical:
        out.append("No change to the weight of any single criterion changes the winner.")
    return out


def _tariff_sentence(t: TariffResult | None, winner: str | None) -> list[str]:
    if t is None or winner is None:
        return []
    mine = [x for x in t.lines if x.vendor == winner]
    if not mine:
        return []
    worst = max(mine, key=lambda x: x.increase)
    if worst.increase <= 0:
        return [f"None of the tariff scenarios raises {winner}'s cost over the contract term."]
    return [f"Under the tariff scenario '{worst.scenario}', {winner}'s cost over the {worst.term_years:g}-year term "
            f"rises by {worst.increase:,.0f} {worst.currency} ({worst.exposure_ratio:.1%})."]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class ReportData:
    """All sections, computed once; the PDF lays these out."""

    cover: Cover
    summary: list[str]
    ranking: list[RankingRow]
    stacked: Series
    radar: Series
    knockouts: Table
    disagreement: Table
    bias: Table
    critical: Table
    acceptability: Table
    tariffs: Table
    vendors: list[VendorPage]
    declarations: Table
    method_text: list[str]
    method_table: Table
    signatories: list[Signatory]
    matrix: list[MatrixBlock] = field(default_factory=list)


def build_report_data(inp: ReportInputs, vendors_per_block: int = 10) -> ReportData:
    snap, r = inp.snapshot, inp.ranking
    cells, bias = disagreement_tables(inp.disagreement)
    text, table = methodology(snap, r)
    return ReportData(
        cover=cover(inp), summary=summary_sentences(inp), ranking=ranking_rows(r), stacked=stacked_groups(r),
        radar=radar_groups(r), knockouts=knockout_table(snap, r), disagreement=cells, bias=bias,
        critical=critical_table(inp.sensitivity), acceptability=acceptability_table(inp.sensitivity),
        tariffs=tariff_table(inp.tariffs), vendors=vendor_pages(snap, r), declarations=declaration_table(snap),
        method_text=text, method_table=table, signatories=signatories(snap),
        matrix=matrix_blocks(snap, r, vendors_per_block),
    )
