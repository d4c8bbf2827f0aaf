"""Engine speed, measured against the raw libraries on the same machine.

(b) drafting decode speed: our drafter's streamed, schema-constrained section
    generation vs raw llama-cpp-python `create_completion` on the same model,
    prompt, threads and context (once with the same JSON grammar, once without).
(c) audio -> note for a ~10-minute two-voice session with the default models:
    wall time and peak RSS of `soapdesk note --audio` as a user runs it.

    .venv/bin/python benchmarks/engine_bench.py [--minutes 10] [--skip-e2e]

Targets on a 2-core machine: (b) >= 0.95, (c) <= 150 s and <= 3 GB.
Writes benchmarks/results/engine.json. Run it on a quiet machine: llama.cpp's
threads busy-wait, so another process on the same cores slows it severalfold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import soapdesk.core  # noqa: E402,F401
from soapdesk.core import model_files, prompts, templates  # noqa: E402
from soapdesk.core.drafting import LlamaDrafter  # noqa: E402
from soapdesk.core.settings import Settings  # noqa: E402
from soapdesk.core.transcript_text import parse_transcript  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "therapy"
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results" / "engine.json"


def decode_rate(stream) -> tuple[float, int]:
    first, n = None, 0
    for _ in stream:
        n += 1
        if first is None:
            first = time.perf_counter()
    return (n - 1) / max(time.perf_counter() - first, 1e-9), n


def bench_decode(model_id: str, threads: int, repeats: int) -> dict:
    entry, path = model_files.resolve(model_id, "llm")
    drafter = LlamaDrafter(path, model_id=model_id, chat_format=entry.chat_format, threads=threads,
                           n_ctx=4096, max_section_tokens=160)
    llm = drafter.load()
    t = parse_transcript((EVAL / "dev_gad_anxiety.txt").read_text())
    soap = templates.load("soap")
    prompt = prompts.transcript_prefix(drafter.fmt, soap, t.as_dialogue()) + prompts.section_tail(
        drafter.fmt, soap.sections[0])
    drafter.generate(prompt, max_tokens=8)  # warm the prompt cache so every run below is decode-only
    ours, raw_grammar, raw_plain = [], [], []
    for _ in range(repeats):
        g = drafter.generate(prompt, max_tokens=160)
        ours.append((g.completion_tokens - 1) / max(g.total_s - g.first_token_s, 1e-9))
        kw = dict(max_tokens=160, temperature=0.0, top_k=1, repeat_penalty=1.08, stream=True, seed=0)
        raw_grammar.append(decode_rate(llm.create_completion(prompt, grammar=drafter._grammar, **kw))[0])
        raw_plain.append(decode_rate(llm.create_completion(prompt, **kw))[0])
    med = {k: round(statistics.median(v), 2) for k, v in
           (("drafter_tok_s", ours), ("raw_same_grammar_tok_s", raw_grammar), ("raw_unconstrained_tok_s", raw_plain))}
    med["ratio_vs_raw_same_grammar"] = round(med["drafter_tok_s"] / med["raw_same_grammar_tok_s"], 3)
    med["ratio_vs_raw_unconstrained"] = round(med["drafter_tok_s"] / med["raw_unconstrained_tok_s"], 3)
    med.update(model=model_id, threads=threads, repeats=repeats, target=">= 0.95")
    return med


def bench_e2e(minutes: float, threads: int) -> dict:
    from synth import session_audio

    audio = session_audio(EVAL / "dev_cbt_depression.txt", CACHE / f"session_{minutes:g}min.ogg", minutes=minutes)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "soapdesk", "note", "--audio", str(audio), "--json",
                        "--threads", str(threads)], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "SOAPDESK_DATA_DIR": str(CACHE / "data")})
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"soapdesk note failed: {p.stderr.strip()[-300:]}")
    out = json.loads(p.stdout)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"audio_minutes": round(out["transcript"]["duration_s"] / 60, 2), "wall_s": round(wall, 1),
            "transcribe_s": out["timings"]["transcribe_s"], "draft_s": out["timings"]["draft_s"],
            "peak_rss_gb": round(peak_kb / 1e6, 2), "models": out["models"], "segments":
            len(out["transcript"]["segments"]), "warnings": out["warnings"], "target": "<= 150 s, <= 3 GB"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=Settings().llm_model)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--skip-decode", action="store_true")
    args = ap.parse_args()
    result = {"measured_at": time.strftime("%Y-%m-%d %H:%M"), "command": "python " + " ".join(sys.argv),
              "cpu_count": os.cpu_count()}
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result["decode"] = previous.get("decode") if args.skip_decode else bench_decode(args.model, args.threads,
                                                                                     args.repeats)
    d = result["decode"]
    print(f"(b) decode tok/s  drafter {d['drafter_tok_s']}  raw+grammar {d['raw_same_grammar_tok_s']}  "
          f"raw {d['raw_unconstrained_tok_s']}  ratio {d['ratio_vs_raw_same_grammar']} "
          f"(vs unconstrained {d['ratio_vs_raw_unconstrained']})  target >= 0.95")
    if not args.skip_e2e:
        load_before = os.getloadavg()
        result["audio_to_note"] = e = bench_e2e(args.minutes, args.threads)
        e["load_average_before"] = [round(x, 2) for x in load_before]
        print(f"(c) {e['audio_minutes']} min audio -> note: {e['wall_s']} s wall (transcribe {e['transcribe_s']} s, "
              f"draft {e['draft_s']} s), peak RSS {e['peak_rss_gb']} GB  target <= 150 s, <= 3 GB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
