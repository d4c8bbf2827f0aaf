"""Activity restrictions the clinician sets in a rehab visit, as said in session.

After surgery or an injury a rehab daily note must carry the precautions in
force ("no cutting, pivoting, or jumping, and no jogging either, for now",
"no lifting over ten pounds", "toe-touch weight bearing"): a covering
therapist progresses the patient by them, and they are part of why the care
is skilled. The therapist says them in answer to a question ("When can I get
back to basketball?") and the small drafting model drops them as talk. This
reader finds the clinician's sentences that forbid or limit an activity for
now (in a recording with no speaker labels, such sentences not in the first
person), with the next sentence when it gives the reason ("With a hamstring
graft, we're still protecting it."); when the draft names fewer than half of
the restricted activities, session_facts adds the quote to the Assessment,
where the rehab templates ask for "limitations and precautions".

Only restrictions on physical activities are read: "no swelling" is a
finding, "don't let the knee drift in" is a cue, and "at three months you can
start jogging" is a later plan, not a restriction in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import CLINICIAN, UNKNOWN, Transcript

# Activities a rehab clinician restricts, as gerunds and as verbs ("no jogging", "don't lift").
_ACTIVITY_WORDS = (r"run(?:s|ning)?|jog(?:s|ging)?|sprint(?:s|ing)?|jump(?:s|ing)?|hop(?:s|ping)?|cut(?:s|ting)?|"
                   r"pivot(?:s|ing)?|twist(?:s|ing)?|lift(?:s|ing)?|bend(?:s|ing)?|kneel(?:s|ing)?|squat(?:s|ting)?|"
                   r"crouch(?:es|ing)?|climb(?:s|ing)?|driv(?:e|es|ing)|swim(?:s|ming)?|cycl(?:e|es|ing)|"
                   r"bik(?:e|es|ing)|"
                   r"throw(?:s|ing)?|push(?:es|ing)?|pull(?:s|ing)?|carry(?:ing)?|reach(?:es|ing)?|crawl(?:s|ing)?|"
                   r"lung(?:e|es|ing)|skat(?:e|es|ing)|ski(?:s|ing)?|danc(?:e|es|ing)|golf(?:ing)?|tennis|"
                   r"sit(?:s|ting)?|stand(?:s|ing)?|walk(?:s|ing)?")
_ACTIVITY = re.compile(rf"\b(?:{_ACTIVITY_WORDS}|weight[- ]bearing|(?:contact |impact )?sports?|impact|"
                       r"basketball|soccer|football|volleyball|baseball|softball|hockey|rugby|lacrosse|"
                       r"overhead|heavy)\b", re.I)
# The restriction itself: a sentence opening with "no <activity>", or a ban or a limit before one.
_OPENS_NO = re.compile(rf"^\W*(?:(?:and|but|so|still|also|okay|ok|now|remember),?\s+)*no\s+(?:\w+\s+)?"
                       rf"(?:{_ACTIVITY_WORDS}|weight[- ]bearing|heavy|impact|sports?)\b", re.I)
# "Don't" and "can't" only as told to the patient ("Don't run yet.", "you can't drive"): "he cannot walk
# properly" is a finding.
_BANNED = re.compile(r"(?:\b(?:avoid|hold off (?:on)?|stay off|stay away from|refrain from)|"
                     r"(?:^\W*|\byou\s+|\bplease\s+)(?:do not|don't|can't|cannot)|\b(?:shouldn't|"
                     r"should not|not allowed to|not cleared (?:to|for)|not ready (?:to|for)|"
                     r"nothing heavier than|no more than|not more than|keep (?:it|the \w+) (?:in|on)))"
                     r"(?:\s+\w+){0,3}?\s+(?:" + _ACTIVITY_WORDS + r"|weight|sports?|impact)\b"
                     r"|\b(?:non|partial|toe[- ]touch|touch[- ]down|feather)[- ]weight[- ]bearing\b", re.I)
# "At twelve weeks you can start jogging" / "you'll be cleared to run": a later plan, not in force.
_LATER = re.compile(r"\b(?:will|going to|gonna|can start|you can(?!'t|not)|you'll be|once|after (?:that|the))\b|'ll\b",
                    re.I)
# The reason given for the restriction, said right after it.
_REASON = re.compile(r"\b(?:protect\w*|heal\w*|graft|tendon|ligament|repair\w*|re-?injur\w*|tear|fragile|"
                     r"stress on|surgeon|precaution\w*)\b", re.I)
# A draft sentence that restricts: the precaution is in the note when these name the activities.
_RESTRICTING = re.compile(r"\b(?:no|not|avoid\w*|restrict\w*|precaution\w*|hold\w* off|refrain\w*|until|yet)\b|n't\b",
                          re.I)
_MAX_QUOTE = 260


@dataclass(frozen=True)
class Restriction:
    quote: str  # the clinician's sentence(s), as said
    activities: tuple[str, ...]  # the activities it restricts, lower case ("cutting", "jogging")


def _restricts(sentence: str) -> bool:
    s = sentence.strip()
    if not s or s.endswith("?") or _LATER.search(s):
        return False
    return bool(_OPENS_NO.search(s) or _BANNED.search(s))


def restrictions(transcript: Transcript) -> list[Restriction]:
    """The clinician's activity restrictions, in session order, each once."""
    out: list[Restriction] = []
    seen: set[str] = set()
    for seg in transcript.segments:
        if seg.speaker not in (CLINICIAN, UNKNOWN):
            continue
        sentences = ct.split_sentences(seg.text)
        for i, sentence in enumerate(sentences):
            # With no speaker labels (a recording), the patient's own "I don't run anymore" is not one.
            if not _restricts(sentence) or (seg.speaker == UNKNOWN and ct.FIRST_PERSON.search(sentence)):
                continue
            activities = tuple(dict.fromkeys(m.group(0).lower() for m in _ACTIVITY.finditer(sentence)))
            quote = sentence.strip()
            nxt = sentences[i + 1].strip() if i + 1 < len(sentences) else ""
            if nxt and _REASON.search(nxt) and not _restricts(nxt) and len(quote) + len(nxt) < _MAX_QUOTE:
                quote += " " + nxt
            if activities and quote not in seen and len(quote) <= _MAX_QUOTE:
                seen.add(quote)
                out.append(Restriction(quote, activities))
    return out


def _stem(word: str) -> str:
    return ct.norm_stem(word.split()[-1])


def told(text: str, r: Restriction) -> bool:
    """The draft names at least half of the restricted activities in sentences that restrict
    ("No jogging or jumping." / "avoid pivoting"): then the precaution is in the note."""
    wanted = {_stem(a) for a in r.activities}
    found: set[str] = set()
    for sentence in ct.split_sentences(text):
        if _RESTRICTING.search(sentence):
            found |= {_stem(w) for w in re.findall(r"[A-Za-z][\w-]*", sentence)} & wanted
    return len(found) * 2 >= len(wanted)


def line(r: Restriction) -> str:
    return f'Precautions given in session: "{r.quote}"'
