"""What starting vendor-eval-cli costs: each command in a new process, as a user or a script runs it.

`--help` beside a bare `python -c pass` (nothing can start faster), and `rank` and
`evaluations` on the sample RFP beside `python -c "import sqlalchemy.orm, numpy"` (the two
libraries a command on the database cannot do without), as CPU seconds of the child process
(user + system: another process's load on a shared machine disturbs it least) and as ratios.
Each command runs --runs times in turns with its floor; the least disturbed run is reported.

With --no-bytecode the modules are compiled on every start (PYTHONDONTWRITEBYTECODE=1, as some
environments set); by default compiled modules are cached in a temporary folder, as an
installed package has them.

    python bench/bench_cli_startup.py [--runs 7] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vendor_eval.services.demo import load_demo  # noqa: E402
from vendor_eval.storage import open_database  # noqa: E402

NOTHING = [sys.executable, "-c", "pass"]
DATABASE_FLOOR = [sys.executable, "-c", "import sqlalchemy.orm, numpy"]


def entry_point() -> list[str]:
    """The installed console script, else the module (a checkout without pip install -e)."""
    script = Path(sys.executable).with_name("vendor-eval-cli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vendor_eval.cli"]


def cpu_and_wall(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one run of command in its own process."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module on every start")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.db"
        db = open_database(sample)
        evaluation = load_demo(db)
        db.dispose()
        env = {**os.environ, "VENDOR_EVAL_DATA_DIR": tmp}  # the daily backup of an open goes to the temporary folder
        if options.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        cli = entry_point()
        cases = [
            ("--help", [*cli, "--help"], "python -c pass", NOTHING),
            (f"rank {evaluation}", [*cli, "rank", str(evaluation), "--db", str(sample)],
             "import sqlalchemy.orm, numpy", DATABASE_FLOOR),
            ("evaluations", [*cli, "evaluations", "--db", str(sample)], "import sqlalchemy.orm, numpy", DATABASE_FLOOR),
        ]
        for _, command, _, floor in cases:  # a first run of each fills the bytecode cache
            cpu_and_wall(command, env), cpu_and_wall(floor, env)
        mode = "compiling every module on every start" if options.no_bytecode else "with compiled bytecode"
        print(f"vendor-eval-cli start-up ({mode}); best of {options.runs} runs, CPU seconds (wall)")
        for label, command, floor_label, floor in cases:
            runs = [(cpu_and_wall(command, env), cpu_and_wall(floor, env)) for _ in range(options.runs)]
            (cpu, wall), (floor_cpu, floor_wall) = min(r[0] for r in runs), min(r[1] for r in runs)
            print(f"  {label:<14} {cpu:5.2f} s ({wall:4.2f})   floor {floor_label!r}: {floor_cpu:5.2f} s "
                  f"({floor_wall:4.2f})   ratio {cpu / floor_cpu:4.1f}x")


if __name__ == "__main__":
    main()
