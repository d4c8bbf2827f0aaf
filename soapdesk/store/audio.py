"""Session audio, stored inside the vault as chunks.

While recording, the GUI appends a chunk every few seconds; each append is
its own committed transaction, so a crash loses at most the last chunk
(T21). Imported files are stored encoded (e.g. "ogg") in 1 MiB chunks and
decoded in memory later — never via a plaintext temp file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from soapdesk.store import timeutil
from soapdesk.store.db import Database

PCM = "pcm_s16le"
IMPORT_CHUNK_BYTES = 1 << 20


@dataclass
class AudioData:
    data: bytes
    format: str
    sample_rate: int | None
    channels: int | None

    def to_array(self):
        """float32 in [-1, 1], shape (frames,) for mono or (frames, channels). PCM only."""
        import numpy as np

        if self.format != PCM:
            raise ValueError("only raw PCM audio can be returned as an array; decode the stored file instead")
        samples = np.frombuffer(self.data, dtype="<i2").astype(np.float32) / 32768.0
        if self.channels and self.channels > 1:
            samples = samples.reshape(-1, self.channels)
        return samples


class Audio:
    def __init__(self, db: Database, audit):
        self._db = db
        self._audit = audit

    def append_chunk(self, session_id: str, seq: int, data: bytes, *, fmt: str = PCM,
                     sample_rate: int | None = 16000, channels: int | None = 1) -> None:
        """Store one chunk and commit; when this returns the chunk survives a crash."""
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO audio_chunks (session_id, seq, format, sample_rate, channels, data, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, int(seq), fmt, sample_rate, channels, bytes(data), timeutil.iso()),
            )

    def next_seq(self, session_id: str) -> int:
        row = self._db.one("SELECT MAX(seq) FROM audio_chunks WHERE session_id = ?", (session_id,))
        return 0 if row[0] is None else row[0] + 1

    def import_stream(self, session_id: str, source: bytes | BinaryIO, *, fmt: str,
                      sample_rate: int | None = None, channels: int | None = None) -> int:
        """Store a whole file's bytes (inside the caller's transaction if any); returns bytes stored."""
        total = 0
        seq = self.next_seq(session_id)
        with self._db.transaction():
            for block in _blocks(source):
                self._db.execute(
                    "INSERT INTO audio_chunks (session_id, seq, format, sample_rate, channels, data, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (session_id, seq, fmt, sample_rate, channels, block, timeutil.iso()),
                )
                seq += 1
                total += len(block)
        return total

    def read(self, session_id: str) -> AudioData | None:
        rows = self._db.query(
            "SELECT format, sample_rate, channels, data FROM audio_chunks WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        if not rows:
            return None
        fmt, rate, channels = rows[0][0], rows[0][1], rows[0][2]
        return AudioData(b"".join(r[3] for r in rows), fmt, rate, channels)

    def size(self, session_id: str) -> int:
        row = self._db.one("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM audio_chunks WHERE session_id = ?",
                           (session_id,))
        return int(row[0])

    def delete(self, session_id: str, *, reason: str) -> int:
        with self._db.transaction():
            size = self.size(session_id)
            self._db.execute("DELETE FROM audio_chunks WHERE session_id = ?", (session_id,))
            self._audit.record("audio_deleted", "session", session_id, bytes=size, reason=reason)
        return size


def _blocks(source: bytes | BinaryIO):
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        for i in range(0, len(view), IMPORT_CHUNK_BYTES):
            yield bytes(view[i:i + IMPORT_CHUNK_BYTES])
        return
    while True:
        block = source.read(IMPORT_CHUNK_BYTES)
        if not block:
            return
        yield block
