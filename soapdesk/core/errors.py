"""Typed errors. Each carries one plain sentence for the clinician.

Front ends (CLI, window, HTTP API) turn these into an exit code, a dialog or an
error body in exactly one place each. Messages never contain transcript or
note text; file names are shown only where the user typed them.
"""


class SoapDeskError(Exception):
    """Base class: `str(err)` is the sentence shown to the user."""

    exit_code = 1
    code = "error"  # stable machine-readable code (HTTP API, logs)


class BadInput(SoapDeskError):
    exit_code = 2
    code = "bad_input"


class AudioUnreadable(BadInput):
    code = "audio_unreadable"


class AudioSilent(BadInput):
    code = "audio_silent"


class TranscriptEmpty(BadInput):
    code = "transcript_empty"


class TemplateInvalid(BadInput):
    code = "template_invalid"


class UnknownTemplate(BadInput):
    code = "unknown_template"


class ModelError(SoapDeskError):
    exit_code = 3
    code = "model_error"


class ModelMissing(ModelError):
    code = "model_missing"


class ModelCorrupt(ModelError):
    code = "model_corrupt"


class ModelInstallFailed(ModelError):
    code = "model_install_failed"


class DraftFailed(SoapDeskError):
    exit_code = 4
    code = "draft_failed"


class Cancelled(SoapDeskError):
    exit_code = 130
    code = "cancelled"

    def __init__(self, message: str = "Cancelled."):
        super().__init__(message)


class NetworkBlocked(SoapDeskError):
    """Raised by the offline guard when code tries to open a network socket."""

    code = "network_blocked"
