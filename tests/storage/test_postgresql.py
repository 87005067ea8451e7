"""A shared committee database on a real PostgreSQL server (tests/postgres_server.py).

Roles log in with scram-sha-256 passwords; every refusal below comes from the server's
grants and row-level security, checked by going around the client's own checks where the
client would refuse first.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from tests import postgres_server
from tests.conftest import Seeds, ServerDatabase
from vendor_eval.cli import main
from vendor_eval.errors import StorageError, UserError
from vendor_eval.services import (
    criteria,
    evaluations,
    evaluators,
    integrity,
    lifecycle,
    scores,
    server_access,
    tariffs,
    vendors,
)
from vendor_eval.services.demo import load_demo
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage import database as storage_database
from vendor_eval.storage.decision_state import seal_value
from vendor_eval.storage.migrate import current_revision, head_revision, upgrade
from vendor_eval.storage.models import Base, Score
from vendor_eval.storage.server_backup import tool

GENERIC = "Generic services RFP"
VENDORS = ("Aurora Imaging Partners", "Borealis Reading Group")
_logins = itertools.count(1)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # logins are the server's, which the workers share


def _login(name: str) -> str:
    return f"{name}_{_WORKER}_{next(_logins)}"


def _url_as(url: str, login: str, password: str) -> str:
    return make_url(url).set(username=login, password=password).render_as_string(hide_password=False)


# --- the engine factory on a server ------------------------------------------------------


def test_cli_init_creates_the_schema_on_a_server(postgres: postgres_server.Server, capsys: pytest.CaptureFixture[str]) -> None:
    with create_engine(postgres.url(), isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("CREATE DATABASE ve_init"))
    url = postgres.url("ve_init")
    assert main(["init", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Database ready" in out and postgres.password not in out  # the URL is shown without its password
    engine = storage_database.make_engine(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM evaluation")).scalar() == 0
    finally:
        engine.dispose()


def test_migrations_build_exactly_the_models_on_postgresql(postgres: postgres_server.Server) -> None:
    """One schema: the same Alembic chain, step by step from the first revision, gives the models."""
    with create_engine(postgres.url(), isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("CREATE DATABASE ve_steps"))
    engine = storage_database.make_engine(postgres.url("ve_steps"))
    try:
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_a_wrong_password_is_one_sentence(postgres: postgres_server.Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluations", "--db", postgres.url(password="not-the-password")]) == 1
    err = capsys.readouterr().err
    assert "refused the login" in err and "wrong user name or password" in err
    assert "not-the-password" not in err and "Traceback" not in err


def test_a_missing_password_is_one_sentence(postgres: postgres_server.Server, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = f"postgresql://{postgres_server.SUPERUSER}@127.0.0.1:{postgres.port}/postgres"
    with pytest.raises(StorageError, match="wants a password for this login: set PGPASSWORD or add the database to ~/.pgpass"):
        open_database(url)


def test_an_encrypted_connection_the_server_cannot_make_is_one_sentence(postgres: postgres_server.Server) -> None:
    with pytest.raises(StorageError, match="cannot make the encrypted connection that sslmode asks for"):
        open_database(postgres.url() + "?sslmode=require")  # the throwaway server has no certificate


def test_a_server_that_is_down_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    closed_port = postgres_server._free_port()  # nothing listens there
    assert main(["evaluations", "--db", f"postgresql://someone:pw@127.0.0.1:{closed_port}/ve"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Traceback" not in err


def test_a_missing_database_is_one_sentence(postgres: postgres_server.Server) -> None:
    with pytest.raises(StorageError, match="has no database named"):
        open_database(postgres.url("ve_no_such_database"))


def test_a_schema_newer_than_the_app_is_refused(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="written by a newer vendor_eval"):
        open_database(postgres_url)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_row_held_by_another_user_is_busy_after_the_lock_timeout(
        db: Database, imaging_eval: int, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    vendors.add_vendor(db, imaging_eval, VENDORS[0], "officer")
    evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    criterion = load_snapshot(db, imaging_eval).criteria[0].id
    scores.record_score(db, imaging_eval, "Dr Ames", VENDORS[0], criterion, 3, "officer")
    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_MS", 300)
    impatient = open_database(postgres_url)
    holder = create_engine(postgres_url)
    try:
        with holder.begin() as conn:
            conn.execute(text("SELECT * FROM score FOR UPDATE"))  # another desk mid-transaction
            with pytest.raises(StorageError, match="is busy: another user"):
                scores.record_score(impatient, imaging_eval, "Dr Ames", VENDORS[0], criterion, 4, "officer")
    finally:
        holder.dispose()
        impatient.dispose()
    assert load_snapshot(db, imaging_eval).scores[0].value == 3


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_concurrent_writers_keep_one_unbroken_audit_chain(db: Database, imaging_eval: int, db_target: str) -> None:
    """Eight desks save at once: every score lands and the chain has no fork or gap."""
    names = [f"Evaluator {n}" for n in range(8)]
    vendors.add_vendor(db, imaging_eval, VENDORS[0], "officer")
    for name in names:
        evaluators.add_evaluator(db, imaging_eval, name, "officer")
    criteria_ids = [c.id for c in load_snapshot(db, imaging_eval).criteria[:10]]
    errors: list[BaseException] = []

    def desk(name: str) -> None:
        own = open_database(db_target, migrate=False)
        try:
            for c in criteria_ids:
                scores.record_score(own, imaging_eval, name, VENDORS[0], c, 2, name)
        except BaseException as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(load_snapshot(db, imaging_eval).scores) == len(names) * len(criteria_ids)
    report = integrity.verify(db, imaging_eval)
    assert report.problem is None
    with db.read() as s:
        seqs = sorted(s.scalars(text("SELECT seq FROM audit_event WHERE evaluation_id = :e").bindparams(e=imaging_eval)))
    assert seqs == list(range(1, len(seqs) + 1))


# --- a committee with logins: the server enforces who may do what -------------------------


@dataclass
class Committee:
    owner: Database
    ref: int
    ames: Database  # evaluator A
    bello: Database  # evaluator B
    chair: Database
    logins: dict[str, str]  # role -> login name

    def close(self) -> None:
        for db in (self.ames, self.bello, self.chair):
            db.dispose()


def _committee_evaluation(owner: Database) -> int:
    """The evaluation a committee scores: two vendors, two evaluators, Dr Bello's scores."""
    ref = evaluations.create_from_template(owner, GENERIC, "Service desk RFP", "officer")
    for name in VENDORS:
        vendors.add_vendor(owner, ref, name, "officer")
    for name in ("Dr Ames", "Dr Bello"):
        evaluators.add_evaluator(owner, ref, name, "officer")
    scores.record_scores(owner, ref, [  # one transaction (a pasted block), not 24
        scores.ScoreInput("Dr Bello", vendor, c.id, value)
        for c in load_snapshot(owner, ref).criteria for vendor, value in ((VENDORS[0], 2), (VENDORS[1], 4))], "officer")
    return ref


