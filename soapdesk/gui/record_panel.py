"""Record controls: microphone picker, level meter, elapsed time, pause/resume, stop, silence warning."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from soapdesk.core.audio import fmt_duration


class RecordPanel(QWidget):
    record_clicked = Signal(object)  # device index or None
    pause_clicked = Signal(bool)  # True = pause
    stop_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.device = QComboBox()
        self.device.setToolTip("Microphone")
        self.record_button = QPushButton("● Record")
        self.record_button.setToolTip("Start recording (Ctrl+R)")
        self.record_button.clicked.connect(lambda: self.record_clicked.emit(self.device.currentData()))
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause_toggled)
        self.stop_button = QPushButton("■ Stop")
        self.stop_button.setToolTip("Stop recording (Ctrl+R)")
        self.stop_button.clicked.connect(self.stop_clicked)
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setTextVisible(False)
        self.level.setMaximumHeight(12)
        self.level.setAccessibleName("Input level")
        self.elapsed = QLabel("0:00")
        self.warning = QLabel("")
        self.warning.setTextFormat(Qt.PlainText)
        self.warning.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Microphone"))
        row.addWidget(self.device, 1)
        buttons = QHBoxLayout()
        for w in (self.record_button, self.pause_button, self.stop_button):
            buttons.addWidget(w)
        buttons.addStretch()
        buttons.addWidget(self.elapsed)
        col = QVBoxLayout(self)
        col.addLayout(row)
        col.addLayout(buttons)
        col.addWidget(self.level)
        col.addWidget(self.warning)
        self.set_recording(False)

    def set_devices(self, devices: list[tuple[int, str]]) -> None:
        self.device.clear()
        for index, name in devices:
            self.device.addItem(name, index)
        if not devices:
            self.device.addItem("No microphone found", None)
        self.record_button.setEnabled(bool(devices))

    def set_recording(self, on: bool) -> None:
        self.record_button.setVisible(not on)
        self.pause_button.setVisible(on)
        self.stop_button.setVisible(on)
        self.device.setEnabled(not on)
        if not on:
            self.pause_button.setChecked(False)
            self.level.setValue(-60)
            self.warning.setText("")

    def _pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_clicked.emit(paused)

    def show_tick(self, elapsed_s: float, level_dbfs: float, silent: bool) -> None:
        self.elapsed.setText(fmt_duration(elapsed_s))
        self.level.setValue(int(max(-60, min(0, level_dbfs))))
        self.warning.setText("No sound for 10 seconds — is the right microphone selected and unmuted?"
                             if silent else "")
