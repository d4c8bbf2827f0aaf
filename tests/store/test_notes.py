"""Sessions, audio, transcripts, drafts, finalization, addenda, audit chain, search."""

from __future__ import annotations

import numpy as np
import pytest

from soapdesk.core.note import Section
from soapdesk.store.errors import NoteFinalized, VaultDamaged
from vault_helpers import make_note


def test_save_note_round_trips_everything(vault):
    note = make_note("round trip")
    note.models = {"asr": "whisper-tiny.en", "llm": "qwen"}
    audio = (np.arange(16000, dtype=np.int16)).tobytes()
    sid = vault.save_note(note, client_label="J.D.", audio=audio, audio_format="pcm_s16le",
                          audio_sample_rate=16000, audio_channels=1)
    row = vault.list_sessions()[0]
    assert (row.id, row.client_label, row.template, row.status) == (sid, "J.D.", "soap", "draft")
    loaded = vault.load_note(sid)
    assert loaded.sections == note.sections and loaded.models == note.models
    assert loaded.transcript.segments == note.transcript.segments
    assert loaded.note_id == note.note_id and not loaded.finalized
    stored = vault.read_audio(sid)
    assert stored.data == audio and stored.sample_rate == 16000


def test_recording_appends_chunks_in_order(vault):
    sid = vault.start_session(client_label="K", template="soap")
    chunks = [np.full(16000 * 5, i, dtype=np.int16).tobytes() for i in range(3)]
    for seq, chunk in enumerate(chunks):
        vault.append_audio_chunk(sid, seq, chunk)
    arr = vault.read_audio(sid).to_array()
    assert arr.shape == (3 * 16000 * 5,) and arr.dtype == np.float32
    assert vault.audio.next_seq(sid) == 3
    assert vault.sessions.get(sid).status == "recording"


def test_every_revision_is_kept(vault):
    note = make_note()
    vault.save_note(note)
    edited = [Section("subjective", "Subjective", "Clinician wording"), Section("plan", "Plan", "Weekly")]
    assert vault.save_draft(note.note_id, edited) == 2
    revs = vault.notes.revisions(note.note_id)
    assert [(r.revision, r.author) for r in revs] == [(1, "ai"), (2, "clinician")]
    assert revs[0].sections == note.sections and revs[1].sections == edited


def test_finalized_note_is_locked_and_takes_addenda(vault):
    note = make_note()
    sid = vault.save_note(note)
    fin = vault.finalize_note(note.note_id, finalized_by="Dr. Test")
    assert len(fin.content_sha256) == 64 and vault.sessions.get(sid).status == "finalized"
    with pytest.raises(NoteFinalized):
        vault.save_draft(note.note_id, [Section("plan", "Plan", "changed")])
    with pytest.raises(NoteFinalized):
        vault.finalize_note(note.note_id, finalized_by="someone else")
    vault.add_addendum(note.note_id, "Called client on Friday.")
    assert [a.text for a in vault.notes.addenda(note.note_id)] == ["Called client on Friday."]
    assert vault.load_note(sid).finalized and vault.notes.verify_finalized(note.note_id)


def test_database_itself_refuses_edits_to_finalized_notes(vault):
    """Even code that bypasses the repository cannot add or change revisions."""
    note = make_note()
    vault.save_note(note)
    vault.finalize_note(note.note_id, finalized_by="Dr. Test")
    db = vault.db
    with pytest.raises(Exception, match="finalized"):
        with db.transaction():
            db.execute("INSERT INTO note_revisions VALUES (?, 9, '[]', 'clinician', 'x')", (note.note_id,))
    with pytest.raises(Exception, match="immutable"):
        with db.transaction():
            db.execute("UPDATE note_revisions SET sections_json = '[]' WHERE note_id = ?", (note.note_id,))


def test_audit_log_records_actions_without_text(vault):
    canary = "marmalade-kestrel-canary"
    note = make_note(canary)
    sid = vault.save_note(note, client_label="Z")
    vault.load_note(sid)
    vault.finalize_note(note.note_id, finalized_by="Dr. Test")
    vault.add_addendum(note.note_id, canary)
    events = [e.event for e in vault.audit.entries()]
    for expected in ("vault_created", "session_created", "note_created", "note_viewed", "note_finalized",
                     "addendum_added"):
        assert expected in events
    dump = repr(vault.db.query("SELECT * FROM audit_log"))
    assert canary not in dump
    with pytest.raises(ValueError):
        vault.audit.record("oops", detail="x" * 200)  # long strings (text) refused