@pytest.fixture
def committee(_server_database: ServerDatabase) -> Iterator[Committee]:
    # The evaluation is a seed (built once per session); the roles, grants and policies are this
    # database's own (named after it), so `server setup` runs on each copy, as on a real server.
    ref = _server_database.make("committee", _committee_evaluation)
    postgres_url = _server_database.url
    owner = server_access.setup(postgres_url)
    logins = {name: _login(name) for name in ("ames", "bello", "chair")}
    server_access.add_evaluator(owner, ref, "Dr Ames", logins["ames"], "ames-secret", "officer")
    server_access.add_evaluator(owner, ref, "Dr Bello", logins["bello"], "bello-secret", "officer")
    server_access.add_chair(owner, logins["chair"], "chair-secret")
    found = Committee(
        owner, ref,
        open_database(_url_as(postgres_url, logins["ames"], "ames-secret")),
        open_database(_url_as(postgres_url, logins["bello"], "bello-secret")),
        open_database(_url_as(postgres_url, logins["chair"], "chair-secret")),
        logins,
    )
    yield found
    found.close()
    owner.dispose()


def _first_criterion(db: Database, ref: int) -> int:
    return load_snapshot(db, ref).criteria[0].id


def test_logins_get_scram_passwords_and_no_trust(committee: Committee, postgres_url: str) -> None:
    with committee.owner.read() as s:
        stored = s.execute(text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"),
                           {"n": committee.logins["ames"]}).scalar()
    assert str(stored).startswith("SCRAM-SHA-256$") and "ames-secret" not in str(stored)
    with pytest.raises(StorageError, match="refused the login"):
        open_database(_url_as(postgres_url, committee.logins["ames"], "bello-secret"))


