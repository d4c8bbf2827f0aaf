"""Nothing at run time may reach the network, and the engine never imports Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Runs the real CLI in a fresh interpreter with an audit hook that records every
# socket operation Python makes (added before anything of ours is imported).
_RECORDER = r"""
import json, sys
events = []
def hook(event, args):
    if event.startswith("socket.") and event != "socket.__new__":
        events.append([event, repr(args)[:200]])
sys.addaudithook(hook)
from soapdesk.cli import main
try:
    code = main(sys.argv[1:])
finally:
    import huggingface_hub.constants as c
    sys.stderr.write("\nAUDIT " + json.dumps({"events": events, "hf_offline": bool(c.HF_HUB_OFFLINE)}) + "\n")
sys.exit(code)
"""


def _audited(*args):
    p = subprocess.run([sys.executable, "-c", _RECORDER, *args], capture_output=True, text=True, cwd=ROOT,
                       env={k: v for k, v in os.environ.items() if not k.startswith("HF_")}, timeout=600)
    audit = json.loads(p.stderr.rsplit("AUDIT ", 1)[1].splitlines()[0])
    return p, audit


def test_audio_to_note_pipeline_opens_no_socket(tiny_models):
    p, audit = _audited("note", "--audio", str(ROOT / "samples" / "sample_session.ogg"),
                        "--model", "smollm2-135m-instruct-q4_1", "--json")
    assert p.returncode == 0, p.stderr
    # urllib3 (imported by a dependency) probes IPv6 support by binding ::1 at
    # import time; binding a loopback address sends nothing anywhere.
    outward = [e for e in audit["events"] if not (e[0] == "socket.bind" and ("'::1'" in e[1] or "127.0.0.1" in e[1]))]
    assert outward == []
    assert audit["hf_offline"] is True


def test_guard_refuses_a_connection_off_this_machine():
    code = ("import soapdesk.core.netguard as g, socket\n"
            "g.install()\n"
            "try:\n"
            "    socket.create_connection(('192.0.2.1', 443), timeout=0.1)\n"
            "except Exception as e:\n"
            "    print(type(e).__name__)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.strip() == "NetworkBlocked"


def test_guard_allows_loopback():
    code = ("import soapdesk.core.netguard as g, socket\n"
            "g.install()\n"
            "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n"
            "c = socket.create_connection(s.getsockname(), timeout=2); print('ok')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.strip() == "ok", p.stderr


def test_no_code_path_can_download_from_a_model_hub():
    offenders = []
    for f in (ROOT / "soapdesk").rglob("*.py"):
        for n, line in enumerate(f.read_text().splitlines(), 1):
            if any(w in line for w in ("from_pretrained", "snapshot_download", "hf_hub_download")):
                offenders.append(f"{f.relative_to(ROOT)}:{n}")
    assert offenders == []


@pytest.mark.parametrize("package", ["soapdesk.core", "soapdesk.store"])
def test_engine_and_vault_never_import_qt(package):
    pkg_dir = ROOT / package.replace(".", "/")
    modules = [f"{package}.{p.stem}" for p in pkg_dir.glob("*.py") if p.stem not in ("__init__", "__main__")]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'PyQt', 'shiboken'))))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


def test_no_native_code_connects_anywhere_either(tiny_models, tmp_path):
    """Python audit hooks cannot see C/C++ libraries (onnxruntime ships POSIX
    telemetry): watch the real connect() system calls of the whole process tree."""
    import shutil

    from soapdesk.core import paths

    strace = shutil.which("strace")
    assert strace, "strace is installed by packaging/setup-system.sh"
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "SOAPDESK_MODELS_DIR": str(paths.models_dir()), "SOAPDESK_DATA_DIR": str(tmp_path / "data")}
    p = subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
                        sys.executable, "-m", "soapdesk", "note", "--audio", str(ROOT / "samples" / "sample_session.ogg"),
                        "--model", "smollm2-135m-instruct-q4_1", "--json"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert p.returncode == 0, p.stderr[-2000:]
    calls = [ln for ln in trace.read_text().splitlines() if "AF_INET" in ln]
    assert calls == []
    assert not (tmp_path / "cache" / "Microsoft").exists(), "onnxruntime telemetry must stay off"
    assert not list(tmp_path.glob("**/.ses")) and not list(Path(ROOT).glob(".ses"))
