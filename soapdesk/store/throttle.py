"""Back-off after repeated wrong passphrases (T13).

In-process only: a delay before each attempt once more than FREE_ATTEMPTS
have failed, doubling up to a cap. The GUI unlocks off the main thread, so
sleeping here keeps the window responsive. `sleep` and `clock` are
injectable for tests.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

FREE_ATTEMPTS = 5
BASE_DELAY_S = 1.0
MAX_DELAY_S = 30.0


class Throttle:
    def __init__(self, sleep: Callable[[float], None] = time.sleep):
        self._sleep = sleep
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def failures(self, key: str) -> int:
        with self._lock:
            return self._failures.get(key, 0)

    def delay_for(self, key: str) -> float:
        n = self.failures(key) - FREE_ATTEMPTS
        if n < 0:
            return 0.0
        return min(MAX_DELAY_S, BASE_DELAY_S * (2 ** n))

    def before_attempt(self, key: str) -> None:
        delay = self.delay_for(key)
        if delay:
            self._sleep(delay)

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures[key] = self._failures.get(key, 0) + 1

    def succeeded(self, key: str) -> int:
        """Reset the counter; returns how many attempts had failed (for the audit log)."""
        with self._lock:
            return self._failures.pop(key, 0)


DEFAULT = Throttle()
