"""Notes: every draft revision kept; finalized notes are locked.

A finalized note records a SHA-256 of its content, who finalized it and
when. After that, changes come only as dated addenda.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from soapdesk.core.note import Note, Section
from soapdesk.core.transcript import Transcript
from soapdesk.store import timeutil
from soapdesk.store.db import Database
from soapdesk.store.errors import NoteFinalized, NotFound
from soapdesk.store.search import NOTE, SearchIndex

AUTHORS = ("ai", "clinician")


@dataclass(frozen=True)
class Revision:
    revision: int
    sections: list[Section]
    author: str
    created_at: str


@dataclass(frozen=True)
class Addendum:
    id: int
    text: str
    author: str
    created_at: str


@dataclass(frozen=True)
class Finalization:
    content_sha256: str
    finalized_by: str
    finalized_at: str


def sections_json(sections: list[Section]) -> str:
    return json.dumps([{"key": s.key, "title": s.title, "text": s.text} for s in sections],
                      ensure_ascii=False, separators=(",", ":"))


def content_hash(template: str, sections: list[Section]) -> str:
    canonical = json.dumps({"template": template, "sections": json.loads(sections_json(sections))},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _sections(raw: str) -> list[Section]:
    return [Section(d["key"], d["title"], d["text"]) for d in json.loads(raw)]


class Notes:
    def __init__(self, db: Database, audit, index: SearchIndex, transcripts):
        self._db = db
        self._audit = audit
        self._index = index
        self._transcripts = transcripts

    # -- writing -----------------------------------------------------------
    def create(self, session_id: str, note: Note, *, author: str = "ai", expires_at: str | None = None) -> str:
        _check_author(author)
        now = timeutil.iso()
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO notes (id, session_id, template, models_json, timings_json, warnings_json,"
                " created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (note.note_id, session_id, note.template, json.dumps(note.models), json.dumps(note.timings),
                 json.dumps(list(note.warnings)), now, now, expires_at),
            )
            self._insert_revision(note.note_id, 1, note.sections, author, now)
            self._audit.record("note_created", "note", note.note_id, author=author)
        return note.note_id

    def save_revision(self, note_id: str, sections: list[Section], *, author: str = "clinician") -> int:
        """Keep a new revision (earlier ones stay); raises NoteFinalized on a locked note."""
        _check_author(author)
        with self._db.transaction():
            self._require_editable(note_id)
            rev = self._db.one("SELECT MAX(revision) FROM note_revisions WHERE note_id = ?", (note_id,))[0] + 1
            now = timeutil.iso()
            self._insert_revision(note_id, rev, sections, author, now)
            self._db.execute("UPDATE notes SET updated_at = ? WHERE id = ?", (now, note_id))
            self._audit.record("note_revised", "note", note_id, revision=rev, author=author)
        return rev

    def _insert_revision(self, note_id, rev, sections, author, now) -> None:
        self._db.execute(
            "INSERT INTO note_revisions (note_id, revision, sections_json, author, created_at) VALUES (?, ?, ?, ?, ?)",
            (note_id, rev, sections_json(sections), author, now),
        )
        self._reindex(note_id)

    def finalize(self, note_id: str, *, finalized_by: str) -> Finalization:
        with self._db.transaction():
            self._require_editable(note_id)
            template, session_id = self._head(note_id)
            digest = content_hash(template, self.latest(note_id).sections)
            now = timeutil.iso()
            self._db.execute(
                "UPDATE notes SET finalized_at = ?, finalized_by = ?, content_sha256 = ?, expires_at = NULL,"
                " updated_at = ? WHERE id = ?",
                (now, finalized_by, digest, now, note_id),
            )
            self._db.execute("UPDATE sessions SET status = 'finalized', updated_at = ? WHERE id = ?",
                             (now, session_id))
            self._audit.record("note_finalized", "note", note_id, sha256=digest)
        return Finalization(digest, finalized_by, now)

    def add_addendum(self, note_id: str, text: str, *, author: str = "clinician") -> int:
        """Dated addendum to a finalized note (the only way to change one)."""
        with self._db.transaction():
            if self.finalization(note_id) is None:
                raise NotFound("Addenda are for finalized notes; edit the draft instead.")
            cur = self._db.execute("INSERT INTO addenda (note_id, text, author, created_at) VALUES (?, ?, ?, ?)",
                                   (note_id, text, author, timeutil.iso()))
            self._reindex(note_id)
            self._audit.record("addendum_added", "note", note_id, addendum=cur.lastrowid)
        return cur.lastrowid

    def set_expiry(self, note_id: str, expires_at: str | None) -> None:
        with self._db.transaction():
            self._require_editable(note_id)
            self._db.execute("UPDATE notes SET expires_at = ? WHERE id = ?", (expires_at, note_id))

    # -- reading -------------------------------------------------------------
    def _head(self, note_id: str) -> tuple[str, str]:
        row = self._db.one("SELECT template, session_id FROM notes WHERE id = ?", (note_id,))
        if not row:
            raise NotFound("No such note.")
        return row[0], row[1]

    def _require_editable(self, note_id: str) -> None:
        self._head(note_id)
        if self.finalization(note_id) is not None:
            raise NoteFinalized()

    def exists(self, note_id: str) -> bool:
        return self._db.one("SELECT 1 FROM notes WHERE id = ?", (note_id,)) is not None

    def id_for_session(self, session_id: str) -> str | None:
        row = self._db.one("SELECT id FROM notes WHERE session_id = ?", (session_id,))
        return row[0] if row else None

    def session_for(self, note_id: str) -> str:
        return self._head(note_id)[1]

    def finalization(self, note_id: str) -> Finalization | None:
        row = self._db.one("SELECT content_sha256, finalized_by, finalized_at FROM notes WHERE id = ?", (note_id,))
        if not row or row[2] is None:
            return None
        return Finalization(*row)

    def revisions(self, note_id: str) -> list[Revision]:
        rows = self._db.query("SELECT revision, sections_json, author, created_at FROM note_revisions"
                              " WHERE note_id = ? ORDER BY revision", (note_id,))
        return [Revision(r[0], _sections(r[1]), r[2], r[3]) for r in rows]

    def latest(self, note_id: str) -> Revision:
        r = self._db.one("SELECT revision, sections_json, author, created_at FROM note_revisions"
                         " WHERE note_id = ? ORDER BY revision DESC LIMIT 1", (note_id,))
        if not r:
            raise NotFound("No such note.")
        return Revision(r[0], _sections(r[1]), r[2], r[3])

    def addenda(self, note_id: str) -> list[Addendum]:
        rows = self._db.query("SELECT id, text, author, created_at FROM addenda WHERE note_id = ? ORDER BY id",
                              (note_id,))
        return [Addendum(*r) for r in rows]

    def load(self, note_id: str) -> Note:
        row = self._db.one("SELECT template, session_id, models_json, timings_json, warnings_json, finalized_at"
                           " FROM notes WHERE id = ?", (note_id,))
        if not row:
            raise NotFound("No such note.")
        transcript = self._transcripts.load(row[1]) or Transcript()
        self._audit.record("note_viewed", "note", note_id)
        return Note(template=row[0], sections=self.latest(note_id).sections, transcript=transcript,
                    note_id=note_id, models=json.loads(row[2]), timings=json.loads(row[3]),
                    warnings=json.loads(row[4]), finalized=row[5] is not None)

    def verify_finalized(self, note_id: str) -> bool:
        """True when a finalized note's content still matches its recorded hash."""
        fin = self.finalization(note_id)
        if fin is None:
            return False
        template, _ = self._head(note_id)
        return content_hash(template, self.latest(note_id).sections) == fin.content_sha256

    def _reindex(self, note_id: str) -> None:
        _, session_id = self._head(note_id)
        sections = self.latest(note_id).sections
        parts = [f"{s.title}\n{s.text}" for s in sections] + [a.text for a in self.addenda(note_id)]
        self._index.put(session_id, NOTE, "\n".join(parts))


def _check_author(author: str) -> None:
    if author not in AUTHORS:
        raise ValueError(f"author must be one of {AUTHORS}")
