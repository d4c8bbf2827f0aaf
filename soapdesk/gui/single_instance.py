"""One SoapDesk window per user (T27), without QtNetwork.

The first instance holds an flock on `<data dir>/gui.lock` and watches
`<data dir>/gui.raise`; a second instance finds the lock taken, touches the
raise file (the first window comes to the front) and exits.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from soapdesk.core import paths


class SingleInstance(QObject):
    raise_requested = Signal()

    def __init__(self, data_dir: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.dir = paths.ensure_private_dir(Path(data_dir or paths.data_dir()))
        self.lock_path = self.dir / "gui.lock"
        self.raise_path = self.dir / "gui.raise"
        self._fd: int | None = None
        self._watcher: QFileSystemWatcher | None = None

    def acquire(self) -> bool:
        """True if this is the only instance (and now holds the lock)."""
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        self.raise_path.write_text("")
        self._watcher = QFileSystemWatcher([str(self.raise_path)], self)
        self._watcher.fileChanged.connect(self._changed)
        return True

    def ask_first_to_raise(self) -> None:
        self.raise_path.write_text(str(time.time()))

    def _changed(self, _path: str) -> None:
        if self.raise_path.exists() and str(self.raise_path) not in self._watcher.files():
            self._watcher.addPath(str(self.raise_path))
        self.raise_requested.emit()

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
