"""Drafting through an OpenAI-compatible server on the practice network:
here llama-cpp-python's own server with SmolLM2, started for real on localhost."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from soapdesk.api.local_server import free_port
from soapdesk.core.errors import DraftFailed
from soapdesk.core.pipeline import Pipeline
from soapdesk.core.practice_server import PracticeServerDrafter, network_warning
from soapdesk.core.settings import Settings

TRANSCRIPT = ("Therapist: How did the week go?\nClient: Better. I used the breathing exercise twice a day.\n"
              "Therapist: Good. Keep doing it and we will meet next Thursday.")


@pytest.fixture(scope="module")
def practice_server(tiny_models, tmp_path_factory):
    port = free_port()
    # llama.cpp logs a lot while loading: to a file, since an unread pipe would fill and stall it
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model",
                             str(tiny_models["smollm2-135m-instruct-q4_1"]), "--host", "127.0.0.1", "--port",
                             str(port), "--n_ctx", "4096", "--n_threads", "2", "--chat_format", "chatml"],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"llama_cpp.server exited: {log.read()[-1500:]}")
        try:
            with urllib.request.urlopen(url + "/v1/models", timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_note_drafted_on_the_practice_server_streams_every_section(practice_server):
    pipeline = Pipeline(Settings(practice_server_url=practice_server, section_max_tokens=80))
    streamed = []
    note = pipeline.note_from_text(TRANSCRIPT, "soap", on_text=lambda k, d: streamed.append(k))
    assert isinstance(pipeline.drafter, PracticeServerDrafter)
    assert [s.key for s in note.sections] == ["subjective", "objective", "assessment", "plan"]
    assert all(s.text.strip() for s in note.sections)
    assert set(streamed) == {"subjective", "objective", "assessment", "plan"}
    assert note.models["llm"].startswith("server:")


def test_cancel_stops_a_server_draft(practice_server):
    drafter = PracticeServerDrafter(practice_server, max_section_tokens=80)
    cancel = threading.Event()
    pipeline = Pipeline(Settings(practice_server_url=practice_server), drafter=drafter)
    from soapdesk.core.errors import Cancelled

    with pytest.raises(Cancelled):
        pipeline.note_from_text(TRANSCRIPT, "soap", on_text=lambda k, d: cancel.set(), cancel=cancel)


def test_unreachable_server_is_one_plain_sentence():
    drafter = PracticeServerDrafter(f"http://127.0.0.1:{free_port()}", max_section_tokens=8)
    pipeline = Pipeline(Settings(), drafter=drafter)
    with pytest.raises(DraftFailed, match="could not be reached"):
        pipeline.note_from_text(TRANSCRIPT, "dap")


@pytest.mark.parametrize("url, warns", [
    ("http://127.0.0.1:8080", False), ("http://localhost:11434", False), ("http://192.168.1.20:8000", False),
    ("http://10.0.0.7:8000/v1", False), ("https://8.8.8.8/v1", True), ("http://1.1.1.1:8080", True)])
def test_warning_when_the_server_is_not_on_a_private_network(url, warns):
    assert (network_warning(url) is not None) is warns
