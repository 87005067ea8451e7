"""The report's tables as plain data: knock-outs, disagreement, sensitivity, tariffs,
vendor pages, declarations, methodology and sign-off."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vendor_eval.domain import Snapshot
from vendor_eval.io.report.data import (
    Table,
    finite_or_zero,
    fmt_score,
    group_names,
    group_shares,
    nothing_scored,
    smallest_change,
)
from vendor_eval.scoring.knockouts import KnockoutSpec, knockout_reasons
from vendor_eval.scoring.results import (
    DisagreementResult,
    RankingResult,
    SensitivityResult,
    TariffResult,
)
from vendor_eval.vocabulary import MISSING_POLICIES

STRENGTHS = 3
COMMENTS_PER_VENDOR = 6  # with the profile and group table, one vendor fits one page
COMMENTS_PER_CRITERION = 2
FLAGGED_CELLS = 40


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


def disagreement_tables(d: DisagreementResult | None, limit: int = FLAGGED_CELLS,
                        why: str = "") -> tuple[Table, Table]:
    """The cells to discuss and the evaluators' bias; `why` says why they were not computed."""
    if d is None:
        empty = Table(("",), (), (), f"Disagreement was not computed. {why}".strip())
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


def critical_table(s: SensitivityResult | None, limit: int = 25, why: str = "") -> Table:
    if s is None or not s.critical:
        return Table(("",), (), (), f"The sensitivity analysis was not computed. {why}".strip())
    changes = sorted(s.critical, key=smallest_change)[:limit]
    rows = []
    for c in changes:
        up = f"+{c.delta_up * 100:.1f} pp → {c.winner_up}" if c.delta_up is not None else "none"
        down = f"{c.delta_down * 100:.1f} pp → {c.winner_down}" if c.delta_down is not None else "none"
        rows.append((c.criterion, f"{c.weight:.1%}", up, down))
    return Table(("Criterion", "Weight now", "Raise until the winner changes", "Lower until the winner changes"),
                 tuple(rows), note=f"The {len(rows)} criteria whose weight changes the winner soonest.")


def acceptability_table(s: SensitivityResult | None, ranks: int = 5, limit: int = 20, why: str = "") -> Table:
    if s is None or s.smaa is None:
        return Table(("",), (), (), f"Rank acceptability (SMAA) was not computed. {why}".strip())
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


def _comments(snap: Snapshot) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """vendor id -> criterion key -> [(evaluator, comment)], in evaluator order."""
    evaluator = {x.id: x.name for x in snap.evaluators}
    key = {c.id: c.key for c in snap.criteria}
    out: dict[int, dict[str, list[tuple[str, str]]]] = {}
    with_text = [s for s in snap.scores.with_comments() if s.comment.strip()]
    for s in sorted(with_text, key=lambda s: snap.index_of("evaluator", s.evaluator_id)):
        out.setdefault(s.vendor_id, {}).setdefault(key[s.criterion_id], []).append(
            (evaluator[s.evaluator_id], s.comment))
    return out


def _pick_comments(per_criterion: dict[str, list[tuple[str, str]]], weakest_first: list[str],
                   names: dict[str, str]) -> tuple[tuple[tuple[str, str, str], ...], int]:
    """Comments that fit one vendor page: the weakest-scored criteria first (what the committee
    must weigh), at most COMMENTS_PER_CRITERION each; returns them and how many were left out."""
    seen = set(weakest_first)
    order = weakest_first + [k for k in per_criterion if k not in seen]
    picked: list[tuple[str, str, str]] = []
    for k in order:
        for who, text in per_criterion.get(k, [])[:COMMENTS_PER_CRITERION]:
            if len(picked) < COMMENTS_PER_VENDOR:
                picked.append((who, names[k], text))
    total = sum(len(x) for x in per_criterion.values())
    return tuple(picked), total - len(picked)


