"""T05/T06/T29/T30: damage is detected and reported as damage, never as a wrong passphrase or a crash."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from soapdesk.core.errors import SoapDeskError
from soapdesk.store.errors import VaultDamaged, WrongPassphrase
from vault_helpers import PAGE, create, make_note, open_

AUDIO = os.urandom(400_000)  # big enough that the last pages of the file are audio


def _vault_with_audio(vault_path):
    v, _ = create(vault_path)
    sid = v.save_note(make_note("notes stay readable"), client_label="C", audio=AUDIO, audio_format="ogg")
    v.close()  # checkpoints the WAL into the main file
    return sid


def _flip(path, offset, n=8):
    data = bytearray(path.read_bytes())
    for i in range(n):
        data[offset + i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_flipped_page_is_named_and_readable_parts_listed(vault_path):
    sid = _vault_with_audio(vault_path)
    pages = vault_path.stat().st_size // PAGE
    _flip(vault_path, (pages - 2) * PAGE + 100)  # a page of the recording
    with open_(vault_path) as v:
        report = v.check()
        assert not report.ok
        assert report.damaged_pages == [pages - 1]  # SQLite numbers pages from 1
        assert "recordings" in report.unreadable
        assert {"session list", "notes", "transcripts"} <= set(report.readable)
        assert "Still readable" in report.summary() and "notes" in report.summary()
        # The damaged recording gives a typed error; the note can still be opened afterwards.
        with pytest.raises(VaultDamaged):
            v.read_audio(sid)
        assert v.load_note(sid).sections[0].text.endswith("sleeping poorly")
        assert len(v.list_sessions()) == 1


def test_flipped_first_page_is_damage_not_wrong_passphrase(vault_path):
    _vault_with_audio(vault_path)
    _flip(vault_path, 40)  # inside page 1, past the salt
    with pytest.raises(VaultDamaged) as err:
        open_(vault_path)
    assert not isinstance(err.value, WrongPassphrase)
    assert "damaged" in str(err.value)


def test_flipped_salt_is_damage_not_wrong_passphrase(vault_path):
    _vault_with_audio(vault_path)
    _flip(vault_path, 0, 4)
    with pytest.raises(VaultDamaged):
        open_(vault_path)


@pytest.mark.parametrize("damage", ["half", "zero", "random"])
def test_truncated_empty_or_foreign_file_is_damage(vault_path, damage):
    _vault_with_audio(vault_path)
    data = vault_path.read_bytes()
    vault_path.write_bytes({"half": data[: len(data) // 2], "zero": b"", "random": os.urandom(len(data))}[damage])
    try:
        with open_(vault_path) as v:  # may open if page 1 survived; then check() must see it
            assert not v.check().ok
    except VaultDamaged:
        pass
    assert vault_path.stat().st_size == {"half": len(data) // 2, "zero": 0, "random": len(data)}[damage]


def test_clean_vault_checks_ok(vault_path):
    _vault_with_audio(vault_path)
    with open_(vault_path) as v:
        report = v.check()
    assert report.ok and report.counts["sessions"] == 1 and report.summary().startswith("Vault check passed")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_damage_gives_only_typed_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "vault.db"
    v, _ = create(path)
    for i in range(5):
        v.save_note(make_note(f"note {i}"), audio=os.urandom(20_000), audio_format="ogg")
    v.close()
    target = data.draw(st.sampled_from([path, path.with_suffix(".key")]))
    raw = bytearray(target.read_bytes())
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(raw)))
        raw = raw[:cut]
    else:
        for _ in range(data.draw(st.integers(1, 5))):
            pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
            raw[pos] ^= data.draw(st.integers(1, 255))
    target.write_bytes(bytes(raw))
    try:
        with open_(path) as v:
            v.check()
            for row in v.list_sessions():
                v.load_note(row.id)
    except SoapDeskError:
        pass  # typed and explained; anything else (or a native crash) fails the test
