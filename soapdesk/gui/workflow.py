"""The clinician's workflow as plain functions over the vault and the pipeline (no Qt).

Each long step takes `cancel` (threading.Event) and `report(payload)` so the
window can run it on a lane; payloads are small tuples:
    ("progress", fraction) ("segment", Segment) ("section", key, title) ("text", key, delta)
Every step leaves the session in a status the list can show: on any error the
session becomes `failed` with the error's one-sentence reason (never PHI).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from soapdesk.core import audio_sniff, templates
from soapdesk.core.errors import Cancelled, SoapDeskError
from soapdesk.core.note import Note, Section
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript
from soapdesk.store import settings as vault_settings
from soapdesk.store.audio import PCM

log = logging.getLogger(__name__)

Report = Callable[[tuple], None]


def failure_reason(exc: BaseException) -> str:
    """What the session list shows for a failed step: the typed error's sentence, or a generic one."""
    if isinstance(exc, Cancelled):
        return "Stopped before it finished. Start it again when ready."
    if isinstance(exc, SoapDeskError):
        return str(exc)
    return "Something went wrong inside SoapDesk (the details were logged)."


def _guard(vault, session_id: str, fn, *, on_cancel: str | None = None):
    """Run `fn`; on error mark the session failed with the reason (or `on_cancel` status if cancelled)."""
    try:
        return fn()
    except BaseException as exc:
        try:
            if isinstance(exc, Cancelled) and on_cancel:
                vault.sessions.set_status(session_id, on_cancel)
            else:
                vault.sessions.set_status(session_id, "failed", failure_reason=failure_reason(exc))
        except Exception:  # noqa: BLE001 - the original error matters more
            log.warning("could not mark session failed")
        raise


# -- input ---------------------------------------------------------------------

def store_audio_file(vault, session_id: str, path: Path) -> str:
    """Copy an audio file into the vault (encrypted, encoded as it is); returns the format sniffed."""
    from soapdesk.core.audio import probe_duration

    path = Path(path)
    probe_duration(path)  # a file FFmpeg cannot even open fails here, named, before it reaches the vault
    with path.open("rb") as fh:
        head, after = audio_sniff.read_head(fh)
        try:
            fmt = audio_sniff.sniff(head, after)
        except audio_sniff.Rejected:
            fmt = "unknown"  # decoding will say, in one sentence, what is wrong
        fh.seek(0)
        vault.audio.delete(session_id, reason="replaced_by_import")
        vault.audio.import_stream(session_id, fh, fmt=fmt)
    return fmt


def session_audio(vault, session_id: str):
    """The session's audio as the transcriber takes it: float32 samples (recorded) or file bytes."""
    data = vault.read_audio(session_id)
    if data is None:
        return None
    if data.format == PCM:
        return data.to_array()
    return data.data


def transcribe_session(vault, pipeline, session_id: str, *, report: Report = lambda p: None,
                       cancel: threading.Event | None = None, path: Path | None = None) -> Transcript:
    """(Import `path` into the vault, then) transcribe the session's audio and save the transcript."""

    def run() -> Transcript:
        vault.sessions.set_status(session_id, "transcribing")
        if path is not None:
            store_audio_file(vault, session_id, path)
        source = session_audio(vault, session_id)
        if source is None:
            from soapdesk.core.errors import AudioUnreadable

            raise AudioUnreadable("This session has no audio yet.")
        pipeline.check_models(audio=True)
        transcript = pipeline.transcribe(
            source, on_progress=lambda f: report(("progress", f)),
            on_segment=lambda s: report(("segment", s)), cancel=cancel)
        save_transcript(vault, session_id, transcript)
        vault.sessions.update(session_id, duration_s=transcript.duration_s)
        return transcript

    return _guard(vault, session_id, run)


def save_transcript(vault, session_id: str, transcript: Transcript) -> None:
    vault.transcripts.save(session_id, transcript)


def use_text(vault, session_id: str, text: str) -> Transcript:
    """A pasted or typed transcript (or dictated summary) becomes the session's transcript."""
    transcript = _guard(vault, session_id, lambda: parse_transcript(text))
    save_transcript(vault, session_id, transcript)
    return transcript


