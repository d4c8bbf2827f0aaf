"""A bounded queue in front of the one drafting lane.

llama.cpp runs one generation at a time, so requests wait their turn. When
more jobs wait than configured, a new request is refused at once with a
Retry-After estimate instead of hanging for minutes.
"""

from __future__ import annotations

import threading
import time

from soapdesk.core.errors import SoapDeskError


class QueueFull(SoapDeskError):
    code = "busy"

    def __init__(self, retry_after_s: int):
        super().__init__("The note engine is busy with other requests; try again shortly.")
        self.retry_after_s = retry_after_s


class JobGate:
    def __init__(self, max_waiting: int = 8):
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._in_system = 0  # running + waiting
        self._avg_s = 20.0

    def slot(self) -> "_Slot":
        """`with gate.slot():` around one job; raises QueueFull when too many wait."""
        with self._lock:
            if self._in_system > self.max_waiting:  # one running plus max_waiting queued
                raise QueueFull(max(1, int(self._avg_s * (self._in_system - self.max_waiting))))
            self._in_system += 1
        return _Slot(self)

    def _done(self, seconds: float) -> None:
        with self._lock:
            self._in_system -= 1
            self._avg_s = 0.8 * self._avg_s + 0.2 * seconds

    @property
    def in_system(self) -> int:
        return self._in_system


class _Slot:
    def __init__(self, gate: JobGate):
        self.gate = gate
        self.t0 = time.perf_counter()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.gate._done(time.perf_counter() - self.t0)
