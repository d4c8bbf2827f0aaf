"""SoapDesk: local, encrypted session transcription and progress-note drafting for therapists."""

__version__ = "0.1.0"
