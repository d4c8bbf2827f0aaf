"""Unlocking: passphrase, recovery key, passphrase change, weak passphrases, key-file tampering."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from soapdesk.store import keys
from soapdesk.store.errors import (
    EncryptionUnavailable, KeyFileDamaged, VaultDamaged, VaultExists, VaultMissing, WeakPassphrase,
    WrongPassphrase, WrongRecoveryKey,
)
from soapdesk.store.keys import FLOOR, KdfParams, KeyFile, calibrate
from soapdesk.store.passphrase import weakness
from soapdesk.store.throttle import Throttle
from soapdesk.store.vault import Vault
from vault_helpers import OTHER_PASS, PASS, create, make_note, open_, sha256


def _snapshot(directory):
    return {p.name: sha256(p) for p in directory.iterdir() if p.is_file()}


def test_create_then_unlock_shows_saved_note(vault_path):
    v, recovery = create(vault_path)
    sid = v.save_note(make_note("hello"), client_label="A.B.")
    v.close()
    assert len(recovery.split("-")) == 8
    with open_(vault_path) as v:
        assert [r.id for r in v.list_sessions()] == [sid]


def test_wrong_passphrase_changes_nothing_on_disk(vault_path):
    create(vault_path)[0].close()
    before = _snapshot(vault_path.parent)
    with pytest.raises(WrongPassphrase) as err:
        open_(vault_path, "not the right passphrase")
    assert str(err.value) == "Wrong passphrase."
    assert _snapshot(vault_path.parent) == before  # same files, same bytes


def test_failed_attempts_are_audited_after_next_unlock(vault_path):
    create(vault_path)[0].close()
    gate = Throttle(sleep=lambda s: None)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            open_(vault_path, "not the right passphrase", throttle=gate)
    with open_(vault_path, throttle=gate) as v:
        last_open = [e for e in v.audit.entries() if e.event == "vault_opened"][-1]
    assert last_open.detail == {"failed_attempts": 2}


def test_rapid_wrong_attempts_back_off_after_five():
    slept: list[float] = []
    gate = Throttle(sleep=slept.append)
    for _ in range(20):
        gate.before_attempt("v")
        gate.failed("v")
    assert len(slept) == 15  # the first five attempts are free
    assert slept[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(slept) == 30.0  # capped
    gate.succeeded("v")
    assert gate.delay_for("v") == 0


def test_open_never_creates_a_vault(data_dir):
    missing = data_dir / "vault.db"
    with pytest.raises(VaultMissing):
        Vault.open(missing, PASS)
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_missing_key_file_is_reported_not_recreated(vault_path):
    create(vault_path)[0].close()
    (vault_path.with_suffix(".key")).unlink()
    with pytest.raises(VaultMissing, match="key file"):
        open_(vault_path)
    assert not vault_path.with_suffix(".key").exists()


def test_create_refuses_to_overwrite(vault_path):
    create(vault_path)[0].close()
    before = sha256(vault_path)
    with pytest.raises(VaultExists):
        create(vault_path, OTHER_PASS)
    assert sha256(vault_path) == before


def test_change_passphrase(vault_path):
    v, _ = create(vault_path)
    v.save_note(make_note())
    with pytest.raises(WrongPassphrase):
        v.change_passphrase("not the right passphrase", OTHER_PASS)
    with pytest.raises(WeakPassphrase):
        v.change_passphrase(PASS, "short")
    v.change_passphrase(PASS, OTHER_PASS)
    v.close()
    with pytest.raises(WrongPassphrase):
        open_(vault_path, PASS)
    with open_(vault_path, OTHER_PASS) as v:
        assert len(v.list_sessions()) == 1
        assert any(e.event == "passphrase_changed" for e in v.audit.entries())


def test_recovery_key_unlocks_and_sets_new_passphrase(vault_path):
    v, recovery = create(vault_path)
    v.save_note(make_note())
    v.close()
    typed = recovery.lower().replace("-", " ")  # what a person might type
    with Vault.open_with_recovery(vault_path, typed, OTHER_PASS, allow_weak_kdf_for_tests=True) as v:
        assert len(v.list_sessions()) == 1
    with pytest.raises(WrongPassphrase):
        open_(vault_path, PASS)
    open_(vault_path, OTHER_PASS).close()


def test_wrong_recovery_key_is_rejected(vault_path):
    create(vault_path)[0].close()
    before = _snapshot(vault_path.parent)
    with pytest.raises(WrongRecoveryKey):
        Vault.open_with_recovery(vault_path, keys.new_recovery_key(), OTHER_PASS, allow_weak_kdf_for_tests=True)
    with pytest.raises(WrongRecoveryKey):
        Vault.open_with_recovery(vault_path, "ABCD-EFGH", OTHER_PASS, allow_weak_kdf_for_tests=True)
    assert _snapshot(vault_path.parent) == before
    open_(vault_path, PASS).close()


@pytest.mark.parametrize("weak", [
    "", "            ", "short", "aaaaaaaaaaaaaaaa", "abababababab", "abcdefghijklmnop", "123456789012",
    "qwertyuiopasdf", "Password1234!", "letmein2024!!", "hellohellohello",
])
def test_weak_passphrases_are_rejected_with_a_reason(vault_path, weak):
    assert weakness(weak)
    with pytest.raises(WeakPassphrase) as err:
        create(vault_path, weak)
    assert str(err.value).endswith(".")
    assert not vault_path.exists()


@pytest.mark.parametrize("good", ["violet harbor lantern 42", "my dog eats purple socks", "Tr0ub4dor&3xyzzy"])
def test_reasonable_passphrases_are_accepted(good):
    assert weakness(good) is None


# -- T07: key-file tampering ---------------------------------------------------------

def _edit_keyfile(vault_path, edit):
    kp = vault_path.with_suffix(".key")
    doc = json.loads(kp.read_text())
    edit(doc)
    kp.write_text(json.dumps(doc))


def _real_vault(vault_path):
    """A vault at the real floor (no test override) so floor checks apply."""
    v, _ = Vault.create(vault_path, PASS, kdf=FLOOR)
    v.close()


def test_lowered_kdf_parameters_are_refused(vault_path):
    _real_vault(vault_path)
    _edit_keyfile(vault_path, lambda d: d["slots"]["passphrase"]["kdf"].update(m=1024))
    with pytest.raises(KeyFileDamaged):
        Vault.open(vault_path, PASS)


@pytest.mark.parametrize("edit", [
    lambda d: d["slots"]["passphrase"]["kdf"].update(t=FLOOR.time_cost + 1),  # raised: passes floor, fails AAD
    lambda d: d["slots"]["passphrase"]["kdf"].update(salt=d["slots"]["recovery"]["kdf"]["salt"]),
    lambda d: d.update(vault_id="0" * 32),
])
def test_edited_key_file_fields_do_not_unlock(vault_path, edit):
    _real_vault(vault_path)
    _edit_keyfile(vault_path, edit)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, PASS)


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": "soapdesk-vault-key", "version": 1}'])
def test_garbled_key_file_is_reported_damaged(vault_path, content):
    create(vault_path)[0].close()
    vault_path.with_suffix(".key").write_bytes(content)
    with pytest.raises(KeyFileDamaged):
        open_(vault_path)


def test_newer_key_file_version_asks_for_update(vault_path):
    create(vault_path)[0].close()
    _edit_keyfile(vault_path, lambda d: d.update(version=99))
    with pytest.raises(Exception) as err:
        open_(vault_path)
    assert "newer SoapDesk" in str(err.value)


def test_test_parameters_are_refused_without_the_test_flag(vault_path):
    create(vault_path)[0].close()  # made with TEST_PARAMS
    with pytest.raises(KeyFileDamaged):
        Vault.open(vault_path, PASS)
    with pytest.raises(ValueError):
        Vault.create(vault_path.with_name("other.db"), PASS, kdf=keys.TEST_PARAMS)


# -- T08: calibration ----------------------------------------------------------------

def test_calibration_never_goes_below_the_floor():
    def timer_for(seconds_per_call):
        t = [0.0]

        def timer():
            t[0] += seconds_per_call / 2
            return t[0]
        return timer

    slow = calibrate(timer=timer_for(5.0))  # a very slow machine
    fast = calibrate(timer=timer_for(0.01))  # a very fast one
    assert slow.at_least(FLOOR) and fast.at_least(FLOOR)
    assert fast.memory_kib > slow.memory_kib or fast.time_cost > slow.time_cost
    assert fast.memory_kib <= keys.MAX_MEMORY_KIB


def test_calibrated_parameters_are_persisted(vault_path):
    v, _ = Vault.create(vault_path, PASS)  # real calibration on this machine
    v.close()
    doc = json.loads(vault_path.with_suffix(".key").read_text())
    kdf = doc["slots"]["passphrase"]["kdf"]
    assert KdfParams(kdf["t"], kdf["m"], kdf["p"]).at_least(FLOOR)
    assert kdf["alg"] == "argon2id" and kdf["m"] >= 64 * 1024
    Vault.open(vault_path, PASS).close()


# -- T02/T03: never plaintext ---------------------------------------------------------

def test_stdlib_sqlite_is_refused_before_anything_is_written(vault_path, monkeypatch):
    from soapdesk.store import db as dbmod

    monkeypatch.setattr(dbmod, "driver", sqlite3)
    with pytest.raises(EncryptionUnavailable):
        create(vault_path)
    assert not vault_path.exists()
    leftovers = [p for p in vault_path.parent.iterdir() if p.suffix in (".db", ".creating")]
    assert all(p.stat().st_size == 0 for p in leftovers) and not vault_path.with_suffix(".key").exists()


def test_stdlib_sqlite_is_refused_on_open(vault_path, monkeypatch):
    create(vault_path)[0].close()
    before = sha256(vault_path)
    from soapdesk.store import db as dbmod

    monkeypatch.setattr(dbmod, "driver", sqlite3)
    with pytest.raises(EncryptionUnavailable):
        open_(vault_path)
    assert sha256(vault_path) == before


def test_a_plaintext_database_is_never_opened_as_a_vault(vault_path):
    create(vault_path)[0].close()
    os.replace(vault_path, vault_path.with_name("real.db"))
    conn = sqlite3.connect(vault_path)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    before = sha256(vault_path)
    with pytest.raises(VaultDamaged, match="not encrypted"):
        open_(vault_path)
    assert sha256(vault_path) == before


def test_key_file_of_another_vault_is_damage_not_wrong_passphrase(tmp_path):
    a, b = tmp_path / "a" / "vault.db", tmp_path / "b" / "vault.db"
    create(a)[0].close()
    create(b)[0].close()
    os.replace(b.with_suffix(".key"), a.with_suffix(".key"))
    with pytest.raises(VaultDamaged):
        open_(a)


def test_stale_temp_key_file_is_cleaned_up_on_next_open(vault_path):
    create(vault_path)[0].close()
    tmp = vault_path.with_name("vault.key.tmp")
    tmp.write_bytes(b"half written")
    open_(vault_path).close()
    assert not tmp.exists()


def test_keyfile_round_trip_binds_slots():
    kf = KeyFile.new()
    dek = keys.new_dek()
    kf.seal_passphrase(PASS, dek, keys.TEST_PARAMS)
    parsed = KeyFile.parse(kf.to_bytes(), keys.TEST_PARAMS)
    assert parsed.unseal_passphrase(PASS) == dek
    # Swapping the two slots' ciphertexts must not unwrap.
    rk = keys.new_recovery_key()
    kf.seal_recovery(rk, dek)
    kf.slots["passphrase"]["ct"], kf.slots["recovery"]["ct"] = kf.slots["recovery"]["ct"], kf.slots["passphrase"]["ct"]
    with pytest.raises(WrongPassphrase):
        kf.unseal_passphrase(PASS)
