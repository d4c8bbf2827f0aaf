"""Cycles are collected on the UI thread, never in a worker (a worker-thread
collection of a cycle holding a Qt object crashed the whole test run once)."""

import gc
import threading

from soapdesk.gui import ui_thread_gc


N = 2000


class _Cycle:
    """A reference cycle that records which thread finally destroyed it."""

    deleted_in: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        _Cycle.deleted_in.append(threading.current_thread().name)


def test_cycles_made_in_a_worker_are_collected_on_the_ui_thread(qtbot):
    collector = ui_thread_gc.install()
    assert ui_thread_gc.install() is collector  # once per process
    assert not gc.isenabled()
    _Cycle.deleted_in.clear()

    def worker():
        # Well past the first generation's threshold (700 allocations): with automatic
        # collection, most of these would be destroyed here, in the worker.
        for _ in range(N):
            _Cycle()

    t = threading.Thread(target=worker, name="worker")
    t.start()
    t.join()
    assert _Cycle.deleted_in == []  # nothing collected in the worker
    qtbot.waitUntil(lambda: len(_Cycle.deleted_in) == N, timeout=10_000)
    assert set(_Cycle.deleted_in) == {threading.main_thread().name}


def test_the_window_installs_it(window):
    assert not gc.isenabled()


def test_no_collection_while_paused(qtbot):
    # The checks' warm-up pauses it: a full pass over the heap it is growing held the UI still.
    collector = ui_thread_gc.install()
    for _ in range(N):
        _Cycle()
    with ui_thread_gc.paused():
        assert collector.collect_due() is None
    assert collector.collect_due() is not None
