"""The lock screen: passphrase in, vault out. Unlocking runs off the UI thread.

Shown at start and after auto-lock. A wrong passphrase shows the sentence
and keeps the screen; repeated failures are slowed by the vault's back-off
(which sleeps on the worker lane, so the window stays responsive — T13).
The first unlock also loads the note checks' rule engines (soapdesk.gui.warmup).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from soapdesk.gui import errors, warmup


def _open_and_warm(opener, secret: str):
    """Open the vault; on the first unlock also load the checks' rule engines, in parallel
    with key derivation, so their GIL-holding loads happen under the spinner, not while
    the clinician works (see soapdesk.gui.warmup)."""
    warmup.start()
    vault = opener.open(secret)
    warmup.wait()
    return vault


class UnlockView(QWidget):
    unlocked = Signal(object)  # the open Vault
    recovery_requested = Signal()

    def __init__(self, opener, lane, parent: QWidget | None = None):
        super().__init__(parent)
        self._opener = opener
        self._lane = lane
        title = QLabel("SoapDesk is locked")
        title.setObjectName("lockTitle")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        title.setFont(f)
        hint = QLabel("Enter your passphrase to open your notes. Everything stays on this computer.")
        hint.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.recovery_button = QPushButton("Forgot it? Use the recovery key…")
        self.recovery_button.setFlat(True)
        self.recovery_button.clicked.connect(self.recovery_requested)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.PlainText)
        self.error.setObjectName("errorText")
        self.error.setStyleSheet("color: palette(bright-text); background: #b3261e; padding: 6px;")
        self.error.setVisible(False)
        self.error.setWordWrap(True)

        box = QWidget()
        box.setMaximumWidth(460)
        col = QVBoxLayout(box)
        col.addWidget(title)
        col.addWidget(hint)
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        col.addLayout(form)
        col.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.recovery_button)
        row.addStretch()
        row.addWidget(self.unlock_button)
        col.addLayout(row)
        middle = QHBoxLayout()
        middle.addStretch()
        middle.addWidget(box)
        middle.addStretch()
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addLayout(middle)
        outer.addStretch(3)
        self.setTabOrder(self.passphrase, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.recovery_button)

    def reset(self) -> None:
        self.passphrase.clear()
        self.error.setVisible(False)
        self._set_busy(False)
        self.passphrase.setFocus()

    def _set_busy(self, busy: bool, text: str = "Unlocking…") -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.recovery_button.setEnabled(not busy)
        self.unlock_button.setText(text if busy else "Unlock")

    def set_busy(self, busy: bool, text: str) -> None:
        """Work on the vault that the lock screen waits for (a restore): no unlocking meanwhile."""
        self._set_busy(busy, text)

    def try_unlock(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.show_error("Enter your passphrase.")
            return
        self._set_busy(True)
        self.error.setVisible(False)
        self._lane.submit(lambda cancel, report: _open_and_warm(self._opener, secret), name="unlock",
                          finished=self._opened, failed=self._failed)

    def _opened(self, vault) -> None:
        self.passphrase.clear()
        self._set_busy(False)
        self.unlocked.emit(vault)

    def _failed(self, exc) -> None:
        self._set_busy(False)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        self.show_error(errors.sentence(exc))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
