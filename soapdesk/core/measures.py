"""Numeric measures said aloud in a session, read by rules: 0-10 ratings and range of motion.

Rehab notes live on these numbers (pain now and at worst, degrees of flexion
against last visit's), and therapy notes use the same 0-10 ratings for
anxiety or urges before and after a skill. The 1.5B drafting model drops them
or, worse, writes plausible ones that were never said. What is read here goes
into the rule-checked fact sheet (session_facts), so the model is handed the
numbers and a draft that leaves them out gets them added with the rest.

The readers are deliberately narrow: a rating needs a 0-10 cue ("zero to ten",
"out of ten", "on a scale") in the question or the answer; a 0-100 rating
(belief in a thought, strength of an emotion, as on a CBT thought record or
an exposure hierarchy) needs a 0-100 cue in the clinician's question that
opens the exercise and a thought quoted or an emotion named in each question; a range-of-motion
value needs a motion name (flexion, extension, abduction...) in the sentence
that gives the number; an accuracy needs an accuracy word ("accuracy",
"correct", "trials") next to a percentage or an "N out of M". A number they
are unsure of is left out, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import CLINICIAN, Transcript

_SCALE_CUE = re.compile(
    r"\b(?:(?:zero|0|one|1)\s*(?:to|-|through)\s*(?:ten|10)|out of (?:ten|10)|/10|on a scale\b)", re.I)
_SUBJECT = re.compile(
    r"\b(pain|anxiety|anxious|mood|stress|depression|craving|cravings|urges?|energy|fatigue|distress|worry|"
    r"panic|anger|irritability|confidence|motivation|nausea|dizziness|stiffness)\b", re.I)
_SUBJECT_NAME = {"anxious": "anxiety", "cravings": "craving", "urges": "urge"}
_CONTEXT = [
    (re.compile(r"\bworst\b|\bat (?:its|the) (?:highest|peak)\b", re.I), "at worst"),
    (re.compile(r"\bbest\b|\blowest\b", re.I), "at best"),
    (re.compile(r"\baverage\b|\busually\b|\bmost days\b", re.I), "on average"),
    (re.compile(r"\b(?:right now|now|today|currently|at the moment|this morning)\b", re.I), "now"),
]
_FOLLOW_UP = re.compile(r"\b(?:worst|best|lowest|highest|average|now|usually|and at)\b", re.I)
_NOT_A_RATING = re.compile(r"^\s*(?:minutes?|mins?|hours?|days?|weeks?|months?|years?|times?|o'?clock|mg|"
                           r"milligrams?|percent|%|degrees?|sets?|reps?)\b", re.I)
# A rating question is answered within the next two turns or not at all.
_ANSWER_WINDOW = 2

_MOTIONS = (r"flexion|extension|abduction|adduction|internal rotation|external rotation|dorsiflexion|"
            r"plantar ?flexion|pronation|supination|radial deviation|ulnar deviation|rotation")
_MOTION = re.compile(rf"\b({_MOTIONS})\b", re.I)
# A reading, not an exercise: "105 degrees of flexion", "Extension is minus three".
_READING = re.compile(rf"\bdegrees?\b|\b(?:{_MOTIONS})\s+(?:is|was|measures?|measured)\b", re.I)
_EXERCISE = re.compile(r"\b(?:sets?|reps?|repetitions?|times|seconds?|minutes?|band|weights?|pounds?)\b", re.I)
_PRIOR = re.compile(r"\b(?:last (?:week|visit|time|session)|previously|at (?:the )?(?:evaluation|eval|"
                    r"initial visit|intake))\b", re.I)


@dataclass(frozen=True)
class Rating:
    subject: str  # "pain", "anxiety"...
    value: float
    context: str  # "now", "at worst"... or "" when the question did not say
    quote: str
    segment_id: int


@dataclass(frozen=True)
class HundredRating:
    subject: str  # 'belief in the thought "I'm going to get fired"', "embarrassment"
    value: float
    quote: str
    segment_id: int


@dataclass(frozen=True)
class Accuracy:
    percent: float  # as said, or computed from "16 out of 20"
    correct: float | None  # 16, when said as a count
    trials: float | None  # 20
    quote: str
    segment_id: int


@dataclass(frozen=True)
class RangeOfMotion:
    motion: str  # "flexion", "extension"...
    degrees: float
    prior: float | None
    prior_cue: str  # how the earlier value was introduced: "last week", "at the evaluation"
    quote: str
    segment_id: int
    joint: str = ""  # "left knee", "wrist"; "" when the session does not make it plain


def ratings(transcript: Transcript) -> list[Rating]:
    """0-10 ratings in the order they were given."""
    segs = [s for s in transcript.segments if s.text.strip()]
    out: list[Rating] = []
    last_subject, last_at = "", -99
    for i, seg in enumerate(segs):
        for x, y in ct.sentence_spans(seg.text):
            sent = seg.text[x:y]
            subject = subject_of(sent)
            cued = bool(_SCALE_CUE.search(sent))
            if seg.speaker == CLINICIAN and sent.rstrip().endswith("?"):
                # A question: "What's your pain right now, zero to ten?" or, right after one,
                # "And at its worst this week?"
                follow_up = not cued and i - last_at <= 2 and _FOLLOW_UP.search(sent) and not subject
                if not (cued or follow_up):
                    continue
                subject = subject or last_subject
                if not subject:
                    continue
                answer = _answer(segs, i)
                if answer is None:
                    continue
                value, quote, seg_id = answer
                out.append(Rating(subject, value, _context_of(sent), quote, seg_id))
                out += [Rating(subject, v, "at worst", q, seg_id) for v, q in _peaks_after(segs, seg_id, quote)]
                last_subject, last_at = subject, i
            elif cued and subject and seg.speaker != CLINICIAN:
                # The client volunteers it: "my pain is about an eight out of ten".
                value = _rating_in(sent)
                if value is not None:
                    out.append(Rating(subject, value, _context_of(sent), sent.strip(), seg.id))
                    last_subject, last_at = subject, i
    return out


def subject_of(sentence: str) -> str:
    """The rated subject a sentence is about ("pain", "anxiety"...), or ""."""
    m = _SUBJECT.search(sentence)
    return _SUBJECT_NAME.get(m.group(1).lower(), m.group(1).lower()) if m else ""


def _answer(segs, i: int, read=None, window: int = _ANSWER_WINDOW):
    """(value, sentence, segment id) of the client's reply to the question at
    `i`: the first sentence `read` (default: a 0-10 rating) gets a value from."""
    read = read or _rating_in
    for seg in segs[i + 1:i + 1 + window]:
        if seg.speaker == CLINICIAN:
            return None
        for x, y in ct.sentence_spans(seg.text):
            value = read(seg.text[x:y])
            if value is not None:
                return value, seg.text[x:y].strip(), seg.id
    return None


# "About a two. It got up to a five last night": the worst of it, said with the answer.
_PEAK = re.compile(r"\b(?:(?:got|gets|went|goes|was|climbed|shot)\s+(?:up\s+)?to|peaked at|as high as)"
                   r"\s+(?:about\s+|like\s+)?(?:an?\s+)?$", re.I)


def _peaks_after(segs, seg_id: int, answer: str) -> list[tuple[float, str]]:
    """Ratings the client gives as a peak in the rest of the turn that answered."""
    seg = next(s for s in segs if s.id == seg_id)
    text = seg.text
    start = text.find(answer) + len(answer)
    peaks = []
    for x, y in ct.sentence_spans(text[start:]):
        sent = text[start + x:start + y]
        for n in ct.find_numbers(sent):
            if (_PEAK.search(sent[:n.start]) and 0 <= n.value <= 10
                    and not _NOT_A_RATING.match(sent[n.end:]) and not re.match(r"\s*(?:feet|miles|pounds)", sent[n.end:])):
                peaks.append((n.value, sent.strip()))
    return peaks


def _rating_in(sentence: str) -> float | None:
    for n in ct.find_numbers(sentence):
        if _NOT_A_RATING.match(sentence[n.end:]):
            continue
        if 0 <= n.value <= 10 and not re.match(r"\s*(?:to|-|through)\s*(?:ten|10)\b", sentence[n.end:], re.I):
            return n.value
        return None  # the first number is the answer; a later one is something else
    return None


def _context_of(sentence: str) -> str:
    for rx, name in _CONTEXT:
        if rx.search(sentence):
            return name
    return ""


def ranges_of_motion(transcript: Transcript) -> list[RangeOfMotion]:
    """Degrees the clinician read out, each with last visit's value when said next to it
    and the joint when the session makes it plain (`_joint_of`)."""
    out: list[RangeOfMotion] = []
    for seg in transcript.segments:
        if seg.speaker not in (CLINICIAN, "unknown"):
            continue
        spans = ct.sentence_spans(seg.text)
        for k, (x, y) in enumerate(spans):
            sent = seg.text[x:y]
            motion = _MOTION.search(sent)
            if not motion or not _READING.search(sent) or _EXERCISE.search(sent):
                continue
            name = motion.group(1).lower()
            nums = [n for n in ct.find_numbers(sent) if not _NOT_A_RATING.match(sent[n.end:]) or
                    re.match(r"\s*degrees?\b", sent[n.end:], re.I)]
            joint = _joint_of(transcript, seg, y, name, out[-1] if out else None)
            both = _now_and_before(sent, nums)  # both readings in one sentence
            if both:
                out.append(RangeOfMotion(name, *both, sent.strip(), seg.id, joint))
                continue
            if _PRIOR.search(sent):
                continue
            if len(nums) != 1 or not (-90 <= nums[0].value <= 200):
                continue
            prior, cue = None, ""
            for x2, y2 in spans[k + 1:k + 4]:
                nxt = seg.text[x2:y2]
                if _MOTION.search(nxt) and _MOTION.search(nxt).group(1).lower() != name:
                    break
                said_before = _PRIOR.search(nxt)
                if said_before:
                    vals = [n.value for n in ct.find_numbers(nxt) if -90 <= n.value <= 200]
                    if len(vals) == 1:
                        prior, cue = vals[0], said_before.group(0).lower()
                    break
            out.append(RangeOfMotion(name, nums[0].value, prior, cue, sent.strip(), seg.id, joint))
    return out


_JOINTS = r"knee|hip|ankle|shoulder|elbow|wrist|neck|thumb|big toe|jaw|forearm"
_JOINT = re.compile(rf"\b({_JOINTS})s?\b", re.I)
_SIDED = re.compile(rf"\b(left|right)\s+(?:\w+\s+)?({_JOINTS})\b|\b({_JOINTS})\s+on the (left|right)\b", re.I)
# A turn that moves to measuring the other side ("Let's measure the other knee."); "to match the
# other side" is a goal, not a move.
_OTHER_SIDE = re.compile(rf"\b(?:measur\w*|check\w*|compar\w*|test\w*|look at|now|on)\s+(?:the|your)\s+"
                         rf"(?:other|opposite|good|uninvolved|non-?surgical)\s+(?:side|leg|arm|{_JOINTS})\b", re.I)
_FOREARM = {"pronation", "supination"}
# How far back (in segments) an earlier reading's joint still holds for "now bend it".
_SAME_JOINT_WITHIN = 3


def _joint_of(transcript: Transcript, seg, end: int, motion: str, last: RangeOfMotion | None) -> str:
    """The joint a reading is of, with its side: "Left knee flexion" is the finding, "Flexion"
    alone leaves the reader to guess which joint. The joint is the one named in the reading's
    turn up to the reading, else the one of the reading just before ("Now bend it -- ... 105
    degrees of flexion" after the knee's extension). The side is the one said with that joint
    in the turn, else the only side the whole session gives it; none when both sides are named
    there or the turn moves to the other side ("Let's measure the other knee.")."""
    said = seg.text[:end]
    named = _JOINT.findall(said)
    if named:
        joint = named[-1].lower()
    elif last is not None and last.joint and seg.id - last.segment_id <= _SAME_JOINT_WITHIN and not any(
            _JOINT.search(s.text) for s in transcript.segments if last.segment_id < s.id < seg.id):
        joint = last.joint.split()[-1]
    else:
        return ""
    if (motion in _FOREARM) != (joint == "forearm"):
        return ""  # pronation and supination are the forearm's, whatever joint was named before
    sides_here = {_side(m) for m in _SIDED.finditer(said) if _joint_in(m) == joint}
    if len(sides_here) == 1:
        return f"{sides_here.pop()} {joint}"
    if sides_here or _OTHER_SIDE.search(said):
        return joint
    sides = {_side(m) for s in transcript.segments for m in _SIDED.finditer(s.text) if _joint_in(m) == joint}
    return f"{sides.pop()} {joint}" if len(sides) == 1 else joint


def _side(m: re.Match) -> str:
    return (m.group(1) or m.group(4)).lower()


def _joint_in(m: re.Match) -> str:
    return (m.group(2) or m.group(3)).lower()


_CHANGE = re.compile(r"\b(?:up|down|improved|increased|decreased|better|worse) from\b", re.I)
# "went from forty to fifty" is a change; "from zero to ninety degrees" is the arc of one reading.
_WENT_FROM = re.compile(r"\b(?:went|gone|improved|increased|progressed|got|moved|come|came)\s+(?:up\s+)?from\s*$", re.I)
_NOW = re.compile(r"\b(?:today|now|this (?:week|visit|session))\b", re.I)


def _now_and_before(sent: str, nums: list) -> tuple[float, float, str] | None:
    """(degrees now, degrees before, how the earlier one was said) from one sentence:
    "Extension is forty-five degrees today, last week it was thirty-five", "Flexion is
    fifty, up from forty", "Flexion went from forty to fifty"; None when unclear."""
    if len(nums) != 2 or not all(-90 <= n.value <= 200 for n in nums):
        return None
    first, second = nums
    between, before = sent[first.end:second.start], sent[:first.start]
    cue = _PRIOR.search(between) or _CHANGE.search(between)
    if cue and not _NOW.search(between[cue.end():]):
        return first.value, second.value, cue.group(0).strip().lower()
    if _WENT_FROM.search(before) and re.match(r"^\s*(?:degrees?\s+)?to\b", between, re.I):
        return second.value, first.value, "previously"
    earlier = _PRIOR.search(before)
    if earlier and _NOW.search(between):
        return second.value, first.value, earlier.group(0).lower()
    return None


def rating_lines(transcript: Transcript) -> list[tuple[str, str, list[float]]]:
    """One line per rated subject, e.g. ("Pain rating (0-10): 4 now; 6 at worst.", "pain", [4, 6])."""
    by_subject: dict[str, list[Rating]] = {}
    for r in ratings(transcript):
        by_subject.setdefault(r.subject, []).append(r)
    lines = []
    for subject, rs in by_subject.items():
        parts = []
        for n, r in enumerate(rs):
            value = ct.fmt_number(r.value)
            skill = _skill_between(transcript, rs[n - 1].segment_id, r.segment_id) if n > 0 else ""
            if skill:
                parts.append(f"{value} after {skill}")
            elif r.context and not (r.context == "now" and n > 0 and rs[n - 1].context == "now"):
                parts.append(f"{value} {r.context}")
            elif n > 0:
                parts.append(f"later {value}")
            else:
                parts.append(value)
        lines.append((f"{subject[0].upper()}{subject[1:]} rating (0-10): {'; '.join(parts)}.", subject,
                      [r.value for r in rs]))
    return lines


# A 0-100 rating exercise is opened by a question with the scale in it; the
# questions after it ("And the embarrassment?", "How much do you believe that?")
# drop the cue, so the exercise runs on while ratings keep coming.
HUNDRED_CUE = re.compile(r"\b(?:zero|0)\s*(?:to|-|through)\s*(?:a\s+|one\s+)?(?:hundred|100)\b|"
                         r"\bout of (?:a\s+|one\s+)?(?:hundred|100)\b|\bwhat percent(?:age)?\b|\bSUDS\b", re.I)
_HUNDRED_GAP = 8  # clinician turns without a rating (a thought record weighs evidence in between)
BELIEVE = re.compile(r"\bbeli(?:eve|ef)\w*", re.I)
EMOTION = re.compile(r"\b(embarrass\w*|shame|ashamed|guilt\w*|sadness|sad|anxiety|anxious|fear|scared|anger|"
                     r"angry|frustrat\w*|hopeless\w*|distress|lonel\w*|panic|dread)\b", re.I)
_EMOTION_NAME = {"ashamed": "shame", "sad": "sadness", "anxious": "anxiety", "scared": "fear", "angry": "anger",
                 "embarrass": "embarrassment", "guilt": "guilt", "frustrat": "frustration",
                 "hopeless": "hopelessness", "lonel": "loneliness"}


def emotion_name(word: str) -> str:
    """One name per emotion, however it was said ("embarrassed" -> "embarrassment")."""
    word = word.lower()
    return _EMOTION_NAME.get(word) or next((v for k, v in _EMOTION_NAME.items() if word.startswith(k)), word)


_THOUGHT = re.compile(r'"([^"]{3,200})"|\u201c([^\u201d]{3,200})\u201d')


def hundred_ratings(transcript: Transcript) -> list[HundredRating]:
    """0-100 ratings of a belief or an emotion, in the order given."""
    segs = [s for s in transcript.segments if s.text.strip()]
    out: list[HundredRating] = []
    open_at = -99  # index of the last clinician turn that opened or continued the exercise
    turns_since = 0
    for i, seg in enumerate(segs):
        if seg.speaker != CLINICIAN:
            continue
        turns_since += 1
        if HUNDRED_CUE.search(seg.text):
            open_at, turns_since = i, 0
        elif open_at < 0 or turns_since > _HUNDRED_GAP:
            continue
        answer = _answer(segs, i, _hundred_in, window=1)
        if answer is None:
            continue
        value, quote, seg_id = answer
        thought = _thought_in(seg.text) or (_thought_in(segs[i - 1].text) if i and segs[i - 1].speaker != CLINICIAN
                                            else "")
        emotion = EMOTION.search(seg.text)
        if BELIEVE.search(seg.text) or (thought and not emotion):
            thought = thought or next((r.subject for r in reversed(out) if r.subject.startswith("belief")), "")
            if not thought:
                continue
            subject = thought if thought.startswith("belief") else f'belief in the thought "{thought}"'
        elif emotion:
            subject = emotion_name(emotion.group(1))
        else:
            continue
        out.append(HundredRating(subject, value, quote, seg_id))
        turns_since = 0
    return out


def _thought_in(text: str) -> str:
    m = _THOUGHT.search(text)
    return (m.group(1) or m.group(2)).strip().rstrip(".,!?;: ") if m else ""


def _hundred_in(sentence: str) -> float | None:
    """A 0-100 rating as the sentence's first number ("Ninety-five.", "Like 80 percent")."""
    for n in ct.find_numbers(sentence):
        if 0 <= n.value <= 100 and not _NOT_A_RATING.match(re.sub(r"^\s*(?:percent|%)", "", sentence[n.end:])):
            return n.value
        return None
    return None


def hundred_lines(transcript: Transcript) -> list[tuple[str, str, list[float]]]:
    """One line per belief or emotion, e.g. ('Belief in the thought "I'm going to get
    fired" (0-100): 95; later 40.', "belie", [95, 40])."""
    by_subject: dict[str, list[HundredRating]] = {}
    for r in hundred_ratings(transcript):
        by_subject.setdefault(_thought_key(r.subject), []).append(r)
    lines = []
    for rs in by_subject.values():
        subject = rs[0].subject
        values = "; later ".join(ct.fmt_number(r.value) for r in rs)
        name = "belie" if subject.startswith("belief") else subject
        lines.append((f"{subject[0].upper()}{subject[1:]} (0-100): {values}.", name, [r.value for r in rs]))
    return lines


def _thought_key(subject: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", subject.lower()).strip()


# The skill practised between two ratings of the same thing is what the change
# is about: "Let's do the paced breathing." -> "7 now; 4 after paced breathing".
_SKILL = re.compile(r"\blet'?s (?:do|try|practi[cs]e|use) (?:the |some |a |an |that |this |our )?"
                    r"(?P<skill>[a-z0-9][a-z0-9-]*(?: [a-z0-9-]+){0,3}?)\s*(?=[.,;!?]|\b(?:together|now|again|for|"
                    r"with|right|first)\b|$)", re.I)
_NOT_A_SKILL = re.compile(r"^(?:it|that|this|one|more|again|here|now|something|another|a few|some)\b", re.I)


def _skill_between(transcript: Transcript, after_id: int, before_id: int) -> str:
    """The one skill the clinician led between two ratings, or "" if none or several."""
    skills = []
    for seg in transcript.segments:
        if seg.speaker == CLINICIAN and after_id < seg.id < before_id:
            skills += [m.group("skill").lower() for m in _SKILL.finditer(seg.text)
                       if not _NOT_A_SKILL.match(m.group("skill"))]
    return skills[0] if len(set(skills)) == 1 else ""


def range_of_motion_lines(transcript: Transcript) -> list[tuple[str, str, list[float]]]:
    """One line per reading, e.g. ("Left knee flexion: 105 degrees (last week 95).", "flexion", [105])."""
    lines = []
    for rom in ranges_of_motion(transcript):
        before = f" ({rom.prior_cue} {ct.fmt_number(rom.prior)})" if rom.prior is not None else ""
        what = f"{rom.joint} {rom.motion}" if rom.joint else rom.motion
        lines.append((f"{what[0].upper()}{what[1:]}: {ct.fmt_number(rom.degrees)} degrees{before}.",
                      rom.motion, [rom.degrees]))
    return lines


_ACCURACY_WORD = re.compile(r"\b(?:accura\w*|correct\w*|trials?|opportunities|productions?|independent\w*|"
                            r"with (?:an? )?(?:minimal|moderate|maximal|min|mod|max|verbal|visual|phonemic|semantic|"
                            r"tactile)?\s*cues?)\b", re.I)
_OUT_OF = re.compile(r"^\s*(?:out of|of|/)\s*$", re.I)
PERCENT_AFTER = re.compile(r"^\s*(?:percent|per cent|%)", re.I)
_STRENGTH = re.compile(r"\bstrength\b|\bout of five\b|/\s*5\b", re.I)  # "5 out of 5 strength" is not accuracy


def counts(text: str) -> list[tuple[float, float, int, int]]:
    """(count, total, start, end) for each "sixteen out of twenty" / "7 of 10" /
    "16/20" in the text: a part of a whole, the count no bigger than the total."""
    nums = ct.find_numbers(text)
    return [(n.value, m.value, n.start, m.end) for n, m in zip(nums, nums[1:])
            if _OUT_OF.match(text[n.end:m.start]) and 0 <= n.value <= m.value <= 500]


def _shares_said(sent: str) -> list[tuple[float, float, float]]:
    """The counts said with their own percentage ("sixteen out of twenty on naming,
    eighty percent"): an accuracy reading without the word, since the two agree."""
    percents = [n.value for n in ct.find_numbers(sent) if PERCENT_AFTER.match(sent[n.end:])]
    shares = []
    for c, t, _s, _e in counts(sent):
        said = next((p for p in percents if t and abs(100 * c / t - p) <= 1), None)
        if said is not None:
            shares.append((c, t, said))
    return shares


def _reading_at(sent: str, start: int, end: int) -> bool:
    """An accuracy word near the number and no strength grade: transcripts without
    full stops make long "sentences", so the words must be close."""
    near = sent[max(0, start - 40):end + 40]
    return bool(_ACCURACY_WORD.search(near)) and not _STRENGTH.search(near)


def accuracies(transcript: Transcript) -> list[Accuracy]:
    """Accuracy data the clinician read out (SLP and OT trials): "sixteen out of
    twenty, that's eighty percent accuracy". A count and the percentage said in
    the same sentence are one reading."""
    out: list[Accuracy] = []
    for seg in transcript.segments:
        if seg.speaker not in (CLINICIAN, "unknown"):
            continue
        for x, y in ct.sentence_spans(seg.text):
            sent = seg.text[x:y]
            if _ACCURACY_WORD.search(sent):
                percents = [n.value for n in ct.find_numbers(sent) if PERCENT_AFTER.match(sent[n.end:])
                            and 0 <= n.value <= 100 and _reading_at(sent, n.start, n.end)]
                pairs = [(c, t) for c, t, s, e in counts(sent) if t and _reading_at(sent, s, e)]
            else:
                shares = _shares_said(sent)
                pairs, percents = [(c, t) for c, t, _p in shares], [p for _c, _t, p in shares]
            for c, t in pairs:
                share = 100 * c / t
                said = next((p for p in percents if abs(p - share) <= 1), None)  # "16 of 20, 80 percent"
                if said is not None:
                    percents.remove(said)
                out.append(Accuracy(said if said is not None else round(share), c, t, sent.strip(), seg.id))
            for pct in percents:  # said on its own, or another reading ("last week, sixty percent")
                out.append(Accuracy(pct, None, None, sent.strip(), seg.id))
    return out


def accuracy_lines(transcript: Transcript) -> list[tuple[str, str, list[float]]]:
    """One line per reading, with the clinician's sentence: the target it was on lives there."""
    lines = []
    for a in accuracies(transcript):
        count = f" ({ct.fmt_number(a.correct)} of {ct.fmt_number(a.trials)})" if a.correct is not None else ""
        quote = a.quote if len(a.quote) <= 140 else a.quote[:140].rsplit(" ", 1)[0] + "..."
        lines.append((f'Accuracy {ct.fmt_number(a.percent)} percent{count} (said: "{quote}").', "",
                      [a.percent]))
    return lines


# -- grip and pinch strength (dynamometer, pinch gauge) --------------------------

_STRENGTH_KIND = re.compile(r"\b((?:lateral |key |tip |tripod |palmar |three[- ]jaw )?pinch|grip)\b", re.I)
_SIDE = re.compile(r"\b(right|left)\b", re.I)
_POUNDS = re.compile(r"^\s*(?:-\s*)?(?:pounds?|lbs?)\b", re.I)
# A word after a bare number other than a preposition makes it something else: "58 percent",
# "three times", "18 months"; "fifty-eight on the left" is still the measure.
OTHER_WORD_AFTER = re.compile(r"^\s*(?:-\s*)?(?!(?:on|in|at|with|and|but|or|today|now|last|this|so|which)\b)"
                              r"[a-z%/]", re.I)
_CLAUSES = re.compile(r"[^;,.!?]+")


@dataclass(frozen=True)
class Strength:
    kind: str  # "grip", "lateral pinch"...
    side: str  # "right", "left" or ""
    pounds: float
    prior: float | None  # last visit's value for the same side, when said in the same turn
    prior_cue: str  # "last week", "at the evaluation"
    quote: str
    segment_id: int


def strengths(transcript: Transcript) -> list[Strength]:
    """Grip and pinch strength the clinician read out, in pounds: "Grip strength on the
    right is twenty-two pounds; your left hand is fifty-eight. Last week the right was
    eighteen." The unit, the kind and the side carry from clause to clause within a turn."""
    out: list[Strength] = []
    for seg in transcript.segments:
        if seg.speaker not in (CLINICIAN, "unknown") or not _STRENGTH_KIND.search(seg.text):
            continue
        now: dict[tuple[str, str], float] = {}
        before: dict[tuple[str, str], tuple[float, str]] = {}
        kind, side, in_pounds, quote = "", "", False, ""
        for x, y in ct.sentence_spans(seg.text):
            sent = seg.text[x:y]
            named = _STRENGTH_KIND.search(sent)
            if named:
                kind, in_pounds, quote = named.group(1).lower(), False, sent.strip()
            elif not (kind and (_SIDE.search(sent) or _PRIOR.search(sent))) or _EXERCISE.search(sent):
                kind = ""  # the turn moved on ("Now three sets of ten with the putty.")
                continue
            for c in _CLAUSES.finditer(sent):
                clause = c.group(0)
                sides = _SIDE.findall(clause)
                side = sides[-1].lower() if sides else side
                for n in ct.find_numbers(clause):
                    after = clause[n.end:]
                    if _POUNDS.match(after):
                        in_pounds = True
                    elif not in_pounds or OTHER_WORD_AFTER.match(after):
                        continue
                    if not 0 < n.value <= 300:
                        continue
                    earlier = _PRIOR.search(clause)
                    if earlier:
                        before.setdefault((kind, side), (n.value, earlier.group(0).lower()))
                    else:
                        now.setdefault((kind, side), n.value)
        for (k, sd), v in now.items():
            prior, cue = before.get((k, sd), (None, ""))
            out.append(Strength(k, sd, v, prior, cue, quote, seg.id))
    return out


def strength_lines(transcript: Transcript) -> list[tuple[str, str, list[float]]]:
    """One line per kind: ("Grip strength: right 22 pounds (last week 18); left 58 pounds.", "grip", [22, 58])."""
    by_kind: dict[str, list[Strength]] = {}
    for st in strengths(transcript):
        by_kind.setdefault(st.kind, []).append(st)
    lines = []
    for kind, sts in by_kind.items():
        parts = [(f"{st.side} " if st.side else "") + f"{ct.fmt_number(st.pounds)} pounds"
                 + (f" ({st.prior_cue} {ct.fmt_number(st.prior)})" if st.prior is not None else "") for st in sts]
        lines.append((f"{kind[0].upper()}{kind[1:]} strength: {'; '.join(parts)}.", kind, [st.pounds for st in sts]))
    return lines


# -- exercise dosage (sets x reps) ----------------------------------------------

# "three sets of ten", "three by ten", "3x10": the words between the two numbers; and not a size
# after them ("two by three centimeters").
SETS_BY_REPS = re.compile(r"^\s*(?:x|\u00d7|by|sets? of)\s*$", re.I)
SIZE_UNIT = re.compile(r"^\s*(?:cm|centimet\w*|mm|millimet\w*|met(?:er|re)s?|inch\w*|in\b|feet|foot|ft|yards?)\b",
                       re.I)


def sets_and_reps(text: str) -> list[tuple[float, float, int, int]]:
    """(sets, reps, start, end) for each "N sets of M" / "N by M" / "NxM" in the text."""
    nums = ct.find_numbers(text)
    return [(abs(n.value), abs(m.value), n.start, m.end) for n, m in zip(nums, nums[1:])
            if SETS_BY_REPS.match(text[n.end:m.start]) and float(n.value).is_integer()
            and float(m.value).is_integer() and not SIZE_UNIT.match(text[m.end:m.end + 14])]


# The head nouns of therapeutic exercises: a clause naming one is the exercise's name.
_EXERCISE_NAME = re.compile(
    r"\b(?:raises?|squats?|slides?|quad sets|extensions?|curls?|step[- ]?ups?|step[- ]?downs?|lunges?|bridges?|"
    r"clamshells?|rows?|presses?|pumps?|hangs?|stretch(?:es)?|march(?:es|ing)?|planks?|push[- ]?ups?|"
    r"pull[- ]?downs?|flies|shrugs?|rotations?|kicks?|taps?|walks?|dips?|deadlifts?|pulls?|abductions?|"
    r"holds?|reaches|squeezes|grips?|pinches|bends?|lifts?|swallows?)\b", re.I)
_LEAD_IN = re.compile(r"^(?:(?:okay|ok|so|next|now|then|and|first|add|keep|do|let'?s do|we'?ll do|start with|"
                      r"try|the|some|your|a few)\b[\s,]*)+", re.I)
_HOME = re.compile(r"\bhome\b|\bHEP\b", re.I)
_CLAUSE = re.compile(r"\s*(?:[,;:]|--|\u2014|\u2013)\s*")


@dataclass(frozen=True)
class Exercise:
    name: str  # "mini squats at the counter"
    sets: float
    reps: float
    home: bool  # part of the home program, not done in session
    detail: str = ""  # how it is done, as said: "four-inch step, lead with the left"


def _exercise_name(before: str) -> tuple[str, str]:
    """(name, detail): the nearest clause before the dosage that names an exercise, without
    its lead-in words, and what was said between it and the dosage ("just down to about
    forty-five degrees"); ("", clauses) when no clause names one."""
    clauses = [c for c in _CLAUSE.split(before.strip()) if c.strip()]
    for i in range(len(clauses) - 1, -1, -1):
        clause = clauses[i]
        bare = re.sub(r"\([^)]*\)", " ", clause)  # "mini squats (just down to forty-five degrees)"
        if _EXERCISE_NAME.search(bare) and not ct.find_numbers(bare) and len(bare.split()) <= 8:
            name = _LEAD_IN.sub("", bare.strip().rstrip(".!?")).strip()
            name = name[:1].lower() + name[1:] if name[1:2].islower() else name  # "Straight leg raises"
            return name, _detail(clauses[i + 1:])
    return "", _detail(clauses)


def _detail(clauses: list[str]) -> str:
    """How the exercise is done, as said before its dosage ("four-inch step, lead with the left"), if short."""
    said = ", ".join(_LEAD_IN.sub("", c.strip().rstrip(".!?")).strip() for c in clauses if c.strip())
    said = said[:1].lower() + said[1:] if said[1:2].islower() else said
    return said if len(said) <= 60 else ""


def _dosages(sentence: str) -> list[tuple[str, str, float, float]]:
    """(name, detail, sets, reps) for each dosage in a sentence, the name read from what was said
    after the dosage before it ("... 3 x 10; heel raises 2 x 20"); "" when nothing there names one."""
    out, start = [], 0
    for sets, reps, a, b in sets_and_reps(sentence):
        name, detail = _exercise_name(sentence[start:a])
        start = b
        out.append((name, detail, sets, reps))
    return out


def exercises(transcript: Transcript) -> list[Exercise]:
    """Each exercise given with sets and reps, with its name as said. A dosage whose exercise
    is not named in its sentence or the two before it (same turn) is left out."""
    out: list[Exercise] = []
    for seg in transcript.segments:
        sentences = ct.split_sentences(seg.text)
        home = bool(_HOME.search(seg.text))
        for k, sentence in enumerate(sentences):
            for name, detail, sets, reps in _dosages(sentence):
                for earlier in reversed(sentences[max(0, k - 2):k]):
                    if name:
                        break
                    name, _ = _exercise_name(earlier)  # "Okay, step-ups. This one's new. Four-inch step, ..."
                if name:
                    out.append(Exercise(name, sets, reps, home, detail))
    return out


def exercise_key(name: str) -> re.Pattern:
    """How a sentence names the exercise: its head noun and the word before it ("heel raises"
    is not "leg raises"; "mini squats at the counter" is named by "mini squats")."""
    heads = list(_EXERCISE_NAME.finditer(name))
    if heads:
        before = re.findall(r"[A-Za-z-]+", name[:heads[-1].start()])
        words = ([before[-1]] if before else []) + [heads[-1].group(0)[:4]]
    else:
        words = name.split()[:1]
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words), re.I)


