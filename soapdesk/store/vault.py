"""The vault: one encrypted SQLCipher file plus its key file.

    vault, recovery_key = Vault.create(path, passphrase)   # show recovery_key once
    with Vault.open(path, passphrase) as vault:
        session_id = vault.save_note(note, client_label="J.D.")

Opening never creates a database; a wrong passphrase touches nothing on
disk; the file's header is checked to be encrypted; one process at a time
holds the vault (flock).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import BinaryIO

from soapdesk.core import paths
from soapdesk.core.note import Note, Section
from soapdesk.core import fsutil
from soapdesk.store import passphrase as rules, schema
from soapdesk.store import throttle as throttle_mod
from soapdesk.store.audio import PCM, Audio, AudioData
from soapdesk.store.audit import AuditLog
from soapdesk.store.clients import Clients
from soapdesk.store.db import Database, driver, header_is_plaintext
from soapdesk.store.errors import VaultDamaged, VaultExists, VaultLocked, VaultMissing
from soapdesk.store.integrity import CheckReport, run_check
from soapdesk.store.keys import KdfParams, KeyFile, calibrate, floor_for, key_path_for, new_dek, new_recovery_key, wipe
from soapdesk.store.lock import VaultLock
from soapdesk.store.notes import Finalization, Notes
from soapdesk.store.search import SearchIndex
from soapdesk.store.sessions import SessionRow, Sessions
from soapdesk.store.settings import VaultSettings
from soapdesk.store.transcripts import Transcripts

log = logging.getLogger(__name__)


class Vault:
    def __init__(self, path: Path, db: Database, dek: bytearray, lock: VaultLock, floor: KdfParams):
        self.path = path
        self.key_path = key_path_for(path)
        self._db = db
        self._dek = dek
        self._lock = lock
        self._floor = floor
        self.audit = AuditLog(db)
        self.index = SearchIndex(db)
        self.clients = Clients(db)
        self.sessions = Sessions(db, self.audit, self.index)
        self.audio = Audio(db, self.audit)
        self.transcripts = Transcripts(db, self.audit, self.index)
        self.notes = Notes(db, self.audit, self.index, self.transcripts)
        self.settings = VaultSettings(db)

    # -- creating and opening ---------------------------------------------
    @classmethod
    def create(cls, path: Path | None = None, passphrase: str = "", *, kdf: KdfParams | None = None,
               allow_weak_kdf_for_tests: bool = False) -> tuple["Vault", str]:
        """Create a new vault; returns it open, and the recovery key to show the clinician once."""
        path = Path(path or paths.vault_path())
        key_path = key_path_for(path)
        if path.exists() or key_path.exists():
            raise VaultExists()
        rules.check(passphrase)
        floor = floor_for(allow_weak_kdf_for_tests)
        params = kdf or calibrate()
        if not params.at_least(floor):
            raise ValueError("KDF parameters below the floor")
        paths.ensure_private_dir(path.parent)

        dek = new_dek()
        recovery_key = new_recovery_key()
        keyfile = KeyFile.new()
        keyfile.seal_passphrase(passphrase, dek, params)
        keyfile.seal_recovery(recovery_key, dek)

        # Build under a temporary name so a crash never leaves a half-made vault.db.
        tmp = path.with_name(path.name + ".creating")
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private from the first byte
        try:
            db = Database.open(tmp, dek, create=True)  # refuses before writing if SQLCipher is absent
            try:
                db.execute("PRAGMA journal_mode = DELETE")
                db.execute("PRAGMA synchronous = FULL")
                schema.migrate(db, tmp)
                db.execute("INSERT INTO meta (key, value) VALUES ('vault_id', ?)", (keyfile.vault_id,))
            finally:
                db.close()
            if header_is_plaintext(tmp):
                raise VaultDamaged("Refusing to create an unencrypted vault.")
            keyfile.save(key_path)
            os.replace(tmp, path)
            fsutil.fsync_dir(path.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        vault = cls._attach(path, keyfile, dek, floor=floor, event="vault_created")
        log.info("vault created (kdf m=%d KiB t=%d)", params.memory_kib, params.time_cost)
        return vault, recovery_key

    @classmethod
    def open(cls, path: Path | None = None, passphrase: str = "", *, throttle: throttle_mod.Throttle | None = None,
             allow_weak_kdf_for_tests: bool = False) -> "Vault":
        path = Path(path or paths.vault_path())
        floor = floor_for(allow_weak_kdf_for_tests)
        keyfile = cls._load_keyfile(path, floor)
        gate = throttle or throttle_mod.DEFAULT
        gate.before_attempt(str(path))
        try:
            dek = keyfile.unseal_passphrase(passphrase)
        except Exception:
            gate.failed(str(path))
            log.info("vault unlock failed")
            raise
        failures = gate.succeeded(str(path))
        return cls._attach(path, keyfile, dek, floor=floor, event="vault_opened", failed_attempts=failures)

    @classmethod
    def open_with_recovery(cls, path: Path | None, recovery_key: str, new_passphrase: str, *,
                           kdf: KdfParams | None = None, throttle: throttle_mod.Throttle | None = None,
                           allow_weak_kdf_for_tests: bool = False) -> "Vault":
        """Unlock with the recovery key and set a new passphrase (the old one stops working)."""
        path = Path(path or paths.vault_path())
        rules.check(new_passphrase)  # before anything, so a weak choice costs nothing
        floor = floor_for(allow_weak_kdf_for_tests)
        keyfile = cls._load_keyfile(path, floor)
        gate = throttle or throttle_mod.DEFAULT
        gate.before_attempt(str(path))
        try:
            dek = keyfile.unseal_recovery(recovery_key)
        except Exception:
            gate.failed(str(path))
            raise
        failures = gate.succeeded(str(path))
        vault = cls._attach(path, keyfile, dek, floor=floor, event="vault_opened_with_recovery_key",
                            failed_attempts=failures)
        try:
            keyfile.seal_passphrase(new_passphrase, dek, kdf or keyfile.passphrase_params())
            keyfile.save(vault.key_path)
            vault.audit.record("passphrase_reset")
        except BaseException:
            vault.close()
            raise
        return vault

    @staticmethod
    def _load_keyfile(path: Path, floor: KdfParams) -> KeyFile:
        if not path.exists():
            raise VaultMissing()
        return KeyFile.load(key_path_for(path), floor)

    @classmethod
    def _attach(cls, path: Path, keyfile: KeyFile, dek: bytearray, *, floor: KdfParams, event: str,
                failed_attempts: int = 0) -> "Vault":
        lock = VaultLock(path).acquire()
        try:
            fsutil.remove_stale_tmp(key_path_for(path))  # a passphrase change killed mid-write
            if fsutil.file_size(path) == 0:
                raise VaultDamaged()
            if header_is_plaintext(path):
                raise VaultDamaged("The vault file is not encrypted; SoapDesk will not use it.")
            db = Database.open(path, dek)
            try:
                try:
                    db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except driver.DatabaseError:
                    # The key unwrapped, so this is damage (or a key file from another vault), not a wrong passphrase.
                    raise VaultDamaged() from None
                db.configure()
                schema.migrate(db, path)
                row = db.one("SELECT value FROM meta WHERE key = 'vault_id'")
                if row is None or row[0] != keyfile.vault_id:
                    raise VaultDamaged("The key file belongs to a different vault; nothing was changed.")
            except BaseException:
                db.close()
                raise
        except BaseException:
            lock.release()
            wipe(dek)
            raise
        vault = cls(path, db, dek, lock, floor)
        detail = {"failed_attempts": failed_attempts} if failed_attempts else {}
        vault.audit.record(event, **detail)
        return vault

    # -- keys ------------------------------------------------------------------
    def change_passphrase(self, old_passphrase: str, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Rewrap the database key; the database itself is not rewritten.

        The key file is replaced atomically: after a crash exactly one of the
        old and new passphrases works (T09)."""
        db = self._require_open()
        rules.check(new_passphrase)
        keyfile = KeyFile.load(self.key_path, self._floor)
        current = keyfile.unseal_passphrase(old_passphrase)
        if bytes(current) != bytes(self._dek):
            raise VaultDamaged("The key file no longer matches this vault; nothing was changed.")
        wipe(current)
        keyfile.seal_passphrase(new_passphrase, self._dek, kdf or keyfile.passphrase_params())
        keyfile.save(self.key_path)
        self.audit.record("passphrase_changed")

    def replace_recovery_key(self, passphrase: str) -> str:
        """Issue a new recovery key (the old one stops working); show it once."""
        self._require_open()
        keyfile = KeyFile.load(self.key_path, self._floor)
        wipe(keyfile.unseal_passphrase(passphrase))
        recovery_key = new_recovery_key()
        keyfile.seal_recovery(recovery_key, self._dek)
        keyfile.save(self.key_path)
        self.audit.record("recovery_key_replaced")
        return recovery_key

    # -- lifecycle ---------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._db is not None

    def _require_open(self) -> Database:
        if self._db is None:
            raise VaultLocked()
        return self._db

    @property
    def db(self) -> Database:
        return self._require_open()

    def close(self) -> None:
        """Close the connection, zero the key we hold, release the lock."""
        if self._db is None:
            return
        try:
            self.audit.record("vault_closed")
        except Exception:  # noqa: BLE001 - closing must always release the lock
            log.warning("could not record vault close")
        self._db.close()
        self._db = None
        wipe(self._dek)
        self._lock.release()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- conveniences the GUI and CLI call ----------------------------------------
    def start_session(self, *, client_label: str | None = None, template: str | None = None,
                      started_at: str | None = None) -> str:
        """A new session in 'recording' state, ready for append_audio_chunk()."""
        with self.db.transaction():
            client_id = self.clients.get_or_create(client_label) if client_label else None
            return self.sessions.create(client_id=client_id, template=template, started_at=started_at)

    def append_audio_chunk(self, session_id: str, seq: int, data: bytes, *, sample_rate: int = 16000,
                           channels: int = 1, fmt: str = PCM) -> None:
        self.audio.append_chunk(session_id, seq, data, fmt=fmt, sample_rate=sample_rate, channels=channels)

    def read_audio(self, session_id: str) -> AudioData | None:
        return self.audio.read(session_id)

    def save_note(self, note: Note, *, client_label: str | None = None, audio: bytes | BinaryIO | None = None,
                  audio_format: str | None = None, audio_sample_rate: int | None = None,
                  audio_channels: int | None = None, started_at: str | None = None,
                  expires_at: str | None = None, author: str = "ai") -> str:
        """Store session + audio + transcript + draft in one transaction; returns the session id.

        Saving a note whose id is already stored keeps a new revision instead."""
        db = self.db
        if self.notes.exists(note.note_id):
            self.notes.save_revision(note.note_id, note.sections, author="clinician")
            return self.notes.session_for(note.note_id)
        with db.transaction():
            client_id = self.clients.get_or_create(client_label) if client_label else None
            sid = self.sessions.create(client_id=client_id, started_at=started_at, template=note.template,
                                       status="draft", duration_s=note.transcript.duration_s)
            if audio is not None:
                self.audio.import_stream(sid, audio, fmt=audio_format or "unknown",
                                         sample_rate=audio_sample_rate, channels=audio_channels)
            self.transcripts.save(sid, note.transcript)
            self.notes.create(sid, note, author=author, expires_at=expires_at)
            if note.finalized:
                self.notes.finalize(note.note_id, finalized_by="clinician")
        log.info("session saved: %s (segments=%d)", sid, len(note.transcript.segments))
        return sid

    def save_draft(self, note_id: str, sections: list[Section], *, author: str = "clinician") -> int:
        return self.notes.save_revision(note_id, sections, author=author)

    def load_note(self, session_id: str) -> Note:
        note_id = self.notes.id_for_session(session_id)
        if note_id is None:
            from soapdesk.store.errors import NotFound

            raise NotFound("This session has no note.")
        return self.notes.load(note_id)

    def finalize_note(self, note_id: str, *, finalized_by: str) -> Finalization:
        return self.notes.finalize(note_id, finalized_by=finalized_by)

    def add_addendum(self, note_id: str, text: str, *, author: str = "clinician") -> int:
        return self.notes.add_addendum(note_id, text, author=author)

    def list_sessions(self, search: str | None = None, *, limit: int | None = None) -> list[SessionRow]:
        return self.sessions.list(search, limit=limit)

    def delete_session(self, session_id: str) -> None:
        self.sessions.delete(session_id)

    def check(self) -> CheckReport:
        return run_check(self.db, self.audit)

    def purge(self, *, dry_run: bool = True, policy=None, now=None):
        from soapdesk.store.retention import purge

        return purge(self, dry_run=dry_run, policy=policy, now=now)

    def backup(self, dest: Path, *, backup_passphrase: str | None = None) -> Path:
        from soapdesk.store.backup import create_backup

        return create_backup(self, Path(dest), backup_passphrase=backup_passphrase)

    def export_note(self, note_id: str, dest: Path, *, fmt: str = "txt") -> Path:
        from soapdesk.store.export import export_note

        return export_note(self, note_id, Path(dest), fmt=fmt)
