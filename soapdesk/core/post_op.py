"""How long after surgery a rehab visit is, as the session says it.

A rehab daily note opens with the body part and the time since surgery
("left knee, 6 weeks post-op"): the protocol, the restrictions and what range
of motion to expect all hang on it, and the payer asks for it. Therapists say
it in passing ("that's pretty normal at six weeks", "you're ten days out from
surgery") and the small drafting model drops it. This reader finds it; when
the draft leaves it out, session_facts adds it with the sentence it came from,
for the therapist to confirm.

Only sessions that speak of an operation (surgery, surgeon, incision, graft,
post-op...) are read, an explicit "N weeks post-op / since surgery / out" is
preferred to a bare "at N weeks", and a sentence about what will or can happen
later ("at twelve weeks you can start jogging") is not the time since surgery.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import Transcript

_OPERATED = re.compile(r"\b(?:surger(?:y|ies)|surgeon|surgical|post-?op\w*|operat(?:ion|ed)|incisions?|grafts?|"
                       r"reconstruct\w*|replacement|repair(?:ed)?|arthroscop\w*)\b", re.I)
_NUM = r"(?P<n>\d+|[a-z]+(?:[- ][a-z]+)?)"
_UNIT = r"(?P<unit>days?|weeks?|months?)"
_THE = r"(?:the\s+|your\s+|my\s+|his\s+|her\s+)?"
_SINCE = re.compile(rf"\b{_NUM}\s+{_UNIT}\s+(?:post-?op\w*|out(?:\s+(?:from|of)\s+{_THE}(?:surgery|operation))?\b|"
                    rf"(?:since|after|from)\s+{_THE}(?:surgery|operation|op)\b)", re.I)
_AGO = re.compile(rf"\b(?:surgery|operation|operated on)\b[^.?!]{{0,30}}?\b{_NUM}\s+{_UNIT}\s+ago\b", re.I)
_AT = re.compile(rf"\bat\s+{_NUM}\s+{_UNIT}\b(?!\s+(?:mark|re-?check|visit|appointment|follow))", re.I)
_LATER = re.compile(r"\b(?:will|we'll|you'll|going to|gonna|by|until|can|could|may|might|allowed|start\w*|"
                    r"expect\w*|usually|typically|most people)\b|'ll\b", re.I)
_WILL = re.compile(r"\b(?:will|going to|gonna|before|prior)\b|'ll\b", re.I)
_PART = re.compile(r"\b(left|right)\s+(knee|hip|shoulder|ankle|elbow|wrist|hand|foot|leg|arm|thumb)\b", re.I)


@dataclass(frozen=True)
class PostOp:
    value: float  # 6
    unit: str  # "weeks"
    part: str  # "left knee", or "" when the session never names side and part together
    quote: str  # the sentence it was read from


def _reading(rx: re.Pattern, sentence: str) -> tuple[float, str] | None:
    for m in rx.finditer(sentence):
        vals = ct.number_values(m.group("n"))
        if len(vals) == 1 and (v := next(iter(vals))) > 0:
            unit = m.group("unit").lower()
            return v, unit if unit.endswith("s") or v == 1 else unit + "s"
    return None


def time_since_surgery(transcript: Transcript) -> PostOp | None:
    """The time since surgery the session gives, or None."""
    if not any(_OPERATED.search(s.text) for s in transcript.segments):
        return None
    sentences = [x for s in transcript.segments for x in ct.split_sentences(s.text)]
    found = next(((r, x) for x in sentences if not _WILL.search(x)
                  for r in [_reading(_SINCE, x) or _reading(_AGO, x)] if r), None)
    if found is None:
        found = next(((r, x) for x in sentences if not _LATER.search(x) and not x.rstrip().endswith("?")
                      for r in [_reading(_AT, x)] if r), None)
    if found is None:
        return None
    (value, unit), quote = found
    parts = Counter(f"{m.group(1)} {m.group(2)}".lower() for s in transcript.segments for m in _PART.finditer(s.text))
    return PostOp(value, unit, parts.most_common(1)[0][0] if parts else "", quote.strip())


def line(p: PostOp) -> str:
    where = f"{p.part}, " if p.part else ""
    return f'Post-op status: {where}{ct.fmt_number(p.value)} {p.unit} after surgery (said: "{p.quote}").'


def told(text: str, p: PostOp) -> bool:
    """A draft sentence gives the time with its unit and says it is since the operation."""
    unit = p.unit.rstrip("s")
    return any(p.value in ct.number_values(sent) and re.search(rf"\b{unit}", sent, re.I)
               and re.search(r"\b(?:post|surg\w*|operat\w*|after|out)\b", sent, re.I)
               for sent in ct.split_sentences(text))
