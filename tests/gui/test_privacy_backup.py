"""The Privacy page's Back up and Restore buttons, on a real (encrypted) vault."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from soapdesk.gui import main_window as main_window_mod
from soapdesk.gui.main_window import LOCK, PRIVACY, WORK
from soapdesk.gui.new_session_dialog import NewSession

from gui_support import PASS

TAR_FILTER = "SoapDesk backups (*.tar)"


def test_backup_then_restore_brings_back_the_vault_as_it_was(qtbot, unlocked, ctx, tmp_path, monkeypatch):
    w = unlocked
    sessions = w.sessions
    sessions.auto_draft = False
    kept = sessions.new_session(NewSession("A.B.", "soap", None))
    sessions.use_text("Therapist: How did the week go?\nClient: I walked every morning and slept better.")
    dest = tmp_path / "backups" / "soapdesk-backup.tar"

    # Back up: the file dialog answers with a path; the copy is made on the files lane.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(dest), TAR_FILTER)))
    w.show_page(PRIVACY)
    w.privacy_page.backup_button.click()
    qtbot.waitUntil(lambda: w.privacy_page.status.text().startswith("Backup saved"), timeout=30_000)
    assert dest.is_file() and str(dest) in w.privacy_page.status.text()

    # A session made after the backup: the restore must take the vault back to before it.
    later = sessions.new_session(NewSession("C.D.", "soap", None))
    assert {r.id for r in w.vault.list_sessions()} == {kept, later}

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(dest), TAR_FILTER)))
    monkeypatch.setattr(main_window_mod.Confirm, "ask", classmethod(lambda cls, *a, **k: asked.append(a[1]) or True))
    monkeypatch.setattr(main_window_mod.AskSecret, "ask", classmethod(lambda cls, *a, **k: PASS))
    w.privacy_page.restore_button.click()
    assert asked == ["Restore from backup"]
    assert w.vault is None and w.stack.currentIndex() == LOCK  # locked first
    view = w.unlock_view
    qtbot.waitUntil(lambda: view.error.isVisible() and view.error.text().startswith("Restored"), timeout=30_000)
    assert view.unlock_button.isEnabled()
    vault_path = ctx.opener.vault_path
    assert any(p.name.startswith(f"{vault_path.name}.before-restore-") for p in vault_path.parent.iterdir())

    # The restored vault opens with the same passphrase, on the lock screen, and holds the session.
    view.passphrase.setText(PASS)
    with qtbot.waitSignal(w.unlocked, timeout=30_000):
        view.unlock_button.click()
    assert w.stack.currentIndex() == WORK
    assert [r.id for r in w.vault.list_sessions()] == [kept]
    transcript = w.vault.transcripts.load(kept)
    assert transcript is not None and "walked every morning" in transcript.text
    assert w.vault.check().ok
    assert w.session_list.item_for(kept) is not None and w.session_list.item_for(later) is None


def test_cancelled_restore_changes_nothing(qtbot, unlocked, tmp_path, monkeypatch):
    w = unlocked
    sid = w.sessions.new_session(NewSession("E.F.", "soap", None))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "some.tar"), TAR_FILTER)))
    monkeypatch.setattr(main_window_mod.Confirm, "ask", classmethod(lambda cls, *a, **k: False))
    w.privacy_page.restore_button.click()
    assert w.vault is not None and w.stack.currentIndex() == WORK
    assert [r.id for r in w.vault.list_sessions()] == [sid]