def test_in_blind_mode_an_evaluator_reads_only_their_own_scores(committee: Committee) -> None:
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)
    scores.record_score(committee.ames, ref, "Dr Ames", VENDORS[0], criterion, 5, "Dr Ames")
    seen = load_snapshot(committee.ames, ref)
    ames_id = next(e.id for e in seen.evaluators if e.name == "Dr Ames")
    assert [(s.evaluator_id, s.value) for s in seen.scores] == [(ames_id, 5)]
    # Going around the client: a plain SELECT returns none of Bello's rows either.
    with committee.ames.read() as s:
        assert s.execute(text("SELECT count(*) FROM score WHERE evaluator_id <> :a"), {"a": ames_id}).scalar() == 0
        events = s.execute(text("SELECT new_value FROM audit_event WHERE entity = 'score'")).scalars().all()
    assert events and all("Dr Bello" not in str(v) for v in events)  # the trail does not leak them
    # The chair sees everyone; once Ames submits, so does Ames.
    everyone = len(load_snapshot(committee.chair, ref).scores)
    assert everyone > 1
    evaluators.set_submitted(committee.ames, ref, "Dr Ames", True, "Dr Ames")
    assert len(load_snapshot(committee.ames, ref).scores) == everyone


def test_an_evaluator_sees_only_the_evaluations_they_score(committee: Committee) -> None:
    other = evaluations.create_from_template(committee.chair, GENERIC, "Another RFP", "chair")
    vendors.add_vendor(committee.chair, other, "Cirrus Radiology", "chair")
    assert [e.name for e in evaluations.list_evaluations(committee.ames)] == ["Service desk RFP"]
    assert {e.name for e in evaluations.list_evaluations(committee.chair)} == {"Service desk RFP", "Another RFP"}
    with committee.ames.read() as s:
        assert s.execute(text("SELECT count(*) FROM vendor WHERE name = 'Cirrus Radiology'")).scalar() == 0


def test_an_evaluator_cannot_write_anyone_elses_score(committee: Committee) -> None:
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)
    with pytest.raises(StorageError, match="may not write these scores"):
        scores.record_score(committee.ames, ref, "Dr Bello", VENDORS[0], criterion, 5, "Dr Ames")
    with committee.ames.write() as s:  # around the client: Bello's rows are not even there to update
        assert s.execute(update(Score).values(value=0)).rowcount == 0  # type: ignore[attr-defined]
    assert {s.value for s in load_snapshot(committee.owner, ref).scores} == {2, 4}


@pytest.mark.parametrize("action, refused", [
    (lambda c, ref, cr: criteria.set_criterion_weight(c, ref, cr, 50, "x"), "criteria and weights"),
    (lambda c, ref, cr: scores.set_consensus(c, ref, VENDORS[0], cr, 3, "agreed", "x"), "consensus scores"),
    (lambda c, ref, cr: evaluations.update_settings(c, ref, "x", blind_mode=False), "evaluation settings"),
    (lambda c, ref, cr: evaluators.add_evaluator(c, ref, "Dr Extra", "x"), "evaluators"),
])
def test_only_the_chair_sets_weights_consensus_and_finalises(committee: Committee, action, refused: str) -> None:  # type: ignore[no-untyped-def]
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)
    with pytest.raises(StorageError, match=f"no permission to change these {refused}"):
        action(committee.ames, ref, criterion)


