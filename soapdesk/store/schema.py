"""Schema and migrations, keyed on PRAGMA user_version.

Each migration runs in one transaction. Before migrating a vault that
already holds data, a copy is written with VACUUM INTO (same key, so still
encrypted) next to the vault.
"""

from __future__ import annotations

from pathlib import Path

from soapdesk.store.db import Database, driver
from soapdesk.store.errors import VaultTooNew

STATUSES = ("recording", "transcribing", "drafting", "draft", "finalized", "failed")

_V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL UNIQUE,
  initials TEXT,
  identifier TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  client_id INTEGER REFERENCES clients(id),
  started_at TEXT NOT NULL,
  duration_s REAL,
  template TEXT,
  status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
  failure_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX sessions_started ON sessions(started_at);

CREATE TABLE audio_chunks (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  format TEXT NOT NULL,
  sample_rate INTEGER,
  channels INTEGER,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE transcripts (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  duration_s REAL,
  source TEXT NOT NULL,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  accepted_at TEXT
);

CREATE TABLE transcript_segments (
  session_id TEXT NOT NULL REFERENCES transcripts(session_id) ON DELETE CASCADE,
  seg_id INTEGER NOT NULL,
  start REAL,
  "end" REAL,
  speaker TEXT NOT NULL,
  speaker_label TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  PRIMARY KEY (session_id, seg_id)
);

CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
  template TEXT NOT NULL,
  models_json TEXT NOT NULL DEFAULT '{{}}',
  timings_json TEXT NOT NULL DEFAULT '{{}}',
  warnings_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT,
  finalized_at TEXT,
  finalized_by TEXT,
  content_sha256 TEXT
);

CREATE TABLE note_revisions (
  note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  sections_json TEXT NOT NULL,
  author TEXT NOT NULL CHECK (author IN ('ai', 'clinician')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (note_id, revision)
);

-- Defence in depth behind the Python checks: revisions are immutable and a
-- finalized note takes no new ones.
CREATE TRIGGER note_revisions_immutable BEFORE UPDATE ON note_revisions
BEGIN SELECT RAISE(ABORT, 'note revisions are immutable'); END;
CREATE TRIGGER note_revisions_after_final BEFORE INSERT ON note_revisions
WHEN (SELECT finalized_at FROM notes WHERE id = NEW.note_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'note is finalized'); END;

CREATE TABLE addenda (
  id INTEGER PRIMARY KEY,
  note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  object_kind TEXT,
  object_id TEXT,
  actor TEXT,
  detail_json TEXT NOT NULL DEFAULT '{{}}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);

-- Full-text index over notes and transcripts; lives inside the encrypted file.
-- search_docs maps (session, kind) to the FTS rowid: FTS5 cannot index a
-- column for equality, so deleting by session_id inside it would scan the table.
CREATE TABLE search_docs (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  UNIQUE (session_id, kind)
);
CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
"""

MIGRATIONS: list[tuple[int, str]] = [(1, _V1)]
LATEST = MIGRATIONS[-1][0]


def current_version(db: Database) -> int:
    return int(db.one("PRAGMA user_version")[0])


def migrate(db: Database, db_path: Path) -> int:
    """Bring the schema to LATEST; returns the version found before."""
    found = current_version(db)
    if found > LATEST:
        raise VaultTooNew()
    if found == LATEST:
        return found
    if found > 0:
        backup = db_path.with_name(f"{db_path.name}.pre-migrate-v{found}")
        if not backup.exists():
            db.execute("VACUUM INTO ?", (str(backup),))
    for version, sql in MIGRATIONS:
        if version <= found:
            continue
        with db.transaction():
            for statement in _split(sql):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {int(version)}")
    return found


def _split(script: str) -> list[str]:
    """Split a schema script into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if joined.rstrip().endswith(";") and driver_complete(joined):
            out.append(joined)
            buf = []
    if buf:
        out.append("\n".join(buf))
    return out


def driver_complete(sql: str) -> bool:
    return driver.complete_statement(sql)
