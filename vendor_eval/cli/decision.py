"""Decision commands: rank, disagreement, sensitivity, tariffs, cost lines and tariff scenarios."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from vendor_eval.cli.common import add_command, emit_json, open_db, print_table
from vendor_eval.vocabulary import AGGREGATIONS, COST_CATEGORIES, METHODS, MISSING_POLICIES, PRICE_FORMULAS, SAMPLINGS

if TYPE_CHECKING:
    from vendor_eval.services import lifecycle


def register(sub: Any) -> None:
    p = add_command(sub, "rank", cmd_rank, "rank the vendors (weighted sum or TOPSIS) with knock-outs",
                    json_output=True)
    p.add_argument("evaluation")
    p.add_argument("--method", choices=list(METHODS), default="weighted")
    p.add_argument("--aggregate", choices=list(AGGREGATIONS), default=None,
                   help="how evaluators' scores combine (default: the evaluation's setting)")
    p.add_argument("--missing", choices=list(MISSING_POLICIES), default=None,
                   help="missing-score policy (default: the evaluation's setting)")
    p.add_argument("--price-formula", choices=list(PRICE_FORMULAS), default=None,
                   help="score cost criteria from quoted prices (ratio, linear) or from evaluators' scores "
                        "(default: the evaluation's setting)")
    p.add_argument("--scenario", default=None, metavar="NAME",
                   help="rank with quoted prices raised by each vendor's exposure under this tariff scenario")

    p = add_command(sub, "disagreement", cmd_disagreement, "cells where evaluators disagree, and evaluator bias",
                    json_output=True)
    p.add_argument("evaluation")

    p = add_command(sub, "sensitivity", cmd_sensitivity, "how much the weights must change to change the winner",
                    json_output=True)
    p.add_argument("evaluation")
    p.add_argument("--samples", type=int, default=10_000, help="SMAA weight samples (default 10000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sampling", choices=list(SAMPLINGS), default="simplex",
                   help="simplex: weights uniform on the simplex; local: within --bounds of the current weights")
    p.add_argument("--bounds", type=float, default=0.25, help="local sampling: +/- share of each weight")
    p.add_argument("--scenario", default=None, metavar="NAME",
                   help="analyse with quoted prices raised by each vendor's exposure under this tariff scenario")

    p = add_command(sub, "tariffs", cmd_tariffs, "cost over the term per vendor under each tariff scenario",
                    json_output=True)
    p.add_argument("evaluation")

    p = add_command(sub, "cost-line", cmd_cost_line, "add or remove a vendor's annual cost line")
    p.add_argument("action", choices=["add", "remove"])
    p.add_argument("evaluation")
    p.add_argument("--vendor")
    p.add_argument("--category", choices=list(COST_CATEGORIES))
    p.add_argument("--amount", help="annual amount")
    p.add_argument("--origin", default="", help="country of origin, e.g. China, Germany")
    p.add_argument("--pass-through", action="store_true", help="the contract lets the vendor pass tariffs on")
    p.add_argument("--imaging-equipment", action="store_true", help="diagnostic-imaging equipment (exemptible)")
    p.add_argument("--currency", default="USD")
    p.add_argument("--description", default="")
    p.add_argument("--id", type=int, help="cost line id (remove)")

    p = add_command(sub, "scenario", cmd_scenario, "create default tariff scenarios, or add, edit, remove one")
    p.add_argument("action", choices=["defaults", "add", "set", "remove"])
    p.add_argument("evaluation")
    p.add_argument("--name")
    p.add_argument("--rates", help="ORIGIN=RATE pairs, e.g. 'China=25%%,EU=0.15'")
    p.add_argument("--exemption", choices=["yes", "no"], help="imaging-equipment exemption")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:+.1f} pp"


def cmd_rank(args: argparse.Namespace) -> int:
    from vendor_eval.services import lifecycle, ranking

    db = open_db(args)
    what_if = (args.method, args.aggregate, args.missing, args.price_formula, args.scenario) != (
        "weighted", None, None, None, None)
    frozen = lifecycle.frozen_view(db, args.evaluation)
    if frozen is not None and not what_if:
        return _print_frozen(frozen, args.json)
    result = ranking.rank_evaluation(db, args.evaluation, args.method, args.aggregate, args.missing,
                                     args.price_formula, args.scenario)
    if frozen is not None and not args.json:
        print(f"What-if on the live data: the ranking of record is the one frozen by {frozen.finalised_by} "
              f"on {frozen.finalised_at} (rank without options shows it).")
    if args.json:
        emit_json(result.as_json())
        return 0
    print(f"{result.evaluation}: {result.method} ({result.score_scale})")
    for key, value in result.variant.items():
        print(f"  {key}: {value}")
    digits = 1 if result.method == "weighted" else 4
    print_table(["rank", "vendor", "score", "status"],
                [[v.rank, v.name, f"{v.score:.{digits}f}", "; ".join(v.reasons) if v.disqualified else "qualified"]
                 for v in result.vendors])
    _print_missing(result.missing, result.variant)
    return 0


def _print_missing(missing: Any, variant: dict[str, str]) -> None:
    if missing:
        print(f"\n{len(missing)} missing cells ({variant['missing_policy']}): "
              + "; ".join(m.describe() for m in missing[:10]) + (" ..." if len(missing) > 10 else ""))


def _print_frozen(frozen: lifecycle.FrozenRanking, as_json: bool) -> int:
    """The ranking of record; a loud warning (and exit status 1) when the file no longer reproduces it."""
    r = frozen.ranking
    if as_json:
        emit_json({"finalised_by": frozen.finalised_by, "finalised_at": frozen.finalised_at, "frozen": True,
                   "reproduced": frozen.problem is None, "problem": frozen.problem, **r})
    else:
        print(f"{frozen.evaluation}: finalised by {frozen.finalised_by} on {frozen.finalised_at}; "
              f"the frozen ranking of record, {r.get('method', '?')} ({r.get('score_scale', '?')})")
        for key, value in dict(r.get("variant") or {}).items():
            print(f"  {key}: {value}")
        digits = 1 if r.get("method") == "weighted" else 4
        print_table(["rank", "vendor", "score", "status"],
                    [[v.get("rank"), v.get("name"), _score(v.get("score"), digits),
                      "; ".join(v.get("reasons") or []) if v.get("disqualified") else "qualified"]
                     for v in r.get("vendors") or [] if isinstance(v, dict)])
    if frozen.problem is not None:
        print(f"WARNING: {frozen.evaluation!r} is finalised, but {frozen.problem} "
              "Run 'vendor-eval-cli verify' and restore the file from a backup.", file=sys.stderr)
        return 1
    return 0


def _score(value: Any, digits: int) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "-"


def cmd_disagreement(args: argparse.Namespace) -> None:
    from vendor_eval.services import ranking

    result = ranking.disagreement(open_db(args), args.evaluation)
    if args.json:
        emit_json(result.as_json())
        return
    flagged = result.flagged()
    print(f"{len(flagged)} of {len(result.cells)} cells to discuss "
          f"(spread >= {result.discuss_threshold:.0%}; must discuss above {result.must_discuss_threshold:.0%})")
    print_table(["vendor", "criterion", "scores", "low", "high", "spread", "band"],
                [[c.vendor, c.criterion, c.n_scores, f"{c.low:g}", f"{c.high:g}", f"{c.spread:.0%}", c.band]
                 for c in flagged[:50]])
    print()
    print_table(["evaluator", "bias (share of scale)", "cells"],
                [[e.name, "-" if e.cells == 0 else f"{e.bias:+.3f}", e.cells] for e in result.evaluators])


def cmd_sensitivity(args: argparse.Namespace) -> None:
    from vendor_eval.services import ranking

    result = ranking.sensitivity(open_db(args), args.evaluation, args.samples, args.seed, args.sampling, args.bounds,
                                 tariff_scenario=args.scenario)
    if args.json:
        emit_json(result.as_json())
        return
    print(f"winner: {result.winner}")
    print_table(["criterion", "weight", "raise by", "new winner", "lower by", "new winner"],
                [[c.criterion, f"{c.weight:.1%}", _pct(c.delta_up), c.winner_up or "-", _pct(c.delta_down),
                  c.winner_down or "-"] for c in result.critical])
    if result.smaa is not None:
        s = result.smaa
        print(f"\nSMAA: {s.samples} samples, {s.sampling} sampling, seed {s.seed}")
        ranks = min(3, len(result.vendor_names))
        print_table(["vendor"] + [f"rank {r + 1}" for r in range(ranks)],
                    [[name] + [f"{row[r]:.1%}" for r in range(ranks)]
                     for name, row in zip(result.vendor_names, s.acceptability, strict=True)])


def cmd_tariffs(args: argparse.Namespace) -> None:
    from vendor_eval.services import tariffs

    result = tariffs.compute_tariffs(open_db(args), args.evaluation)
    if args.json:
        emit_json(result.as_json())
        return
    print_table(["vendor", "scenario", "term (y)", "total", "increase", "exposure"],
                [[x.vendor, x.scenario, f"{x.term_years:g}", f"{x.total:,.0f} {x.currency}",
                  f"{x.increase:,.0f}", f"{x.exposure_ratio:.2%}"] for x in result.lines])
    for note in result.notes:
        print(note)


def _need(args: argparse.Namespace, *names: str) -> None:
    for n in names:
        if getattr(args, n) in (None, ""):
            raise SystemExit(f"error: '{args.command} {args.action}' needs --{n.replace('_', '-')}")


def cmd_cost_line(args: argparse.Namespace) -> None:
    from vendor_eval.services import tariffs

    db = open_db(args)
    if args.action == "add":
        _need(args, "vendor", "category", "amount")
        line_id = tariffs.add_cost_line(db, args.evaluation, args.vendor, args.actor, args.category, args.amount,
                                        args.origin, args.pass_through, args.imaging_equipment, args.description,
                                        args.currency)
        print(f"Added cost line {line_id}")
    else:
        _need(args, "id")
        tariffs.remove_cost_line(db, args.evaluation, args.id, args.actor)
        print(f"Removed cost line {args.id}")


def cmd_scenario(args: argparse.Namespace) -> None:
    from vendor_eval.services import tariffs

    db = open_db(args)
    exemption = None if args.exemption is None else args.exemption == "yes"
    if args.action == "defaults":
        added = tariffs.create_default_scenarios(db, args.evaluation, args.actor)
        print("Added: " + (", ".join(added) if added else "nothing (all default scenarios exist)"))
    elif args.action == "add":
        _need(args, "name", "rates")
        tariffs.add_scenario(db, args.evaluation, args.name, args.rates, args.actor, bool(exemption))
        print(f"Added scenario {args.name}")
    elif args.action == "set":
        _need(args, "name")
        tariffs.update_scenario(db, args.evaluation, args.name, args.actor, args.rates, exemption)
        print(f"Updated scenario {args.name}")
    else:
        _need(args, "name")
        tariffs.remove_scenario(db, args.evaluation, args.name, args.actor)
        print(f"Removed scenario {args.name}")
