"""`vendor-eval-cli demo`: load the sample RFP into a database of its own."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command, db_target
from vendor_eval.errors import ValidationError
from vendor_eval.paths import default_db_path


def register(sub: Any) -> None:
    p = add_command(sub, "demo", cmd_demo,
                    "load the sample RFP (7 fictional vendors, 4 evaluators) into a new database")
    p.add_argument("--into-default", action="store_true",
                   help="allow loading into your own default database (not recommended)")


def _is_default(target: str) -> bool:
    from vendor_eval.storage.database import database_url

    return database_url(target) == database_url(default_db_path())


def cmd_demo(args: argparse.Namespace) -> int:
    from vendor_eval.services.demo import load_demo
    from vendor_eval.storage import open_database

    target = db_target(args)
    if target is None and not args.into_default:
        raise ValidationError("Give the demo its own database: vendor-eval-cli demo --db demo.db "
                              "(or --into-default to load it into your real one).")
    target = target or str(default_db_path())
    if _is_default(target) and not args.into_default:
        raise ValidationError(f"{target} is your default database; the demo will not load into it "
                              "unless you add --into-default.")
    path = Path(target) if "://" not in target else None
    if path is not None and path.exists() and path.stat().st_size > 0 and not args.into_default:
        raise ValidationError(f"{path} already exists; the demo loads into a new database file. "
                              "Choose another --db path or delete that file.")
    db = open_database(target)
    shown = target if path is not None else db.where  # a server URL is shown without its password
    try:
        eid = load_demo(db, args.actor, progress=lambda done, total, what: print(f"[{done}/{total}] {what}"))
    finally:
        db.dispose()
    print(f"Loaded the sample evaluation (id {eid}) into {shown}")
    print(f"Next: vendor-eval-cli rank {eid} --db {shown}")
    return 0
