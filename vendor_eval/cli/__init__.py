"""vendor-eval-cli: the headless entry point over the services (scripting, CI, benchmarks).

Each module in COMMAND_MODULES adds its subcommands through register(subparsers);
user mistakes end with one sentence on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from vendor_eval import __version__
from vendor_eval.cli.common import DB_ENV, add_shared_options
from vendor_eval.errors import UserError

EPILOG = f"""\
--db, --actor and --json may come before or after the command; ${DB_ENV} sets the database
when --db is not given.

exit codes: 0 done, 1 refused (the message says what and where), 2 usage error,
130 interrupted (the last complete action was saved)."""

COMMAND_MODULES = [
    "vendor_eval.cli.basics",
    "vendor_eval.cli.questionnaires",
    "vendor_eval.cli.scoresheets",
    "vendor_eval.cli.conditions",
    "vendor_eval.cli.decision",
    "vendor_eval.cli.integrity",
    "vendor_eval.cli.demo",
    "vendor_eval.cli.reports",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vendor-eval-cli",
        description="Score and rank medical-imaging outsourcing vendors from the command line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vendor_eval {__version__}")
    add_shared_options(parser, before_command=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.json and not args.json_capable:
        parser.error(f"'{args.command}' has no JSON output; leave out --json")
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours or the user's.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; the last complete action was saved.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
