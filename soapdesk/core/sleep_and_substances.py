"""How much the client sleeps and how much they use, in their own words.

Sleep and substance use (caffeine, alcohol, nicotine, cannabis) are standard
domains of a mental-health progress note, and what the clinician follows from
session to session is the amount: "wakes at three, three-thirty", "four and a
half, five hours", "four cups most days and an energy drink every workday".
The small drafting model keeps the topic and drops the amount ("sleep has been
poor", "drinks coffee"). These readers find the client's own sentences that
give an amount in one of these domains; when the draft leaves the amount out,
the sentence is added to the section for the client's account, as a quote
(session_facts). They are not put in the model's request: with them there,
the 1.5B model wrote a GAD session's Data section as a copy of its fact list.

Only the client's sentences are quoted (with unknown speakers, a stretch in
the first person that never says "you", or else its first-person sentences
without "you"): the clinician's summary ("so three or four cups") is a
question, and the client's answer ("Four cups, yeah.") is the fact. A sentence
about what the client could or will do is a plan, not their use, and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core import measures
from soapdesk.core.transcript import CLIENT, UNKNOWN, Transcript

# Domain words. "Energy drink" is caffeine, so "drink" counts for alcohol only without it.
DOMAINS: tuple[tuple[str, re.Pattern], ...] = (
    ("Sleep", re.compile(r"\b(?:sleep\w*|asleep|slept|wak(?:e|es|ing)|woke|awake|bed|bedtime|naps?|napping|"
                         r"insomnia|nightmares?)\b", re.I)),
    ("Caffeine", re.compile(r"\b(?:coffees?|caffeine|espressos?|lattes?|energy drinks?|sodas?|colas?|"
                            r"cups?(?! of (?:water|juice|milk))|tea)\b", re.I)),
    ("Alcohol", re.compile(r"\b(?:alcohol|beers?|wine|vodka|whiske?y|tequila|rum|liquor|shots?|"
                           r"(?<!energy )drinks?|drinking|drank|glass(?:es)? of)\b", re.I)),
    ("Nicotine", re.compile(r"\b(?:cigarettes?|cigs?|smok\w*|vap(?:e|es|ing)|nicotine|packs?|dip|chew)\b", re.I)),
    ("Cannabis", re.compile(r"\b(?:weed|marijuana|cannabis|edibles?|joints?|THC|bong|dab\w*)\b", re.I)),
)

# An amount said without a digit or number word: "Like an hour", "half a pack".
_WORD_AMOUNT = re.compile(r"\b(?:an?|half an?|half a|a couple(?: of)?|a few)\s+(?:hours?|cups?|drinks?|beers?|"
                          r"glass(?:es)?|packs?|bottles?|cans?|shots?|joints?|cigarettes?)\b|"
                          r"\b(?:once|twice)\b", re.I)
# How often, said in the sentence after the amount ("Four cups, yeah. Most days.").
_HOW_OFTEN = re.compile(r"\b(?:most (?:days|nights|mornings)|every\s*\w*|each (?:day|night)|daily|nightly|"
                        r"a (?:day|night|week)|per (?:day|night|week)|weekends?|weeknights?|workdays?)\b", re.I)
# What the client could or will do is a plan, not what they use; so is a recommendation
# (with unknown speakers, "I recommend cutting to two cups" is the clinician's).
_PLANNED = re.compile(r"\b(?:could|would|might|try|trying|will|going to|gonna|plan\w*|should|recommend\w*|"
                      r"suggest\w*|let's|aim)\b|'ll\b", re.I)
_PRONOUN_ONE = re.compile(r"ones?\b(?!\s+(?:hours?|cups?|drinks?|beers?|glass|packs?|bottles?|cans?|shots?))", re.I)
_YOU = re.compile(r"\b(?:you|your|you're|you've)\b", re.I)
_MAX_QUOTE = 200
_PER_DOMAIN = 3


@dataclass(frozen=True)
class Amount:
    domain: str  # "Sleep", "Caffeine", ...
    quote: str  # the client's sentence(s), as said
    values: tuple[float, ...]  # the numbers in it, for checking a draft carries them
    pattern: str = ""  # for sleep, the kind of trouble in a clinician's words ("early-morning awakening")


# The kind of sleep trouble is what a clinician writes and follows ("early-morning awakening"
# is read differently from trouble falling asleep), and the client only describes it: the
# waking time is in the quote, the "can't get back to sleep" often in the next sentence.
_WAKES_AT = re.compile(r"\b(?:wak(?:e|es|ing)|woke)(?: up)?\b[^.?!]{0,25}?\b(?:at|around|by)\b", re.I)
_STAYS_AWAKE = re.compile(r"\b(?:can't|cannot|can not|couldn't|never|don't|doesn't|not able to|unable to)\s+"
                          r"(?:\w+\s+)?(?:get|go|fall|drift)\s+back\s+(?:to\s+)?(?:sleep|asleep)|"
                          r"\bup for the day\b|\b(?:lie|lay|lying|laying) (?:there|awake)\b", re.I)
_SLOW_ONSET = re.compile(r"\b(?:forever|ages|hours?|an hour|a while|a long time|long)\b[^.?!]{0,20}\bto fall asleep\b|"
                         r"\b(?:can't|cannot|couldn't|trouble|hard|difficult\w*|struggl\w*)\b[^.?!]{0,12}"
                         r"\b(?:fall(?:ing)? asleep|get(?:ting)? to sleep)\b", re.I)
_ONSET_FINE = re.compile(r"\bfall asleep (?:fine|ok(?:ay)?|easily|no problem|all right|alright)\b|"
                         r"\bno (?:trouble|problem) (?:falling|getting to) (?:asleep|sleep)\b", re.I)


def sleep_pattern(quote: str, turn: str) -> str:
    """"early-morning awakening, cannot get back to sleep" when the client wakes at 1-5 and says
    they stay awake; "trouble falling asleep"; and whether falling asleep is fine. "" if unsaid."""
    kinds = []
    wakes = _WAKES_AT.search(quote)
    hours = {v for v in ct.number_values(quote[wakes.end():wakes.end() + 40]) if 1 <= v < 6} if wakes else set()
    if hours and _STAYS_AWAKE.search(turn):
        kinds.append("early-morning awakening, cannot get back to sleep")
    if _SLOW_ONSET.search(quote):
        kinds.append("trouble falling asleep")
    elif kinds and _ONSET_FINE.search(quote):
        kinds.append("falls asleep without trouble")
    return "; ".join(kinds)


def _domains_in(text: str) -> list[str]:
    return [name for name, pat in DOMAINS if pat.search(text)]


def _has_amount(sentence: str) -> bool:
    """A number or "an hour"; "one" alone is a pronoun ("the grounding one"), not an amount."""
    return bool(_WORD_AMOUNT.search(sentence)) or any(
        not _PRONOUN_ONE.match(sentence, n.start) for n in ct.find_numbers(sentence))


def last_question(turn: str, *, requests: bool = False) -> str:
    """The question the client answers: the turn's last sentence asking one. "Let's get to the
    caffeine in a bit. How has the week gone with worry?" asks about worry, not caffeine. With
    `requests`, "Tell me what's been going on." asks too, without a "?"."""
    asked = [s for s in ct.split_sentences(turn)
             if s.rstrip().endswith("?") or requests and re.match(r"\s*tell me\b", s, re.I)]
    return asked[-1] if asked else ""


def _asked_about(turn: str) -> list[str]:
    """The domains the clinician's question names; "How many nights a week is that happening?",
    naming no other, asks about sleep."""
    question = last_question(turn)
    return _domains_in(question) or (["Sleep"] if re.search(r"\bnights?\b", question, re.I) else [])


def word_amount(quote: str) -> re.Pattern | None:
    """How a draft may say an amount the client said in words: "an hour" as "an hour", "one
    hour" or "1 hour" ("five hours" is another amount). None when the quote gives a number."""
    m = _WORD_AMOUNT.search(quote)
    if not m or ct.find_numbers(quote):
        return None
    if m.group(0).lower() in ("once", "twice"):
        return re.compile(rf"\b{m.group(0).lower()}\b", re.I)  # "wakes once or twice"
    *count, unit = m.group(0).lower().split()
    count = " ".join(count)
    said = r"(?:an?|one|1)" if count in ("a", "an") else re.escape(count)
    return re.compile(rf"\b{said}\s+{re.escape(unit.rstrip('s'))}", re.I)


