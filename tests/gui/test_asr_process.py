"""The window's speech recognizer runs in a child process: same results, cancel, typed errors, crashes."""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
import pytest

from soapdesk.core.errors import AudioSilent, Cancelled
from soapdesk.core.settings import Settings
from soapdesk.gui.asr_process import ProcessTranscriber, TranscriberStopped

from gui_support import SAMPLE, TEST_ASR


@pytest.fixture(scope="module")
def sample():
    from soapdesk.core.audio import load_audio

    return load_audio(SAMPLE)[0][: 20 * 16000]


@pytest.fixture
def transcriber(tiny_models):
    t = ProcessTranscriber(Settings(asr_model=TEST_ASR, threads=2))
    yield t
    t.close()


def test_transcribes_in_a_child_and_streams_segments(transcriber, sample):
    transcriber.start()  # as at unlock: the child loads the model before anyone asks
    segments, progress = [], []
    transcript = transcriber.transcribe(sample, on_segment=segments.append, on_progress=progress.append)
    assert transcriber.running and transcriber._proc.pid != os.getpid()
    assert transcript.segments and [s.text for s in segments] == [s.text for s in transcript.segments]
    assert progress[-1] == 1.0 and transcript.duration_s == pytest.approx(20.0, abs=0.1)


def test_typed_errors_and_cancel_cross_over_and_the_child_stays(transcriber, sample):
    with pytest.raises(AudioSilent):
        transcriber.transcribe(np.zeros(16000, np.float32))
    pid = transcriber._proc.pid
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        transcriber.transcribe(sample, cancel=cancel)
    assert transcriber.transcribe(sample).segments and transcriber._proc.pid == pid


def test_a_crashed_child_fails_one_transcription_then_a_new_one_starts(transcriber, sample):
    seen = threading.Event()

    def kill_on_first_segment(_seg):
        if not seen.is_set():
            seen.set()
            os.kill(transcriber._proc.pid, signal.SIGKILL)

    with pytest.raises(TranscriberStopped):
        transcriber.transcribe(np.concatenate([sample] * 6), on_segment=kill_on_first_segment)
    assert not transcriber.running
    assert transcriber.transcribe(sample).segments  # a fresh child


def test_close_ends_the_child(transcriber, sample):
    transcriber.transcribe(sample[: 5 * 16000])
    proc = transcriber._proc
    reaper = transcriber.close()
    reaper.join(15)
    assert proc.exitcode == 0  # it left on its own when asked, not by terminate or kill
    assert not transcriber.running
