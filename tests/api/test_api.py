"""The local note API over real HTTP: the seed client's code, every endpoint, errors, SSE, load."""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from api_helpers import ROOT, Server

TRANSCRIPT = ("Therapist: How have you been sleeping?\nClient: Badly, maybe five hours. Work is stressful.\n"
              "Therapist: Let's try a wind-down routine and meet again next week.")
SAMPLE = ROOT / "samples" / "sample_session.ogg"


def test_seed_client_example_works_with_only_base_url_and_token_changed(server):
    # The SOAPNoteAPI seed's own Python example, verbatim apart from BASE and the token.
    import requests

    BASE = server.base
    resp = requests.post(BASE + "/v1/note", headers={"Authorization": f"Bearer {server.token}"},
                         json={"transcript": TRANSCRIPT, "specialty": "nurse_practitioner", "template": "standard"},
                         timeout=300)
    assert resp.status_code == 200, resp.text
    note = resp.json()
    for key in ("subjective", "objective", "assessment", "plan"):
        assert isinstance(note[key], str) and note[key].strip()
    assert len(note["noteId"]) == 32 and note["expires_at"] and note["template"] == "soap"


def test_get_and_delete_a_note(server):
    made = httpx.post(server.base + "/v1/note", headers=server.auth, json={"transcript": TRANSCRIPT},
                      timeout=300).json()
    got = httpx.get(f"{server.base}/v1/note/{made['noteId']}", headers=server.auth)
    assert got.status_code == 200 and got.json()["subjective"] == made["subjective"]
    assert httpx.delete(f"{server.base}/v1/note/{made['noteId']}", headers=server.auth).json()["deleted"] is True
    gone = httpx.get(f"{server.base}/v1/note/{made['noteId']}", headers=server.auth)
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
def test_requests_without_a_valid_token_get_401(server, headers):
    r = httpx.post(server.base + "/v1/note", headers=headers, json={"transcript": TRANSCRIPT})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert httpx.get(server.base + "/v1/templates", headers=headers).status_code == 401


def test_unknown_specialty_is_422_listing_valid_ones(server):
    r = httpx.post(server.base + "/v1/note", headers=server.auth,
                   json={"transcript": TRANSCRIPT, "specialty": "astrology"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_field" and "nurse_practitioner" in r.json()["message"]


def test_missing_transcript_is_422(server):
    r = httpx.post(server.base + "/v1/note", headers=server.auth, json={"template": "soap"})
    assert r.status_code == 422 and "transcript" in r.json()["message"]


def test_meta_endpoints(server):
    t = httpx.get(server.base + "/v1/templates", headers=server.auth).json()
    assert {"soap", "dap", "birp", "girp", "medical"} <= {x["id"] for x in t["templates"]}
    s = httpx.get(server.base + "/v1/specialties", headers=server.auth).json()["specialties"]
    assert len(s) >= 24
    assert httpx.get(server.base + "/healthz").json()["status"] == "ok"
    assert httpx.get(server.base + "/openapi.json").json()["paths"]["/v1/note"]


def test_audio_note(server):
    with SAMPLE.open("rb") as fh:
        r = httpx.post(server.base + "/v1/note/audio", headers=server.auth,
                       files={"audio": ("session.ogg", fh, "audio/ogg")}, data={"template": "standard"}, timeout=300)
    assert r.status_code == 200, r.text
    assert all(r.json()[k].strip() for k in ("subjective", "objective", "assessment", "plan"))


def test_garbage_upload_is_415(server):
    r = httpx.post(server.base + "/v1/note/audio", headers=server.auth,
                   files={"audio": ("x.mp3", b"<html>not audio</html>" * 20, "audio/mpeg")})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media"
    r = httpx.post(server.base + "/v1/note/audio", headers=server.auth,
                   files={"audio": ("x.txt", b"hello", "text/plain")})
    assert r.status_code == 415


def test_oversize_upload_is_413(server):
    r = httpx.post(server.base + "/v1/note/audio", headers=server.auth,
                   files={"audio": ("big.wav", b"\0" * (2 * 1024 * 1024), "audio/wav")})
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_stream_sends_sections_deltas_and_the_whole_note(server):
    events = []
    with httpx.stream("POST", server.base + "/v1/stream/note", headers=server.auth,
                      json={"transcript": TRANSCRIPT, "template": "dap"}, timeout=300) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    kinds = [k for k, _ in events]
    assert [d["key"] for k, d in events if k == "section"] == ["data", "assessment", "plan"]
    assert "delta" in kinds and kinds[-1] == "note"
    note = events[-1][1]
    streamed = "".join(d["text"] for k, d in events if k == "delta" and d["key"] == "plan")
    assert note["plan"] and streamed.strip()


def test_eight_concurrent_requests_all_answered(server):
    def one(i):
        return httpx.post(server.base + "/v1/note", headers=server.auth,
                          json={"transcript": TRANSCRIPT + f"\nClient: Thanks ({i})."}, timeout=600)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(8)))
    assert [r.status_code for r in results] == [200] * 8
    assert len({r.json()["noteId"] for r in results}) == 8
    assert httpx.get(server.base + "/healthz").status_code == 200


def test_full_queue_answers_503_with_retry_after(tiny_models, tmp_path):
    s = Server(tmp_path / "data", "--max-waiting", "0")
    try:
        def one(i):
            return httpx.post(s.base + "/v1/note", headers=s.auth, json={"transcript": TRANSCRIPT}, timeout=600)

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            results = list(pool.map(one, range(4)))
        codes = sorted(r.status_code for r in results)
        assert 200 in codes and 503 in codes
        busy = next(r for r in results if r.status_code == 503)
        assert busy.json()["code"] == "busy" and int(busy.headers["retry-after"]) >= 1
    finally:
        s.stop()


def test_server_log_and_stderr_carry_no_phi(server, tmp_path):
    canary = "Zanzibar-canary-7731"
    httpx.post(server.base + "/v1/note", headers=server.auth,
               json={"transcript": f"Client: my neighbour {canary} visited.\nTherapist: okay."}, timeout=300)
    logs = Path(server.env["SOAPDESK_DATA_DIR"]) / "logs"
    for f in logs.rglob("*") if logs.exists() else []:
        if f.is_file():
            assert canary not in f.read_text(errors="ignore")


def test_openapi_property_based_run_finds_no_server_errors(server):
    p = subprocess.run(
        [str(Path(sys.executable).parent / "st"), "run", server.base + "/openapi.json",
         "--checks", "not_a_server_error", "-H", f"Authorization: Bearer {server.token}",
         "--max-examples", "4", "--request-timeout", "300", "--phases", "examples,fuzzing",
         "--exclude-path", "/v1/note/audio", "--exclude-path", "/v1/stream/note"],
        capture_output=True, text=True, timeout=1500)
    assert p.returncode == 0, p.stdout[-3000:]


def test_binding_off_loopback_needs_an_explicit_flag(tmp_path):
    p = subprocess.run([sys.executable, "-m", "soapdesk", "serve", "--host", "0.0.0.0"], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 2 and "--allow-network" in p.stderr
