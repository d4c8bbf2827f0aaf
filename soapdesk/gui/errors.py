"""Errors for the clinician: one friendly sentence, plus copyable PHI-free details.

The one place in the window that turns exceptions into words. Details carry
the error type, its stable code and the code locations (file, line,
function) — never the message of an unexpected error, which could quote
transcript or note text. Typed SoapDesk errors promise PHI-free messages.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from soapdesk import __version__
from soapdesk.core.errors import SoapDeskError

log = logging.getLogger(__name__)

GENERIC = "Something went wrong inside SoapDesk. Your saved work is safe in the vault."


def sentence(exc: BaseException) -> str:
    if isinstance(exc, SoapDeskError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "The computer ran out of memory. Close other programs and try again."
    if isinstance(exc, PermissionError):
        return "SoapDesk was not allowed to open a file it needs."
    return GENERIC


def details(exc: BaseException) -> str:
    lines = [f"SoapDesk {__version__}, Python {platform.python_version()}, {platform.system()}",
             f"Error: {type(exc).__module__}.{type(exc).__qualname__}"]
    code = getattr(exc, "code", None)
    if code:
        lines.append(f"Code: {code}")
    for frame in traceback.extract_tb(exc.__traceback__):
        where = frame.filename.split("site-packages/")[-1].split("/soapdesk/")[-1]
        lines.append(f"  at {where}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


class ErrorDialog(QDialog):
    """A sentence, a Details box (hidden until asked for), Copy and Close."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None, *, title: str = "SoapDesk",
                 heading: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.message = QLabel(heading or sentence(exc))
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.details = QPlainTextEdit(details(exc))
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.toggle = buttons.addButton("Details", QDialogButtonBox.ActionRole)
        self.toggle.clicked.connect(lambda: self.details.setVisible(not self.details.isVisible()))
        self.copy = buttons.addButton("Copy details", QDialogButtonBox.ActionRole)
        self.copy.clicked.connect(lambda: QApplication.clipboard().setText(self.details.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, exc: BaseException, **kw) -> None:
        cls(exc, parent, **kw).exec()


class CrashDialog(ErrorDialog):
    @classmethod
    def ask(cls, parent: QWidget | None, exc: BaseException, **kw) -> None:
        cls(exc, parent, title="SoapDesk hit a problem",
            heading="SoapDesk hit an unexpected problem. Your saved work is safe in the vault; "
                    "if this keeps happening, copy the details and send them to support.").exec()


def install_excepthook() -> None:
    """An unexpected exception opens the crash dialog instead of vanishing."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error: %s", type(exc).__name__)
        if exc.__traceback__ is None:
            exc.__traceback__ = tb
        if QApplication.instance() is not None:
            CrashDialog.ask(QApplication.activeWindow(), exc)

    sys.excepthook = hook
