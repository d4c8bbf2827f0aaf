"""T19/T21/T09: kill -9 at random moments; nothing acknowledged is lost, nothing is corrupted."""

from __future__ import annotations

import random
import signal
import subprocess
import textwrap
import time

from soapdesk.store.keys import KeyFile, TEST_PARAMS
from soapdesk.store.errors import WrongPassphrase
from vault_helpers import OTHER_PASS, PASS, PYTHON, ROOT, child_env, create, open_

KILLS = 40

SAVER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {helpers!r})
    from pathlib import Path
    from vault_helpers import open_, make_note
    v = open_(Path(sys.argv[1]))
    rec = v.start_session(template="soap")
    print("ready", flush=True)
    i = 0
    while True:
        v.append_audio_chunk(rec, i, os.urandom(16000))  # a recording chunk, committed
        print("chunk", rec, i, flush=True)
        sid = v.save_note(make_note(f"crash {{i}}"), audio=os.urandom(2000), audio_format="ogg")
        print("note", sid, flush=True)  # printed only after the commit returned
        i += 1
""").format(helpers=str(ROOT / "tests" / "store"))


def _run_and_kill(script: str, args: list[str], rng: random.Random) -> list[str]:
    proc = subprocess.Popen([PYTHON, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=child_env(), text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    out = proc.stdout.read()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return out.splitlines()


def test_sigkill_during_saves_loses_no_acknowledged_note(vault_path):
    create(vault_path)[0].close()
    rng = random.Random(1234)
    notes: set[str] = set()
    chunks: set[tuple[str, int]] = set()
    for _ in range(KILLS):
        for line in _run_and_kill(SAVER, [str(vault_path)], rng):
            parts = line.split()
            if parts[:1] == ["note"] and len(parts) == 2:
                notes.add(parts[1])
            elif parts[:1] == ["chunk"] and len(parts) == 3:
                chunks.add((parts[1], int(parts[2])))
        with open_(vault_path) as v:
            stored = {r.id for r in v.list_sessions()}
            assert notes <= stored, "an acknowledged note was lost"
            stored_chunks = set(v.db.query("SELECT session_id, seq FROM audio_chunks"))
            assert chunks <= stored_chunks, "an acknowledged audio chunk was lost"
            assert v.db.query("PRAGMA integrity_check") == [("ok",)]
            assert v.db.query("PRAGMA cipher_integrity_check") == []
    assert len(notes) > KILLS  # the loop really was saving when killed
    with open_(vault_path) as v:
        assert v.check().ok


CHANGER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {helpers!r})
    from pathlib import Path
    from soapdesk.store.errors import WrongPassphrase
    from vault_helpers import open_
    a, b = {a!r}, {b!r}
    path = Path(sys.argv[1])
    try:
        v, cur = open_(path, a), a
    except WrongPassphrase:
        v, cur = open_(path, b), b
    print("ready", flush=True)
    while True:
        new = b if cur == a else a
        v.change_passphrase(cur, new)
        cur = new
        print("now", "A" if cur == a else "B", flush=True)
""").format(helpers=str(ROOT / "tests" / "store"), a=PASS, b=OTHER_PASS)


def _works(vault_path, passphrase) -> bool:
    kf = KeyFile.load(vault_path.with_suffix(".key"), TEST_PARAMS)
    try:
        kf.unseal_passphrase(passphrase)
        return True
    except WrongPassphrase:
        return False


def test_sigkill_during_passphrase_change_leaves_exactly_one_working(vault_path):
    create(vault_path)[0].close()
    rng = random.Random(99)
    for _ in range(15):
        _run_and_kill(CHANGER, [str(vault_path)], rng)
        assert _works(vault_path, PASS) != _works(vault_path, OTHER_PASS)
    open_(vault_path, PASS if _works(vault_path, PASS) else OTHER_PASS).close()
