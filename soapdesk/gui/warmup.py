"""One-time loading of the note checks' rule engines, done while the unlock spinner shows.

`soapdesk.core.review.warm_up` loads medspaCy and the ICD-10-CM table in a
thread when drafting starts; that froze the window for up to ~1.6 s, so the
load was moved here, to the first unlock, in parallel with the passphrase's
key derivation (which releases the GIL). Later unlocks find it loaded.

Loading in a thread only keeps the window live if the thread gives the GIL
back often. Measured with benchmarks/gui_bench.py and a faulthandler
watchdog, two things did not (up to 0.7 s stalls under the spinner):

- the garbage collector: the load creates ~800k long-lived objects, so
  CPython ran ~10 full collections during it, each a single GIL-holding pass
  over the whole heap (40-190 ms, growing with the heap). Collection is off
  while loading and the loaded objects are then frozen (`gc.freeze`): they
  live as long as the process, and later full collections — while
  transcribing or drafting — no longer walk them (a full pass over them
  costs ~0.2 s). Only ~8k unreachable objects (~1 MB) are frozen with them.
- simple_icd_10_cm parses its 9.7 MB code-set XML at import in one
  `ET.fromstring` C call (~0.15 s quiet, 0.2-0.6 s on a busy machine). The
  same parser fed in 64 KB slices builds the same tree and lets the GIL go
  between slices (`_import_icd_codes`).
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time

from soapdesk.gui import ui_thread_gc

log = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_done = threading.Event()
seconds: float | None = None
SLICE_CHARS = 1 << 16


def _sliced_fromstring(text, parser=None):
    """`xml.etree.ElementTree.fromstring`, fed in slices so other threads run between them."""
    import xml.etree.ElementTree as ET

    if parser is None:
        parser = ET.XMLParser(target=ET.TreeBuilder())
    for i in range(0, len(text), SLICE_CHARS):
        parser.feed(text[i:i + SLICE_CHARS])
    return parser.close()


def _import_icd_codes() -> None:
    """Import simple_icd_10_cm with its import-time XML parse done in slices.

    The library calls `ET.fromstring` once, from its module body; for the
    length of that import the module attribute points at the sliced
    equivalent (same tree, same errors), then it is put back."""
    if "simple_icd_10_cm" in sys.modules:
        return
    import xml.etree.ElementTree as ET

    original = ET.fromstring
    ET.fromstring = _sliced_fromstring
    try:
        import simple_icd_10_cm  # noqa: F401
    finally:
        ET.fromstring = original


def _load() -> None:
    global seconds
    t0 = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()  # see the module docstring: no full collections while the heap grows,
    try:
        with ui_thread_gc.paused():  # nor from the window's UI-thread collector
            try:
                from soapdesk.core import billing, context_rules

                _import_icd_codes()
                context_rules.nlp()
                billing._icd_index()
            except Exception as exc:  # noqa: BLE001 - best effort; the checks load on demand otherwise
                log.warning("check warm-up failed: %s", type(exc).__name__)
            finally:
                gc.freeze()  # everything loaded so far stays for the process's life: stop scanning it
    finally:
        if collecting:
            gc.enable()
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
