"""What the HTTP API does, without HTTP: draft, store with an expiry, fetch, delete.

Kept apart from the routes so it can be tested and reused (a practice tool
embedding SoapDesk in-process calls this directly).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from soapdesk.api import seed_compat
from soapdesk.api.jobs import JobGate
from soapdesk.core.note import Note
from soapdesk.core.pipeline import Pipeline

log = logging.getLogger(__name__)

API_CLIENT_LABEL = "Local API"
TOKEN_KEY = "api_token"
TTL_KEY = "api_note_ttl_hours"
DEFAULT_TTL_HOURS = 72


class NotFound(Exception):
    pass


def ensure_token(vault) -> str:
    token = vault.settings.get(TOKEN_KEY)
    if not token:
        token = rotate_token(vault)
    return token


def rotate_token(vault) -> str:
    token = "sd_" + secrets.token_urlsafe(32)
    vault.settings.set(TOKEN_KEY, token)
    vault.audit.record("api_token_rotated")
    return token


class NoteService:
    def __init__(self, pipeline: Pipeline, vault, *, max_waiting: int = 8):
        self.pipeline = pipeline
        self.vault = vault
        self.gate = JobGate(max_waiting)
        self._vault_lock = threading.Lock()  # one SQLCipher connection, many request threads

    # -- drafting ------------------------------------------------------------

    def draft(self, *, transcript: str | None = None, audio: bytes | None = None, template: str | None,
              specialty: str | None, include_billing: bool,
              on_section: Callable[[str, str], None] | None = None,
              on_text: Callable[[str, str], None] | None = None,
              cancel: threading.Event | None = None) -> dict:
        template_id = seed_compat.template_id(template)
        spec = seed_compat.specialty(specialty)
        with self.gate.slot():
            if audio is not None:
                note = self.pipeline.note_from_audio(audio, template_id, on_section=on_section, on_text=on_text,
                                                     cancel=cancel, specialty=spec, billing=include_billing)
            else:
                note = self.pipeline.note_from_text(transcript or "", template_id, on_section=on_section,
                                                    on_text=on_text, cancel=cancel, specialty=spec,
                                                    billing=include_billing)
        expires_at = self._expiry()
        with self._vault_lock:
            self.vault.save_note(note, client_label=API_CLIENT_LABEL, expires_at=expires_at)
        log.info("api note drafted", extra={"note_id": note.note_id, "template": note.template})
        return self.response(note, expires_at=expires_at, specialty=spec, include_billing=include_billing)

    def _expiry(self) -> str:
        with self._vault_lock:
            hours = self.vault.settings.get(TTL_KEY, DEFAULT_TTL_HOURS)
        return (datetime.now(timezone.utc) + timedelta(hours=float(hours))).isoformat(timespec="seconds")

    @staticmethod
    def response(note: Note, *, expires_at: str | None, specialty=None, include_billing: bool = False) -> dict:
        out: dict = {"noteId": note.note_id, "template": note.template,
                     "specialty": getattr(specialty, "id", None), "status": "ai_draft"}
        for s in note.sections:
            out[s.key] = s.text
        out["sections"] = [note._section_json(s) for s in note.sections]
        out["expires_at"] = expires_at
        if note.risk is not None:
            out["risk"] = {d: f.to_json() for d, f in note.risk.items()}
        if include_billing:
            out["billing"] = note.billing if note.billing is not None else {"cpt": [], "icd10": []}
        out["warnings"] = list(note.warnings)
        return out

    # -- stored notes --------------------------------------------------------

    def get(self, note_id: str) -> dict:
        with self._vault_lock:
            if not self._is_api_note(note_id):
                raise NotFound(note_id)
            note = self.vault.notes.load(note_id)
            expires_at = self._expires_at(note_id)
        if expires_at and expires_at <= datetime.now(timezone.utc).isoformat(timespec="seconds"):
            self.delete(note_id)
            raise NotFound(note_id)
        return self.response(note, expires_at=expires_at)

    def delete(self, note_id: str) -> None:
        with self._vault_lock:
            if not self._is_api_note(note_id):
                raise NotFound(note_id)
            self.vault.delete_session(self.vault.notes.session_for(note_id))

    def _is_api_note(self, note_id: str) -> bool:
        """The API sees only notes it made: a clinician's own sessions are not
        reachable by id through it."""
        if not seed_compat.looks_like_note_id(note_id) or not self.vault.notes.exists(note_id):
            return False
        row = self.vault.db.one(
            "SELECT c.label FROM notes n JOIN sessions s ON s.id = n.session_id "
            "LEFT JOIN clients c ON c.id = s.client_id WHERE n.id = ?", (note_id,))
        return bool(row) and row[0] == API_CLIENT_LABEL

    def _expires_at(self, note_id: str) -> str | None:
        row = self.vault.db.one("SELECT expires_at FROM notes WHERE id = ?", (note_id,))
        return row[0] if row else None

    def sweep_expired(self) -> int:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._vault_lock:
            rows = self.vault.db.query(
                "SELECT n.id FROM notes n JOIN sessions s ON s.id = n.session_id JOIN clients c ON c.id = s.client_id"
                " WHERE c.label = ? AND n.expires_at IS NOT NULL AND n.expires_at <= ?", (API_CLIENT_LABEL, now))
            ids = [r[0] for r in rows]
            for nid in ids:
                self.vault.delete_session(self.vault.notes.session_for(nid))
        return len(ids)
