"""Integrity commands: finalise, reopen, verify, backup, restore, declare, declarations."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command, db_target, emit_json, open_db, print_table
from vendor_eval.paths import default_db_path


def register(sub: Any) -> None:
    p = add_command(sub, "finalise", cmd_finalise, "freeze the ranking and make the evaluation read-only")
    p.add_argument("evaluation")
    p.add_argument("--by", required=True, help="who finalises (recorded)")

    p = add_command(sub, "reopen", cmd_reopen, "make a finalised evaluation editable again, with a reason on record")
    p.add_argument("evaluation")
    p.add_argument("--by", required=True, help="who reopens (recorded)")
    p.add_argument("--reason", required=True, help="why it is reopened (recorded)")

    p = add_command(sub, "verify", cmd_verify, "check that the evaluation's audit trail is intact", json_output=True)
    p.add_argument("evaluation")
    p.add_argument("--head", default=None, help="a chain head printed earlier (e.g. in a report) that must still be there")
    p.add_argument("--against", action="append", type=Path, default=[], metavar="BACKUP_OR_REPORT",
                   help="a backup of the file, or a PDF/Excel report of the evaluation, whose chain head must still "
                        "be in the trail (repeat)")

    p = add_command(sub, "backup", cmd_backup, "back up the database now, or list its backups", json_output=True)
    p.add_argument("--list", action="store_true", help="list the backups, newest first")

    p = add_command(sub, "restore", cmd_restore, "replace the database with a backup (the newest by default)")
    p.add_argument("--from", dest="source", type=Path, default=None, help="the backup file to restore")

    p = add_command(sub, "declare", cmd_declare, "record an evaluator's conflict-of-interest declaration")
    p.add_argument("evaluation")
    p.add_argument("--evaluator", required=True)
    p.add_argument("--conflict", action="append", default=[], metavar="VENDOR",
                   help="a vendor the evaluator has a conflict with (repeat); none = no conflict")
    p.add_argument("--statement", default="", help="the evaluator's own words")

    p = add_command(sub, "declarations", cmd_declarations, "list conflict-of-interest declarations", json_output=True)
    p.add_argument("evaluation")


def _db_file(args: argparse.Namespace) -> Path:
    from vendor_eval.services import backups

    target = db_target(args)
    return backups.database_file(target) if target else default_db_path()


def cmd_finalise(args: argparse.Namespace) -> None:
    from vendor_eval.services import lifecycle

    done = lifecycle.finalise(open_db(args), args.evaluation, args.by)
    winner = f"; winner {done.winner}" if done.winner else ""
    print(f"Finalised {done.evaluation!r} by {done.finalised_by}{winner}; audit chain head {done.audit_head}")


def cmd_reopen(args: argparse.Namespace) -> None:
    from vendor_eval.services import lifecycle

    lifecycle.reopen(open_db(args), args.evaluation, args.by, args.reason)
    print(f"Reopened {args.evaluation!r} for changes; the reason is on record.")


def cmd_verify(args: argparse.Namespace) -> int:
    from vendor_eval.services import integrity

    result = integrity.verify(open_db(args), args.evaluation, args.head, tuple(args.against))
    if args.json:
        emit_json(result.as_json())
    else:
        print(result.describe())
    return 0 if result.intact else 1


def cmd_backup(args: argparse.Namespace) -> None:
    from vendor_eval.services import backups

    server = backups.server_url(args.db) if args.db else None  # a PostgreSQL database: pg_dump
    path = None if server else _db_file(args)
    if args.list:
        found = backups.server_backups(server) if server else backups.list_backups(path)  # type: ignore[arg-type]
        if args.json:
            emit_json([b.as_json() for b in found])
        else:
            print_table(["taken (UTC)", "reason", "size", "file"],
                        [[f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.reason, b.size, b.path] for b in found])
        return
    made = backups.server_backup(server) if server else backups.backup_now(path)  # type: ignore[arg-type]
    heads = [] if server else backups.chain_heads(made.path)
    if args.json:
        emit_json({**made.as_json(), "chain_heads": [{"evaluation": n, "seq": q, "head": h} for n, q, h in heads]})
    else:
        print(f"Backed up {server.database if server else path} to {made.path}")
        for name, seq, head in heads:
            print(f"  audit chain head of {name!r}: event #{seq} {head}")


def cmd_restore(args: argparse.Namespace) -> None:
    from vendor_eval.services import backups

    server = backups.server_url(args.db) if args.db else None
    if server is not None:
        used = backups.server_restore(server, args.source)
        print(f"Restored {server.database} from {used.path} with pg_restore; "
              "its content before was dumped first as a before-restore backup.")
        return
    path = _db_file(args)
    print(backups.restore(path, args.source).describe(path))


def cmd_declare(args: argparse.Namespace) -> None:
    from vendor_eval.services import declarations

    declarations.declare(open_db(args), args.evaluation, args.evaluator, args.conflict, args.actor, args.statement)
    what = "a conflict with " + ", ".join(args.conflict) if args.conflict else "no conflict"
    print(f"Recorded: {args.evaluator} declares {what}.")


def cmd_declarations(args: argparse.Namespace) -> None:
    from vendor_eval.services import declarations

    found = declarations.list_declarations(open_db(args), args.evaluation)
    if args.json:
        emit_json([d.as_json() for d in found])
    else:
        print_table(["declared (UTC)", "evaluator", "conflicts", "by", "in force"],
                    [[f"{d.declared_at:%Y-%m-%d %H:%M:%S}", d.evaluator, ", ".join(d.conflict_vendors) or "none",
                      d.declared_by, "yes" if d.in_force else ""] for d in found])
