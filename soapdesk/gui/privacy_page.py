"""What is stored where, that nothing leaves the computer, and backup/restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from soapdesk.core import paths

EXPLANATION = """\
Everything stays on this computer. SoapDesk does not send recordings, transcripts or notes anywhere: \
transcription and drafting run on this machine, and the app has no network code.

Stored in your encrypted vault (unreadable without your passphrase or recovery key): \
recordings, transcripts, drafts and every revision, finalized notes and addenda, your vocabulary list, \
and a log of who did what and when.

Stored outside the vault, with no client information: settings (models, cores, timeouts), \
the speech and drafting models, and technical logs (sizes and timings only).

The clipboard: when you copy a note to paste into your records system, it is cleared again \
after the time set in Settings, if it still holds the note."""


class PrivacyPage(QWidget):
    backup_requested = Signal(Path)
    restore_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        text = QLabel(EXPLANATION)
        text.setTextFormat(Qt.PlainText)
        text.setWordWrap(True)
        self.location = QLabel("")
        self.location.setTextFormat(Qt.PlainText)
        self.location.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.location.setWordWrap(True)
        self.backup_button = QPushButton("Back up vault…")
        self.backup_button.clicked.connect(self._backup)
        self.restore_button = QPushButton("Restore from backup…")
        self.restore_button.clicked.connect(self._restore)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.PlainText)
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch()
        col = QVBoxLayout(self)
        col.addWidget(text)
        col.addWidget(self.location)
        col.addLayout(row)
        col.addWidget(self.status)
        col.addStretch()

    def show_paths(self, vault_path: Path) -> None:
        self.location.setText(f"Vault: {vault_path}\nKey file: {vault_path.with_suffix('.key')}\n"
                              f"Settings: {paths.settings_path()}\nModels: {paths.models_dir()}")

    def _backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Back up the vault", str(Path.home() / "soapdesk-backup.tar"),
                                              "SoapDesk backups (*.tar)")
        if path:
            self.backup_requested.emit(Path(path))

    def _restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore a backup", str(Path.home()), "SoapDesk backups (*.tar)")
        if path:
            self.restore_requested.emit(Path(path))
