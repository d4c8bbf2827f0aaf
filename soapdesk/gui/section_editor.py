"""One note section: title, plain-text editor, Regenerate and Copy section."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class SectionEditor(QWidget):
    changed = Signal(str)  # key
    regenerate_clicked = Signal(str)
    copy_clicked = Signal(str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.title = title
        heading = QLabel(title)
        f = heading.font()
        f.setBold(True)
        heading.setFont(f)
        # Plain text only: model output is never interpreted as HTML or markdown (T38).
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName(f"{title} section")
        self.editor.setMinimumHeight(90)
        self.editor.textChanged.connect(lambda: self.changed.emit(self.key))
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip(f"Draft the {title} section again")
        self.regenerate_button.clicked.connect(lambda: self.regenerate_clicked.emit(self.key))
        self.copy_button = QPushButton("Copy section")
        self.copy_button.clicked.connect(lambda: self.copy_clicked.emit(self.key))
        row = QHBoxLayout()
        row.addWidget(heading)
        row.addStretch()
        row.addWidget(self.regenerate_button)
        row.addWidget(self.copy_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 4, 0, 4)
        col.addLayout(row)
        col.addWidget(self.editor)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text without it counting as the clinician's edit."""
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.document().clearUndoRedoStacks()
        self.editor.blockSignals(False)

    def append_streamed(self, delta: str) -> None:
        self.editor.blockSignals(True)
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.End)
        cursor.insertText(delta)
        self.editor.blockSignals(False)

    def set_locked(self, locked: bool) -> None:
        self.editor.setReadOnly(locked)
        self.regenerate_button.setEnabled(not locked)
