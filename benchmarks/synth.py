"""Speak a dialogue (Therapist:/Client: lines) into one audio file with espeak-ng and sox.

Two voices, a short pause between turns, 16 kHz mono. Used by the benchmarks to
make sessions of a given length from the synthetic therapy transcripts.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

VOICES = {"clinician": "en-us+m3", "client": "en-us+f2"}


def speak_dialogue(lines: list[tuple[str, str]], out: Path, *, wpm: int = 165) -> Path:
    """lines: (role, text). Writes `out` (format from its extension)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for i, (role, text) in enumerate(lines):
            raw = Path(tmp) / f"r{i}.wav"
            turn = Path(tmp) / f"t{i:04d}.wav"
            subprocess.run(["espeak-ng", "-v", VOICES.get(role, "en-us"), "-s", str(wpm), "-w", str(raw), text],
                           check=True)
            subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(turn), "pad", "0", "0.6"],
                           check=True)
            parts.append(str(turn))
        subprocess.run(["sox", *parts, "-r", "16000", "-c", "1", str(out)], check=True)
    return out


def session_audio(transcript: Path, out: Path, *, minutes: float) -> Path:
    """Speak `transcript` (repeated if needed) until about `minutes` long."""
    if out.exists():
        return out
    from soapdesk.core.transcript_text import parse_transcript

    segs = parse_transcript(transcript.read_text()).segments
    words_needed = int(minutes * 165)
    lines, words = [], 0
    while words < words_needed:
        for s in segs:
            lines.append(("clinician" if s.speaker == "clinician" else "client", s.text))
            words += len(s.text.split())
            if words >= words_needed:
                break
    return speak_dialogue(lines, out)
