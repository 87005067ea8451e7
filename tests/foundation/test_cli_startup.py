"""The CLI starts light: building the parser (every run, --help included) imports no heavy
library, and a command on a database already at head does not import Alembic.
(bench/bench_cli_startup.py measures the time; these tests keep the imports that cost it away.)"""

from __future__ import annotations

import json
import subprocess
import sys

from vendor_eval.storage import Database

HEAVY = ("sqlalchemy", "alembic", "mako", "numpy", "pandas", "openpyxl", "reportlab", "psycopg", "shtab", "PySide6")

# In a new process (this one has imported everything): which heavy libraries are loaded after
# building the parser, and after running `evaluations` on a database at head.
PROBE = """
import json, sys
from vendor_eval.cli import build_parser, main
heavy = {heavy!r}
loaded = lambda: sorted(m for m in heavy if m in sys.modules)
build_parser()
after_parser = loaded()
code = main(["evaluations", "--db", sys.argv[1]])
print(json.dumps({{"parser": after_parser, "command": loaded(), "code": code}}))
"""


def test_the_parser_imports_no_heavy_library_and_an_open_at_head_no_alembic(db: Database, imaging_eval: int) -> None:
    assert db.path is not None
    db.dispose()
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), str(db.path)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["parser"] == []
    assert found["code"] == 0 and "sqlalchemy" in found["command"]  # the command did open the database
    assert "alembic" not in found["command"] and "mako" not in found["command"]

