"""Crash safety: a writer SIGKILLed at random moments loses no acknowledged edit
(the harness is bench/crash_harness.py; the full run is 200 kills)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "bench" / "crash_harness.py"


def _run(kills: int, tmp_path: Path, timeout: float, max_delay: float = 0.3) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(HARNESS), "--kills", str(kills), "--db", str(tmp_path / "crash.db"), "--json",
         "--max-delay", str(max_delay)], capture_output=True, text=True, timeout=timeout, check=False)
    assert result.stdout, result.stderr
    summary = json.loads(result.stdout.splitlines()[-1])
    assert isinstance(summary, dict)
    return summary


def _assert_nothing_lost(summary: dict[str, Any], kills: int) -> None:
    assert summary["kills"] == kills
    assert summary["lost"] == [] and summary["problems"] == []
    assert summary["edits_found"] == summary["edits_acknowledged"] > 0
    assert summary["integrity_ok"] == summary["chain_intact"] == summary["rows_consistent"] == kills
    assert summary["passed"] is True


@pytest.mark.crash_harness
def test_a_handful_of_kills_lose_no_acknowledged_edit(tmp_path: Path) -> None:
    _assert_nothing_lost(_run(5, tmp_path, timeout=60), 5)


@pytest.mark.crash_harness
def test_kills_sooner_than_any_commit_still_leave_an_acknowledged_edit_to_check(tmp_path: Path) -> None:
    """As on a machine too busy to commit before the random moments: every writer is killed at
    once, and the last waits for its first acknowledged edit, so the run is never vacuous."""
    _assert_nothing_lost(_run(2, tmp_path, timeout=60, max_delay=0.0), 2)  # it asserts an acknowledged edit


@pytest.mark.slow
@pytest.mark.crash_harness
def test_two_hundred_kills_lose_no_acknowledged_edit(tmp_path: Path) -> None:
    _assert_nothing_lost(_run(200, tmp_path, timeout=1800), 200)