def exercise_named(name: str, sets: float, reps: float, text: str) -> bool:
    """Some sentence of `text` names the exercise with both its sets and reps."""
    named = exercise_key(name)
    return any(named.search(sent) and {sets, reps} <= ct.number_values(sent) for sent in ct.split_sentences(text))


def dosages_in(sentence: str) -> list[tuple[str, float, float]]:
    """(exercise name, sets, reps) for each dosage in a note sentence that names its exercise."""
    return [(name, sets, reps) for name, _detail, sets, reps in _dosages(sentence) if name]


# The clinician taking an exercise off the program: "you can drop the ankle pumps now".
_DROPPED = re.compile(r"\b(?:drop|stop|discontinue|skip|hold off on|no more)\s+(?:doing\s+)?(?:the\s+|your\s+)?"
                      r"(?P<name>[a-z][a-z -]{2,40}?)\s*(?=\bnow\b|\bfor now\b|[.,;:!?]|--|\u2014|$)", re.I)


def dropped_exercises(transcript: Transcript) -> list[str]:
    """Exercises the clinician took off the program, by name as said ("ankle pumps")."""
    out = []
    for seg in transcript.segments:
        if seg.speaker != CLINICIAN:
            continue
        for m in _DROPPED.finditer(seg.text):
            name = m.group("name").strip()
            if _EXERCISE_NAME.search(name) and name.lower() not in (n.lower() for n in out):
                out.append(name)
    return out


def exercise_lines(transcript: Transcript) -> list[tuple[str, list[tuple[str, float, float]], bool]]:
    """("Exercises (sets x reps): straight leg raises 3 x 10; heel raises 2 x 20.", [(name, sets, reps)],
    home?) for the exercises done in session, and one line for the home program."""
    lines = []
    done = exercises(transcript)
    for home, label in ((False, "Exercises"), (True, "Home exercise program")):
        seen: dict[str, Exercise] = {}
        for e in done:
            if e.home == home:
                seen.setdefault(e.name.lower(), e)
        if seen:
            parts = "; ".join(f"{e.name}{f' ({e.detail})' if e.detail else ''} {ct.fmt_number(e.sets)} x "
                              f"{ct.fmt_number(e.reps)}" for e in seen.values())
            lines.append((f"{label} (sets x reps): {parts}.", [(e.name, e.sets, e.reps) for e in seen.values()], home))
    return lines
