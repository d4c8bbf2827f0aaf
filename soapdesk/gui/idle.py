"""Auto-lock: notices the clinician's keyboard and mouse, and says when they have been away."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout_ms(int(minutes * 60_000))
        QApplication.instance().installEventFilter(self)

    def set_timeout_ms(self, ms: int) -> None:
        self._ms = max(0, ms)
        self.poke()

    def poke(self) -> None:
        if self._ms and self._active:
            self._timer.start(self._ms)

    _active = False

    def start(self) -> None:
        self._active = True
        self.poke()

    def stop(self) -> None:
        self._active = False
        self._timer.stop()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if self._active and event.type() in _ACTIVITY:
            self._timer.start(self._ms) if self._ms else None
        return False