def _is_client(seg) -> bool:
    return seg.speaker == CLIENT or seg.speaker == UNKNOWN


def clients_sentence(seg, sentence: str) -> bool:
    """`sentence` of `seg` is the client's own. Unknown speakers: a stretch in the first person
    that never says "you" is the client's ("I fall asleep around midnight and wake up at six.
    Maybe six hours."); else only its first-person sentences without "you" are."""
    if not _is_client(seg):
        return False
    if seg.speaker == CLIENT or (ct.FIRST_PERSON.search(seg.text) and not _YOU.search(seg.text)):
        return True
    return bool(ct.FIRST_PERSON.search(sentence)) and not _YOU.search(sentence)


def is_plan(sentence: str) -> bool:
    """What the client could or will do, or a recommendation: not what happened."""
    return bool(_PLANNED.search(sentence))


def amounts(transcript: Transcript) -> list[Amount]:
    """The client's sentences giving an amount of sleep or of a substance, by domain, in session order."""
    out: list[Amount] = []
    segs = [s for s in transcript.segments if s.text.strip()]
    # A turn giving a 0-10 or 0-100 rating is read by measures ("the coffee... like a seven").
    rated = {r.segment_id for r in measures.ratings(transcript)} | {
        r.segment_id for r in measures.hundred_ratings(transcript)}
    for i, seg in enumerate(segs):
        if not _is_client(seg) or seg.id in rated:
            continue
        # A sentence without a domain word belongs to the one domain the turn has spoken of
        # before it, or the question's: "How's sleep been?" "... So I'm getting maybe four and
        # a half, five hours?". Not one named after it: in "We talked for maybe half an hour.
        # I went home and went to bed." the half hour is not sleep.
        asked = _asked_about(segs[i - 1].text) if i > 0 and not _is_client(segs[i - 1]) else []
        sentences = ct.split_sentences(seg.text)
        for k, sentence in enumerate(sentences):
            if not clients_sentence(seg, sentence):
                continue
            if not _has_amount(sentence) or is_plan(sentence) or len(sentence) > _MAX_QUOTE:
                continue
            named = _domains_in(sentence)
            before = _domains_in(" ".join(sentences[:k])) or asked
            domains = named or (before if len(before) == 1 else [])
            if len(domains) != 1:
                continue  # "Coffee when I wake up": not an amount of sleep
            quote = sentence
            if not named and k > 0 and domains[0] in _domains_in(sentences[k - 1]) and not _has_amount(
                    sentences[k - 1]) and len(sentences[k - 1]) + len(quote) < _MAX_QUOTE:
                quote = sentences[k - 1] + " " + quote  # "Takes me forever to fall asleep. Like an hour."
            for nxt in sentences[k + 1:k + 3]:  # "Most days. And the energy drink, like, every workday."
                if ct.find_numbers(nxt) or not _HOW_OFTEN.search(nxt) or len(quote) + len(nxt) >= _MAX_QUOTE:
                    break
                quote += " " + nxt
            pattern = sleep_pattern(quote, seg.text) if domains[0] == "Sleep" else ""
            out.append(Amount(domains[0], quote, tuple(sorted(ct.number_values(quote))), pattern))
    kept: list[Amount] = []
    for a in out:
        if sum(k.domain == a.domain for k in kept) < _PER_DOMAIN:
            kept.append(a)
    return kept
