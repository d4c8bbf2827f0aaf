"""Retention: delete audio, transcripts and stale drafts when policy says so.

`purge(dry_run=True)` only lists what would go (ids, kinds, sizes — no
text). A real purge deletes the rows with secure_delete on (freed pages are
overwritten), truncates the WAL so old page images go too, and VACUUMs
when much was removed so the file shrinks. A session deleted with its draft
takes its note's settings along (the confirmed risk statuses, see
`store.settings.NOTE_SCOPED`); a real purge also sweeps such settings left
behind by deletes made before that was so.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime

from soapdesk.store import settings, timeutil
from soapdesk.store.settings import RETENTION

log = logging.getLogger(__name__)

VACUUM_MIN_BYTES = 1 << 20
AUDIO, TRANSCRIPT, DRAFT = "audio", "transcript", "draft"


@dataclass(frozen=True)
class RetentionPolicy:
    audio_after_transcript_accepted: bool = True
    audio_max_days: int | None = None
    transcript_days_after_final: int | None = None
    expire_drafts: bool = True  # drafts whose expires_at has passed are deleted with their session

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict | None) -> "RetentionPolicy":
        raw = raw or {}
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class PurgeItem:
    kind: str  # audio | transcript | draft
    session_id: str
    bytes: int
    reason: str


@dataclass
class PurgePlan:
    items: list[PurgeItem] = field(default_factory=list)
    dry_run: bool = True
    vacuumed: bool = False
    orphaned_settings_removed: int = 0

    @property
    def total_bytes(self) -> int:
        return sum(i.bytes for i in self.items)

    def lines(self) -> list[str]:
        verb = "Would delete" if self.dry_run else "Deleted"
        if not self.items:
            return ["Nothing to delete under the current retention policy."]
        out = [f"{verb} {len(self.items)} item(s), {self.total_bytes} bytes:"]
        out += [f"  {i.kind:<10} session {i.session_id}  {i.bytes:>10} bytes  ({i.reason})" for i in self.items]
        return out


def load_policy(vault) -> RetentionPolicy:
    return RetentionPolicy.from_dict(vault.settings.get(RETENTION))


def save_policy(vault, policy: RetentionPolicy) -> None:
    vault.settings.set(RETENTION, policy.to_dict())
    vault.audit.record("retention_policy_changed")


def plan(vault, policy: RetentionPolicy, now: datetime | None = None) -> list[PurgeItem]:
    db = vault.db
    now_iso = timeutil.iso(now)
    items: list[PurgeItem] = []
    gone: set[str] = set()

    if policy.expire_drafts:
        for (sid,) in db.query("SELECT session_id FROM notes WHERE finalized_at IS NULL AND expires_at IS NOT NULL"
                               " AND expires_at <= ? ORDER BY session_id", (now_iso,)):
            items.append(PurgeItem(DRAFT, sid, _session_bytes(db, sid), "draft expired"))
            gone.add(sid)

    audio_reasons: dict[str, str] = {}
    if policy.audio_after_transcript_accepted:
        for (sid,) in db.query("SELECT t.session_id FROM transcripts t WHERE t.accepted_at IS NOT NULL AND EXISTS"
                               " (SELECT 1 FROM audio_chunks a WHERE a.session_id = t.session_id)"):
            audio_reasons.setdefault(sid, "transcript accepted")
    if policy.audio_max_days is not None:
        cutoff = timeutil.days_ago(policy.audio_max_days, now)
        for (sid,) in db.query("SELECT s.id FROM sessions s WHERE s.started_at <= ? AND EXISTS"
                               " (SELECT 1 FROM audio_chunks a WHERE a.session_id = s.id)", (cutoff,)):
            audio_reasons.setdefault(sid, f"older than {policy.audio_max_days} days")
    for sid in sorted(audio_reasons):
        if sid not in gone:
            items.append(PurgeItem(AUDIO, sid, vault.audio.size(sid), audio_reasons[sid]))

    if policy.transcript_days_after_final is not None:
        cutoff = timeutil.days_ago(policy.transcript_days_after_final, now)
        for (sid,) in db.query("SELECT n.session_id FROM notes n JOIN transcripts t ON t.session_id = n.session_id"
                               " WHERE n.finalized_at IS NOT NULL AND n.finalized_at <= ? ORDER BY n.session_id",
                               (cutoff,)):
            if sid not in gone:
                items.append(PurgeItem(TRANSCRIPT, sid, vault.transcripts.size(sid),
                                       f"{policy.transcript_days_after_final} days after finalization"))
    return items


def purge(vault, *, dry_run: bool = True, policy: RetentionPolicy | None = None,
          now: datetime | None = None) -> PurgePlan:
    policy = policy or load_policy(vault)
    result = PurgePlan(items=plan(vault, policy, now), dry_run=dry_run)
    if dry_run:
        return result
    db = vault.db
    with db.transaction():
        result.orphaned_settings_removed = settings.delete_orphaned(db)
        for item in result.items:
            if item.kind == AUDIO:
                vault.audio.delete(item.session_id, reason="retention")
            elif item.kind == TRANSCRIPT:
                vault.transcripts.delete(item.session_id, reason="retention")
            elif item.kind == DRAFT:
                vault.sessions.delete(item.session_id)  # with the note's settings
        if result.items:
            vault.audit.record("purge", items=len(result.items), bytes=result.total_bytes)
    if not result.items and not result.orphaned_settings_removed:
        return result
    # FTS5 keeps deleted terms in old index segments until they are merged.
    db.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    # Old page images can linger in the WAL; truncate it, then shrink the file.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if result.total_bytes >= VACUUM_MIN_BYTES:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result.vacuumed = True
    log.info("purge removed %d item(s), %d bytes, %d orphaned note setting(s)", len(result.items),
             result.total_bytes, result.orphaned_settings_removed)
    return result


def _session_bytes(db, sid: str) -> int:
    row = db.one(
        "SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM audio_chunks WHERE session_id = :s)"
        " + (SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM transcript_segments WHERE session_id = :s)"
        " + (SELECT COALESCE(SUM(LENGTH(sections_json)), 0) FROM note_revisions r JOIN notes n ON n.id = r.note_id"
        "    WHERE n.session_id = :s)",
        {"s": sid},
    )
    return int(row[0])
