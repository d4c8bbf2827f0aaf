"""The database key (DEK) and the key file that keeps it wrapped.

The vault is encrypted by SQLCipher with a random 256-bit DEK passed as a
raw key, so changing the passphrase rewraps 32 bytes instead of
re-encrypting the database. The DEK is stored twice in `vault.key`, each
time sealed with AES-256-GCM:
  - under Argon2id(passphrase), parameters calibrated at creation;
  - under HKDF(recovery key), a 160-bit random key shown once.
Each slot's KDF parameters, salt, the format version and the vault id are
the AEAD associated data, so editing any of them makes unwrapping fail
(T07); parameters below FLOOR are rejected before any work is done.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from soapdesk.core import fsutil
from soapdesk.store.errors import KeyFileDamaged, VaultMissing, VaultTooNew, WrongPassphrase, WrongRecoveryKey

FORMAT = "soapdesk-vault-key"
VERSION = 1
DEK_BYTES = 32
SALT_BYTES = 16
RECOVERY_BYTES = 20  # 160 bits = 32 base32 characters = 8 groups of 4


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def at_least(self, floor: "KdfParams") -> bool:
        return (
            self.time_cost >= floor.time_cost
            and self.memory_kib >= floor.memory_kib
            and self.parallelism >= floor.parallelism
        )


# Never accept less than this from a key file (64 MiB, 2 passes).
FLOOR = KdfParams(time_cost=2, memory_kib=64 * 1024, parallelism=1)
# Only for tests that unlock hundreds of times; needs allow_weak_kdf_for_tests=True.
TEST_PARAMS = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
_TEST_FLOOR = TEST_PARAMS
# Calibration target: unlock in about half a second on this machine.
TARGET_SECONDS = 0.5
MAX_MEMORY_KIB = 256 * 1024  # laptops with 8 GB must still unlock while the LLM is loaded


def floor_for(allow_weak_kdf_for_tests: bool) -> KdfParams:
    return _TEST_FLOOR if allow_weak_kdf_for_tests else FLOOR


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def calibrate(target_s: float = TARGET_SECONDS, *, timer=time.perf_counter) -> KdfParams:
    """Parameters at or above FLOOR whose derivation takes about target_s here.

    One timing at the floor memory, then scale: memory first (it is what
    hurts GPU guessers) up to MAX_MEMORY_KIB, the rest as extra passes. Cost
    is close to linear in memory × passes, so one measurement is enough.
    """
    base = KdfParams(time_cost=3, memory_kib=FLOOR.memory_kib)
    start = timer()
    derive("calibration", os.urandom(SALT_BYTES), base)
    took = max(timer() - start, 1e-3)
    factor = target_s / took
    memory = base.memory_kib
    while factor >= 2 and memory * 2 <= MAX_MEMORY_KIB:
        memory *= 2
        factor /= 2
    passes = max(base.time_cost, min(20, round(base.time_cost * factor)))
    return KdfParams(time_cost=passes, memory_kib=memory, parallelism=1)


# -- recovery key -----------------------------------------------------------

def new_recovery_key() -> str:
    raw = secrets.token_bytes(RECOVERY_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(typed: str) -> bytes:
    """Accept what a person types: any case, spaces or dashes, 0/1/8 for O/I/B."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != RECOVERY_BYTES * 8 // 5:
        raise WrongRecoveryKey("A recovery key has 32 letters and digits in 8 groups of 4.")
    try:
        return base64.b32decode(cleaned)
    except ValueError:
        raise WrongRecoveryKey("That is not a valid recovery key.") from None


def _recovery_kek(raw: bytes, salt: bytes) -> bytes:
    # 160 random bits need no slow KDF; HKDF just binds the salt and purpose.
    return HKDF(hashes.SHA256(), 32, salt, b"soapdesk recovery key v1").derive(raw)


# -- key file ---------------------------------------------------------------

