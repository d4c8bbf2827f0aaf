"""Sessions: one sitting with a client, and where it is in the pipeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from soapdesk.store import settings, timeutil
from soapdesk.store.db import Database
from soapdesk.store.errors import NotFound
from soapdesk.store.schema import STATUSES
from soapdesk.store.search import MATCHING_SESSIONS, to_match_query


@dataclass(frozen=True)
class SessionRow:
    """What a session list shows; no note or transcript text."""

    id: str
    client_label: str | None
    started_at: str
    template: str | None
    status: str
    updated_at: str
    duration_s: float | None = None
    failure_reason: str | None = None


_SELECT = (
    "SELECT s.id, c.label, s.started_at, s.template, s.status, s.updated_at, s.duration_s, s.failure_reason"
    " FROM sessions s LEFT JOIN clients c ON c.id = s.client_id"
)


class Sessions:
    def __init__(self, db: Database, audit, index):
        self._db = db
        self._audit = audit
        self._index = index

    def create(self, *, client_id: int | None = None, started_at: str | None = None, template: str | None = None,
               status: str = "recording", duration_s: float | None = None) -> str:
        _check_status(status)
        sid = uuid.uuid4().hex
        now = timeutil.iso()
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO sessions (id, client_id, started_at, duration_s, template, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, client_id, started_at or now, duration_s, template, status, now, now),
            )
            self._audit.record("session_created", "session", sid)
        return sid

    def set_status(self, session_id: str, status: str, *, failure_reason: str | None = None) -> None:
        """`failure_reason` is a short error code or sentence, never transcript text."""
        _check_status(status)
        with self._db.transaction():
            cur = self._db.execute(
                "UPDATE sessions SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ?",
                (status, failure_reason, timeutil.iso(), session_id),
            )
            if cur.rowcount == 0:
                raise NotFound("No such session.")
            self._audit.record("session_status", "session", session_id, status=status)

    def update(self, session_id: str, *, duration_s: float | None = None, template: str | None = None) -> None:
        with self._db.transaction():
            self._db.execute(
                "UPDATE sessions SET duration_s = COALESCE(?, duration_s), template = COALESCE(?, template),"
                " updated_at = ? WHERE id = ?",
                (duration_s, template, timeutil.iso(), session_id),
            )

    def touch(self, session_id: str) -> None:
        self._db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (timeutil.iso(), session_id))

    def get(self, session_id: str) -> SessionRow:
        row = self._db.one(_SELECT + " WHERE s.id = ?", (session_id,))
        if not row:
            raise NotFound("No such session.")
        return SessionRow(*row)

    def list(self, search: str | None = None, *, limit: int | None = None) -> list[SessionRow]:
        """Newest first. `search` matches words in notes and transcripts (all words must appear)."""
        params: list = []
        sql = _SELECT
        if search is not None and search.strip():
            query = to_match_query(search)
            if query is None:
                return []
            sql += f" WHERE s.id IN ({MATCHING_SESSIONS})"
            params.append(query)
        sql += " ORDER BY s.started_at DESC, s.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [SessionRow(*r) for r in self._db.query(sql, params)]

    def delete(self, session_id: str) -> None:
        with self._db.transaction():
            self._index.remove(session_id)
            settings.delete_for_session(self._db, session_id)  # before the cascade takes the note's id
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            self._audit.record("session_deleted", "session", session_id)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown session status {status!r}")
