"""Unlocking, wrong passphrases, creating a vault, auto-lock."""

from __future__ import annotations

from soapdesk.core.note import Note, Section
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.gui.create_vault_dialog import CreateVaultDialog, strength_text
from soapdesk.gui.main_window import LOCK, WORK
from soapdesk.gui.tasks import SyncLane

from gui_support import PASS


def _note() -> Note:
    t = Transcript([Segment(1, "I have been sleeping badly.", 0.0, 2.0, "client")], duration_s=2.0, source="audio")
    return Note(template="soap", sections=[Section("subjective", "Subjective", "Client reports poor sleep."),
                                           Section("plan", "Plan", "Review in two weeks.")], transcript=t)


def test_wrong_passphrase_shows_the_error_and_keeps_the_lock_screen(qtbot, window, ctx):
    vault, _ = ctx.opener.create(PASS)
    vault.close()
    view = window.unlock_view
    assert window.stack.currentIndex() == LOCK
    view.passphrase.setText("not the passphrase at all")
    view.unlock_button.click()
    qtbot.waitUntil(lambda: view.error.isVisible(), timeout=10_000)
    assert view.error.text() == "Wrong passphrase."
    assert window.stack.currentIndex() == LOCK and window.vault is None
    assert view.unlock_button.isEnabled()
    view.passphrase.setText(PASS)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        view.unlock_button.click()
    assert window.stack.currentIndex() == WORK
    assert view.passphrase.text() == ""


def test_create_vault_dialog_checks_the_passphrase_and_shows_the_key_once(qtbot, ctx):
    assert not strength_text("short", "short")[0]
    assert not strength_text("violet harbor lantern 42", "violet harbor lantern 4")[0]
    dlg = CreateVaultDialog(ctx.opener, SyncLane())
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.first.setText("password123!")
    dlg.second.setText("password123!")
    assert not dlg.create_button.isEnabled() and "common" in dlg.feedback.text()
    dlg.first.setText(PASS)
    dlg.second.setText(PASS)
    assert dlg.create_button.isEnabled()
    dlg.create_button.click()
    assert dlg.pages.currentIndex() == 1 and dlg.vault is not None
    key = dlg.key_label.text()
    assert len(key.split("-")) == 8
    assert not dlg.finish_button.isEnabled()
    dlg.reject()  # cannot skip acknowledging the key
    assert dlg.isVisible()
    dlg.saved.setChecked(True)
    dlg.finish_button.click()
    assert dlg.key_label.text() == ""
    dlg.vault.close()


def test_auto_lock_saves_the_edit_clears_the_window_and_unlock_restores_it(qtbot, ctx):
    from gui_support import make_window, shut

    window = make_window(qtbot, ctx, autosave_ms=600_000)  # only the lock's own flush saves
    vault, _ = ctx.opener.create(PASS)
    sid = vault.save_note(_note(), client_label="A.B.")
    window.attach(vault)
    window.sessions.open_session(sid)
    editor = window.session_view.draft.editors["plan"].editor
    editor.setPlainText("Review in one week instead.")
    with qtbot.waitSignal(window.locked, timeout=10_000):
        window.idle.set_timeout_ms(100)
    assert window.stack.currentIndex() == LOCK and window.vault is None and not vault.is_open
    assert window.session_view.draft.editors == {}
    assert window.session_view.transcript.table.rowCount() == 0
    assert window.session_list.tree.topLevelItemCount() == 0
    # Unlock again: the edit was saved before locking.
    window.unlock_view.passphrase.setText(PASS)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        window.unlock_view.unlock_button.click()
    window.sessions.open_session(sid)
    assert window.session_view.draft.editors["plan"].text() == "Review in one week instead."
    shut(window)


def test_idle_watcher_sees_input_on_its_window_and_no_other_events(qtbot):
    """Keyboard and mouse input on a window keeps the auto-lock away; the watcher is not an
    application-wide filter (that entered Python, and so took the GIL, for every event: the
    window stalled while the checks ran in a worker thread)."""
    from PySide6.QtCore import QObject, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from soapdesk.gui.idle import IdleWatcher

    calls = []

    class Counting(IdleWatcher):
        def eventFilter(self, obj, event):  # noqa: N802
            calls.append(event.type())
            return super().eventFilter(obj, event)

    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    watcher = Counting(1)
    watcher.start()
    watcher.set_timeout_ms(400)
    fired = []
    watcher.idle.connect(lambda: fired.append(1))
    win = edit.windowHandle()
    for i in range(8):  # 0.8 s of typing and moving the mouse, longer than the timeout
        QTest.keyClick(win, Qt.Key_A)
        QTest.mouseMove(win, QPoint(10 + i, 10))
        qtbot.wait(100)
    assert not fired
    assert edit.text()  # the keys did reach the widget
    # A busy timer elsewhere in the app does not go through the watcher.
    calls.clear()
    ticks = []
    owner = QObject()
    timer = QTimer(owner, interval=1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.wait(100)
    timer.stop()
    assert len(ticks) > 20 and len(calls) < 10
    qtbot.waitUntil(lambda: bool(fired), timeout=2_000)  # no input: the watcher says idle
    watcher.stop()
    watcher.setParent(None)
