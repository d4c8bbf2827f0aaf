"""The command line as a user runs it: a real process, real tiny models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "sample_session.ogg"
LLM = ["--model", "smollm2-135m-instruct-q4_1"]


def run(*args, env=None, stdin=None, timeout=600, offline=False):
    full_env = {**os.environ, **(env or {})}
    prefix = []
    if offline:
        # A network namespace with no interfaces but loopback: any connection attempt fails.
        assert subprocess.run(["unshare", "-rn", "true"]).returncode == 0, "unshare -rn is needed for this test"
        prefix = ["unshare", "-rn"]
    return subprocess.run([*prefix, sys.executable, "-m", "soapdesk", *args], capture_output=True, text=True,
                          env=full_env, input=stdin, timeout=timeout, cwd=ROOT)


def test_note_from_transcript_json_is_one_object_with_every_section(tiny_models, tmp_path):
    f = tmp_path / "session.txt"
    f.write_text("Therapist: How is your mood?\nClient: Low, maybe four out of ten. I sleep five hours.\n"
                 "Therapist: Keep the sleep diary and we meet next week.")
    p = run("note", "--transcript", str(f), "--json", *LLM)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)  # exactly one JSON object on stdout
    assert out["template"] == "soap" and out["status"] == "ai_draft"
    for key in ("subjective", "objective", "assessment", "plan"):
        assert isinstance(out[key], str) and out[key].strip()
    assert [s["key"] for s in out["sections"]] == ["subjective", "objective", "assessment", "plan"]
    assert out["transcript"]["segments"][0] == {"id": 1, "start": None, "end": None, "speaker": "clinician",
                                                "text": "How is your mood?"}
    assert out["models"] == {"asr": None, "llm": "smollm2-135m-instruct-q4_1"}
    assert {"transcribe_s", "draft_s"} <= set(out["timings"]) and isinstance(out["warnings"], list)
    assert all("sentences" in s for s in out["sections"]) and "suicidal_ideation" in out["risk"]


def test_plain_text_is_labelled_ai_draft_and_has_no_markdown(tiny_models):
    p = run("note", "--transcript", "-", "--template", "dap", *LLM,
            stdin="Client: I had a panic attack on the bus.\nTherapist: We practised box breathing.")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("AI DRAFT")
    for title in ("DATA", "ASSESSMENT", "PLAN"):
        assert title in lines
    assert "**" not in p.stdout and "##" not in p.stdout


def test_audio_to_note_end_to_end_with_real_models_and_no_network(tiny_models):
    p = run("note", "--audio", str(SAMPLE), "--json", *LLM, offline=True)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    segs = out["transcript"]["segments"]
    assert segs and out["transcript"]["duration_s"] > 30
    heard = " ".join(s["text"] for s in segs).lower()
    assert "sertraline" in heard or "sleep" in heard
    assert all(s["end"] >= s["start"] for s in segs)
    assert [s["id"] for s in segs] == list(range(1, len(segs) + 1))
    assert out["models"]["asr"] == "whisper-tiny.en"
    assert all(out[k].strip() for k in ("subjective", "objective", "assessment", "plan"))
    assert out["timings"]["transcribe_s"] > 0


@pytest.mark.parametrize("content, name", [(b"", "empty.wav"), (b"this is not audio at all" * 50, "notes.mp3"),
                                           (b"RIFF\x24\x00\x00\x00WAVEfmt ", "cut.wav")])
def test_bad_audio_exits_2_with_one_readable_line(tmp_path, content, name):
    f = tmp_path / name
    f.write_bytes(content)
    p = run("note", "--audio", str(f), *LLM)
    assert p.returncode == 2
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("soapdesk: ") and name in err[0]
    assert "Traceback" not in p.stderr and p.stdout == ""


def test_missing_file_exits_2(tmp_path):
    p = run("note", "--audio", str(tmp_path / "nope.wav"))
    assert p.returncode == 2 and "nope.wav: no such file" in p.stderr


def test_missing_model_says_how_to_install_it(tmp_path):
    p = run("note", "--transcript", "-", *LLM, stdin="Client: hello", env={"SOAPDESK_MODELS_DIR": str(tmp_path)})
    assert p.returncode == 3
    assert "soapdesk models install smollm2-135m-instruct-q4_1" in p.stderr
    assert "Traceback" not in p.stderr


def test_transcribe_json(tiny_models):
    p = run("transcribe", str(SAMPLE), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["segments"] and out["duration_s"] > 30 and out["model"] == "whisper-tiny.en"


def test_models_list_shows_install_state():
    p = run("models", "list")
    assert p.returncode == 0
    assert "whisper-tiny.en" in p.stdout and "installed" in p.stdout
    assert "upstream unverified" in p.stdout  # whisper-base is labelled honestly
