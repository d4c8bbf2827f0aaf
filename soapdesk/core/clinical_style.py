"""The model's text in the register a clinical note is written in.

A small model copies the visit's spoken words into the note: "twenty milligrams once a day", "three
out of six", "forty-five percent". Notes write numbers as digits and doses in their units ("20 mg
daily"): the 67 ACI-Bench train reference notes hold 879 numbers in digits and 4 spelled out from
"two" to "fifty", and none says "milligrams". Physician and rehab notes also call the patient "she"
or "he" after the opening sentence; the model writes "The patient ..." sentence after sentence. The
pronoun is used only when the clinician's own words in the session give it (an honorific, "a
58-year-old male"); a first name is not evidence of anyone's gender, so otherwise the note keeps
"the patient".

Nothing here adds or removes a fact: numbers keep their value as the grounding checks read it
(`clinical_text.find_numbers`), and a quotation is never touched.
"""

from __future__ import annotations

import re

from soapdesk.core import clinical_text as ct
from soapdesk.core.section_lanes import SENTENCE_BREAK

# Words after which a lone "one" is a count ("one tablet", "one week"); elsewhere it is a pronoun or
# an idiom ("no one", "the left one", "one of the").
_COUNTED = re.compile(
    r"\s*(?:-\s*)?(?:mg|milligrams?|mcg|micrograms?|tablets?|pills?|capsules?|puffs?|drinks?|cups?|glass(?:es)?|"
    r"doses?|units?|days?|weeks?|months?|years?|hours?|minutes?|cm|centimeters?|inch(?:es)?|pounds?|degrees?|"
    r"percent|sets?|reps?|episodes?|servings?|packs?|(?:to|or)\s+(?:\d|" + "|".join(ct.NUMBER_WORDS) + r"))\b",
    re.I)
# Numbers joined into one reading: a blood pressure, a range, a ratio. If one side stays in words
# ("one twenty over eighty", two numbers in one run), the other side does too.
_JOINED = re.compile(r"^\s*(?:over|to|-|/|out of)\s*$", re.I)
_BESIDE_DIGITS_BEFORE = re.compile(r"\d[ \t]*$")
_BESIDE_DIGITS_AFTER = re.compile(r"[ \t]*\d")
_QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def written_numbers(text: str) -> str:
    """Spoken cardinal numbers as digits: "twenty milligrams" -> "20 milligrams", "forty-five-year-old"
    -> "45-year-old", "four and a half" -> "4.5". Left in words: a run that reads as two numbers
    ("one twenty", "three-thirty", "twenty twenty"), anything joined to such a run ("one twenty over
    eighty"), a lone "one" that is not a count, and quotations."""
    runs = ct.spoken_number_runs(text)
    if not runs:
        return text
    quoted = _quoted_spans(text)
    keep = [len(r.numbers) != 1 or not _outside_span(r.start, quoted) for r in runs]
    for i, run in enumerate(runs):
        n = run.numbers[0] if len(run.numbers) == 1 else None
        if n is not None and n.text.lower() == "one" and not _COUNTED.match(text, run.end):
            keep[i] = True
        # beside a number already in digits ("17 five weeks ago"): two digits side by side would read as
        # one list of numbers, so the word stays
        if _BESIDE_DIGITS_BEFORE.search(text, 0, run.start) or _BESIDE_DIGITS_AFTER.match(text, run.end):
            keep[i] = True
    # a reading joined across runs ("one twenty over eighty") stays in one form: a chain of runs joined
    # by over/to/-/out of is kept whole when any run in it is kept
    first = 0
    for i in range(1, len(runs) + 1):
        if i == len(runs) or not _JOINED.match(text[runs[i - 1].end:runs[i].start]):
            if any(keep[first:i]):
                keep[first:i] = [True] * (i - first)
            first = i
    out, pos = [], 0
    for run, kept in zip(runs, keep):
        if kept:
            continue
        n = run.numbers[0]
        out.append(text[pos:n.start])
        out.append(ct.fmt_number(n.value))
        pos = n.end
    out.append(text[pos:])
    return "".join(out)


