"""Scoresheet commands: scoresheet (issue one evaluator's workbook, or one per evaluator).

Returned sheets come back through `import`, which recognises them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command, open_db


def register(sub: Any) -> None:
    p = add_command(sub, "scoresheet", cmd_scoresheet,
                    "write an evaluator's scoresheet workbook (blind: their own scores only); 'import' reads it back")
    p.add_argument("evaluation", help="evaluation id or exact name")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--evaluator", action="append", help="the evaluator (repeat for several; with -o a folder)")
    who.add_argument("--all", action="store_true", help="one scoresheet per evaluator, into the folder -o")
    p.add_argument("-o", "--output", required=True, type=Path,
                   help="the .xlsx file to write (one evaluator), or a folder (several)")


def cmd_scoresheet(args: argparse.Namespace) -> None:
    from vendor_eval.services import scoresheets

    db = open_db(args)
    if args.evaluator and len(args.evaluator) == 1 and args.output.suffix.lower() == ".xlsx":
        paths = [scoresheets.issue_scoresheet(db, args.evaluation, args.evaluator[0], args.output, args.actor)]
    else:
        paths = scoresheets.issue_scoresheets(db, args.evaluation, args.output, args.actor,
                                              None if args.all else args.evaluator)
    for path in paths:
        print(f"Wrote scoresheet {path}")
