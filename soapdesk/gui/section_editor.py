"""One section: title, plain-text editor, Regenerate and Copy section.

The checks' results are painted on top of the text (never changing it):
sentences the transcript does not support get a light red background and
flagged ones an amber one, each with the reason as a tooltip. Clicking a
sentence emits `sentence_clicked(key, sentence)`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTextEdit, QToolTip, QVBoxLayout,
                               QWidget)

UNSUPPORTED_BG = QColor("#f8d0d0")
FLAGGED_BG = QColor("#fbe3b5")


class Mark:
    """A checked sentence's place in the editor text."""

    __slots__ = ("start", "end", "sentence", "tip", "kind")

    def __init__(self, start: int, end: int, sentence: str, tip: str, kind: str):
        self.start, self.end, self.sentence, self.tip, self.kind = start, end, sentence, tip, kind


def locate(text: str, sentences: list[str]) -> list[tuple[int, int] | None]:
    """Character spans of sentences (in order) in `text`; None where one is not found."""
    spans, pos = [], 0
    for s in sentences:
        i = text.find(s, pos)
        if i < 0:
            i = text.find(s)
        if i < 0:
            spans.append(None)
            continue
        spans.append((i, i + len(s)))
        pos = i + len(s)
    return spans


class SectionEditor(QWidget):
    changed = Signal(str)  # key
    regenerate_clicked = Signal(str)
    copy_clicked = Signal(str)
    sentence_clicked = Signal(str, str)  # key, sentence text

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.title = title
        self.marks: list[Mark] = []
        self.sentences: list = []  # SentenceEvidence of the last check, in order
        heading = QLabel(title)
        f = heading.font()
        f.setBold(True)
        heading.setFont(f)
        # Plain text only: model output is never interpreted as HTML or markdown (T38).
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName(f"{title} section")
        self.editor.setMinimumHeight(90)
        self.editor.textChanged.connect(lambda: self.changed.emit(self.key))
        self.editor.viewport().installEventFilter(self)
        self.editor.viewport().setMouseTracking(True)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip(f"Draft the {title} section again")
        self.regenerate_button.clicked.connect(lambda: self.regenerate_clicked.emit(self.key))
        self.copy_button = QPushButton("Copy section")
        self.copy_button.clicked.connect(lambda: self.copy_clicked.emit(self.key))
        self.check_label = QLabel("")
        self.check_label.setStyleSheet("color: #8a1f1f;")
        row = QHBoxLayout()
        row.addWidget(heading)
        row.addWidget(self.check_label)
        row.addStretch()
        row.addWidget(self.regenerate_button)
        row.addWidget(self.copy_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 4, 0, 4)
        col.addLayout(row)
        col.addWidget(self.editor)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text without it counting as the clinician's edit."""
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.document().clearUndoRedoStacks()
        self.editor.blockSignals(False)
        self.set_checks([], [])

    def append_streamed(self, delta: str) -> None:
        self.editor.blockSignals(True)
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.End)
        cursor.insertText(delta)
        self.editor.blockSignals(False)

    def set_locked(self, locked: bool) -> None:
        self.editor.setReadOnly(locked)
        self.regenerate_button.setEnabled(not locked)

    # -- checks ------------------------------------------------------------------
    def set_checks(self, sentences: list, flags: list) -> None:
        """Paint unsupported (red) and flagged (amber) sentences; the text itself is untouched."""
        self.sentences = list(sentences)
        text = self.text()
        self.marks = []
        reasons: dict[str, list[str]] = {}
        for f in flags:
            reasons.setdefault(f.sentence, []).append(f.reason)
        spans = locate(text, [s.text for s in self.sentences])
        for se, span in zip(self.sentences, spans):
            if span is None:
                continue
            tips = []
            if not se.supported:
                tips.append("Not found in the transcript: " + (se.reason or "check this sentence."))
            tips += reasons.pop(se.text, [])
            if tips:
                self.marks.append(Mark(span[0], span[1], se.text, "\n".join(tips),
                                       "unsupported" if not se.supported else "flagged"))
        for sentence, why in reasons.items():  # a flag on a sentence the splitter cut differently
            span = locate(text, [sentence])[0]
            if span is not None:
                self.marks.append(Mark(span[0], span[1], sentence, "\n".join(why), "flagged"))
        self._paint()
        n_uns = sum(1 for m in self.marks if m.kind == "unsupported")
        n_flag = len(self.marks) - n_uns
        parts = ([f"{n_uns} unsupported"] if n_uns else []) + ([f"{n_flag} flagged"] if n_flag else [])
        self.check_label.setText(" · ".join(parts))

    def _paint(self) -> None:
        selections = []
        for m in self.marks:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(UNSUPPORTED_BG if m.kind == "unsupported" else FLAGGED_BG)
            fmt.setToolTip(m.tip)
            fmt.setProperty(QTextFormat.UserProperty, m.kind)
            sel.format = fmt
            cur = QTextCursor(self.editor.document())
            cur.setPosition(m.start)
            cur.setPosition(min(m.end, len(self.text())), QTextCursor.KeepAnchor)
            sel.cursor = cur
            selections.append(sel)
        self.editor.setExtraSelections(selections)

    def highlighted(self) -> list[tuple[str, str, str]]:
        """(kind, sentence, tooltip) of every painted mark — what the clinician sees."""
        text = self.text()
        out = []
        for sel in self.editor.extraSelections():
            c = sel.cursor
            out.append((sel.format.property(QTextFormat.UserProperty), text[c.selectionStart():c.selectionEnd()],
                        sel.format.toolTip()))
        return out

    def mark_at(self, pos: int) -> Mark | None:
        # the painted cursors follow the clinician's typing; the marks' own offsets do not
        for m, sel in zip(self.marks, self.editor.extraSelections()):
            if sel.cursor.selectionStart() <= pos <= sel.cursor.selectionEnd():
                return m
        return None

    def sentence_at(self, pos: int) -> str | None:
        text = self.text()
        for se, span in zip(self.sentences, locate(text, [s.text for s in self.sentences])):
            if span and span[0] <= pos <= span[1]:
                return se.text
        return None

    def select_sentence(self, sentence: str) -> bool:
        span = locate(self.text(), [sentence])[0]
        if span is None:
            return False
        cur = self.editor.textCursor()
        cur.setPosition(span[0])
        cur.setPosition(span[1], QTextCursor.KeepAnchor)
        self.editor.setTextCursor(cur)
        self.editor.ensureCursorVisible()
        self.editor.setFocus()
        return True

    def eventFilter(self, obj, event):  # noqa: N802
        if obj is self.editor.viewport():
            if event.type() == QEvent.ToolTip:
                pos = self.editor.cursorForPosition(event.pos()).position()
                m = self.mark_at(pos)
                if m is not None:
                    QToolTip.showText(event.globalPos(), m.tip, self.editor)
                else:
                    QToolTip.hideText()
                return True
            if event.type() == QEvent.MouseButtonRelease and not self.editor.textCursor().hasSelection():
                sentence = self.sentence_at(self.editor.textCursor().position())
                if sentence:
                    self.sentence_clicked.emit(self.key, sentence)
        return super().eventFilter(obj, event)
