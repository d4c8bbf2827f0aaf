"""`soapdesk serve` and `soapdesk api-token`: the local note API."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from soapdesk.core import netguard


def add_api_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the local note API (SOAPNoteAPI-compatible) on this machine")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: this machine only)")
    p.add_argument("--allow-network", action="store_true",
                   help="required to bind an address other than loopback (other computers could connect)")
    p.add_argument("--max-upload-mb", type=int, default=200)
    p.add_argument("--max-waiting", type=int, default=8, help="requests that may wait for the engine")
    p.add_argument("--model", help="drafting model id")
    p.add_argument("--asr-model", help="speech model id")
    p.add_argument("--threads", type=int)
    p.set_defaults(func=cmd_serve)

    t = sub.add_parser("api-token", help="show or rotate the local API's bearer token")
    t.add_argument("action", choices=["show", "rotate"])
    t.set_defaults(func=cmd_api_token)


def _is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_api_token(args) -> int:
    from soapdesk.api.service import ensure_token, rotate_token
    from soapdesk.cli_vault import _open

    with _open(args) as vault:
        token = rotate_token(vault) if args.action == "rotate" else ensure_token(vault)
    print(token)
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from soapdesk.api.app import create_app
    from soapdesk.api.service import NoteService, ensure_token
    from soapdesk.cli_note import _settings
    from soapdesk.cli_vault import _open
    from soapdesk.core.errors import BadInput
    from soapdesk.core.pipeline import Pipeline

    if not _is_loopback(args.host):
        if not args.allow_network:
            raise BadInput(f"Binding {args.host} would let other computers reach patient notes; "
                           "add --allow-network if that is really intended.")
        print(f"WARNING: serving on {args.host}: other computers on this network can reach the API "
              "(they still need the token).", file=sys.stderr)
    netguard.install()
    args.no_biasing = False
    settings = _settings(args)
    pipeline = Pipeline(settings)
    vault = _open(args)
    try:
        token = ensure_token(vault)
        service = NoteService(pipeline, vault, max_waiting=args.max_waiting)
        removed = service.sweep_expired()
        app = create_app(service, token, max_upload_bytes=args.max_upload_mb * 1024 * 1024)
        print(f"SoapDesk API on http://{args.host}:{args.port} ({removed} expired note(s) removed)",
              file=sys.stderr, flush=True)
        if sys.stderr.isatty():  # the token is a secret: show it to a person, not to a log file
            print(f"Bearer token: {token}", file=sys.stderr, flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    finally:
        vault.close()
    return 0
