"""A throwaway PostgreSQL server for the tests and benchmarks: Debian's binaries, a temporary
data directory, password authentication (scram-sha-256, never trust), a loopback port.

The server refuses to run as root, so as root it runs as the `postgres` user (runuser).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "vetest"


def binaries() -> Path | None:
    """The newest PostgreSQL bin folder on this machine, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    bin: Path
    folder: Path
    port: int
    password: str

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql+psycopg://{user}:{secret}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """initdb + pg_ctl start; about 3 s. The caller stops it.

    Each pytest-xdist worker starts its own: a data directory of its own and a port the
    system hands out. Another process may take that port before the server binds it, so
    a failed start tries the next free port (twice more)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb) on this machine")
    folder = Path(tempfile.mkdtemp(prefix="vendor-eval-pg-"))
    password = secrets.token_hex(12)
    (folder / "pw").write_text(password)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    server = Server(bin_dir, folder, _free_port(), password)
    try:
        # No durability: the data directory is thrown away after the session.
        server._run("initdb", "-D", str(folder / "data"), "-A", "scram-sha-256", "-U", SUPERUSER,
                    "--pwfile", str(folder / "pw"), "-E", "UTF8", "--locale", "C", "--no-sync")
        for attempt in range(3):
            options = (f"-k {folder} -p {server.port} -c listen_addresses=127.0.0.1 -c max_connections=100"
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            try:
                server._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"),
                            "-w", "start")
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                server.port = _free_port()
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr or exc.stdout}{log[-1000:]}") from exc
    return server
