"""`soapdesk note` and `soapdesk transcribe`: the engine from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from soapdesk.core import netguard, settings as settings_mod
from soapdesk.core.errors import BadInput
from soapdesk.core.pipeline import Pipeline


def add_note_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("note", help="draft a progress note from session audio or a transcript")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--audio", type=Path, help="session recording (WAV, MP3, M4A, OGG, WebM, FLAC)")
    src.add_argument("--transcript", help="transcript text file, or - for standard input")
    p.add_argument("--template", help="note format: soap, dap, birp, girp, pie, medical, pt_daily, ... (default: soap)")
    p.add_argument("--specialty", help="specialty profile, e.g. individual, couples_family, pt, slp, psychiatry")
    p.add_argument("--billing", action="store_true", help="add CPT and ICD-10-CM suggestions (with reasons)")
    p.add_argument("--minutes", type=int, help="face-to-face minutes, when the recording is not the whole session")
    _engine_args(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of plain text")
    p.add_argument("--save", action="store_true", help="store the session, audio, transcript and draft in the vault")
    p.add_argument("--client", help="client label to file the session under (with --save)")
    p.set_defaults(func=cmd_note)

    t = sub.add_parser("transcribe", help="transcribe session audio")
    t.add_argument("file", type=Path)
    _engine_args(t, llm=False)
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_transcribe)


def _engine_args(p: argparse.ArgumentParser, llm: bool = True) -> None:
    if llm:
        p.add_argument("--model", help="drafting model id (see: soapdesk models list)")
        p.add_argument("--practice-server", metavar="URL",
                       help="draft on your practice's OpenAI-compatible server instead of this computer")
    p.add_argument("--asr-model", help="speech model id")
    p.add_argument("--threads", type=int, help="CPU threads to use")
    p.add_argument("--no-biasing", action="store_true", help="turn off clinical vocabulary biasing")


def _settings(args) -> settings_mod.Settings:
    s = settings_mod.load()
    changes = {}
    if getattr(args, "model", None):
        changes["llm_model"] = args.model
    if args.asr_model:
        changes["asr_model"] = args.asr_model
    if args.threads:
        changes["threads"] = max(1, args.threads)
    if args.no_biasing:
        changes["vocabulary_biasing"] = False
    if getattr(args, "template", None):
        changes["template"] = args.template
    if getattr(args, "practice_server", None):
        changes["practice_server_url"] = args.practice_server
    settings = s.replace(**changes)
    if settings.practice_server_url:
        from soapdesk.core.practice_server import network_warning

        warning = network_warning(settings.practice_server_url)
        if warning:
            print(f"Warning: {warning}", file=sys.stderr, flush=True)
    return settings


def _status(msg: str, quiet: bool, *, progress: bool = True) -> None:
    """Progress lines go to a terminal only, so scripts see exactly one line on failure."""
    if not quiet and (not progress or sys.stderr.isatty()):
        print(msg, file=sys.stderr, flush=True)


def cmd_note(args) -> int:
    netguard.install()
    vault = None
    if args.save:  # unlock first: a wrong passphrase must not cost the clinician a finished draft
        from soapdesk.cli_vault import open_default_vault

        vault = open_default_vault()
    try:
        return _note(args, vault)
    finally:
        if vault is not None:
            vault.close()


def _note(args, vault) -> int:
    settings = _settings(args)
    pipeline = Pipeline(settings)
    quiet = args.json
    on_section = lambda key, title: _status(f"Drafting {title}...", quiet)  # noqa: E731
    specialty = None
    if args.specialty:
        from soapdesk.core.specialties import load_specialty

        specialty = load_specialty(args.specialty)
    template = args.template or (specialty.default_template if specialty else settings.template)
    opts = dict(on_section=on_section, specialty=specialty, billing=args.billing, minutes=args.minutes)
    if args.audio is not None:
        if not args.audio.is_file():
            raise BadInput(f"{args.audio.name}: no such file.")
        _status(f"Transcribing {args.audio.name} with {settings.asr_model}...", quiet)
        note = pipeline.note_from_audio(args.audio, template, **opts)
    else:
        text = _read_transcript(args.transcript)
        note = pipeline.note_from_text(text, template, **opts)
    if vault is not None:
        from soapdesk.cli_vault import save_note_from_cli

        session_id = save_note_from_cli(note, audio_path=args.audio, client_label=args.client, vault=vault)
        _status(f"Saved to the vault as session {session_id}.", quiet, progress=False)
    if args.json:
        print(json.dumps(note.to_json(), ensure_ascii=False))
    else:
        for w in note.warnings:
            _status(f"Check: {w}", quiet, progress=False)
        sys.stdout.write(note.to_plain_text())
        if note.billing:
            sys.stdout.write(_billing_text(note.billing))
    return 0


def _billing_text(billing: dict) -> str:
    lines = ["", "BILLING SUGGESTIONS (verify before use)"]
    lines += [f"CPT {c['code']} x{c['units']}: {c['reason']}" for c in billing.get("cpt", [])]
    lines += [f"ICD-10-CM {c['code']} {c['description']}: stated as \"{c['evidence']}\"" for c in billing.get("icd10", [])]
    if len(lines) == 2:
        lines.append("None: no billable service or stated diagnosis was found.")
    return "\n".join(lines) + "\n"


def _read_transcript(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    path = Path(arg)
    if not path.is_file():
        raise BadInput(f"{path.name}: no such file.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path.name} is not a UTF-8 text file.") from None


def cmd_transcribe(args) -> int:
    netguard.install()
    if not args.file.is_file():
        raise BadInput(f"{args.file.name}: no such file.")
    pipeline = Pipeline(_settings(args))
    transcript = pipeline.transcribe(args.file)
    if args.json:
        out = transcript.to_json()
        out["model"] = pipeline.settings.asr_model
        out["warnings"] = transcript.warnings
        print(json.dumps(out, ensure_ascii=False))
    else:
        for s in transcript.segments:
            print(f"[{_ts(s.start)} - {_ts(s.end)}] {s.text}")
        for w in transcript.warnings:
            print(f"Warning: {w}", file=sys.stderr)
    return 0


def _ts(sec: float | None) -> str:
    if sec is None:
        return "--:--"
    m, s = divmod(sec, 60)
    return f"{int(m):02d}:{s:04.1f}"
