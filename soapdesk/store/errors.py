"""Vault errors. Each message is one plain sentence for the clinician.

Messages never contain note or transcript text, passphrases or keys. Vault
problems exit with 5, bad input (a weak passphrase, an unknown id) with 2.
"""

from __future__ import annotations

from soapdesk.core.errors import BadInput, SoapDeskError


class VaultError(SoapDeskError):
    exit_code = 5
    code = "vault_error"


class WrongPassphrase(VaultError):
    code = "wrong_passphrase"

    def __init__(self, message: str = "Wrong passphrase."):
        super().__init__(message)


class WrongRecoveryKey(VaultError):
    code = "wrong_recovery_key"

    def __init__(self, message: str = "That recovery key does not unlock this vault."):
        super().__init__(message)


class WeakPassphrase(BadInput):
    code = "weak_passphrase"


class VaultDamaged(VaultError):
    """The key was right but the file cannot be (fully) read.

    `readable` names what can still be read, in the clinician's words."""

    code = "vault_damaged"

    def __init__(self, message: str | None = None, *, readable: list[str] | None = None):
        self.readable = list(readable or [])
        if message is None:
            if self.readable:
                message = (
                    "The vault file is damaged. Still readable: "
                    + ", ".join(self.readable)
                    + ". Restore from a backup to get the rest back."
                )
            else:
                message = (
                    "The vault file is damaged and nothing in it can be read. "
                    "Restore it from a backup."
                )
        super().__init__(message)


class KeyFileDamaged(VaultDamaged):
    code = "key_file_damaged"

    def __init__(self, message: str = "The vault's key file (vault.key) is damaged or was altered. "
                 "Restore it from a backup."):
        super().__init__(message)


class VaultBusy(VaultError):
    code = "vault_busy"

    def __init__(self, message: str = "The vault is open in another SoapDesk window or process."):
        super().__init__(message)


class VaultMissing(VaultError):
    code = "vault_missing"

    def __init__(self, message: str = "No vault found. Create one with `soapdesk vault init`."):
        super().__init__(message)


class VaultExists(VaultError):
    code = "vault_exists"

    def __init__(self, message: str = "A vault already exists here; it was left unchanged."):
        super().__init__(message)


class VaultTooNew(VaultError):
    code = "vault_too_new"

    def __init__(self, message: str = "This vault was written by a newer SoapDesk. Update SoapDesk to open it."):
        super().__init__(message)


class EncryptionUnavailable(VaultError):
    """SQLCipher is not the driver in use: refusing, because plain sqlite3 would write plaintext."""

    code = "encryption_unavailable"

    def __init__(self, message: str = "Encryption support (SQLCipher) is not available; "
                 "SoapDesk will not open or create the vault without it."):
        super().__init__(message)


class VaultLocked(VaultError):
    code = "vault_locked"

    def __init__(self, message: str = "The vault is locked. Unlock it first."):
        super().__init__(message)


class DiskFull(VaultError):
    code = "disk_full"

    def __init__(self, message: str = "The disk is full; the last change was not saved. "
                 "Free some space and try again."):
        super().__init__(message)


class NoteFinalized(BadInput):
    code = "note_finalized"

    def __init__(self, message: str = "This note is finalized and cannot be edited; add an addendum instead."):
        super().__init__(message)


class NoteNotFinalized(BadInput):
    code = "note_not_finalized"

    def __init__(self, message: str = "Only finalized notes can be exported. Finalize the note first."):
        super().__init__(message)


class NotFound(BadInput):
    code = "not_found"


class BackupInvalid(VaultError):
    code = "backup_invalid"

    def __init__(self, message: str = "The backup file is damaged or not a SoapDesk backup; "
                 "nothing was changed."):
        super().__init__(message)
