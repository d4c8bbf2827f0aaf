"""The transcript: what was said, by whom, when. Shared by every later step."""

from __future__ import annotations

from dataclasses import dataclass, field

# Speaker roles, in the clinician's words.
CLINICIAN = "clinician"
CLIENT = "client"
OTHER = "other"
UNKNOWN = "unknown"
ROLES = (CLINICIAN, CLIENT, OTHER, UNKNOWN)


@dataclass(frozen=True)
class Segment:
    """One stretch of speech. `id` is stable for the life of the transcript
    (evidence links in a note point at it); times are seconds from the start,
    or None for typed transcripts."""

    id: int
    text: str
    start: float | None = None
    end: float | None = None
    speaker: str = UNKNOWN
    # The label as written or heard ("Therapist", "Speaker 1"), when there was one.
    speaker_label: str = ""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "start": None if self.start is None else round(self.start, 2),
            "end": None if self.end is None else round(self.end, 2),
            "speaker": self.speaker,
            "text": self.text,
        }


@dataclass
class Transcript:
    segments: list[Segment] = field(default_factory=list)
    duration_s: float | None = None
    source: str = "text"  # "audio" or "text"
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    def is_empty(self) -> bool:
        return not any(s.text.strip() for s in self.segments)

    def as_dialogue(self) -> str:
        """Numbered lines for the drafting prompt: `[12] Client: ...`."""
        lines = []
        for s in self.segments:
            who = _ROLE_LABEL.get(s.speaker, "")
            prefix = f"[{s.id}] {who}: " if who else f"[{s.id}] "
            lines.append(prefix + s.text.strip())
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "duration_s": None if self.duration_s is None else round(self.duration_s, 2),
            "segments": [s.to_json() for s in self.segments],
        }


_ROLE_LABEL = {CLINICIAN: "Clinician", CLIENT: "Client", OTHER: "Other"}
