"""Clients: a display label the clinician chooses; names are never required."""

from __future__ import annotations

from dataclasses import dataclass

from soapdesk.store import timeutil
from soapdesk.store.db import Database


@dataclass(frozen=True)
class Client:
    id: int
    label: str
    initials: str | None = None
    identifier: str | None = None


class Clients:
    def __init__(self, db: Database):
        self._db = db

    def get_or_create(self, label: str, *, initials: str | None = None, identifier: str | None = None) -> int:
        label = label.strip()
        if not label:
            raise ValueError("client label is empty")
        with self._db.transaction():
            row = self._db.one("SELECT id FROM clients WHERE label = ?", (label,))
            if row:
                return row[0]
            cur = self._db.execute(
                "INSERT INTO clients (label, initials, identifier, created_at) VALUES (?, ?, ?, ?)",
                (label, initials, identifier, timeutil.iso()),
            )
            return cur.lastrowid

    def get(self, client_id: int) -> Client | None:
        row = self._db.one("SELECT id, label, initials, identifier FROM clients WHERE id = ?", (client_id,))
        return Client(*row) if row else None

    def list(self) -> list[Client]:
        return [Client(*r) for r in self._db.query("SELECT id, label, initials, identifier FROM clients ORDER BY label")]
