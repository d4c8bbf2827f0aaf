"""Test helpers: synthesise speech with espeak-ng and write it in every format we accept.

WAV/FLAC/OGG/MP3 come from sox; M4A (AAC), WebM (Opus) and Ogg Opus are encoded
with PyAV, so the tests need neither ffmpeg nor network.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

HAVE_ESPEAK = shutil.which("espeak-ng") is not None
HAVE_SOX = shutil.which("sox") is not None
needs_espeak = pytest.mark.skipif(not (HAVE_ESPEAK and HAVE_SOX), reason="espeak-ng and sox are needed")


def say(text: str, out: Path, *, voice: str = "en-us+m3", wpm: int = 155, rate: int = 16000) -> Path:
    """Speak `text` into a mono WAV at `rate` Hz."""
    raw = out.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "1", str(out)], check=True)
    raw.unlink()
    return out


def sox_convert(src: Path, dst: Path, *extra: str, effects: tuple[str, ...] = ()) -> Path:
    """sox picks the output format from `dst`'s extension; `extra` are output options."""
    subprocess.run(["sox", str(src), *extra, str(dst), *effects], check=True)
    return dst


def silence(out: Path, seconds: float, rate: int = 16000) -> Path:
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(out), "trim", "0", str(seconds)],
                   check=True)
    return out


def read_wav_float(path: Path) -> np.ndarray:
    import wave

    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0


def pyav_encode(samples: np.ndarray, dst: Path, *, container: str, codec: str, rate: int = 48000,
                src_rate: int = 16000) -> Path:
    """Encode mono float32 samples with PyAV (e.g. mp4/aac, webm/libopus, ogg/libopus)."""
    import av

    with av.open(str(dst), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.float32), format="flt",
                                           layout="mono")
        frame.sample_rate = src_rate
        frame.pts = None
        for rf in resampler.resample(frame) + resampler.resample(None):
            rf.pts = None
            for packet in stream.encode(rf):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst
