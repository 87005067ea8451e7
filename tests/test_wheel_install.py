"""The wheel works outside the checkout: built from the sources, installed (not editable) into
a new virtual environment, and run from another directory, it finds its templates, fonts,
migrations and sample data (vendor_eval.paths, setup.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # Built by this environment's setuptools (the test extra pins what [build-system] asks for):
    # no isolated build environment to download and install first.
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "-w", str(tmp / "dist"), str(src)], tmp, env)
    wheel = next((tmp / "dist").glob("vendor_eval-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    # The dependencies come from this interpreter's site-packages (no download): a .pth file
    # adds the folder to the path without running the editable install's own .pth hooks.
    purelib = Path(_run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        tmp, env).strip())
    (purelib / "deps.pth").write_text("\n".join({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}))
    # This environment's pip installs into the new one (its scripts run the new one's python).
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
          "--no-index", str(wheel)], tmp, env)
    assert (venv / "bin" / "vendor-eval").read_text().startswith(f"#!{venv / 'bin' / 'python'}")
    work = tmp / "elsewhere"
    work.mkdir()
    env |= {"VENDOR_EVAL_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen"}
    return venv / "bin", env | {"HOME": str(tmp)}


def test_the_installed_wheel_runs_every_step_from_outside_the_checkout(installed: tuple[Path, dict[str, str]]) -> None:
    bin_dir, env = installed
    work = bin_dir.parent.parent / "elsewhere"
    cli = str(bin_dir / "vendor-eval-cli")
    located = _run([str(bin_dir / "python"), "-c", "import vendor_eval.paths as p; print(p.templates_dir())"], work, env)
    assert "site-packages" in located and str(ROOT) not in located
    listed = _run([cli, "templates"], work, env)
    assert "Medical imaging outsourcing and teleradiology" in listed
    assert "Loaded the sample evaluation" in _run([cli, "--db", "demo.db", "demo"], work, env)
    assert "Bluestem" in _run([cli, "--db", "demo.db", "rank", "1"], work, env)
    _run([cli, "--db", "demo.db", "report", "1", "-o", "report.pdf", "--quiet"], work, env)
    _run([cli, "--db", "demo.db", "report", "1", "-o", "report.xlsx", "--quiet"], work, env)
    assert len(PdfReader(work / "report.pdf").pages) > 3
    assert (work / "report.xlsx").stat().st_size > 10_000
    # The packaged build's smoke test (demo -> window -> ranking -> both reports), as installed.
    checked = _run([str(bin_dir / "vendor-eval"), "--self-test"], work, env)
    assert "pdf report:" in checked and "xlsx report:" in checked and "self-test passed" in checked
    # `python -m vendor_eval` reaches the same main() as the vendor-eval script (its self-test ran above).
    assert "--self-test" in _run([str(bin_dir / "python"), "-m", "vendor_eval", "--help"], work, env)
