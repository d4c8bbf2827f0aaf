"""The physical examination, read from what the clinician said while examining.

A clinician examines aloud ("on your heart exam, I do hear a three out of six
systolic ejection murmur ... your lungs are nice and clear"), and those words
are the findings. The 1.5B drafting model wrote this section badly: on eight
ACI-Bench train visits its exams matched the annotators' in ROUGE-1 F 29 (the
findings as said, cleaned, 50), five were the conversation pasted in ("So,
here in the office today, the blood pressure is fine ... I'm just going to do a
quick exam."), and asked to look at the exam lines alone it wrote vital signs
nobody took ("Blood Pressure: 120/80 mmHg"). So the section is read instead:

- the exam starts at the clinician's first sentence that begins one ("let's do
  a quick physical exam", "on exam", "let me take a look at you") and is not a
  test result;
- it ends at the first sentence that turns to test results, the assessment or
  the plan, or at a long clinician turn with nothing of an exam in it;
- each clinician sentence in it that states a finding (heard, seen, felt,
  measured; a denial like "no edema") is kept; questions, instructions to the
  patient, plans and explanations ("that means ...") are not;
- speech becomes a note's words: fillers and the listener go ("you have some
  pain to palpation" -> "Some pain to palpation"), "on your heart exam, I hear"
  becomes "Heart exam:", "I don't appreciate any" becomes "No".

A sentence still spoken to the patient after that ("you said it hurts right
here") is left out rather than rewritten by guess. Nothing is added that was not
said. When no exam is found the reader returns None and the model drafts the
section: a transcript without punctuation (one of the three ACI-Bench sources)
has no sentences to read, and "Not addressed" would be wrong for a visit that
had an exam.
"""

from __future__ import annotations

import re

from soapdesk.core.section_lanes import SENTENCE_BREAK
from soapdesk.core.test_results import TEST
from soapdesk.core.transcript import CLINICIAN, UNKNOWN, Segment, Transcript

_START = re.compile(
    r"\b(?:physical exam(?:ination)?|(?:do|perform|start|continue|move on to)(?: \w+){0,2} exam(?:ination)?|"
    r"exam template|on (?:your |the |my )?(?:\w+ )?exam(?:ination)?|examination of|"
    r"let me (?:take a (?:quick )?look|examine|listen|feel|check (?:it|that|this|you)(?: out)?)|"
    r"take a (?:quick |little )?look at you\b|"
    r"(?:gon na|gonna|going to) (?:examine|listen to your)|looking at you)\b", re.I)
# The exam is over: results, the assessment or the plan begin.
_END = re.compile(
    r"\b(?:assessment|impression|my plan|the plan|diagnos\w*|(?:first|second|third|next|last) problem|"
    r"prescrib\w*|(?:gon na|gonna|going to) (?:put you on|start you|prescribe|refer|order)|refer\w*|"
    r"let's talk about|let's go over|so for your|in terms of your|results?)\b", re.I)
# Words of examining, for a clinician turn that carries the exam on ("what about down here?").
_EXAMINING = re.compile(
    r"\b(?:exam\w*|hear|heard|listen\w*|palpat\w*|press\w*|tender\w*|swell\w*|swollen|range of motion|flexion|"
    r"extension|strength|reflex\w*|pulses?|edema|sensation|bruis\w*|rash|redness|effusion|abdomen|thyroid|"
    r"lymph\w*|push|pull|squeeze|bend|raise|does (?:this|that|it) hurt|regular|rhythm|blood pressure|"
    r"heart rate|temperature|oxygen|vitals?|appreciate\w*|distress|lesion|wound|incision|scar|joint|"
    r"check (?:you|it|that) out|what i find|here|deep breath)\b", re.I)
# A sentence stating something found.
_FINDING = re.compile(
    r"\b(?:hear|heard|appreciate\w*|tender\w*|palpation|swelling|swollen|edema|murmur|clear|regular|rhythm|"
    r"range of motion|flexion|extension|strength|reflexes|pulses?|distress|soft|rash|bruis\w*|ecchymosis|"
    r"effusion|crackles|wheez\w*|rales|rhonchi|thyroid|lymph\w*|bruit|erythema|redness|warm\w*|sensation|"
    r"intact|positive|negative|enlarged|supple|normal|alert|oriented|gait|lesion|wound|incision|scar|healed|"
    r"abrasion|deformity|laceration|guarding|rebound|vital signs|vitals|blood pressure|heart rate|"
    r"temperature|oxygen|pain (?:to|with|on))\b", re.I)
