"""The cognitive distortions ("thinking traps") named in a CBT session.

When a client works a thought record, which distortions they recognise in
their own thought ("Fortune-telling, definitely. And mind-reading.") is the
skill CBT teaches and what the next session builds on; a progress note
records it as the client's response to the intervention. The small drafting
model keeps "completed a thought record" and drops the names. This reader
finds the standard names (Beck's and Burns's list) in the session: those the
client said, or, when the client named none, those the clinician said in a
statement ("That sounds like catastrophizing."), never from a question that
offers a menu ("Was it mind-reading, or fortune-telling?"). When the draft
leaves a name out, session_facts adds the sentence it was said in.

Words that are also everyday English ("filter", "labels", "should") count only
in their CBT form ("mental filter", "labeling yourself", "should statements").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import CLIENT, CLINICIAN, UNKNOWN, Transcript

# (the name a note uses, how it is said)
PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((name, re.compile(rx, re.I)) for name, rx in (
    ("all-or-nothing thinking", r"\b(?:all[- ]or[- ]nothing|black[- ]and[- ]white (?:thinking|thoughts?))\b"),
    ("overgeneralization", r"\bover-?generaliz\w*|\bover-?generalis\w*"),
    ("mental filter", r"\bmental filter\w*"),
    ("discounting the positive", r"\b(?:discount\w*|disqualif\w*) the positives?\b"),
    ("jumping to conclusions", r"\bjump\w* to conclusions?\b"),
    ("mind-reading", r"\bmind[- ]?read\w*"),
    ("fortune-telling", r"\bfortune[- ]?tell\w*"),
    ("catastrophizing", r"\bcatastroph\w*|\bmagnification\b"),
    ("emotional reasoning", r"\bemotional reasoning\b"),
    ("should statements", r"\bshould statements?\b|\b(?:musts? and shoulds|shoulds)\b"),
    ("labeling", r"\b(?:labell?ing (?:yourself|myself|himself|herself|themselves)|self-labell?ing)\b"),
    ("personalization", r"\bpersonaliz\w*|\bpersonalis\w*"),
))
_MAX_QUOTE = 200


@dataclass(frozen=True)
class Named:
    names: tuple[str, ...]  # the note's words for the distortions, in the order said
    quote: str  # the sentence(s) they were named in
    by: str  # CLIENT, CLINICIAN, or UNKNOWN when the recording has no speaker labels


def _names_in(sentence: str) -> list[tuple[int, str]]:
    return [(m.start(), name) for name, rx in PATTERNS for m in [rx.search(sentence)] if m]


def _named_by(transcript: Transcript, speaker: str) -> Named | None:
    names: list[str] = []
    quotes: list[str] = []
    for seg in transcript.segments:
        if seg.speaker != speaker:
            continue
        for sentence in ct.split_sentences(seg.text):
            if sentence.rstrip().endswith("?"):
                continue
            found = [name for _pos, name in sorted(_names_in(sentence)) if name not in names]
            if found:
                names += found
                if sentence.strip() not in quotes:
                    quotes.append(sentence.strip())
    quote = " ".join(quotes)
    if not names or len(quote) > _MAX_QUOTE:
        return None
    return Named(tuple(names), quote, speaker)


def named(transcript: Transcript) -> Named | None:
    """The distortions the client named, else those the clinician named in a statement, else
    those named in a statement of a recording without speaker labels, else None."""
    return _named_by(transcript, CLIENT) or _named_by(transcript, CLINICIAN) or _named_by(transcript, UNKNOWN)


def told(text: str, n: Named) -> bool:
    """The draft names every one of them, in any of its spellings."""
    return all(any(rx.search(text) for name, rx in PATTERNS if name == wanted) for wanted in n.names)


_THOUGHT_WORK = re.compile(r"\b(?:thought records?|cognitive|distortions?|thinking (?:traps?|errors?)|reframe\w*|"
                           r"restructur\w*|balanced thought|automatic thoughts?)\b", re.I)


def kin(note_line: str) -> int:
    """A line telling the thought record or other cognitive work: the names belong right after it."""
    return int(bool(_THOUGHT_WORK.search(note_line)))


def line(n: Named, person: str) -> str:
    by = {CLIENT: f" by the {person}", CLINICIAN: " by the clinician"}.get(n.by, " in session")
    return f'Cognitive distortions named{by}: {", ".join(n.names)} ("{n.quote}").'
