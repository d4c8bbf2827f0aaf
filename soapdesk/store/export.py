"""Export one finalized note as plain text or PDF — only when the clinician asks.

This is the one place a note leaves the vault as plaintext, so it refuses
drafts, writes only to the path the user chose, and records the export in
the audit log.
"""

from __future__ import annotations

import os
from pathlib import Path

from soapdesk.core import fsutil
from soapdesk.store.errors import NoteNotFinalized

FORMATS = ("txt", "pdf")
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def note_text(vault, note_id: str) -> str:
    fin = vault.notes.finalization(note_id)
    if fin is None:
        raise NoteNotFinalized()
    note = vault.notes.load(note_id)
    parts = [note.to_plain_text(with_label=False).rstrip()]
    parts.append(f"Finalized {fin.finalized_at} by {fin.finalized_by}.\nContent SHA-256: {fin.content_sha256}")
    for a in vault.notes.addenda(note_id):
        parts.append(f"ADDENDUM ({a.created_at}, {a.author})\n{a.text.strip()}")
    return "\n\n".join(parts) + "\n"


def export_note(vault, note_id: str, dest: Path, *, fmt: str = "txt") -> Path:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    text = note_text(vault, note_id)
    data = text.encode("utf-8") if fmt == "txt" else _pdf_bytes(text)
    fsutil.atomic_write(dest, data, mode=0o600)
    vault.audit.record("note_exported", "note", note_id, format=fmt)
    return dest


def _pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = next((f for f in _FONT_CANDIDATES if os.path.exists(f)), None)
    if font:
        pdf.add_font("NoteFont", fname=font)
        pdf.set_font("NoteFont", size=11)
    else:  # core fonts are Latin-1 only
        pdf.set_font("Helvetica", size=11)
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
