"""`Vault.check()`: which pages are damaged and what can still be read (T05, T29).

SQLCipher's `cipher_integrity_check` verifies every page's HMAC and names
failing pages; SQLite's `integrity_check` finds structural damage. Then each
kind of record is read in full to tell the clinician, in their words, what
is still readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from soapdesk.store.db import Database
from soapdesk.store.errors import SoapDeskError

# (table, what the clinician calls it)
AREAS = (
    ("clients", "client labels"),
    ("sessions", "session list"),
    ("audio_chunks", "recordings"),
    ("transcript_segments", "transcripts"),
    ("note_revisions", "notes"),
    ("addenda", "addenda"),
    ("audit_log", "audit log"),
    ("settings", "settings"),
    ("search_docs", "search index"),
    ("search_index", "search index text"),
)

_PAGE = re.compile(r"page (\d+)")


@dataclass
class CheckReport:
    damaged_pages: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # structural messages: table/page names, no content
    readable: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    audit_chain_broken_at: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.damaged_pages or self.problems or self.unreadable or self.audit_chain_broken_at)

    def summary(self) -> str:
        if self.ok:
            return "Vault check passed: no damage found."
        lines = ["The vault is damaged."]
        if self.damaged_pages:
            lines.append("Damaged pages: " + ", ".join(map(str, self.damaged_pages)) + ".")
        if self.unreadable:
            lines.append("Cannot be read: " + ", ".join(self.unreadable) + ".")
        if self.readable:
            lines.append("Still readable: " + ", ".join(self.readable) + ".")
        if self.audit_chain_broken_at:
            lines.append("The audit log was altered at entries: "
                         + ", ".join(map(str, self.audit_chain_broken_at[:10])) + ".")
        lines.append("Restore from a backup to recover the rest.")
        return "\n".join(lines)


def run_check(db: Database, audit) -> CheckReport:
    report = CheckReport()
    # Read each area first: a failed integrity_check can leave the connection unable to read.
    for table, words in AREAS:
        # A fresh connection per area: SQLCipher keeps a decrypt failure sticky on a connection.
        probe = db.sibling()
        try:
            n = 0
            for _ in probe.conn.execute(f"SELECT * FROM {table}"):  # full read: every page of the table
                n += 1
            report.counts[table] = n
            report.readable.append(words)
        except Exception:  # noqa: BLE001
            report.unreadable.append(words)
        finally:
            probe.close()
    conn = db.sibling().conn
    try:
        for (msg,) in conn.execute("PRAGMA cipher_integrity_check").fetchall():
            m = _PAGE.search(str(msg))
            if m:
                report.damaged_pages.append(int(m.group(1)))
            else:
                report.problems.append(str(msg)[:200])
    except Exception as exc:  # noqa: BLE001 - any failure here is itself the finding
        report.problems.append(f"cipher integrity check failed: {type(exc).__name__}")
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            report.problems.extend(str(r)[:200] for r in rows[:50])
    except Exception as exc:  # noqa: BLE001
        report.problems.append(f"integrity check could not finish: {type(exc).__name__}")
    finally:
        conn.close()
    try:
        report.audit_chain_broken_at = audit.verify()
    except SoapDeskError:
        pass  # already listed as unreadable
    return report
