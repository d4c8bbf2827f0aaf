"""The draft: sections filling in as the model writes, edited by the clinician, autosaved.

Edits are debounced (`autosave_ms`) and emitted as `edited(sections)`; the
window saves each as a vault revision. `flush()` saves at once (before
locking, switching session or closing).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from soapdesk.core.note import AI_DRAFT_LABEL, Section
from soapdesk.gui.finalize_panel import FinalizePanel
from soapdesk.gui.section_editor import SectionEditor


class DraftView(QWidget):
    generate_clicked = Signal()
    cancel_clicked = Signal()
    regenerate_clicked = Signal(str)
    copy_note_clicked = Signal()
    copy_section_clicked = Signal(str)
    edited = Signal(list)  # list[Section]

    def __init__(self, autosave_ms: int = 1500, parent: QWidget | None = None):
        super().__init__(parent)
        self.editors: dict[str, SectionEditor] = {}
        self.banner = QLabel(AI_DRAFT_LABEL)
        self.banner.setTextFormat(Qt.PlainText)
        self.banner.setObjectName("aiDraftBanner")
        self.banner.setStyleSheet("background: #f9e79f; color: #3d3000; padding: 6px; font-weight: bold;")
        self.generate_button = QPushButton("Generate draft")
        self.generate_button.setToolTip("Draft the note from the transcript (Ctrl+G)")
        self.generate_button.clicked.connect(self.generate_clicked)
        self.copy_button = QPushButton("Copy note")
        self.copy_button.setToolTip("Copy the whole note as plain text for your EHR (Ctrl+Shift+C)")
        self.copy_button.clicked.connect(self.copy_note_clicked)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress_label = QLabel("")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        self.saved_label = QLabel("")
        self.finalize = FinalizePanel()
        self._sections_box = QWidget()
        self._sections = QVBoxLayout(self._sections_box)
        self._sections.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._sections_box)
        self._autosave = QTimer(self, singleShot=True, interval=autosave_ms)
        self._autosave.timeout.connect(self.flush)
        self._dirty = False
        top = QHBoxLayout()
        top.addWidget(self.generate_button)
        top.addWidget(self.copy_button)
        top.addStretch()
        top.addWidget(self.saved_label)
        prog = QHBoxLayout()
        prog.addWidget(self.progress_label)
        prog.addWidget(self.progress, 1)
        prog.addWidget(self.cancel_button)
        col = QVBoxLayout(self)
        col.addWidget(self.banner)
        col.addLayout(top)
        col.addLayout(prog)
        col.addWidget(scroll, 1)
        col.addWidget(self.finalize)
        self.show_empty()

    # -- content --------------------------------------------------------------
    def set_sections(self, sections: list[Section] | list[tuple[str, str]]) -> None:
        """Lay out editors for these sections (Section objects, or (key, title) before drafting)."""
        self._autosave.stop()
        self._dirty = False
        for ed in self.editors.values():
            ed.setParent(None)
            ed.deleteLater()
        self.editors = {}
        for s in sections:
            key, title, text = (s.key, s.title, s.text) if isinstance(s, Section) else (s[0], s[1], "")
            ed = SectionEditor(key, title)
            ed.set_text(text)
            ed.changed.connect(self._changed)
            ed.regenerate_clicked.connect(self.regenerate_clicked)
            ed.copy_clicked.connect(self.copy_section_clicked)
            self._sections.insertWidget(self._sections.count() - 1, ed)
            self.editors[key] = ed
        self.copy_button.setEnabled(bool(self.editors))

    def sections(self) -> list[Section]:
        return [Section(ed.key, ed.title, ed.text()) for ed in self.editors.values()]

    def show_empty(self) -> None:
        self.set_sections([])
        self.set_finalized(None, [])
        self.saved_label.setText("")

    def stream_text(self, key: str, delta: str) -> None:
        ed = self.editors.get(key)
        if ed is not None:
            ed.append_streamed(delta)

    def start_section(self, key: str, title: str, index: int, total: int) -> None:
        ed = self.editors.get(key)
        if ed is not None:
            ed.set_text("")
        self.progress_label.setText(f"Writing {title}…")
        self.progress.setRange(0, total)
        self.progress.setValue(index)

    def set_busy(self, busy: bool, what: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_label.setText(what if busy else "")
        self.generate_button.setEnabled(not busy)
        for ed in self.editors.values():
            ed.regenerate_button.setEnabled(not busy and not ed.editor.isReadOnly())

    def set_finalized(self, finalization, addenda) -> None:
        locked = finalization is not None
        self.banner.setVisible(not locked)
        self.generate_button.setVisible(not locked)
        for ed in self.editors.values():
            ed.set_locked(locked)
        self.finalize.show_state(finalization, addenda)
        self.finalize.finalize_button.setEnabled(bool(self.editors))

    # -- autosave -------------------------------------------------------------
    def _changed(self, _key: str) -> None:
        self._dirty = True
        self.saved_label.setText("Editing…")
        self._autosave.start()

    def flush(self) -> None:
        self._autosave.stop()
        if self._dirty:
            self._dirty = False
            self.edited.emit(self.sections())

    def mark_saved(self, text: str = "Saved") -> None:
        self.saved_label.setText(text)
