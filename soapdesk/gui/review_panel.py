"""Beside the draft: what the checks found, the evidence of a sentence, billing suggestions.

Only display and signals; the checks themselves run in `workflow` on a lane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from soapdesk.core.audio import fmt_duration

KEY_ROLE = Qt.UserRole
SENTENCE_ROLE = Qt.UserRole + 1


def _label(text: str = "", *, wrap: bool = True) -> QLabel:
    lab = QLabel(text)
    lab.setTextFormat(Qt.PlainText)
    lab.setWordWrap(wrap)
    return lab


class ChecksPanel(QWidget):
    """The "Checks" list (warnings and flags, click to select the sentence) and the evidence box."""

    check_selected = Signal(str, str)  # section key, sentence
    show_in_transcript = Signal(list)  # segment ids
    play_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.status = _label("")
        self.checks = QListWidget()
        self.checks.setWordWrap(True)
        self.checks.setAccessibleName("Checks")
        self.checks.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.checks.itemClicked.connect(self._clicked)
        self.checks.itemActivated.connect(self._clicked)
        hint = _label("Red: not found in the transcript. Amber: a detail to check. Click a sentence in the note "
                      "(or a check here) to see what it rests on.")
        hint.setStyleSheet("color: palette(mid);")
        self.evidence_box = QGroupBox("Evidence")
        self.evidence_sentence = _label("Click a sentence in the note.")
        self.evidence_list = QListWidget()
        self.evidence_list.setWordWrap(True)
        self.evidence_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.show_button = QPushButton("Show in transcript")
        self.show_button.clicked.connect(lambda: self.show_in_transcript.emit(list(self._ids)))
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Listen to the evidence from the recording")
        self.play_button.clicked.connect(lambda: self._start is not None and self.play_requested.emit(self._start))
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.play_button)
        buttons.addStretch()
        box = QVBoxLayout(self.evidence_box)
        box.addWidget(self.evidence_sentence)
        box.addWidget(self.evidence_list, 1)
        box.addLayout(buttons)
        col = QVBoxLayout(self)
        col.addWidget(self.status)
        col.addWidget(self.checks, 2)
        col.addWidget(hint)
        col.addWidget(self.evidence_box, 1)
        self._ids: list[int] = []
        self._start: float | None = None
        self._flag_reasons: dict[str, list[str]] = {}  # sentence -> what the grounding checks say about it
        self.clear()

    def clear(self) -> None:
        self.status.setText("")
        self.checks.clear()
        self.show_evidence(None, None, [])

    def set_checking(self) -> None:
        self.status.setText("Checking the draft against the transcript…")

    def show_checks(self, note, titles: dict[str, str]) -> None:
        """note.warnings in order; each flag's and unsupported sentence's item selects that sentence."""
        self.checks.clear()
        by_sentence = {}
        self._flag_reasons = {}
        for f in note.flags:
            by_sentence.setdefault(f.sentence, f.section_key)
            self._flag_reasons.setdefault(" ".join(f.sentence.split()), []).append(f.reason)
        unsupported = [(key, se) for key, sents in note.sentences.items() for se in sents if not se.supported]
        for w in note.warnings:
            item = QListWidgetItem(w)
            for sentence, key in by_sentence.items():
                short = " ".join(sentence.split())
                if short[:60] in w:
                    item.setData(KEY_ROLE, key)
                    item.setData(SENTENCE_ROLE, sentence)
                    break
            self.checks.addItem(item)
        for key, se in unsupported:
            item = QListWidgetItem(f"{titles.get(key, key)}: not found in the transcript — \"{se.text}\"")
            item.setToolTip(se.reason)
            item.setData(KEY_ROLE, key)
            item.setData(SENTENCE_ROLE, se.text)
            self.checks.addItem(item)
        n = len(note.flags) + len(unsupported)
        self.status.setText("Checks: nothing to flag. Still read the whole note before finalizing." if not n else
                            f"Checks: {n} thing{'s' if n != 1 else ''} to look at before finalizing.")

    def _clicked(self, item: QListWidgetItem) -> None:
        key, sentence = item.data(KEY_ROLE), item.data(SENTENCE_ROLE)
        if key and sentence:
            self.check_selected.emit(key, sentence)

    def show_evidence(self, se, segments, *_ignored) -> None:
        """The sentence's support: each cited segment with time and speaker."""
        from soapdesk.gui.transcript_view import speaker_text

        self.evidence_list.clear()
        self._ids = [s.id for s in segments or []]
        starts = [s.start for s in segments or [] if s.start is not None]
        self._start = min(starts) if starts else None
        if se is None:
            self.evidence_sentence.setText("Click a sentence in the note to see the transcript behind it.")
        else:
            flagged = self._flag_reasons.get(" ".join(se.text.split()), [])
            if se.supported:
                # Found in the transcript can still be wrong: a said number used with another meaning.
                verdict = "Found in the transcript, but check: " + " ".join(flagged) if flagged else (
                    "Supported by the transcript")
            else:
                verdict = "NOT supported by the transcript"
            reason = f" — {se.reason}" if se.reason and not (se.supported and flagged) else ""
            also = "\nAlso check: " + " ".join(flagged) if flagged and not se.supported else ""
            self.evidence_sentence.setText(f"\"{se.text}\"\n{verdict}{reason}{also}")
        for s in segments or []:
            when = "" if s.start is None else f"[{fmt_duration(s.start)}] "
            self.evidence_list.addItem(f"{when}{speaker_text(s)}: {s.text}")
        self.show_button.setEnabled(bool(self._ids))
        self.play_button.setEnabled(self._start is not None)


