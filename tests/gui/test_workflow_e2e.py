"""The clinician's whole workflow in the window, with the real tiny models.

create vault → new session → import the sample → transcript → streamed draft →
edit (a revision) → copy (then cleared) → finalize (locked) → addendum.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QGuiApplication

from soapdesk.core import risk
from soapdesk.core.note import AI_DRAFT_LABEL
from soapdesk.gui import app as app_mod
from soapdesk.gui.confirm import Confirm, Warn
from soapdesk.gui.create_vault_dialog import CreateVaultDialog
from soapdesk.gui.new_session_dialog import NewSession, NewSessionDialog

from gui_support import PASS, SAMPLE, shut

pytestmark = pytest.mark.models


def test_whole_workflow_with_tiny_models(qtbot, ctx, monkeypatch, tiny_models):
    monkeypatch.setattr(CreateVaultDialog, "ask", classmethod(lambda cls, parent, opener, lane: opener.create(PASS)[0]))
    window = app_mod.build_window(ctx)
    window.show()
    try:
        _drive(qtbot, window, monkeypatch)
    finally:
        shut(window)


def _drive(qtbot, window, monkeypatch):
    # First run: the vault is created and the workspace opens.
    qtbot.waitUntil(lambda: window.vault is not None, timeout=10_000)
    assert ctx_vault_exists(window)
    vault = window.vault

    # New session.
    monkeypatch.setattr(NewSessionDialog, "ask",
                        classmethod(lambda cls, parent, clients, default: NewSession("J.D.", "dap", 50)))
    window.new_session()
    sessions = window.sessions
    sid = sessions.sid
    assert sid and vault.sessions.get(sid).client_label == "J.D."

    # Import: the transcript appears, then drafting starts by itself and streams.
    events = []
    draft_view = window.session_view.draft
    original_stream = draft_view.stream_text

    def spy(key, delta):
        original_stream(key, delta)
        events.append(("text", key, {k: ed.text() for k, ed in draft_view.editors.items()}))

    monkeypatch.setattr(draft_view, "stream_text", spy)
    sessions.draft_ready.connect(lambda s: events.append(("finished", s, None)))
    with qtbot.waitSignal(sessions.transcript_ready, timeout=780_000):
        window.session_view.importer.audio_chosen.emit(SAMPLE)
    transcript = vault.transcripts.load(sid)
    assert transcript is not None and len(transcript.segments) >= 1 and transcript.duration_s > 50
    assert window.session_view.transcript.table.rowCount() == len(transcript.segments)
    qtbot.waitUntil(lambda: any(e[0] == "finished" for e in events), timeout=780_000)

    # Sections filled progressively: text arrived before the finished signal, and at the
    # first piece of text the later sections were still empty.
    kinds = [e[0] for e in events]
    assert kinds.count("text") >= 2 and kinds[-1] == "finished" and kinds.index("text") < kinds.index("finished")
    first_snapshot = events[0][2]
    keys = list(first_snapshot)
    assert first_snapshot[keys[0]] and not first_snapshot[keys[-1]]
    assert vault.sessions.get(sid).status == "draft"
    note_id = vault.notes.id_for_session(sid)
    assert len(vault.notes.revisions(note_id)) == 1
    assert draft_view.banner.isVisible()

    # Edit a section: autosaved as a new revision.
    editor = draft_view.editors["plan"].editor
    editor.setPlainText(editor.toPlainText() + " Follow up in two weeks.")
    qtbot.waitUntil(lambda: len(vault.notes.revisions(note_id)) == 2, timeout=5_000)
    assert vault.notes.latest(note_id).sections[-1].text.endswith("Follow up in two weeks.")
    assert vault.notes.latest(note_id).author == "clinician"

    # Copy the note: plain text with titles and the AI-draft label; cleared after the timeout.
    sessions.clipboard.clear_after_s = 0.3
    window.copy_action.trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(AI_DRAFT_LABEL)
    for title in ("DATA", "ASSESSMENT", "PLAN"):
        assert f"\n{title}\n" in copied
    assert "Follow up in two weeks." in copied and "**" not in copied and "#" not in copied
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)

    # Finalize: only after every line of the risk checklist is confirmed; locked, who/when shown;
    # then only an addendum.
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    monkeypatch.setattr(Warn, "ask", classmethod(lambda cls, *a, **k: True))
    qtbot.waitUntil(lambda: sessions.checked is not None and not sessions._check_running, timeout=120_000)
    assert not draft_view.finalize.finalize_button.isEnabled()
    for domain in risk.DOMAINS:
        draft_view.risk.confirm(domain)
    assert draft_view.finalize.finalize_button.isEnabled()
    window.finalize_action.trigger()
    assert vault.notes.finalization(note_id).finalized_by == "Dr Test"
    assert vault.sessions.get(sid).status == "finalized"
    assert all(ed.editor.isReadOnly() for ed in draft_view.editors.values())
    assert not draft_view.banner.isVisible()
    assert "Finalized by Dr Test" in draft_view.finalize.info.text()
    panel = draft_view.finalize
    panel.addendum_text.setPlainText("Client called the next day; plan unchanged.")
    panel.addendum_button.click()
    assert [a.text for a in vault.notes.addenda(note_id)] == ["Client called the next day; plan unchanged."]
    assert panel.addenda.count() == 1

    # A finalized note copies without the AI-draft label.
    window.copy_action.trigger()
    assert AI_DRAFT_LABEL not in QGuiApplication.clipboard().text()

    # Nothing networked was loaded (T45).
    assert not [m for m in sys.modules if "QtNetwork" in m or "QtWebEngine" in m]


def ctx_vault_exists(window) -> bool:
    return window.ctx.opener.exists()
