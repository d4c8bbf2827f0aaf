"""T02/T04/T47: nothing readable on disk without the key; no canary in any file."""

from __future__ import annotations

import logging
import sqlite3
import tempfile

import numpy as np
import pytest

from soapdesk.store.db import PLAINTEXT_HEADER
from soapdesk.store.logging_setup import configure_logging
from vault_helpers import create, files_containing, make_note, open_, plaintext_pages

CANARY = "Quokka Tangerine Lighthouse 7731"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    t = tmp_path / "tmp"
    t.mkdir()
    monkeypatch.setenv("TMPDIR", str(t))
    monkeypatch.setattr(tempfile, "tempdir", str(t))
    return t


def _full_workflow(vault_path):
    handler = configure_logging()
    try:
        v, _ = create(vault_path)
        note = make_note(CANARY)
        audio = np.frombuffer((CANARY * 2000).encode()[: 32000 * 2], dtype=np.int16).tobytes()
        sid = v.save_note(note, client_label=CANARY, audio=audio, audio_format="pcm_s16le")
        v.settings.set_vocabulary([CANARY])
        logging.getLogger("soapdesk.test").info("saved %s with text %s", sid, note.sections[0].text)
        v.finalize_note(note.note_id, finalized_by="Dr. Test")
        v.add_addendum(note.note_id, CANARY)
        v.load_note(sid)
        assert v.list_sessions(CANARY.split()[0])
        return v, sid
    finally:
        handler.flush()
        logging.getLogger().removeHandler(handler)
        handler.close()
        _stop_faulthandler()


def _stop_faulthandler():
    import faulthandler

    from soapdesk.store import logging_setup

    faulthandler.disable()
    if logging_setup._fault_file is not None:
        logging_setup._fault_file.close()
        logging_setup._fault_file = None


def test_no_canary_in_any_file_while_open_and_after_close(vault_path, data_dir, private_tmp):
    v, _ = _full_workflow(vault_path)
    dek = bytes(v._dek)
    # While open: vault.db, -wal and -shm all exist and hold nothing readable.
    assert {p.name for p in data_dir.iterdir()} >= {"vault.db", "vault.db-wal", "vault.db-shm", "vault.key", "logs"}
    assert files_containing(data_dir, CANARY) == []
    assert files_containing(private_tmp, CANARY) == []
    # Sanity: the canary really is in there once decrypted, so the scan above means something.
    assert any(CANARY.encode() in p for p in plaintext_pages(vault_path, dek))
    v.close()
    assert files_containing(data_dir, CANARY) == []
    assert list(private_tmp.iterdir()) == []  # no temp files at all


def test_every_database_header_is_encrypted(vault_path, data_dir):
    v, _ = _full_workflow(vault_path)
    v.backup(data_dir / "b.backup")
    v.close()
    for p in data_dir.rglob("*"):
        if p.is_file():
            assert not p.read_bytes().startswith(PLAINTEXT_HEADER), p.name


def test_stdlib_sqlite_cannot_read_the_vault(vault_path):
    v, _ = _full_workflow(vault_path)
    v.close()
    conn = sqlite3.connect(f"file:{vault_path}?mode=ro", uri=True)
    conn.execute("PRAGMA key = 'violet harbor lantern 42'")  # ignored by stdlib sqlite3
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_sqlcipher_without_the_key_cannot_read_it(vault_path):
    from soapdesk.store.db import driver

    v, _ = _full_workflow(vault_path)
    v.close()
    conn = driver.connect(f"file:{vault_path}?mode=ro", uri=True)
    conn.execute("PRAGMA key = 'violet harbor lantern 42'")  # the passphrase is not the database key
    with pytest.raises(driver.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_log_file_has_ids_not_text(vault_path, data_dir):
    v, sid = _full_workflow(vault_path)
    v.close()
    log_text = (data_dir / "logs" / "soapdesk.log").read_text()
    assert sid in log_text and "redacted" in log_text
    assert CANARY not in log_text
    open_(vault_path).close()
