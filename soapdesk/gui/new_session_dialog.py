"""New session: which client, which note format, how long (optional)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from soapdesk.core import templates as templates_mod


@dataclass(frozen=True)
class NewSession:
    client_label: str | None
    template: str
    length_min: int | None


def template_choices() -> list[tuple[str, str]]:
    out = []
    for tid in templates_mod.available():
        try:
            out.append((tid, templates_mod.load(tid).title))
        except Exception:  # noqa: BLE001 - a broken user template is skipped here
            continue
    return out


class NewSessionDialog(QDialog):
    def __init__(self, clients: list[str], default_template: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New session")
        self.client = QComboBox()
        self.client.setEditable(True)
        self.client.addItems(clients)
        self.client.setCurrentText("")
        self.client.lineEdit().setPlaceholderText("Client label or initials (optional)")
        self.template = QComboBox()
        for tid, title in template_choices():
            self.template.addItem(title, tid)
        idx = self.template.findData(default_template)
        self.template.setCurrentIndex(max(0, idx))
        self.length = QSpinBox()
        self.length.setRange(0, 240)
        self.length.setSuffix(" min")
        self.length.setSpecialValueText("Not set")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Start session")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Client", self.client)
        form.addRow("Note format", self.template)
        form.addRow("Session length", self.length)
        form.addRow(buttons)

    def choice(self) -> NewSession:
        label = self.client.currentText().strip() or None
        return NewSession(label, self.template.currentData(), self.length.value() or None)

    @classmethod
    def ask(cls, parent, clients: list[str], default_template: str) -> NewSession | None:
        dlg = cls(clients, default_template, parent)
        return dlg.choice() if dlg.exec() == QDialog.Accepted else None
