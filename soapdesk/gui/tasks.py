"""Background work: one serial lane per heavy model (Picard's run_task, Buzz's past-tense signals).

    task = lanes.asr.submit(lambda cancel, report: pipeline.transcribe(..., cancel=cancel),
                            progressed=on_progress, finished=on_done, failed=on_error)

The function runs on the lane's only worker thread with a `threading.Event`
(cancel) and a `report(payload)` callable; every report arrives on the UI
thread as `progressed(payload)`. `SyncLane` runs work immediately in the
caller's thread, for tests of code that submits work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

Work = Callable[[threading.Event, Callable[[Any], None]], Any]


class Task(QObject):
    started = Signal()
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, name: str, fn: Work, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.fn = fn
        self.cancel_event = threading.Event()
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.result: Any = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def run(self) -> None:
        """Runs on the worker: never raises, always sets `done`."""
        self.started.emit()
        try:
            self.result = self.fn(self.cancel_event, self.progressed.emit)
        except BaseException as exc:  # noqa: BLE001 - reported through `failed`
            self.error = exc
            log.info("task %s failed: %s", self.name, type(exc).__name__)
            self.failed.emit(exc)
        else:
            self.finished.emit(self.result)
        finally:
            self.done.set()


def _make_task(owner: QObject, name: str, fn: Work, slots: dict) -> Task:
    """Connect `started/progressed/finished/failed=` slots before the work can start."""
    task = Task(name, fn)  # no Qt parent: deleted only when neither the lane nor the worker holds it
    for signal_name, slot in slots.items():
        if slot is not None:
            getattr(task, signal_name).connect(slot)
    return task


class Lane(QObject):
    """A single-worker queue. Work submitted while busy waits its turn."""

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tasks: list[Task] = []

    def submit(self, fn: Work, name: str = "", **slots) -> Task:
        task = _make_task(self, name or self.name, fn, slots)
        self._tasks.append(task)
        task.finished.connect(lambda _r, t=task: self._forget(t))
        task.failed.connect(lambda _e, t=task: self._forget(t))
        self._pool.start(task.run)
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)  # Python owns the Task; the worker keeps it alive until run() returns

    @property
    def busy(self) -> bool:
        return any(not t.done.is_set() for t in self._tasks)

    def cancel_all(self) -> None:
        for t in list(self._tasks):
            t.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used when closing)."""
        return self._pool.waitForDone(msecs)


class SyncLane(QObject):
    """Same interface as Lane, but runs the work at once in the caller's thread."""

    def __init__(self, name: str = "sync", parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.busy = False

    def submit(self, fn: Work, name: str = "", **slots) -> Task:
        task = _make_task(self, name or self.name, fn, slots)
        task.run()
        return task

    def cancel_all(self) -> None:
        pass

    def wait(self, msecs: int = -1) -> bool:
        return True


class Lanes:
    """The app's lanes: speech model, drafting model, vault writes/model files."""

    def __init__(self, parent: QObject | None = None, *, sync: bool = False):
        make = SyncLane if sync else Lane
        self.asr = make("transcription", parent)
        self.llm = make("drafting", parent)
        self.io = make("files", parent)

    def all(self):
        return (self.asr, self.llm, self.io)

    @property
    def busy(self) -> bool:
        return any(lane.busy for lane in self.all())

    def cancel_all(self) -> None:
        for lane in self.all():
            lane.cancel_all()

    def wait(self, msecs: int = -1) -> bool:
        return all(lane.wait(msecs) for lane in self.all())
