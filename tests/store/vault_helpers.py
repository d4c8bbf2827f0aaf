"""Helpers for vault tests: cheap-KDF vaults, canary notes, reading what is really on disk."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from soapdesk.core.note import Note, Section
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.store.keys import TEST_PARAMS
from soapdesk.store.vault import Vault

ROOT = Path(__file__).resolve().parents[2]
PASS = "violet harbor lantern 42"
OTHER_PASS = "quiet orchard compass 77"


def create(path: Path, passphrase: str = PASS):
    """A vault with test-only cheap Argon2 parameters (the floor is tested separately)."""
    return Vault.create(path, passphrase, kdf=TEST_PARAMS, allow_weak_kdf_for_tests=True)


def open_(path: Path, passphrase: str = PASS, **kw) -> Vault:
    return Vault.open(path, passphrase, allow_weak_kdf_for_tests=True, **kw)


def make_note(canary: str = "", *, template: str = "soap", segments: int = 3) -> Note:
    segs = [Segment(i, f"segment {i} words {canary}".strip(), float(i), float(i) + 1, "client") for i in range(segments)]
    return Note(
        template=template,
        sections=[Section("subjective", "Subjective", f"Client reports {canary} sleeping poorly"),
                  Section("plan", "Plan", "Follow up next week")],
        transcript=Transcript(segs, duration_s=float(segments), source="audio"),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child_env(data_dir: Path | None = None, **extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if data_dir is not None:
        env["SOAPDESK_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


PYTHON = sys.executable

# --- reading what is really on disk ------------------------------------------
PAGE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC at the end of each page


def decrypt_page(page: bytes, dek: bytes, first: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    start = 16 if first else 0  # page 1 begins with the salt
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    d = Cipher(algorithms.AES(bytes(dek)), modes.CBC(iv)).decryptor()
    return d.update(page[start:PAGE - RESERVE]) + d.finalize()


def plaintext_pages(db_path: Path, dek: bytes) -> list[bytes]:
    """Decrypt every page of the database file and every frame of its WAL, as SQLCipher would."""
    out = []
    data = db_path.read_bytes() if db_path.exists() else b""
    for i in range(len(data) // PAGE):
        out.append(decrypt_page(data[i * PAGE:(i + 1) * PAGE], dek, i == 0))
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        w = wal.read_bytes()
        off = 32
        while off + 24 + PAGE <= len(w):
            pgno = int.from_bytes(w[off:off + 4], "big")
            out.append(decrypt_page(w[off + 24:off + 24 + PAGE], dek, pgno == 1))
            off += 24 + PAGE
    return out


def encodings(text: str) -> list[bytes]:
    import base64

    raw = text.encode("utf-8")
    return [raw, text.encode("utf-16-le"), text.encode("utf-16-be"), base64.b64encode(raw)]


def files_containing(root: Path, text: str) -> list[Path]:
    needles = encodings(text)
    hits = []
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            if any(n in data for n in needles):
                hits.append(p)
    return hits
