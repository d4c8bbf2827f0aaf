"""The local note API under load, over real HTTP against `soapdesk serve`.

- 8 concurrent clients posting text notes with SmolLM2 (the test model):
  requests/s and p50/p95 latency.
- One text note and one 60 s audio note with the default models: latency.

    .venv/bin/python benchmarks/api_bench.py [--requests 16] [--skip-default]

Writes benchmarks/results/api.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from soapdesk.api.local_server import LocalServer  # noqa: E402

PASSPHRASE = "benchmark lantern orchard rivers"
TRANSCRIPT = (ROOT / "samples" / "sample_session.txt").read_text()
RESULTS = ROOT / "benchmarks" / "results" / "api.json"


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def load_test(n: int, clients: int) -> dict:
    with tempfile.TemporaryDirectory() as d, LocalServer(Path(d), PASSPHRASE, "--model", "smollm2-135m-instruct-q4_1",
                                                          "--max-waiting", str(clients)) as s:
        def one(i):
            t0 = time.perf_counter()
            r = httpx.post(s.base + "/v1/note", headers=s.auth, json={"transcript": TRANSCRIPT, "template": "standard"},
                           timeout=1800)
            return r.status_code, time.perf_counter() - t0

        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
    lat = [t for c, t in results if c == 200]
    return {"model": "smollm2-135m-instruct-q4_1", "clients": clients, "requests": n,
            "ok": len(lat), "requests_per_s": round(len(lat) / wall, 3),
            "p50_s": round(pct(lat, 50), 2), "p95_s": round(pct(lat, 95), 2)}


def default_models() -> dict:
    with tempfile.TemporaryDirectory() as d, LocalServer(Path(d), PASSPHRASE) as s:
        t0 = time.perf_counter()
        r = httpx.post(s.base + "/v1/note", headers=s.auth, json={"transcript": TRANSCRIPT}, timeout=1800)
        text_s = time.perf_counter() - t0
        assert r.status_code == 200, r.text
        with (ROOT / "samples" / "sample_session.ogg").open("rb") as fh:
            t0 = time.perf_counter()
            r = httpx.post(s.base + "/v1/note/audio", headers=s.auth,
                           files={"audio": ("session.ogg", fh, "audio/ogg")}, timeout=1800)
            audio_s = time.perf_counter() - t0
        assert r.status_code == 200, r.text
    return {"text_note_s": round(text_s, 1), "audio_60s_note_s": round(audio_s, 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=16)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--skip-default", action="store_true")
    args = ap.parse_args()
    out = {"measured_at": time.strftime("%Y-%m-%d %H:%M"), "command": "python " + " ".join(sys.argv)}
    out["load"] = load_test(args.requests, args.clients)
    print(f"load: {out['load']}")
    if not args.skip_default:
        out["default_models"] = default_models()
        print(f"default models: {out['default_models']}")
    RESULTS.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
