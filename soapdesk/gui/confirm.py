"""Yes/no questions and small inputs, each behind an `ask()` classmethod tests can patch."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox


class Confirm:
    @classmethod
    def ask(cls, parent, title: str, text: str, ok_text: str = "OK") -> bool:
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Cancel, parent)
        ok = box.addButton(ok_text, QMessageBox.AcceptRole)
        box.setDefaultButton(QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is ok


class AskSecret:
    @classmethod
    def ask(cls, parent, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.Password)
        return text if ok and text else None
