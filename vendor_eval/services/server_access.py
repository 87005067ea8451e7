"""A shared committee database on PostgreSQL: set it up, say which login is whom, and
move an evaluation between a file and a server.

`setup` migrates the schema and (re)applies the roles, grants and row-level security
(storage/server.py); it runs as the database's owner, who needs CREATEROLE. A login is
either a chair (the officer and the chair: everything the app can do) or an evaluator of
one evaluation (their own scores; blind and two-envelope mode enforced by the server).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from vendor_eval.errors import UserError, ValidationError
from vendor_eval.services.lookup import Ref, get_evaluation, get_member
from vendor_eval.storage import Database, audit, open_database, server, transfer
from vendor_eval.storage.database import is_postgresql
from vendor_eval.storage.models import Evaluation, Evaluator, ServerUser

Login = server.Login


def _require_server(db: Database) -> None:
    if not is_postgresql(db.engine):
        raise UserError(f"{db.where} is a database file: logins and server-enforced rules need a PostgreSQL "
                        "database (--db postgresql://owner@host/database).")


def setup(target: str | Path) -> Database:
    """Create or migrate the schema, then the groups, grants and policies; safe to run again."""
    db = open_database(target)
    _require_server(db)
    with db.write() as s:
        server.apply(s.connection())
    return db


def _valid_login(login: str) -> str:
    login = login.strip()
    if not login or len(login) > 63 or login.startswith("pg_"):
        raise ValidationError(f"{login!r} cannot be a database login: 1 to 63 characters, not starting with pg_.")
    return login


def add_chair(db: Database, login: str, password: str | None) -> bool:
    """Make a login a chair (creating it when a password is given); True when it was created."""
    _require_server(db)
    login = _valid_login(login)
    with db.write() as s:
        conn = s.connection()
        created = server.ensure_login(conn, login, password)
        server.grant(conn, login, server.CHAIR)
        return created


def add_evaluator(db: Database, ref: Ref, evaluator: Ref, login: str, password: str | None, actor: str) -> bool:
    """Map a login to an evaluator of one evaluation (creating the login when a password is
    given); recorded in the evaluation's audit trail. True when the login was created."""
    _require_server(db)
    login = _valid_login(login)
    with db.write() as s:
        evaluation = get_evaluation(s, ref)
        member = get_member(s, Evaluator, evaluation.id, evaluator)
        if s.scalar(select(ServerUser.id).where(ServerUser.login == login, ServerUser.evaluation_id == evaluation.id)):
            raise ValidationError(f"The login {login!r} already scores {evaluation.name!r}; remove it first.")
        conn = s.connection()
        created = server.ensure_login(conn, login, password)
        server.grant(conn, login, server.EVALUATOR)
        row = ServerUser(login=login, evaluation_id=evaluation.id, evaluator_id=member.id)
        s.add(row)
        s.flush()
        audit.record(s, evaluation.id, actor, "server_user", row.id, "created", None,
                     {"login": login, "evaluator": member.name})
        return created


def remove(db: Database, login: str, actor: str, ref: Ref | None = None) -> int:
    """Take a login off one evaluation (or all, and off the chair role); the login itself
    stays (it may serve other databases). Returns how many roles it lost."""
    _require_server(db)
    with db.write() as s:
        query = select(ServerUser).where(ServerUser.login == login)
        if ref is not None:
            query = query.where(ServerUser.evaluation_id == get_evaluation(s, ref).id)
        rows = list(s.scalars(query))
        for row in rows:
            audit.record(s, row.evaluation_id, actor, "server_user", row.id, "removed", {"login": login}, None)
        s.execute(delete(ServerUser).where(ServerUser.id.in_([r.id for r in rows])))
        conn = s.connection()
        lost = len(rows)
        remaining = s.scalar(select(ServerUser.id).where(ServerUser.login == login).limit(1))
        if remaining is None:
            server.revoke(conn, login, server.EVALUATOR)
        if ref is None and login in server.chairs(conn):
            server.revoke(conn, login, server.CHAIR)
            lost += 1
        if lost == 0:
            raise UserError(f"The login {login!r} has no role in this database.")
        return lost


def logins(db: Database) -> list[Login]:
    _require_server(db)
    with db.read() as s:
        found = [Login(name, server.CHAIR) for name in server.chairs(s.connection())]
        rows = s.execute(select(ServerUser.login, Evaluation.name, Evaluator.name)
                         .join(Evaluation, Evaluation.id == ServerUser.evaluation_id)
                         .join(Evaluator, Evaluator.id == ServerUser.evaluator_id)
                         .order_by(ServerUser.login, Evaluation.name))
        found += [Login(login, server.EVALUATOR, evaluation, evaluator) for login, evaluation, evaluator in rows]
        return found


@dataclass(frozen=True)
class Copied:
    evaluation: str
    evaluation_id: int
    rows: int


def copy_evaluation(ref: Ref, source: str | Path, target: str | Path) -> Copied:
    """Copy an evaluation with its scores, consensus, declarations, questionnaires and audit
    chain between two databases (file to server or back), in one transaction on the target."""
    src, dst = open_database(source), open_database(target)
    try:
        with src.read() as s, dst.write() as t:
            evaluation = get_evaluation(s, ref)
            if t.scalar(select(Evaluation.id).where(Evaluation.name == evaluation.name)):
                raise ValidationError(f"{dst.where} already has an evaluation named {evaluation.name!r}.")
            rows = transfer.copy_evaluation(s, t, evaluation.id)
            return Copied(evaluation.name, evaluation.id, rows)
    finally:
        src.dispose()
        dst.dispose()
