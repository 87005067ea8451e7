"""CLI conventions: shared options before or after the command, $VENDOR_EVAL_DB, exit codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Seeds
from vendor_eval.cli import main

IMAGING = "Medical imaging outsourcing and teleradiology"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def names(out: str) -> list[str]:
    return [e["name"] for e in json.loads(out)]


@pytest.fixture
def migrated(tmp_path: Path, _seeds: Seeds) -> Callable[[str], str]:
    """migrated(name): the path of a new database file already at head (a copy of the session's
    migrated file; migrating each file from scratch is not what these tests are about)."""
    def make(name: str) -> str:
        shutil.copyfile(_seeds.file("migrated"), tmp_path / name)
        return str(tmp_path / name)
    return make


def test_shared_options_before_or_after_the_command_reach_the_same_database(
        migrated: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    db = migrated("rfp.db")
    assert run(capsys, "--db", db, "new", "--template", IMAGING, "--name", "Before")[0] == 0
    assert run(capsys, "new", "--template", IMAGING, "--name", "After", "--db", db)[0] == 0
    code, before, _ = run(capsys, "--db", db, "--json", "evaluations")
    code2, after, _ = run(capsys, "evaluations", "--db", db, "--json")
    assert code == code2 == 0
    assert sorted(names(before)) == sorted(names(after)) == ["After", "Before"]
    code, out, _ = run(capsys, "--db", db, "show", "Before", "--json")
    assert code == 0 and json.loads(out)["name"] == "Before"


def test_an_option_after_the_command_wins_over_the_same_option_before_it(
        migrated: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    first, second = migrated("first.db"), migrated("second.db")
    assert run(capsys, "new", "--db", first, "--template", IMAGING, "--name", "Only in first")[0] == 0
    assert run(capsys, "init", "--db", second)[0] == 0
    code, out, _ = run(capsys, "--db", second, "evaluations", "--json", "--db", first)
    assert code == 0 and names(out) == ["Only in first"]


def test_the_environment_names_the_database_when_db_is_not_given(
        tmp_path: Path, migrated: Callable[[str], str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "scripted.db"
    monkeypatch.setenv("VENDOR_EVAL_DB", str(db))
    assert run(capsys, "new", "--template", IMAGING, "--name", "Scripted")[0] == 0
    assert db.exists()
    code, out, _ = run(capsys, "evaluations", "--json")
    assert code == 0 and names(out) == ["Scripted"]
    # --db still overrides the environment.
    other = migrated("other.db")
    assert run(capsys, "init", "--db", other)[0] == 0
    code, out, _ = run(capsys, "evaluations", "--json", "--db", other)
    assert code == 0 and names(out) == []


def test_exit_codes_usage_two_refusal_one(migrated: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    db = migrated("rfp.db")
    code, _, err = run(capsys, "--db", db, "--json", "init")
    assert code == 2 and "'init' has no JSON output" in err
    code, _, err = run(capsys, "--db", db, "rank", "No such RFP")
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "exit codes" in out and "VENDOR_EVAL_DB" in out