def transcribe_piece(pipeline, offset_s: float, samples, *, report: Report = lambda p: None,
                     cancel: threading.Event | None = None) -> Transcript:
    """Live transcription of one stretch of a recording; silence is not an error here."""
    from soapdesk.core.errors import AudioSilent, TranscriptEmpty

    try:
        part = pipeline.transcribe(samples, on_segment=lambda s: report(("segment", s, offset_s)), cancel=cancel)
    except (AudioSilent, TranscriptEmpty):
        part = Transcript(duration_s=len(samples) / 16000, source="audio")
    return shift(part, offset_s)


def merge_transcripts(parts: list[Transcript]) -> Transcript:
    """Pieces transcribed while recording → one transcript with ids 1..n."""
    segments: list[Segment] = []
    warnings: list[str] = []
    duration = 0.0
    for t in parts:
        for s in t.segments:
            segments.append(dataclasses.replace(s, id=len(segments) + 1))
        warnings += t.warnings
        duration = max(duration, t.duration_s or 0.0)
    return Transcript(segments=segments, duration_s=duration or None, source="audio", warnings=warnings)


def shift(transcript: Transcript, offset_s: float) -> Transcript:
    segs = [dataclasses.replace(s, start=None if s.start is None else round(s.start + offset_s, 2),
                                end=None if s.end is None else round(s.end + offset_s, 2))
            for s in transcript.segments]
    return Transcript(segs, duration_s=(transcript.duration_s or 0.0) + offset_s, source="audio",
                      warnings=list(transcript.warnings))


# -- drafting --------------------------------------------------------------------

def draft_session(vault, pipeline, session_id: str, template_id: str | None = None, *,
                  report: Report = lambda p: None, cancel: threading.Event | None = None) -> Note:
    """Draft (or redraft) the whole note and store it: a new note, or a new AI revision."""

    def run() -> Note:
        transcript = vault.transcripts.load(session_id)
        if transcript is None or transcript.is_empty():
            from soapdesk.core.errors import TranscriptEmpty

            raise TranscriptEmpty("There is no transcript to draft from yet.")
        vault.sessions.set_status(session_id, "drafting")
        pipeline.check_models(audio=False)
        template = template_id or vault.sessions.get(session_id).template
        note = pipeline.draft(transcript, template,
                              on_section=lambda k, t: report(("section", k, t)),
                              on_text=lambda k, d: report(("text", k, d)), cancel=cancel)
        existing = vault.notes.id_for_session(session_id)
        if existing:
            vault.save_draft(existing, note.sections, author="ai")
            note.note_id = existing
        else:
            vault.notes.create(session_id, note, author="ai")
        vault.sessions.set_status(session_id, "draft")
        return note

    # Cancelling a redraft leaves the earlier draft in place, and the session a draft.
    had_note = vault.notes.id_for_session(session_id) is not None
    return _guard(vault, session_id, run, on_cancel="draft" if had_note else None)


def regenerate_section(vault, pipeline, session_id: str, key: str, *, report: Report = lambda p: None,
                       cancel: threading.Event | None = None) -> Section:
    """Draft one section again. The caller saves it (as an edit) when it arrives."""
    note_id = vault.notes.id_for_session(session_id)
    note = vault.notes.load(note_id)
    template = templates.load(note.template)
    spec = next(s for s in template.sections if s.key == key)
    one = dataclasses.replace(template, sections=(spec,))
    with pipeline._llm_lane:  # the pipeline has no per-section call yet (gap noted in the report)
        result = pipeline.drafter.draft(note.transcript, one, on_section=lambda k, t: report(("section", k, t)),
                                        on_text=lambda k, d: report(("text", k, d)), cancel=cancel)
    return result.sections[0]


# -- editing, finalizing -----------------------------------------------------------

def save_edit(vault, note_id: str, sections: list[Section]) -> int | None:
    """Autosave: a new clinician revision, unless nothing changed since the latest."""
    latest = vault.notes.latest(note_id).sections
    if [(s.key, s.text) for s in latest] == [(s.key, s.text) for s in sections]:
        return None
    return vault.save_draft(note_id, sections, author="clinician")


def note_for_clipboard(note: Note, sections: list[Section]) -> str:
    """Plain text for the EHR: the AI-draft label until finalized, titles on their own lines."""
    return dataclasses.replace(note, sections=list(sections)).to_plain_text()


def section_for_clipboard(section: Section) -> str:
    return f"{section.title.upper()}\n{section.text.strip()}\n"


# -- checks, risk confirmation, billing, export (no Qt) --------------------------------

