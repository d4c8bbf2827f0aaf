"""Session audio in: any allowed file or in-memory upload -> 16 kHz mono float32.

Decoding runs in a child process (soapdesk.core.audio_worker) so a crashing
FFmpeg cannot take the app or a vault write down with it; PCM streams back
over a pipe, never through a temporary file. The container format is chosen
from the file's magic bytes against an allow-list (audio_sniff), and FFmpeg
may only use the `file` protocol, so a playlist cannot make it fetch a URL.

Long sessions are read as windows (`AudioStream.windows`) so memory stays
bounded; `load_audio` is the convenience for short clips.

Every failure is a typed error (AudioUnreadable, AudioSilent) whose text is
one sentence naming the file by basename only. Logs carry sizes, formats and
durations — never the file name.
"""

from __future__ import annotations

import json
import logging
import math
import os
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

import numpy as np

from soapdesk.core import audio_sniff
from soapdesk.core.errors import AudioSilent, AudioUnreadable

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
AudioSource = Union[str, os.PathLike, bytes, bytearray, memoryview]
_FORMATS_HINT = "use WAV, MP3, M4A, OGG, WebM or FLAC"


@dataclass(frozen=True)
class AudioLimits:
    max_duration_s: float = 8 * 3600.0
    # Whole-file RMS below this (-60 dBFS) means nothing was recorded.
    silence_rms: float = 1e-3
    # The child may take this long to produce its next bytes before it is
    # presumed hung and killed (only counted while we are waiting on it).
    stall_timeout_s: float = 60.0


@dataclass
class DecodedAudio:
    samples: np.ndarray
    duration_s: float
    warnings: list[str]


def fmt_duration(seconds: float) -> str:
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _display_name(source: AudioSource, name: str | None) -> str:
    if name:
        return os.path.basename(str(name)) or "The audio"
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source)) or "The audio"
    return "The audio"


def _worker_argv() -> list[str]:
    """Command for the decode child (tests replace it to simulate crashes)."""
    return [sys.executable, "-m", "soapdesk.core.audio_worker"]


def _worker_env() -> dict:
    env = dict(os.environ)
    # The child must import this same soapdesk, installed or not.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONFAULTHANDLER", None)  # keep crash output minimal (stderr is discarded anyway)
    return env


