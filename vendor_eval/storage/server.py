"""Who may read and write what on a shared PostgreSQL database: roles, grants and row-level
security, so the rules hold whatever client connects (the app's own checks stay, for SQLite).

Two group roles per database, named after it: `<db>_chair` (the officer and the chair: set up
evaluations, weights, consensus, finalise) and `<db>_evaluator` (their own scores, comments,
declarations and submission; reads limited by blind and two-envelope mode). Each evaluator
login is mapped to an evaluator of an evaluation in the server_user table; the policies ask
SECURITY DEFINER functions, which read that mapping as the owner, whom the login is.
Nobody but the owner may UPDATE or DELETE an audit event: neither group is granted it.
Everything here is idempotent: `server setup` runs it again after every upgrade.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import Connection, text

from vendor_eval.errors import UserError

CHAIR, EVALUATOR = "chair", "evaluator"
PREFIX = "vendor_eval_"  # functions and policies made here, so a re-run replaces exactly them

# Each returns a set of ids for the connected login (session_user: inside a SECURITY DEFINER
# function current_user is the owner). Sets, not per-row calls: the planner runs each once.
_FUNCTIONS = {
    "my_evaluations": "SELECT evaluation_id FROM server_user WHERE login = session_user",
    # the evaluators whose scores the login writes, in evaluations still open
    "writable_evaluators": """SELECT u.evaluator_id FROM server_user u JOIN evaluation v ON v.id = u.evaluation_id
                               WHERE u.login = session_user AND v.status <> 'finalised'""",
    "my_evaluators": "SELECT evaluator_id FROM server_user WHERE login = session_user",
    # evaluations where the login may read everyone's scores: not blind, or it has submitted
    "open_book_evaluations": """SELECT u.evaluation_id FROM server_user u
                                  JOIN evaluation v ON v.id = u.evaluation_id JOIN evaluator e ON e.id = u.evaluator_id
                                 WHERE u.login = session_user AND (NOT v.blind_mode OR e.submitted_at IS NOT NULL)""",
    # two-envelope mode: a technical evaluator sees no price before submitting the technical scoring
    "sealed_evaluations": """SELECT u.evaluation_id FROM server_user u
                               JOIN evaluation v ON v.id = u.evaluation_id JOIN evaluator e ON e.id = u.evaluator_id
                              WHERE u.login = session_user AND v.two_envelope AND e.envelope = 'technical'
                                AND e.submitted_at IS NULL""",
    "sealed_criteria": f"""SELECT c.id FROM criterion c
                           WHERE c.is_cost AND c.evaluation_id IN (SELECT {PREFIX}sealed_evaluations())""",
}


def _in(function: str) -> str:
    return f"(SELECT {PREFIX}{function}())"


_MEMBER_VENDORS = f"(SELECT id FROM vendor WHERE evaluation_id IN {_in('my_evaluations')})"
_SCORE_READABLE = (
    f"evaluator_id IN {_in('my_evaluators')} OR (evaluator_id IN (SELECT id FROM evaluator WHERE evaluation_id IN "
    f"{_in('open_book_evaluations')}) AND criterion_id NOT IN {_in('sealed_criteria')})"
)
_WRITABLE = f"evaluator_id IN {_in('writable_evaluators')}"

# table -> the evaluator group's policies: (command, USING, WITH CHECK)
_EVALUATOR_POLICIES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "score": [
        ("SELECT", _SCORE_READABLE, None),
        ("INSERT", None, _WRITABLE),
        ("UPDATE", _WRITABLE, _WRITABLE),
        ("DELETE", _WRITABLE, None),
    ],
    "consensus_score": [(
        "SELECT",
        f"vendor_id IN (SELECT id FROM vendor WHERE evaluation_id IN {_in('open_book_evaluations')}) "
        f"AND criterion_id NOT IN {_in('sealed_criteria')}", None,
    )],
    "audit_event": [
        # the trail shows score values: in blind mode others' only once the login has submitted
        # (an INSERT ... RETURNING must see the row it wrote, hence its own scores' events).
        # Never the seals and deltas (storage.audit): they are sums of row hashes, and the
        # difference of two could be matched against guessed scores; an evaluator writes its
        # deltas without RETURNING and never reads them.
        ("SELECT", f"(evaluation_id IN {_in('open_book_evaluations')} OR (evaluation_id IN {_in('my_evaluations')} "
                   "AND (entity NOT IN ('score', 'consensus') OR (entity = 'score' AND EXISTS (SELECT 1 FROM score s "
                   f"WHERE s.id = entity_id AND s.evaluator_id IN {_in('my_evaluators')}))))) "
                   "AND NOT (entity = 'evaluation' AND field = 'state_sha256')", None),
        # (EXISTS: one primary-key look-up per event; IN built the set of all own scores per INSERT)
        ("INSERT", None, f"evaluation_id IN {_in('my_evaluations')}"),
    ],
    "evaluator": [
        ("SELECT", f"evaluation_id IN {_in('my_evaluations')}", None),
        ("UPDATE", f"id IN {_in('writable_evaluators')}", f"id IN {_in('writable_evaluators')}"),
    ],
    "conflict_declaration": [
        ("SELECT", f"evaluation_id IN {_in('my_evaluations')}", None),
        ("INSERT", None, _WRITABLE),
    ],
    "cost_line": [(
        "SELECT",
        f"vendor_id IN (SELECT id FROM vendor WHERE evaluation_id IN {_in('my_evaluations')} "
        f"AND evaluation_id NOT IN {_in('sealed_evaluations')})", None,
    )],
    "answer": [("SELECT", f"vendor_id IN {_MEMBER_VENDORS} AND criterion_id NOT IN {_in('sealed_criteria')}", None)],
    "suggested_score": [
        ("SELECT", f"vendor_id IN {_MEMBER_VENDORS} AND criterion_id NOT IN {_in('sealed_criteria')}", None),
    ],
    # other RFPs on the same server are none of an evaluator's business
    "evaluation": [("SELECT", f"id IN {_in('my_evaluations')}", None)],
    **{table: [("SELECT", f"evaluation_id IN {_in('my_evaluations')}", None)]
       for table in ("vendor", "criterion", "criterion_group", "tariff_scenario", "questionnaire_import")},
}

# What each group may do at all (grants); row-level security narrows the evaluator's rows.
_EVALUATOR_WRITES = {
    "score": "INSERT, UPDATE, DELETE",
    "audit_event": "INSERT",
    "conflict_declaration": "INSERT",
    "evaluator": "UPDATE (submitted_at)",
}
_CHAIR_READ_ONLY = ("alembic_version", "server_user")


@dataclass(frozen=True)
class Login:
    login: str
    role: str  # chair or evaluator
    evaluation: str = ""
    evaluator: str = ""


def group(conn: Connection, kind: str) -> str:
    database = str(conn.execute(text("SELECT current_database()")).scalar())
    return f"{database}_{kind}"[:63]


def _q(conn: Connection, name: str) -> str:
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar())


def apply(conn: Connection) -> None:
    """Create the groups, grants, functions and policies (one transaction, the caller's)."""
    chair, evaluator = (_q(conn, group(conn, kind)) for kind in (CHAIR, EVALUATOR))
    for name in (group(conn, CHAIR), group(conn, EVALUATOR)):
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            conn.execute(text(f"CREATE ROLE {_q(conn, name)} NOLOGIN"))
    database = _q(conn, str(conn.execute(text("SELECT current_database()")).scalar()))
    schema = _q(conn, str(conn.execute(text("SELECT current_schema()")).scalar()))
    tables = [str(t) for t in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).scalars()]
    statements = [
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {chair}, {evaluator}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {schema} TO {chair}, {evaluator}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {chair}, {evaluator}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {chair}, {evaluator}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {chair}, {evaluator}",
    ]
    for table in tables:
        if table not in _CHAIR_READ_ONLY:
            writes = "INSERT" if table == "audit_event" else "INSERT, UPDATE, DELETE"
            statements.append(f"GRANT {writes} ON {_q(conn, table)} TO {chair}")
    statements += [f"GRANT {writes} ON {table} TO {evaluator}" for table, writes in _EVALUATOR_WRITES.items()]
    for name, body in _FUNCTIONS.items():
        statements.append(
            f"CREATE OR REPLACE FUNCTION {PREFIX}{name}() RETURNS SETOF integer LANGUAGE sql STABLE "
            f"SECURITY DEFINER SET search_path FROM CURRENT AS $$ {body} $$"
        )
        statements.append(f"REVOKE ALL ON FUNCTION {PREFIX}{name}() FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {PREFIX}{name}() TO {evaluator}")
    for table, policies in _EVALUATOR_POLICIES.items():
        old = conn.execute(text("SELECT policyname FROM pg_policies WHERE schemaname = current_schema() "
                                "AND tablename = :t AND policyname LIKE 'vendor\\_eval\\_%'"), {"t": table}).scalars()
        statements += [f"DROP POLICY {_q(conn, str(p))} ON {table}" for p in old]
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        statements.append(f"CREATE POLICY {PREFIX}chair ON {table} TO {chair} USING (true) WITH CHECK (true)")
        for n, (command, using, check) in enumerate(policies):
            clause = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
            statements.append(f"CREATE POLICY {PREFIX}evaluator_{n} ON {table} FOR {command} TO {evaluator}{clause}")
    for statement in statements:
        conn.execute(text(statement))


