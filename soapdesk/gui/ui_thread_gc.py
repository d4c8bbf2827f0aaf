"""Python's cycle collector, run on the UI thread only.

CPython collects reference cycles in whichever thread happens to allocate
when a generation's threshold is crossed. In the window that is often a
worker (transcribing, drafting, checking a draft), and a cycle that holds a
Qt object is then torn down off the UI thread, which Qt does not allow. It
crashed `make test` once: a segmentation fault "Garbage-collecting" inside
the draft-check worker while the UI thread ran the event loop
(tests/gui/test_workflow_e2e.py). The usual cure in PySide/PyQt apps
(pyqtgraph's GarbageCollector does the same): switch automatic collection
off and collect from a timer on the UI thread, with CPython's own
generation thresholds. Plain reference counting still frees everything that
is not in a cycle, at once and in any thread.

`soapdesk.gui.warmup` pauses these collections while it loads the checks'
rule engines (~800k long-lived objects, then frozen): a full collection over
that growing heap, now on the UI thread, held the unlock spinner still for
80-220 ms.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250

_collector: _Collector | None = None
_pause_lock = threading.Lock()
_pauses = 0


@contextmanager
def paused():
    """No collections from the timer while this is open (any thread may open it)."""
    global _pauses
    with _pause_lock:
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1


class _Collector(QObject):
    def __init__(self, interval_ms: int):
        super().__init__()
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start(interval_ms)

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold, as CPython would."""
        counts = gc.get_count()
        if _pauses or counts[0] <= self.threshold[0]:
            return None
        generation = 2 if counts[2] > self.threshold[2] else 1 if counts[1] > self.threshold[1] else 0
        gc.collect(generation)
        return generation


def install(interval_ms: int = INTERVAL_MS) -> _Collector:
    """Turn automatic collection off and collect on this (the UI) thread from now on; once per process."""
    global _collector
    if _collector is None:
        gc.disable()
        _collector = _Collector(interval_ms)
    return _collector
