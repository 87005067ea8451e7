"""The packaged build's inputs: the spec parses, every file it ships exists, the desktop entry
and build script are sound. Building takes minutes, so the build itself is a manual step
(bash packaging/build.sh, which ends with the frozen --self-test); set VENDOR_EVAL_BUILD=1
to run it here."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "vendor_eval.spec"


class _Recorder:
    """Stands in for PyInstaller's build classes: records what the spec asks for."""

    calls: ClassVar[dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _Recorder.calls.setdefault(type(self).__name__, []).append((args, kwargs))
        self.binaries: list[tuple[str, str, str]] = [("libQt6Quick.so.6", "x", "BINARY"), ("libQt6Core.so.6", "x", "BINARY")]
        self.datas: list[tuple[str, str, str]] = list(kwargs.get("datas", []))
        self.pure: list[Any] = []
        self.scripts: list[Any] = []


_COLLECTED: dict[str, list[str]] = {}


def _run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    pytest.importorskip("PyInstaller", reason="PyInstaller is a packaging extra: pip install -e '.[package]'")
    import PyInstaller.utils.hooks as hooks

    real = hooks.collect_submodules

    def collect_once(package: str) -> list[str]:
        """PyInstaller's own, once per package for the file: it imports every submodule in a subprocess (2 s)."""
        if package not in _COLLECTED:
            _COLLECTED[package] = list(real(package))
        return _COLLECTED[package]

    monkeypatch.setattr(hooks, "collect_submodules", collect_once)
    names = {n: type(n, (_Recorder,), {}) for n in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    _Recorder.calls = {}
    monkeypatch.setattr(sys, "platform", platform)
    namespace: dict[str, Any] = {"SPECPATH": str(PACKAGING), "__file__": str(SPEC), **names}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102 (our own spec)
    return namespace


def test_spec_ships_every_data_file_where_the_app_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    ns = _run_spec("linux", monkeypatch)
    datas = {dest: Path(src) for src, dest in ns["DATAS"]}
    # vendor_eval.paths looks in sys._MEIPASS/resources and sys._MEIPASS/sample_data; Alembic in
    # vendor_eval/storage/migrations beside the frozen package.
    assert set(datas) == {"resources", "sample_data", "sample_data/questionnaires", "sample_data/scoresheets",
                          "vendor_eval/storage/migrations"}
    assert all(p.exists() for p in datas.values())
    assert (datas["resources"] / "templates" / "imaging_outsourcing.json").is_file()
    assert list((datas["vendor_eval/storage/migrations"] / "versions").glob("0001_*.py"))
    sample = json.loads(datas["sample_data"].read_text(encoding="utf-8"))
    for q in sample["questionnaires"]:  # the files load_demo imports ship with the build
        assert (datas["sample_data/questionnaires"] / Path(q["file"]).name).is_file()
    for sheet in sample["scoresheets"]:  # and the evaluator scoresheets it imports
        assert (datas["sample_data/scoresheets"] / Path(sheet["file"]).name).is_file()


def test_spec_builds_two_executables_and_trims_unused_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    ns = _run_spec("linux", monkeypatch)
    exes = {kw["name"]: kw["console"] for _a, kw in _Recorder.calls["EXE"]}
    assert exes == {"vendor-eval": False, "vendor-eval-cli": True}
    assert "BUNDLE" not in _Recorder.calls
    assert [b[0] for b in ns["gui"].binaries] == ["libQt6Core.so.6"]


def test_hidden_imports_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    ns = _run_spec("linux", monkeypatch)
    hidden = ns["HIDDEN"]
    for name in ("vendor_eval.cli.demo", "vendor_eval.services.demo", "sqlalchemy.dialects.sqlite", "alembic",
                 "logging.config"):
        assert name in hidden
    for name in hidden:
        assert importlib.util.find_spec(name) is not None, name


@pytest.mark.parametrize(("platform", "icon"), [("win32", "vendor-eval.ico"), ("darwin", "vendor-eval.icns")])
def test_spec_is_not_linux_only(platform: str, icon: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ns = _run_spec(platform, monkeypatch)
    assert ns["ICON_ARG"] == [str(ROOT / "resources" / "icons" / icon)]
    assert ("BUNDLE" in _Recorder.calls) == (platform == "darwin")


def test_icons_exist() -> None:
    icons = ROOT / "resources" / "icons"
    png = (icons / "vendor-eval.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 256  # 256 px wide
    assert (icons / "vendor-eval.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (icons / "vendor-eval.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "vendor-eval.icns").read_bytes()[:4] == b"icns"


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(PACKAGING / "vendor-eval.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Terminal"] == "false"
    assert section["Exec"].split()[0] == "vendor-eval"
    assert (ROOT / "resources" / "icons" / f"{section['Icon']}.png").is_file()
    assert section["Categories"].endswith(";")


def test_build_script_is_sound() -> None:
    script = PACKAGING / "build.sh"
    text = script.read_text(encoding="utf-8")
    assert os.access(script, os.X_OK)
    assert "set -euo pipefail" in text and "--self-test" in text and "QT_QPA_PLATFORM" in text
    bash = shutil.which("bash")
    if bash:
        assert subprocess.run([bash, "-n", str(script)], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(os.environ.get("VENDOR_EVAL_BUILD") != "1",
                    reason="building the frozen app takes minutes: run bash packaging/build.sh (or VENDOR_EVAL_BUILD=1)")
def test_frozen_build_passes_its_self_test() -> None:
    done = subprocess.run(["bash", str(PACKAGING / "build.sh")], cwd=ROOT, env={**os.environ, "PYTHON": sys.executable},
                          capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "self-test passed" in done.stdout