# + note id -> {domain: status}; statuses only, never text. The store deletes it with the note.
RISK_CONFIRMED_KEY = vault_settings.RISK_CONFIRMED


def check_sections(note: Note, sections: list[Section]) -> Note:
    """The deterministic checks (evidence links, grounding flags, risk screen) on the
    clinician's current text: a fresh Note built from `sections` and reviewed."""
    from soapdesk.core import review

    fresh = Note(template=note.template, sections=[dataclasses.replace(s) for s in sections],
                 transcript=note.transcript, note_id=note.note_id, finalized=note.finalized)
    return review.review(fresh)


def risk_choices(domain: str) -> tuple[str, ...]:
    """The statuses a clinician can confirm for one risk domain."""
    from soapdesk.core import risk

    if domain in risk.IDEATION:
        return (risk.DENIED, risk.PASSIVE, risk.ACTIVE, risk.NOT_ASSESSED)
    return (risk.DENIED, risk.REPORTED, risk.NOT_ASSESSED)


STATUS_WORDS = {"denied": "Denied", "passive_no_plan": "Passive, no plan or intent", "active": "Active",
                "reported": "Reported", "not_assessed": "Not assessed"}


def save_risk_confirmation(vault, note_id: str, statuses: dict[str, str]) -> None:
    """Keep the clinician's confirmed risk statuses with the note (vault settings) and
    record the confirmation in the audit log — statuses only, no quotes or note text."""
    from soapdesk.core import risk

    clean = {d: statuses[d] for d in risk.DOMAINS if statuses.get(d) in risk_choices(d)}
    if set(clean) != set(risk.DOMAINS):
        raise ValueError("every risk domain needs a confirmed status")
    vault.settings.set(RISK_CONFIRMED_KEY + note_id, clean)
    vault.audit.record("risk_confirmed", "note", note_id, **clean)


def load_risk_confirmation(vault, note_id: str) -> dict[str, str] | None:
    return vault.settings.get(RISK_CONFIRMED_KEY + note_id)


def confirmed_findings(statuses: dict[str, str], screened: dict | None = None) -> dict:
    """Findings carrying the clinician's statuses (and the screen's quotes, for the message)."""
    from soapdesk.core import risk

    out = {}
    for d in risk.DOMAINS:
        ev = list(screened[d].evidence) if screened and d in screened else []
        out[d] = risk.RiskFinding(d, statuses.get(d, risk.NOT_ASSESSED), ev)
    return out


def risk_contradictions(sections: list[Section], statuses: dict[str, str], screened: dict | None = None) -> list[str]:
    """Plain sentences where the note's risk wording disagrees with what the clinician confirmed."""
    from soapdesk.core import risk

    text = "\n".join(s.text for s in sections)
    return risk.note_contradicts_risk(text, confirmed_findings(statuses, screened))


def suggested_risk_statement(statuses: dict[str, str], template_id: str | None = None) -> str:
    """The risk line matching the clinician's confirmation, in the note's words ("client" or "patient")."""
    from soapdesk.core import risk, templates
    from soapdesk.core.errors import TemplateInvalid, UnknownTemplate

    try:
        person = templates.load(template_id).person if template_id else "client"
    except (UnknownTemplate, TemplateInvalid):  # a template since removed or broken: only the wording depends on it
        person = "client"
    return risk.risk_statement(confirmed_findings(statuses), person)


def session_minutes(vault, session_id: str, transcript: Transcript | None = None) -> int | None:
    """Face-to-face minutes to prefill: the session's recorded (or stated) length."""
    row = vault.sessions.get(session_id)
    secs = row.duration_s if row is not None else None
    if not secs and transcript is not None:
        secs = transcript.duration_s
    return int(round(secs / 60)) if secs else None


def suggest_billing(note: Note, minutes: int | None) -> dict:
    """CPT/ICD-10-CM suggestions (to verify) for the session: {"cpt": [...], "icd10": [...], "notes": [...]}."""
    from soapdesk.core import billing

    return billing.suggest(note.transcript, minutes=minutes, template_id=note.template).to_json()


def export_note(vault, note_id: str, dest: Path, fmt: str) -> Path:
    """Write a finalized note as plain text or PDF where the clinician chose (drafts are refused)."""
    if vault.notes.finalization(note_id) is None:
        from soapdesk.store.errors import NoteNotFinalized

        raise NoteNotFinalized()
    return vault.export_note(note_id, Path(dest), fmt=fmt)
