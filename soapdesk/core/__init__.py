"""The engine: audio, transcription, transcript parsing, templates, drafting. Never imports Qt."""

from soapdesk.core import offline as _offline  # noqa: F401  (sets hub-offline switches first)