class AudioStream:
    """One decode in a child process. Use as a context manager; iterate `windows()`.

    After the header is read: `format`, `declared_duration_s` (may be None),
    `codec`. After iteration: `decoded_s`, `warnings`.
    """

    def __init__(self, source: AudioSource, *, name: str | None = None,
                 limits: AudioLimits = AudioLimits(), mode: str = "decode"):
        self.name = _display_name(source, name)
        self.limits = limits
        self.warnings: list[str] = []
        self.declared_duration_s: float | None = None
        self.codec: str | None = None
        self.decoded_s = 0.0
        self._n = 0
        self._sumsq = 0.0
        self._proc: subprocess.Popen | None = None
        self._finished = False
        self.format, data, path = self._sniff(source)
        self._start(mode, data, path)
        self._read_header()

    # -- setup ---------------------------------------------------------------
    def _fail(self, problem: str, cls=AudioUnreadable):
        self.close()
        return cls(f"{self.name} {problem}.")

    def _sniff(self, source: AudioSource) -> tuple[str, bytes | None, str | None]:
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            if not data:
                raise self._fail("is empty (0 bytes)")
            head = data[: audio_sniff.HEAD_BYTES]
            skip = audio_sniff.id3_length(data)
            after = data[skip : skip + audio_sniff.HEAD_BYTES]
            path = None
        else:
            path = os.fspath(source)
            data = None
            try:
                with open(path, "rb") as fh:
                    if os.fstat(fh.fileno()).st_size == 0:
                        raise self._fail("is empty (0 bytes)")
                    head, after = audio_sniff.read_head(fh)
            except FileNotFoundError:
                raise self._fail("was not found") from None
            except IsADirectoryError:
                raise self._fail("is a folder, not an audio file") from None
            except PermissionError:
                raise self._fail("cannot be opened (permission denied)") from None
        try:
            fmt = audio_sniff.sniff(head, after)
        except audio_sniff.Rejected as rej:
            log.info("audio rejected by sniffer: %s", rej.kind)
            if rej.kind == "playlist":
                raise self._fail("is a playlist, not an audio file; SoapDesk only opens audio files directly") from None
            if rej.kind == "unsupported":
                raise self._fail(f"is {_article(rej.what)}, which SoapDesk cannot open; {_FORMATS_HINT}") from None
            raise self._fail(f"is not an audio file; {_FORMATS_HINT}") from None
        return fmt, data, path

    def _start(self, mode: str, data: bytes | None, path: str | None) -> None:
        req = {
            "mode": mode,
            "format": self.format,
            "path": path,
            "nbytes": None if data is None else len(data),
            "max_seconds": self.limits.max_duration_s,
        }
        self._proc = subprocess.Popen(
            _worker_argv(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=_worker_env(), close_fds=True,
        )
        self._out = self._proc.stdout
        payload = json.dumps(req).encode() + b"\n"
        # Feed stdin from a thread: the child may start replying before it has
        # read everything, and a full pipe on both sides would deadlock.
        self._feeder = threading.Thread(
            target=self._feed, args=(payload, data), daemon=True, name="audio-feed")
        self._feeder.start()
        log.debug("audio worker %d started: format=%s bytes=%s", self._proc.pid, self.format,
                  None if data is None else len(data))

    def _feed(self, payload: bytes, data: bytes | None) -> None:
        try:
            self._proc.stdin.write(payload)
            if data is not None:
                view = memoryview(data)
                for i in range(0, len(view), 1 << 20):
                    self._proc.stdin.write(view[i : i + (1 << 20)])
            self._proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the child died or was killed; the reader reports it

    # -- pipe protocol ---------------------------------------------------------
    def _read_exact(self, n: int) -> bytes | None:
        fd = self._out.fileno()
        buf = bytearray()
        while len(buf) < n:
            ready, _, _ = select.select([fd], [], [], self.limits.stall_timeout_s)
            if not ready:
                log.warning("audio worker stalled for %.0f s; killed", self.limits.stall_timeout_s)
                raise self._fail("could not be decoded: the decoder stopped responding")
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
            if not chunk:
                return None  # EOF: the child exited
            buf += chunk
        return bytes(buf)

    def _message(self) -> tuple[bytes, bytes] | None:
        head = self._read_exact(5)
        if head is None:
            return None
        kind, length = head[:1], struct.unpack("<I", head[1:])[0]
        body = self._read_exact(length) if length else b""
        if body is None:
            return None
        return kind, body

    def _crashed(self) -> AudioUnreadable:
        rc = self._proc.wait() if self._proc else None
        log.warning("audio worker exited unexpectedly (rc=%s) after %.1f s of audio", rc, self.decoded_s)
        return self._fail("could not be decoded (the decoder crashed); the file is probably damaged")

    def _error(self, info: dict) -> AudioUnreadable:
        kind = info.get("kind")
        log.info("audio worker error: %s", kind)
        if kind == "too_long":
            return self._fail(
                f"is longer than the {fmt_duration(self.limits.max_duration_s)} limit"
                + (f" ({fmt_duration(info['seconds'])} or more)" if info.get("seconds") else ""))
        if kind == "no_audio":
            return self._fail("has no audio track")
        return self._fail("is damaged or incomplete: no audio could be decoded")

    def _read_header(self) -> None:
        msg = self._message()
        if msg is None:
            raise self._crashed()
        kind, body = msg
        if kind == b"E":
            raise self._error(json.loads(body))
        if kind != b"H":
            raise self._crashed()
        info = json.loads(body)
        self.codec = info.get("codec")
        d = info.get("declared_s")
        self.declared_duration_s = d if d is not None and math.isfinite(d) and d >= 0 else None
        log.debug("audio header: format=%s codec=%s declared=%s", self.format, self.codec,
                  self.declared_duration_s)

    # -- reading ---------------------------------------------------------------
    def _chunks(self) -> Iterator[np.ndarray]:
        """PCM chunks until done; handles warnings, errors, crashes and silence."""
        partial = False
        while True:
            msg = self._message()
            if msg is None:
                if self._n == 0:
                    raise self._crashed()
                # Crashed after some audio: keep what decoded, say so.
                partial = True
                log.warning("audio worker died after %.1f s of audio", self.decoded_s)
                break
            kind, body = msg
            if kind == b"P":
                pcm = np.frombuffer(body, dtype="<f4")
                self._n += pcm.size
                self._sumsq += float(np.dot(pcm, pcm))
                self.decoded_s = self._n / SAMPLE_RATE
                yield pcm
            elif kind == b"W":
                partial = True
            elif kind == b"E":
                raise self._error(json.loads(body))
            elif kind == b"D":
                break
            else:
                raise self._crashed()
        self.close()
        self._finished = True
        if self._n == 0:
            raise self._fail("is damaged or incomplete: no audio could be decoded")
        rms = math.sqrt(self._sumsq / self._n)
        if rms < self.limits.silence_rms:
            log.info("audio silent: rms=%.2e over %.1f s", rms, self.decoded_s)
            raise self._fail("contains only silence (nothing was recorded)", AudioSilent)
        declared = self.declared_duration_s
        short = declared is not None and self.decoded_s < declared - max(2.0, 0.02 * declared)
        if partial or short:
            of = f" of {fmt_duration(declared)}" if declared else ""
            self.warnings.append(
                f"{self.name}: decoded {fmt_duration(self.decoded_s)}{of}; "
                "the rest of the file is damaged or missing.")
            log.warning("audio partial: decoded %.1f s of %s", self.decoded_s, declared)

    def windows(self, window_s: float = 300.0) -> Iterator[tuple[float, np.ndarray]]:
        """Yield (offset_seconds, float32 samples) windows of `window_s` (the last shorter).

        Memory: one window plus the pipe buffer, whatever the file's length.
        AudioSilent / partial warnings are raised / recorded after the last window.
        """
        size = max(1, int(window_s * SAMPLE_RATE))
        buf = np.empty(size, dtype=np.float32)
        fill = 0
        offset = 0
        for pcm in self._chunks():
            pos = 0
            while pos < pcm.size:
                take = min(size - fill, pcm.size - pos)
                buf[fill : fill + take] = pcm[pos : pos + take]
                fill += take
                pos += take
                if fill == size:
                    yield offset / SAMPLE_RATE, buf
                    offset += size
                    buf = np.empty(size, dtype=np.float32)  # the consumer may keep the last one
                    fill = 0
        if fill:
            yield offset / SAMPLE_RATE, buf[:fill]

    def read_all(self) -> np.ndarray:
        parts = list(self._chunks())
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for f in (proc.stdout, proc.stdin):
            try:
                if f:
                    f.close()
            except OSError:
                pass

    def __enter__(self) -> "AudioStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _article(what: str) -> str:
    return ("an " if what[:1].lower() in "aeiou" else "a ") + what


def open_audio(source: AudioSource, *, name: str | None = None,
               limits: AudioLimits = AudioLimits()) -> AudioStream:
    """Start decoding `source` (a path or the file's bytes). Raises AudioUnreadable early
    for empty, non-audio, unsupported or undecodable input."""
    return AudioStream(source, name=name, limits=limits)


def decode_audio(source: AudioSource, *, name: str | None = None,
                 limits: AudioLimits = AudioLimits()) -> DecodedAudio:
    """Whole file in memory, with warnings (partial decode). For short clips."""
    t0 = time.monotonic()
    with AudioStream(source, name=name, limits=limits) as stream:
        samples = stream.read_all()
        log.debug("decoded %.1f s of %s audio in %.2f s", stream.decoded_s, stream.format,
                  time.monotonic() - t0)
        return DecodedAudio(samples, samples.size / SAMPLE_RATE, list(stream.warnings))


def load_audio(source: AudioSource, *, name: str | None = None,
               limits: AudioLimits = AudioLimits()) -> tuple[np.ndarray, float]:
    """(16 kHz mono float32 samples, duration in seconds). For short clips."""
    decoded = decode_audio(source, name=name, limits=limits)
    return decoded.samples, decoded.duration_s


def probe_duration(source: AudioSource, *, name: str | None = None,
                   limits: AudioLimits = AudioLimits()) -> float | None:
    """Duration the container declares (None if it does not say), without decoding.

    Still runs in the child: even reading a header can crash FFmpeg.
    """
    with AudioStream(source, name=name, limits=limits, mode="probe") as stream:
        return stream.declared_duration_s
