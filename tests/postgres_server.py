"""A throwaway PostgreSQL server for the tests and benchmarks: Debian's binaries, a temporary
data directory, password authentication (scram-sha-256, never trust), a loopback port.

The server refuses to run as root, so as root it runs as the `postgres` user (runuser).

A test session shares one server between its pytest-xdist workers (`shared`): the first worker
that needs it starts it under a lock file and leaves its address in the session's folder, the
others connect to it, and the process that owns the session stops it (`stop_shared`). A
server whose session was killed before its end is stopped by the next session that starts
one (`stop_orphans`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from vendor_eval.storage.migrate import migration_lock  # a lock file the kernel releases when its process ends

SUPERUSER = "vetest"
PREFIX = "vendor-eval-pg-"  # the data folders, in the system's temporary folder
OWNER = "owner.pid"  # in a data folder: the process whose end the server must not outlive


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

    def stop(self, mode: str = "fast") -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({**asdict(self), "bin": str(self.bin), "folder": str(self.folder)}))

    @classmethod
    def load(cls, path: Path) -> Server:
        fields = json.loads(path.read_text())
        return cls(**{**fields, "bin": Path(fields["bin"]), "folder": Path(fields["folder"])})

    def running(self) -> bool:
        """Does the postmaster of this data folder still run?"""
        pid_file = self.folder / "data" / "postmaster.pid"
        try:
            return _alive(int(pid_file.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_orphans() -> None:
    """Stop the servers whose owner process is gone (a session killed before its end)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not made by start(owner=...), or half made: not ours to judge
        if not _alive(owner):
            bin_dir = binaries()
            try:
                if bin_dir is not None:
                    Server(bin_dir, folder, 0, "").stop("immediate")  # a throwaway: no clean shutdown needed
            except subprocess.CalledProcessError:
                pass  # it was not running
            shutil.rmtree(folder, ignore_errors=True)


def shared(folder: Path, owner: int) -> Server:
    """The server of the session whose folder this is: started by the first caller, which
    records its address there for the others. `owner` is the process that stops it."""
    with migration_lock(folder / "postgres"):
        address = folder / "postgres.json"
        if address.exists() and (server := Server.load(address)).running():
            return server
        stop_orphans()
        server = start(owner)
        server.save(address)
        return server


def stop_shared(folder: Path) -> None:
    """Stop the session's server, if one was started."""
    with migration_lock(folder / "postgres"):
        address = folder / "postgres.json"
        if address.exists():
            server = Server.load(address)
            address.unlink()
            if server.running():
                server.stop()
            else:  # it died during the session (its tests said so): only its folder is left
                shutil.rmtree(server.folder, ignore_errors=True)


def start(owner: int | None = None) -> Server:
    """initdb + pg_ctl start; about 1-3 s. The caller stops it; should the `owner` process end
    first, the next session's `shared` stops it (stop_orphans).

    Another process may take the port the system handed out before the server binds it, so
    a failed start tries the next free port (twice more)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb) on this machine")
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    if owner is not None:
        (folder / OWNER).write_text(str(owner))
    password = secrets.token_hex(12)
    (folder / "pw").write_text(password)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    server = Server(bin_dir, folder, _free_port(), password)
    try:
        # No durability: the data directory is thrown away after the session (no autovacuum
        # either: a test's database lives a few seconds).
        server._run("initdb", "-D", str(folder / "data"), "-A", "scram-sha-256", "-U", SUPERUSER,
                    "--pwfile", str(folder / "pw"), "-E", "UTF8", "--locale", "C", "--no-sync")
        for attempt in range(3):
            options = (f"-k {folder} -p {server.port} -c listen_addresses=127.0.0.1 -c max_connections=100"
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off")
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