def key_path_for(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


@dataclass
class KeyFile:
    vault_id: str
    slots: dict  # name -> {"kdf": {...}, "nonce": b64, "ct": b64}
    version: int = VERSION

    def aad(self, slot: str, kdf: dict) -> bytes:
        return json.dumps(
            {"format": FORMAT, "version": self.version, "vault_id": self.vault_id, "slot": slot, "kdf": kdf},
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")

    # sealing ---------------------------------------------------------------
    def _seal(self, slot: str, kek: bytes, kdf: dict, dek: bytes) -> None:
        nonce = os.urandom(12)
        ct = AESGCM(kek).encrypt(nonce, bytes(dek), self.aad(slot, kdf))
        self.slots[slot] = {"kdf": kdf, "nonce": _b64(nonce), "ct": _b64(ct)}

    def _open(self, slot: str, kek: bytes) -> bytearray:
        s = self.slots[slot]
        try:
            dek = AESGCM(kek).decrypt(_unb64(s["nonce"]), _unb64(s["ct"]), self.aad(slot, s["kdf"]))
        except (InvalidTag, ValueError):
            raise InvalidTag() from None
        if len(dek) != DEK_BYTES:
            raise InvalidTag()
        return bytearray(dek)

    def seal_passphrase(self, passphrase: str, dek: bytes, params: KdfParams) -> None:
        salt = os.urandom(SALT_BYTES)
        kdf = {"alg": "argon2id", "t": params.time_cost, "m": params.memory_kib, "p": params.parallelism,
               "salt": _b64(salt)}
        self._seal("passphrase", derive(passphrase, salt, params), kdf, dek)

    def seal_recovery(self, recovery_key: str, dek: bytes) -> None:
        salt = os.urandom(SALT_BYTES)
        kdf = {"alg": "hkdf-sha256", "salt": _b64(salt)}
        self._seal("recovery", _recovery_kek(parse_recovery_key(recovery_key), salt), kdf, dek)

    def passphrase_params(self) -> KdfParams:
        kdf = self.slots["passphrase"]["kdf"]
        return KdfParams(kdf["t"], kdf["m"], kdf["p"])

    def unseal_passphrase(self, passphrase: str) -> bytearray:
        kdf = self.slots["passphrase"]["kdf"]
        kek = derive(passphrase, _unb64(kdf["salt"]), self.passphrase_params())
        try:
            return self._open("passphrase", kek)
        except InvalidTag:
            raise WrongPassphrase() from None

    def unseal_recovery(self, recovery_key: str) -> bytearray:
        raw = parse_recovery_key(recovery_key)
        kdf = self.slots["recovery"]["kdf"]
        try:
            return self._open("recovery", _recovery_kek(raw, _unb64(kdf["salt"])))
        except InvalidTag:
            raise WrongRecoveryKey() from None

    # persistence -------------------------------------------------------------
    def to_bytes(self) -> bytes:
        doc = {"format": FORMAT, "version": self.version, "vault_id": self.vault_id, "slots": self.slots}
        return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")

    def save(self, path: Path) -> None:
        fsutil.atomic_write(path, self.to_bytes())

    @classmethod
    def new(cls) -> "KeyFile":
        return cls(vault_id=uuid.uuid4().hex, slots={})

    @classmethod
    def parse(cls, data: bytes, floor: KdfParams) -> "KeyFile":
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError("format")
            version = int(doc["version"])
            if version > VERSION:
                raise VaultTooNew()
            if version < 1:
                raise ValueError("version")
            kf = cls(vault_id=str(doc["vault_id"]), slots=dict(doc["slots"]), version=version)
            pslot = kf.slots["passphrase"]
            if pslot["kdf"].get("alg") != "argon2id":
                raise ValueError("alg")
            params = kf.passphrase_params()
            for slot in kf.slots.values():
                _unb64(slot["nonce"]), _unb64(slot["ct"]), _unb64(slot["kdf"]["salt"])
        except VaultTooNew:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise KeyFileDamaged() from None
        if not all(isinstance(v, int) for v in (params.time_cost, params.memory_kib, params.parallelism)):
            raise KeyFileDamaged()
        if not params.at_least(floor):
            # Someone lowered the cost to make guessing cheap (T07): refuse before deriving.
            raise KeyFileDamaged(
                "The vault's key file asks for weaker protection than SoapDesk allows; "
                "it was probably altered. Restore it from a backup."
            )
        return kf

    @classmethod
    def load(cls, path: Path, floor: KdfParams) -> "KeyFile":
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise VaultMissing(
                "The vault's key file (vault.key) is missing, so the vault cannot be unlocked. "
                "Restore it from a backup."
            ) from None
        return cls.parse(data, floor)


def new_dek() -> bytearray:
    return bytearray(secrets.token_bytes(DEK_BYTES))


def wipe(buf: bytearray | None) -> None:
    """Best effort: overwrite key bytes we own. Copies made by str formatting remain (known issue)."""
    if buf is None:
        return
    for i in range(len(buf)):
        buf[i] = 0
