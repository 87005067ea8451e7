"""The one background helper: off the UI thread for real, results and progress back on it, Cancel."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from vendor_eval.ui import tasks
from vendor_eval.ui.process_runner import run_process_task


@pytest.fixture
def threaded() -> Any:
    tasks.set_inline(False)
    yield
    assert tasks.wait_for_all(10_000)
    tasks.set_inline(True)


def test_work_runs_off_the_ui_thread_and_reports_back_on_it(qtbot, threaded: None) -> None:
    ui = threading.get_ident()
    seen: dict[str, Any] = {"progress": []}

    def work(progress: tasks.Progress) -> int:
        seen["worker"] = threading.get_ident()
        for i in range(3):
            progress(i, 3, f"step {i}")
        return 42

    task = tasks.run_task(work, lambda r: seen.update(result=r, done_on=threading.get_ident()),
                          on_progress=lambda d, t, m: seen["progress"].append((d, threading.get_ident())))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42 and task.done
    assert seen["worker"] != ui and seen["done_on"] == ui
    assert [d for d, _ in seen["progress"]] == [0, 1, 2] and {t for _, t in seen["progress"]} == {ui}


def test_cancel_stops_the_task_at_its_next_progress_report(qtbot, threaded: None) -> None:
    errors: list[BaseException] = []
    started = threading.Event()

    def slow(progress: tasks.Progress) -> None:
        started.set()
        for i in range(1000):
            progress(i, 1000, "")
            time.sleep(0.005)

    task = tasks.run_task(slow, lambda _r: None, errors.append)
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], tasks.Cancelled)


def double(progress: tasks.Progress, x: int) -> int:
    progress(1, 1, "child")
    return 2 * x


def test_process_task_returns_the_child_result(qtbot, threaded: None) -> None:
    box: dict[str, Any] = {}
    run_process_task(double, (21,), lambda r: box.setdefault("r", r), lambda e: box.setdefault("e", e),
                     lambda d, t, m: box.setdefault("progress", m))
    qtbot.waitUntil(lambda: "r" in box or "e" in box, timeout=60_000)
    assert box == {"r": 42, "progress": "child"}
