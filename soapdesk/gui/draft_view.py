"""The draft: sections filling in as the model writes, edited by the clinician, autosaved.

Edits are debounced (`autosave_ms`) and emitted as `edited(sections)`; the
window saves each as a vault revision. `flush()` saves at once (before
locking, switching session or closing). Separately debounced (`check_ms`),
`check_requested(sections)` asks for the checks to run again on the edited
text. Beside the sections: the checks and evidence, the risk checklist
(Finalize stays disabled until every line is confirmed) and billing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from soapdesk.core.note import AI_DRAFT_LABEL, Section
from soapdesk.gui.finalize_panel import FinalizePanel
from soapdesk.gui.review_panel import BillingPanel, ChecksPanel
from soapdesk.gui.risk_panel import RiskChecklist
from soapdesk.gui.section_editor import SectionEditor

CHECKS_TAB, RISK_TAB, BILLING_TAB = 0, 1, 2


class DraftView(QWidget):
    generate_clicked = Signal()
    cancel_clicked = Signal()
    regenerate_clicked = Signal(str)
    copy_note_clicked = Signal()
    copy_section_clicked = Signal(str)
    edited = Signal(list)  # list[Section]
    check_requested = Signal(list)  # list[Section], after edits settle
    sentence_clicked = Signal(str, str)  # section key, sentence

    def __init__(self, autosave_ms: int = 1500, parent: QWidget | None = None, *, check_ms: int = 1200):
        super().__init__(parent)
        self.editors: dict[str, SectionEditor] = {}
        self._busy = False
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
        self.checks = ChecksPanel()
        self.checks.check_selected.connect(self.select_sentence)
        self.risk = RiskChecklist()
        self.risk.changed.connect(self._update_finalize)
        self.billing = BillingPanel()
        self.side = QTabWidget()
        self.side.addTab(self.checks, "Checks")
        self.side.addTab(self.risk, "Risk checklist")
        self.side.addTab(self.billing, "Billing")
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        scroll.setMinimumWidth(380)
        self.side.setMinimumWidth(280)
        split.setSizes([560, 360])  # the note first; the side panel is a companion
        self.splitter = split
        self._autosave = QTimer(self, singleShot=True, interval=autosave_ms)
        self._autosave.timeout.connect(self.flush)
        self._recheck = QTimer(self, singleShot=True, interval=check_ms)
        self._recheck.timeout.connect(lambda: self.check_requested.emit(self.sections()))
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
        col.addWidget(split, 1)
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
            ed.sentence_clicked.connect(self.sentence_clicked)
            self._sections.insertWidget(self._sections.count() - 1, ed)
            self.editors[key] = ed
        self.copy_button.setEnabled(bool(self.editors))
        self._update_finalize()

    def sections(self) -> list[Section]:
        return [Section(ed.key, ed.title, ed.text()) for ed in self.editors.values()]

    def show_empty(self) -> None:
        self.set_sections([])
        self.set_finalized(None, [])
        self.saved_label.setText("")
        self.checks.clear()
        self.risk.clear()
        self.billing.set_minutes(None)

    # -- checks -----------------------------------------------------------------
    def show_checks(self, note) -> None:
        """Paint a reviewed note's results on the editors and list them beside."""
        for key, ed in self.editors.items():
            ed.set_checks(note.sentences.get(key, []), [f for f in note.flags if f.section_key == key])
        self.checks.show_checks(note, {k: ed.title for k, ed in self.editors.items()})

    def select_sentence(self, key: str, sentence: str) -> None:
        ed = self.editors.get(key)
        if ed is not None and ed.select_sentence(sentence):
            self.sentence_clicked.emit(key, sentence)

    def _update_finalize(self) -> None:
        ok = bool(self.editors) and not self._busy and self.risk.all_confirmed()
        self.finalize.finalize_button.setEnabled(ok)
        self.finalize.finalize_button.setToolTip(
            "Sign and lock the note (Ctrl+Enter). Later changes become addenda." if ok else
            "Confirm every line of the risk checklist first." if self.editors else "No note yet.")

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
        self._busy = busy
        self._update_finalize()
        for ed in self.editors.values():
            ed.regenerate_button.setEnabled(not busy and not ed.editor.isReadOnly())

    def set_finalized(self, finalization, addenda) -> None:
        locked = finalization is not None
        self.banner.setVisible(not locked)
        self.generate_button.setVisible(not locked)
        for ed in self.editors.values():
            ed.set_locked(locked)
        self.finalize.show_state(finalization, addenda)
        self.risk.set_locked(locked)
        self.billing.suggest_button.setEnabled(bool(self.editors))
        self._update_finalize()

    # -- autosave -------------------------------------------------------------
    def _changed(self, _key: str) -> None:
        self._dirty = True
        self.saved_label.setText("Editing…")
        self._autosave.start()
        self._recheck.start()

    def flush(self) -> None:
        self._autosave.stop()
        if self._dirty:
            self._dirty = False
            self.edited.emit(self.sections())

    def mark_saved(self, text: str = "Saved") -> None:
        self.saved_label.setText(text)
