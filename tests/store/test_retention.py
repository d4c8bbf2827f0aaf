"""Retention deletes what it says, nothing else, and the bytes really leave the file."""

from __future__ import annotations

from datetime import timedelta

from soapdesk.core.transcript import Segment
from soapdesk.store import timeutil
from soapdesk.store.retention import RetentionPolicy, load_policy, save_policy
from soapdesk.store.settings import RISK_CONFIRMED
from vault_helpers import make_note, open_, plaintext_pages

AUDIO_CANARY = b"AUDIO-CANARY-Pelican-Saxophone-" * 4000  # ~120 KB, compressible: plainly visible if left
TRANSCRIPT_CANARY = "Walrus Accordion Nebula"
TRANSCRIPT_ONLY = "Xylographicus"  # said in the session, not written in the note


def _setup(vault):
    """accepted: transcript accepted → its audio goes; pending: not accepted → audio stays;
    final: finalized note → transcript goes after N days; expired: draft past expires_at → all goes."""
    ids = {}
    ids["accepted"] = vault.save_note(make_note("alpha"), audio=AUDIO_CANARY, audio_format="pcm_s16le")
    vault.transcripts.accept(ids["accepted"])
    ids["pending"] = vault.save_note(make_note("bravo"), audio=b"keep me" * 1000, audio_format="pcm_s16le")
    final = make_note(TRANSCRIPT_CANARY)
    final.transcript.segments.append(Segment(99, TRANSCRIPT_ONLY, 99.0, 100.0, "client"))
    ids["final"] = vault.save_note(final)
    vault.finalize_note(final.note_id, finalized_by="Dr")
    ids["expired"] = vault.save_note(make_note("charlie"), expires_at=timeutil.days_ago(1))
    ids["fresh_draft"] = vault.save_note(make_note("delta"), expires_at=timeutil.iso(timeutil.now() + timedelta(days=60)))
    return ids, final


POLICY = RetentionPolicy(audio_after_transcript_accepted=True, transcript_days_after_final=30, expire_drafts=True)
LATER = timeutil.now() + timedelta(days=31)


def test_dry_run_lists_without_deleting(vault):
    ids, _ = _setup(vault)
    plan = vault.purge(dry_run=True, policy=POLICY, now=LATER)
    got = {(i.kind, i.session_id) for i in plan.items}
    assert got == {("audio", ids["accepted"]), ("transcript", ids["final"]), ("draft", ids["expired"])}
    assert all(i.bytes > 0 for i in plan.items)
    assert vault.read_audio(ids["accepted"]) is not None
    assert len(vault.list_sessions()) == 5
    text = "\n".join(plan.lines())
    assert "Would delete 3" in text and TRANSCRIPT_CANARY not in text  # ids and sizes only


def test_purge_deletes_exactly_the_plan(vault):
    ids, final = _setup(vault)
    plan = vault.purge(dry_run=False, policy=POLICY, now=LATER)
    assert len(plan.items) == 3
    assert vault.read_audio(ids["accepted"]) is None
    assert vault.read_audio(ids["pending"]) is not None  # not accepted: kept
    assert vault.transcripts.load(ids["final"]) is None
    assert vault.load_note(ids["final"]).sections == final.sections  # the finalized note itself stays
    assert vault.notes.verify_finalized(final.note_id)
    remaining = {r.id for r in vault.list_sessions()}
    assert remaining == {ids["accepted"], ids["pending"], ids["final"], ids["fresh_draft"]}
    assert vault.transcripts.load(ids["accepted"]) is not None  # only the audio went
    assert vault.list_sessions(TRANSCRIPT_CANARY) == [vault.sessions.get(ids["final"])]  # note text still indexed
    events = [e.event for e in vault.audit.entries()]
    assert {"audio_deleted", "transcript_deleted", "session_deleted", "purge"} <= set(events)
    assert vault.purge(dry_run=True, policy=POLICY, now=LATER).items == []


