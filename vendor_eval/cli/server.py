"""server setup / add-user / remove-user / users, and copy: a shared committee database on PostgreSQL.

Passwords are never options (they would sit in the shell history): --password prompts for
one, --password-stdin reads it from the first line of standard input (for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from typing import Any

from vendor_eval.cli.common import add_command, emit_json, open_db, print_table
from vendor_eval.errors import UserError
from vendor_eval.paths import default_db_path


def register(sub: Any) -> None:
    parser = sub.add_parser("server", help="set up a shared PostgreSQL database and its logins",
                            description="Set up a shared PostgreSQL committee database and say which login is whom.")
    actions = parser.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    add_command(actions, "setup", cmd_setup,
                "create or migrate the schema and (re)apply roles, grants and row-level security (as the owner)")

    p = add_command(actions, "add-user", cmd_add_user,
                    "map a login to an evaluator of an evaluation (--evaluator) or make it a chair (--chair)")
    p.add_argument("login")
    p.add_argument("--evaluation", help="the evaluation the login scores")
    p.add_argument("--evaluator", help="the evaluator (name or id) the login scores as")
    p.add_argument("--chair", action="store_true", help="officer/chair: may do everything the app does")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--password", action="store_true", help="create the login (or change its password): prompt")
    secret.add_argument("--password-stdin", action="store_true", help="as --password, read from standard input")

    p = add_command(actions, "remove-user", cmd_remove_user,
                    "take a login off an evaluation (or off every evaluation and the chair role)")
    p.add_argument("login")
    p.add_argument("--evaluation", default=None, help="only this evaluation (default: all, and the chair role)")

    add_command(actions, "users", cmd_users, "list the logins and whom each may act as", json_output=True)

    p = sub.add_parser("copy", help="copy an evaluation, with its audit trail, between a file and a server",
                       description="Copy an evaluation with its scores, consensus, declarations, questionnaires "
                                   "and audit chain from one database to another (file or postgresql:// URL).")
    p.add_argument("evaluation")
    p.add_argument("--from", dest="source", required=True, metavar="PATH_OR_URL")
    p.add_argument("--to", dest="target", required=True, metavar="PATH_OR_URL")
    p.set_defaults(func=cmd_copy)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise UserError("--password-stdin read an empty line: give the password on standard input.")
        return line
    if args.password:
        first = getpass.getpass(f"New password for {args.login}: ")
        if not first or first != getpass.getpass("Again: "):
            raise UserError("The two passwords were empty or differ; nothing was changed.")
        return first
    return None


def cmd_setup(args: argparse.Namespace) -> None:
    from vendor_eval.services import server_access

    db = server_access.setup(args.db or default_db_path())
    try:
        print(f"Shared database ready at {db.where}: schema migrated, roles, grants and row-level security applied.")
    finally:
        db.dispose()


def cmd_add_user(args: argparse.Namespace) -> None:
    from vendor_eval.services import server_access

    if args.chair == bool(args.evaluator or args.evaluation):
        raise UserError("Say what the login is: --chair, or --evaluation E --evaluator NAME.")
    if not args.chair and not (args.evaluator and args.evaluation):
        raise UserError("An evaluator login needs both --evaluation and --evaluator.")
    password = _password(args)
    db = open_db(args)
    try:
        if args.chair:
            created = server_access.add_chair(db, args.login, password)
            role = "chair"
        else:
            created = server_access.add_evaluator(db, args.evaluation, args.evaluator, args.login, password, args.actor)
            role = f"evaluator {args.evaluator!r} of {args.evaluation!r}"
    finally:
        db.dispose()
    print(f"{'Created' if created else 'Updated'} login {args.login!r} as {role}.")


def cmd_remove_user(args: argparse.Namespace) -> None:
    from vendor_eval.services import server_access

    db = open_db(args)
    try:
        lost = server_access.remove(db, args.login, args.actor, args.evaluation)
    finally:
        db.dispose()
    print(f"Login {args.login!r} lost {lost} role(s); the login itself remains on the server.")


def cmd_users(args: argparse.Namespace) -> None:
    from vendor_eval.services import server_access

    db = open_db(args)
    try:
        found = server_access.logins(db)
    finally:
        db.dispose()
    if args.json:
        emit_json([asdict(x) for x in found])
        return
    print_table(["login", "role", "evaluation", "evaluator"], [[x.login, x.role, x.evaluation, x.evaluator] for x in found])


def cmd_copy(args: argparse.Namespace) -> None:
    from vendor_eval.services import server_access

    done = server_access.copy_evaluation(args.evaluation, args.source, args.target)
    print(f"Copied {done.evaluation!r} (id {done.evaluation_id}, {done.rows} rows with its audit chain); "
          f"check it there with: vendor-eval-cli verify {done.evaluation_id} --db TARGET")
