"""The import contracts bite: each rule in pyproject.toml, broken once in a copy of the package,
makes lint-imports fail and name the offending import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_code_quality import ROOT, lint_imports

# contract id -> (module file to append to, the forbidden line)
BREAKS = {
    "qt-only-in-ui": ("vendor_eval/scoring/ranks.py", "from PySide6.QtCore import QObject"),
    "no-qt-below-ui": ("vendor_eval/services/ranking.py", "from vendor_eval.ui import tasks"),
    "sqlalchemy-in-storage": ("vendor_eval/cli/common.py", "from sqlalchemy.orm import Session"),
    "services-query-only": ("vendor_eval/services/vendors.py", "from sqlalchemy import create_engine"),
    "ui-through-services": ("vendor_eval/ui/recovery.py", "def _later():\n    from vendor_eval.storage import open_database"),
    "file-formats-in-io": ("vendor_eval/services/demo.py", "from openpyxl import load_workbook"),
    "plain-data-layers": ("vendor_eval/io/templates.py", "from vendor_eval.storage import models"),
    "domain-and-errors-stand-alone": ("vendor_eval/errors.py", "from vendor_eval import paths"),
    "layers": ("vendor_eval/storage/audit.py", "from vendor_eval.services import lookup"),
    "no-cycles": ("vendor_eval/storage/backup.py", "def _later():\n    from vendor_eval.storage import migrate"),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package, its contracts and the custom contract type."""
    root = tmp_path_factory.mktemp("contracts")
    shutil.copytree(ROOT / "vendor_eval", root / "vendor_eval", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "import_contracts.py", root / "tests")
    shutil.copy(ROOT / "pyproject.toml", root)
    kept = lint_imports(cwd=root)
    assert kept.returncode == 0, kept.stdout + kept.stderr  # every rule holds before the change
    return root


@pytest.mark.parametrize("contract", sorted(BREAKS))
def test_a_broken_rule_fails_the_check(pristine: Path, tmp_path: Path, contract: str) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(pristine, copy)
    target, line = BREAKS[contract]
    with open(copy / target, "a", encoding="utf-8") as f:
        f.write(f"\n{line}\n")
    result = lint_imports("--contract", contract, cwd=copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    module = target.removesuffix(".py").replace("/", ".")
    assert module in result.stdout or module.rsplit(".", 1)[-1] in result.stdout, result.stdout
