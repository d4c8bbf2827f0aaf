"""Vault benchmark (run by hand):

    PYTHONPATH=. python benchmarks/vault_bench.py [--notes 10000] [--minutes 50]

Measures, on a throw-away vault in a temp dir with real (calibrated) Argon2:
  - unlock time;
  - saving a 50-minute session: 16 kHz mono int16 audio appended in 5 s chunks
    (each chunk its own committed transaction), then ~600 transcript segments + a note;
  - listing and full-text search over 10,000 notes (target ≤ 100 ms per search);
  - vault size versus the raw data stored.
Prints a table and writes benchmarks/results/vault.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from soapdesk.core.note import Note, Section  # noqa: E402
from soapdesk.core.transcript import Segment, Transcript  # noqa: E402
from soapdesk.store.db import driver  # noqa: E402
from soapdesk.store.vault import Vault  # noqa: E402

PASS = "benchmark harbor lantern 42"
WORDS = ("sleep anxiety work mother panic breathing exercise weekend therapy goal progress mood appetite "
         "medication sertraline boundaries partner school conflict grief memory coping journal walk relapse "
         "craving trigger support family sister anger calm plan homework reflect values avoid exposure").split()
RARE = ["zeppelin", "marimba", "origami", "tundra", "quasar"]


def timed(fn, repeat=1):
    runs = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return result, runs


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_note(rng, segments, words_per_segment=12, rare=None):
    segs = [Segment(i, text(rng, words_per_segment), i * 5.0, i * 5.0 + 4.5, rng.choice(["client", "clinician"]))
            for i in range(segments)]
    sections = [Section(k, k.title(), text(rng, 90)) for k in ("subjective", "objective", "assessment", "plan")]
    if rare:
        sections[0].text += " " + rare
    return Note("soap", sections, Transcript(segs, duration_s=segments * 5.0, source="audio"))


def bench_session(path: Path, minutes: int, rng) -> dict:
    vault, _ = Vault.create(path, PASS)
    vault.close()
    _, unlock_runs = timed(lambda: Vault.open(path, PASS).close(), repeat=5)
    vault = Vault.open(path, PASS)
    chunk = 16000 * 5  # 5 s of 16 kHz mono
    n_chunks = minutes * 60 // 5
    audio = np.random.default_rng(1).integers(-3000, 3000, size=chunk * n_chunks, dtype=np.int16)
    sid = vault.start_session(client_label="Bench", template="soap")
    chunk_times = []
    for seq in range(n_chunks):
        data = audio[seq * chunk:(seq + 1) * chunk].tobytes()
        start = time.perf_counter()
        vault.append_audio_chunk(sid, seq, data)
        chunk_times.append(time.perf_counter() - start)
    note = make_note(rng, segments=600)

    def save_rest():
        with vault.db.transaction():
            vault.transcripts.save(sid, note.transcript)
            vault.notes.create(sid, note)

    _, rest = timed(save_rest)
    _, read = timed(lambda: vault.read_audio(sid).to_array())
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = audio.nbytes + sum(len(s.text.encode()) for s in note.transcript.segments) + sum(
        len(s.text.encode()) for s in note.sections)
    vault.close()
    size = path.stat().st_size
    return {
        "unlock_s_median": statistics.median(unlock_runs),
        "unlock_s_runs": unlock_runs,
        "audio_chunks": n_chunks,
        "audio_chunk_commit_ms_median": statistics.median(chunk_times) * 1000,
        "audio_chunk_commit_ms_max": max(chunk_times) * 1000,
        "audio_total_s": sum(chunk_times),
        "transcript_and_note_save_s": rest[0],
        "session_save_total_s": sum(chunk_times) + rest[0],
        "audio_read_back_s": read[0],
        "session_raw_bytes": raw,
        "session_vault_bytes": size,
        "session_overhead_pct": 100.0 * (size - raw) / raw,
    }


def bench_many(path: Path, n_notes: int, rng) -> dict:
    vault, _ = Vault.create(path, PASS)
    raw = 0
    start = time.perf_counter()
    batch = 250
    for b in range(0, n_notes, batch):
        with vault.db.transaction():  # the bench fills in batches; the app saves one note per transaction
            for i in range(b, min(b + batch, n_notes)):
                rare = RARE[i % len(RARE)] if i % 1000 == 0 else None
                note = make_note(rng, segments=60, rare=rare)
                raw += sum(len(s.text.encode()) for s in note.sections)
                raw += sum(len(s.text.encode()) for s in note.transcript.segments)
                vault.save_note(note, client_label=f"Client {i % 300}")
    fill_s = time.perf_counter() - start
    _, save_one = timed(lambda: vault.save_note(make_note(rng, segments=60)), repeat=5)
    rows, list_runs = timed(lambda: vault.list_sessions(), repeat=5)
    queries = {"rare word": "zeppelin", "common word": "sertraline", "two words": "panic breathing",
               "prefix": "medic", "no match": "xylophone"}
    search = {}
    for label, q in queries.items():
        hits, runs = timed(lambda q=q: vault.list_sessions(q), repeat=7)
        search[label] = {"query": q, "hits": len(hits), "ms_median": statistics.median(runs) * 1000,
                         "ms_max": max(runs) * 1000}
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.close()
    size = path.stat().st_size
    return {
        "notes": n_notes, "fill_s": fill_s, "save_one_note_ms_median": statistics.median(save_one) * 1000,
        "list_rows": len(rows), "list_ms_median": statistics.median(list_runs) * 1000,
        "search": search, "raw_text_bytes": raw, "vault_bytes": size,
        "overhead_pct": 100.0 * (size - raw) / raw,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--minutes", type=int, default=50)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "vault.json")
    args = ap.parse_args()
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="soapdesk-bench-"))
    try:
        session = bench_session(work / "session" / "vault.db", args.minutes, rng)
        many = bench_many(work / "many" / "vault.db", args.notes, rng)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    conn = driver.connect(":memory:")
    result = {
        "command": "PYTHONPATH=. python benchmarks/vault_bench.py",
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
                    "cores": __import__("os").cpu_count(),
                    "sqlcipher": conn.execute("PRAGMA cipher_version").fetchone()[0]},
        "session_50min": session,
        "many_notes": many,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    s, m = session, many
    print(f"{'measure':<48} {'value':>14}")
    rows = [
        ("unlock (median of 5)", f"{s['unlock_s_median']:.3f} s"),
        (f"{args.minutes}-min session: {s['audio_chunks']} audio chunks, total", f"{s['audio_total_s']:.2f} s"),
        ("  per 5 s chunk commit (median / max)",
         f"{s['audio_chunk_commit_ms_median']:.1f}/{s['audio_chunk_commit_ms_max']:.0f} ms"),
        ("  600 segments + note, one transaction", f"{s['transcript_and_note_save_s']:.3f} s"),
        ("  read audio back as array", f"{s['audio_read_back_s']:.2f} s"),
        ("  vault size vs raw data", f"{s['session_overhead_pct']:+.1f} %"),
        (f"fill {m['notes']} notes (batched)", f"{m['fill_s']:.1f} s"),
        ("save one note (60 segments)", f"{m['save_one_note_ms_median']:.1f} ms"),
        (f"list all {m['list_rows']} sessions", f"{m['list_ms_median']:.1f} ms"),
    ]
    rows += [(f"search '{v['query']}' ({v['hits']} hits)", f"{v['ms_median']:.1f} ms") for v in m["search"].values()]
    rows.append(("text-only vault size vs raw text", f"{m['overhead_pct']:+.1f} %"))
    for label, value in rows:
        print(f"{label:<48} {value:>14}")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
