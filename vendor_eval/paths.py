"""Every path the application uses, in one place.

Nothing here touches the file system at import time; the data directory can be
overridden by VENDOR_EVAL_DATA_DIR (tests, portable installs) and the database by
--db on the command line.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "vendor_eval"


def data_dir() -> Path:
    override = os.environ.get("VENDOR_EVAL_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "vendor_eval.db"


def log_dir() -> Path:
    return data_dir() / "logs"


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database they protect, so --db files keep their own."""
    return db_path.parent / "backups"


def server_backup_dir() -> Path:
    """pg_dump files of shared PostgreSQL databases taken from this machine."""
    return data_dir() / "server-backups"


def _bundled(name: str) -> Path:
    """A data folder (resources/, sample_data/) wherever this install keeps it: a frozen build
    beside the executable, a wheel inside the package (setup.py copies it there), a checkout or
    editable install at the top of the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    packaged = Path(str(resources.files("vendor_eval"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def resources_dir() -> Path:
    return _bundled("resources")


def templates_dir() -> Path:
    return resources_dir() / "templates"


def sample_data_dir() -> Path:
    return _bundled("sample_data")
