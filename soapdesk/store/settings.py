"""Vault settings: JSON values that may identify clients (e.g. the vocabulary list)."""

from __future__ import annotations

import json

from soapdesk.store.db import Database

VOCABULARY = "vocabulary"
RETENTION = "retention"
# Settings that belong to one note: key = prefix + note id. They go when the note goes
# (`delete_for_session`, called by session delete and so by retention), never outlive it.
RISK_CONFIRMED = "risk_confirmed:"  # the clinician's confirmed risk statuses
NOTE_SCOPED = (RISK_CONFIRMED,)


def delete_for_session(db: Database, session_id: str) -> int:
    """Remove the note-scoped settings of the session's note (call inside the delete's transaction)."""
    removed = 0
    for prefix in NOTE_SCOPED:
        removed += db.execute("DELETE FROM settings WHERE key IN (SELECT ? || id FROM notes WHERE session_id = ?)",
                              (prefix, session_id)).rowcount
    return removed


def delete_orphaned(db: Database) -> int:
    """Remove note-scoped settings whose note no longer exists (left by deletes before they were removed
    together)."""
    removed = 0
    for prefix in NOTE_SCOPED:
        removed += db.execute("DELETE FROM settings WHERE substr(key, 1, ?) = ? AND substr(key, ?) NOT IN"
                              " (SELECT id FROM notes)", (len(prefix), prefix, len(prefix) + 1)).rowcount
    return removed


class VaultSettings:
    def __init__(self, db: Database):
        self._db = db

    def get(self, key: str, default=None):
        row = self._db.one("SELECT value_json FROM settings WHERE key = ?", (key,))
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value) -> None:
        with self._db.transaction():
            self._db.execute("INSERT INTO settings (key, value_json) VALUES (?, ?)"
                             " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
                             (key, json.dumps(value, ensure_ascii=False)))

    def vocabulary(self) -> list[str]:
        return list(self.get(VOCABULARY, []))

    def set_vocabulary(self, words: list[str]) -> None:
        self.set(VOCABULARY, [w for w in (x.strip() for x in words) if w])
