"""Settings in plain language. Technical settings go to settings.toml; the vocabulary
list (it often holds client names) and retention policy go into the vault."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from soapdesk.core import catalog
from soapdesk.core.catalog import ASR, LLM
from soapdesk.store.retention import RetentionPolicy

ASR_HINTS = {"whisper-tiny.en": "Fastest (tiny)", "whisper-base.en": "Balanced (base)",
             "whisper-small.en": "Most accurate (small, slower)"}


class SettingsPage(QWidget):
    saved = Signal(object, list, object)  # Settings, vocabulary, RetentionPolicy

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = None
        self.asr = QComboBox()
        self.llm = QComboBox()
        self.threads = QSpinBox()
        self.threads.setRange(1, max(1, os.cpu_count() or 1))
        self.vocabulary = QPlainTextEdit()
        self.vocabulary.setPlaceholderText("One per line: names, medications, places you often mention")
        self.vocabulary.setTabChangesFocus(True)
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(1, 240)
        self.auto_lock.setSuffix(" minutes")
        self.clipboard = QSpinBox()
        self.clipboard.setRange(5, 3600)
        self.clipboard.setSuffix(" seconds")
        self.keep_audio = QCheckBox("Delete the recording once I have accepted the transcript")
        self.expire_drafts = QCheckBox("Delete drafts that were never finalized when they expire")
        self.save_button = QPushButton("Save settings")
        self.save_button.clicked.connect(self._save)
        self.status = QLabel("")

        speech = QGroupBox("Transcription and drafting")
        f1 = QFormLayout(speech)
        f1.addRow("Accuracy vs speed", self.asr)
        f1.addRow("Drafting model", self.llm)
        f1.addRow("Processor cores to use", self.threads)
        words = QGroupBox("Words SoapDesk should know")
        QVBoxLayout(words).addWidget(self.vocabulary)
        safety = QGroupBox("Privacy and safety")
        f2 = QFormLayout(safety)
        f2.addRow("Lock after I am away for", self.auto_lock)
        f2.addRow("Clear copied notes from the clipboard after", self.clipboard)
        f2.addRow(self.keep_audio)
        f2.addRow(self.expire_drafts)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        col = QVBoxLayout(self)
        col.addWidget(speech)
        col.addWidget(words, 1)
        col.addWidget(safety)
        col.addLayout(row)

    def load(self, settings, vocabulary: list[str], policy: RetentionPolicy) -> None:
        self._settings = settings
        self._policy = policy
        _fill(self.asr, ASR, settings.asr_model, ASR_HINTS)
        _fill(self.llm, LLM, settings.llm_model, {})
        self.threads.setValue(settings.threads)
        self.vocabulary.setPlainText("\n".join(vocabulary))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.clipboard.setValue(settings.clipboard_clear_seconds)
        self.keep_audio.setChecked(policy.audio_after_transcript_accepted)
        self.expire_drafts.setChecked(policy.expire_drafts)
        self.status.setText("")

    def _save(self) -> None:
        settings = self._settings.replace(
            asr_model=self.asr.currentData() or self._settings.asr_model,
            llm_model=self.llm.currentData() or self._settings.llm_model,
            threads=self.threads.value(), auto_lock_minutes=self.auto_lock.value(),
            clipboard_clear_seconds=self.clipboard.value())
        words = [w.strip() for w in self.vocabulary.toPlainText().splitlines() if w.strip()]
        policy = RetentionPolicy(**{**self._policy.to_dict(),
                                    "audio_after_transcript_accepted": self.keep_audio.isChecked(),
                                    "expire_drafts": self.expire_drafts.isChecked()})
        self._settings = settings
        self.saved.emit(settings, words, policy)
        self.status.setText("Saved.")


def _fill(combo: QComboBox, kind: str, current: str, hints: dict) -> None:
    combo.clear()
    for e in catalog.load_catalog():
        if e.kind == kind:
            combo.addItem(hints.get(e.id, e.title), e.id)
    idx = combo.findData(current)
    if idx < 0:
        combo.addItem(current, current)
        idx = combo.count() - 1
    combo.setCurrentIndex(idx)