# Not a finding: a question, an instruction, a plan, an explanation or a guess.
_NOT_A_FINDING = re.compile(
    r"\?|\b(?:what about|how about|do you|does (?:this|that|it)|can you|let me|let's|lem me|i'm (?:gon na|gonna|going to|just)|i'll|we'll|we will|we're|gon na|gonna|"
    r"going to|want to|wan na|if you|can you|could|might|maybe|probably|think|means?|meaning|concern\w*|"
    r"worr\w*|because|since|said|told|remember|last time|used to|show me|dragon)\b", re.I)
_FILLER = re.compile(r"(?:\s*,)?\s*\b(?:um+|uh+|you know|i mean|kind of|kinda|sort of|like i said)\b\s*,?", re.I)
_OPENER = re.compile(r"^(?:okay|ok|all right|alright|so|well|and|but|now|yeah|yes|good|great|just|also|then|"
                     r"otherwise|overall|generally|in general|here|today)\b\s*,?\s*", re.I)
_EXAM_LEAD = re.compile(r"^(?:(?:on|in) (?:your |the |my )?(?:general |physical )?(?:physical )?exam(?:ination)?"
                        r"(?: today| here)?\s*,?\s*|looking at you\b\s*,?\s*|looking (?:here )?at (?=your\b)|"
                        r"(?:here )?in the office(?: today)?\s*,?\s*)", re.I)
# "Listening to your lungs, ..." / "feeling your neck, ...": the part examined is the label.
_EXAMINING_PART = re.compile(r"^(?:feeling|listening to|looking at|examining|checking) (?:your |the )?"
                             r"((?:[a-z]+ ){0,2}?[a-z]+)\s*,\s*", re.I)
# "..., which we've heard in the past": the clinician's memory, not a finding of today.
_HEARD_BEFORE = re.compile(r",?\s*(?:which|but|and|that) (?:we|i)(?:'ve| 've| have) (?:heard|seen|noted|had)"
                           r"(?: that| it)?(?: in the past| before)?", re.I)
_BODY_PARTS = (r"(?:lower |upper )?extremities|legs?|feet|ankles?|skin|neck|abdomen|belly|back|spine|heart|lungs|"
               r"chest|knees?|hips?|shoulders?|elbows?|wrists?|hands?|fingers?|eyes|ears|throat|mouth")
_PART_EXAM = re.compile(r"^on (?:your |the )?(?:((?:[a-z]+ ){0,2}?[a-z]+) exam(?:ination)?\s*,?|"
                        rf"((?:right |left )?(?:{_BODY_PARTS}))\s*,)\s*", re.I)
_OBSERVER = re.compile(r"\b(?:i|we) (?:do |can )?(?:hear|appreciate|see|notice|note|feel|felt|find|palpate)\b"
                       r"(?: like| that)?\s*", re.I)
_NOT_OBSERVED = re.compile(r"\b(?:i|we) (?:do n't|don't|do not|did n't|didn't|can't|ca n't|cannot) "
                           r"(?:hear|appreciate|see|notice|feel|find|palpate)(?: any)?\b\s*", re.I)
_LISTENER = [
    (re.compile(r"\byou (?:do n't|don't|do not) (?:have|appear to have|seem to have) any\b", re.I), "no"),
    (re.compile(r"\byou (?:do n't|don't|do not) appear (?:to be )?in any\b", re.I), "in no"),
    (re.compile(r"\byou (?:do n't|don't|do not) appear (?:to be )?", re.I), "does not appear "),
    (re.compile(r"\b(?:you (?:do |also )?have|you ?'ve got|you ?'ve|you ?'re|you are|you appear(?: to be)?)\s*",
                re.I), ""),
    (re.compile(r"\byour\b\s*,?\s*", re.I), ""),
    (re.compile(r"\bwhen i (?:press|push)(?: on it| there| here| on that)?\b", re.I), "to palpation"),
    (re.compile(r"\b(?:right )?here\b", re.I), ""),
]
_SPACED = [(re.compile(r"\s+([,.;:!?])"), r"\1"), (re.compile(r"\b(\w+) n't\b"), r"\1n't"),
           (re.compile(r"\b(\w+) '(re|ve|s|ll|d)\b"), r"\1'\2"), (re.compile(r",\s*(?:,\s*)+"), ", "),
           (re.compile(r"\s{2,}"), " ")]
# Stutters: "which, which", "and- and".
_STUTTER = re.compile(r"\b(\w+)(?:-?,? \1\b)+", re.I)
_MAX_WORDS = 320  # an exam said aloud is a few hundred words; more is the visit running on


