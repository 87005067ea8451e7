"""Work around PySide6 bugs that would otherwise crash the app; each is detected before it is fixed.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True``/``False`` without taking a reference, so
every signal emitted from Python drops one reference to a bool. Python 3.11 frees an object when its
count reaches zero, and freeing ``True`` aborts the process ("bool_dealloc: deallocating True or
False") after some thousands of emits: a long session, or the test suite, dies at a random edit.
Python 3.12 made the bools immortal; here we do the same by giving them a reference count no run
can exhaust. Only applied when a probe emit shows the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_RESERVE = 1 << 40  # a trillion emits


class _Probe(QObject):
    fired = Signal()


def emit_drops_bool_references() -> bool:
    probe = _Probe()
    probe.fired.connect(lambda: None)
    before = sys.getrefcount(True) + sys.getrefcount(False)
    for _ in range(10):
        probe.fired.emit()
    return sys.getrefcount(True) + sys.getrefcount(False) < before - 5


def protect_bools() -> None:
    if sys.version_info >= (3, 12) or not emit_drops_bool_references():
        return
    for value in (True, False):
        if sys.getrefcount(value) < _RESERVE:
            # ob_refcnt is the first field of every CPython object.
            ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE


protect_bools()
