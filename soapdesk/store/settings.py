"""Vault settings: JSON values that may identify clients (e.g. the vocabulary list)."""

from __future__ import annotations

import json

from soapdesk.store.db import Database

VOCABULARY = "vocabulary"
RETENTION = "retention"


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
