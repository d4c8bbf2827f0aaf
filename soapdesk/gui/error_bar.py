"""An inline error: one sentence, and a Details button for the copyable, PHI-free details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from soapdesk.gui import errors


class ErrorBar(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.exc: BaseException | None = None
        self.setObjectName("errorBar")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#errorBar { background: #fdecea; } QLabel { color: #611a15; }")
        self.text = QLabel("")
        self.text.setTextFormat(Qt.PlainText)
        self.text.setWordWrap(True)
        self.details_button = QPushButton("Details")
        self.details_button.clicked.connect(lambda: errors.ErrorDialog.ask(self.window(), self.exc))
        self.close_button = QPushButton("Dismiss")
        self.close_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.details_button)
        row.addWidget(self.close_button)
        self.setVisible(False)

    def show_error(self, exc: BaseException) -> None:
        self.exc = exc
        self.text.setText(errors.sentence(exc))
        self.setVisible(True)

    def clear(self) -> None:
        self.exc = None
        self.text.setText("")
        self.setVisible(False)
