"""Transcripts: segments as the core `Transcript`/`Segment` dataclasses."""

from __future__ import annotations

import json

from soapdesk.core.transcript import Segment, Transcript
from soapdesk.store import timeutil
from soapdesk.store.db import Database
from soapdesk.store.search import TRANSCRIPT, SearchIndex


class Transcripts:
    def __init__(self, db: Database, audit, index: SearchIndex):
        self._db = db
        self._audit = audit
        self._index = index

    def save(self, session_id: str, transcript: Transcript) -> None:
        """Store (or replace) the session's transcript in one transaction."""
        with self._db.transaction():
            self._db.execute("DELETE FROM transcripts WHERE session_id = ?", (session_id,))
            self._db.execute(
                "INSERT INTO transcripts (session_id, duration_s, source, warnings_json, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, transcript.duration_s, transcript.source, json.dumps(list(transcript.warnings)),
                 timeutil.iso()),
            )
            self._db.conn.executemany(
                'INSERT INTO transcript_segments (session_id, seg_id, start, "end", speaker, speaker_label, text)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(session_id, s.id, s.start, s.end, s.speaker, s.speaker_label, s.text) for s in transcript.segments],
            )
            self._index.put(session_id, TRANSCRIPT, transcript.text)
            self._audit.record("transcript_saved", "session", session_id, segments=len(transcript.segments))

    def load(self, session_id: str) -> Transcript | None:
        head = self._db.one("SELECT duration_s, source, warnings_json FROM transcripts WHERE session_id = ?",
                            (session_id,))
        if head is None:
            return None
        rows = self._db.query(
            'SELECT seg_id, text, start, "end", speaker, speaker_label FROM transcript_segments'
            " WHERE session_id = ? ORDER BY seg_id",
            (session_id,),
        )
        return Transcript(segments=[Segment(*r) for r in rows], duration_s=head[0], source=head[1],
                          warnings=json.loads(head[2]))

    def accept(self, session_id: str) -> None:
        """The clinician accepted the transcript: audio may now be purged under the default policy."""
        with self._db.transaction():
            self._db.execute("UPDATE transcripts SET accepted_at = COALESCE(accepted_at, ?) WHERE session_id = ?",
                             (timeutil.iso(), session_id))
            self._audit.record("transcript_accepted", "session", session_id)

    def size(self, session_id: str) -> int:
        row = self._db.one("SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM transcript_segments"
                           " WHERE session_id = ?", (session_id,))
        return int(row[0])

    def delete(self, session_id: str, *, reason: str) -> int:
        with self._db.transaction():
            size = self.size(session_id)
            self._db.execute("DELETE FROM transcripts WHERE session_id = ?", (session_id,))
            self._index.remove(session_id, TRANSCRIPT)
            self._audit.record("transcript_deleted", "session", session_id, bytes=size, reason=reason)
        return size
