"""Models: what is installed, install from the catalog (progress, cancel), import, verify.

A missing default model is explained at the top with the one button that fixes it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from soapdesk.core import catalog, model_files

KIND_WORDS = {"asr": "Transcription", "llm": "Drafting"}


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB" if n else ""


class ModelsPage(QWidget):
    install_requested = Signal(str)
    verify_requested = Signal(str)
    import_requested = Signal(Path)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.missing = QLabel("")
        self.missing.setTextFormat(Qt.PlainText)
        self.missing.setWordWrap(True)
        self.fix_button = QPushButton("")
        self.fix_button.setVisible(False)
        self.fix_button.clicked.connect(lambda: self.install_requested.emit(self.fix_button.property("model")))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Model", "Used for", "Size", "State"])
        self.tree.setColumnWidth(0, 460)
        self.tree.setRootIsDecorated(False)
        self.install_button = QPushButton("Install")
        self.install_button.clicked.connect(lambda: self._emit_selected(self.install_requested))
        self.verify_button = QPushButton("Verify")
        self.verify_button.clicked.connect(lambda: self._emit_selected(self.verify_requested))
        self.import_file_button = QPushButton("Import file…")
        self.import_file_button.clicked.connect(self._import_file)
        self.import_dir_button = QPushButton("Import folder…")
        self.import_dir_button.clicked.connect(self._import_dir)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        self.progress_label = QLabel("")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        top = QHBoxLayout()
        top.addWidget(self.missing, 1)
        top.addWidget(self.fix_button)
        buttons = QHBoxLayout()
        for b in (self.install_button, self.verify_button, self.import_file_button, self.import_dir_button):
            buttons.addWidget(b)
        buttons.addStretch()
        prog = QHBoxLayout()
        prog.addWidget(self.progress_label)
        prog.addWidget(self.progress, 1)
        prog.addWidget(self.cancel_button)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.tree, 1)
        col.addLayout(buttons)
        col.addLayout(prog)

    def refresh(self, settings) -> None:
        self.tree.clear()
        missing = []
        for e in catalog.load_catalog():
            installed = model_files.is_installed(e)
            in_use = e.id in (settings.asr_model, settings.llm_model)
            state = ("Installed" if installed else "Not installed") + (" · in use" if in_use else "")
            item = QTreeWidgetItem(self.tree, [e.title, KIND_WORDS.get(e.kind, e.kind), _size(e.size_bytes), state])
            item.setData(0, Qt.UserRole, e.id)
            item.setToolTip(0, e.id)
            if in_use and not installed:
                missing.append(e)
        if missing:
            e = missing[0]
            what = KIND_WORDS.get(e.kind, e.kind).lower()
            self.missing.setText(f"The {what} model you chose ({e.title}) is not installed yet, so SoapDesk "
                                 f"cannot do {what}. Install it once; it then works offline.")
            self.fix_button.setText(f"Install {e.title}")
            self.fix_button.setProperty("model", e.id)
        else:
            self.missing.setText("All models in use are installed. Nothing is downloaded while you work.")
        self.fix_button.setVisible(bool(missing))

    def set_busy(self, text: str | None, fraction: float | None = None) -> None:
        busy = text is not None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_label.setText(text or "")
        if fraction is not None:
            self.progress.setValue(int(fraction * 1000))
        for b in (self.install_button, self.verify_button, self.import_file_button, self.import_dir_button,
                  self.fix_button):
            b.setEnabled(not busy)

    def _emit_selected(self, signal) -> None:
        item = self.tree.currentItem()
        if item is not None:
            signal.emit(item.data(0, Qt.UserRole))

    def _import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a drafting model", str(Path.home()),
                                              "GGUF models (*.gguf)")
        if path:
            self.import_requested.emit(Path(path))

    def _import_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a speech model folder", str(Path.home()))
        if path:
            self.import_requested.emit(Path(path))