def section_text(transcript: Transcript) -> str | None:
    """The findings, one sentence per line, or None when no exam part or no finding in
    it was read (the model drafts the section then: an exam said in one run-on turn
    without stops has no sentence to read, and "Not addressed" would be wrong)."""
    said = exam_sentences(transcript)
    if said is None:
        return None
    lines: list[str] = []
    for sentence in said:
        sentence = _trimmed(sentence)
        finding = note_words(sentence) if _FINDING.search(sentence) and not _NOT_A_FINDING.search(sentence) else ""
        if finding and finding.lower() not in {x.lower() for x in lines}:
            lines.append(finding)
    return "\n".join(lines) or None


def exam_sentences(transcript: Transcript) -> list[str] | None:
    """The clinician's sentences from the start of the exam to its end, or None."""
    turns = _turns(transcript)
    start = next(((i, k) for i, t in enumerate(turns) if _speaks(t)
                  for k, s in enumerate(_sentences(t.text)) if _starts_exam(s)), None)
    if start is None:
        return None
    out: list[str] = []
    words = 0
    for i, turn in enumerate(turns[start[0]:]):
        if not _speaks(turn):
            continue
        sentences = _sentences(turn.text)[start[1] if i == 0 else 0:]
        if i and not _EXAMINING.search(turn.text) and len(turn.text.split()) > 15:
            break
        for k, s in enumerate(sentences):
            if (i or k) and (_END.search(s) or TEST.search(s)):
                return out
            out.append(s)
            words += len(s.split())
        if words > _MAX_WORDS:
            break
    return out


def note_words(sentence: str) -> str:
    """One spoken finding in a note's words, or "" when it stays speech."""
    s = _FILLER.sub(" ", sentence.strip())
    for pattern, repl in _SPACED:
        s = pattern.sub(repl, s)
    s = _strip_openers(s)
    label = ""
    part = _PART_EXAM.match(s)
    if part and part.group(1) and not re.match(r"(?:physical|general|my|this)\b", part.group(1), re.I):
        label, s = part.group(1).lower() + " exam: ", s[part.end():]
    elif part and part.group(2):
        label, s = part.group(2).lower() + ": ", s[part.end():]
    s = _EXAM_LEAD.sub("", _strip_openers(s))
    examined = _EXAMINING_PART.match(s)
    if examined and not label:
        label, s = examined.group(1).lower() + ": ", s[examined.end():]
    s = _STUTTER.sub(r"\1", _HEARD_BEFORE.sub("", s))
    s = _NOT_OBSERVED.sub("no ", s)
    s = _OBSERVER.sub("", s)
    for pattern, repl in _LISTENER:
        s = pattern.sub(repl, s)
    for pattern, repl in _SPACED:
        s = pattern.sub(repl, s)
    s = _strip_openers(s).strip(" ,;:-.")
    if not s or re.search(r"\b(?:i|you|me|my|we|us|our)\b", s, re.I) or len((label + s).split()) < 2:
        return ""
    text = label + s
    return text[0].upper() + text[1:] + "."


# What a spoken finding trails: a tag question ("..., okay?"), the cut of an interruption
# ("... lumbar spine-"), or an explanation for the patient ("..., which is probably from the salt").
_TAG_QUESTION = re.compile(r"[\s,]*\b(?:okay|ok|right|all right|alright)\s*\?\s*$", re.I)
_EXPLAINED = re.compile(r"\s*(?:,|\bso\b|\band\b)\s*(?:which is probably|which means|so what that means|what that means|"
                        r"meaning that|meaning|so you do have|which could be|that could be|"
                        r"which is (?:really |very |pretty )?(?:good|great|reassuring|nice)|that's (?:\w+ )?(?:good|great|"
                        r"phenomenal|reassuring))\b.*$", re.I)


def _trimmed(sentence: str) -> str:
    s = _TAG_QUESTION.sub("", sentence.strip())
    return _EXPLAINED.sub("", s).rstrip(" -,")


def _strip_openers(s: str) -> str:
    previous = None
    while previous != s:
        previous, s = s, _OPENER.sub("", s.strip(" ,.-"))
    return s


def _starts_exam(sentence: str) -> bool:
    return bool(_START.search(sentence)) and not TEST.search(sentence) and not _END.search(sentence)


def _speaks(turn: Segment) -> bool:
    return turn.speaker in (CLINICIAN, UNKNOWN)


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_BREAK.split(text) if s.strip()]


def _turns(transcript: Transcript) -> list[Segment]:
    """Consecutive segments of one speaker as one turn: a long turn is split into segments of a
    few sentences, and an exam runs across them."""
    out: list[Segment] = []
    for seg in transcript.segments:
        if out and out[-1].speaker == seg.speaker:
            out[-1] = Segment(out[-1].id, f"{out[-1].text} {seg.text}", speaker=seg.speaker)
        else:
            out.append(seg)
    return out
