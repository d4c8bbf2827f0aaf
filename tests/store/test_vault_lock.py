"""T27: one process at a time; the second gets a clear message."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from soapdesk.store.errors import VaultBusy
from vault_helpers import PYTHON, child_env, create, open_


def test_second_process_gets_vault_busy(vault_path):
    v, _ = create(vault_path)
    try:
        code = textwrap.dedent(f"""
            from soapdesk.store.vault import Vault
            from soapdesk.store.errors import VaultBusy
            try:
                Vault.open({str(vault_path)!r}, "violet harbor lantern 42", allow_weak_kdf_for_tests=True)
            except VaultBusy as e:
                print("BUSY", e)
        """)
        out = subprocess.run([PYTHON, "-c", code], env=child_env(), capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == "BUSY The vault is open in another SoapDesk window or process."
    finally:
        v.close()
    open_(vault_path).close()  # free again once the first closes


def test_second_open_in_same_process_is_refused(vault_path):
    v, _ = create(vault_path)
    with pytest.raises(VaultBusy):
        open_(vault_path)
    v.close()
    open_(vault_path).close()


def test_wrong_passphrase_while_open_elsewhere_still_says_wrong_passphrase(vault_path):
    from soapdesk.store.errors import WrongPassphrase

    v, _ = create(vault_path)
    with pytest.raises(WrongPassphrase):
        open_(vault_path, "not the right passphrase")
    v.close()
