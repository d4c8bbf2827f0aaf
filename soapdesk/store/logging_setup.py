"""Logging that cannot carry PHI out of the vault, plus crash-artefact hygiene.

- Records go to `<logs_dir>/soapdesk.log` (0600). A filter blanks any long
  string or bytes argument (ids and numbers pass, text does not) and any
  over-long message.
- Exceptions are logged as type + stack frames only: no exception message
  (it may quote data) and never locals.
- Core dumps are disabled (they would contain decrypted notes and the key);
  faulthandler writes stacks only to the logs directory (T18).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import traceback

from soapdesk.core import paths
from soapdesk.core.errors import SoapDeskError

MAX_ARG_CHARS = 40  # a uuid hex is 32; anything longer is treated as possible text
MAX_MSG_CHARS = 200
LOG_NAME = "soapdesk.log"
FAULT_NAME = "faulthandler.log"

_fault_file = None


# PyFastNER (medspaCy's sentence splitter) calls the *root* logger's info()
# for every wildcard rule it meets: thousands of lines per note, each a locked
# file write on whatever thread runs the checks.
_CHATTY_LIBRARIES = ("PyFastNER", "PyRuSH")


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and any(lib in record.pathname for lib in _CHATTY_LIBRARIES):
            return False
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if isinstance(record.args, dict):
                record.args = {k: _redact(v) for k, v in record.args.items()}
            else:
                record.args = tuple(_redact(a) for a in args)
        if not isinstance(record.msg, str):
            record.msg = f"<{type(record.msg).__name__}>"
        elif len(record.msg) > MAX_MSG_CHARS:
            record.msg = f"<message redacted, {len(record.msg)} chars>"
        return True


def _redact(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > MAX_ARG_CHARS:
        return f"<redacted {len(value)} chars>"
    if isinstance(value, (int, float, bool, type(None), str)):
        return value
    return f"<{type(value).__name__}>"


class SafeFormatter(logging.Formatter):
    """Exception type and frames only; messages only for our own typed errors."""

    def formatException(self, ei) -> str:
        etype, value, tb = ei
        frames = traceback.extract_tb(tb)
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        head = f"{etype.__module__}.{etype.__qualname__}" if etype else "Exception"
        if isinstance(value, SoapDeskError):
            head += f" [{value.code}]: {value}"
        return "Traceback (most recent call last):\n" + "\n".join(lines) + "\n" + head

    def formatStack(self, stack_info: str) -> str:
        return "\n".join(line for line in stack_info.splitlines() if line.lstrip().startswith("File "))


def disable_core_dumps() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def enable_faulthandler() -> None:
    global _fault_file
    if _fault_file is not None:
        return
    directory = paths.ensure_private_dir(paths.logs_dir())
    fd = os.open(directory / FAULT_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    _fault_file = os.fdopen(fd, "a")
    faulthandler.enable(file=_fault_file, all_threads=True)


def configure_logging(level: int = logging.INFO) -> logging.Handler:
    """Install the redacting file handler on the root logger (idempotent)."""
    disable_core_dumps()
    enable_faulthandler()
    root = logging.getLogger()
    for h in root.handlers:
        if getattr(h, "_soapdesk", False):
            return h
    directory = paths.ensure_private_dir(paths.logs_dir())
    path = directory / LOG_NAME
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.addFilter(RedactFilter())
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._soapdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler
