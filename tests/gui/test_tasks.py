"""The background-task helper: work off the UI thread, past-tense signals, cancel."""

from __future__ import annotations

import threading

import pytest

from soapdesk.core.errors import Cancelled
from soapdesk.gui.tasks import Lane, SyncLane


def test_lane_runs_off_the_ui_thread_and_reports_on_it(qtbot):
    lane = Lane("test")
    ui = threading.get_ident()
    seen = []

    def work(cancel, report):
        report(threading.get_ident())
        return 42

    done = []
    lane.submit(work, progressed=seen.append, finished=done.append)
    qtbot.waitUntil(lambda: done == [42], timeout=5000)
    assert seen and seen[0] != ui
    lane.wait()


def test_lane_is_serial_and_cancel_reaches_the_work(qtbot):
    lane = Lane("test")
    order = []
    started = threading.Event()

    def slow(cancel, report):
        started.set()
        order.append("slow")
        if cancel.wait(5):
            raise Cancelled()

    first = lane.submit(slow)
    second = lane.submit(lambda c, r: order.append("second"))
    assert started.wait(5)
    with qtbot.waitSignal(first.failed, timeout=5000) as blocker:
        first.cancel()
    assert isinstance(blocker.args[0], Cancelled)
    qtbot.waitUntil(lambda: order == ["slow", "second"], timeout=5000)
    assert not lane.busy or lane.wait(5000)


def test_sync_lane_runs_at_once_with_slots_connected():
    got = []
    SyncLane().submit(lambda c, r: r("x") or 1, progressed=got.append, finished=got.append)
    assert got == ["x", 1]
    errs = []
    SyncLane().submit(lambda c, r: 1 / 0, failed=errs.append)
    assert isinstance(errs[0], ZeroDivisionError)


def test_no_qt_in_core_or_store():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "soapdesk"
    for pkg in ("core", "store"):
        for f in (root / pkg).rglob("*.py"):
            assert "PySide6" not in f.read_text(encoding="utf-8"), f


@pytest.mark.parametrize("module", ["workflow", "recording", "context", "asr_process", "warmup"])
def test_gui_domain_modules_are_qt_free(module):
    import pathlib

    text = (pathlib.Path(__file__).resolve().parents[2] / "soapdesk" / "gui" / f"{module}.py").read_text()
    assert "PySide6" not in text
