"""The other ways in: import an audio file (button or drag-and-drop), or paste/type a transcript."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

AUDIO_FILTER = "Audio files (*.wav *.mp3 *.m4a *.mp4 *.aac *.ogg *.oga *.opus *.webm *.flac);;All files (*)"


class ImportPanel(QWidget):
    audio_chosen = Signal(Path)
    text_submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.import_button = QPushButton("Import audio file…")
        self.import_button.clicked.connect(self._choose)
        drop = QLabel("…or drop an audio file here (WAV, MP3, M4A, OGG, WebM, FLAC).")
        drop.setWordWrap(True)
        audio_box = QGroupBox("Recording made elsewhere")
        row = QHBoxLayout(audio_box)
        row.addWidget(self.import_button)
        row.addWidget(drop, 1)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste a transcript (\"Therapist: … / Client: …\") or type a summary "
                                     "of the session.")
        self.text.setTabChangesFocus(True)
        self.use_text_button = QPushButton("Use this text")
        self.use_text_button.clicked.connect(self._submit_text)
        text_box = QGroupBox("Paste or type instead")
        col2 = QVBoxLayout(text_box)
        col2.addWidget(self.text)
        col2.addWidget(self.use_text_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(audio_box)
        col.addWidget(text_box, 1)

    def _choose(self) -> None:
        path = self.choose_file(self)
        if path:
            self.audio_chosen.emit(Path(path))

    @staticmethod
    def choose_file(parent) -> str:
        """The file dialog (tests patch this)."""
        path, _ = QFileDialog.getOpenFileName(parent, "Import a session recording", str(Path.home()), AUDIO_FILTER)
        return path

    def _submit_text(self) -> None:
        text = self.text.toPlainText()
        if text.strip():
            self.text_submitted.emit(text)
            self.text.clear()

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.audio_chosen.emit(Path(files[0]))
