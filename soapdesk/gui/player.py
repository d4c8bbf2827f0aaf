"""Play session audio from a given second through an injected sounddevice OutputStream."""

from __future__ import annotations

import logging
import threading

import numpy as np

from soapdesk.gui.recording import RATE

log = logging.getLogger(__name__)


class Player:
    """Not a Qt class: the stream's callback pulls from a float32 array."""

    def __init__(self, sd):
        self._sd = sd
        self._stream = None
        self._audio: np.ndarray | None = None
        self._pos = 0
        self._lock = threading.Lock()

    def load(self, samples: np.ndarray | None) -> None:
        self.stop()
        self._audio = None if samples is None else np.asarray(samples, dtype=np.float32).reshape(-1)

    @property
    def loaded(self) -> bool:
        return self._audio is not None

    @property
    def playing(self) -> bool:
        return self._stream is not None

    def play_from(self, seconds: float) -> None:
        if self._audio is None:
            return
        self.stop()
        with self._lock:
            self._pos = max(0, min(int(seconds * RATE), self._audio.size))
        self._stream = self._sd.OutputStream(samplerate=RATE, channels=1, dtype="float32",
                                             callback=self._callback)
        self._stream.start()

    def _callback(self, outdata, frames, time_info, status) -> None:  # audio thread
        with self._lock:
            audio = self._audio
            chunk = audio[self._pos:self._pos + frames] if audio is not None else np.zeros(0, np.float32)
            self._pos += chunk.size
        outdata[:chunk.size, 0] = chunk
        outdata[chunk.size:, 0] = 0.0
        if chunk.size < frames and hasattr(self._sd, "CallbackStop"):
            raise self._sd.CallbackStop()

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # noqa: BLE001
                log.info("audio output did not close cleanly")

    def clear(self) -> None:
        self.stop()
        self._audio = None
