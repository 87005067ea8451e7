"""The CLI: commands over the services, JSON output, one-sentence errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vendor_eval.cli import main

IMAGING = "Medical imaging outsourcing and teleradiology"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.both_engines
def test_a_scoring_session_from_the_command_line(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_target  # a file, or a database on the throwaway PostgreSQL server
    assert run(capsys, "new", "--db", db, "--template", IMAGING, "--name", "RFP 2027")[0] == 0
    assert run(capsys, "vendors", "add", "RFP 2027", "--db", db, "--name", "Borealis Reading Group",
               "--deployment", "onshore")[0] == 0
    assert run(capsys, "evaluators", "add", "1", "--db", db, "--name", "Dr Ames", "--role", "Radiology chair")[0] == 0
    code, out, _ = run(capsys, "score", "RFP 2027", "--db", db, "--evaluator", "Dr Ames",
                       "--vendor", "Borealis Reading Group", "--criterion", "sla.stat_turnaround", "--value", "4")
    assert code == 0 and "Saved score 4" in out
    code, out, _ = run(capsys, "evaluations", "--db", db, "--json")
    listed = json.loads(out)
    assert [(e["name"], e["vendors"], e["evaluators"], e["scores"]) for e in listed] == [("RFP 2027", 1, 1, 1)]
    code, out, _ = run(capsys, "show", "RFP 2027", "--db", db, "--json")
    shown = json.loads(out)
    assert shown["vendors"] == ["Borealis Reading Group"] and len(shown["groups"]) >= 10


def test_user_mistakes_exit_non_zero_with_one_sentence(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_target  # a migrated file
    run(capsys, "new", "--db", db, "--template", IMAGING, "--name", "RFP")
    code, out, err = run(capsys, "score", "RFP", "--db", db, "--evaluator", "Nobody", "--vendor", "X",
                         "--criterion", "sla.stat_turnaround", "--value", "3")
    assert code == 1 and out == ""
    assert err.strip() == "error: The evaluation has no evaluator 'Nobody'."
    code, _, err = run(capsys, "show", "Missing RFP", "--db", db)
    assert code == 1 and "There is no evaluation 'Missing RFP'" in err and "Traceback" not in err


def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "vendor_eval.cli", "show", "nothing", "--db", str(tmp_path / "x.db")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
