"""Static checks as tests, so CI enforces them: mypy strict on the layers below the UI, ruff everywhere,
and the import contracts (who may import whom) in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_domain_layers_pass_mypy_strict() -> None:
    # Strictness per package is configured in pyproject.toml ([tool.mypy] overrides).
    result = _run("mypy", "vendor_eval/domain.py", "vendor_eval/vocabulary.py", "vendor_eval/scoring", "vendor_eval/io",
                  "vendor_eval/storage", "vendor_eval/services")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "vendor_eval", "tests", "bench", "sample_data", "packaging")
    assert result.returncode == 0, result.stdout + result.stderr


def lint_imports(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """import-linter's own command (lint-imports), run with this interpreter from cwd."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--no-logo", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_import_contracts_are_kept() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
