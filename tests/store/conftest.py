"""Fixtures for vault tests; helpers live in vault_helpers.py (importable by test modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vault_helpers import create


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("SOAPDESK_DATA_DIR", str(d))
    for var in ("SOAPDESK_PASSPHRASE", "SOAPDESK_NEW_PASSPHRASE", "SOAPDESK_RECOVERY_KEY"):
        monkeypatch.delenv(var, raising=False)
    return d


@pytest.fixture
def vault_path(data_dir) -> Path:
    return data_dir / "vault.db"


@pytest.fixture
def vault(vault_path):
    v, _ = create(vault_path)
    yield v
    v.close()
