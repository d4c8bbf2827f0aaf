"""A process-wide guard that refuses network connections off this machine.

Installed by the command line and the window before any model or PHI is
touched. Python audit hooks see every socket connect/send and name lookup made
through Python (huggingface_hub, urllib, requests, httpx...). Loopback and
Unix sockets stay allowed (the local API, llama.cpp's server in tests), and so
does one practice server the user configured.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

from soapdesk.core.errors import NetworkBlocked

_allowed_hosts: set[str] = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}
_installed = False


def allow_host(host: str) -> None:
    """Permit one more host (the practice server from settings)."""
    if host:
        _allowed_hosts.add(host.lower())


def _is_local(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).lower().strip("[]")
    if host in _allowed_hosts:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _hook(event: str, args) -> None:
    if event == "socket.getaddrinfo":
        if not _is_local(args[0]):
            raise NetworkBlocked("SoapDesk works offline and refused a network lookup.")
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        if getattr(sock, "family", None) == socket.AF_UNIX:
            return
        address = args[1] if event != "socket.sendmsg" else None
        host = address[0] if isinstance(address, tuple) and address else address
        if event == "socket.sendmsg" or not _is_local(host):
            raise NetworkBlocked("SoapDesk works offline and refused a network connection.")


def install() -> None:
    """Idempotent; audit hooks cannot be removed, which is the point."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
