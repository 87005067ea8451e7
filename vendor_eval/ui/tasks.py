"""The one helper for background work (see STYLE.md principle 3).

A task is a plain function ``fn(progress) -> result`` that must not touch widgets; it runs in
QThreadPool and its progress, result and error come back on the UI thread through signals.
Tests switch the helper to inline mode, so the same code runs synchronously and deterministically.
Work that holds the GIL too long for a thread runs in a child process: process_runner.run_process_task.
Saves, and the reads that must see them, run one at a time in submission order (``serial=True``):
a later edit or reload never overtakes an earlier save.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

_inline = False


def set_inline(inline: bool) -> None:
    """Tests call this: tasks then run at once on the calling thread."""
    global _inline
    _inline = inline


def is_inline() -> bool:
    return _inline


class Cancelled(Exception):
    """Raised inside a task (by Progress.report) when the user pressed Cancel."""


class Progress:
    """Handed to the task function: report progress, and notice a cancel request."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.report(done, total, text)

    def report(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class Task(QObject):
    """Signals of one running task. Keep a reference until finished/failed arrives."""

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)  # the exception (Cancelled when the user cancelled)

    def __init__(self, fn: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.progress = Progress(self.progressed.emit)
        self.done = False

    def cancel(self) -> None:
        self.progress.cancel()

    def _run(self) -> None:
        # Runs on a pool thread (or inline): emit only, never touch widgets.
        try:
            result = self._fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, which decides
            if not isinstance(exc, Cancelled):
                log.debug("task failed", exc_info=exc)
            self.done = True
            self.failed.emit(exc)
            return
        self.done = True
        self.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


_running: set[Task] = set()
_serial: QThreadPool | None = None


def _serial_pool() -> QThreadPool:
    """One thread, first in first out: the order of the saves is the order of the user's edits."""
    global _serial
    if _serial is None:
        _serial = QThreadPool()
        _serial.setMaxThreadCount(1)
        _serial.setExpiryTimeout(-1)  # keep the thread: starting one per keystroke costs time
    return _serial


def run_task(
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    serial: bool = False,
) -> Task:
    """Run fn off the UI thread; callbacks run on the UI thread. Returns the Task (cancel(), signals).
    serial: after every serial task started before it (saves and the reloads that follow them)."""
    task = track(Task(fn), on_done, on_error, on_progress)
    if _inline:
        task._run()
    else:
        (_serial_pool() if serial else QThreadPool.globalInstance()).start(_Runnable(task))
    return task


def track(task: Any, on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
          on_progress: Callable[[int, int, str], None] | None) -> Any:
    """Connect the callbacks; the module keeps the task alive until it reports, so callers may
    drop their reference."""
    if on_progress is not None:
        task.progressed.connect(on_progress)
    if on_done is not None:
        task.finished.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    _running.add(task)
    task.finished.connect(lambda _r: _running.discard(task))
    task.failed.connect(lambda _e: _running.discard(task))
    return task


def wait_for_all(msecs: int = 30_000) -> bool:
    """Block until the pool is idle and child processes ended (app shutdown, test teardown)."""
    for task in list(_running):
        stop = getattr(task, "terminate", None)
        if stop is not None:
            stop()
    serial = _serial is None or _serial.waitForDone(msecs)
    return QThreadPool.globalInstance().waitForDone(msecs) and serial
