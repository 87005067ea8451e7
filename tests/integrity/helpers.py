"""Helpers shared by the integrity tests."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Seeds
from vendor_eval.cli import main
from vendor_eval.services import lifecycle
from vendor_eval.services.demo import load_demo
from vendor_eval.storage import Database


def raw_sql(path: Path, sql: str, *params: object) -> None:
    """Change the file behind the application's back, as a tamperer with the sqlite3 shell would."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed vendor-eval-cli, as a user would run it, in its own process."""
    script = Path(sys.executable).with_name("vendor-eval-cli")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "vendor_eval.cli"]
    return subprocess.run([*command, *argv], capture_output=True, text=True, timeout=120, check=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in-process (faster than cli() where a separate process proves nothing)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def finalised_sample(seeds: Seeds, target: Path) -> str:
    """Write at target the sample RFP (evaluation 1) finalised by its chair, which is finalised once
    per session (a seed); returns the chain head that finalise announced."""
    seeds.file("demo", load_demo)  # the base first: Seeds.file would make a missing base without its build
    return seeds.copy(target, "demo-finalised", _finalise_sample, base="demo")


def _finalise_sample(db: Database) -> str:
    return lifecycle.finalise(db, 1, "Dr. Miriam Okafor").audit_head
