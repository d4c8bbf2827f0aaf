"""Wires the Models page to core.model_files on the files lane (install, verify, import)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from soapdesk.core import catalog, model_files
from soapdesk.gui import errors


class ModelController(QObject):
    changed = Signal()

    def __init__(self, page, ctx, lanes, parent: QObject | None = None):
        super().__init__(parent)
        self.page = page
        self.ctx = ctx
        self.lanes = lanes
        self.task = None
        page.install_requested.connect(self.install)
        page.verify_requested.connect(self.verify)
        page.import_requested.connect(self.import_path)
        page.cancel_requested.connect(lambda: self.task.cancel() if self.task is not None else None)

    def attach(self) -> None:
        self.page.refresh(self.ctx.settings)

    def _run(self, label: str, fn, done_text) -> None:
        self.page.set_busy(label, 0.0)

        def progressed(p):
            self.page.set_busy(p[0], p[1])

        def finished(_r):
            self.task = None
            self.page.set_busy(None)
            self.changed.emit()
            self.page.missing.setText(done_text)

        def failed(exc):
            self.task = None
            self.page.set_busy(None)
            self.changed.emit()
            self.page.missing.setText(errors.sentence(exc))

        self.task = self.lanes.io.submit(fn, name="models", progressed=progressed, finished=finished,
                                         failed=failed)

    def install(self, model_id: str) -> None:
        entry = catalog.get(model_id)
        self._run(f"Installing {entry.title}…",
                  lambda cancel, report: model_files.install(entry, on_progress=lambda s, f: report((s, f)),
                                                             cancel=cancel),
                  f"{entry.title} is installed.")

    def verify(self, model_id: str) -> None:
        entry = catalog.get(model_id)
        self._run(f"Checking {entry.title}…", lambda cancel, report: model_files.verify(entry, full=True),
                  f"{entry.title} is intact.")

    def import_path(self, path) -> None:
        self._run("Importing…", lambda cancel, report: model_files.import_model(path),
                  "Imported. Choose it in Settings to use it.")
