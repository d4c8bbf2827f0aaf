"""The `soapdesk` command line. Turns typed errors into one line and an exit code."""

from __future__ import annotations

import argparse
import logging
import sys

import soapdesk.core  # noqa: F401  (hub-offline switches before anything else)
from soapdesk import __version__
from soapdesk.core.errors import SoapDeskError

log = logging.getLogger("soapdesk")


def build_parser() -> argparse.ArgumentParser:
    from soapdesk.cli_models import add_model_commands
    from soapdesk.cli_note import add_note_commands

    p = argparse.ArgumentParser(prog="soapdesk", description="Local, private session notes for therapists.")
    p.add_argument("--version", action="version", version=f"soapdesk {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)
    add_note_commands(sub)
    add_model_commands(sub)
    sub.add_parser("gui", help="open the SoapDesk window").set_defaults(func=_gui)
    _add_optional(sub, "soapdesk.cli_vault", "add_vault_commands")
    _add_optional(sub, "soapdesk.cli_api", "add_api_commands")
    return p


def _gui(args) -> int:
    from soapdesk.gui.app import main as gui_main

    return gui_main([sys.argv[0]])


def _add_optional(sub, module: str, func: str) -> None:
    """Front ends that live in their own modules register themselves here."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return
    getattr(mod, func)(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from soapdesk.store.logging_setup import configure_logging

        configure_logging()
        return int(args.func(args) or 0)
    except SoapDeskError as exc:
        print(f"soapdesk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("soapdesk: cancelled.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors become a sentence
        where = _record_crash(exc)
        print(f"soapdesk: an unexpected error stopped this ({type(exc).__name__}). Nothing was saved. "
              f"Details for support: {where}", file=sys.stderr)
        return 1


def _record_crash(exc: BaseException) -> str:
    """Write the stack (file names and line numbers only: an exception's message
    or locals may hold PHI) to the logs directory."""
    import time
    import traceback

    from soapdesk.core import paths

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"{type(exc).__module__}.{type(exc).__name__}"] + [
        f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    try:
        d = paths.ensure_private_dir(paths.logs_dir())
        path = d / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)
    except OSError:
        return "(the logs directory could not be written)"