def test_the_chair_may_do_what_the_chair_may(committee: Committee) -> None:
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)
    criteria.set_criterion_weight(committee.chair, ref, criterion, 50, "chair")
    scores.set_consensus(committee.chair, ref, VENDORS[0], criterion, 3, "agreed at the meeting", "chair")
    for c in load_snapshot(committee.chair, ref).criteria:
        for vendor in VENDORS:
            scores.record_score(committee.ames, ref, "Dr Ames", vendor, c.id, 3, "Dr Ames")
    with pytest.raises(StorageError, match="no permission to change these evaluation settings"):
        lifecycle.finalise(committee.ames, ref, "Dr Ames")  # rankable now, yet not Ames's to freeze
    done = lifecycle.finalise(committee.chair, ref, "chair")
    assert done.audit_head and integrity.verify(committee.chair, ref).problem is None
    snap = load_snapshot(committee.owner, ref)
    assert snap.evaluation.status == "finalised"
    assert next(c for c in snap.criteria if c.id == criterion).weight == 50


def test_an_evaluators_commits_are_sealed_by_the_next_chair_commit_and_verify_meanwhile(committee: Committee) -> None:
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)

    def newest(db: Database) -> tuple[str, str, dict[str, Any]]:
        with db.read() as s:
            row = s.execute(text("SELECT entity, field, new_value FROM audit_event WHERE evaluation_id = :e "
                                 "ORDER BY seq DESC LIMIT 1"), {"e": ref}).one()
        return row.entity, row.field, json.loads(row.new_value)

    def from_every_row() -> dict[str, object]:
        with committee.owner.read() as s:
            return seal_value(s, ref)

    # Ames sees only her own scores, so her commits leave no (partial) seal behind them: only the
    # change each made to the sums of the sealed state (a delta, from the rows she changed).
    scores.record_score(committee.ames, ref, "Dr Ames", VENDORS[0], criterion, 5, "Dr Ames")
    evaluators.set_submitted(committee.ames, ref, "Dr Ames", True, "Dr Ames")
    entity, field, value = newest(committee.owner)
    assert (entity, field) == ("evaluation", "state_sha256") and set(value["delta"]) == {"evaluator"}
    assert "sum" not in value
    assert integrity.verify(committee.owner, ref).problem is None
    with committee.ames.read() as s:  # sums of row hashes: two of them could be matched against guessed scores
        assert s.execute(text("SELECT count(*) FROM audit_event WHERE field = 'state_sha256'")).scalar() == 0
    # The chair's next change seals the whole state, Ames's rows included: the previous seal
    # moved by her deltas and the chair's own, equal to the digest of every row.
    criteria.set_criterion_weight(committee.chair, ref, criterion, 50, "chair")
    entity, field, value = newest(committee.owner)
    assert (entity, field) == ("evaluation", "state_sha256") and value == from_every_row()
    assert integrity.verify(committee.owner, ref).problem is None
    # After an evaluator's commit a table no evaluator writes is still held to the seal
    # (a submitted evaluator withdraws before scoring again).
    evaluators.set_submitted(committee.ames, ref, "Dr Ames", False, "Dr Ames")
    scores.record_score(committee.ames, ref, "Dr Ames", VENDORS[1], criterion, 1, "Dr Ames")
    with committee.owner.write() as s:
        s.execute(text("UPDATE criterion SET weight = 99 WHERE id = :c"), {"c": criterion})
    problem = integrity.verify(committee.owner, ref).problem
    assert problem is not None and "no longer has the digest" in problem and "criterion" in problem


