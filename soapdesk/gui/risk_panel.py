"""The risk checklist: the screen's status and quotes per domain; the clinician confirms
(or corrects) each before the note can be finalized."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from soapdesk.core import risk
from soapdesk.gui.workflow import STATUS_WORDS, risk_choices


class RiskChecklist(QWidget):
    changed = Signal()  # a status or a confirmation changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        intro = QLabel("Risk screen — confirm or correct each line before finalizing. The screen only reads the "
                       "transcript; your confirmation is what counts.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.PlainText)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.PlainText)
        self.status.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(3)
        self.rows: dict[str, tuple[QLabel, QComboBox, QCheckBox]] = {}
        for r, d in enumerate(risk.DOMAINS):
            name = QLabel(risk.LABELS[d].capitalize())
            f = name.font()
            f.setBold(True)
            name.setFont(f)
            screen = QLabel("")
            screen.setTextFormat(Qt.PlainText)
            screen.setWordWrap(True)
            combo = QComboBox()
            combo.setAccessibleName(f"{risk.LABELS[d]} status")
            for status in risk_choices(d):
                combo.addItem(STATUS_WORDS[status], status)
            combo.activated.connect(lambda _i, d=d: self._picked(d))
            box = QCheckBox("Confirmed")
            box.setAccessibleName(f"Confirm {risk.LABELS[d]}")
            box.toggled.connect(lambda _on: self._update())
            grid.addWidget(name, 3 * r, 0, 1, 3)
            grid.addWidget(combo, 3 * r + 1, 0, 1, 2)
            grid.addWidget(box, 3 * r + 1, 2)
            grid.addWidget(screen, 3 * r + 2, 0, 1, 3)
            self.rows[d] = (screen, combo, box)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(grid)
        col.addWidget(self.status)
        col.addStretch()
        self._screened: dict | None = None
        self.clear()

    def clear(self) -> None:
        self._screened = None
        for screen, combo, box in self.rows.values():
            screen.setText("Not screened yet.")
            combo.setCurrentIndex(combo.findData(risk.NOT_ASSESSED))
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.set_locked(False)
        self._update()

    def set_findings(self, findings: dict, confirmed: dict[str, str] | None = None) -> None:
        """Show the screen; keep the clinician's choices unless the screen itself changed."""
        same = self._screened is not None and {d: f.status for d, f in self._screened.items()} == \
            {d: f.status for d, f in findings.items()}
        self._screened = findings
        for d, (screen, combo, box) in self.rows.items():
            f = findings.get(d) or risk.RiskFinding(d)
            quotes = "; ".join(f"\"{e.quote}\" (segment {e.segment_id})" for e in f.evidence[:3])
            screen.setText(f"Screen: {STATUS_WORDS[f.status]}" + (f" — {quotes}" if quotes else
                           (" — never asked or mentioned" if f.status == risk.NOT_ASSESSED else "")))
            if confirmed and d in confirmed:
                status, on = confirmed[d], True
            elif same:
                continue
            else:
                status, on = f.status, False
            combo.setCurrentIndex(max(0, combo.findData(status)))
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self._update()

    def _picked(self, _domain: str) -> None:
        self._update()

    def set_locked(self, locked: bool) -> None:
        for _screen, combo, box in self.rows.values():
            combo.setEnabled(not locked)
            box.setEnabled(not locked)

    def statuses(self) -> dict[str, str]:
        return {d: combo.currentData() for d, (_s, combo, _b) in self.rows.items()}

    def all_confirmed(self) -> bool:
        return self._screened is not None and all(box.isChecked() for _s, _c, box in self.rows.values())

    def confirm(self, domain: str, status: str | None = None) -> None:
        """Set (optionally correct) and confirm one domain, as the clinician's clicks do."""
        _screen, combo, box = self.rows[domain]
        if status is not None:
            combo.setCurrentIndex(combo.findData(status))
        box.setChecked(True)

    def _update(self) -> None:
        left = [risk.LABELS[d] for d, (_s, _c, box) in self.rows.items() if not box.isChecked()]
        if self._screened is None:
            self.status.setText("")
        elif left:
            self.status.setText(f"Still to confirm: {', '.join(left)}.")
        else:
            self.status.setText("All risk lines confirmed.")
        self.changed.emit()
