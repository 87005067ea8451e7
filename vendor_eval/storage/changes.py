"""Other people's changes: a watcher that reports, from its own thread, which evaluation
changed and its audit head after the change.

Every change is audited, so an evaluation's audit sequence number is its change counter.
On PostgreSQL each write transaction sends a notice at commit (Database.write) and the
watcher LISTENs on a connection of its own; on a SQLite file it polls the counters.
The callback runs on the watcher's thread: a GUI passes a function that emits a Qt signal
and reloads on the UI thread. Changes committed through the watched Database handle itself
(this window's own saves) are not reported unless own=True.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy import func, select

from vendor_eval.storage.database import CHANGES_CHANNEL, Database, is_postgresql
from vendor_eval.storage.models import AuditEvent

OnChange = Callable[[int, int], None]  # (evaluation id, audit head seq)
log = logging.getLogger(__name__)


class ChangeWatcher:
    def __init__(self, db: Database, on_change: OnChange, interval: float = 0.25, own: bool = False):
        self._db = db
        self._report = on_change
        self._own = own
        self._interval = interval
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vendor_eval-changes", daemon=True)

    def start(self) -> None:
        """Returns once the watcher is listening: nothing committed after this is missed."""
        self._thread.start()
        self._ready.wait(timeout=10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _on_change(self, evaluation: int, seq: int) -> None:
        if self._own or self._db.own_heads.get(evaluation) != seq:
            self._report(evaluation, seq)

    def _run(self) -> None:
        try:
            if is_postgresql(self._db.engine):
                self._listen()
            else:
                self._poll()
        except Exception:  # a lost server must not take the window down; it is logged, and stops watching
            log.exception("Watching %s for changes stopped", self._db.where)
        finally:
            self._ready.set()

    def _listen(self) -> None:
        url = self._db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
            self._ready.set()
            while not self._stop.is_set():
                for notice in conn.notifies(timeout=self._interval):
                    evaluation, _, seq = notice.payload.partition(":")
                    self._on_change(int(evaluation), int(seq))

    def _heads(self) -> dict[int, int]:
        with self._db.read() as s:
            rows = s.execute(select(AuditEvent.evaluation_id, func.max(AuditEvent.seq)).group_by(AuditEvent.evaluation_id))
            return {int(e): int(seq) for e, seq in rows}

    def _poll(self) -> None:
        seen = self._heads()
        self._ready.set()
        while not self._stop.wait(self._interval):
            now = self._heads()
            for evaluation, seq in now.items():
                if seen.get(evaluation) != seq:
                    self._on_change(evaluation, seq)
            seen = now
