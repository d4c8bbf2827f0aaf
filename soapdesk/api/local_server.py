"""Start `soapdesk serve` as a child process on a free localhost port and wait
until it answers. Used by the tests and the benchmarks; handy for practice
tools that want to run the API only while they need it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    def __init__(self, data_dir: Path, passphrase: str, *extra: str, start_timeout_s: float = 120):
        self.env = {**os.environ, "SOAPDESK_DATA_DIR": str(data_dir), "SOAPDESK_PASSPHRASE": passphrase}
        if not (Path(data_dir) / "vault.db").exists():
            self.cli("vault", "init")
        self.token = self.cli("api-token", "show").strip()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The server's own output goes to a file: an unread pipe would fill up and stall it.
        self._log = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "soapdesk", "serve", "--port", str(self.port), *extra],
                                     env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self._log,
                                     text=True)
        deadline = time.monotonic() + start_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"soapdesk serve exited: {self.output()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("soapdesk serve did not start in time")

    def cli(self, *args: str) -> str:
        p = subprocess.run([sys.executable, "-m", "soapdesk", *args], env=self.env, cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip())
        return p.stdout

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read()

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.output()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