_UNIT_WORDS = [
    (re.compile(r"(?<=\d)\s*(?:milligrams?|mgs)\b", re.I), " mg"),
    (re.compile(r"(?<=\d)\s*micrograms?\b", re.I), " mcg"),
    (re.compile(r"(?<=\d)\s*percent\b", re.I), "%"),
    # "20 mg once a day" -> "20 mg daily"; "twice a day" stays as said
    (re.compile(r"\bonce (?:a|per) day\b", re.I), "daily"),
    # a score, a murmur's grade, a blood pressure: "7/10", "3/6", "120/80"
    (re.compile(r"(?<![\d/.])(\d+(?:\.\d+)?) out of (\d+)\b(?![/.]\d)", re.I), r"\1/\2"),
    (re.compile(r"(?<![\d/.])(\d{2,3}) over (\d{2,3})\b(?![/.]\d)", re.I), r"\1/\2"),
]


def units(text: str) -> str:
    for rx, rep in _UNIT_WORDS:
        text = _outside_quotes(rx, lambda m: m.expand(rep), text)
    return text


# -- the patient's pronoun -------------------------------------------------------

# "Mrs. Hill", and "mrs . hill" as some transcribers space it. "Mr" and "Ms" only with their period
# ("an MR arthrogram", "a history of MS"), and "miss" only after a greeting ("hey, miss Miller"; not
# "I might miss one now").
_HONORIFIC = re.compile(
    r"(?:\b(mrs)\b\s*\.?|\b(mr|ms)\s*\.|\b(?:hi|hey|hello|morning|afternoon|evening|thanks|thank you)\s*,?\s*"
    r"(miss))\s+[a-z]", re.I)
# "a 58-year-old male", "a 59 year old hiv positive gentleman"
_AGE_SEX = re.compile(r"\byear[\s-]+old\s+(?:[a-z]+\s+){0,3}?(female|woman|lady|male|man|gentleman)\b", re.I)
# the clinician dictating: "she's a 43-year-old patient", "he is a 59 year old ..."
_AGE_PRONOUN = re.compile(r"\b(she|he)(?:'s|\s+'s|\s+is)\s+(?:a|an)\s+[\w-]+[\s-]+year[\s-]+old\b", re.I)
_FEMALE = {"mrs", "ms", "miss", "female", "woman", "lady"}


def patient_pronoun(transcript_text: str) -> str | None:
    """"she" or "he" when every honorific, every "N-year-old woman/man" and every "she's a N-year-old"
    in the session agree, else None. Someone else named in the room ("Mr. Jones will take your blood")
    makes the cues disagree, and the note then keeps "the patient"."""
    cues = {(m.group(1) or m.group(2) or m.group(3)).lower() for m in _HONORIFIC.finditer(transcript_text)}
    cues |= {m.group(1).lower() for m in _AGE_SEX.finditer(transcript_text)}
    cues |= {"female" if m.group(1).lower() == "she" else "male" for m in _AGE_PRONOUN.finditer(transcript_text)}
    if not cues:
        return None
    female = {c in _FEMALE for c in cues}
    if len(female) != 1:
        return None
    return "she" if female.pop() else "he"


_POSSESSIVE = {"she": "her", "he": "his"}
_THE_PATIENTS = re.compile(r"\b([Tt])he patient's\b")
# "The patient" opening a sentence; the sentence that introduces the patient ("The patient is a
# 58-year-old male ...") keeps it.
_OPENING = re.compile(r"(^|(?<=[.!?]\s)|(?<=\n))(?:- )?The patient\b(?![^.\n]*\byear[\s-]+old\b)")


# "they" and "their" for the patient, after the patient was named in the same sentence: "The patient
# reported that they had ..." -> "that she had", "their nausea" -> "her nausea". A sentence naming
# anyone else ("the patient and her husband ... their house") keeps its words, and "they" is changed
# only as the subject of what the patient said ("reports that they"), never for things ("two moles;
# they are itchy"), and only when the verb after it reads the same for one person ("had") or has a
# known singular ("have" -> "has"); any other verb needs a parse and the sentence is left alone. In the
# 56 kept ACI drafts all 113 "their" so changed were the patient's ("their leg", "their blood sugar").
_SINGULAR = {"have": "has", "are": "is", "were": "was", "do": "does", "don't": "doesn't", "haven't": "hasn't",
             "aren't": "isn't", "weren't": "wasn't", "'re": "'s", "'ve": "'s"}
