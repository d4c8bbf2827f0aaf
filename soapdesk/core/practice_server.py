"""Drafting on an OpenAI-compatible chat server the practice runs on its own
network (llama.cpp's server, vLLM, Ollama), instead of in this process.

Same prompts, same section-by-section flow and validation as the in-process
drafter; the server applies its own chat template. Output is constrained with
`response_format` where the server supports it and validated either way.
Only the configured server is contacted (netguard allows that one host).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from soapdesk.core import netguard, prompts
from soapdesk.core.drafting import Generation, LlamaDrafter, read_section_stream
from soapdesk.core.errors import BadInput, Cancelled, DraftFailed


def network_warning(url: str) -> str | None:
    """A plain-language warning when the server is not on this machine or a private network."""
    host = urlparse(url).hostname or ""
    try:
        addrs = {ai[4][0] for ai in socket.getaddrinfo(host, None)} if host else set()
    except OSError:
        addrs = set()
    if host in ("localhost",) or (addrs and all(_private(a) for a in addrs)):
        return None
    return (f"The practice server {host or url} is not on this computer or a private network: "
            "session transcripts would travel over the internet. Use a server inside your practice.")


def _private(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%")[0])
    return ip.is_loopback or ip.is_private or ip.is_link_local


class PracticeServerDrafter(LlamaDrafter):
    def __init__(self, url: str, *, model: str = "", api_key: str = "", n_ctx: int = 8192,
                 max_section_tokens: int = 320, timeout_s: float = 600.0):
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise BadInput(f"'{url}' is not a valid server address (expected http://host:port).")
        super().__init__("(server)", model_id=f"server:{model or parsed.hostname}", chat_format="server",
                         n_ctx=n_ctx, max_section_tokens=max_section_tokens)
        self.base = url.rstrip("/").removesuffix("/v1")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self._schema_supported = True
        netguard.allow_host(parsed.hostname)

    def load(self):
        return None

    def count_tokens(self, text: str) -> int:
        # The server's tokenizer is not available here; 3.5 characters per token
        # over-counts English slightly, so the context check errs on the safe side.
        return int(len(text) / 3.5) + 8

    def _request(self, body: dict):
        req = urllib.request.Request(self.base + "/v1/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Accept": "text/event-stream",
                                              **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})})
        return urllib.request.urlopen(req, timeout=self.timeout_s)  # noqa: S310 - http(s) only, checked above

    def generate(self, prompt: str, *, max_tokens: int, key: str = "", on_text=None,
                 cancel: threading.Event | None = None) -> Generation:
        body = {"messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens, "temperature": 0,
                "stream": True, **({"model": self.model} if self.model else {})}
        if self._schema_supported:
            body["response_format"] = {"type": "json_object", "schema": prompts.SECTION_SCHEMA}
        t0 = time.perf_counter()
        try:
            resp = self._request(body)
        except urllib.error.HTTPError as exc:
            if exc.code in (400, 422) and self._schema_supported:
                self._schema_supported = False  # the server rejects schemas: validate afterwards only
                return self.generate(prompt, max_tokens=max_tokens, key=key, on_text=on_text, cancel=cancel)
            raise DraftFailed(f"The practice server answered with an error (HTTP {exc.code}).") from None
        except (urllib.error.URLError, OSError):
            raise DraftFailed("The practice server could not be reached. Check its address in Settings.") from None
        with resp:
            return read_section_stream(_sse_content(resp), t0=t0, prompt_tokens=self.count_tokens(prompt),
                                       key=key, on_text=on_text, cancel=cancel)


def _sse_content(resp):
    """The content pieces of an OpenAI-style chat-completion event stream."""
    for raw in resp:
        line = raw.decode("utf-8", "replace").strip()
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            yield json.loads(data)["choices"][0].get("delta", {}).get("content") or ""
        except (ValueError, KeyError, IndexError):
            continue
