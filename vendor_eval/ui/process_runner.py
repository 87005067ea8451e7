"""A task in a child process, for the few jobs that hold the GIL too long for a thread.

The child reports (done, total, text) and its result or error through a pipe; a QTimer on the
UI thread polls the pipe, so the UI thread never waits. Started with "spawn": a forked copy of
a running Qt application is not safe.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer

from vendor_eval.ui.tasks import Cancelled, Progress, Task, is_inline, run_task, track

POLL_MS = 30


def _child(conn: Any, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = target(Progress(lambda d, t, m: conn.send(("progress", (d, t, m)))), *args)
        conn.send(("done", result))
    except BaseException as exc:  # noqa: BLE001 - sent back to the UI thread, which decides
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", RuntimeError("".join(traceback.format_exception(exc)))))
    finally:
        conn.close()


class ProcessTask(Task):
    def __init__(self, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__(lambda _p: None)
        ctx = multiprocessing.get_context("spawn")
        self._conn, child_conn = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(child_conn, target, args), daemon=True)
        self._child_conn = child_conn
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        self._process.start()
        self._child_conn.close()
        self._timer.start()

    def cancel(self) -> None:
        self.terminate()
        self._finish_failed(Cancelled())

    def terminate(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)

    def _poll(self) -> None:
        try:
            while self._conn.poll():
                kind, payload = self._conn.recv()
                if kind == "progress":
                    self.progressed.emit(*payload)
                elif kind == "done":
                    self._stop()
                    self.done = True
                    self.finished.emit(payload)
                    return
                else:
                    self._finish_failed(payload)
                    return
        except (EOFError, OSError):
            self._finish_failed(RuntimeError("The background process ended without a result; see the log."))
            return
        if not self._process.is_alive() and not self._conn.poll():
            self._finish_failed(RuntimeError(f"The background process stopped (exit code {self._process.exitcode})."))

    def _stop(self) -> None:
        # No join here: the child may take a while to tear down its interpreter, and the UI
        # thread must not wait for that (it is a daemon; multiprocessing reaps it).
        self._timer.stop()
        self._conn.close()

    def _finish_failed(self, exc: BaseException) -> None:
        if self.done:
            return
        self._timer.stop()
        self.done = True
        self.failed.emit(exc)


def run_process_task(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    """Like run_task, for work that holds the GIL for long stretches (report rendering: reportlab and
    the C JSON encoder block other threads for up to half a second). ``target(progress, *args)`` must be
    a module-level function with picklable arguments; it runs in a child process, so the UI thread is
    never starved. Cancel terminates the child (reports are written to a temporary file first)."""
    if is_inline():
        return run_task(lambda progress: target(progress, *args), on_done, on_error, on_progress)
    task = track(ProcessTask(target, args), on_done, on_error, on_progress)
    task.start()
    return task
