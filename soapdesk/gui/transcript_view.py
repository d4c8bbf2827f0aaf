"""The transcript: time, speaker and text per segment; correct speakers and text; click to listen; search.

Text is shown and edited as plain text only (model output is never
rendered as HTML or markdown, and there are no links to open — T38/T45).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from soapdesk.core.audio import fmt_duration
from soapdesk.core.transcript import CLIENT, CLINICIAN, OTHER, UNKNOWN, Segment, Transcript

ROLE_WORDS = {CLINICIAN: "Clinician", CLIENT: "Client", OTHER: "Other", UNKNOWN: "Speaker ?"}
TIME, SPEAKER, TEXT = 0, 1, 2


def speaker_text(seg: Segment) -> str:
    return seg.speaker_label or ROLE_WORDS.get(seg.speaker, seg.speaker)


def swapped(transcript: Transcript) -> Transcript:
    """Clinician ↔ client (labels that just name the role follow the role)."""
    flip = {CLINICIAN: CLIENT, CLIENT: CLINICIAN}
    segs = [dataclasses.replace(s, speaker=flip.get(s.speaker, s.speaker)) for s in transcript.segments]
    return dataclasses.replace(transcript, segments=segs)


def renamed(transcript: Transcript, old: str, new: str) -> Transcript:
    segs = [dataclasses.replace(s, speaker_label=new) if speaker_text(s) == old else s for s in transcript.segments]
    return dataclasses.replace(transcript, segments=segs)


class TranscriptView(QWidget):
    edited = Signal(object)  # the corrected Transcript (debounced)
    play_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.transcript = Transcript()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find in transcript")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.swap_button = QPushButton("Swap clinician / client")
        self.swap_button.clicked.connect(lambda: self._replace(swapped(self.transcript)))
        self.rename_button = QPushButton("Rename speaker…")
        self.rename_button.clicked.connect(self._rename)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setRange(0, 1000)
        self.hint = QLabel("Click a time to listen from there. Double-click a speaker or the text to correct it "
                           "(type Clinician, Client, Other, or a name).")
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Time", "Speaker", "What was said"])
        self.table.horizontalHeader().setSectionResizeMode(TEXT, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.cellClicked.connect(self._clicked)
        self.table.itemChanged.connect(self._item_changed)
        self._debounce = QTimer(self, singleShot=True, interval=800)
        self._debounce.timeout.connect(lambda: self.edited.emit(self.transcript))
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.swap_button)
        tools.addWidget(self.rename_button)
        col = QVBoxLayout(self)
        col.addLayout(tools)
        col.addWidget(self.progress)
        col.addWidget(self.table, 1)
        col.addWidget(self.hint)

    # -- content -------------------------------------------------------------
    def set_transcript(self, transcript: Transcript | None) -> None:
        self.transcript = transcript or Transcript()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for seg in self.transcript.segments:
            self._append_row(seg)
        self.table.blockSignals(False)
        self._filter(self.search.text())

    def add_segment(self, seg: Segment, offset_s: float = 0.0) -> None:
        """A segment streamed in while transcribing (shown, saved with the whole transcript later)."""
        if offset_s:
            seg = dataclasses.replace(seg, start=(seg.start or 0) + offset_s, end=(seg.end or 0) + offset_s)
        seg = dataclasses.replace(seg, id=len(self.transcript.segments) + 1)
        self.transcript.segments.append(seg)
        self.table.blockSignals(True)
        self._append_row(seg)
        self.table.blockSignals(False)
        self.table.scrollToBottom()

    def _append_row(self, seg: Segment) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        when = QTableWidgetItem("" if seg.start is None else fmt_duration(seg.start))
        when.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        when.setToolTip("Click to listen from here")
        who = QTableWidgetItem(speaker_text(seg))
        text = QTableWidgetItem(seg.text)
        for item in (when, who, text):
            item.setData(Qt.UserRole, seg.id)
        self.table.setItem(r, TIME, when)
        self.table.setItem(r, SPEAKER, who)
        self.table.setItem(r, TEXT, text)

    def show_segments(self, ids: list[int]) -> None:
        """Select (and scroll to) the segments a note sentence rests on."""
        wanted = set(ids)
        self.table.clearSelection()
        first = None
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.MultiSelection)
        for r, seg in enumerate(self.transcript.segments):
            if seg.id in wanted:
                self.table.selectRow(r)
                first = r if first is None else first
        self.table.setSelectionMode(mode)
        if first is not None:
            self.table.scrollToItem(self.table.item(first, TEXT), QAbstractItemView.PositionAtCenter)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.transcript.segments[r].id for r in rows if r < len(self.transcript.segments)]

    def clear(self) -> None:
        self.set_transcript(None)
        self.search.clear()
        self.set_progress(None)

    def set_progress(self, fraction: float | None) -> None:
        self.progress.setVisible(fraction is not None)
        if fraction is not None:
            self.progress.setValue(int(fraction * 1000))

    def set_editable(self, editable: bool) -> None:
        triggers = (QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed) if editable \
            else QAbstractItemView.NoEditTriggers
        self.table.setEditTriggers(triggers)
        self.swap_button.setEnabled(editable)
        self.rename_button.setEnabled(editable)

    # -- interaction ---------------------------------------------------------
    def _clicked(self, row: int, column: int) -> None:
        seg = self.transcript.segments[row] if row < len(self.transcript.segments) else None
        if column == TIME and seg is not None and seg.start is not None:
            self.play_requested.emit(seg.start)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row = item.row()
        segs = self.transcript.segments
        if row >= len(segs):
            return
        if item.column() == TEXT:
            segs[row] = dataclasses.replace(segs[row], text=item.text())
        elif item.column() == SPEAKER:
            segs[row] = _with_speaker(segs[row], item.text())
        self._debounce.start()

    def _replace(self, transcript: Transcript) -> None:
        self.set_transcript(transcript)
        self._debounce.start()

    def _rename(self) -> None:
        names = sorted({speaker_text(s) for s in self.transcript.segments})
        if not names:
            return
        old, ok = QInputDialog.getItem(self, "Rename speaker", "Speaker", names, 0, False)
        if not ok:
            return
        new, ok = QInputDialog.getText(self, "Rename speaker", f"New name for {old}")
        if ok and new.strip():
            self._replace(renamed(self.transcript, old, new.strip()))

    def flush(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self.edited.emit(self.transcript)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for r in range(self.table.rowCount()):
            item = self.table.item(r, TEXT)
            self.table.setRowHidden(r, bool(needle) and needle not in item.text().lower())


def _with_speaker(seg: Segment, typed: str) -> Segment:
    role = {v.lower(): k for k, v in ROLE_WORDS.items()}.get(typed.strip().lower())
    if role:
        return dataclasses.replace(seg, speaker=role, speaker_label="")
    return dataclasses.replace(seg, speaker_label=typed.strip())
