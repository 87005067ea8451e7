"""Backups of a PostgreSQL database with the server's own tools, pg_dump and pg_restore.

The password goes to them through PGPASSWORD, never on their command line (which any
user of the machine can read in the process list). A dump is written under a temporary
name and renamed when complete, as the SQLite backups are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from vendor_eval.errors import StorageError

TIMEOUT_S = 3600

ServerURL = URL  # what services name a server's address by, without importing SQLAlchemy themselves


def server_url(url_text: str) -> URL | None:
    """The URL of a PostgreSQL database, or None for anything else (a file)."""
    url = make_url(url_text)
    return url if url.get_backend_name() == "postgresql" else None


def tool(name: str) -> Path:
    """pg_dump or pg_restore: on the PATH, else Debian's newest PostgreSQL bin folder."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return candidates[-1]
    raise StorageError(f"{name} is not installed: install PostgreSQL's client programs (Debian: apt-get install "
                       "postgresql-client), or rely on the hospital's own backups of the server.")


def _conninfo(url: URL) -> tuple[str, dict[str, str]]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StorageError(f"{what} failed: {exc}.") from exc
    if done.returncode != 0:
        first = next((line for line in done.stderr.splitlines() if line.strip()), f"exit code {done.returncode}")
        raise StorageError(f"{what} failed: {first.strip()}")


def dump(url: URL, target: Path) -> Path:
    conninfo, env = _conninfo(url)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the backup folder {target.parent}: {exc.strerror}.") from exc
    try:
        _run([str(tool("pg_dump")), "--format=custom", "--file", str(partial), "--dbname", conninfo], env,
             f"Backing up {url.database} with pg_dump")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(url: URL, source: Path) -> None:
    """Replace the database's content with the dump, in one transaction (all or nothing)."""
    if not source.is_file():
        raise StorageError(f"The backup {source} does not exist.")
    conninfo, env = _conninfo(url)
    _run([str(tool("pg_restore")), "--clean", "--if-exists", "--single-transaction", "--dbname", conninfo,
          str(source)], env, f"Restoring {url.database} from {source.name} with pg_restore")