def test_purged_bytes_are_gone_from_the_file(vault):
    ids, _ = _setup(vault)
    dek = bytes(vault._dek)
    segment = TRANSCRIPT_CANARY.encode()
    before = plaintext_pages(vault.path, dek)
    assert any(AUDIO_CANARY[:40] in p for p in before) and any(segment in p for p in before)
    assert any(TRANSCRIPT_ONLY.lower().encode() in p for p in before)  # as an FTS term
    plan = vault.purge(dry_run=False, policy=POLICY, now=LATER)
    assert not plan.vacuumed or plan.total_bytes >= 1 << 20
    after = plaintext_pages(vault.path, dek)  # the main file and whatever is left in the WAL
    assert not any(AUDIO_CANARY[:40] in p for p in after)
    # The transcript text is gone; the finalized note (which contains the phrase) is kept on purpose.
    assert not any(f"segment 0 words {TRANSCRIPT_CANARY}".encode() in p for p in after)
    assert not any(TRANSCRIPT_ONLY.lower().encode() in p or TRANSCRIPT_ONLY.encode() in p for p in after)
    assert vault.check().ok


def test_policy_is_stored_in_the_vault(vault):
    assert load_policy(vault) == RetentionPolicy()
    save_policy(vault, RetentionPolicy(audio_max_days=14))
    assert load_policy(vault).audio_max_days == 14


def test_audio_max_days(vault):
    old = vault.save_note(make_note(), audio=b"x" * 100, audio_format="ogg", started_at=timeutil.days_ago(40))
    new = vault.save_note(make_note(), audio=b"y" * 100, audio_format="ogg")
    plan = vault.purge(dry_run=False, policy=RetentionPolicy(audio_after_transcript_accepted=False,
                                                              audio_max_days=30, expire_drafts=False))
    assert [(i.kind, i.session_id) for i in plan.items] == [("audio", old)]
    assert vault.read_audio(old) is None and vault.read_audio(new).data == b"y" * 100


# -- settings that belong to a note go with it -------------------------------------------------

CONFIRMED = {"suicidal_ideation": "denied", "homicidal_ideation": "denied", "self_harm": "not_assessed"}


def _note_settings(vault) -> set[str]:
    return {k for (k,) in vault.db.query("SELECT key FROM settings WHERE key LIKE 'risk_confirmed:%'")}


def _confirm(vault, session_id: str) -> str:
    note_id = vault.notes.id_for_session(session_id)
    vault.settings.set(RISK_CONFIRMED + note_id, CONFIRMED)  # what the window stores at confirmation
    return RISK_CONFIRMED + note_id


def test_deleting_a_session_deletes_its_risk_confirmation(vault):
    gone = vault.save_note(make_note("echo"))
    kept = vault.save_note(make_note("foxtrot"))
    gone_key, kept_key = _confirm(vault, gone), _confirm(vault, kept)
    vault.delete_session(gone)
    assert _note_settings(vault) == {kept_key}
    assert vault.settings.get(gone_key) is None and vault.settings.get(kept_key) == CONFIRMED


def test_retention_purge_deletes_the_risk_confirmation_of_an_expired_draft(vault):
    ids, _ = _setup(vault)
    keys = {name: _confirm(vault, sid) for name, sid in ids.items()}
    plan = vault.purge(dry_run=True, policy=POLICY, now=LATER)
    assert len(_note_settings(vault)) == 5  # a dry run deletes nothing
    plan = vault.purge(dry_run=False, policy=POLICY, now=LATER)
    assert ("draft", ids["expired"]) in {(i.kind, i.session_id) for i in plan.items}
    assert _note_settings(vault) == set(keys.values()) - {keys["expired"]}
    # Audio and transcript purges keep the note, so they keep its confirmation.
    assert vault.settings.get(keys["final"]) == CONFIRMED and vault.settings.get(keys["accepted"]) == CONFIRMED
    assert vault.check().ok


def test_purge_sweeps_confirmations_left_by_older_deletes(vault, vault_path):
    kept = vault.save_note(make_note("golf"))
    kept_key = _confirm(vault, kept)
    vault.settings.set(RISK_CONFIRMED + "0" * 32, CONFIRMED)  # its note was deleted before the fix
    vault.settings.set("vocabulary", ["Sertraline"])  # not note-scoped: untouched
    plan = vault.purge(dry_run=False, policy=RetentionPolicy(audio_after_transcript_accepted=False,
                                                              expire_drafts=False))
    assert plan.items == [] and plan.orphaned_settings_removed == 1
    assert _note_settings(vault) == {kept_key}
    assert vault.settings.vocabulary() == ["Sertraline"]
    vault.close()
    with open_(vault_path) as reopened:  # the real, encrypted file says the same after reopening
        assert reopened.settings.get(RISK_CONFIRMED + "0" * 32) is None
        assert reopened.settings.get(kept_key) == CONFIRMED
