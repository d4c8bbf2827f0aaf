"""Encrypted backups and verified restore.

A backup is an uncompressed tar with three members:
  manifest.json  format, vault id, row counts, sha256 of vault.db (no PHI)
  vault.key      the key file (optionally rewrapped under a backup passphrase)
  vault.db       `VACUUM INTO` copy: still encrypted with the same database key
Restore unpacks into a private staging directory beside the vault, opens and
checks the copy (integrity, row counts, hash) before anything is replaced,
and keeps the current vault aside until the restored one has opened.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import uuid
from pathlib import Path

from soapdesk.core import paths
from soapdesk.core import fsutil
from soapdesk.store import passphrase as rules, timeutil
from soapdesk.store.db import header_is_plaintext
from soapdesk.store.errors import BackupInvalid, VaultDamaged, VaultError
from soapdesk.store.keys import KeyFile, key_path_for
from soapdesk.store.lock import VaultLock

log = logging.getLogger(__name__)

FORMAT = "soapdesk-backup"
VERSION = 1
MEMBERS = ("manifest.json", "vault.key", "vault.db")
COUNTED = ("clients", "sessions", "audio_chunks", "transcript_segments", "notes", "note_revisions", "addenda",
           "audit_log")


def _counts(db) -> dict[str, int]:
    return {t: int(db.one(f"SELECT COUNT(*) FROM {t}")[0]) for t in COUNTED}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def create_backup(vault, dest: Path, *, backup_passphrase: str | None = None) -> Path:
    db = vault.db
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    if backup_passphrase is not None:
        rules.check(backup_passphrase)
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.partial-db")
    try:
        db.execute("VACUUM INTO ?", (str(partial),))  # same key: the copy is encrypted too
        os.chmod(partial, 0o600)
        if header_is_plaintext(partial):
            raise VaultDamaged("Refusing to write an unencrypted backup.")
        keyfile = KeyFile.load(vault.key_path, vault._floor)
        if backup_passphrase is not None:
            keyfile.seal_passphrase(backup_passphrase, vault._dek, keyfile.passphrase_params())
        manifest = {
            "format": FORMAT, "version": VERSION, "vault_id": keyfile.vault_id, "created_at": timeutil.iso(),
            "counts": _counts(db), "db_sha256": _sha256_file(partial),
            "separate_passphrase": backup_passphrase is not None,
        }
        tmp = dest.with_name(dest.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
                _add_bytes(tar, "vault.key", keyfile.to_bytes())
                tar.add(partial, arcname="vault.db", recursive=False, filter=_anonymous)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, dest)
        fsutil.fsync_dir(dest.parent)
    finally:
        partial.unlink(missing_ok=True)
    vault.audit.record("backup_created", separate_passphrase=backup_passphrase is not None)
    log.info("backup written (%d bytes)", dest.stat().st_size)
    return dest


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _anonymous(tarfile.TarInfo(name))
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _unpack(backup_file: Path, staging: Path) -> dict:
    """Copy the three members into `staging`; anything unexpected → BackupInvalid."""
    try:
        with tarfile.open(backup_file, mode="r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if set(members) != set(MEMBERS) or not all(m.isfile() for m in members.values()):
                raise BackupInvalid()
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read().decode("utf-8"))
            for name in ("vault.key", "vault.db"):
                src = tar.extractfile(members[name])
                fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
    except (tarfile.TarError, OSError, ValueError, KeyError, AttributeError):
        raise BackupInvalid() from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupInvalid()
    return manifest


def verify_staged(staged_db: Path, manifest: dict, passphrase: str, **open_kw) -> None:
    """Open the unpacked copy and check it is whole; raises BackupInvalid (or WrongPassphrase)."""
    from soapdesk.store.vault import Vault

    if header_is_plaintext(staged_db) or _sha256_file(staged_db) != manifest.get("db_sha256"):
        raise BackupInvalid()
    try:
        with Vault.open(staged_db, passphrase, **open_kw) as staged:
            report = staged.check()
            counts = _counts(staged.db)
    except VaultDamaged:
        raise BackupInvalid() from None
    if not report.ok:
        raise BackupInvalid("The backup is damaged (" + report.summary().splitlines()[1].rstrip(".")
                            + "); nothing was changed.")
    expected = manifest.get("counts", {})
    # The audit log gains rows from our own open/close; every other table must match exactly.
    if any(counts.get(t) != n for t, n in expected.items() if t != "audit_log"):
        raise BackupInvalid()


def restore_backup(backup_file: Path, passphrase: str, target: Path | None = None, *,
                   new_passphrase: str | None = None, keep_previous: bool = False, **open_kw) -> Path:
    """Replace the vault at `target` with the backup's, after verifying the backup.

    `passphrase` is the one the backup was made with. Returns the path of the
    previous vault kept aside when keep_previous, else the target path."""
    from soapdesk.store.vault import Vault

    target = Path(target or paths.vault_path())
    if new_passphrase is not None:
        rules.check(new_passphrase)
    paths.ensure_private_dir(target.parent)
    staging = target.parent / f".restore-{uuid.uuid4().hex}"
    staging.mkdir(mode=0o700)
    try:
        manifest = _unpack(Path(backup_file), staging)
        staged_db = staging / "vault.db"
        verify_staged(staged_db, manifest, passphrase, **open_kw)
        if new_passphrase is not None:
            with Vault.open(staged_db, passphrase, **open_kw) as staged:
                staged.change_passphrase(passphrase, new_passphrase)
        kept = _swap_in(staging, target)
        try:
            with Vault.open(target, new_passphrase or passphrase, **open_kw) as restored:
                restored.audit.record("restored_from_backup")
        except VaultError:
            _swap_back(staging, target)
            raise
        if keep_previous and kept:
            aside = target.with_name(f"{target.name}.before-restore-{timeutil.iso().replace(':', '')}")
            aside.mkdir(mode=0o700)
            for f in (staging / "previous").iterdir():
                os.replace(f, aside / f.name)
            return aside
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _vault_files(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm"), key_path_for(db)]


def _swap_in(staging: Path, target: Path) -> bool:
    """Move the current vault (with its WAL) aside and the staged one in, holding the vault lock."""
    lock = VaultLock(target).acquire()
    try:
        previous = staging / "previous"
        previous.mkdir(mode=0o700)
        kept = False
        for f in _vault_files(target):
            if f.exists():
                os.replace(f, previous / f.name)
                kept = True
        os.replace(staging / "vault.key", key_path_for(target))
        os.replace(staging / "vault.db", target)
        fsutil.fsync_dir(target.parent)
        return kept
    finally:
        lock.release()


def _swap_back(staging: Path, target: Path) -> None:
    lock = VaultLock(target).acquire()
    try:
        for f in _vault_files(target):
            f.unlink(missing_ok=True)
        for f in (staging / "previous").iterdir():
            os.replace(f, target.parent / f.name)
        fsutil.fsync_dir(target.parent)
    finally:
        lock.release()
