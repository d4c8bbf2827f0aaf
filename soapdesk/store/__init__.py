"""The encrypted vault (SQLCipher): keys, schema, repositories, retention, backup. No Qt."""

from soapdesk.store.errors import (  # noqa: F401
    BackupInvalid, DiskFull, NoteFinalized, VaultBusy, VaultDamaged, VaultExists, VaultMissing, WeakPassphrase,
    WrongPassphrase, WrongRecoveryKey,
)
from soapdesk.store.vault import Vault  # noqa: F401