def test_audit_chain_detects_an_edited_row(vault):
    vault.save_note(make_note())
    assert vault.audit.verify() == []
    target = vault.db.query("SELECT id FROM audit_log WHERE event = 'note_created'")[0][0]
    with vault.db.transaction():
        vault.db.execute("UPDATE audit_log SET event = 'nothing_happened' WHERE id = ?", (target,))
    assert vault.audit.verify() == [target]
    assert vault.check().audit_chain_broken_at == [target]


def test_audit_chain_detects_a_deleted_row(vault):
    vault.save_note(make_note())
    ids = [r[0] for r in vault.db.query("SELECT id FROM audit_log ORDER BY id")]
    with vault.db.transaction():
        vault.db.execute("DELETE FROM audit_log WHERE id = ?", (ids[1],))
    assert vault.audit.verify() == [ids[2]]


def test_search_finds_notes_and_transcripts_by_word(vault):
    a = vault.save_note(make_note("insomnia"), client_label="A")
    b = vault.save_note(make_note("panic"), client_label="B")
    assert [r.id for r in vault.list_sessions("insomnia")] == [a]
    assert [r.id for r in vault.list_sessions("PANIC")] == [b]
    assert [r.id for r in vault.list_sessions("pan")] == [b]  # prefix of the last word
    assert {r.id for r in vault.list_sessions("sleeping")} == {a, b}
    assert vault.list_sessions("sleeping insomnia")[0].id == a
    assert vault.list_sessions("nonexistentword") == []
    # FTS syntax in the query is treated as words, never an error.
    for q in ['"', "NEAR(", "a OR", "-x", "*", "'); DROP TABLE notes; --"]:
        vault.list_sessions(q)
    note = make_note()
    vault.save_note(note)
    vault.finalize_note(note.note_id, finalized_by="Dr")
    vault.add_addendum(note.note_id, "telehealth followup")
    assert len(vault.list_sessions("telehealth")) == 1


def test_hostile_text_round_trips_byte_exact(vault):
    weird = "'); DROP TABLE sessions; --\x00 \u202eRTL\u202c 😀 " + "x" * 100_000
    note = make_note()
    note.sections[0].text = weird
    sid = vault.save_note(note, client_label="'); DROP TABLE clients; --")
    assert vault.load_note(sid).sections[0].text == weird
    assert vault.list_sessions()[0].client_label == "'); DROP TABLE clients; --"


def test_session_status_and_failure_reason(vault):
    sid = vault.start_session()
    vault.sessions.set_status(sid, "failed", failure_reason="audio_unreadable")
    row = vault.sessions.get(sid)
    assert (row.status, row.failure_reason) == ("failed", "audio_unreadable")
    with pytest.raises(ValueError):
        vault.sessions.set_status(sid, "bogus")


def test_settings_store_vocabulary(vault):
    vault.settings.set_vocabulary(["sertraline", " ", "Dr. Okonkwo"])
    assert vault.settings.vocabulary() == ["sertraline", "Dr. Okonkwo"]


def test_saving_the_same_note_again_adds_a_revision(vault):
    note = make_note()
    sid = vault.save_note(note)
    note.sections[0].text = "edited"
    assert vault.save_note(note) == sid
    assert len(vault.notes.revisions(note.note_id)) == 2
    assert len(vault.list_sessions()) == 1


def test_closed_vault_refuses_work(vault):
    vault.close()
    with pytest.raises(Exception, match="locked"):
        vault.list_sessions()


def test_driver_errors_become_typed(vault):
    with pytest.raises(VaultDamaged):
        from soapdesk.store.db import translate, driver
        raise translate(driver.DatabaseError("database disk image is malformed"))


def test_disk_full_fails_cleanly_and_keeps_prior_data(vault):
    from soapdesk.store.errors import DiskFull

    sid = vault.save_note(make_note("before"))
    pages = vault.db.one("PRAGMA page_count")[0]
    vault.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # stands in for a full disk
    with pytest.raises(DiskFull):
        vault.save_note(make_note("too big"), audio=b"z" * 1_000_000, audio_format="ogg")
    vault.db.execute("PRAGMA max_page_count = 1073741823")
    assert [r.id for r in vault.list_sessions()] == [sid]  # the failed save left nothing half-written
    vault.save_note(make_note("after space was freed"))
    assert len(vault.list_sessions()) == 2
