"""The draft's checks in the window: highlighted unsupported sentences, evidence, the risk
checklist gating Finalize, contradicting risk wording, billing suggestions, export.

No language model: the canned note is checked with soapdesk.core.review on a parsed
transcript, exactly as the window's checks do.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from soapdesk.core import review, risk
from soapdesk.core.note import Note, Section
from soapdesk.core.transcript_text import parse_transcript
from soapdesk.gui import workflow
from soapdesk.gui.confirm import AskExportPath, Confirm, Warn
from soapdesk.gui.session_view import DRAFT, TRANSCRIPT as TRANSCRIPT_TAB
from soapdesk.store.errors import NoteNotFinalized

TRANSCRIPT = """Therapist: How have you been sleeping since last time?
Client: Better. I sleep about six hours most nights now.
Therapist: Any thoughts of suicide or of killing yourself?
Client: No, never.
Therapist: Any thoughts of hurting yourself?
Client: No.
Therapist: How much are you drinking these days?
Client: I don't drink at all.
Therapist: Do you feel safe at home?
Client: Yes, I feel safe at home.
Therapist: Any thoughts of hurting someone else?
Client: No, nothing like that.
Therapist: Keep using the breathing exercise each morning.
Client: I will. It helped on three mornings.
"""
SUPPORTED = "Client reports sleeping about six hours most nights."
INVENTED = "Client reports a big improvement in appetite since starting sertraline 50 mg."
RISK_LINE = "Client denies suicidal ideation, self-harm and homicidal ideation."


def canned_note() -> Note:
    t = parse_transcript(TRANSCRIPT)
    # timestamps, as a recording would have them
    t.segments = [dataclasses.replace(s, start=10.0 * i, end=10.0 * i + 8) for i, s in enumerate(t.segments)]
    t.duration_s = 45 * 60.0
    return Note("soap", [Section("subjective", "Subjective", f"{SUPPORTED} {INVENTED}"),
                         Section("objective", "Objective", "Client was on time and engaged."),
                         Section("assessment", "Assessment", RISK_LINE),
                         Section("plan", "Plan", "Continue the breathing exercise each morning.")], t)


def test_the_canned_note_is_checked_by_core_review():
    note = review.review(canned_note(), billing=True, minutes=45)
    subj = {se.text: se for se in note.sentences["subjective"]}
    assert subj[SUPPORTED].supported and not subj[INVENTED].supported
    assert any(f.kind == "medication" for f in note.flags)
    assert all(f.status == risk.DENIED for f in note.risk.values())
    assert note.billing["cpt"][0]["code"] == "90834"


@pytest.fixture
def opened(qtbot, unlocked):
    """The canned note open in the window, its checks done."""
    vault = unlocked.vault
    sid = vault.save_note(canned_note(), client_label="J.D.")
    vault.sessions.update(sid, duration_s=45 * 60.0)
    s = unlocked.sessions
    s.open_session(sid)
    unlocked.session_view.tabs.setCurrentIndex(DRAFT)
    qtbot.waitUntil(lambda: s.checked is not None and not s._check_running, timeout=60_000)
    return unlocked


def test_unsupported_sentence_is_highlighted_with_its_reason_never_removed(qtbot, opened):
    d = opened.session_view.draft
    ed = d.editors["subjective"]
    assert ed.text() == f"{SUPPORTED} {INVENTED}"  # nothing hidden or removed
    marks = ed.highlighted()
    assert [(k, t) for k, t, _tip in marks] == [("unsupported", INVENTED)]
    assert "sertraline" in marks[0][2]
    assert "unsupported" in ed.check_label.text()
    assert d.editors["plan"].highlighted() == []
    texts = [d.checks.checks.item(i).text() for i in range(d.checks.checks.count())]
    assert any("sertraline" in t for t in texts)

    # A check in the list selects its sentence in the editor.
    item = next(d.checks.checks.item(i) for i in range(d.checks.checks.count())
                if "sertraline" in d.checks.checks.item(i).text())
    d.checks.checks.itemClicked.emit(item)
    assert ed.editor.textCursor().selectedText() == INVENTED
    assert "NOT supported" in d.checks.evidence_sentence.text()

    # The clinician fixes the sentence: the checks run again (debounced) and the mark goes.
    d._recheck.setInterval(30)
    ed.editor.setPlainText(SUPPORTED)
    qtbot.waitUntil(lambda: ed.highlighted() == [] and not opened.sessions._check_running, timeout=30_000)
    assert "unsupported" not in ed.check_label.text()


def test_clicking_a_sentence_shows_and_plays_its_evidence(qtbot, opened):
    d = opened.session_view.draft
    ed = d.editors["subjective"].editor
    cur = ed.textCursor()
    cur.setPosition(5)  # inside the first (supported) sentence
    qtbot.mouseClick(ed.viewport(), Qt.LeftButton, pos=ed.cursorRect(cur).center())
    assert d.checks.evidence_list.count() == 1
    assert "six hours" in d.checks.evidence_list.item(0).text()
    assert opened.session_view.transcript.selected_ids() == [2]
    with qtbot.waitSignal(d.checks.play_requested) as sig:
        d.checks.play_button.click()
    assert sig.args == [10.0]
    d.checks.show_button.click()
    assert opened.session_view.tabs.currentIndex() == TRANSCRIPT_TAB


def test_finalize_stays_disabled_until_every_risk_domain_is_confirmed(qtbot, opened, monkeypatch):
    d, s, vault = opened.session_view.draft, opened.sessions, opened.vault
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    note_id = s.note.note_id
    screen = d.risk.rows[risk.SI][0].text()
    assert "Denied" in screen and "No, never." in screen  # status and quote shown
    button = d.finalize.finalize_button
    for domain in risk.DOMAINS[:-1]:
        d.risk.confirm(domain)
        assert not button.isEnabled()
    opened.finalize_action.trigger()  # the shortcut does not get round the checklist
    assert vault.notes.finalization(note_id) is None
    assert workflow.load_risk_confirmation(vault, note_id) is None
    d.risk.confirm(risk.DOMAINS[-1])
    assert button.isEnabled()
    button.click()
    assert vault.notes.finalization(note_id) is not None
    assert workflow.load_risk_confirmation(vault, note_id) == {dom: risk.DENIED for dom in risk.DOMAINS}
    events = [e for e in vault.audit.entries() if e.event == "risk_confirmed"]
    assert events and events[-1].object_id == note_id
    assert set(events[-1].detail.values()) <= {risk.DENIED}  # statuses only, no text
    assert not d.risk.rows[risk.SI][1].isEnabled()  # locked with the note


def test_a_note_contradicting_the_confirmed_risk_warns_at_finalize(qtbot, opened, monkeypatch):
    d, s, vault = opened.session_view.draft, opened.sessions, opened.vault
    warned = []
    monkeypatch.setattr(Warn, "ask", classmethod(lambda cls, parent, title, text, ok: warned.append(text) or False))
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    for domain in risk.DOMAINS:
        d.risk.confirm(domain)
    # The clinician corrects the screen: passive suicidal ideation. The note still says "denies".
    d.risk.confirm(risk.SI, risk.PASSIVE)
    d.finalize.finalize_button.click()
    assert warned and "suicidal ideation" in warned[0] and "passive" in warned[0]
    assert vault.notes.finalization(s.note.note_id) is None  # cancelled at the warning
    assert "Risk wording" in d.checks.checks.item(0).text()
    # Same statuses as the note's wording: no warning.
    warned.clear()
    d.risk.confirm(risk.SI, risk.DENIED)
    d.finalize.finalize_button.click()
    assert not warned and vault.notes.finalization(s.note.note_id) is not None


def test_billing_suggestions_for_a_45_minute_session(qtbot, opened):
    b = opened.session_view.draft.billing
    assert b.minutes.value() == 45  # prefilled from the recording's length
    assert "verify" in b.caution.text().lower()
    b.suggest_button.click()
    qtbot.waitUntil(lambda: any("90834" in t for t in b.codes()), timeout=60_000)
    line = next(t for t in b.codes() if "90834" in t)
    assert line.startswith("Suggested CPT") and "45 minutes" in line


def test_export_writes_a_file_only_for_a_finalized_note(qtbot, opened, monkeypatch, tmp_path):
    d, s, vault = opened.session_view.draft, opened.sessions, opened.vault
    asked = []
    target = {"path": tmp_path / "note.txt", "fmt": "txt"}
    monkeypatch.setattr(AskExportPath, "ask", classmethod(
        lambda cls, parent, name: asked.append(name) or (target["path"], target["fmt"])))
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    assert not d.finalize.export_button.isVisibleTo(d)
    s.export_note()  # a draft: not even asked where
    assert not asked and not list(tmp_path.iterdir())
    with pytest.raises(NoteNotFinalized):
        workflow.export_note(vault, s.note.note_id, tmp_path / "x.txt", "txt")
    assert not list(tmp_path.iterdir())

    for domain in risk.DOMAINS:
        d.risk.confirm(domain)
    d.finalize.finalize_button.click()
    assert d.finalize.export_button.isVisibleTo(d)
    d.finalize.export_button.click()
    qtbot.waitUntil(lambda: target["path"].exists(), timeout=10_000)
    text = target["path"].read_text()
    assert INVENTED in text and "Finalized" in text
    target.update(path=tmp_path / "note.pdf", fmt="pdf")
    d.finalize.export_button.click()
    qtbot.waitUntil(lambda: target["path"].exists() and target["path"].stat().st_size > 0, timeout=30_000)
    assert target["path"].read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: "Exported to" in d.saved_label.text(), timeout=10_000)


def test_a_sentence_found_in_the_transcript_but_flagged_says_what_to_check(qtbot):
    from soapdesk.gui.review_panel import ChecksPanel

    note = canned_note()
    plan = "Keep using the breathing exercise for three minutes each morning."  # "three" was mornings
    note.sections[3].text = plan
    checked = review.review(note)
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    panel.show_checks(checked, {})
    se = checked.sentences["plan"][0]
    assert se.supported  # its words are all in the transcript...
    panel.show_evidence(se, [s for s in checked.transcript.segments if s.id in set(se.evidence)])
    shown = panel.evidence_sentence.text()
    assert "Found in the transcript, but check:" in shown  # ...and the window still says what is wrong
    assert "The session never says 3 minutes." in shown and "Supported by" not in shown
