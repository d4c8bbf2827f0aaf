"""Pull one string field out of a JSON object while it is still being generated.

The drafting model answers `{"text": "..."}` under a JSON-schema grammar;
this lets the window show the section's words as they arrive instead of raw
JSON, without waiting for the closing brace.
"""

from __future__ import annotations

import json
import re

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class JsonFieldStreamer:
    def __init__(self, field: str = "text"):
        self._open = re.compile(r'"' + re.escape(field) + r'"\s*:\s*"')
        self.raw = ""
        self._pos: int | None = None  # index in raw just after the opening quote
        self._value: list[str] = []
        self.done = False

    def feed(self, piece: str) -> str:
        """Add generated text; return the newly decoded part of the field's value."""
        self.raw += piece
        if self.done:
            return ""
        if self._pos is None:
            m = self._open.search(self.raw)
            if not m:
                return ""
            self._pos = m.end()
        out = []
        i = self._pos
        raw = self.raw
        while i < len(raw):
            ch = raw[i]
            if ch == '"':
                self.done = True
                i += 1
                break
            if ch == "\\":
                if i + 1 >= len(raw):
                    break  # escape split across pieces: wait for more
                nxt = raw[i + 1]
                if nxt == "u":
                    if i + 6 > len(raw):
                        break
                    try:
                        out.append(chr(int(raw[i + 2 : i + 6], 16)))
                    except ValueError:
                        pass
                    i += 6
                    continue
                out.append(_ESCAPES.get(nxt, nxt))
                i += 2
                continue
            out.append(ch)
            i += 1
        self._pos = i
        delta = "".join(out)
        self._value.append(delta)
        return delta

    @property
    def value(self) -> str:
        return "".join(self._value)

    def final(self) -> tuple[str, bool]:
        """(field value, whether the whole JSON object parsed and validated)."""
        try:
            obj = json.loads(self.raw)
        except ValueError:
            return self.value, False
        if isinstance(obj, dict) and isinstance(obj.get("text"), str) and set(obj) == {"text"}:
            return obj["text"], True
        return self.value, False
