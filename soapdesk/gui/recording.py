"""Microphone audio while recording: chunks for the vault, level, silence (no Qt).

The sounddevice callback (its own thread) calls `add(frames)`; the window
polls `take_chunk()` every few seconds and appends what it returns to the
vault, so a crash loses at most those seconds. Audio for live transcription
is taken in pieces ending at a quiet moment (`take_for_transcription`).
"""

from __future__ import annotations

import math
import threading

import numpy as np

RATE = 16000
SILENCE_DBFS = -50.0
SILENCE_WARN_S = 10.0


def dbfs(block: np.ndarray) -> float:
    if block.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(block.astype(np.float64)))))
    return 20 * math.log10(max(rms, 1e-6))


class RecordingBuffer:
    def __init__(self, rate: int = RATE):
        self.rate = rate
        self._lock = threading.Lock()
        self._pending: list[np.ndarray] = []  # not yet in the vault
        self._untranscribed: list[np.ndarray] = []  # not yet handed to live transcription (float32)
        self.frames = 0
        self.level_dbfs = -120.0
        self.silent_s = 0.0
        self.seq = 0
        self._transcribed_to = 0  # frames already handed to the transcriber

    # -- from the audio thread ------------------------------------------------
    def add(self, block: np.ndarray) -> None:
        mono = np.asarray(block, dtype=np.float32).reshape(len(block), -1).mean(axis=1)
        level = dbfs(mono)
        with self._lock:
            self._pending.append(mono)
            self._untranscribed.append(mono)
            self.frames += mono.size
            self.level_dbfs = level
            self.silent_s = self.silent_s + mono.size / self.rate if level < SILENCE_DBFS else 0.0

    # -- from the window ------------------------------------------------------
    @property
    def elapsed_s(self) -> float:
        return self.frames / self.rate

    @property
    def silence_warning(self) -> bool:
        return self.silent_s >= SILENCE_WARN_S

    def take_chunk(self) -> tuple[int, bytes] | None:
        """(seq, 16-bit PCM bytes) of everything not yet stored, or None."""
        with self._lock:
            if not self._pending:
                return None
            audio = np.concatenate(self._pending)
            self._pending = []
            seq = self.seq
            self.seq += 1
        pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        return seq, pcm

    def take_for_transcription(self, *, final: bool = False, min_s: float = 20.0) -> tuple[float, np.ndarray] | None:
        """(offset seconds, samples) of audio not yet transcribed, cut at the quietest
        moment of its last 3 s so a word is not split; everything that is left when `final`.

        Only the untranscribed tail is kept here (the vault has the rest): joining the whole
        recording on every call cost the UI thread a copy that grew to ~40 MB by 10 minutes."""
        with self._lock:
            audio = np.concatenate(self._untranscribed) if self._untranscribed else np.zeros(0, np.float32)
            if audio.size == 0 or (not final and audio.size < min_s * self.rate):
                self._untranscribed = [audio] if audio.size else []
                return None
            end = audio.size if final else _quiet_cut(audio, self.rate)
            self._untranscribed = [audio[end:].copy()] if end < audio.size else []  # a copy frees the rest
            start = self._transcribed_to
            self._transcribed_to = start + end
        return start / self.rate, audio[:end]


def _quiet_cut(audio: np.ndarray, rate: int) -> int:
    win = rate // 10
    tail_start = max(0, audio.size - 3 * rate)
    best, best_level = audio.size, float("inf")
    for i in range(tail_start, audio.size - win, win):
        level = float(np.mean(np.abs(audio[i:i + win])))
        if level < best_level:
            best, best_level = i + win // 2, level
    return best
