"""The recording buffer hands live transcription contiguous pieces that add up to the whole recording."""

from __future__ import annotations

import numpy as np

from soapdesk.gui.recording import RATE, RecordingBuffer


def test_pieces_are_contiguous_cover_everything_and_keep_only_the_tail():
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(95 * RATE) * 0.1).astype(np.float32)
    audio[31 * RATE:31 * RATE + RATE // 5] = 0.0  # a pause inside the last 3 s of the first 32 s
    buf = RecordingBuffer()
    pieces = []
    for i in range(0, audio.size, RATE // 10):
        buf.add(audio[i:i + RATE // 10].reshape(-1, 1))
        if (i // (RATE // 10)) % 80 == 79:  # every 8 s, as the recorder's flush timer does
            piece = buf.take_for_transcription(min_s=30.0)
            if piece is not None:
                pieces.append(piece)
    pieces.append(buf.take_for_transcription(final=True, min_s=30.0))
    assert buf.take_for_transcription(final=True) is None

    assert 31.0 <= pieces[0][1].size / RATE <= 31.2  # cut in the pause, not mid-word
    offset = 0
    for start_s, samples in pieces:
        assert start_s == offset / RATE
        np.testing.assert_array_equal(samples, audio[offset:offset + samples.size])
        offset += samples.size
    assert offset == audio.size
    assert len(pieces) >= 3
