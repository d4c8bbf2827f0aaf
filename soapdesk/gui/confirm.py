"""Yes/no questions and small inputs, each behind an `ask()` classmethod tests can patch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox


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


class AskExportPath:
    """Where to save an exported note, and as what: (path, "txt" | "pdf") or None."""

    FILTERS = {"Plain text (*.txt)": "txt", "PDF document (*.pdf)": "pdf"}

    @classmethod
    def ask(cls, parent, suggested_name: str) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(parent, "Export finalized note", suggested_name,
                                                   ";;".join(cls.FILTERS))
        if not path:
            return None
        fmt = cls.FILTERS.get(chosen) or ("pdf" if path.lower().endswith(".pdf") else "txt")
        p = Path(path)
        if p.suffix.lower() != f".{fmt}":
            p = p.with_name(p.name + f".{fmt}")
        return p, fmt


class Warn:
    @classmethod
    def ask(cls, parent, title: str, text: str, ok_text: str) -> bool:
        """A warning the clinician must read; True to go ahead anyway."""
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Cancel, parent)
        ok = box.addButton(ok_text, QMessageBox.AcceptRole)
        box.setDefaultButton(QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is ok