class BillingPanel(QWidget):
    """Session minutes and CPT/ICD-10-CM suggestions, clearly suggestions to verify."""

    suggest_clicked = Signal(object)  # minutes (int) or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("unknown")
        self.minutes.setAccessibleName("Session minutes")
        self.minutes.setToolTip("Face-to-face minutes with the client (prefilled from the recording; "
                                "change it when the recording is not the whole session)")
        self.suggest_button = QPushButton("Suggest billing codes")
        self.suggest_button.clicked.connect(lambda: self.suggest_clicked.emit(self.minutes.value() or None))
        self.caution = _label("Suggestions only — verify each code against the note, the session and your payer's "
                              "rules before billing. Diagnoses are suggested only when you stated them.")
        self.caution.setStyleSheet("background: #fdf2d0; color: #3d3000; padding: 4px;")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAccessibleName("Billing code suggestions")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        row = QHBoxLayout()
        row.addWidget(QLabel("Session minutes:"))
        row.addWidget(self.minutes)
        row.addStretch()
        row2 = QHBoxLayout()
        row2.addWidget(self.suggest_button)
        row2.addStretch()
        col = QVBoxLayout(self)
        col.addLayout(row)
        col.addLayout(row2)
        col.addWidget(self.caution)
        col.addWidget(self.results, 1)

    def set_minutes(self, minutes: int | None) -> None:
        self.minutes.setValue(minutes or 0)
        self.results.clear()

    def show_suggestions(self, billing: dict) -> None:
        self.results.clear()
        for c in billing.get("cpt", []):
            units = f" × {c['units']}" if c.get("units", 1) != 1 else ""
            self.results.addItem(f"Suggested CPT {c['code']}{units} — {c['reason']}")
        for i in billing.get("icd10", []):
            self.results.addItem(f"Suggested ICD-10-CM {i['code']} {i['description']} — because: \"{i['evidence']}\"")
        for c in billing.get("not_billed", []):
            self.results.addItem(f"Not suggested: {c['code']} — {c['reason']}")
        for n in billing.get("notes", []):
            self.results.addItem(n)
        if not self.results.count():
            self.results.addItem("No codes to suggest for this session.")

    def codes(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]
