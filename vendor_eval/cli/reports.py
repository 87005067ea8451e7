"""report: export the committee report of an evaluation as PDF or Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command, open_db
from vendor_eval.vocabulary import AGGREGATIONS, METHODS, REPORT_FORMATS


def register(sub: Any) -> None:
    p = add_command(sub, "report", cmd_report, "export the committee report (PDF for the record, Excel for finance)")
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("--format", choices=list(REPORT_FORMATS), default=None,
                   help="pdf or xlsx (default: from the output file's extension)")
    p.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--method", choices=list(METHODS), default="weighted", help="ranking method (default: weighted)")
    p.add_argument("--aggregate", choices=list(AGGREGATIONS), default=None,
                   help="how evaluators' scores combine (default: the evaluation's setting)")
    p.add_argument("--scenario", default=None, metavar="NAME", help="rank with prices under this tariff scenario")


def cmd_report(args: argparse.Namespace) -> int:
    from vendor_eval.services.reports import export_report

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        print(f"error: say --format pdf or --format xlsx (cannot tell from {args.output.name!r}).", file=sys.stderr)
        return 1

    def progress(fraction: float, message: str) -> None:
        if not args.quiet:
            print(f"\r{fraction:4.0%} {message:<40}", end="", file=sys.stderr, flush=True)

    path = export_report(open_db(args), args.evaluation, fmt, args.output, progress, args.method, args.aggregate,
                         args.scenario)
    if not args.quiet:
        print(file=sys.stderr)
    print(f"Wrote the {fmt.upper()} committee report to {path}")
    return 0
