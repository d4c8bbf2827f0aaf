"""A number the session said, used in a draft with another meaning.

The plain number check only asks whether a number occurs anywhere in the
transcript. A rehab session says dozens of numbers, so a small model can write
"pain 10 now and 95 at worst" (10 from "zero to ten", 95 from last week's
flexion) or "walking 3 miles per hour" and every number is "in the
transcript". Two narrower checks catch that:

- a number with a unit (degrees, minutes, sets, reps, percent, inches,
  pounds, miles, feet) must be said with that unit somewhere in the session
  (percent is left to the plain check: saturations and ejection fractions are
  often said without the word);
  "three sets of fifteen" and "three by ten" count as sets and reps;
- a 0-10 rating in the draft ("pain 4/10", "anxiety rating of 7", "6 at
  worst") must be one of the ratings read for that subject (soapdesk.core.
  measures), and can never be above 10;
- an accuracy percentage must be one the clinician read out (or the share
  of a count they read out: "sixteen out of twenty" is 80 %), and in a session
  that read out accuracies a count ("8 out of 10") one the session said: the
  SLP draft turned "sixteen out of twenty, eighty percent" into "8 out of 10";
- an exercise given another sets x reps than the session gave it ("heel
  raises 3 x 15" when they were 2 x 20 and the squats 3 x 15);
- an exercise the clinician took off the program ("you can drop the ankle
  pumps now") listed in the note's program ("Home exercise program changes:
  step-ups, mini squats, ankle pumps.");
- a change said to go one way while its numbers go the other ("pain
  decreased from a 4 to a 6": the PT draft's 4 now and 6 at worst, read as
  a trend the wrong way round); negative numbers are left alone ("extension
  lag decreased from -5 to -3" is told of the lag's size);
- a 0-100 rating of a belief or an emotion (a thought record, SUDS) must be
  one the client gave for that belief or emotion: a CBT draft gave a
  balanced thought rated 60 as "60, but it decreased to 30", and 30 passed
  the plain check because the session said "three-thirty".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from soapdesk.core import billing
from soapdesk.core import clinical_text as ct
from soapdesk.core import measures
from soapdesk.core.transcript import Transcript

_UNITS = [
    (re.compile(r"(?:degrees?\b|°)(?!\s*(?:f\b|c\b|fahrenheit|celsius))", re.I), "degrees"),  # not temperature
    (re.compile(r"(?:minutes?|mins?)\b", re.I), "minutes"),
    (re.compile(r"sets?\b", re.I), "sets"),
    (re.compile(r"(?:reps?|repetitions?)\b", re.I), "reps"),
    (re.compile(r"(?:inch|inches|in\.)(?!\w)", re.I), "inches"),
    (re.compile(r"(?:pounds?|lbs?)\b", re.I), "pounds"),
    (re.compile(r"miles?\b", re.I), "miles"),
    (re.compile(r"(?:feet|foot|ft)\b", re.I), "feet"),
]
# "3 x 10", "three by ten", "3 sets of 10": the first is sets, the second reps
# (not "0.4 by 2.0 by 3.0 centimeters": only whole numbers, no size unit after).
_HALF = re.compile(r"^\s+and a half\b", re.I)  # "3 and a half pounds": digits with a spoken half
_HOURS_AS_MINUTES = [(re.compile(r"\bhalf an hour\b", re.I), 30.0),
                     (re.compile(r"\b(?:an|one) hour and a half\b", re.I), 90.0),
                     (re.compile(r"\b(?:an|one) hour\b(?! and a half)", re.I), 60.0)]


@dataclass(frozen=True)
class SessionMeasures:
    with_units: set[tuple[float, str]]  # (value, unit) said in the session
    ratings: dict[str, set[float]]  # subject -> 0-10 ratings given
    beyond_ten: frozenset[float] = frozenset()  # "an eleven out of ten" really said
    accuracy: frozenset[float] = frozenset()  # accuracy percentages read out (or computed from counts)
    values: frozenset[float] = frozenset()  # every value in with_units, for the plain number check
    hundred: dict[str, set[float]] = field(default_factory=dict)  # belief or emotion -> its 0-100 ratings
    exercises: list[tuple[str, float, float]] = field(default_factory=list)  # (name, sets, reps) said
    dropped: list[str] = field(default_factory=list)  # exercises taken off the program ("drop the ankle pumps")
    counts: frozenset[tuple[float, float]] = frozenset()  # "N out of M" said by anyone ("last week twelve of twenty")
    minutes: dict[str, set[int]] = field(default_factory=dict)  # billing code -> minutes the clinician gave it


def read_session(transcript: Transcript) -> SessionMeasures:
    pairs: set[tuple[float, str]] = set()
    for seg in transcript.segments:
        pairs |= unit_numbers(seg.text) | _carried_units(seg.text)
    for rom in measures.ranges_of_motion(transcript):  # "Extension is minus three. Last week, minus five."
        pairs.add((abs(rom.degrees), "degrees"))
        if rom.prior is not None:
            pairs.add((abs(rom.prior), "degrees"))
    rated: dict[str, set[float]] = {}
    for r in measures.ratings(transcript):
        rated.setdefault(r.subject, set()).add(r.value)
    beyond = set()
    for seg in transcript.segments:
        for n in ct.find_numbers(seg.text):
            if n.value > 10 and _OUT_OF_TEN.match(seg.text[n.end:]):
                beyond.add(n.value)
    accuracy = frozenset(a.percent for a in measures.accuracies(transcript))
    hundred: dict[str, set[float]] = {}
    for h in measures.hundred_ratings(transcript):
        hundred.setdefault(h.subject, set()).add(h.value)
    done = [(e.name, e.sets, e.reps) for e in measures.exercises(transcript)]
    said_counts = frozenset((c, t) for seg in transcript.segments for c, t, _s, _e in measures.counts(seg.text))
    minutes: dict[str, set[int]] = {}
    for seg in transcript.segments:
        if seg.speaker in billing.CLINICIAN_SPEAKERS:
            for code, _timed, _label, n, _words, other in billing.minutes_said(seg.text):
                if other is None:  # minutes for two together are neither's (as in billing)
                    minutes.setdefault(code, set()).add(n)
    return SessionMeasures(pairs, rated, frozenset(beyond), accuracy, frozenset(v for v, _unit in pairs), hundred,
                           done, measures.dropped_exercises(transcript), said_counts, minutes)


_OUT_OF_TEN = re.compile(r"^\s*(?:/\s*10\b|out of (?:10|ten)\b)", re.I)


def unit_numbers(text: str) -> set[tuple[float, str]]:
    out: set[tuple[float, str]] = {(v, "minutes") for rx, v in _HOURS_AS_MINUTES if rx.search(text)}
    for sets, reps, _a, _b in measures.sets_and_reps(text):
        out |= {(sets, "sets"), (reps, "reps")}
    for n in ct.find_numbers(text):
        value, end = abs(n.value), n.end
        half = _HALF.match(text[end:])
        if half and value.is_integer():
            value, end = value + 0.5, end + half.end()
        after = text[end:end + 30]
        for rx, unit in _UNITS:
            m = re.match(r"\s*(?:-\s*)?(?:" + rx.pattern + ")", after, rx.flags)
            if m:
                out.add((value, unit))
                break
    return out


# Measurements whose unit a clinician says once and then leaves off: "Grip on the right is
# twenty-two pounds; your left hand is fifty-eight. Last week the right was eighteen."
_CARRIED = {"pounds", "degrees", "inches", "feet"}


def _carried_units(text: str) -> set[tuple[float, str]]:
    """A bare number in the sentence that gave a measurement with its unit, or in the
    next sentence of the same turn, carries that unit."""
    out: set[tuple[float, str]] = set()
    spans = ct.sentence_spans(text)
    for k, (x, y) in enumerate(spans):
        units = {u for _v, u in unit_numbers(text[x:y]) if u in _CARRIED}
        if len(units) != 1:
            continue  # "45 degrees and 20 pounds": which one a bare number is, is unclear
        unit = units.pop()
        end = spans[k + 1][1] if k + 1 < len(spans) else y
        for n in ct.find_numbers(text[x:end]):
            if not measures.OTHER_WORD_AFTER.match(text[x + n.end:x + n.end + 12]):
                out.add((abs(n.value), unit))
    return out


_RATING_BEFORE = re.compile(r"(?:rat(?:ing|ed|es)|level)\s+(?:of\s+|as\s+|at\s+)?(?:an?\s+)?$", re.I)
_RATING_AFTER = re.compile(r"^\s*(?:/\s*10\b|out of (?:10|ten)\b|(?:now|at (?:its |their )?(?:worst|best))\b)", re.I)
_ACCURACY = re.compile(r"\baccura\w*|\bcorrect\w*|\btrials?\b", re.I)
_SCORE_WORD = re.compile(r"\bscores?\b", re.I)


def check(sentence: str, session: SessionMeasures) -> list[str]:
    """Reasons a note sentence misuses a number the session said (empty: fine)."""
    reasons = []
    for value, unit in sorted(unit_numbers(sentence)):
        if (value, unit) in session.with_units:
            continue
        reasons.append(f"The session never says {ct.fmt_number(value)} {unit}.")
    if session.accuracy and _ACCURACY.search(sentence):
        for n in ct.find_numbers(sentence):
            if measures.PERCENT_AFTER.match(sentence[n.end:]) and n.value not in session.accuracy:
                said = ", ".join(f"{ct.fmt_number(v)}%" for v in sorted(session.accuracy))
                reasons.append(f"The accuracy {ct.fmt_number(n.value)}% was not given in the session "
                               f"(accuracies said: {said}).")
    subject = measures.subject_of(sentence)
    if session.accuracy:
        reasons += _count_reasons(sentence, session, rating=bool(subject))
    if subject and not (_SCORE_WORD.search(sentence) or ct.SCALE_NAME.search(sentence)):  # a questionnaire, not 0-10
        known = session.ratings.get(subject)
        for n in ct.find_numbers(sentence):
            if re.search(r"(?:/|out of)\s*$", sentence[max(0, n.start - 8):n.start], re.I):
                continue  # the scale's "10", not a rating
            if not (_RATING_BEFORE.search(sentence[max(0, n.start - 24):n.start])
                    or _RATING_AFTER.match(sentence[n.end:n.end + 14])):
                continue
            v = abs(n.value)
            if v > 10 and v not in session.beyond_ten:
                reasons.append(f"{ct.fmt_number(v)} is given as a 0-10 {subject} rating.")
            elif known is not None and v not in known:
                said = ", ".join(ct.fmt_number(x) for x in sorted(known))
                reasons.append(f"The {subject} rating {ct.fmt_number(v)} was not given in the session "
                               f"(ratings said: {said}).")
    if session.hundred:
        reasons += _hundred_reasons(sentence, session.hundred)
    if session.exercises:
        reasons += _exercise_reasons(sentence, session.exercises)
    for name in session.dropped:
        if (measures.exercise_key(name).search(sentence) and _PROGRAM.search(sentence)
                and not _TAKEN_OFF.search(sentence)):
            reasons.append(f"The session took {name} off the program; the note lists it as part of it.")
    return reasons + _direction_reasons(sentence) + _minutes_reasons(sentence, session.minutes, session.exercises)


_WENT_DOWN = r"decreas\w*|dropp?\w*|fell|fall(?:s|ing)?|went down|gone down|declin\w*|reduc\w*|lower(?:ed|ing)?"
_WENT_UP = r"increas\w*|rose|risen|ris(?:es|ing)|went up|gone up|climb\w*|rais\w*"
_FROM_TO = re.compile(rf"\b(?:(?P<down>{_WENT_DOWN})|(?P<up>{_WENT_UP}))(?:\s+[\w-]+){{0,2}}?\s+from\s+(?:an?\s+)?"
                      r"(?P<a>-?\d+(?:\.\d+)?)(?:\s*(?:/\s*10|out of 10|%|percent|degrees?|points?))?\s+to\s+"
                      r"(?:an?\s+)?(?P<b>-?\d+(?:\.\d+)?)\b", re.I)


def _direction_reasons(sentence: str) -> list[str]:
    """A change said to go down whose numbers go up, or the reverse."""
    out = []
    for m in _FROM_TO.finditer(sentence):
        a, b = float(m.group("a")), float(m.group("b"))
        if a < 0 or b < 0 or a == b:
            continue  # a negative number is often a lag or deficit, told by its size
        said = (m.group("down") or m.group("up")).lower()
        if (m.group("down") and b > a) or (m.group("up") and b < a):
            out.append(f'The note says "{said}" from {ct.fmt_number(a)} to {ct.fmt_number(b)}, but '
                       f"{ct.fmt_number(b)} is {'higher' if b > a else 'lower'} than {ct.fmt_number(a)}.")
    return out


# "Modalities" is no billing code of its own: the minutes of any modality the clinician gave
# (hot/cold packs, e-stim, traction, paraffin, ultrasound, iontophoresis), or their sum.
_MODALITIES = re.compile(r"\bmodalit(?:y|ies)\s*(?:for|:|-)\s*(?:about\s+)?(?P<n>\d+)\s*(?:minutes?|mins?)\b", re.I)
_MODALITY_CODES = {"97010", "97012", "97014", "97018", "97033", "97035"}
# A billing category as a line's label: "Manual therapy: ...", "Gait training - ...".
_CATEGORY_LABEL = [(re.compile(r"^\W*(?:" + pat + "|" + re.escape(label) + r")\s*[:-]", re.I), label)
                   for pat, _code, _timed, label in billing.REHAB_INTERVENTIONS] + [
    (re.compile(r"^\W*modalit(?:y|ies)\s*[:-]", re.I), "Modalities")]


def _minutes_reasons(sentence: str, stated: dict[str, set[int]], done: list[tuple[str, float, float]]
                     ) -> list[str]:
    """Minutes the note gives an intervention that the clinician did not give it,
    and sets x reps given to a billing category rather than to an exercise."""
    reasons = []
    for code, _timed, label, n, _words, other in billing.minutes_said(sentence):
        if other is not None:
            continue  # "paraffin and soft tissue work: 15 minutes" claims no split
        said = stated.get(code)
        what = label[0].lower() + label[1:]
        if not said:
            reasons.append(f"The session gives no minutes for {what}; the note gives it {n}.")
        elif n not in said:
            given = " or ".join(str(x) for x in sorted(said))
            reasons.append(f"The session gives {what} {given} minutes, not {n}.")
    for m in _MODALITIES.finditer(sentence):
        each = [x for c in _MODALITY_CODES for x in stated.get(c, ())]
        if each and int(m.group("n")) not in {*each, sum(each)}:
            given = " or ".join(str(x) for x in sorted(set(each)))
            reasons.append(f"The session gives the modalities {given} minutes, not {m.group('n')}.")
        elif not each:
            reasons.append(f"The session gives no minutes for modalities; the note gives them {m.group('n')}.")
    named = any(measures.exercise_key(name).search(sentence) for name, _s, _r in done)
    if measures.sets_and_reps(sentence) and not named and not measures.dosages_in(sentence):
        for rx, label in _CATEGORY_LABEL:
            if rx.match(sentence) and label != "Therapeutic exercise":
                reasons.append(f"Sets and reps are given to {label[0].lower() + label[1:]}, but the session "
                               "gave them only to exercises.")
    return reasons


_YEAR_AFTER = re.compile(r"^/\d")  # "3/15/26" is a date


def _count_reasons(sentence: str, session: SessionMeasures, rating: bool) -> list[str]:
    """A count of trials the session never gave ("8 out of 10" for sixteen of twenty).
    Not a 0-10 rating ("pain 4/10"), a strength grade ("4/5") or a date ("3/15/26")."""
    reasons = []
    for c, t, start, end in measures.counts(sentence):
        if (c, t) in session.counts or (t == 10 and rating) or t == 5:
            continue
        written = sentence[start:end]
        if "/" in written and (_YEAR_AFTER.match(sentence[end:]) or not _ACCURACY.search(sentence)):
            continue  # a slash is a count only beside "correct", "accuracy", "trials"
        said = ", ".join(f"{ct.fmt_number(x)} of {ct.fmt_number(y)}" for x, y in sorted(session.counts))
        reasons.append(f"The count {ct.fmt_number(c)} of {ct.fmt_number(t)} was not said in the session"
                       + (f" (counts said: {said})." if said else "."))
    return reasons


# A sentence about the (home) program, and one saying an exercise was taken off it.
_PROGRAM = re.compile(r"\b(?:home|HEP|program|continu\w*|keep\w*|add\w*|progress\w*)\b", re.I)
_TAKEN_OFF = re.compile(r"\b(?:drop\w*|stop\w*|discontinu\w*|no longer|remov\w*|quit|held|hold\w*|off)\b", re.I)


def _exercise_reasons(sentence: str, done: list[tuple[str, float, float]]) -> list[str]:
    """An exercise the session dosed, given another sets x reps: a draft may write "heel raises
    3 x 15" from the squats' 3 x 15, and every number is one the session said as sets and reps."""
    reasons = []
    for name, sets, reps in measures.dosages_in(sentence):
        said = {(s, r) for n, s, r in done if measures.exercise_key(n).search(name)}
        if said and (sets, reps) not in said:
            given = " or ".join(f"{ct.fmt_number(s)} x {ct.fmt_number(r)}" for s, r in sorted(said))
            reasons.append(f"The session gave {name} as {given}, not {ct.fmt_number(sets)} x {ct.fmt_number(reps)}.")
    return reasons


