"""When the client is seen next, as the session set it, and whether a note agrees.

A small model fills a plan's "Next appointment" with whatever time it has
seen: a CBT draft wrote "scheduled for Monday at 9 AM" where the session said
"Same time next Monday?" and "nine" was the client's weekend wake-up time.
Every word of that sentence is said somewhere, so the number and date checks
pass it. Here the next visit is read where it is arranged (the clinician's
"see you Thursday", "same time next Monday?", "come back in two weeks", and
the other person's reply), and a note's next-visit sentence is held to it:

- a clock time must be said where the visit is arranged;
- a weekday must be one said there, when the session names one there;
- an interval ("follow up in 2 weeks") must be said in the session as such an
  interval ("in a couple of weeks", "fourteen days"; four weeks is a month).

Intervals are accepted from anywhere in the transcript: a physician's "three
weeks I'd like you to bring your log" sets the follow-up without any of the
words that usually do, and a false alarm on the plan costs the clinician more
than a missed one on an interval said elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import Transcript

# A note sentence about the next visit.
NOTE_CUE = re.compile(
    r"\b(?:next (?:appointment|session|visit|meeting)|follow(?:s|ed|ing)?[- ]?up|return(?:s|ing)? (?:to (?:the )?"
    r"(?:clinic|office) )?in|see (?:him|her|them|the (?:client|patient)|you) (?:back|again)|come back|"
    r"re-?check(?:ed)? in|re-?evaluat\w* in|reassess\w* in|scheduled for)\b", re.I)
# Where a session arranges the next visit.
_ARRANGED = re.compile(
    r"\b(?:see you|next (?:session|appointment|visit|time|week|month|" + "|".join(ct.WEEKDAYS) + r")|"
    r"same time|come (?:back|in)|(?:see|have) you (?:back|again)|follow[- ]?up|follow up|schedul\w*|appointment|"
    r"book (?:an?|the|your|you)|return (?:visit|in))\b", re.I)
_NAMED = re.compile(r"\b(?:same time|see you|next (?:session|appointment|visit))\b", re.I)
_AMOUNT = (r"\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"(?:a )?couple(?: of)?|(?:a )?few|several")
_INTERVAL = re.compile(rf"\b({_AMOUNT})(?:\s*(?:-|to|or)\s*({_AMOUNT}))?[\s-]+(day|week|month|year)s?\b"
                       r"(?![\s-]*old)", re.I)  # "a 40-year-old" is an age
_NEXT_UNIT = re.compile(r"\bnext (week|month|year)\b|\b(?:in a|every) (week|month|year)\b", re.I)
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_VAGUE = {"couple": {2.0}, "few": {2.0, 3.0, 4.0}, "several": {3.0, 4.0, 5.0, 6.0}}
# "at 9 AM", "9:30 pm", "ten o'clock", "at 3:00"
_CLOCK = re.compile(
    r"\b(\d{1,2})(?::(\d{2}))?\s*[ap](?:\.m\.|m\b|\.m\b)|"
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) o'?clock\b|"
    r"\bat (\d{1,2}):(\d{2})\b", re.I)


@dataclass(frozen=True)
class Arranged:
    """The next visit as the session arranged it."""
    quotes: tuple[str, ...]  # the sentences that arrange it (the replies count for the values only)
    weekdays: frozenset[str]
    numbers: frozenset[float]  # every number said where the visit is arranged (clock times among them)
    intervals: frozenset[float]  # intervals said anywhere in the session, in days
    lengths: frozenset[float] = frozenset()  # those and lengths said loosely ("twenty plus years"), in days

    @property
    def quote(self) -> str:
        """The sentence to show: the last that names a day or "same time" (visits are
        arranged at the end of a session), else the last one."""
        named = [q for q in self.quotes if ct.weekdays(q) or _NAMED.search(q)]
        return (named or list(self.quotes) or [""])[-1]


def _amounts(word: str) -> set[float]:
    w = word.lower().removeprefix("a ").removesuffix(" of").strip()
    if w in ("a", "an"):
        return {1.0}
    if w in _VAGUE:
        return _VAGUE[w]
    return ct.number_values(w)


def _intervals(text: str):
    """(the words, {amount: its length in days}) for each interval the text says:
    "2-3 weeks" gives {2: 14, 3: 21}; "a few days" {2: 2, 3: 3, 4: 4}."""
    for m in _INTERVAL.finditer(text):
        unit = _DAYS[m.group(3).lower()]
        yield m.group(0), {v: v * unit for g in (m.group(1), m.group(2)) if g for v in _amounts(g)}


def intervals_in(text: str) -> set[float]:
    """Each interval the text says, in days: "two weeks" 14, "a couple of months" 60."""
    out: set[float] = set()
    for _words, days in _intervals(text):
        out |= set(days.values())
    for m in _NEXT_UNIT.finditer(text):
        out.add(float(_DAYS[(m.group(1) or m.group(2)).lower()]))
    return out


def arranged(transcript: Transcript) -> Arranged:
    quotes: list[str] = []
    replies: list[str] = []
    segs = transcript.segments
    for i, seg in enumerate(segs):
        said = [s for s in ct.split_sentences(seg.text) if _ARRANGED.search(s)]
        if not said:
            continue
        quotes.extend(said)
        if i + 1 < len(segs) and segs[i + 1].speaker != seg.speaker:
            replies.append(segs[i + 1].text)  # "Thursday. Yes." / "Can we do four instead?"
    text = " ".join(quotes + replies)
    said = intervals_in(transcript.text)
    return Arranged(tuple(quotes), frozenset(ct.weekdays(text)), frozenset(ct.number_values(text)),
                    frozenset(said), frozenset(said | _loose_lengths(transcript.text)))


# Words that make the number before a unit a rate or a count of something else: "two,
# three times a week" is how often, not how long.
_NOT_LENGTH = {"a", "an", "per", "every", "each", "times", "time", "the", "last", "next", "this"}


def _loose_lengths(text: str) -> set[float]:
    """Lengths of time as people say them, in days: up to three words before the unit that hold
    a number ("at least twenty plus years", "four or so years ago", "for over fifteen years")."""
    out: set[float] = set()
    for m in re.finditer(r"\b(day|week|month|year)s?\b", text, re.I):
        words = re.findall(r"[\w.]+", text[max(0, m.start() - 30):m.start()])[-3:]
        cut = max((i for i, w in enumerate(words) if w.lower() in _NOT_LENGTH), default=-1)
        out |= {v * _DAYS[m.group(1).lower()] for v in ct.number_values(" ".join(words[cut + 1:])) if v > 0}
    return out


def _clock_hours(sentence: str) -> list[tuple[str, float]]:
    out = []
    for m in _CLOCK.finditer(sentence):
        if m.group(1):
            h, mins = float(m.group(1)), float(m.group(2) or 0)
        elif m.group(3):
            h, mins = min(ct.number_values(m.group(3)) or {0.0}), 0.0
        else:
            h, mins = float(m.group(4)), float(m.group(5))
        out.append((m.group(0), h + mins / 60))
    return out


def _close(days: float, said: frozenset[float]) -> bool:
    # Four weeks is a month, twelve months a year; six weeks is not a month.
    return any(abs(days - s) <= 0.1 * max(days, s) for s in said)


def said_intervals(sentence: str, visit: Arranged) -> set[float]:
    """The sentence's numbers that count an interval the session said in other words:
    "2 weeks" for "a couple of weeks" anywhere, and, for the next visit only, "4 weeks" for
    "a month" ("4 weeks ago" is not "a month ago": a number the session never said)."""
    out: set[float] = set()
    converted = bool(NOTE_CUE.search(sentence))
    for _words, days in _intervals(sentence):
        out |= {v for v, d in days.items() if d in visit.intervals or converted and _close(d, visit.intervals)}
    return out


def check(sentence: str, visit: Arranged) -> list[str]:
    """Plain reasons a note's next-visit sentence disagrees with what was arranged."""
    if not NOTE_CUE.search(sentence):
        return []
    reasons = []
    where = f' ("{_short(visit.quote)}")' if visit.quote else ""
    for written, hour in _clock_hours(sentence):
        if hour not in visit.numbers:
            reasons.append(f"The note gives the next visit at {written}, but no such time was set for it in "
                           f"the session{where}.")
    if visit.weekdays:
        for day in sorted(ct.weekdays(sentence) - visit.weekdays):
            said = ", ".join(d.capitalize() for d in sorted(visit.weekdays))
            reasons.append(f"The note gives the next visit on {day.capitalize()}, but the session set it "
                           f"for {said}{where}.")
    for words, days in _intervals(sentence):
        if days and not any(_close(d, visit.intervals) for d in days.values()):
            reasons.append(f"The note sets the next visit {words} out, but the session never says {words}.")
    return reasons


_ROUGH = re.compile(r"(?:an?|(?:a )?couple|(?:a )?few|several)\b", re.I)


def unsaid_lengths(sentence: str, visit: Arranged) -> list[str]:
    """Plain reasons for each length of time the sentence gives with a number ("for the past 2
    weeks", "3 months ago") that the session never gives in any words. The number alone may have
    been said for something else: "two, three times a week" is not "for two weeks"."""
    return [f"The note says {words}, but the session never gives that length of time."
            for words, days in _intervals(sentence)
            if days and not _ROUGH.match(words) and not any(_close(d, visit.lengths) for d in days.values())]


def _short(text: str, n: int = 70) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[: n - 1] + "…"