def test_a_score_an_evaluator_changed_behind_the_app_is_not_sealed_by_the_chair(committee: Committee) -> None:
    """With the deltas, verify holds an evaluator's own rows to the record too: a score written
    with SQL by the evaluator's login (RLS allows it, no event, no delta) stays reported after
    the chair's next seal."""
    ref, criterion = committee.ref, _first_criterion(committee.owner, committee.ref)
    scores.record_score(committee.ames, ref, "Dr Ames", VENDORS[0], criterion, 5, "Dr Ames")
    with committee.ames.write() as s:
        assert s.execute(text("UPDATE score SET comment = 'changed later' WHERE criterion_id = :c"),
                         {"c": criterion}).rowcount == 1
    criteria.set_criterion_weight(committee.chair, ref, criterion, 50, "chair")
    problem = integrity.verify(committee.owner, ref).problem
    assert problem is not None and "rows of score" in problem


def test_after_finalising_the_server_refuses_even_an_evaluators_own_scores(committee: Committee) -> None:
    ref = committee.ref
    for c in load_snapshot(committee.chair, ref).criteria:
        for vendor in VENDORS:
            scores.record_score(committee.ames, ref, "Dr Ames", vendor, c.id, 3, "Dr Ames")
    lifecycle.finalise(committee.chair, ref, "chair")
    with committee.ames.write() as s:  # around the client's ReadOnlyError
        assert s.execute(update(Score).values(value=1)).rowcount == 0  # type: ignore[attr-defined]
    assert 1 not in {s.value for s in load_snapshot(committee.owner, ref).scores}


@pytest.mark.parametrize("who", ["ames", "chair"])
@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"])
def test_nobody_from_the_app_can_rewrite_or_delete_audit_events(committee: Committee, who: str, statement: str) -> None:
    db = committee.ames if who == "ames" else committee.chair
    with pytest.raises(StorageError, match="no permission to change the audit trail"):
        with db.write() as s:
            s.execute(text(statement))
    assert integrity.verify(committee.owner, committee.ref).problem is None


def test_in_two_envelope_mode_a_technical_evaluator_sees_no_prices_until_submitting(committee: Committee) -> None:
    ref = committee.ref
    evaluations.update_settings(committee.chair, ref, "chair", two_envelope=True)
    evaluators.update_evaluator(committee.chair, ref, "Dr Ames", "chair", envelope="technical")
    tariffs.add_cost_line(committee.chair, ref, VENDORS[0], "chair", "professional_services", 120000)
    assert len(load_snapshot(committee.chair, ref).cost_lines) == 1
    assert load_snapshot(committee.ames, ref).cost_lines == ()
    evaluators.set_submitted(committee.ames, ref, "Dr Ames", True, "Dr Ames")
    assert len(load_snapshot(committee.ames, ref).cost_lines) == 1


def test_an_evaluator_cannot_migrate_a_schema_it_does_not_own(committee: Committee, postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    engine.dispose()
    with pytest.raises(StorageError, match="ask its owner to run: vendor-eval-cli server setup"):
        open_database(_url_as(postgres_url, committee.logins["ames"], "ames-secret"))


def test_server_commands_on_the_cli(postgres_url: str, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "setup", "--db", postgres_url]) == 0
    db = open_database(postgres_url)
    ref = evaluations.create_from_template(db, GENERIC, "Service desk RFP", "officer")
    evaluators.add_evaluator(db, ref, "Dr Ames", "officer")
    login = _login("cli_ames")
    monkeypatch.setattr("sys.stdin", io.StringIO("typed-secret\n"))
    assert main(["server", "add-user", login, "--evaluation", "Service desk RFP", "--evaluator", "Dr Ames",
                 "--password-stdin", "--db", postgres_url]) == 0
    assert main(["server", "users", "--json", "--db", postgres_url]) == 0
    out = capsys.readouterr().out
    assert f'"login": "{login}"' in out and '"evaluator": "Dr Ames"' in out and "typed-secret" not in out
    as_ames = open_database(_url_as(postgres_url, login, "typed-secret"))
    assert load_snapshot(as_ames, ref).evaluation.name == "Service desk RFP"
    as_ames.dispose()
    assert main(["server", "remove-user", login, "--db", postgres_url]) == 0
    with pytest.raises(UserError, match="no role in this database"):
        server_access.remove(db, login, "officer")
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM server_user")) == 0
        removed = s.scalars(text("SELECT field FROM audit_event WHERE entity = 'server_user' ORDER BY seq")).all()
    assert removed == ["created", "removed"]
    db.dispose()


