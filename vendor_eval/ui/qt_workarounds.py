"""Work around PySide6 bugs that would otherwise crash the app; each is detected before it is fixed.

PySide6 6.12.0 drops references it does not own: ``SignalInstance.emit()`` returns ``True``/``False``
without taking a reference, and a Python slot's return value (``None``, almost always) is released
once too often when a signal calls it. So every signal drops a reference to a bool or to ``None``.
Python 3.11 frees an object when its count reaches zero, and freeing ``None`` or ``True`` aborts the
process ("none_dealloc: deallocating None") after some thousands of signals: a long session, or the
test suite, dies at a random edit. Python 3.12 made these objects immortal; here we do the same by
giving them a reference count no run can exhaust. Applied only when a probe shows the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_RESERVE = 1 << 40  # a trillion signals


class _Probe(QObject):
    fired = Signal()


def signals_drop_references() -> bool:
    probe = _Probe()
    probe.fired.connect(lambda: None)
    before = sys.getrefcount(True) + sys.getrefcount(False) + sys.getrefcount(None)
    for _ in range(10):
        probe.fired.emit()
    return sys.getrefcount(True) + sys.getrefcount(False) + sys.getrefcount(None) < before - 5


def protect_singletons() -> None:
    if sys.version_info >= (3, 12) or not signals_drop_references():
        return
    for value in (True, False, None):
        if sys.getrefcount(value) < _RESERVE:
            # ob_refcnt is the first field of every CPython object.
            ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE


protect_singletons()
