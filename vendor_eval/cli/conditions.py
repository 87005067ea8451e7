"""Conditions of award and what the questionnaire discloses: conditions, disclose."""

from __future__ import annotations

import argparse
from typing import Any

from vendor_eval.cli.common import add_command, emit_json, open_db, print_table


def register(sub: Any) -> None:
    p = add_command(sub, "conditions", cmd_conditions,
                    "list, add or remove the conditions of award (met after signing, before go-live)", json_output=True)
    p.add_argument("action", choices=["list", "add", "remove"])
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("--text", help="the condition (add)")
    p.add_argument("--vendor", default=None, help="bind one vendor only (add; default: whichever vendor wins)")
    p.add_argument("--criterion", default=None, help="the criterion it stems from (add; key, name or id)")
    p.add_argument("--id", type=int, help="the condition to remove (remove)")

    p = add_command(sub, "disclose", cmd_disclose,
                    "show (on) or keep back (off) the weights and scoring method in the vendor questionnaire")
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("setting", choices=["on", "off"])


def cmd_conditions(args: argparse.Namespace) -> None:
    from vendor_eval.services import conditions

    db = open_db(args)
    if args.action == "add":
        if not args.text:
            raise SystemExit("error: conditions add needs --text")
        conditions.add_condition(db, args.evaluation, args.text, args.actor, args.vendor, args.criterion)
        print("Added the condition of award")
    elif args.action == "remove":
        if args.id is None:
            raise SystemExit("error: conditions remove needs --id (see 'conditions list')")
        conditions.remove_condition(db, args.evaluation, args.id, args.actor)
        print(f"Removed condition {args.id}")
    else:
        rows = conditions.list_conditions(db, args.evaluation)
        if args.json:
            emit_json([r.as_json() for r in rows])
        else:
            print_table(["id", "vendor", "criterion", "condition"],
                        [[r.id, r.vendor or "(the winner)", r.criterion_key, r.text] for r in rows])


def cmd_disclose(args: argparse.Namespace) -> None:
    from vendor_eval.services import evaluations

    evaluations.update_settings(open_db(args), args.evaluation, args.actor, disclose_weights=args.setting == "on")
    state = "shows" if args.setting == "on" else "no longer shows"
    print(f"The questionnaire's Instructions sheet {state} the weights and the scoring method")
