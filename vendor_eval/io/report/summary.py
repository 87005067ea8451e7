"""The executive summary: plain sentences generated from the results."""

from __future__ import annotations

import math

from vendor_eval.io.report.data import (
    ReportInputs,
    nothing_scored,
    smallest_change,
)
from vendor_eval.scoring.results import SensitivityResult, TariffResult
from vendor_eval.vocabulary import MISSING_POLICIES

NARROW_LEAD = 2.0  # points out of 100: a lead this small deserves a word of caution


def summary_sentences(inp: ReportInputs) -> list[str]:
    """The executive summary in plain sentences, generated from the results."""
    r = inp.ranking
    empty = nothing_scored(inp.snapshot)
    if empty:  # a winner, a robustness or an agreement sentence would claim what no score supports
        return [empty, *_missing_sentence(inp)]
    out: list[str] = []
    qualified = [v for v in r.vendors if not v.disqualified]
    unit = "points" if r.method == "weighted" else "closeness"
    dp = 1 if r.method == "weighted" else 3  # decimals: closeness differences sit in the third
    if not qualified:
        out.append("No vendor passed every knock-out requirement, so the committee has no vendor to recommend.")
    else:
        first = qualified[0]
        tied = [v.name for v in qualified if v.rank == 1]
        if len(tied) > 1:
            out.append(f"{_join(tied)} tie for first place with {first.score:.{dp}f} {unit}.")
        elif len(qualified) == 1:
            out.append(f"{first.name} ranks first with {first.score:.{dp}f} {unit} and is the only vendor "
                       "that passed every knock-out requirement.")
        else:
            second = qualified[1]
            gap = first.score - second.score
            narrow = ": a narrow lead" if r.method == "weighted" and gap < NARROW_LEAD else ""
            out.append(f"{first.name} ranks first with {first.score:.{dp}f} {unit}, {gap:.{dp}f} ahead of the runner-up, "
                       f"{second.name} ({second.score:.{dp}f}){narrow}.")
    if r.method == "weighted":
        out += robustness(inp.sensitivity, qualified[0].name if qualified else None)
    elif inp.sensitivity is not None:
        # The sensitivity analysis moves weights of the weighted sum: its winner may not be this one.
        out.append("The sensitivity analysis (its own section) is computed on the weighted sum, not on TOPSIS.")
    dq = [v for v in r.vendors if v.disqualified]
    if dq:
        shown = "; ".join(f"{v.name} ({' '.join(v.reasons).rstrip('.') or 'failed a knock-out'})" for v in dq[:5])
        more = f"; and {len(dq) - 5} more (see Knock-out results)" if len(dq) > 5 else ""
        out.append(f"{len(dq)} vendor{'s were' if len(dq) > 1 else ' was'} disqualified: {shown}{more}.")
    else:
        out.append("No vendor was disqualified on the knock-out requirements.")
    out += _missing_sentence(inp)
    d = inp.disagreement
    if d is not None:
        must = sum(c.band == "must_discuss" for c in d.cells)
        disc = sum(c.band == "discuss" for c in d.cells)
        if must or disc:
            out.append(f"Evaluators disagreed strongly on {_cells(must)} and moderately on {_cells(disc)}; "
                       "the committee should discuss them before finalising.")
        else:
            out.append("Evaluators broadly agreed: no cell exceeds the discussion threshold.")
    out += _tariff_sentence(inp.tariffs, qualified[0].name if qualified else None)
    return out


def _missing_sentence(inp: ReportInputs) -> list[str]:
    n = len(inp.ranking.missing)
    if not n:
        return []
    return [f"{_cells(n, 'vendor-criterion cell')} had no score; "
            f"{MISSING_POLICIES.get(inp.snapshot.evaluation.missing_policy, 'see the methodology')}."]


def robustness(s: SensitivityResult | None, winner: str | None) -> list[str]:
    """The sensitivity finding in plain words (the report's summary and the Sensitivity screen)."""
    if s is None or winner is None:
        return []
    out = []
    if s.smaa is not None and winner in s.vendor_names:
        share = float(s.smaa.acceptability[s.vendor_names.index(winner), 0])
        verdict = ("the win is robust" if share >= 0.8 else "the win is fairly robust" if share >= 0.5
                   else "the win depends on the weights chosen")
        out.append(f"Across {s.smaa.samples:,} random weightings of the criteria, {winner} ranked first in "
                   f"{share:.0%} of them: {verdict}.")
    options = [c for c in s.critical if smallest_change(c) < math.inf]
    if options:
        c = min(options, key=smallest_change)
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
    sentence = (f"Under the tariff scenario '{worst.scenario}', {winner}'s cost over the {worst.term_years:g}-year "
                f"term rises by {worst.increase:,.0f} {worst.currency} ({worst.exposure_ratio:.1%}).")
    return [sentence]


def _cells(n: int, noun: str = "cell") -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
