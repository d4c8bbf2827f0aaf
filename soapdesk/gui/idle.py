"""Auto-lock: notices the clinician's keyboard and mouse, and says when they have been away.

The filter sits on the top-level windows (QWindow), not on the application:
every keyboard, mouse, wheel and touch event reaches its window first, but
the window sees little else, whereas an application-wide filter is called
for *every* event of every object (each timer tick, paint, layout request,
queued signal...). Each of those calls enters Python and so needs the GIL:
while the note checks ran on a worker thread (pure Python, medspaCy), the
UI thread had to win the GIL back for every event — up to the 5 ms switch
interval each time — which lengthened the window's stalls in the "checks"
phase of benchmarks/gui_bench.py --scenario record, and made the checks
themselves run ~3x slower (~1.3 s instead of ~0.43 s on the 10-minute session).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

_ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout_ms(int(minutes * 60_000))
        app = QGuiApplication.instance()
        app.focusWindowChanged.connect(self._watch)  # a window shown later (a dialog) once it is used
        self._watch_all()

    def _watch(self, window) -> None:
        if window is not None:
            window.installEventFilter(self)  # installing twice is harmless: Qt keeps one entry

    def _watch_all(self) -> None:
        for window in QGuiApplication.topLevelWindows():
            self._watch(window)

    def set_timeout_ms(self, ms: int) -> None:
        self._ms = max(0, ms)
        self.poke()

    def poke(self) -> None:
        if self._ms and self._active:
            self._timer.start(self._ms)

    _active = False

    def start(self) -> None:
        self._active = True
        self._watch_all()  # the main window has its QWindow by now
        self.poke()

    def stop(self) -> None:
        self._active = False
        self._timer.stop()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if self._active and event.type() in _ACTIVITY:
            self._timer.start(self._ms) if self._ms else None
        return False