_SAME = {"had", "was", "will", "would", "can", "could", "should", "did", "didn't", "may", "might", "must",
         "also", "still", "not", "'ll", "'d", "wasn't", "won't", "can't", "couldn't", "wouldn't"}
_NAMED = re.compile(r"\b(?:[Tt]he patient|[Ss]he|[Hh]e)\b")
_OTHERS = re.compile(
    r"\b(?:husband|wife|partner|spouse|boyfriend|girlfriend|son|daughter|mother|father|mom|dad|parents?|family|"
    r"kids?|child(?:ren)?|baby|friends?|sisters?|brothers?|siblings?|grand\w+|people|others|everyone|"
    r"coworkers?|colleagues?|boss|team|doctors?|nurses?|staff|they all|both)\b", re.I)
_SAID_THEY = re.compile(
    r"\b(?:reports?|reported|states?|stated|says|said|denies|denied|notes?|noted|feels?|felt|believes?|"
    r"thinks?|thought|mentions?|mentioned|admits?|admitted|explains?|explained|describes?|described|"
    r"indicates?|indicated|endorses?|endorsed)\s+(?:that\s+)?(they)\b(\s*(?:'\w+|[\w']+))")
_THEIR = re.compile(r"\btheir\b")
_THEY_LEFT = re.compile(r"\b(?:they|them|themselves)\b", re.I)


def _they_in_sentence(sentence: str, pronoun: str, quoted: list[tuple[int, int]], offset: int) -> str:
    named = _NAMED.search(sentence)
    if not named or _OTHERS.search(sentence):
        return sentence
    head, tail, base = sentence[:named.end()], sentence[named.end():], offset + named.end()

    def said(m: re.Match) -> str:
        verb = m.group(2).strip().lower()
        if not _outside_span(base + m.start(1), quoted):
            return m.group(0)
        if verb in _SINGULAR:
            after = m.group(2).replace(m.group(2).strip(), _SINGULAR[verb])
        elif verb in _SAME or (verb.endswith("ed") and len(verb) > 3):
            after = m.group(2)
        else:
            return m.group(0)
        cut = m.start(1) - m.start()
        return m.group(0)[:cut] + pronoun + after

    tail = _SAID_THEY.sub(said, tail)
    if _THEY_LEFT.search(tail):
        return sentence  # "after they complete their physical": one "they" left, so every word stays
    tail = _THEIR.sub(lambda m: _POSSESSIVE[pronoun] if _outside_span(base + m.start(), quoted) else m.group(0),
                      tail)
    return head + tail


def _outside_quotes(rx: re.Pattern, rep, text: str) -> str:
    """`rx.sub` for matches that do not start inside a quotation."""
    quoted = _quoted_spans(text)
    return rx.sub(lambda m: rep(m) if _outside_span(m.start(), quoted) else m.group(0), text)


def refer_to_patient(text: str, pronoun: str) -> str:
    """"The patient reports ..." -> "She reports ...", "the patient's" -> "her", and "they"/"their" for
    the patient where that is certain (above), outside quotations. Mid-sentence "the patient" stays:
    whether it is "she" or "her" needs a parse."""
    quoted = _quoted_spans(text)
    text = "".join(_they_in_sentence(text[a:b], pronoun, quoted, a) for a, b in _sentence_pieces(text))
    poss = _POSSESSIVE[pronoun]
    text = _outside_quotes(_THE_PATIENTS, lambda m: poss.capitalize() if m.group(1) == "T" else poss, text)
    return _outside_quotes(_OPENING, lambda m: m.group(0).replace("The patient", pronoun.capitalize()), text)


def _outside_span(pos: int, spans: list[tuple[int, int]]) -> bool:
    return not any(a <= pos < b for a, b in spans)


_PIECE_END = re.compile(SENTENCE_BREAK.pattern + r"|\n")


def _sentence_pieces(text: str) -> list[tuple[int, int]]:
    """The text cut after every sentence break and line break, nothing dropped (joined back unchanged)."""
    cuts = [m.end() for m in _PIECE_END.finditer(text)]
    bounds = [0] + cuts + [len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def restyle(text: str, *, pronoun: str | None = None) -> str:
    """The section's text with digits, units and (for a note about "the patient" with a known pronoun) the
    patient's pronoun."""
    text = units(written_numbers(text))
    return refer_to_patient(text, pronoun) if pronoun else text
