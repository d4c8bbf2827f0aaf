"""GUI test support: fixtures (re-exported by conftest.py), a fake sounddevice, a cheap-KDF context with the tiny models, windows."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from soapdesk.core.settings import Settings
from soapdesk.store.keys import TEST_PARAMS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sample_session.ogg"
PASS = "violet harbor lantern 42"
TEST_ASR = "whisper-tiny.en"
TEST_LLM = "smollm2-135m-instruct-q4_1"


class FakeStream:
    def __init__(self, *, callback, samplerate=16000, channels=1, dtype="float32", device=None, blocksize=None,
                 **_kw):
        self.callback = callback
        self.samplerate = samplerate
        self.device = device
        self.started = False
        self.closed = False

    def start(self):
        self.started = True

    def stop(self):
        self.started = False

    def close(self):
        self.closed = True


class FakeSoundDevice:
    """Stands in for the sounddevice module: never touches a real device."""

    class CallbackStop(Exception):
        pass

    def __init__(self):
        self.inputs: list[FakeStream] = []
        self.outputs: list[FakeStream] = []

    def query_devices(self):
        return [{"name": "Test microphone", "max_input_channels": 1, "max_output_channels": 0},
                {"name": "Test speakers", "max_input_channels": 0, "max_output_channels": 2}]

    def InputStream(self, **kw):  # noqa: N802 - sounddevice's name
        s = FakeStream(**kw)
        self.inputs.append(s)
        return s

    def OutputStream(self, **kw):  # noqa: N802
        s = FakeStream(**kw)
        self.outputs.append(s)
        return s

    def feed(self, samples: np.ndarray, block: int = 1600) -> None:
        """Push audio through the open input stream's callback, as the audio thread would."""
        stream = self.inputs[-1]
        for i in range(0, samples.size, block):
            chunk = np.ascontiguousarray(samples[i:i + block], dtype=np.float32).reshape(-1, 1)
            stream.callback(chunk, len(chunk), None, None)


@pytest.fixture
def fake_sd():
    return FakeSoundDevice()


@pytest.fixture
def ctx(fake_sd):
    from soapdesk.gui.context import AppContext, VaultOpener

    settings = Settings(llm_model=TEST_LLM, asr_model=TEST_ASR, threads=2, section_max_tokens=64,
                        clipboard_clear_seconds=60, auto_lock_minutes=10)
    return AppContext(settings=settings, opener=VaultOpener(kdf=TEST_PARAMS, allow_weak_kdf_for_tests=True),
                      sounddevice=fake_sd, save_settings=False, clinician_name="Dr Test")


def make_window(qtbot, ctx, **kw):
    """A shown MainWindow; not handed to qtbot, whose close at teardown would ask
    "stop and quit?" while work is still finishing. Close it with `shut()`."""
    from soapdesk.gui.main_window import MainWindow

    w = MainWindow(ctx, **kw)
    w.show()
    return w


def shut(w) -> None:
    w.lanes.cancel_all()
    w.lock()
    w.lanes.wait(60_000)
    w.close()
    w.deleteLater()


@pytest.fixture
def window(qtbot, ctx):
    w = make_window(qtbot, ctx, autosave_ms=50)
    yield w
    shut(w)


@pytest.fixture
def unlocked(window, ctx):
    vault, _key = ctx.opener.create(PASS)
    window.attach(vault)
    return window


class BlockingDrafter:
    """A drafter that writes a little, then waits until cancelled (for cancel tests)."""

    model_id = "fake-llm"

    def __init__(self):
        self.streaming = threading.Event()

    def draft(self, transcript, template, *, on_section=None, on_text=None, cancel=None):
        from soapdesk.core.errors import Cancelled

        spec = template.sections[0]
        on_section(spec.key, spec.title)
        on_text(spec.key, "Client reports")
        self.streaming.set()
        if not cancel.wait(30):
            raise AssertionError("never cancelled")
        raise Cancelled()
