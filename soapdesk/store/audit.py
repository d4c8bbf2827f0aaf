"""Audit log: who did what to which record, when — never what it said.

Rows are hash-chained: each row's hash covers its fields and the previous
row's hash, so editing or deleting a row in the middle breaks verification
(T50). `detail` may hold counts, sizes and durations only; string values
longer than a short id are refused so note text cannot slip in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from soapdesk.store import timeutil
from soapdesk.store.db import Database

GENESIS = "0" * 64
_MAX_DETAIL_STR = 64


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    event: str
    object_kind: str | None
    object_id: str | None
    actor: str | None
    detail: dict


def _digest(prev: str, at: str, event: str, kind, oid, actor, detail_json: str) -> str:
    payload = json.dumps([prev, at, event, kind, oid, actor, detail_json], separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_detail(detail: dict) -> str:
    for key, value in detail.items():
        if isinstance(value, str) and len(value) > _MAX_DETAIL_STR:
            raise ValueError(f"audit detail {key!r} is too long to be an id")
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise ValueError(f"audit detail {key!r} must be a scalar")
    return json.dumps(detail, sort_keys=True, separators=(",", ":"))


class AuditLog:
    def __init__(self, db: Database, actor: str = "clinician"):
        self._db = db
        self.actor = actor

    def record(self, event: str, object_kind: str | None = None, object_id: str | None = None,
               **detail) -> None:
        detail_json = _check_detail(detail)
        with self._db.transaction():
            row = self._db.one("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            prev = row[0] if row else GENESIS
            at = timeutil.iso()
            digest = _digest(prev, at, event, object_kind, object_id, self.actor, detail_json)
            self._db.execute(
                "INSERT INTO audit_log (at, event, object_kind, object_id, actor, detail_json, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (at, event, object_kind, object_id, self.actor, detail_json, prev, digest),
            )

    def entries(self, limit: int | None = None) -> list[AuditEntry]:
        sql = "SELECT id, at, event, object_kind, object_id, actor, detail_json FROM audit_log ORDER BY id"
        rows = self._db.query(sql + (f" DESC LIMIT {int(limit)}" if limit else ""))
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def verify(self) -> list[int]:
        """Ids of rows whose hash or link does not match; empty when the chain is intact."""
        bad: list[int] = []
        prev = GENESIS
        for rid, at, event, kind, oid, actor, detail_json, prev_hash, digest in self._db.query(
            "SELECT id, at, event, object_kind, object_id, actor, detail_json, prev_hash, hash"
            " FROM audit_log ORDER BY id"
        ):
            expected = _digest(prev_hash, at, event, kind, oid, actor, detail_json)
            if prev_hash != prev or digest != expected:
                bad.append(rid)
            prev = digest
        return bad