def vendor_pages(snap: Snapshot, r: RankingResult) -> list[VendorPage]:
    by_id = {v.id: v for v in snap.vendors}
    crit_by_key = {c.key: c for c in snap.criteria}
    names = {c.key: c.name for c in snap.criteria}
    comments = _comments(snap)
    shares = group_shares(r)
    unscored = bool(nothing_scored(snap))
    pages = []
    for v in r.vendors:
        p = by_id[v.vendor_id]
        groups = tuple((g, fmt_score(finite_or_zero(v.by_group.get(g, 0.0))), fmt_score(100 * shares[g]),
                        f"{finite_or_zero(v.by_group.get(g, 0.0)) / (100 * shares[g]):.0%}" if shares[g] > 0 else "–")
                       for g in group_names(r)) if v.by_group else ()
        scored = sorted(((x, k) for k, x in v.normalised.items() if math.isfinite(x)), key=lambda t: (-t[0], t[1]))
        strengths = tuple(f"{crit_by_key[k].name} ({x:.0%})" for x, k in scored[:STRENGTHS])
        weaknesses = (tuple(f"{crit_by_key[k].name} ({x:.0%})" for x, k in reversed(scored[-STRENGTHS:]))
                      if len(scored) > STRENGTHS else ())
        headline = ("Not scored yet" if unscored
                    else f"Disqualified; {v.score:.1f} points before knock-outs" if v.disqualified
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
        picked, left_out = _pick_comments(comments.get(v.vendor_id, {}), [k for _x, k in reversed(scored)], names)
        pages.append(VendorPage(v.name, headline, v.reasons, profile, strengths, weaknesses, picked, groups, left_out))
    return pages


def declaration_table(snap: Snapshot) -> Table:
    """Every declaration on record (append-only; an evaluator's latest is in force), then
    evaluators who made none."""
    vendor = {v.id: v.name for v in snap.vendors}
    evaluator = {x.id: x.name for x in snap.evaluators}
    latest = {d.evaluator_id: d.id for d in snap.declarations}  # declarations come oldest first
    rows, flags = [], []
    for d in snap.declarations:
        conflicts = ", ".join(vendor.get(i, f"vendor #{i}") for i in d.vendor_ids)
        state = "in force" if latest[d.evaluator_id] == d.id else "superseded"
        rows.append((evaluator.get(d.evaluator_id, f"#{d.evaluator_id}"), f"{d.declared_at:%Y-%m-%d %H:%M}", state,
                     conflicts or "No conflict", d.statement))
        flags.append("warn" if d.vendor_ids and state == "in force" else "")
    for x in snap.evaluators:
        if x.id not in latest:
            rows.append((x.name, "–", "missing", "No declaration on file", ""))
            flags.append("bad")
    return Table(("Evaluator", "Declared (UTC)", "Status", "Conflicts with", "Statement"), tuple(rows), tuple(flags))


def methodology(snap: Snapshot, r: RankingResult) -> tuple[list[str], Table]:
    e = snap.evaluation
    text = [f"Method: {r.method} ({r.score_scale})."]
    text += [f"{k.replace('_', ' ').capitalize()}: {v}." for k, v in r.variant.items()
             if k not in ("method", "missing_policy")]
    text.append(f"Missing scores: {MISSING_POLICIES.get(e.missing_policy, e.missing_policy)}.")
    text.append(f"Evaluator disagreement: spread = (highest - lowest) / scale range; discuss from "
                f"{e.discuss_threshold:.0%}, must discuss from {e.must_discuss_threshold:.0%}.")
    text.append("Knock-out criteria disqualify a vendor whose aggregated score is below the stated minimum, "
                "whatever its total.")
    text.append("The fingerprint in every footer is SHA-256 over the evaluation's data and its audit chain head "
                "(on the cover); 'vendor-eval-cli verify EVALUATION --head HEAD' confirms that the recorded "
                "history still contains this report's state.")
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