# What may follow a 0-100 rating in a note: "was 60, but ...", "95/100", "from 95 to
# 40 after the exercise". Any other word makes the number a count ("twelve
# comments", "five hours") and not a rating.
_AFTER_RATING = re.compile(r"^(?:\s*(?:[.,;:)]|$)|\s*(?:/\s*100|out of (?:100|a hundred)|percent|%)|"
                           r"\s+(?:to|and|after|before|at|by|when|then|but|which|with|following|later|now|"
                           r"in|on|during|while|once|as)\b)", re.I)
# Another measure between a rated belief or emotion and a number takes the number.
_OTHER_MEASURE = re.compile(r"\b(?:PHQ|GAD|score\w*|pain|hours?|minutes?|days?|weeks?|months?|years?|times?|"
                            r"o'?clock|mg|milligrams?|out of (?:10|ten)\b|/\s*10\b)", re.I)


def _hundred_reasons(sentence: str, hundred: dict[str, set[float]]) -> list[str]:
    """Numbers given as a 0-100 rating of a belief or emotion that the session
    rated, checked against that belief's or emotion's own ratings."""
    mentions: list[tuple[int, str | None]] = []  # (end of the mention, subject; None: some belief)
    for m in measures.BELIEVE.finditer(sentence):
        mentions.append((m.end(), None))
    for m in measures.EMOTION.finditer(sentence):
        name = measures.emotion_name(m.group(1))
        if name in hundred:
            mentions.append((m.end(), name))
    if not mentions:
        return []
    mentions.sort()
    scale = [(m.start(), m.end()) for m in measures.HUNDRED_CUE.finditer(sentence)]
    reasons = []
    for n in ct.find_numbers(sentence):
        v = abs(n.value)
        if not 0 <= v <= 100 or any(a <= n.start < b for a, b in scale):
            continue
        if re.search(r"(?:/|out of)\s*$", sentence[max(0, n.start - 8):n.start], re.I):
            continue  # the scale's "100"
        if not _AFTER_RATING.match(sentence[n.end:]):
            continue
        before = [(end, subj) for end, subj in mentions if end <= n.start]
        if not before:
            continue
        end, subj = before[-1]
        if _OTHER_MEASURE.search(sentence[end:n.start]):
            continue
        if subj is None:  # a belief: the rated thought the note names, else any rated belief
            beliefs = [k for k in hundred if k.startswith("belief")]
            named = _which_belief(sentence[end:n.start], beliefs)
            known, what = (hundred[named] if named else set().union(*(hundred[k] for k in beliefs))), "belief"
        else:
            known, what = hundred[subj], subj
        if not known or v in known:
            continue
        said = ", ".join(ct.fmt_number(x) for x in sorted(known))
        reasons.append(f"The {what} rating {ct.fmt_number(v)} (0-100) was not given in the session "
                       f"(ratings said: {said}).")
    return reasons


def _which_belief(text: str, beliefs: list[str]) -> str:
    """The rated thought a stretch of note text names (most of its words there),
    or "" when it names none of them: then any belief rating will do."""
    have = {ct.norm_stem(s) for s in ct.content_stems(text, keep_boilerplate=True)}
    best, best_share = "", 0.0
    for b in beliefs:
        stems = {ct.norm_stem(s) for s in ct.content_stems(b.split('"', 1)[-1], keep_boilerplate=True)}
        share = len(stems & have) / len(stems) if stems else 0.0
        if share > best_share:
            best, best_share = b, share
    return best if best_share >= 0.5 else ""

