"""The main window: lock screen or workspace (sessions, settings, models, privacy).

Locking (by hand, after idle minutes, or when the window closes) saves edits
first, finishes or cancels running work, clears every widget and closes the
vault; unlocking opens it again on the lock screen.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QSplitter, QStackedWidget, QToolBar, QWidget

from soapdesk.gui import errors, ui_thread_gc
from soapdesk.gui.confirm import AskSecret, Confirm
from soapdesk.gui.idle import IdleWatcher
from soapdesk.gui.model_controller import ModelController
from soapdesk.gui.models_page import ModelsPage
from soapdesk.gui.new_session_dialog import NewSessionDialog
from soapdesk.gui.privacy_page import PrivacyPage
from soapdesk.gui.session_controller import SessionController
from soapdesk.gui.session_list import SessionList
from soapdesk.gui.session_view import SessionView
from soapdesk.gui.settings_page import SettingsPage
from soapdesk.gui.tasks import Lanes
from soapdesk.gui.unlock_view import UnlockView
from soapdesk.store import retention

log = logging.getLogger(__name__)

LOCK, WORK = 0, 1
SESSIONS, SETTINGS, MODELS, PRIVACY = 0, 1, 2, 3


GIL_SWITCH_S = 0.0005


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, ctx, *, lanes: Lanes | None = None, autosave_ms: int = 1500):
        super().__init__()
        # The note checks run in pure Python on a worker thread; every Qt event that
        # enters Python (slots, overridden methods of new widgets) waits for the GIL
        # for up to the switch interval, and hundreds of such waits while a finished
        # draft is laid out made a 0.3-0.4 s stall. A shorter interval hands the GIL
        # to the UI thread sooner; drafting and transcription run in C (GIL released)
        # or in a child process, so they do not pay for it.
        sys.setswitchinterval(GIL_SWITCH_S)
        # Reference cycles (some holding Qt objects) are collected on this thread only.
        ui_thread_gc.install()
        self.ctx = ctx
        self.vault = None
        self.setWindowTitle("SoapDesk")
        self.resize(1200, 800)
        self.lanes = lanes or Lanes(self)
        self.unlock_view = UnlockView(ctx.opener, self.lanes.io)
        self.unlock_view.unlocked.connect(self.attach)
        self.unlock_view.recovery_requested.connect(self._recover)
        self.session_list = SessionList()
        self.session_view = SessionView(autosave_ms)
        self.sessions = SessionController(self.session_view, ctx, self.lanes, self)
        self.settings_page = SettingsPage()
        self.models_page = ModelsPage()
        self.models = ModelController(self.models_page, ctx, self.lanes, self)
        self.privacy_page = PrivacyPage()
        split = QSplitter()
        split.addWidget(self.session_list)
        split.addWidget(self.session_view)
        split.setStretchFactor(1, 3)
        split.setSizes([380, 900])
        self.pages = QStackedWidget()
        for page in (split, self.settings_page, self.models_page, self.privacy_page):
            self.pages.addWidget(page)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_view)
        self.stack.addWidget(self.pages)
        self.setCentralWidget(self.stack)
        self._build_toolbar()
        self._build_shortcuts()
        self._wire()
        self.idle = IdleWatcher(ctx.settings.auto_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        self.show_lock_screen()

    # -- construction ------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Navigation")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.nav = {}
        for index, name in ((SESSIONS, "Sessions"), (SETTINGS, "Settings"), (MODELS, "Models"),
                            (PRIVACY, "Privacy")):
            act = self.toolbar.addAction(name, lambda i=index: self.show_page(i))
            act.setCheckable(True)
            self.nav[index] = act
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.toolbar.addWidget(spacer)
        self.lock_action = self.toolbar.addAction("Lock", self.lock)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Lock SoapDesk now (Ctrl+L)")

    def _action(self, keys: list[str], slot) -> QAction:
        act = QAction(self)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.setShortcutContext(Qt.WindowShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_shortcuts(self) -> None:
        s = self.sessions
        self.record_action = self._action(["Ctrl+R"], self._when_unlocked(s.toggle_recording))
        self.generate_action = self._action(["Ctrl+G"], self._when_unlocked(s.generate))
        self.copy_action = self._action(["Ctrl+Shift+C"], self._when_unlocked(s.copy_note))
        self.finalize_action = self._action(["Ctrl+Return", "Ctrl+Enter", "Ctrl+Shift+F"],
                                            self._when_unlocked(s.finalize))

    def _when_unlocked(self, fn):
        return lambda *_: fn() if self.vault is not None and self.sessions.sid is not None else None

    def _wire(self) -> None:
        self.session_list.session_selected.connect(self.sessions.open_session)
        self.session_list.search_changed.connect(lambda _t: self.refresh_sessions())
        self.session_list.new_session_requested.connect(self.new_session)
        self.sessions.sessions_changed.connect(self.refresh_sessions)
        self.settings_page.saved.connect(self._settings_saved)
        self.privacy_page.backup_requested.connect(self._backup)
        self.privacy_page.restore_requested.connect(self._restore)
        self.models.changed.connect(lambda: self.models_page.refresh(self.ctx.settings))

    # -- lock / unlock --------------------------------------------------------------
    def show_lock_screen(self) -> None:
        self.toolbar.setVisible(False)
        self.stack.setCurrentIndex(LOCK)
        self.unlock_view.reset()

    def attach(self, vault) -> None:
        from soapdesk.gui import warmup

        warmup.start()  # no-op after an unlock; a vault opened another way (recovery, tests) still warms
        self.vault = vault
        self.sessions.attach(vault)
        self.models.attach()
        self.toolbar.setVisible(True)
        self.stack.setCurrentIndex(WORK)
        self.show_page(SESSIONS)
        self.refresh_sessions()
        self.privacy_page.show_paths(vault.path)
        self.idle.set_timeout_ms(int(self.ctx.settings.auto_lock_minutes * 60_000))
        self.idle.start()
        self.unlocked.emit()
        log.info("vault unlocked in the window")

    def lock(self) -> None:
        if self.vault is None:
            return
        self.idle.stop()
        self.sessions.detach()
        self.session_list.clear()
        self.settings_page.vocabulary.clear()
        vault, self.vault = self.vault, None
        vault.close()
        self.show_lock_screen()
        self.locked.emit()
        log.info("locked")

    def _recover(self) -> None:
        key = AskSecret.ask(self, "Use the recovery key", "Recovery key (8 groups of 4):")
        if not key:
            return
        new = AskSecret.ask(self, "Choose a new passphrase", "New passphrase (at least 12 characters):")
        if not new:
            return
        opener = self.ctx.opener
        self.lanes.io.submit(lambda c, r: opener.open_with_recovery(key, new), name="recover",
                             finished=self.attach, failed=lambda e: self.unlock_view.show_error(errors.sentence(e)))

    # -- pages --------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        if self.vault is None:
            return
        self.sessions.flush()
        for i, act in self.nav.items():
            act.setChecked(i == index)
        if index == SETTINGS:
            self.settings_page.load(self.ctx.settings, self.vault.settings.vocabulary(),
                                    retention.load_policy(self.vault))
        elif index == MODELS:
            self.models_page.refresh(self.ctx.settings)
        self.pages.setCurrentIndex(index)

    def refresh_sessions(self) -> None:
        if self.vault is None:
            return
        rows = self.vault.list_sessions(self.session_list.search.text() or None)
        self.session_list.show_rows(rows, self.sessions.sid)

    def new_session(self) -> None:
        if self.vault is None:
            return
        clients = [c.label for c in self.vault.clients.list()]
        choice = NewSessionDialog.ask(self, clients, self.ctx.settings.template)
        if choice is not None:
            self.show_page(SESSIONS)
            self.sessions.new_session(choice)

    def _settings_saved(self, settings, vocabulary, policy) -> None:
        self.ctx.update_settings(settings)
        self.vault.settings.set_vocabulary(vocabulary)
        retention.save_policy(self.vault, policy)
        self.sessions.clipboard.clear_after_s = settings.clipboard_clear_seconds
        self.idle.set_timeout_ms(int(settings.auto_lock_minutes * 60_000))
        if not self.lanes.busy:  # models reload lazily with the new choice
            self.ctx.close_engines()
            self.sessions.pipeline = self.ctx.make_pipeline(vocabulary)
            self.ctx.start_engines()

    def _backup(self, dest) -> None:
        vault = self.vault
        self.privacy_page.status.setText("Backing up…")
        self.lanes.io.submit(lambda c, r: vault.backup(dest), name="backup",
                             finished=lambda p: self.privacy_page.status.setText(f"Backup saved: {p}"),
                             failed=lambda e: self.privacy_page.status.setText(errors.sentence(e)))

    def _restore(self, source) -> None:
        if not Confirm.ask(self, "Restore from backup",
                           "Replace everything in this vault with the backup? SoapDesk will lock first.", "Restore"):
            return
        secret = AskSecret.ask(self, "Restore from backup", "Passphrase the backup was made with:")
        if not secret:
            return
        from soapdesk.store.backup import restore_backup

        target = self.vault.path
        self.lock()
        kw = {"allow_weak_kdf_for_tests": True} if self.ctx.opener.allow_weak_kdf_for_tests else {}
        view = self.unlock_view
        view.set_busy(True, "Restoring…")  # verifying and opening the copy derives keys: seconds, off the UI thread

        def done(_kept) -> None:
            view.set_busy(False, "")
            view.show_error("Restored. Unlock with the backup's passphrase.")

        def failed(exc) -> None:
            view.set_busy(False, "")
            view.show_error(errors.sentence(exc))

        self.lanes.io.submit(lambda c, r: restore_backup(source, secret, target, keep_previous=True, **kw),
                             name="restore", finished=done, failed=failed)

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802
        if self.sessions.busy and not Confirm.ask(
                self, "Quit SoapDesk", "A recording, transcription or draft is still in progress. "
                "Stop it and quit? Everything saved so far stays in the vault.", "Stop and quit"):
            event.ignore()
            return
        self.lock()
        self.lanes.cancel_all()
        self.lanes.wait()
        event.accept()
