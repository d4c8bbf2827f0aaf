"""Shared by the API tests: how to start a real server for them."""

from __future__ import annotations

from pathlib import Path

from soapdesk.api.local_server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "lantern orchard seven quietly rivers"
LLM = "smollm2-135m-instruct-q4_1"


def Server(data_dir: Path, *extra: str) -> LocalServer:  # noqa: N802 - reads like the class it returns
    return LocalServer(data_dir, PASSPHRASE, "--model", LLM, "--threads", "2", *extra)
