"""A drafted progress note: sections in template order, plus how it was made."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from soapdesk.core.transcript import Transcript

AI_DRAFT_LABEL = "AI DRAFT - review and edit before use. Not finalized."


@dataclass
class Section:
    key: str
    title: str
    text: str = ""


@dataclass
class Note:
    template: str
    sections: list[Section]
    transcript: Transcript
    note_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    models: dict = field(default_factory=dict)  # {"asr": id or None, "llm": id}
    timings: dict = field(default_factory=dict)  # {"transcribe_s": float, "draft_s": float}
    warnings: list[str] = field(default_factory=list)
    finalized: bool = False
    draft_stats: list = field(default_factory=list, repr=False)
    # Filled by soapdesk.core.review: evidence per sentence, grounding flags, risk screen, billing.
    sentences: dict = field(default_factory=dict, repr=False)  # section key -> [SentenceEvidence]
    flags: list = field(default_factory=list, repr=False)
    risk: dict | None = field(default=None, repr=False)  # domain -> RiskFinding
    billing: dict | None = field(default=None, repr=False)

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def to_plain_text(self, *, with_label: bool = True) -> str:
        """Text ready to paste into an EHR: titles on their own lines, no markdown."""
        parts = []
        if with_label and not self.finalized:
            parts.append(AI_DRAFT_LABEL)
        for s in self.sections:
            parts.append(f"{s.title.upper()}\n{s.text.strip()}")
        return "\n\n".join(parts) + "\n"

    def to_json(self) -> dict:
        out: dict = {
            "note_id": self.note_id,
            "template": self.template,
            "status": "final" if self.finalized else "ai_draft",
            "sections": [self._section_json(s) for s in self.sections],
        }
        for s in self.sections:
            out.setdefault(s.key, s.text)
        out["transcript"] = self.transcript.to_json()
        out["models"] = dict(self.models)
        out["timings"] = {k: round(v, 2) for k, v in self.timings.items()}
        if self.risk is not None:
            out["risk"] = {d: f.to_json() for d, f in self.risk.items()}
        if self.flags:
            out["flags"] = [f.to_json() for f in self.flags]
        if self.billing is not None:
            out["billing"] = self.billing
        out["warnings"] = list(self.warnings)
        return out

    def _section_json(self, s: Section) -> dict:
        out = {"key": s.key, "title": s.title, "text": s.text}
        if s.key in self.sentences:
            out["sentences"] = [e.to_json() for e in self.sentences[s.key]]
        return out
