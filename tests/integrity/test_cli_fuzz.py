"""No traceback on any input: hypothesis builds argument lists from the real commands with
hostile ids, numbers and texts, and runs them against a copy of the sample database.
Every run ends normally or with one sentence; a refusal leaves the database unchanged;
nothing the user typed reaches the terminal as a control sequence."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Seeds
from vendor_eval.cli import main
from vendor_eval.services.demo import load_demo

HOSTILE_IDS = ["²", "١٢", "-1", "0", "+1", " 1 ", "1.0", "1e3", "0x1", "", str(2**63), str(2**70), "9" * 5000,
               "1\u200b", "Ⅻ", "１"]
HOSTILE_NUMBERS = ["nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e999", "1e-320", "-0", "1,5", "", "abc", "٣",
                   "5", "2.5", "-3", "1e15", "0x10", "1_000", " 7 "]
HOSTILE_TEXTS = ["Acme\x1b[31mRed", "Blue\u200bstem Reading Group", "bluestem reading group", "BLUESTEM READING GROUP",
                 "Bluéstem Reading Group", "\u202eevil", "a\x00b", "\ud800", "x" * 5000, "=1+1", "@SUM(A1)", " ",
                 "\t", "line\nbreak", "'; DROP TABLE vendor; --", "ThriftRead Imaging", "Dr. Miriam Okafor",
                 "China=25%", "China=1e308", "China=nan,EU=-1", "=", "sla.stat_turnaround", "\x9b31m"]
EVALUATIONS = ["1", "Teleradiology and AI reading services"]

ids = st.sampled_from(HOSTILE_IDS) | st.integers(min_value=-(2**80), max_value=2**80).map(str)
numbers = st.sampled_from(HOSTILE_NUMBERS) | st.floats(allow_nan=True, allow_infinity=True).map(repr)
texts = (st.sampled_from(HOSTILE_TEXTS)
         | st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
         | st.text(st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=12))
refs = st.sampled_from(EVALUATIONS) | ids
members = texts | ids
paths = st.sampled_from(["/proc/x.pdf", "/tmp", "/nonexistent/r.pdf", "", "r.docx", "/dev/null/x.pdf"])


def _commands() -> st.SearchStrategy[list[str]]:
    def build(*parts: object) -> st.SearchStrategy[list[str]]:
        return st.tuples(*(p if isinstance(p, st.SearchStrategy) else st.just(str(p)) for p in parts)).map(list)

    return st.one_of(
        build("show", refs),
        build("vendors", "add", refs, "--name", texts),
        build("vendors", "add", refs, "--name", texts, "--hq-country", texts, "--contact", texts),
        build("vendors", "remove", refs, "--name", members),
        build("evaluators", "add", refs, "--name", texts, "--role", texts),
        build("evaluators", "remove", refs, "--name", members),
        build("score", refs, "--evaluator", members, "--vendor", members, "--criterion", members, "--value", numbers),
        build("score", "1", "--evaluator", "Priya Raman", "--vendor", "ThriftRead Imaging", "--criterion",
              "sla.stat_turnaround", "--value", numbers),
        build("weight", refs, "--group", members, "--value", numbers),
        build("weight", "1", "--group", "AI validation", "--value", numbers),
        build("weight", "1", "--criterion", members, "--value", numbers),
        build("cost-line", "add", refs, "--vendor", members, "--category", "software", "--amount", numbers,
              "--origin", texts),
        build("cost-line", "add", "1", "--vendor", "ThriftRead Imaging", "--category", "software", "--amount", numbers),
        build("cost-line", "remove", refs, "--id", ids),
        build("scenario", "add", refs, "--name", texts, "--rates", texts),
        build("scenario", "set", "1", "--name", members, "--rates", texts),
        build("sensitivity", "1", "--samples", st.sampled_from(["-1", "0", "10", "abc", "1e3", str(2**70)]),
              "--seed", ids, "--bounds", numbers),
        build("rank", refs, "--scenario", texts),
        build("declare", refs, "--evaluator", members, "--conflict", members, "--statement", texts),
        build("reopen", refs, "--by", texts, "--reason", texts),
        build("finalise", refs, "--by", st.sampled_from(["", " ", "\x1b", "\ud800"])),
        build("verify", refs, "--head", texts),
        build("new", "--template", texts, "--name", texts),
        build("delete", ids),
        build("report", refs, "-o", paths, "--quiet"),
        build("disagreement", refs),
        build("declarations", refs),
    )


def _fingerprint(path: Path) -> tuple[object, ...]:
    """Everything a refused command must leave as it was: every table's rows."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return tuple((t, conn.execute(f'SELECT count(*), max(rowid) FROM "{t}"').fetchone(),  # noqa: S608
                      conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid DESC LIMIT 3').fetchall())  # noqa: S608
                     for t in tables)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, _seeds: Seeds) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "sample.db"
    _seeds.copy(path, "demo", load_demo)
    return path


RUNS: list[int] = []


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(argv=_commands())
def test_no_input_gives_a_traceback(sample: Path, argv: list[str]) -> None:
    before = _fingerprint(sample)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([*argv, "--db", str(sample)])
        except SystemExit as exc:  # argparse's own refusals (usage + one error line) and exit codes
            code = exc.code if isinstance(exc.code, int) else 1
            if isinstance(exc.code, str):
                print(exc.code, file=err)
    RUNS.append(code)
    stdout, stderr = out.getvalue(), err.getvalue()
    assert "\x1b" not in stdout + stderr and "\x9b" not in stdout + stderr
    if code != 0:
        lines = [line for line in stderr.replace("\r", "\n").splitlines() if line.strip() and "%" not in line[:5]]
        problem = [line for line in lines if line.startswith(("error:", "WARNING:", "vendor-eval-cli"))]
        assert problem, f"{argv!r}: no sentence on stderr: {stderr!r}"
        if code == 1:  # ours: exactly one line (argparse's code 2 adds its usage line above its error line)
            assert len(lines) == 1, (argv, lines)
        assert len(problem[-1]) < 2000, argv
        if not stderr.startswith("WARNING:"):
            assert _fingerprint(sample) == before, f"{argv!r} was refused but changed the database"


def test_the_fuzzer_reached_both_outcomes() -> None:
    """The generated commands are not all refused at the door: some are accepted."""
    if RUNS:
        assert any(c == 0 for c in RUNS) and any(c != 0 for c in RUNS)
        print(f"\nCLI fuzz: {len(RUNS)} runs, {sum(c == 0 for c in RUNS)} accepted, "
              f"{sum(c != 0 for c in RUNS)} refused in one sentence, 0 tracebacks")
