"""Microphone recording through an injected sounddevice module (tests pass a fake).

The InputStream callback only hands blocks to a RecordingBuffer; a UI-thread
timer reads level/elapsed for the panel, and every `chunk_seconds` emits
`chunk_ready(seq, pcm)` for the vault and `piece_ready(offset, samples)` for
live transcription. Nothing here touches the vault or the models.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from soapdesk.gui.recording import RATE, RecordingBuffer

log = logging.getLogger(__name__)


def input_devices(sd) -> list[tuple[int, str]]:
    """(index, name) of devices that can record; empty if none (or the query fails)."""
    try:
        devices = sd.query_devices()
    except Exception:  # noqa: BLE001 - no audio system at all
        return []
    return [(i, d["name"]) for i, d in enumerate(devices) if d.get("max_input_channels", 0) > 0]


class Recorder(QObject):
    ticked = Signal(float, float, bool)  # elapsed s, level dBFS, silent for 10 s
    chunk_ready = Signal(int, bytes)
    piece_ready = Signal(float, object)  # offset s, float32 samples
    stopped = Signal()

    def __init__(self, sd, *, chunk_seconds: float = 5.0, piece_seconds: float = 30.0,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._sd = sd
        self.chunk_seconds = chunk_seconds
        self.piece_seconds = piece_seconds
        self.buffer: RecordingBuffer | None = None
        self._stream = None
        self.paused = False
        self._tick = QTimer(self, interval=100)
        self._tick.timeout.connect(self._on_tick)
        self._flush = QTimer(self)
        self._flush.timeout.connect(self.flush)

    @property
    def recording(self) -> bool:
        return self._stream is not None

    def start(self, device: int | None = None) -> None:
        self.buffer = RecordingBuffer(RATE)
        self.paused = False
        self._stream = self._sd.InputStream(samplerate=RATE, channels=1, dtype="float32", device=device,
                                            blocksize=RATE // 10, callback=self._callback)
        self._stream.start()
        self._tick.start()
        self._flush.start(int(self.chunk_seconds * 1000))
        log.info("recording started")

    def _callback(self, indata, frames, time_info, status) -> None:  # audio thread
        if not self.paused and self.buffer is not None:
            self.buffer.add(indata.copy())

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def flush(self, final: bool = False) -> None:
        if self.buffer is None:
            return
        chunk = self.buffer.take_chunk()
        if chunk is not None:
            self.chunk_ready.emit(*chunk)
        piece = self.buffer.take_for_transcription(final=final, min_s=self.piece_seconds)
        if piece is not None:
            self.piece_ready.emit(*piece)

    def stop(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.stop()
            self._stream.close()
        finally:
            self._stream = None
            self._tick.stop()
            self._flush.stop()
        self.flush(final=True)
        log.info("recording stopped after %.0f s", self.buffer.elapsed_s)
        self.stopped.emit()

    def _on_tick(self) -> None:
        b = self.buffer
        if b is not None:
            self.ticked.emit(b.elapsed_s, b.level_dbfs, b.silence_warning)
