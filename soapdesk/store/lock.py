"""Single-instance lock: one SoapDesk process writes a vault at a time (T27).

An exclusive, non-blocking flock on `<vault>.lock`. The kernel drops it when
the process dies, so a crash never leaves a stale lock behind. The lock file
itself is never deleted (deleting lock files races with other openers).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from soapdesk.store.errors import VaultBusy


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class VaultLock:
    def __init__(self, db_path: Path):
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    def acquire(self) -> "VaultLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VaultBusy() from None
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
