"""Start the window: `python -m soapdesk.gui` or `soapdesk.gui.app.main()`.

First run asks for a passphrase and creates the vault; later runs show the
lock screen. A second launch brings the first window forward and exits.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def _no_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc")) or sys.platform in ("darwin", "win32"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def build_window(ctx=None, *, app=None):
    """The main window for a context; on first run it offers to create the vault."""
    from PySide6.QtCore import QTimer

    from soapdesk.gui.context import default_context
    from soapdesk.gui.create_vault_dialog import CreateVaultDialog
    from soapdesk.gui.main_window import MainWindow

    ctx = ctx or default_context()
    window = MainWindow(ctx)

    def first_run():
        if not ctx.opener.exists():
            vault = CreateVaultDialog.ask(window, ctx.opener, window.lanes.io)
            if vault is not None:
                window.attach(vault)

    QTimer.singleShot(0, first_run)
    return window


def main(argv: list[str] | None = None, ctx=None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if _no_display():
        print("No display found (DISPLAY/WAYLAND_DISPLAY unset), so the SoapDesk window cannot open. "
              "Use `soapdesk note --audio FILE` in a terminal instead.", file=sys.stderr)
        return 2
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from soapdesk.core import netguard
    from soapdesk.gui.errors import install_excepthook
    from soapdesk.gui.single_instance import SingleInstance

    netguard.install()  # as the CLI does: nothing in the window's process may reach off this machine
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("SoapDesk")
    app.setApplicationDisplayName("SoapDesk")
    app.setDesktopFileName("soapdesk")
    install_excepthook()
    single = SingleInstance()
    if not single.acquire():
        single.ask_first_to_raise()
        print("SoapDesk is already open; bringing that window to the front.", file=sys.stderr)
        return 0
    window = build_window(ctx, app=app)
    single.raise_requested.connect(lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
    window.show()
    try:
        return app.exec()
    finally:
        single.release()


if __name__ == "__main__":
    raise SystemExit(main())
