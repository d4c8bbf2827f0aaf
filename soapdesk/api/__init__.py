"""The local HTTP API (SOAPNoteAPI-compatible) over the same engine and vault."""
