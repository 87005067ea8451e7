"""What every subcommand shares: --db, --json, --actor, opening the database, printing."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vendor_eval.paths import default_db_path

if TYPE_CHECKING:
    from vendor_eval.storage import Database

DB_ENV = "VENDOR_EVAL_DB"  # the default database for a scripted session, instead of --db on every line


def add_shared_options(parser: argparse.ArgumentParser, *, before_command: bool) -> None:
    """--db, --actor and --json, accepted before the command (git style) and after it.

    After the command they default to SUPPRESS, so a value given before it is not overwritten."""
    keep = {} if before_command else {"default": argparse.SUPPRESS}
    parser.add_argument("--db", metavar="PATH_OR_URL", **({"default": None} | keep),
                        help=f"database file or SQLAlchemy URL (default: ${DB_ENV}, else the user data directory)")
    parser.add_argument("--actor", **({"default": None} | keep),
                        help="name recorded in the audit trail (default: login name)")
    parser.add_argument("--json", action="store_true", **({"default": False} | keep),
                        help="print machine-readable JSON (commands that list or show)")


def add_command(sub: Any, name: str, func: Callable[[argparse.Namespace], int | None], help: str,
                json_output: bool = False) -> argparse.ArgumentParser:
    """A subcommand with the shared options; json_output says whether it can print JSON."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
    add_shared_options(parser, before_command=False)
    parser.set_defaults(func=func, json_capable=json_output)
    return parser


def db_target(args: argparse.Namespace) -> str | None:
    """--db, else $VENDOR_EVAL_DB, else None (the caller's default)."""
    return args.db or os.environ.get(DB_ENV) or None


def open_db(args: argparse.Namespace) -> Database:
    from vendor_eval.storage import open_database

    return open_database(db_target(args) or default_db_path())


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
