"""Set-up commands: init, templates, new, evaluations, show, vendors, evaluators, score, weight."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command, emit_json, open_db, print_table
from vendor_eval.vocabulary import ENVELOPES


def register(sub: Any) -> None:
    add_command(sub, "init", cmd_init, "create the database (or migrate it) and say where it is")

    add_command(sub, "templates", cmd_templates, "list the built-in criteria templates", json_output=True)

    p = add_command(sub, "new", cmd_new, "create an evaluation from a template")
    p.add_argument("--template", required=True, help="built-in template name or a template .json file")
    p.add_argument("--name", required=True, help="name of the new evaluation")
    p.add_argument("--organisation", default="", help="the buying organisation")
    p.add_argument("--description", default="")

    add_command(sub, "evaluations", cmd_evaluations, "list evaluations", json_output=True)

    p = add_command(sub, "show", cmd_show, "show an evaluation's criteria, vendors and evaluators", json_output=True)
    p.add_argument("evaluation", help="evaluation id or exact name")

    p = add_command(sub, "delete", cmd_delete, "delete an evaluation and everything in it")
    p.add_argument("evaluation")
    p.add_argument("--yes", action="store_true", help="confirm the deletion")

    p = add_command(sub, "save-template", cmd_save_template, "save an evaluation's criteria as a template file")
    p.add_argument("evaluation")
    p.add_argument("--name", required=True, help="template name")
    p.add_argument("-o", "--output", required=True, type=Path)

    p = add_command(sub, "vendors", cmd_vendors, "list, add or remove vendors", json_output=True)
    p.add_argument("action", choices=["list", "add", "remove"])
    p.add_argument("evaluation")
    p.add_argument("--name", help="vendor name (add, remove)")
    p.add_argument("--hq-country", default="")
    p.add_argument("--deployment", default="", help="onshore, nearshore or offshore")
    p.add_argument("--hosting", default="", help="cloud, on-premise or hybrid")
    p.add_argument("--contact", default="")

    p = add_command(sub, "evaluators", cmd_evaluators, "list, add or remove evaluators", json_output=True)
    p.add_argument("action", choices=["list", "add", "remove"])
    p.add_argument("evaluation")
    p.add_argument("--name", help="evaluator name (add, remove)")
    p.add_argument("--role", default="")
    p.add_argument("--envelope", default="all", choices=list(ENVELOPES))

    p = add_command(sub, "score", cmd_score, "record one evaluator's score for a vendor on a criterion")
    p.add_argument("evaluation")
    p.add_argument("--evaluator", required=True)
    p.add_argument("--vendor", required=True)
    p.add_argument("--criterion", required=True, help="criterion name, key or id")
    p.add_argument("--value", required=True)
    p.add_argument("--comment", default=None)

    p = add_command(sub, "weight", cmd_weight, "set a criterion's or a group's weight (percent), or normalise")
    p.add_argument("evaluation")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--criterion")
    target.add_argument("--group")
    target.add_argument("--normalise", action="store_true", help="rescale all weights to 100 %%")
    p.add_argument("--value")


def cmd_init(args: argparse.Namespace) -> None:
    db = open_db(args)
    print(f"Database ready at {db.where}")


def cmd_templates(args: argparse.Namespace) -> None:
    from vendor_eval.io.templates import builtin_templates, load_template

    rows = []
    for name, path in builtin_templates().items():
        spec = load_template(path)
        rows.append({"name": name, "groups": len(spec.groups), "criteria": spec.criteria_count, "file": str(path)})
    if args.json:
        emit_json(rows)
    else:
        print_table(["name", "groups", "criteria"], [[r["name"], r["groups"], r["criteria"]] for r in rows])


def cmd_new(args: argparse.Namespace) -> None:
    from vendor_eval.services import evaluations

    db = open_db(args)
    new_id = evaluations.create_from_template(db, args.template, args.name, args.actor, args.organisation,
                                              args.description)
    print(f"Created evaluation {new_id}: {args.name}")


def cmd_evaluations(args: argparse.Namespace) -> None:
    from vendor_eval.services import evaluations

    rows = evaluations.list_evaluations(open_db(args))
    if args.json:
        emit_json([r.as_json() for r in rows])
    else:
        print_table(["id", "name", "status", "vendors", "criteria", "evaluators", "scores"],
                    [[r.id, r.name, r.status, r.vendors, r.criteria, r.evaluators, r.scores] for r in rows])


def cmd_show(args: argparse.Namespace) -> None:
    from vendor_eval.services.snapshot import load_snapshot

    snap = load_snapshot(open_db(args), args.evaluation)
    e = snap.evaluation
    if args.json:
        emit_json({
            "id": e.id, "name": e.name, "organisation": e.organisation, "status": e.status,
            "template": e.template_name, "template_version": e.template_version,
            "disclose_weights": e.disclose_weights, "missing_policy": e.missing_policy, "aggregation": e.aggregation,
            "price_formula": e.price_formula,
            "groups": [
                {"name": g.name, "weight": g.weight,
                 "criteria": [{"key": c.key, "name": c.name, "weight": c.weight, "scale": [c.scale_min, c.scale_max],
                               "knockout": c.knockout} for c in snap.criteria if c.group_id == g.id]}
                for g in snap.groups
            ],
            "vendors": [v.name for v in snap.vendors],
            "evaluators": [{"name": x.name, "role": x.role} for x in snap.evaluators],
            "scores": len(snap.scores),
        })
        return
    print(f"{e.name} (id {e.id}) - {e.organisation or 'no organisation'} - status {e.status}")
    version = f" (version {e.template_version})" if e.template_version else ""
    disclosed = "disclosed to vendors" if e.disclose_weights else "not disclosed to vendors"
    print(f"template: {e.template_name}{version}; missing scores: {e.missing_policy}; aggregation: {e.aggregation}; "
          f"price formula: {e.price_formula}; weights {disclosed}")
    print()
    for g in snap.groups:
        print(f"{g.name}  [{g.weight:g} %]")
        for c in snap.criteria:
            if c.group_id == g.id:
                flag = "  KNOCK-OUT" if c.knockout else ""
                print(f"    {c.name}  [{c.weight:g} %]  scale {c.scale_min:g}-{c.scale_max:g}{flag}")
    print()
    print("vendors:    " + (", ".join(v.name for v in snap.vendors) or "none yet"))
    print("evaluators: " + (", ".join(f"{x.name} ({x.role})" if x.role else x.name for x in snap.evaluators) or "none yet"))
    cells = len(snap.vendors) * len(snap.criteria) * len(snap.evaluators)
    print(f"scores:     {len(snap.scores)} of {cells}")


def cmd_delete(args: argparse.Namespace) -> int:
    from vendor_eval.services import evaluations

    if not args.yes:
        print("error: deleting removes the evaluation and all its scores; add --yes to confirm.", file=sys.stderr)
        return 1
    evaluations.delete_evaluation(open_db(args), args.evaluation)
    print(f"Deleted evaluation {args.evaluation}")
    return 0


def cmd_save_template(args: argparse.Namespace) -> None:
    from vendor_eval.services import evaluations

    path = evaluations.save_as_template(open_db(args), args.evaluation, args.name, args.output)
    print(f"Saved template {args.name!r} to {path}")


def _need_name(args: argparse.Namespace) -> str:
    if not args.name:
        raise SystemExit(f"error: '{args.command} {args.action}' needs --name")
    return str(args.name)


def cmd_vendors(args: argparse.Namespace) -> None:
    from vendor_eval.services import vendors
    from vendor_eval.services.snapshot import load_snapshot

    db = open_db(args)
    if args.action == "add":
        vendors.add_vendor(db, args.evaluation, _need_name(args), args.actor, hq_country=args.hq_country,
                           deployment_model=args.deployment, hosting_model=args.hosting, contact=args.contact)
        print(f"Added vendor {args.name}")
    elif args.action == "remove":
        dropped = vendors.remove_vendor(db, args.evaluation, _need_name(args), args.actor)
        print(f"Removed vendor {args.name} and {dropped} scores")
    else:
        snap = load_snapshot(db, args.evaluation)
        rows = [{"id": v.id, "name": v.name, "hq_country": v.hq_country, "deployment": v.deployment_model,
                 "hosting": v.hosting_model} for v in snap.vendors]
        if args.json:
            emit_json(rows)
        else:
            print_table(["id", "name", "hq_country", "deployment", "hosting"], [list(r.values()) for r in rows])


def cmd_evaluators(args: argparse.Namespace) -> None:
    from vendor_eval.services import evaluators
    from vendor_eval.services.snapshot import load_snapshot

    db = open_db(args)
    if args.action == "add":
        evaluators.add_evaluator(db, args.evaluation, _need_name(args), args.actor, args.role, args.envelope)
        print(f"Added evaluator {args.name}")
    elif args.action == "remove":
        dropped = evaluators.remove_evaluator(db, args.evaluation, _need_name(args), args.actor)
        print(f"Removed evaluator {args.name} and {dropped} scores")
    else:
        snap = load_snapshot(db, args.evaluation)
        rows = [{"id": x.id, "name": x.name, "role": x.role, "envelope": x.envelope,
                 "submitted": x.submitted_at.isoformat() if x.submitted_at else None} for x in snap.evaluators]
        if args.json:
            emit_json(rows)
        else:
            print_table(["id", "name", "role", "envelope", "submitted"], [list(r.values()) for r in rows])


def cmd_score(args: argparse.Namespace) -> None:
    from vendor_eval.services import scores

    saved = scores.record_score(open_db(args), args.evaluation, args.evaluator, args.vendor, args.criterion,
                                args.value, args.actor, comment=args.comment)
    print(f"Saved score {saved.value:g} (version {saved.version})")


def cmd_weight(args: argparse.Namespace) -> None:
    from vendor_eval.services import criteria

    db = open_db(args)
    if args.normalise:
        criteria.normalise_weights(db, args.evaluation, args.actor)
        print("Normalised all weights to 100 %")
        return
    if args.value is None:
        raise SystemExit("error: 'weight' needs --value with --criterion or --group")
    if args.criterion is not None:
        criteria.set_criterion_weight(db, args.evaluation, args.criterion, args.value, args.actor)
    else:
        criteria.set_group_weight(db, args.evaluation, args.group, args.value, args.actor)
    print(f"Set weight to {args.value} %")
