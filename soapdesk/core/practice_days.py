"""The days of the week agreed for a practice task between sessions.

Homework in a behavioural plan is specific so that it can be checked next
session: "Fifteen minutes. Three days. Monday, Wednesday, Friday." The small
drafting model keeps the task and the count and drops the days ("3 days a
week, starting on Monday"), and next week nobody can tell whether Wednesday
was missed. This reader finds a sentence naming two or more weekdays said as
a plan (or in answer to "how often?" / "which days?"), not a week already
lived ("Monday and Tuesday were awful") and not the next appointment. When
the draft leaves a day out, session_facts adds the quote to the plan. The
line goes right after the plan line that shares most of its amounts and
days (the task it belongs to). The days are not put in the model's request:
there, the 1.5B model wrote the whole CBT plan as that one line and dropped
the other tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.sleep_and_substances import is_plan
from soapdesk.core.transcript import UNKNOWN, Transcript

# The clinician asking when or how often, answered by the next turn.
_ASKS_WHEN = re.compile(r"\b(?:how often|which days?|what days?|how many days|when (?:could|would|will|can)|"
                        r"how long,? and how often)\b", re.I)
# A week already lived, told in the past.
_PAST = re.compile(r"\b(?:was|were|did|had|went|felt|got|came|happened|last)\b", re.I)
# The next appointment is read by next_visit.
_APPOINTMENT = re.compile(r"\b(?:appointments?|sessions?|see you|come in|visit|schedul\w*|same time)\b", re.I)
_MAX_QUOTE = 200


@dataclass(frozen=True)
class Days:
    days: tuple[str, ...]  # capitalised, in the order said
    quote: str


def agreed(transcript: Transcript) -> list[Days]:
    out: list[Days] = []
    segs = [s for s in transcript.segments if s.text.strip()]
    for i, seg in enumerate(segs):
        # The question is the other speaker's last turn; in a recording without speaker labels, the
        # segment before, or an earlier sentence of this one.
        asked = i > 0 and (segs[i - 1].speaker != seg.speaker or seg.speaker == UNKNOWN) and bool(
            _ASKS_WHEN.search(segs[i - 1].text))
        for sentence in ct.split_sentences(seg.text):
            before = seg.text[:seg.text.find(sentence)]
            asked_here = seg.speaker == UNKNOWN and bool(_ASKS_WHEN.search(before))
            named = [d.capitalize() for d in ct.weekdays_in_order(sentence)]
            plan = is_plan(sentence)
            if (len(named) < 2 or sentence.rstrip().endswith("?") or _APPOINTMENT.search(sentence)
                    or not (asked or asked_here or plan) or (_PAST.search(sentence) and not plan)):
                continue
            # The short answer around it ("Fifteen minutes. Three days. Monday, ...") is the task's detail.
            quote = seg.text.strip() if len(seg.text.strip()) <= _MAX_QUOTE else sentence.strip()
            if len(quote) <= _MAX_QUOTE:
                out.append(Days(tuple(named), quote))
    return out


def told(text: str, d: Days) -> bool:
    """The draft names every one of the days."""
    return {x.lower() for x in d.days} <= ct.weekdays(text)


def kin(note_line: str, d: Days) -> int:
    """How many of the quote's amounts and days a line of the plan shares: the line telling the task
    ("Walk at lunch for 15 minutes, 3 days a week") is where the days belong."""
    said = ct.number_values(d.quote)
    return len(said & ct.number_values(note_line)) + len({x.lower() for x in d.days} & ct.weekdays(note_line))


def line(d: Days) -> str:
    return f'Days agreed: {", ".join(d.days)} (said: "{d.quote}").'
