"""A dose change the prescriber has talked about but not made, as the client tells it.

In a therapy session the client reports their prescriber's plans: "my doctor
brought up maybe going up to a hundred, but she said let's wait and see how
the next month goes. So it's still fifty for now." The note must carry both
halves: the dose has not changed, and a change is being considered (the
therapist watches for it next month, and a covering clinician must not read
the drug as already increased). The small drafting model keeps one half
("no changes planned") or turns the other into a change that was never made.
This reader finds, in the turns that name a current drug and the replies to
them, a sentence that speaks of raising, lowering or switching it together
with words that say it has not happened ("maybe", "thinking about", "wait and
see", "for now"). When the draft never speaks of that change next to the
drug, session_facts adds the client's words to the plan.

A change said as done ("she increased it to a hundred last month") is not
read here: the grounding checks compare the note's dose with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct

_UP = r"go(?:ing)? up|bump\w* (?:it |me )?up|increas\w*|rais\w*|higher dose|up the dose|double\w*"
_DOWN = r"go(?:ing)? down|decreas\w*|lower\w*|reduc\w*|cut\w* (?:it |the dose )?(?:back|down)|taper\w*"
_SWITCH = r"switch\w*|chang\w* (?:me |it )?(?:to|over)"
_CHANGE = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<switch>{_SWITCH}))\b", re.I)
# Said as not done: a possibility, a plan held back, or the dose said to be the same.
_NOT_MADE = re.compile(r"\b(?:maybe|might|possibly|thinking about|think about|consider\w*|brought up|bring up|"
                       r"talk(?:ed|ing)? about|wait and see|wait(?:ing)? (?:on|until|to see)|"
                       r"hold(?:ing)? off|for now|not yet|hasn't|haven't|didn't|if)\b", re.I)
# Said as done ("she increased it last month"): the checks compare the note's dose with it instead.
_DONE = re.compile(r"\b(?:increased|raised|lowered|decreased|reduced|switched|doubled|tapered|went (?:up|down)|"
                   r"bumped)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|never|hasn't|haven't|didn't|won't)\b|n't\b", re.I)
# Decided in this visit ("so we'll increase it from 20 to 40"): a plan made, for the note's plan.
_DECIDED = re.compile(rf"\b(?:we'll|we will|i'll|i will|(?:i'm|we're|i am|we are) going to|gonna)\s+(?:\w+\s+){{0,2}}?"
                      rf"(?:{_UP}|{_DOWN}|{_SWITCH})\b", re.I)
_PERHAPS = re.compile(r"\b(?:maybe|might|possibly|perhaps)\b", re.I)
_MAX_QUOTE = 240
_MAX_WORDS = 45  # a longer "sentence" is a run-on turn with no stops, where nothing near the drug can be told apart


@dataclass(frozen=True)
class Considered:
    generic: str  # "sertraline"
    direction: str  # "increase" | "decrease" | "switch"
    quote: str  # the sentence(s) it was said in


def considered(generic: str, turns) -> Considered | None:
    """The change of `generic` talked about and not made, read in `turns`: (segment, the other
    speaker's next turn or None) for each turn naming the drug."""
    for seg, reply in turns:
        for text in [seg.text] + ([reply.text] if reply else []):
            sentences = ct.split_sentences(text)
            for i, sentence in enumerate(sentences):
                m = _CHANGE.search(sentence)
                if not m or sentence.rstrip().endswith("?") or len(sentence.split()) > _MAX_WORDS or (
                        _DONE.search(sentence) and not _NEGATED.search(sentence)) or (
                        _DECIDED.search(sentence) and not _PERHAPS.search(sentence)):
                    continue
                rest = sentences[i + 1:i + 3]
                if not (_NOT_MADE.search(sentence) or any(_NOT_MADE.search(x) for x in rest)):
                    continue
                quote = sentence.strip()
                for x in rest:
                    if len(quote) + len(x) >= _MAX_QUOTE:
                        break
                    quote += " " + x.strip()
                if len(quote) > _MAX_QUOTE:
                    continue
                direction = "increase" if m.group("up") else "decrease" if m.group("down") else "switch"
                return Considered(generic, direction, quote)
    return None


_SPOKEN_OF = {"increase": re.compile(rf"\b(?:{_UP}|titrat\w*)\b", re.I),
              "decrease": re.compile(rf"\b(?:{_DOWN}|titrat\w*)\b", re.I),
              "switch": re.compile(rf"\b(?:{_SWITCH}|alternative)\b", re.I)}


def _names(text: str, generic: str) -> bool:
    """`text` names the drug, by its generic or a brand name."""
    return any(g == generic for _w, g, _a, _b in ct.find_medications(text, guess=False))


def told(text: str, c: Considered) -> bool:
    """A draft sentence naming the drug, or the next one, speaks of that change."""
    sentences = ct.split_sentences(text)
    return any(_names(sentence, c.generic) and any(_SPOKEN_OF[c.direction].search(x) for x in sentences[i:i + 2])
               for i, sentence in enumerate(sentences))


def kin(note_line: str, c: Considered) -> int:
    """A plan line naming the drug: the added line belongs right after it."""
    return int(_names(note_line, c.generic))


def line(c: Considered) -> str:
    name = c.generic[0].upper() + c.generic[1:]
    what = {"increase": "an increase", "decrease": "a decrease", "switch": "a switch"}[c.direction]
    kept = "unchanged" if c.direction == "switch" else "dose unchanged"
    return f'{name}: {kept}; {what} was discussed, not made ("{c.quote}").'
