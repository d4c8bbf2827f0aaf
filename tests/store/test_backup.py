"""T28: backup → restore round trip; a bad backup changes nothing; export only finalized notes."""

from __future__ import annotations

import tarfile

import pytest

from soapdesk.store.backup import restore_backup
from soapdesk.store.db import PLAINTEXT_HEADER
from soapdesk.store.errors import BackupInvalid, NoteNotFinalized, WrongPassphrase
from vault_helpers import OTHER_PASS, PASS, create, make_note, open_, sha256

KW = {"allow_weak_kdf_for_tests": True}


def _filled(vault_path):
    v, _ = create(vault_path)
    sids = [v.save_note(make_note(f"backup {i}"), client_label=f"C{i}", audio=bytes(range(256)) * 100,
                        audio_format="ogg") for i in range(3)]
    return v, sids


def test_round_trip_into_a_fresh_directory(vault_path, tmp_path):
    v, sids = _filled(vault_path)
    backup = v.backup(tmp_path / "out" / "soapdesk.backup")
    notes = {s: v.load_note(s).sections for s in sids}
    v.close()
    with tarfile.open(backup) as tar:
        assert sorted(tar.getnames()) == ["manifest.json", "vault.db", "vault.key"]
        assert not tar.extractfile("vault.db").read(16) == PLAINTEXT_HEADER
    fresh = tmp_path / "elsewhere" / "vault.db"
    restore_backup(backup, PASS, fresh, **KW)
    with open_(fresh) as r:
        assert {row.id for row in r.list_sessions()} == set(sids)
        assert {s: r.load_note(s).sections for s in sids} == notes
        assert r.read_audio(sids[0]).data == bytes(range(256)) * 100
        assert r.check().ok


def test_restore_over_an_existing_vault_replaces_it(vault_path, tmp_path):
    v, sids = _filled(vault_path)
    backup = v.backup(tmp_path / "b.backup")
    v.save_note(make_note("after the backup"))
    v.close()
    restore_backup(backup, PASS, vault_path, **KW)
    with open_(vault_path) as r:
        assert {row.id for row in r.list_sessions()} == set(sids)
        assert any(e.event == "restored_from_backup" for e in r.audit.entries())
    assert not list(vault_path.parent.glob(".restore-*"))


def test_backup_with_its_own_passphrase(vault_path, tmp_path):
    v, sids = _filled(vault_path)
    backup = v.backup(tmp_path / "b.backup", backup_passphrase=OTHER_PASS)
    v.close()
    target = tmp_path / "r" / "vault.db"
    with pytest.raises(WrongPassphrase):
        restore_backup(backup, PASS, target, **KW)
    restore_backup(backup, OTHER_PASS, target, new_passphrase="a brand new passphrase", **KW)
    with open_(target, "a brand new passphrase") as r:
        assert len(r.list_sessions()) == 3


def _corrupt_db_member(backup, out):
    with tarfile.open(backup) as src, tarfile.open(out, "w") as dst:
        for m in src.getmembers():
            data = bytearray(src.extractfile(m).read())
            if m.name == "vault.db":
                data[len(data) // 2] ^= 0xFF
            import io
            dst.addfile(m, io.BytesIO(bytes(data)))


@pytest.mark.parametrize("how", ["flipped", "truncated", "not_a_backup", "missing"])
def test_bad_backup_leaves_the_current_vault_untouched(vault_path, tmp_path, how):
    v, sids = _filled(vault_path)
    good = v.backup(tmp_path / "good.backup")
    v.close()
    bad = tmp_path / "bad.backup"
    if how == "flipped":
        _corrupt_db_member(good, bad)
    elif how == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif how == "not_a_backup":
        bad.write_bytes(b"hello" * 1000)
    before = {p.name: sha256(p) for p in vault_path.parent.iterdir() if p.is_file()}
    with pytest.raises(BackupInvalid) as err:
        restore_backup(bad, PASS, vault_path, **KW)
    assert "nothing was changed" in str(err.value)
    after = {p.name: sha256(p) for p in vault_path.parent.iterdir() if p.is_file()}
    assert after == before
    with open_(vault_path) as r:
        assert {row.id for row in r.list_sessions()} == set(sids)


def test_damaged_database_inside_a_consistent_backup_is_caught_by_the_integrity_check(vault_path, tmp_path):
    """Even with a matching manifest hash, restore opens and checks the copy before replacing anything."""
    import hashlib
    import io
    import json

    v, _ = _filled(vault_path)
    good = v.backup(tmp_path / "good.backup")
    v.close()
    with tarfile.open(good) as src:
        files = {m.name: src.extractfile(m).read() for m in src.getmembers()}
    db = bytearray(files["vault.db"])
    db[len(db) - 4096 + 200] ^= 0xFF  # last page
    manifest = json.loads(files["manifest.json"])
    manifest["db_sha256"] = hashlib.sha256(bytes(db)).hexdigest()
    files["vault.db"], files["manifest.json"] = bytes(db), json.dumps(manifest).encode()
    forged = tmp_path / "forged.backup"
    with tarfile.open(forged, "w") as dst:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    before = sha256(vault_path)
    with pytest.raises(BackupInvalid):
        restore_backup(forged, PASS, vault_path, **KW)
    assert sha256(vault_path) == before


def test_export_only_finalized_notes(vault, tmp_path):
    note = make_note("export me")
    vault.save_note(note)
    with pytest.raises(NoteNotFinalized):
        vault.export_note(note.note_id, tmp_path / "n.txt")
    assert not (tmp_path / "n.txt").exists()
    vault.finalize_note(note.note_id, finalized_by="Dr. Test")
    vault.add_addendum(note.note_id, "Addendum text ünïcode")
    txt = vault.export_note(note.note_id, tmp_path / "n.txt").read_text()
    assert "SUBJECTIVE" in txt and "export me" in txt and "ADDENDUM" in txt and "Dr. Test" in txt
    assert "AI DRAFT" not in txt
    pdf = vault.export_note(note.note_id, tmp_path / "n.pdf", fmt="pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert [e.event for e in vault.audit.entries()].count("note_exported") == 2
