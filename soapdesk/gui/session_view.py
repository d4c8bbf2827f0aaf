"""One session on screen: header with status, error bar, and tabs Record/Import · Transcript · Draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from soapdesk.gui.draft_view import DraftView
from soapdesk.gui.error_bar import ErrorBar
from soapdesk.gui.import_panel import ImportPanel
from soapdesk.gui.record_panel import RecordPanel
from soapdesk.gui.session_list import status_text
from soapdesk.gui.transcript_view import TranscriptView

INPUT, TRANSCRIPT, DRAFT = 0, 1, 2


class SessionView(QWidget):
    def __init__(self, autosave_ms: int = 1500, parent: QWidget | None = None):
        super().__init__(parent)
        self.header = QLabel("Choose a session on the left, or start a new one.")
        self.header.setTextFormat(Qt.PlainText)
        f = self.header.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.header.setFont(f)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.PlainText)
        self.status.setWordWrap(True)
        self.error_bar = ErrorBar()
        self.record = RecordPanel()
        self.importer = ImportPanel()
        input_page = QWidget()
        col = QVBoxLayout(input_page)
        col.addWidget(self.record)
        col.addWidget(self.importer, 1)
        self.transcript = TranscriptView()
        self.draft = DraftView(autosave_ms)
        self.tabs = QTabWidget()
        self.tabs.addTab(input_page, "Record or import")
        self.tabs.addTab(self.transcript, "Transcript")
        self.tabs.addTab(self.draft, "Draft note")
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.status)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.tabs, 1)
        self.set_enabled(False)

    def show_row(self, row) -> None:
        who = row.client_label or "No client"
        when = row.started_at[:16].replace("T", " ")
        self.header.setText(f"{who} — {when} — {(row.template or '').upper()}")
        self.status.setText(status_text(row))
        self.set_enabled(True)

    def set_enabled(self, on: bool) -> None:
        self.tabs.setEnabled(on)

    def clear(self) -> None:
        self.header.setText("Choose a session on the left, or start a new one.")
        self.status.setText("")
        self.error_bar.clear()
        self.transcript.clear()
        self.draft.show_empty()
        self.importer.text.clear()
        self.set_enabled(False)
