"""The inputs that ended in a traceback or were silently accepted (issue 14), each named:
now one sentence, and the database as it was."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from vendor_eval.storage import Database
from vendor_eval.validation import name_key

from .helpers import cli, run

EVAL = "Service desk RFP"
A = "Aurora Imaging Partners"

CASES = {
    "superscript digits as an id": ["show", "²"],
    "an id of 2**70": ["show", str(2**70)],
    "an id of 5,000 digits": ["show", "9" * 5000],
    "an ESC sequence in a vendor name": ["vendors", "add", EVAL, "--name", "Acme\x1b[31mRed"],
    "a right-to-left override in a name": ["evaluators", "add", EVAL, "--name", "\u202eevil"],
    "an evaluator name of 100,000 characters": ["evaluators", "add", EVAL, "--name", "x" * 100_000],
    "an evaluator name of 5,000 characters": ["evaluators", "add", EVAL, "--name", "x" * 5_000],
    "a vendor differing only in case": ["vendors", "add", EVAL, "--name", A.upper()],
    "a vendor with a zero-width space": ["vendors", "add", EVAL, "--name", "Aurora Imaging\u200b Partners"],
    "a vendor differing only in accents": ["vendors", "add", EVAL, "--name", "Auróra Imaging Partners"],
    "a vendor in full-width letters": ["vendors", "add", EVAL, "--name", "Ａｕｒｏｒａ Imaging Partners"],
    "a negative seed": ["sensitivity", EVAL, "--seed", "-1", "--samples", "10"],
    "a group weight of 1e308": ["weight", EVAL, "--group", "1", "--value", "1e308"],
    "a criterion weight of nan": ["weight", EVAL, "--criterion", "1", "--value", "nan"],
    "a cost line of 1e308": ["cost-line", "add", EVAL, "--vendor", A, "--category", "software", "--amount", "1e308"],
    "a report into /proc": ["report", EVAL, "-o", "/proc/report.pdf", "--quiet"],
    "a report onto a folder": ["report", EVAL, "-o", "/tmp", "--format", "pdf", "--quiet"],
    "an unknown URL scheme": ["evaluations", "--db", "foo://bar"],
}


def _fingerprint(path: Path) -> list[object]:
    with closing(sqlite3.connect(path)) as conn:
        return [conn.execute(f'SELECT count(*), max(rowid) FROM "{t}"').fetchone()  # noqa: S608
                for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


@pytest.mark.parametrize("argv", CASES.values(), ids=CASES.keys())
def test_each_hostile_input_is_one_sentence_and_changes_nothing(db: Database, scored: int, db_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                argv: list[str]) -> None:
    before = _fingerprint(db_path)
    with_db = argv if "--db" in argv else [*argv, "--db", str(db_path)]
    code, out, err = run(capsys, *with_db)
    assert code == 1
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert len(lines[0]) < 400
    assert _fingerprint(db_path) == before


def test_non_utf8_bytes_in_a_name_are_one_sentence(db: Database, scored: int, db_path: Path) -> None:
    """As a shell passes them: the bytes reach Python as surrogate escapes (so a real process)."""
    result = cli("vendors", "add", EVAL, "--name", "Acme\udcff\udcfe", "--db", str(db_path))
    assert result.returncode == 1 and result.stderr.startswith("error: Argument") and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_sqlite_file_with_an_evaluation_table_is_refused_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE evaluation (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
    before = foreign.read_bytes()
    code, _, err = run(capsys, "evaluations", "--db", str(foreign))
    assert code == 1 and "not one of vendor_eval's" in err and "Traceback" not in err
    assert foreign.read_bytes() == before


def test_stored_escape_sequences_are_shown_not_obeyed(db: Database, scored: int, db_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A name stored before this check (or written by another tool) cannot colour the terminal."""
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE vendor SET name = 'Evil\x1b[31mRed' WHERE name = ?", (A,))
        conn.commit()
    code, out, _ = run(capsys, "vendors", "list", EVAL, "--db", str(db_path))
    assert code == 0 and "\x1b" not in out and "Evil\ufffd[31mRed" in out


def test_look_alike_names_share_one_key() -> None:
    same = ["Bluestem Reading Group", "bluestem reading group", "BLUESTEM  READING GROUP", "Bluéstem Reading Group",
            "Blue\u200bstem Reading Group", "Ｂｌｕｅｓｔｅｍ Reading Group"]
    assert len({name_key(n) for n in same}) == 1
    assert name_key("Bluestem Reading") != name_key("Bluestem Reading Group")


def test_control_characters_never_reach_pdf_text_raw() -> None:
    from vendor_eval.io.text_safety import pdf_text

    assert pdf_text("Acme\x00Imaging\x1b[31m <b>") == "Acme\ufffdImaging\ufffd[31m &lt;b&gt;"
