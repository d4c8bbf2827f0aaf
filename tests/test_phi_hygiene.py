"""A canary phrase spoken in a session goes into the vault and nowhere else.

Runs `soapdesk note --audio X --save` end to end with the real tiny models,
then scans the data, cache and temp directories the process used for the
canary (UTF-8, UTF-16 and base64) and checks every database file is encrypted.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANARY = "purple giraffe umbrella"
PASSPHRASE = "lantern orchard seven quietly rivers"


def _speak(text: str, out: Path) -> Path:
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us+f2", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(out)], check=True)
    raw.unlink()
    return out


def _needles(text: str) -> list[bytes]:
    forms = [text.encode(), text.encode("utf-16-le"), base64.b64encode(text.encode())]
    return forms + [f.lower() for f in forms[:1]] + [text.title().encode()]


def _hits(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for f in root.rglob("*"):
        if f.is_file() and not f.is_symlink():
            data = f.read_bytes()
            found += [f"{f}: {n[:20]!r}" for n in needles if n in data or n in data.lower()]
    return found


def test_spoken_canary_lands_only_in_the_encrypted_vault(tiny_models, tmp_path):
    data, cache, tmp = tmp_path / "data", tmp_path / "cache", tmp_path / "tmp"
    for d in (data, cache, tmp):
        d.mkdir()
    audio = _speak(f"Client: my secret word is {CANARY}. Therapist: thank you, we will meet on Friday.",
                   tmp_path / "session.wav")
    from soapdesk.core import paths

    env = {**os.environ, "SOAPDESK_DATA_DIR": str(data), "SOAPDESK_MODELS_DIR": str(paths.models_dir()), "SOAPDESK_PASSPHRASE": PASSPHRASE,
           "XDG_CACHE_HOME": str(cache), "TMPDIR": str(tmp), "HOME": str(tmp_path)}

    def soapdesk(*args):
        return subprocess.run([sys.executable, "-m", "soapdesk", *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=600)

    assert soapdesk("vault", "init").returncode == 0
    p = soapdesk("note", "--audio", str(audio), "--model", "smollm2-135m-instruct-q4_1", "--json", "--save",
                 "--client", "C-1")
    assert p.returncode == 0, p.stderr
    heard = " ".join(s["text"] for s in json.loads(p.stdout)["transcript"]["segments"]).lower()
    assert "giraffe" in heard, f"the canary must reach the transcript for this test to mean anything: {heard}"

    listing = soapdesk("vault", "list")
    assert listing.returncode == 0 and "C-1" in listing.stdout

    needles = _needles(CANARY) + _needles("giraffe")
    for root in (data, cache, tmp):
        assert _hits(root, needles) == [], f"PHI found outside the vault under {root}"
    for db in data.rglob("*.db"):
        assert not db.read_bytes().startswith(b"SQLite format 3\0")
    assert list(tmp.iterdir()) == [], "no temporary files may be left behind"

    search = soapdesk("vault", "list", "--search", "giraffe")
    assert search.returncode == 0 and "C-1" in search.stdout, "the canary is stored (encrypted) in the vault"
