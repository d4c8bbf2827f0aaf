"""Finalize (sign) the note; afterwards show who/when and take addenda only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)


class FinalizePanel(QWidget):
    finalize_clicked = Signal()
    addendum_submitted = Signal(str)
    export_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.finalize_button = QPushButton("Finalize note…")
        self.finalize_button.setToolTip("Sign and lock the note (Ctrl+Enter). Later changes become addenda.")
        self.finalize_button.clicked.connect(self.finalize_clicked)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the finalized note as a text or PDF file (only when you ask)")
        self.export_button.clicked.connect(self.export_clicked)
        self.info = QLabel("")
        self.info.setTextFormat(Qt.PlainText)
        self.info.setWordWrap(True)
        self.addenda = QListWidget()
        self.addenda.setWordWrap(True)
        self.addendum_text = QPlainTextEdit()
        self.addendum_text.setPlaceholderText("Addendum: a dated correction or later information")
        self.addendum_text.setTabChangesFocus(True)
        self.addendum_text.setMaximumHeight(80)
        self.addendum_button = QPushButton("Add addendum")
        self.addendum_button.clicked.connect(self._submit)
        self.addendum_box = QGroupBox("Addenda")
        box = QVBoxLayout(self.addendum_box)
        box.addWidget(self.addenda)
        box.addWidget(self.addendum_text)
        box.addWidget(self.addendum_button)
        row = QHBoxLayout()
        row.addWidget(self.info, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.finalize_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row)
        col.addWidget(self.addendum_box)
        self.show_state(None, [])

    def show_state(self, finalization, addenda) -> None:
        done = finalization is not None
        self.finalize_button.setVisible(not done)
        self.export_button.setVisible(done)
        self.addendum_box.setVisible(done)
        self.info.setText(
            f"Finalized by {finalization.finalized_by} on {finalization.finalized_at[:16].replace('T', ' ')}. "
            "The note is locked; add an addendum for any change." if done else "")
        self.addenda.clear()
        for a in addenda:
            self.addenda.addItem(f"{a.created_at[:16].replace('T', ' ')} ({a.author}): {a.text}")

    def _submit(self) -> None:
        text = self.addendum_text.toPlainText().strip()
        if text:
            self.addendum_submitted.emit(text)
            self.addendum_text.clear()
