"""No Qt in the store; logs and crash artefacts carry no PHI (T18, T45, T47, T48)."""

from __future__ import annotations

import logging
import resource
import subprocess

from soapdesk.store.logging_setup import RedactFilter, SafeFormatter, configure_logging
from vault_helpers import PYTHON, child_env

CANARY = "Pangolin Harmonica Glacier 9090"


def test_store_never_imports_qt():
    code = ("import sys, soapdesk.store, soapdesk.store.backup, soapdesk.store.retention, soapdesk.store.export, "
            "soapdesk.store.logging_setup, soapdesk.cli_vault; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide', 'shiboken'))))")
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=child_env(), timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("soapdesk.x", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_long_string_arguments_are_redacted():
    rec = _record("saved %s: %s (%d bytes) %r", "a" * 32, f"Client said {CANARY}", 12, b"raw audio")
    RedactFilter().filter(rec)
    text = rec.getMessage()
    assert "a" * 32 in text and "12 bytes" in text
    assert CANARY not in text and "redacted" in text and "<9 bytes>" in text


def test_exceptions_are_logged_without_their_message_or_locals():
    secret_local = CANARY  # noqa: F841 - must not appear
    try:
        raise ValueError(f"could not parse {CANARY}")
    except ValueError:
        import sys

        rec = _record("decode failed", exc_info=sys.exc_info())
    text = SafeFormatter("%(message)s").format(rec)
    assert "ValueError" in text and "test_hygiene.py" in text
    assert CANARY not in text


def test_configure_logging_writes_a_private_file_and_disables_core_dumps(data_dir):
    handler = configure_logging()
    try:
        logging.getLogger("soapdesk.test").warning("note %s text %s", "abc123", CANARY * 2)
        handler.flush()
        log_file = data_dir / "logs" / "soapdesk.log"
        assert "abc123" in log_file.read_text() and CANARY not in log_file.read_text()
        assert (log_file.stat().st_mode & 0o077) == 0
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
        assert (data_dir / "logs" / "faulthandler.log").exists()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        _stop_faulthandler()


def _stop_faulthandler():
    import faulthandler

    from soapdesk.store import logging_setup

    faulthandler.disable()
    if logging_setup._fault_file is not None:
        logging_setup._fault_file.close()
        logging_setup._fault_file = None
