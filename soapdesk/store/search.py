"""Full-text search (FTS5) over notes and transcripts, inside the vault.

Each indexed document is a row in `search_docs` (session, kind) whose id is
the FTS rowid, so replacing or deleting a session's document is an indexed
lookup rather than a scan of the whole index.
"""

from __future__ import annotations

import re

from soapdesk.store.db import Database

NOTE = "note"
TRANSCRIPT = "transcript"

_WORD = re.compile(r"\w+", re.UNICODE)


def to_match_query(text: str) -> str | None:
    """User words → an FTS5 query: every word must appear, the last may be a prefix.

    Words are quoted so FTS5 syntax in the input ("NEAR", quotes, '-') is
    treated as plain text, never as a query operator.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " ".join(parts)


# Sessions whose note or transcript matches (used inside larger queries).
MATCHING_SESSIONS = ("SELECT d.session_id FROM search_index JOIN search_docs d ON d.id = search_index.rowid"
                     " WHERE search_index MATCH ?")


class SearchIndex:
    def __init__(self, db: Database):
        self._db = db

    def put(self, session_id: str, kind: str, body: str) -> None:
        with self._db.transaction():
            row = self._db.one("SELECT id FROM search_docs WHERE session_id = ? AND kind = ?", (session_id, kind))
            if row:
                self._db.execute("DELETE FROM search_index WHERE rowid = ?", (row[0],))
                doc_id = row[0]
            else:
                doc_id = self._db.execute("INSERT INTO search_docs (session_id, kind) VALUES (?, ?)",
                                          (session_id, kind)).lastrowid
            self._db.execute("INSERT INTO search_index (rowid, body) VALUES (?, ?)", (doc_id, body))

    def remove(self, session_id: str, kind: str | None = None) -> None:
        with self._db.transaction():
            sql = "SELECT id FROM search_docs WHERE session_id = ?"
            params: tuple = (session_id,)
            if kind is not None:
                sql += " AND kind = ?"
                params += (kind,)
            for (doc_id,) in self._db.query(sql, params):
                self._db.execute("DELETE FROM search_index WHERE rowid = ?", (doc_id,))
                self._db.execute("DELETE FROM search_docs WHERE id = ?", (doc_id,))

    def session_ids(self, text: str) -> list[str]:
        query = to_match_query(text)
        if query is None:
            return []
        return [r[0] for r in self._db.query("SELECT DISTINCT session_id FROM (" + MATCHING_SESSIONS + ")", (query,))]
