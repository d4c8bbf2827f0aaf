"""One-time loading of the note checks' rule engines, done while the unlock spinner shows.

`soapdesk.core.review.warm_up` loads medspaCy and the ICD-10-CM table in a
thread when drafting starts. Measured with benchmarks/gui_bench.py, that
froze the window for up to ~0.9-1.6 s: simple_icd_10_cm parses its code-set
XML in one `XMLParser.feed` C call (0.2-0.6 s holding the GIL, longer on a
busy machine) and spaCy's compiled modules initialise without releasing it
either. No thread can make those calls interruptible, so they are moved to
where nobody is waiting on the window: the first unlock, in parallel with
the passphrase's key derivation (which releases the GIL), before the
workspace appears. Later unlocks find them loaded.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_done = threading.Event()
seconds: float | None = None


def _load() -> None:
    global seconds
    t0 = time.perf_counter()
    try:
        from soapdesk.core import billing, context_rules

        context_rules.nlp()
        billing._icd_index()
    except Exception as exc:  # noqa: BLE001 - best effort; the checks load on demand otherwise
        log.warning("check warm-up failed: %s", type(exc).__name__)
    finally:
        seconds = time.perf_counter() - t0
        _done.set()
        log.info("note checks ready in %.2f s", seconds)


def start() -> None:
    """Begin loading (once per process); returns at once."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_load, name="checks-warmup", daemon=True)
            _thread.start()


def ready() -> bool:
    return _done.is_set()


def wait(timeout: float | None = 30.0) -> bool:
    """Start if needed and block (a worker thread, never the UI) until loaded."""
    start()
    return _done.wait(timeout)