def encrypted_password(conn: Connection, login: str, password: str) -> str:
    """The SCRAM verifier, computed by libpq on this side: the password itself never
    reaches the server, its logs or pg_stat_activity."""
    driver = conn.connection.driver_connection
    verifier: bytes = driver.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256")
    return verifier.decode("ascii")


def ensure_login(conn: Connection, login: str, password: str | None) -> bool:
    """Create the login (or set its password when one is given); True when it was created."""
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first() is not None
    if not exists and not password:
        raise UserError(f"The login {login!r} does not exist yet: give it a password to create it.")
    if password:
        verb = "ALTER" if exists else "CREATE"
        statement = sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(encrypted_password(conn, login, password)))
        driver = conn.connection.driver_connection
        driver.execute(statement)  # type: ignore[union-attr]
    return not exists


def grant(conn: Connection, login: str, kind: str) -> None:
    conn.execute(text(f"GRANT {_q(conn, group(conn, kind))} TO {_q(conn, login)}"))


def revoke(conn: Connection, login: str, kind: str) -> None:
    conn.execute(text(f"REVOKE {_q(conn, group(conn, kind))} FROM {_q(conn, login)}"))


def chairs(conn: Connection) -> list[str]:
    return [str(n) for n in conn.execute(text(
        "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :g ORDER BY m.rolname"), {"g": group(conn, CHAIR)}).scalars()]
