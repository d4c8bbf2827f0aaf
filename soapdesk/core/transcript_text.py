"""Typed or exported transcripts → the same segment form that audio produces.

Understands the speaker tags clinicians and EHR exports use:
`Therapist: ...`, `Client: ...`, `Patient: ...`, `[doctor] ...`, `[patient] ...`,
`Speaker 1: ...`, `Dr. Lee: ...`. Untagged lines continue the previous
speaker's turn; a text with no tags at all becomes one segment per paragraph
(or per few sentences, so evidence links stay precise).
"""

from __future__ import annotations

import re

from soapdesk.core.errors import TranscriptEmpty
from soapdesk.core.transcript import CLIENT, CLINICIAN, OTHER, UNKNOWN, Segment, Transcript

_CLINICIAN_WORDS = {
    "therapist", "clinician", "counselor", "counsellor", "doctor", "dr", "provider", "physician",
    "psychiatrist", "psychologist", "nurse", "np", "pa", "pt", "ot", "slp", "clinician", "interviewer",
    "social worker", "case manager", "coach", "md", "lcsw", "lpc", "lmft", "physical therapist",
    "occupational therapist", "speech therapist", "speech-language pathologist",
}
_CLIENT_WORDS = {"client", "patient", "pt.", "member", "consumer", "resident", "student", "child"}
_OTHER_WORDS = {
    "patient_guest", "guest", "parent", "mother", "father", "mom", "dad", "partner", "spouse",
    "husband", "wife", "caregiver", "family", "interpreter", "teacher", "guardian", "sibling",
}

# `[doctor] text`  or  `Label: text` (label: 1–4 words, no sentence punctuation)
_BRACKET = re.compile(r"^\s*\[(?P<label>[A-Za-z _-]{1,30})\]\s*(?P<text>.*)$")
_COLON = re.compile(r"^\s*(?P<label>[A-Za-z][\w .'-]{0,30}?)\s*:\s*(?P<text>.*)$")
_SPEAKER_N = re.compile(r"^(speaker|spk|person|voice)\s*[_-]?\s*\d+$", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")


def role_for_label(label: str) -> str | None:
    """The speaker role a tag names, or None if the text is not a speaker tag."""
    norm = label.strip().lower().rstrip(".")
    if _SPEAKER_N.match(norm):
        return UNKNOWN
    words = norm.replace("_", " ")
    if norm in _CLINICIAN_WORDS or words in _CLINICIAN_WORDS:
        return CLINICIAN
    if norm in _OTHER_WORDS:
        return OTHER
    if norm in _CLIENT_WORDS or words in _CLIENT_WORDS:
        return CLIENT
    first = words.split()[0].rstrip(".") if words.split() else ""
    if first in {"dr", "doctor", "therapist", "nurse", "counselor"}:
        return CLINICIAN  # "Dr. Lee", "Therapist Ana"
    if first in {"client", "patient"}:
        return CLIENT
    if first in _OTHER_WORDS:
        return OTHER
    return None


def _tag(line: str) -> tuple[str, str, str] | None:
    m = _BRACKET.match(line)
    if m:
        role = role_for_label(m["label"])
        return (role or UNKNOWN, m["label"].strip(), m["text"].strip())
    m = _COLON.match(line)
    if m:
        role = role_for_label(m["label"])
        if role is not None:
            return role, m["label"].strip(), m["text"].strip()
    return None


def parse_transcript(text: str, *, max_sentences_per_segment: int = 3) -> Transcript:
    """Parse a transcript. Raises TranscriptEmpty when there is nothing to draft from."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [ln for ln in text.split("\n")]
    tagged = [_tag(ln) for ln in lines if ln.strip()]
    segments: list[Segment] = []
    if any(t is not None for t in tagged):
        current: list[list] = []  # [role, label, text]
        for ln in lines:
            if not ln.strip():
                continue
            t = _tag(ln)
            if t is not None:
                current.append(list(t))
            elif current:
                current[-1][2] = (current[-1][2] + " " + ln.strip()).strip()
            else:
                current.append([UNKNOWN, "", ln.strip()])
        for role, label, body in current:
            if body:
                segments.append(Segment(id=len(segments) + 1, text=body, speaker=role, speaker_label=label))
    else:
        for para in re.split(r"\n\s*\n", text):
            sentences = [s.strip() for s in _SENTENCES.split(" ".join(para.split())) if s.strip()]
            for i in range(0, len(sentences), max_sentences_per_segment):
                chunk = " ".join(sentences[i : i + max_sentences_per_segment])
                segments.append(Segment(id=len(segments) + 1, text=chunk))
    transcript = Transcript(segments=segments, source="text")
    if transcript.is_empty():
        raise TranscriptEmpty("The transcript is empty: there is nothing to draft a note from.")
    return transcript
