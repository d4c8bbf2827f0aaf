"""Where SoapDesk keeps things. The only module that knows.

SOAPDESK_DATA_DIR moves the vault, logs and settings together (tests,
portable installs). SOAPDESK_MODELS_DIR moves the models, which are large,
contain no PHI and are shared between vaults.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "soapdesk"


def data_dir() -> Path:
    override = os.environ.get("SOAPDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
    return path


def models_dir() -> Path:
    override = os.environ.get("SOAPDESK_MODELS_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False)) / "models"


def vault_path() -> Path:
    return data_dir() / "vault.db"


def logs_dir() -> Path:
    return data_dir() / "logs"


def settings_path() -> Path:
    return data_dir() / "settings.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable only by this user (PHI lives below the data dir)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path
