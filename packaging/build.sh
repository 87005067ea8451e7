#!/usr/bin/env bash
# Build the one-folder desktop app (dist/vendor-eval/) and smoke-test it.
#
#     bash packaging/build.sh            (PYTHON=path/to/python to choose the interpreter)
#
# Needs PyInstaller in that Python (pip install -e ".[package]"). Works on Linux, macOS and
# Windows (Git Bash). The smoke test runs the frozen `vendor-eval --self-test` offscreen
# with a throw-away data directory: it loads the sample RFP into a temporary database,
# ranks it, writes a PDF and an Excel report and must exit 0. It prints the folder's
# size and the self-test's wall-clock time.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/vendor_eval.spec

APP=dist/vendor-eval/vendor-eval
[ -f "$APP.exe" ] && APP="$APP.exe"
[ -x "$APP" ] || { echo "build.sh: $APP was not built" >&2; exit 1; }

"$PY" - "$APP" <<'PYEOF'
import os, subprocess, sys, tempfile, time
from pathlib import Path

app = Path(sys.argv[1])
size = sum(p.stat().st_size for p in app.parent.rglob("*") if p.is_file() and not p.is_symlink())
print(f"onedir: {app.parent} {size / 1e6:.0f} MB")
with tempfile.TemporaryDirectory() as data:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOR_EVAL_DATA_DIR": data}
    start = time.perf_counter()
    done = subprocess.run([str(app), "--self-test"], env=env, timeout=600)
    seconds = time.perf_counter() - start
print(f"self-test: exit {done.returncode} in {seconds:.1f} s")
sys.exit(done.returncode)
PYEOF
