"""Copy to the clipboard for the EHR, and take it back after a while (T17).

After `clear_after_s` seconds the clipboard is cleared — but only if it still
holds exactly what we put there, so something the clinician copied since is
left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication


class ClipboardGuard(QObject):
    copied = Signal()
    cleared = Signal()

    def __init__(self, clear_after_s: float = 60, parent: QObject | None = None):
        super().__init__(parent)
        self.clear_after_s = clear_after_s
        self._ours: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_if_ours)

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._ours = text
        if self.clear_after_s and self.clear_after_s > 0:
            self._timer.start(int(self.clear_after_s * 1000))
        self.copied.emit()

    def clear_if_ours(self) -> None:
        if self._ours is None:
            return
        board = QGuiApplication.clipboard()
        if board.text() == self._ours:
            board.clear()
            self.cleared.emit()
        self._ours = None
        self._timer.stop()
