"""Helpers shared by the integrity tests."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from vendor_eval.cli import main


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
