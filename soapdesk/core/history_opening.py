"""The history's opening sentence: who the patient is and why they came, with nothing invented.

Drafted, a physician note's history opens "The patient is a 45-year-old female." and stops there.
Two things are wrong with that. The age: in 10 of the 20 ACI-Bench valid visits nobody said an age,
and the model wrote one anyway ("45", "50", "35"). The grounding check flags a number the session
never gave, but such a number does not belong in the draft at all, so it goes and the clinician adds
the age from the chart (7 of the 10; in 2 the number was said about something else, "50", and
stays, unflagged, and one was written another way, "Betty Hill, a 52-year-old"). And the reason
for the visit: clinicians open the history with it ("... is a 43-year-old female who presents today
for evaluation of right knee pain."; "who presents" opens 44 of the 67 ACI-Bench train reference
histories), and the draft already has it, in the chief complaint.

Both rules touch the history's first sentence only, and only when it is the bare introduction
("The patient is a 43-year-old female[ with a past medical history of ...]."): a sentence that
already says more ("who fell down outside", "who presents with") is the model's and is kept. The
reason joined to it is the chief complaint's own words, and only when they are a short phrase
("Right knee pain.", "Follow-up of chronic problems."); a chief complaint that tells a story is
cut to its complaint by the same rules as `chief_complaint`, or not used.
"""

from __future__ import annotations

import re

from soapdesk.core import chief_complaint, evidence
from soapdesk.core.section_lanes import SENTENCE_BREAK

KEY = "history_of_present_illness"
MOST_WORDS = 8

# "The patient is a 43-year-old female", "Logan is a 58-year-old male with a past medical history
# significant for diabetes", "The patient is a female"; nothing after it but a history clause.
_WHO = r"(?P<who>The (?:patient|client)|[A-Z][a-z]+(?: [A-Z][a-z]+)?) is an? "
_INTRO = re.compile(
    _WHO + r"(?:\d+-(?:year|month|week|day)-old )?(?:female|male|woman|man|girl|boy)"
    r"(?: with (?:a )?(?:past )?(?:medical )?history\b[^.!?]*| with [a-z][a-z ,]*)?\.$")
_AGE = re.compile(_WHO + r"(?P<age>\d+)-(?:year|month|week|day)-old (?=[a-z])")
# A following sentence that already gives the reason ("She presents today for follow-up ...").
_GIVES_REASON = re.compile(r"^(?:She|He|They|The patient|[A-Z][a-z]+) (?:presents|is here|comes in|is seen)\b")
# Reasons that are visits, not complaints: "presents for follow-up of ...", not "for evaluation of".
_VISIT = re.compile(r"^(?:follow[\s-]?up|annual|routine|yearly|physical|check[\s-]?up|consultation|"
                    r"new patient|pre-?op|post-?op|re-?evaluation|evaluation|recheck)\b", re.I)
# Chief complaints that are not a reason to join: "Feeling well.", "None.", a pronoun's sentence.
_NOT_A_REASON = re.compile(r"^(?:\w+ing\b|none\b|not\b|no\b|n/a\b|unknown\b|she\b|he\b|they\b|the patient\b)",
                           re.I)


def reason_for_visit(chief: str) -> str | None:
    """The chief complaint as a short phrase to follow "presents for", or None."""
    text = " ".join(chief.split())
    if not text:
        return None
    first = SENTENCE_BREAK.split(text)[0].rstrip(".!? ")
    parts = chief_complaint.complaint_and_story(first)
    if parts:
        first = parts[0]
    elif first != text.rstrip(".!? "):
        return None  # several sentences without a lead-in: a story, not a complaint
    phrase = first.strip(" ,;:")
    if not phrase or len(phrase.split()) > MOST_WORDS or _NOT_A_REASON.match(phrase) or re.search(r"[,;:()]", phrase):
        return None  # a list or an aside is a story too
    word = phrase.split()[0]
    return phrase[0].lower() + phrase[1:] if word[1:].islower() or len(word) == 1 else phrase  # not "IgA", "COPD"


def _article(words: str) -> str:
    """ "an elderly", "a female"."""
    return "an" if words[:1].lower() in "aeiou" else "a"


def open_history(sections: list, transcript) -> bool:
    """Rewrite the history's opening sentence in place; True when it changed."""
    hpi = next((s for s in sections if s.key == KEY), None)
    if hpi is None or not hpi.text.strip():
        return False
    body = hpi.text.lstrip()
    first = SENTENCE_BREAK.split(body, maxsplit=1)[0].split("\n")[0]
    opening = first
    age = _AGE.match(first)
    # The evidence index's numbers: built once per transcript and reused by the review after drafting.
    if age and float(age.group("age")) not in evidence.build_index(transcript).numbers:
        rest = first[age.end():]
        opening = f"{age.group('who')} is {_article(rest)} {rest}"
    chief = next((s.text for s in sections if s.key == chief_complaint.KEY), "")
    reason = reason_for_visit(chief) if _INTRO.match(opening) else None
    rest = body[len(first):]  # the break after the first sentence, and what follows it
    if reason and not _GIVES_REASON.match(rest.lstrip()):
        joiner = "for" if _VISIT.match(reason) else "for evaluation of"
        opening = f"{opening[:-1]} who presents today {joiner} {reason}."
    if opening == first:
        return False
    hpi.text = opening + rest
    return True
