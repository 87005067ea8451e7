"""What every subcommand shares: --db, --json, --actor, opening the database, printing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from vendor_eval.paths import default_db_path
from vendor_eval.services.audit_log import default_actor
from vendor_eval.storage import Database, open_database


def add_command(sub: Any, name: str, func: Callable[[argparse.Namespace], int | None], help: str,
                json_output: bool = False) -> argparse.ArgumentParser:
    """A subcommand with the shared options (--db, --actor, and --json where it lists or shows)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None,
                        help="database file or SQLAlchemy URL (default: the user data directory)")
    parser.add_argument("--actor", default=default_actor(), help="name recorded in the audit trail (default: login name)")
    if json_output:
        parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.set_defaults(func=func)
    return parser


def open_db(args: argparse.Namespace) -> Database:
    return open_database(args.db or default_db_path())


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, r in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
