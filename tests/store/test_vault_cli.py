"""`soapdesk vault ...` end to end in a subprocess, passphrase from SOAPDESK_PASSPHRASE."""

from __future__ import annotations

import subprocess

import pytest

from soapdesk.cli_vault import save_note_from_cli
from vault_helpers import PASS, PYTHON, child_env, files_containing, make_note

CANARY = "Narwhal Clarinet Meadow 5512"


def _cli(data_dir, *args, **env):
    return subprocess.run([PYTHON, "-m", "soapdesk.cli_vault", "vault", *args], capture_output=True, text=True,
                          env=child_env(data_dir, **env), timeout=120)


@pytest.fixture(scope="module")
def cli_vault(tmp_path_factory):
    """One real vault (calibrated Argon2) shared by the CLI tests, to keep them quick."""
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    out = _cli(data_dir, "init", SOAPDESK_PASSPHRASE=PASS)
    assert out.returncode == 0, out.stderr
    return data_dir, out.stdout


def test_init_prints_the_recovery_key_once(cli_vault):
    data_dir, stdout = cli_vault
    assert "Recovery key" in stdout
    key_line = stdout.splitlines()[2].strip()
    assert len(key_line.split("-")) == 8
    assert (data_dir / "vault.db").exists() and (data_dir / "vault.key").exists()
    assert PASS not in stdout


def test_init_refuses_to_overwrite(cli_vault):
    data_dir, _ = cli_vault
    out = _cli(data_dir, "init", SOAPDESK_PASSPHRASE=PASS)
    assert out.returncode == 5 and out.stderr.startswith("soapdesk: A vault already exists")


def test_unlock_check(cli_vault):
    data_dir, _ = cli_vault
    ok = _cli(data_dir, "unlock-check", SOAPDESK_PASSPHRASE=PASS)
    assert ok.returncode == 0 and ok.stdout.startswith("Vault unlocked")
    bad = _cli(data_dir, "unlock-check", SOAPDESK_PASSPHRASE="not the right passphrase")
    assert bad.returncode == 5 and bad.stderr.strip() == "soapdesk: Wrong passphrase."


def test_weak_passphrase_on_init_exits_2(tmp_path):
    out = _cli(tmp_path / "d", "init", SOAPDESK_PASSPHRASE="short")
    assert out.returncode == 2 and "at least 12 characters" in out.stderr


def test_saved_note_is_listed_and_searchable_with_no_plaintext_left(cli_vault, monkeypatch, tmp_path):
    data_dir, _ = cli_vault
    monkeypatch.setenv("SOAPDESK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SOAPDESK_PASSPHRASE", PASS)
    audio = tmp_path / "session.ogg"
    audio.write_bytes(b"OggS" + CANARY.encode() * 100)
    sid = save_note_from_cli(make_note(CANARY), audio_path=audio, client_label="Client 7")
    listing = _cli(data_dir, "list", SOAPDESK_PASSPHRASE=PASS)
    assert listing.returncode == 0 and sid in listing.stdout and "Client 7" in listing.stdout
    found = _cli(data_dir, "list", "--search", "narwhal", SOAPDESK_PASSPHRASE=PASS)
    assert sid in found.stdout
    assert "No sessions match" in _cli(data_dir, "list", "--search", "zzzqqq", SOAPDESK_PASSPHRASE=PASS).stdout
    check = _cli(data_dir, "check", SOAPDESK_PASSPHRASE=PASS)
    assert check.returncode == 0 and "passed" in check.stdout
    dry = _cli(data_dir, "purge", "--dry-run", SOAPDESK_PASSPHRASE=PASS)
    assert dry.returncode == 0 and CANARY not in dry.stdout
    assert files_containing(data_dir, CANARY) == []  # vault, WAL, key, logs: nothing readable


def test_backup_and_change_passphrase(cli_vault, tmp_path):
    data_dir, _ = cli_vault
    backup = tmp_path / "v.backup"
    out = _cli(data_dir, "backup", str(backup), SOAPDESK_PASSPHRASE=PASS)
    assert out.returncode == 0 and backup.exists()
    new = "fresh meadow violin 31"
    out = _cli(data_dir, "change-passphrase", SOAPDESK_PASSPHRASE=PASS, SOAPDESK_NEW_PASSPHRASE=new)
    assert out.returncode == 0, out.stderr
    assert _cli(data_dir, "unlock-check", SOAPDESK_PASSPHRASE=new).returncode == 0
    out = _cli(data_dir, "change-passphrase", SOAPDESK_PASSPHRASE=new, SOAPDESK_NEW_PASSPHRASE=PASS)
    assert out.returncode == 0


def test_passphrase_is_never_a_command_line_argument():
    import argparse

    from soapdesk.cli_vault import add_vault_commands

    parser = argparse.ArgumentParser()
    add_vault_commands(parser.add_subparsers())
    text = repr(parser._actions) + "".join(repr(a) for a in parser._subparsers._actions)
    assert "passphrase=" not in text.lower()
    with pytest.raises(SystemExit):
        parser.parse_args(["vault", "unlock-check", "--passphrase", "x"])
