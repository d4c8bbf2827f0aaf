"""The one place that talks to SQLCipher: connect, key, pragmas, transactions.

Python's stdlib `sqlite3` accepts `PRAGMA key`, ignores it and writes a
plaintext database, so the driver is checked (`PRAGMA cipher_version` must be
non-empty) before anything is read or written (T03). Files are opened with
`mode=rw` so asking to open never creates a database (T02).
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from urllib.parse import quote

import sqlcipher3 as driver

from soapdesk.store.errors import DiskFull, EncryptionUnavailable, VaultBusy, VaultDamaged, VaultLocked

PLAINTEXT_HEADER = b"SQLite format 3\x00"

DatabaseError = driver.DatabaseError


def header_is_plaintext(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == PLAINTEXT_HEADER


def translate(exc: Exception) -> Exception:
    """Map a driver error to a typed vault error (message carries no SQL or data)."""
    msg = str(exc).lower()
    if "full" in msg:
        return DiskFull()
    if "locked" in msg or "busy" in msg:
        return VaultBusy()
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg or "disk i/o" in msg:
        return VaultDamaged(
            "The vault file is damaged; part of it could not be read. Run `soapdesk vault check` "
            "to see what can still be read, and restore from a backup."
        )
    return exc


class Database:
    """One SQLCipher connection, shared across threads behind a lock.

    SQLite connections are not for concurrent use; the GUI saves on one
    worker lane, so a re-entrant lock is enough.
    """

    def __init__(self, conn, path: Path | None = None, dek: bytearray | None = None):
        self.conn = conn
        self.path = path
        self._dek = dek  # the Vault's buffer (zeroed on close); kept to reconnect after damage
        self._lock = threading.RLock()
        self._depth = 0

    @classmethod
    def open(cls, path: Path, dek: bytes, *, create: bool = False, drv=None) -> "Database":
        drv = drv or driver
        mode = "rwc" if create else "rw"
        uri = f"file:{quote(str(path))}?mode={mode}"
        try:
            conn = drv.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except drv.OperationalError:
            raise VaultDamaged("The vault file could not be opened.") from None
        try:
            # Must be the first statement on the connection.
            conn.execute(f"PRAGMA key = \"x'{bytes(dek).hex()}'\"")
            row = conn.execute("PRAGMA cipher_version").fetchone()
            if not row or not row[0]:
                raise EncryptionUnavailable()
            # SQLCipher logs decrypt failures to stderr by default (T49).
            conn.execute("PRAGMA cipher_log_level = NONE")
            # Zero SQLCipher's buffers on free; best effort, slightly slower.
            conn.execute("PRAGMA cipher_memory_security = ON")
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, dek)

    def sibling(self) -> "Database":
        """A fresh connection to the same file (used to read around damage)."""
        return Database.open(self.path, self._dek)

    def _fail(self, exc: Exception) -> Exception:
        """Translate a driver error; after damage, start over with a fresh connection,
        because SQLCipher keeps a page-decrypt failure sticky on the connection."""
        err = translate(exc)
        if isinstance(err, VaultDamaged) and self._depth == 0 and self.path is not None:
            with contextlib.suppress(Exception):
                fresh = self.sibling()
                fresh.configure()
                self.conn.close()
                self.conn = fresh.conn
        return err

    def configure(self) -> None:
        c = self.conn
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")  # an acknowledged save survives power loss
        c.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten, not just unlinked
        c.execute("PRAGMA temp_store = MEMORY")  # no temp files, even encrypted ones
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA busy_timeout = 2000")

    # -- queries ----------------------------------------------------------
    def _live(self):
        if self.conn is None:
            raise VaultLocked()
        return self.conn

    def execute(self, sql: str, params=()):
        with self._lock:
            try:
                return self._live().execute(sql, params)
            except driver.DatabaseError as exc:
                raise self._fail(exc) from None

    def query(self, sql: str, params=()) -> list:
        with self._lock:
            try:
                return self._live().execute(sql, params).fetchall()
            except driver.DatabaseError as exc:
                raise self._fail(exc) from None

    def one(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextlib.contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE … COMMIT; nested calls join the outer transaction.

        When the outermost block returns, the commit has been fsynced
        (WAL + synchronous=FULL)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            try:
                self._live().execute("BEGIN IMMEDIATE")
            except driver.DatabaseError as exc:
                raise translate(exc) from None
            self._depth = 1
            try:
                yield self
            except BaseException as exc:
                self._depth = 0
                with contextlib.suppress(driver.DatabaseError):
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, driver.DatabaseError):
                    raise self._fail(exc) from None
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except driver.DatabaseError as exc:
                with contextlib.suppress(driver.DatabaseError):
                    self.conn.execute("ROLLBACK")
                raise self._fail(exc) from None

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                with contextlib.suppress(driver.DatabaseError):
                    self.conn.close()
                self.conn = None
