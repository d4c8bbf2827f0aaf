"""Single steps: cancel while drafting, a failed import, recording, clipboard, playback, plain text."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication

from soapdesk.core.pipeline import Pipeline
from soapdesk.gui.clipboard import ClipboardGuard
from soapdesk.gui.new_session_dialog import NewSession

from gui_support import SAMPLE, BlockingDrafter


def _new_session(window, template="soap") -> str:
    return window.sessions.new_session(NewSession("C.D.", template, None))


def test_cancel_during_drafting_leaves_a_sane_session(qtbot, unlocked, ctx):
    drafter = BlockingDrafter()
    sessions = unlocked.sessions
    sessions.pipeline = Pipeline(ctx.settings, drafter=drafter)
    sid = _new_session(unlocked)
    sessions.auto_draft = False
    sessions.use_text("Therapist: How was your week?\nClient: I slept badly and felt anxious.")
    vault = unlocked.vault
    assert vault.transcripts.load(sid) is not None
    sessions.generate()
    qtbot.waitUntil(lambda: "Client reports" in unlocked.session_view.draft.editors["subjective"].text(),
                    timeout=10_000)
    assert unlocked.session_view.draft.cancel_button.isVisible()
    assert vault.sessions.get(sid).status == "drafting"
    with qtbot.waitSignal(sessions.sessions_changed, timeout=10_000):
        unlocked.session_view.draft.cancel_button.click()
    qtbot.waitUntil(lambda: sessions.tasks.get("llm") is None, timeout=10_000)
    row = vault.sessions.get(sid)
    assert row.status == "failed" and row.failure_reason.startswith("Stopped")
    assert vault.notes.id_for_session(sid) is None
    assert vault.transcripts.load(sid) is not None  # the transcript is kept
    assert unlocked.session_view.draft.generate_button.isEnabled()
    assert not unlocked.session_view.draft.cancel_button.isVisible()
    assert vault.check().ok


def test_failed_import_shows_the_error_on_the_session(qtbot, unlocked, tmp_path, tiny_models):
    broken = tmp_path / "session.mp3"
    broken.write_bytes(b"ID3" + b"\x00" * 7 + b"not really audio" * 50)
    sid = _new_session(unlocked)
    with qtbot.waitSignal(unlocked.sessions.task_failed, timeout=60_000):
        unlocked.session_view.importer.audio_chosen.emit(broken)
    row = unlocked.vault.sessions.get(sid)
    assert row.status == "failed" and "session.mp3" in row.failure_reason
    item = unlocked.session_list.item_for(sid)
    assert item is not None and item.text(1).startswith("Failed: ")
    bar = unlocked.session_view.error_bar
    assert bar.isVisible() and "session.mp3" in bar.text.text()
    assert "Failed" in unlocked.session_view.status.text()


def test_recording_stores_chunks_and_stop_yields_a_transcript(qtbot, unlocked, fake_sd, tiny_models):
    from soapdesk.core.audio import load_audio

    samples, _ = load_audio(SAMPLE)
    sessions = unlocked.sessions
    sessions.auto_draft = False
    sessions.recorder.piece_seconds = 6.0
    sid = _new_session(unlocked)
    unlocked.record_action.trigger()  # Ctrl+R
    assert sessions.recorder.recording and fake_sd.inputs[-1].started
    assert unlocked.vault.sessions.get(sid).status == "recording"
    fake_sd.feed(samples[: 8 * 16000])
    sessions.recorder.flush()  # what the timer does every few seconds
    fake_sd.feed(samples[8 * 16000: 14 * 16000])
    qtbot.waitUntil(lambda: unlocked.vault.audio.size(sid) > 0, timeout=10_000)
    with qtbot.waitSignal(sessions.transcript_ready, timeout=120_000):
        unlocked.record_action.trigger()  # Ctrl+R again: stop
    assert fake_sd.inputs[-1].closed
    unlocked.lanes.io.wait(10_000)
    audio = unlocked.vault.read_audio(sid)
    assert audio.format == "pcm_s16le" and len(audio.data) == 14 * 16000 * 2
    transcript = unlocked.vault.transcripts.load(sid)
    assert transcript is not None and transcript.segments
    # the piece cut at Stop is in too (it was once merged before its result reached the list)
    assert transcript.duration_s == pytest.approx(14.0, abs=0.1)
    assert unlocked.vault.sessions.get(sid).duration_s == pytest.approx(14.0, abs=0.1)
    assert unlocked.session_view.transcript.table.rowCount() == len(transcript.segments)


def test_silence_warning_after_ten_seconds(qtbot, unlocked, fake_sd):
    sessions = unlocked.sessions
    _new_session(unlocked)
    sessions.start_recording(None)
    fake_sd.feed(np.zeros(11 * 16000, np.float32))
    sessions.recorder._on_tick()
    assert "No sound" in unlocked.session_view.record.warning.text()
    assert unlocked.session_view.record.elapsed.text() == "0:11"
    sessions.recorder.pause()
    fake_sd.feed(np.zeros(16000, np.float32))
    assert sessions.recorder.buffer.elapsed_s == 11
    sessions.auto_draft = False
    sessions.recorder._flush.stop()
    sessions.lanes.asr.cancel_all()
    sessions.recorder.stop()


def test_clipboard_is_cleared_only_if_it_still_holds_our_text(qtbot):
    guard = ClipboardGuard(0.1)
    board = QGuiApplication.clipboard()
    with qtbot.waitSignal(guard.cleared, timeout=5_000):
        guard.copy("PLAN\nReview in two weeks.\n")
    assert board.text() == ""
    guard.copy("our text")
    board.setText("something the clinician copied since")
    qtbot.wait(300)
    assert board.text() == "something the clinician copied since"


def test_click_a_time_plays_from_there(qtbot, unlocked, fake_sd):
    sessions = unlocked.sessions
    sid = _new_session(unlocked)
    tone = (0.1 * np.sin(np.arange(5 * 16000) / 10)).astype(np.float32)
    unlocked.vault.append_audio_chunk(sid, 0, (tone * 32767).astype("<i2").tobytes())
    sessions.use_text("Therapist: Hello.\nClient: Hi.")
    sessions.auto_draft = False
    from soapdesk.core.transcript import Segment, Transcript

    unlocked.session_view.transcript.set_transcript(
        Transcript([Segment(1, "Hello.", 0.0, 1.0), Segment(2, "Hi.", 2.0, 3.0)], source="audio"))
    unlocked.session_view.transcript.table.cellClicked.emit(1, 0)
    out = fake_sd.outputs[-1]
    assert out.started
    buf = np.zeros((1600, 1), np.float32)
    out.callback(buf, 1600, None, None)
    assert np.allclose(buf[:, 0], tone[32000:33600], atol=1e-3)


def test_model_text_is_shown_as_plain_text_never_html(qtbot, unlocked):
    from soapdesk.core.note import Section

    raw = '<a href="http://example.com">click</a> **bold** <img src=x>'
    view = unlocked.session_view.draft
    view.set_sections([Section("plan", "Plan", raw)])
    assert view.editors["plan"].text() == raw
    unlocked.session_view.transcript.set_transcript(None)
    assert not [m for m in sys.modules if "QtNetwork" in m or "QtWebEngine" in m]


@pytest.mark.parametrize("shortcut", ["Ctrl+R", "Ctrl+G", "Ctrl+Shift+C", "Ctrl+Return", "Ctrl+Shift+F"])
def test_shortcuts_are_registered(unlocked, shortcut):
    keys = {k.toString() for a in unlocked.actions() for k in a.shortcuts()}
    assert shortcut in keys
