"""Clients and their sessions, newest first, with search over notes and transcripts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

STATUS_WORDS = {
    "recording": "New / recording",
    "transcribing": "Transcribing",
    "drafting": "Drafting",
    "draft": "Draft — to review",
    "finalized": "Finalized",
    "failed": "Failed",
}


def status_text(row) -> str:
    text = STATUS_WORDS.get(row.status, row.status)
    if row.status == "failed" and row.failure_reason:
        text += f": {row.failure_reason}"
    return text


class SessionList(QWidget):
    session_selected = Signal(str)
    search_changed = Signal(str)
    new_session_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.new_button = QPushButton("New session")
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.setToolTip("Start a new session (Ctrl+N)")
        self.new_button.clicked.connect(self.new_session_requested)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes and transcripts")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Client / session", "Status"])
        self.tree.setColumnWidth(0, 170)
        self.tree.setRootIsDecorated(True)
        self.tree.itemSelectionChanged.connect(self._selected)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.new_button)
        col.addWidget(self.search)
        col.addWidget(self.tree)

    def show_rows(self, rows, current: str | None = None) -> None:
        """Group SessionRows by client; keep the current session selected."""
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        select = None
        for row in rows:
            label = row.client_label or "No client"
            group = groups.get(label)
            if group is None:
                group = groups[label] = QTreeWidgetItem(self.tree, [label, ""])
                group.setFlags(Qt.ItemIsEnabled)
                group.setExpanded(True)
            when = row.started_at[:16].replace("T", " ")
            kind = (row.template or "").upper()
            item = QTreeWidgetItem(group, [f"{when}  {kind}".strip(), status_text(row)])
            item.setData(0, Qt.UserRole, row.id)
            item.setToolTip(1, status_text(row))
            if row.id == current:
                select = item
        for g in groups.values():
            g.setExpanded(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)

    def item_for(self, session_id: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.UserRole) == session_id:
                    return group.child(j)
        return None

    def clear(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.tree.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    def _selected(self) -> None:
        item = self.tree.currentItem()
        sid = item.data(0, Qt.UserRole) if item is not None else None
        if sid:
            self.session_selected.emit(sid)