def test_server_commands_on_a_file_say_they_need_a_server(db_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["server", "setup", "--db", str(db_path)]) == 1
    assert "need a PostgreSQL database" in capsys.readouterr().err


# --- backups of a server database: pg_dump / pg_restore ---------------------------------------


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_backup_and_restore_of_a_server_database(db: Database, imaging_eval: int, db_target: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    assert main(["backup", "--db", db_target]) == 0
    assert capsys.readouterr().out.strip().endswith("-manual.dump")
    evaluators.add_evaluator(db, imaging_eval, "Dr Late", "officer")  # after the backup: undone by the restore
    assert main(["restore", "--db", db_target]) == 0
    assert [e.name for e in load_snapshot(db, imaging_eval).evaluators] == ["Dr Ames"]
    assert integrity.verify(db, imaging_eval).problem is None
    assert main(["backup", "--list", "--json", "--db", db_target]) == 0
    listed = capsys.readouterr().out
    assert '"reason": "before-restore"' in listed and '"reason": "manual"' in listed


def test_a_missing_server_tool_is_one_sentence() -> None:
    with pytest.raises(StorageError, match="is not installed: install PostgreSQL's client programs"):
        tool("pg_no_such_program")


# --- moving an evaluation between a file and a server ------------------------------------------


def test_copy_file_to_server_to_file_keeps_rankings_and_the_audit_chain(
        postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], _seeds: Seeds) -> None:
    first, last = tmp_path / "sample.db", tmp_path / "back.db"
    ref = _seeds.copy(first, "demo", load_demo)  # the sample as load_demo writes it, loaded once per session
    assert main(["copy", str(ref), "--from", str(first), "--to", postgres_url]) == 0
    assert main(["copy", str(ref), "--from", postgres_url, "--to", str(last)]) == 0
    rankings, heads = [], []
    for target in (str(first), postgres_url, str(last)):
        capsys.readouterr()
        assert main(["rank", str(ref), "--json", "--db", target]) == 0
        rankings.append(json.loads(capsys.readouterr().out))
        db = open_database(target)
        report = integrity.verify(db, ref)
        assert report.problem is None and report.events > 1000
        heads.append(report.head)
        db.dispose()
    assert rankings[0] == rankings[1] == rankings[2] and rankings[0]["vendors"]
    assert heads[0] == heads[1] == heads[2]
    # The server's id sequences moved past the copied rows: new work there just works.
    server = open_database(postgres_url)
    vendors.add_vendor(server, ref, "Nimbus Teleradiology", "officer")
    assert integrity.verify(server, ref).problem is None
    server.dispose()


def test_copy_refuses_a_target_that_uses_the_same_ids(postgres_url: str, tmp_path: Path) -> None:
    source = open_database(tmp_path / "a.db")
    ref = evaluations.create_from_template(source, GENERIC, "Service desk RFP", "officer")
    source.dispose()
    server = open_database(postgres_url)
    evaluations.create_from_template(server, GENERIC, "Another RFP", "officer")  # takes id 1 there
    with pytest.raises(UserError, match="already has evaluation rows with the ids"):
        server_access.copy_evaluation(ref, tmp_path / "a.db", postgres_url)
    assert [e.name for e in evaluations.list_evaluations(server)] == ["Another RFP"]
    server.dispose()
