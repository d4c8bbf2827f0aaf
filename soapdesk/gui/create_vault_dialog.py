"""First run: choose a passphrase (twice, with feedback), then see the recovery key once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from soapdesk.gui import errors
from soapdesk.store import passphrase as rules


def strength_text(first: str, second: str) -> tuple[bool, str]:
    """(acceptable, what to tell the clinician) — the vault's own rules, in plain words."""
    reason = rules.weakness(first)
    if reason:
        return False, reason
    if first != second:
        return False, "The two passphrases are not the same yet."
    words = len(first.split())
    return True, "Strong passphrase." if len(first) >= 20 or words >= 4 else "Good. Longer is even better."


class CreateVaultDialog(QDialog):
    def __init__(self, opener, lane, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to SoapDesk")
        self._opener = opener
        self._lane = lane
        self.vault = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._passphrase_page())
        self.pages.addWidget(self._recovery_page())
        QVBoxLayout(self).addWidget(self.pages)

    def _passphrase_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel("Your notes are kept in an encrypted vault on this computer. Choose a passphrase: "
                       "a few unrelated words are easy to remember and hard to guess.")
        intro.setWordWrap(True)
        self.first = QLineEdit()
        self.second = QLineEdit()
        for w in (self.first, self.second):
            w.setEchoMode(QLineEdit.Password)
            w.textChanged.connect(self._update)
        self.feedback = QLabel()
        self.feedback.setTextFormat(Qt.PlainText)
        self.feedback.setWordWrap(True)
        self.create_button = QPushButton("Create vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        form = QFormLayout()
        form.addRow("Passphrase", self.first)
        form.addRow("Again", self.second)
        col = QVBoxLayout(page)
        col.addWidget(intro)
        col.addLayout(form)
        col.addWidget(self.feedback)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.create_button)
        col.addLayout(row)
        self._update()
        return page

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel("This is your recovery key. It is shown only now. Write it down or print it and keep it "
                       "somewhere safe: it is the only way back in if you forget your passphrase.")
        intro.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.key_label.setTextFormat(Qt.PlainText)
        self.key_label.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.copy_key = QPushButton("Copy key")
        self.copy_key.clicked.connect(lambda: QApplication.clipboard().setText(self.key_label.text()))
        self.saved = QCheckBox("I saved my recovery key")
        self.finish_button = QPushButton("Start using SoapDesk")
        self.finish_button.setEnabled(False)
        self.saved.toggled.connect(self.finish_button.setEnabled)
        self.finish_button.clicked.connect(self._finish)
        col = QVBoxLayout(page)
        col.addWidget(intro)
        col.addWidget(self.key_label)
        col.addWidget(self.copy_key)
        col.addWidget(self.saved)
        col.addWidget(self.finish_button)
        return page

    def _update(self) -> None:
        ok, text = strength_text(self.first.text(), self.second.text())
        self.feedback.setText(text if self.first.text() else "At least 12 characters.")
        self.create_button.setEnabled(ok)

    def _create(self) -> None:
        secret = self.first.text()
        self.create_button.setEnabled(False)
        self.create_button.setText("Creating…")
        self._lane.submit(lambda cancel, report: self._opener.create(secret), name="create vault",
                          finished=self._created, failed=self._failed)

    def _created(self, result) -> None:
        self.vault, key = result
        self.first.clear()
        self.second.clear()
        self.key_label.setText(key)
        self.pages.setCurrentIndex(1)

    def _failed(self, exc) -> None:
        self.create_button.setText("Create vault")
        self._update()
        self.feedback.setText(errors.sentence(exc))

    def _finish(self) -> None:
        board = QApplication.clipboard()
        if board.text() and board.text() == self.key_label.text():
            board.clear()  # do not leave the key on the clipboard
        self.key_label.clear()  # shown once
        self.accept()

    def reject(self) -> None:
        if self.vault is not None and not self.saved.isChecked():
            return  # the key must be acknowledged once the vault exists
        super().reject()

    @classmethod
    def ask(cls, parent, opener, lane):
        """The open vault, or None if the clinician closed the dialog before creating one."""
        dlg = cls(opener, lane, parent)
        dlg.exec()
        return dlg.vault
