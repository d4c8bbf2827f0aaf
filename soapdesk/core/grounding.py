"""Grounding checks: where a draft note disagrees with the transcript.

Flag kinds (one plain-sentence reason each):
- `number`      a number the transcript never says (spoken numbers count: "fifty" == 50)
- `dose`        a medication dose the client does not take (a possible future
                increase or a relative's dose is not the client's current dose)
- `score`       a questionnaire score (PHQ-9, GAD-7...) not given for that scale,
                current and prior swapped, or the direction of change reversed
- `medication`  a medication the transcript never mentions
- `medication_status`  a drug the client stopped/declined written as current, or the reverse
- `date`        a weekday or month the transcript never mentions
- `next_visit`  the next visit given a time, weekday or interval the session did
                not set for it (soapdesk.core.next_visit)
- `risk`        the risk statement contradicts the risk screen (soapdesk.core.risk)
- `negation`    the note denies what the client reported, or reports what was denied
- `denial_without_basis`  a denied symptom the session never names
- `symptom_never_said`  a symptom reported that the session never names, in
                clinical or everyday words ("dizzy" of a drug that "knocked me out")
- `warning_sign_reported`  a symptom reported that the session named only as a
                warning sign ("if you get calf pain, call us")
- `denial_without_denial`  "the client denies X" where X was talked about in
                the session but never denied (no negation near it, no "No" answer)
- `polarity`    "improved" where the client said it got worse (or the reverse)
- `normal_findings_without_basis`  normal mental-status/exam findings never assessed
- `copied_speech`  dialogue pasted into the note ("Do you need a refill of that?")

Negation, history and hypotheticals come from medspaCy ConText plus our dialogue
rules (soapdesk.core.context_rules): a clinician's question answered "No" in
the next client turn negates the concepts asked about; "stopped / quit / came
off / tapered off X" marks X historical.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from soapdesk.core import clinical_text as ct
from soapdesk.core import context_rules as cr
from soapdesk.core import evidence as ev
from soapdesk.core import measure_checks, measures, next_visit, risk
from soapdesk.core.transcript import CLIENT, CLINICIAN, Transcript


@dataclass
class Flag:
    section_key: str
    sentence: str
    kind: str
    reason: str

    def to_json(self) -> dict:
        return {"section": self.section_key, "sentence": self.sentence, "kind": self.kind, "reason": self.reason}

    def warning(self) -> str:
        return f"{self.section_key}: {self.reason}"


# -- facts drawn from the transcript --------------------------------------------

_HISTORICAL = re.compile(r"\b(?:stopped|stop taking|quit|came off|come off|went off|tapered off|weaned off|"
                         r"discontinued|no longer|not taking|haven't needed|hasn't needed|have not needed|"
                         r"don't take|do not take|didn't like|took the rest|got rid of|threw (?:it|them) out|"
                         r"used to take|not on (?:it|that|them) anymore|declined|refused|didn't want)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:maybe|might|may|could|would|consider(?:ing)?|thinking about|going up to|"
                           r"go up to|increase to|increasing to|brought up|talk(?:ed)? about|possible|possibly|"
                           r"wait and see|if\b|option|plan(?:s|ning)? to)\b", re.I)
_ALLERGY_BEFORE = re.compile(r"\ballerg(?:ic|y|ies)\b(?:\s+to)?((?:\W+\w+){0,4})\W+$", re.I)
_ALLERGY_AFTER = re.compile(r"\s*(?:allerg(?:y|ies)|intoleran\w+)\b", re.I)
_ALLERGY_WORD = re.compile(r"\ballerg|\bintoleran", re.I)
_FAMILY = re.compile(r"\b(?:my|her|his|their) (?:mom|mother|dad|father|sister|brother|wife|husband|partner|"
                     r"friend|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|son|daughter|kid)\b|"
                     r"\b(?:mom|mother|dad|father)(?:'s)? (?:was|is|takes|took) on\b", re.I)
_STOP_VERBS = r"stopped|discontinued|quit|came off|tapered off"
_NOTE_HISTORICAL = re.compile(r"\b(?:" + _STOP_VERBS + r"|no longer|not taking|"
                              r"previously|formerly|prior|past|was taking|had been|has not needed|hasn't needed|"
                              r"not needed|not used|no current medications?|declined|disposed|ago|since)\b",
                              re.I)
# "Tylenol failed to improve headaches": an outcome of a trial, neither current use nor a stop
# (so it clears a stopped drug, but is not read as saying a drug taken now was stopped).
_FAILED_TRIAL = re.compile(r"\b(?:failed|tried|trial of|did not (?:help|work)|didn't (?:help|work)|without (?:relief|"
                           r"benefit|improvement)|no (?:relief|benefit|improvement)|ineffective)\b", re.I)
# Time words that say a drug is being taken now, not that it was stopped: "taking
# ibuprofen for the past two weeks", "started sertraline a month ago", "on it since May",
# "better since we started treating them with amoxicillin".
_ONGOING_USE = re.compile(r"\b(?:for|over|during|in|within) the (?:past|last)\b|"
                          r"\b(?:started|began|begun|starting|initiated|been taking|been on)\b[^.;]*?\b(?:ago|since)\b|"
                          r"\bsince\b[^.;]{0,40}?\b(?:start\w*|began|begin\w*|initiat\w*|put on)\b",
                          re.I)
# What the clinician plans or advised: says nothing about what is taken now.
# ("as prescribed", "as advised" describe current use: not plans.)
_PLAN = re.compile(r"\b(?:will|going to|plan(?:s|ned|ning)? to|(?<!\bas )advised|advise|(?<!\bas )recommend\w*|"
                   r"prescribe|prescribing|prescription|would like|re-?evaluate|discuss\w*|should|"
                   r"start (?:him|her|them) on)\b", re.I)
# The clinician starting a drug in this visit: an intention ("I'm gonna", "we'll", "let's", "I'd
# like") and a starting verb in the clause before the drug's first mention. Not "continue you
# on", not "we've put you on", not "Dr. Brown put you on" (no intention), not "try not to take".
_START_INTENT = re.compile(r"\b(?:gon na|gonna|going to|will|wan na|wanna|want to|let's|let us|would like|"
                           r"i'd like|i'm|we're|can)\b|'ll\b", re.I)
_START_VERB = re.compile(r"\b(?:prescrib\w*|put (?:you|him|her|them) on|place (?:you|him|her|them) on|"
                         r"start(?:ing)? (?:you|him|her|them) on|(?:give|giving|get) (?:you|him|her|them)|order|"
                         r"write (?:you )?(?:a|for)|add|switch (?:you )?(?:to|over to))\b", re.I)
_NOT_STARTING = re.compile(r"\b(?:continu\w*|been|we've|have|had|not|don't|stop\w*|refill\w*|still|already|"
                           r"increas\w*|decreas\w*|lower\w*|rais\w*)\b|n't\b", re.I)
# The client describing the drug as one they take or took: it is not new.
_CLIENT_TAKES = re.compile(r"\b(?:i|i'm|i've|i am|i have|i was|i take|we)\b[^.?!]{0,40}\b(?:tak\w*|took|on|using|"
                           r"used|tried)\b", re.I)
# The note writing a drug as one taken now: "is taking", "currently takes", "has been on".
_TAKEN_NOW = re.compile(r"\b(?:(?:is|are|has been|have been)\s+(?:currently\s+|already\s+|still\s+)?"
                        r"(?:taking|on|using)|currently\s+(?:takes|taking|on|uses|using)|takes|"
                        r"continues\s+(?:to\s+take|taking|on))\b[^.;:!?]{0,80}$", re.I)
# A note sentence giving a drug as taken or prescribed (not a bare "Penicillin." under Allergies).
_TAKEN_OR_GIVEN = re.compile(r"\b(?:takes?|taking|took|uses?|using|(?:is|are|was|were|been|currently|still) on|"
                             r"prescrib\w*|start\w*|continu\w*|given|give|dose)\b", re.I)
_NONADHERENT = re.compile(r"\bnot (?:always |very |fully )?(?:consistent|compliant|adherent|regular)\b|"
                          r"\binconsisten\w*|(?<!no )(?<!any )\bmiss(?:es|ed|ing)? (?:some |a few |occasional )?"
                          r"doses\b", re.I)
# The drug named as what something is about: "denies side effects from sertraline", "no missed
# doses of lisinopril". A denial there is of the side effects or the missed doses, not the drug.
_ABOUT_THE_DRUG = re.compile(r"\b(?:side[- ]effects?|adverse (?:effects?|reactions?)|reactions?|problems?|issues?|"
                             r"trouble|complaints?|allerg\w*|doses?)\s+(?:\w+\s+){0,2}(?:from|with|to|of|on|for)\s+"
                             r"(?:(?:the|his|her|their|this|that|any|its)\s+)?$", re.I)
_STOPPED_IT = re.compile(r"\s*(?:(?:she|he|they|the client|the patient)\s+)?(?:then\s+|later\s+|eventually\s+)?"
                         r"(?:" + _STOP_VERBS + r")\s+(?:it|them|taking (?:it|them))\b", re.I)
_SCALE_HIGHER_WORSE = {"phq", "gad", "pcl", "epds", "bdi", "bai", "dass", "audit", "dast", "isi", "psqi", "ybocs",
                       "cesd", "hamd", "hama", "odi", "ndi", "dash", "quickdash", "pss", "asrs", "mdq"}
_PRIOR_CUE = re.compile(r"\b(?:last (?:time|week|month|session|visit)|ago|at intake|previous(?:ly)?|prior|before|"
                        r"was at|were at|it was|used to be|baseline|initially|first (?:session|visit))\b", re.I)
# A symptom the client wishes for. (Only here: in the risk screen a wish to die is the ideation.)
_WISHED_FOR = re.compile(r"\bwish(?:ed)?\b[^.?!,;]*$", re.I)
_DOSE_CHANGE = re.compile(r"\b(?:increas\w*|rais(?:e|ed|ing)|decreas\w*|reduc\w*|lower(?:ed|ing)?|titrat\w*|"
                          r"adjust\w*|chang(?:e|ed|ing) (?:\w+ )?to)\b", re.I)
# A short topic label opening a line ("Chest pain: ...", "- Nausea: none"), and a finding
# after it that is only a denial.
_LINE_LABEL = re.compile(r"^\s*(?:- )?([A-Za-z][^.:;!?\n]{0,80}):[ \t]*")
# A label that is itself the denial: "Denies: chest pain, nausea."
_DENIAL_HEADING = re.compile(r"\s*(?:denies|denied|negative|pertinent negatives?|no|none|absent)\b", re.I)
_LABEL_DENIED = re.compile(r"(?:none|no|never|nil|not present|absent|negative|denie[sd]|denies it)\b[^A-Za-z]*$", re.I)
# A symptom tied to an activity or a moment: "no pain with squats", "... during the exercises".
_ACTIVITY = r"(?:\s+(?:or|and)\s+\w+)?\s+(?:with|during|when|while|after"
_QUALIFIED = re.compile(_ACTIVITY + r"|on|in|at)\b", re.I)
# "no pain with supination": true of a movement or test while the symptom is there at other
# times. Not "in"/"at"/"on": those name a site ("numbness in the legs"), which must agree.
_DURING = re.compile(_ACTIVITY + r"|on palpation|to palpation)\b", re.I)
# The time written right after a score ("15 at intake", "17 five weeks ago", "14 today").
_SCORE_THEN = re.compile(r"\s*(?:points?\s+)?(?:at intake|at baseline|initially|previously|at the (?:first|last) "
                         r"(?:session|visit)|last (?:time|week|month|session|visit)|(?:\w+\s+){1,2}ago)\b", re.I)
_SCORE_NOW = re.compile(r"\s*(?:points?\s+)?(?:today|now|currently|this (?:session|week|visit|time))\b", re.I)
_CURRENT_CUE = re.compile(r"\b(?:today|this (?:morning|week|time)|now|current(?:ly)?|scored|score (?:is|was)|"
                          r"came out)\b", re.I)


@dataclass
class MedFacts:
    generic: str
    current_doses: set[float] = field(default_factory=set)
    all_doses: set[float] = field(default_factory=set)
    historical: bool = False
    current: bool = False
    # First named by the clinician starting it ("I'm gonna start you on some Lasix") and never
    # described by the client as taken: new in this visit, so not yet a medication they take.
    new_here: bool = False
    # Named as something the client is allergic to ("allergic to penicillin"): not a medication they take.
    allergy: bool = False

    @property
    def allergy_only(self) -> bool:
        return self.allergy and not self.current and not self.historical


@dataclass
class ScaleFacts:
    key: str
    current: set[float] = field(default_factory=set)
    prior: set[float] = field(default_factory=set)


@dataclass
class TranscriptFacts:
    numbers: set[float]
    meds: dict[str, MedFacts]
    scales: dict[str, ScaleFacts]
    weekdays: set[str]
    months: set[str]
    concept_polarity: dict[str, set[str]]  # concept → {"affirmed", "negated"}
    stems: set[str]
    client_turns: list[tuple[str, str]]  # (question before it, client text)
    rated: dict[str, set[str]] = field(default_factory=dict)  # symptom → polarity from its 0-10 ratings
    # symptom → polarity → the body sites named with each mention ("no pain in the hand": {"hand"})
    sites: dict[str, dict[str, list[frozenset[str]]]] = field(default_factory=dict)
    # symptoms the clinician named only as something that might happen ("if anything gets really
    # swollen or you get a fever, call us"): warning signs, not findings
    warned: dict[str, set[str]] = field(default_factory=dict)  # concept -> the sentences warning of it


_SITE = re.compile(r"\b(?:head|eyes?|ears?|neck|chest|back|shoulders?|arms?|elbows?|wrists?|hands?|fingers?|"
                   r"thumbs?|hips?|legs?|knees?|kneecaps?|ankles?|foot|feet|toes?|calf|calves|thighs?|abdomen|"
                   r"abdominal|stomach|belly|joints?|muscles?|extremit(?:y|ies)|scalp|jaw|throat|skin|spine|"
                   r"pelvis|pelvic|groin|heels?|shins?|ribs?|urination|bladder|bowels?|incisions?|wounds?)\b", re.I)
# Symptoms felt in one place: "no pain in the calves" says nothing of the knee.
_LOCAL_SYMPTOMS = frozenset({"pain", "swelling", "warmth", "redness", "numbness", "tingling", "rash", "bleeding",
                             "infection", "drainage", "instability", "giving way", "locking"})
_SITE_SAME = {"feet": "foot", "calves": "calf", "extremities": "extremity", "abdominal": "abdomen", "pelvic": "pelvis"}


def body_sites(text: str) -> frozenset[str]:
    """The body sites a text names, one spelling each ("knees" and "knee" alike)."""
    out = set()
    for m in _SITE.finditer(text):
        w = m.group(0).lower()
        w = _SITE_SAME.get(w, w)
        out.add(w[:-1] if w.endswith("s") else w)
    return frozenset(out)


def says_stopped(sentence: str) -> bool:
    """A transcript sentence saying a drug is not taken (any more)."""
    return bool(_HISTORICAL.search(sentence))


def note_says_stopped(sentence: str) -> bool:
    """A note sentence reporting a drug as stopped / not current."""
    return bool(_NOTE_HISTORICAL.search(sentence))


def scale_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().split("-")[0].split(" ")[0])


def _doses_near(text: str, start: int, end: int) -> set[float]:
    """Numbers said with the drug: in the same sentence of a turn."""
    out = set()
    for a, b in ct.sentence_spans(text):
        if a <= start < b or (start < a and b - start < 400):
            for n in ct.find_numbers(text[a:b]):
                if 0 < n.value < 5000 and not re.match(r"\s*(?:times?|days?|weeks?|months?|years?|hours?|"
                                                       r"minutes?|nights?|sets?|reps?)\b",
                                                       text[a + n.end:a + n.end + 10], re.I):
                    out.add(n.value)
            if a <= start < b:
                break
    return out


def _allergy_listed(text: str, start: int) -> bool:
    """The drug at `start` is in a list of allergies: "allergic to penicillin", "allergic to percocet,
    vicodin and regulin"; not "allergic to penicillin but I take lisinopril"."""
    m = _ALLERGY_BEFORE.search(text, max(0, start - 80), start)
    if not m:
        return False
    listed = {w.lower() for w, *_ in ct.find_medications(m.group(1), guess=False)}
    return all(w in ("and", "or") or w in listed for w in re.findall(r"[a-z][a-z-]*", m.group(1).lower()))


def transcript_facts(transcript: Transcript) -> TranscriptFacts:
    segs = [s for s in transcript.segments if s.text.strip()]
    numbers: set[float] = set()
    meds: dict[str, MedFacts] = {}
    scales: dict[str, ScaleFacts] = {}
    polarity: dict[str, set[str]] = {}
    sites: dict[str, dict[str, list[frozenset[str]]]] = {}
    warned: dict[str, set[str]] = {}

    def heard(men, pol: str) -> None:
        polarity.setdefault(men.concept, set()).add(pol)
        sites.setdefault(men.concept, {}).setdefault(pol, []).append(body_sites(men.sentence))

    days: set[str] = set()
    mons: set[str] = set()
    stems: set[str] = set()
    client_turns = []
    for i, seg in enumerate(segs):
        text = seg.text
        numbers |= {abs(v) for v in ct.number_values(text)}
        days |= ct.weekdays(text)
        mons |= ct.months(text)
        stems |= {ct.norm_stem(s) for s in ct.content_stems(text, keep_boilerplate=True)}
        # medications: status and doses (this turn and the reply/next turn)
        for written, generic, a, b in ct.find_medications(text, guess=False):
            if generic not in meds:
                meds[generic] = MedFacts(generic, new_here=seg.speaker == CLINICIAN and _starts_here(text, a))
            mf = meds[generic]
            if mf.new_here and seg.speaker != CLINICIAN and _CLIENT_TAKES.search(text):
                mf.new_here = False  # "I'm already on Lasix"
            # "you're allergic to penicillin", or a short answer to "any other allergies?" ("just
            # penicillin"): neither taken nor stopped
            if _allergy_listed(text, a) or _ALLERGY_AFTER.match(text, b) or (
                    i and segs[i - 1].speaker != seg.speaker and len(text.split()) <= 12
                    and _ALLERGY_WORD.search(segs[i - 1].text)):
                mf.allergy = True
                continue
            spans = ct.sentence_spans(text)
            k = next((n for n, (x, y) in enumerate(spans) if x <= a < y), 0)
            sent = text[spans[k][0]:spans[k][1]] if spans else text
            if len(sent.split()) <= 5 and k + 1 < len(spans):  # "Oh, the hydroxyzine? No, I stopped it."
                sent += " " + text[spans[k + 1][0]:spans[k + 1][1]]
            elif near := ct.run_on_window(text, a, b):
                sent = text[slice(*near)]
            reply = " ".join(s.text for s in segs[i + 1:i + 2] if s.speaker != seg.speaker)
            local = sent + " " + " ".join(reply.split()[:ct.RUN_ON_WORDS])
            if says_stopped(sent) or re.search(r"\b(?:stopped|quit|came off|tapered off)\b", local, re.I):
                mf.historical = True
            else:
                mf.current = True
            for j in range(i, min(i + 3, len(segs))):
                t2 = segs[j].text
                for x, y in ct.sentence_spans(t2):
                    s2 = t2[x:y]
                    nums = [n for n in ct.find_numbers(s2) if 0 < n.value < 5000]
                    if not nums:
                        continue
                    mf.all_doses |= {n.value for n in nums}
                    if j == i and not (x <= a < y) and x > a + 200:
                        continue
                    if _FAMILY.search(s2):
                        continue
                    # The cue must come shortly before the number: an unpunctuated spoken turn
                    # ("...continue you on the lisinopril twenty milligrams ... if anything changes")
                    # is one long sentence whose "if" says nothing of the dose.
                    for n in nums:
                        before = s2[max(0, n.start - 60):n.start]
                        if not (_HYPOTHETICAL.search(before) or _HISTORICAL.search(before)):
                            mf.current_doses.add(n.value)
        # questionnaire scores: the turn naming the scale and the next three
        for m in ct.SCALE_NAME.finditer(text):
            key = scale_key(m.group(0))
            sf = scales.setdefault(key, ScaleFacts(key))
            for s in segs[i:i + 4]:
                if s is not seg and ct.SCALE_NAME.search(s.text) and scale_key(
                        ct.SCALE_NAME.search(s.text).group(0)) != key:
                    break
                for x, y in ct.sentence_spans(s.text):
                    s2 = s.text[x:y]
                    vals = {abs(n.value) for n in ct.find_numbers(s2)}
                    if not vals or re.search(r"\b(?:minutes?|weeks?|months?|days?|years?)\b", s2, re.I) and not (
                            _CURRENT_CUE.search(s2) or re.search(r"\bscor", s2, re.I)):
                        # "five weeks ago, you were at seventeen": keep only the score-like numbers
                        vals = {v for v in vals if not re.search(
                            rf"\b{ct.fmt_number(v)}\b|\b(?:{_spoken(v)})\s+(?:minutes?|weeks?|months?|days?|years?)",
                            s2, re.I)} if vals else vals
                    if not vals:
                        continue
                    if _PRIOR_CUE.search(s2) and not re.search(r"\b(?:today|now|this morning)\b", s2, re.I):
                        sf.prior |= score_values(s2)
                    else:
                        sf.current |= score_values(s2)
        # concept polarity with the dialogue rule
        prev = segs[i - 1] if i > 0 else None
        if seg.speaker != CLINICIAN:
            client_turns.append((prev.text if prev is not None and prev.speaker == CLINICIAN else "", text))
        for men in cr.analyze(text):
            if men.label == "SYMPTOM" and men.hypothetical and seg.speaker == CLINICIAN:
                warned.setdefault(men.concept, set()).add(men.sentence)
            if men.label != "SYMPTOM" or men.hypothetical or men.other_experiencer:
                continue
            asked = _sentence_at(text, men.start, men.sentence) if seg.speaker == CLINICIAN else ""
            if asked and cr.is_question(asked):
                nxt = segs[i + 1] if i + 1 < len(segs) else None
                if nxt is not None and nxt.speaker != CLINICIAN:
                    answer = cr.answer_polarity(nxt.text)
                    if answer == "no" and re.search(re.escape(men.concept), nxt.text, re.I):
                        answer = None  # "No calf pain": the answer's own mention is read on its turn
                    elif answer == "no" and _answers_one_item(nxt.text, asked):
                        answer = None  # "smoking, drugs, alcohol?" "no drugs. i do drink socially"
                    if answer:
                        heard(men, "negated" if answer == "no" else "affirmed")
                continue
            if _WISHED_FOR.search(text[max(0, men.start - 40):men.start]):
                continue  # "I wish I had some weight loss": neither reported nor denied
            heard(men, "negated" if men.negated else "affirmed")
    # A 0-10 rating answers whether the symptom is there: "What's your pain right now?"
    # "Four." affirms pain though no yes/no was said, so "The patient denies pain" is caught.
    rated: dict[str, set[str]] = {}
    for r in measures.ratings(transcript):
        rated.setdefault(r.subject, set()).add("affirmed" if r.value > 0 else "negated")
    return TranscriptFacts(numbers, meds, scales, days, mons, polarity, stems, client_turns, rated, sites,
                           warned)


_STOP = ct.SPOKEN_STOP


def _answers_one_item(answer: str, question: str) -> bool:
    """Does a "no" answer name one item of the question ("no drugs"), denying only that one?"""
    m = re.match(r"\W*no\s+([a-z]{4,})", answer, re.I)
    return bool(m) and m.group(1)[:4].lower() in question.lower()


def _sentence_at(text: str, at: int, fallback: str) -> str:
    """The sentence of a turn holding offset `at`. medspaCy takes a spoken turn punctuated
    " . " ("you're endorsing nausea , vomiting . um , any other symptoms ?") as one sentence,
    and its "?" made the statement before it a question answered "No"."""
    # Any case after the stop: a transcript may be all lower case ("... distension . um , any ...").
    # An ellipsis is speech trailing on ("joint pain ... i mean , like muscle aches ?"), not a stop.
    starts = [0] + [m.end() for m in re.finditer(_STOP, text)]
    lo = max((x for x in starts if x <= at), default=0)
    hi = next((m.end() for m in re.finditer(_STOP, text[at:])), len(text) - at) + at
    return text[lo:hi] or fallback


def _starts_here(text: str, at: int) -> bool:
    """Does the clinician's sentence start the drug named at `at`? Only the clause
    before the name counts: the sentence up to it, at most 90 characters."""
    lo = max([0] + [m.end() for m in re.finditer(r"[.?!;]\s", text[:at])])
    before = text[max(lo, at - 90):at]
    return bool(_START_VERB.search(before) and _START_INTENT.search(before) and not _NOT_STARTING.search(before))


def _spoken(v: float) -> str:
    inv = {n: w for w, n in {**ct._UNITS, **ct._TENS}.items()}
    return inv.get(int(v), "zzzz") if float(v).is_integer() else "zzzz"


def score_values(sentence: str) -> set[float]:
    out = set()
    sentence = ev._DENOMINATOR.sub(lambda m: " " * len(m.group(0)), sentence)
    for n in ct.find_numbers(sentence):
        after = sentence[n.end:n.end + 14]
        if re.match(r"\s*(?:minutes?|weeks?|months?|days?|years?|hours?)\b", after, re.I):
            continue
        out.add(abs(n.value))
    return out


# -- checks on one note sentence -------------------------------------------------

_DOSE_AFTER = re.compile(r"^\s*(?:mg|mcg|milligrams?|micrograms?|units?|ml)\b", re.I)
_IMPROVE = re.compile(r"\b(?:improv\w*|better|resolved|decreas\w* (?:in )?(?:symptoms|difficult)|less (?:trouble|"
                      r"difficult\w*)|sleeping well|good sleep|restored|normali[sz]ed)\b", re.I)
_WORSEN = re.compile(r"\b(?:worse\w*|worsen\w*|bad|terrible|awful|garbage|poor(?:ly)?|can'?t (?:get back|sleep|"
                     r"fall)|forever|lying (?:there|awake)|awake|wake up at|trouble|struggl\w*|rough|hard|deteriorat\w*|declin\w*|stopped eating|no appetite)\b",
                     re.I)
_TOPICS = {
    "sleep": re.compile(r"\bsleep\w*|\binsomnia|\bslept\b|wak(?:e|ing) up|fall(?:ing)? asleep", re.I),
    "appetite": re.compile(r"\bappetite|\beating\b|\bmeals?\b|\blunch\b", re.I),
    "energy": re.compile(r"\benergy\b|\btired\b|\bfatigue", re.I),
    "mood": re.compile(r"\bmood\b|\bdepress\w*|\bsad\b", re.I),
}
_MSE_NORMAL = [
    (re.compile(r"alert and oriented|oriented (?:x ?[34]|times (?:three|four)|to person)|\bA&Ox?\d", re.I),
     re.compile(r"orient|what (?:day|year|date) is it|where are we", re.I), "orientation"),
    (re.compile(r"(?:good|normal|appropriate) eye contact", re.I), re.compile(r"eye contact", re.I), "eye contact"),
    (re.compile(r"\b(?:speech (?:was |is )?(?:normal|clear|regular)|normal (?:rate|rhythm) (?:of|and) speech|"
                r"speech (?:of )?normal rate)", re.I), re.compile(r"\bspeech\b|talking (?:fast|slow)", re.I), "speech"),
    (re.compile(r"\b(?:euthymic|mood (?:was |is )?(?:euthymic|stable|normal)|affect (?:was |is )?(?:full|"
                r"congruent|appropriate|bright|normal)|(?:full|congruent|appropriate|bright) affect)", re.I),
     re.compile(r"\baffect\b|euthymic", re.I), "mood and affect"),
    (re.compile(r"thought (?:process|content) (?:was |is )?(?:linear|logical|goal[- ]directed|normal|organized)|"
                r"linear (?:and|,) goal[- ]directed|no (?:evidence of )?(?:psychosis|delusions|hallucinations)", re.I),
     re.compile(r"thought process|hallucinat|voices|delusion|psychos|paranoi", re.I), "thought process"),
    (re.compile(r"(?:insight|judg(?:e)?ment) (?:and (?:insight|judg(?:e)?ment) )?(?:was |were |is |are )?"
                r"(?:good|fair|intact|adequate|normal)", re.I), re.compile(r"insight|judg(?:e)?ment", re.I),
     "insight and judgment"),
    (re.compile(r"well[- ]groomed|appropriately (?:dressed|groomed)|good hygiene|casually dressed", re.I),
     re.compile(r"groom|dress|hygiene|appearance|outfit|clothes", re.I), "appearance"),
    (re.compile(r"(?:memory|cognition|concentration|attention) (?:was |is )?(?:intact|normal|grossly intact)", re.I),
     re.compile(r"memory|remember|concentrat|attention|recall", re.I), "cognition"),
    (re.compile(r"no psychomotor (?:agitation|retardation)|psychomotor (?:activity )?(?:was |is )?normal", re.I),
     re.compile(r"psychomotor|restless|fidget|slowed down", re.I), "psychomotor activity"),
    (re.compile(r"lungs? (?:are |were )?clear|clear to auscultation|regular rate and rhythm|no murmurs?|"
                r"abdomen (?:is |was )?(?:soft|non-?tender)", re.I),
     re.compile(r"lungs?|heart|listen|breath|abdomen|belly|stethoscope|auscultat", re.I), "physical exam"),
    (re.compile(r"neurovascular(?:ly)? intact|sensation (?:is |was )?intact|strength (?:is |was )?5/5|"
                r"reflexes (?:are |were )?(?:normal|intact|2\+)", re.I),
     re.compile(r"sensation|numb|strength|reflex|pulse|feel this", re.I), "neurological exam"),
]


# A note's unnamed "taking the medication as prescribed": the drug is not named,
# so the per-drug checks cannot see it. Invented by the model for a client who
# stopped her only drug and said she takes nothing now.
_UNNAMED_MED_USE = re.compile(r"(?:\b(?:is|are|was|has been|have been|continues to be|remains?|reports?|reported)\s+"
                              r"(?:currently\s+|still\s+)?(?:being\s+)?(?:taking|on|compliant with|adherent to|"
                              r"tolerating)|\btakes?|\bcompliant with|\badherent to)\s+"
                              r"(?:the|her|his|their|a|any|all)?\s*(?:prescribed\s+)?(?:medications?|meds|medicines?|"
                              r"prescriptions?)\b", re.I)
_NO_MEDS_NOW = re.compile(r"\bnot (?:taking|on) (?:any|anything)\b|\bno (?:current )?(?:medications?|meds)\b|"
                          r"\bnot on any\b|\bnot taking (?:any )?(?:medications?|meds)\b", re.I)
_ANY_MED_TALK = re.compile(r"\b(?:medications?|medicines?|meds|pills?|prescri\w*|tablets?|capsules?)\b", re.I)

# A number that is part of a name, not a quantity: "COVID-19", "SARS-CoV-2", "Factor-5".
_NAMED_NUMBER = re.compile(r"\b[A-Za-z]{2,}-(\d+)\b(?!\s*(?:mg|milligrams?|%|percent|degrees?|minutes?|times?))")

# Speech a note never holds. The local model cannot write "you" (drafting), so
# pasted speech now reads "So I'm just gonna go ahead and take a listen to the
# heart and lungs."; these words still give it away.
_SPOKEN = re.compile(r"\b(?:gon na|gonna|wan na|wanna|okay|alright|uh|um|hmm|yeah|let me|i'm just)\b", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A quotation inside a note sentence: "..." or '...' (an apostrophe inside a word is not a quote,
# neither around one nor inside one: 'I'm okay').
_QUOTED = re.compile(r"\"[^\"]*\"|(?<![A-Za-z])'(?:[^']|(?<=[A-Za-z])'(?=[A-Za-z]))*'(?![A-Za-z])")


# "denies X" / "X, which the client denies": the object of a written denial.
_DENIES_OBJECT = re.compile(r"\b(?:denie[sd]|denying)\s+(?:(?:any|ever|having|experiencing|feeling|a|an|the)\s+)*"
                            r"(?P<obj>[^.;:]+)", re.I)
_OBJECT_DENIED = re.compile(r"(?P<obj>[^.;:]+?),?\s+which\s+(?:the\s+)?\w+\s+(?:denies|denied)\b", re.I)
_OBJECT_END = re.compile(r",?\s+(?:but|however|though)\b|,\s+(?:and\s+)?(?:reports?|endorses?|describes?|states?|says|"
                         r"notes?|is|was|has|had)\b|\s+and\s+(?:reports?|endorses?|describes?|states?)\b|"
                         r"\s+(?:at this time|today|currently)\b", re.I)
# "The clinician notes that the client has been having thoughts of X": only X was denied.
_OBJECT_LEAD = re.compile(r"^(?:(?:the )?(?:client|patient|they|he|she)\s+)?(?:(?:has|have|had|is|was|were|been|"
                          r"having|reports?|experienc\w+)\s+)*(?:(?:thoughts?|feelings?|concerns?)\s+(?:of|about)\s+)?",
                          re.I)
# A denial in the session: a negation in the same sentence ("I'm not sleeping
# badly", "nothing like that", "I stopped going"), or one in the answer to it.
_NEGATION_CUE = re.compile(r"\b(?:no|not|never|nothing|none|nobody|neither|nor|without|deny|denies|denied|"
                           r"nope|nah|stopped|quit|anymore)\b|n't\b|n’t\b", re.I)
# Words of the denial itself, not of what was denied.
_DENIAL_FILLER = {"thought", "thoughts", "feel", "feeling", "feelings", "history", "ever", "recent", "recently",
                  "any", "sign", "signs", "problem", "problems", "issue", "issues", "concern", "concerns",
                  "experience", "experiencing", "been", "having", "have", "has", "that", "this"}

_GENERIC_SYMPTOM_WORDS = {"pain", "pains", "ache", "aches", "problem", "problems", "issue", "issues", "symptom",
                          "symptoms", "change", "changes", "difficulty", "trouble", "of", "or", "and", "the", "in"}


# How people say a symptom the note names in clinical words (word starts, matched in the
# session's text). Physicians' notes put "fatigue" for "I feel tired every now and then"
# and "palpitations" for "causes his heart to race" (ACI-Bench references).
_SAID_AS = {
    "palpitations": ("heart (?:is |was |keeps |to |starts )?(?:rac|pound|flutter|skip)", "rac\\w* heart",
                     "pounding", "flutter"),
    "swelling": ("swol", "swell", "puff"), "redness": ("red\\b", "pink"),
    "fatigue": ("tired", "exhaust", "energy", "wiped", "worn out", "drained", "sleepy"),
    "appetite": ("eat", "hungry", "food", "meal", "lunch", "breakfast", "dinner"),
    "instability": ("unstable", "give out", "gives out", "giving out", "gave out", "give way", "gives way"),
    "giving way": ("give out", "gives out", "giving out", "gave out", "buckl"),
    "dizziness": ("lightheaded", "light-headed", "woozy", "spinning", "vertigo", "dizzy"),
    "nausea": ("sick to", "queasy", "throw up", "threw up", "nauseous"), "vomiting": ("throw up", "threw up", "puk"),
    "insomnia": ("sleep",), "drowsiness": ("sleepy", "knock", "groggy"), "sedation": ("sleepy", "knock", "groggy"),
    "shortness of breath": ("breath", "winded"), "tearfulness": ("cry", "tear"), "crying spells": ("cry", "tear"),
    "irritability": ("irritable", "snap", "short-tempered", "cranky", "short fuse"),
    "anhedonia": ("enjoy", "interest", "fun"), "weight loss": ("pound", "weigh"), "weight gain": ("pound", "weigh"),
    "paranoia": ("paranoid", "out to get"), "tremor": ("shak", "trembl"), "fever": ("temperature", "hot", "chill"),
    "headache": ("head",), "headaches": ("head",), "rash": ("itch", "spot", "bump"), "numbness": ("numb",),
    "tingling": ("pins and needles",), "nightmares": ("bad dream",), "mania": ("manic",),
    "drainage": ("drain", "ooz", "leak"), "bleeding": ("bleed", "blood"),
}

# Someone other than the client, named by who they are (pronouns are the client in a note).
_OTHER_PERSON = re.compile(r"\b(?:friend|coworker|co-worker|roommate|neighbou?r|classmate|boyfriend|girlfriend|"
                           r"cousin|mom|mother|dad|father|sister|brother|aunt|uncle|grand\w+|wife|husband|partner|"
                           r"son|daughter|child|children|kids?|family|parents?|sibling\w*|someone|relative\w*)",
                           re.I)

# A note sentence that is itself an instruction or a warning ("call if calf pain").
_INSTRUCTION = re.compile(r"\b(?:if|call|should|monitor|watch for|red flags?)\b", re.I)


class _Checker:
    def __init__(self, transcript: Transcript):
        self.t = transcript
        self.facts = transcript_facts(transcript)
        self.findings = risk.screen_cached(transcript)
        self.low = transcript.text.lower()
        self.measures = measure_checks.read_session(transcript)
        self.next_visit = next_visit.arranged(transcript)
        self._said_5grams: set[tuple[str, ...]] | None = None  # built on first use

    def check(self, key: str, sentence: str) -> list[Flag]:
        flags: list[Flag] = []
        if ct.NOT_ADDRESSED.match(sentence):
            return flags
        add = lambda kind, reason: flags.append(Flag(key, sentence, kind, reason))  # noqa: E731
        meds = ct.find_medications(sentence)
        med_spans = [(a, b) for _, _, a, b in meds]
        dose_vals = self._dose_values(sentence)
        scale_vals = self._scale_values(sentence)
        # medications. "will discontinue", "advised to stop", "will start": a plan, not what is
        # taken now ("continue" is a statement that it is taken now).
        planned = bool(_PLAN.search(sentence))
        plan = planned and not re.search(r"\bcontinu", sentence, re.I)
        # A dose being planned or considered may be any dose said for the drug.
        # ... and so may a dose being changed ("increasing metformin to 1,000 mg", "lowered to 10 mg").
        dose_hyp = plan or bool(_HYPOTHETICAL.search(sentence) or _DOSE_CHANGE.search(sentence))
        unnamed = None if meds or planned else _UNNAMED_MED_USE.search(sentence)
        if unnamed and not re.search(r"\b(?:not|no longer|denies|denied|stopped|without)\b",
                                     sentence[max(0, unnamed.start() - 25):unnamed.end()], re.I):
            reason = self._no_current_medication()
            if reason:
                add("medication_status", reason)
        for written, generic, a, b in meds:
            mf = self.facts.meds.get(generic)
            if mf is None:
                add("medication", f"The medication '{written}' is not mentioned anywhere in the transcript.")
                continue
            if mf.allergy_only:
                if _TAKEN_OR_GIVEN.search(sentence) and not _ALLERGY_WORD.search(sentence):
                    add("medication_status", f"{written[0].upper() + written[1:]} was named in the session as "
                        "something the client is allergic to, not as a medication they take.")
                continue
            hist_note = self._note_says_historical(sentence, a, b)
            if not plan and mf.historical and not mf.current and not hist_note and not _FAILED_TRIAL.search(sentence):
                add("medication_status", f"The note presents {written} as current, but the client said it was "
                    "stopped or is no longer taken.")
            elif not plan and mf.current and not mf.historical and hist_note and not mf.new_here:
                add("medication_status", f"The note says {written} was stopped, but the client described "
                    "taking it now.")
            elif not planned and mf.new_here and not hist_note and _TAKEN_NOW.search(sentence[:a]):
                add("medication_status", f"{written[0].upper() + written[1:]} was first prescribed in this visit, "
                    "but the note writes it as a medication already being taken.")
            allowed = mf.all_doses if dose_hyp or hist_note else (mf.current_doses or mf.all_doses)
            for v in dose_vals.get((a, b), set()):
                if v not in allowed:
                    where = "anywhere in the transcript" if v not in self.facts.numbers else "as the client's dose"
                    add("dose", f"The dose {ct.fmt_number(v)} for {written} is not stated {where}.")
        # scores
        for skey, (vals, span) in scale_vals.items():
            sf = self.facts.scales.get(skey)
            name = sentence[span[0]:span[1]]
            known = (sf.current | sf.prior) if sf else set()
            for v in vals:
                if v not in known:
                    add("score", f"The {name} score {ct.fmt_number(v)} does not match the score given in "
                        "the session." if sf else f"The {name} score {ct.fmt_number(v)} is not in the transcript.")
            if sf:
                flags.extend(Flag(key, sentence, "score", r) for r in self._score_direction(sentence, span, name, sf))
        # other numbers
        used = {v for vs in dose_vals.values() for v in vs} | {v for vs, _ in scale_vals.values() for v in vs}
        used |= {float(m.group(1)) for m in _NAMED_NUMBER.finditer(sentence)}  # "COVID-19" is a name
        used |= next_visit.said_intervals(sentence, self.next_visit)  # "2 weeks" for "a couple of weeks"
        for v in sorted(ev.clean_numbers(sentence)):
            if v in used or v in self.facts.numbers or v in self.measures.values:  # also "half an hour" as 30
                continue
            add("number", f"The number {ct.fmt_number(v)} is not said anywhere in the transcript.")
        if not any(f.kind == "number" for f in flags):  # said, but with another unit or as another rating
            for reason in measure_checks.check(sentence, self.measures):
                add("measure", reason)
        # dates
        for d in sorted(ct.weekdays(sentence) - self.facts.weekdays):
            add("date", f"{d.capitalize()} is not mentioned in the session.")
        for m in sorted(ct.months(sentence) - self.facts.months):
            add("date", f"{m.capitalize()} is not mentioned in the session.")
        # the next visit: a time, weekday or interval said for something else
        if not any(f.kind in ("number", "date") for f in flags):
            for reason in next_visit.check(sentence, self.next_visit):
                add("next_visit", reason)
        # a length of time said with a number that was only said for something else
        if not any(f.kind in ("number", "date", "next_visit") for f in flags) and not next_visit.NOTE_CUE.search(
                sentence):
            for reason in next_visit.unsaid_lengths(sentence, self.next_visit):
                add("duration", reason)
        # risk statement
        for r in risk.note_contradicts_risk(sentence, self.findings):
            add("risk", r)
        # symptom negation
        if not any(f.kind == "risk" for f in flags):
            label = _LINE_LABEL.match(sentence)
            for men in self._mentions(sentence, label):
                if men.label != "SYMPTOM" or men.hypothetical or men.other_experiencer and (
                        self._someone_else(men, sentence) or not self._never_said(men.concept)):
                    continue
                if label and men.end <= label.end(1):
                    # "Chest pain: The patient denies any chest pain.": the label names the topic; what
                    # follows the colon says whether it was there.
                    rest = sentence[label.end():]
                    if re.search(r"\b" + re.escape(men.concept) + r"\b", rest, re.I):
                        continue  # read where the finding restates it
                    if _LABEL_DENIED.match(rest):
                        men = dataclasses.replace(men, negated=True)  # "Nausea: denies."
                # the symptom as the session named it: "knee pain" falls back to "pain"
                said_as = men.concept if men.concept in self.facts.concept_polarity else men.concept.split()[-1]
                seen = self.facts.concept_polarity.get(said_as)
                # Only the symptom itself: a rated knee pain says nothing about chest pain.
                by_rating = not seen and men.concept in self.facts.rated
                if by_rating:
                    if not men.negated or self.facts.rated[men.concept] != {"affirmed"} or _QUALIFIED.match(
                            sentence[men.end:]):
                        continue  # "no pain with squats" may be true while pain at rest was rated 4
                    add("negation", f"The note denies {men.concept}, but the client rated it above zero.")
                    continue
                if not seen:
                    if men.negated and self._never_said(men.concept):
                        add("denial_without_basis", f"The note says {men.concept} was denied, but the session "
                                                    f"never mentions {men.concept}.")
                    elif (not men.negated and not men.historical and men.concept in self.facts.warned
                          and not _INSTRUCTION.search(sentence) and not self._named_beyond_warnings(men.concept)):
                        # A small model turns "if you get calf pain, call us" into "reports calf pain".
                        add("warning_sign_reported", f"The note reports {men.concept}, but the session names it "
                                                     "only as a warning sign to watch for.")
                    elif (not men.negated and not men.hypothetical
                          and not _INSTRUCTION.search(sentence) and self._never_said(men.concept)):
                        add("symptom_never_said", f"The note reports {men.concept}, but the session never "
                                                  f"mentions {men.concept}.")
                    continue
                if not self._said_at_site(men, sentence, said_as):
                    continue  # "denies right hand pain" says nothing about the knee pain the client reported
                if men.negated and seen == {"affirmed"} and not _DURING.match(sentence[men.end:]):
                    add("negation", f"The note denies {men.concept}, but the client reported it.")
                elif not men.negated and not men.historical and seen == {"negated"} and not _INSTRUCTION.search(
                        sentence):
                    add("negation", f"The note reports {men.concept}, but the client denied it.")
        if not any(f.kind in ("risk", "negation", "denial_without_basis") for f in flags):
            for what in self._denials_without_denial(sentence):
                add("denial_without_denial", f"The note says '{what}' was denied, but in the session it was "
                                             "talked about and never denied.")
        # improved vs worse
        flags.extend(Flag(key, sentence, "polarity", r) for r in self._polarity(sentence))
        # normal findings never assessed
        for pat, basis, label in _MSE_NORMAL:
            if pat.search(sentence) and not basis.search(self.low):
                add("normal_findings_without_basis",
                    f"The note states normal {label} findings, but the transcript never assessed {label}.")
        # the conversation itself, pasted in
        if self._copied_speech(sentence):
            add("copied_speech", "This sentence is the conversation copied word for word, not note language "
                                 "(it addresses 'you', asks a question or is spoken filler); rewrite or remove it.")
        del med_spans
        return flags

    # -- helpers --
    @staticmethod
    def _mentions(sentence: str, label) -> list:
        """Concept mentions with their ConText modifiers. A heading's words do not modify the
        finding after its colon ("Symptoms as reported or denied by the patient: Dizziness."),
        so a labelled line is read in two parts, unless the label is the denial ("Denies: ...")."""
        if not label or _DENIAL_HEADING.match(label.group(1)):
            return cr.analyze(sentence)
        cut = label.end()
        return cr.analyze(sentence[:cut]) + [dataclasses.replace(m, start=m.start + cut, end=m.end + cut)
                                             for m in cr.analyze(sentence[cut:])]

    @staticmethod
    def _someone_else(men, sentence: str) -> bool:
        """The symptom is another person's: ConText's experiencer, unless only a pronoun made it so.
        In a note "she", "he" and "they" are the client or patient ("stopped it when they felt
        dizzy"); in the session they are someone the client talks about. Used only for symptoms
        the session never names: where it names them, reading pronoun sentences against the
        session's polarity raised six false alarms on ACI-Bench reference notes (the session's
        "nothing tingling", "no, the weight loss has really decreased all the pain")."""
        return men.other_experiencer and bool(_OTHER_PERSON.search(sentence[max(0, men.start - 60):men.start]))

    def _named_beyond_warnings(self, concept: str) -> bool:
        """Do the symptom's own words appear outside the sentences warning of it? ("do you feel
        short of breath?" "just when I'm exerting": it was discussed, not only warned of.)"""
        words = [w for w in re.findall(r"[a-z]+", concept.lower()) if w not in _GENERIC_SYMPTOM_WORDS]
        rest = self.low
        for said in self.facts.warned.get(concept, ()):
            rest = rest.replace(said.lower(), " ")
        return not words or any(w[:5] in rest for w in words)

    def _never_said(self, concept: str) -> bool:
        """No word of the concept but the generic ones ("pain") appears anywhere in
        the session, even as a stem, nor the everyday words for it ("tired" for
        fatigue): neither a denial nor a report of it can come from the session.
        On ACI-Bench train, 70 of 110 drafted reviews of systems said "Denies
        chest pain" (the instruction's example) in visits that never named the chest."""
        words = [w for w in re.findall(r"[a-z]+", concept.lower()) if w not in _GENERIC_SYMPTOM_WORDS]
        return bool(words) and not any(w[:4] in self.low for w in words) and not any(
            re.search(r"\b" + lay, self.low) for lay in _SAID_AS.get(concept, ()))

    def _denials_without_denial(self, sentence: str) -> list[str]:
        """Denied objects that the session discusses but nowhere denies. A 1.5B
        draft wrote "thoughts about getting fired, which the client denies" of a
        client who rated that belief 95 out of 100, and "fortune-telling and
        mind-reading, which the client denies" of thinking traps the client named.
        Symptoms and risk have their own checks (ConText on the concept); this is
        for everything else, and stays quiet unless every distinctive word of the
        object is in the session and no sentence holding them carries a
        negation or is the clinician's, answered with one."""
        objects = [_OBJECT_END.split(m.group("obj"), maxsplit=1)[0] for m in _DENIES_OBJECT.finditer(sentence)]
        objects += [m.group("obj").rsplit(" that ", 1)[-1] for m in _OBJECT_DENIED.finditer(sentence)]
        out = []
        for obj in objects:
            obj = _OBJECT_LEAD.sub("", obj.strip(" ,"))
            if not obj or any(m.label != "MEDICATION" for m in cr.analyze(obj)):
                continue  # symptoms and risk are judged by their own checks above
            stems = [ct.norm_stem(s) for s in ct.content_stems(obj) if s not in _DENIAL_FILLER]
            stems = list(dict.fromkeys(s for s in stems if len(s) >= 3))
            if not stems or not all(ev._stem_found(s, self.facts.stems) for s in stems):
                continue  # not said at all: the evidence check reports it unsupported
            if self._ever_denied(stems):
                continue
            out.append(obj)
        return out

    def _ever_denied(self, stems: list[str]) -> bool:
        segs = [s for s in self.t.segments if s.text.strip()]
        said = False
        for i, seg in enumerate(segs):
            for x, y in ct.sentence_spans(seg.text):
                sent = seg.text[x:y]
                pool = {ct.norm_stem(s) for s in ct.content_stems(sent, keep_boilerplate=True)}
                if not any(ev._stem_found(s, pool) for s in stems):
                    continue
                said = True
                if _NEGATION_CUE.search(sent):
                    return True
                # Asked about and answered with any negation ("on my body no, not really",
                # "no vomiting but constipation"): transcripts without punctuation hide
                # the question mark, so every clinician sentence counts as a question.
                if seg.speaker == CLINICIAN:
                    nxt = next((s for s in segs[i + 1:i + 2] if s.speaker != CLINICIAN), None)
                    if nxt is not None and _NEGATION_CUE.search(nxt.text):
                        return True
        return not said

    def _copied_speech(self, sentence: str) -> bool:
        """A note speaks about the client, never to them; a sentence addressing
        "you", or asking a question, that runs five words or more exactly as
        said is dialogue the model pasted in ("Do you need a refill of that?").
        Quoted speech ('she said "you never listen"') is the note quoting, not
        copying, so quotes are set aside first."""
        plain = _QUOTED.sub(" ", sentence)
        if not (ct.SECOND_PERSON.search(plain) or _SPOKEN.search(plain) or plain.rstrip().endswith("?")):
            return False
        if self._said_5grams is None:
            words = _WORD.findall(self.low)
            self._said_5grams = {tuple(words[i:i + 5]) for i in range(len(words) - 4)}
        words = _WORD.findall(plain.lower())
        return any(tuple(words[i:i + 5]) in self._said_5grams for i in range(len(words) - 4))

    def _said_at_site(self, men, sentence: str, said_as: str) -> bool:
        """May the session's opposite statement about this symptom be held against the note's?
        Yes when the note names no body site for it; else only if the session said it of the same
        site. (Only ever removes a flag: per-site readings of long spoken turns are too loose to
        raise one.)"""
        if men.concept not in _LOCAL_SYMPTOMS:
            return True  # nausea, fever, "chest pain": nowhere else to put it, or the site is in the name
        note_sites = body_sites(sentence[max(0, men.start - 30):men.end + 40])
        if not note_sites:
            return True
        opposite = "affirmed" if men.negated else "negated"
        return any(s & note_sites for s in self.facts.sites.get(said_as, {}).get(opposite, []))

    def _no_current_medication(self) -> str | None:
        """Why a note may not say the client takes (unnamed) medication now, or None."""
        meds = {g: mf for g, mf in self.facts.meds.items() if not mf.allergy_only}
        if any(mf.current or not mf.historical for mf in meds.values()):
            return None
        if not meds and not _ANY_MED_TALK.search(self.low):
            return "The note says the client takes medication, but the session never mentions any."
        if meds and _NO_MEDS_NOW.search(self.low):
            stopped = ", ".join(sorted(meds))
            return (f"The note says the client takes medication now, but the client stopped {stopped} "
                    "and said they take none.")
        return None

    def _note_says_historical(self, sentence: str, a: int, b: int) -> bool:
        """Does the clause holding the drug say it was stopped / is not taken?"""
        # "denies any other medications besides lisinopril": what follows "besides" is taken.
        cuts = [0] + [m.end() for m in re.finditer(r";|,\s+(?:and|but)\s+|\s+and\s+(?=(?:has|had|is|was|takes|"
                                                         r"took|no longer|denies|stopped|reports)\b)|\s+but\s+|"
                                                         r"\s+(?:besides|other than|except(?: for)?|apart from)\s+",
                                                         sentence)] + [len(sentence)]
        lo = max(c for c in cuts if c <= a)
        hi = min(c for c in cuts if c > a)
        clause = sentence[lo:hi]
        if _NONADHERENT.search(clause):
            return False  # "not consistent with taking Lasix": taken, irregularly
        if _ABOUT_THE_DRUG.search(sentence[lo:a]) and not re.search(_STOP_VERBS, clause, re.I):
            return False  # "denies side effects from sertraline": the side effects are denied, not the drug
        # "taking hydroxyzine for months, but stopped it": the stop is in the next clause.
        if _STOPPED_IT.match(sentence[hi:hi + 60]):
            return True
        for men in cr.analyze(clause):
            if men.label == "MEDICATION" and men.start <= a - lo < men.end + 1:
                if men.historical or men.negated:
                    return True
        return bool(_NOTE_HISTORICAL.search(_ONGOING_USE.sub(" ", clause)))

    def _dose_values(self, sentence: str) -> dict[tuple[int, int], set[float]]:
        """Numbers written as a dose of a named medication in the sentence."""
        meds = ct.find_medications(sentence)
        out: dict[tuple[int, int], set[float]] = {}
        nums = ct.find_numbers(sentence)
        for _, _, a, b in meds:
            out[(a, b)] = set()
        for n in nums:
            if not _DOSE_AFTER.match(sentence[n.end:n.end + 14]):
                continue
            # attach to the nearest medication before it (or right after it)
            before = [(a, b) for _, _, a, b in meds if b <= n.start]
            after = [(a, b) for _, _, a, b in meds if a >= n.end]
            target = before[-1] if before else (after[0] if after else None)
            if target is not None:
                out[target].add(abs(n.value))
        return out

    def _scale_values(self, sentence: str) -> dict[str, tuple[set[float], tuple[int, int]]]:
        out = {}
        ms = list(ct.SCALE_NAME.finditer(sentence))
        for i, m in enumerate(ms):
            key = scale_key(m.group(0))
            end = ms[i + 1].start() if i + 1 < len(ms) else len(sentence)
            zone = sentence[m.end():end]
            zone = re.split(r";|\.\s|\b(?:anxiety|belief|rating|pain|sleep|after)\b", zone, maxsplit=1)[0]
            vals = score_values(zone)
            out[key] = (vals, (m.start(), m.end()))
        return out

    def _score_direction(self, sentence: str, span, name: str, sf: ScaleFacts) -> list[str]:
        out = []
        zone = sentence[span[1]:span[1] + 90]
        m = re.search(r"from\s+(\d+(?:\.\d+)?)\s+to\s+(\d+(?:\.\d+)?)", zone)
        pair = None
        if m:
            pair = (float(m.group(1)), float(m.group(2)))  # prior, current
        else:
            m = re.search(r"(\d+(?:\.\d+)?)[^.;]{0,30}?\b(?:up|down|increased|decreased|improved|worsened)?\s*"
                          r"from\s+(\d+(?:\.\d+)?)", zone)
            if m:
                pair = (float(m.group(2)), float(m.group(1)))
        if pair and sf.current and sf.prior:
            prior, current = pair
            if prior in sf.current and current in sf.prior and prior not in sf.prior:
                out.append(f"The note reverses the {name} scores: {ct.fmt_number(current)} was the earlier score "
                           f"and {ct.fmt_number(prior)} is today's.")
        elif sf.current and sf.prior:
            out.extend(self._score_times(sentence[span[1]:span[1] + 120], name, sf))
        if sf.current and sf.prior and len(sf.current) == 1 and len(sf.prior) == 1 and sf.key in _SCALE_HIGHER_WORSE:
            cur, pri = next(iter(sf.current)), next(iter(sf.prior))
            text = sentence[span[0]:span[1] + 90]
            says_better = re.search(r"\b(?:improv\w*|decreas\w*|lower|down|dropped|reduc\w*|better)\b", text, re.I)
            says_worse = re.search(r"\b(?:worse\w*|worsen\w*|increas\w*|higher|up from|rose|elevated from)\b",
                                   text, re.I)
            if cur > pri and says_better and not says_worse:
                out.append(f"The note says {name} improved, but it went from {ct.fmt_number(pri)} to "
                           f"{ct.fmt_number(cur)} (higher is worse).")
            elif cur < pri and says_worse and not says_better:
                out.append(f"The note says {name} worsened, but it went from {ct.fmt_number(pri)} to "
                           f"{ct.fmt_number(cur)} (lower is better).")
        return out

    @staticmethod
    def _score_times(zone: str, name: str, sf: ScaleFacts) -> list[str]:
        """A score with the wrong time right after it: "a GAD-7 of 15 at intake and
        17 five weeks ago" when 15 is today's (a 1.5B draft). Only the words
        directly after a number count: "14 today, up from the last time" must not
        read "last time" as the 14's."""
        out = []
        for n in ct.find_numbers(zone):
            after = zone[n.end:n.end + 40]
            if n.value in sf.current and n.value not in sf.prior and _SCORE_THEN.match(after):
                out.append(f"The note gives today's {name} score, {ct.fmt_number(n.value)}, as an earlier one.")
            elif n.value in sf.prior and n.value not in sf.current and _SCORE_NOW.match(after):
                out.append(f"The note gives the earlier {name} score, {ct.fmt_number(n.value)}, as today's.")
        return out

    def _polarity(self, sentence: str) -> list[str]:
        out = []
        if not _IMPROVE.search(sentence) or re.search(r"\b(?:no|not|without|denies)\s+(?:\w+\s+){0,2}improv",
                                                      sentence, re.I):
            return out
        for topic, rx in _TOPICS.items():
            m = rx.search(sentence)
            if not m:
                continue
            # the improvement word must be about this topic (same clause)
            clause = next((c for c in re.split(r"[;,]|\band\b(?= \w+ (?:is|was|has))", sentence) if rx.search(c)),
                          sentence)
            if not _IMPROVE.search(clause) and not re.search(r"improvement in [^.;]*" + m.group(0), sentence, re.I):
                continue
            worse = better = 0
            for question, text in self.facts.client_turns:
                if rx.search(text) or (question and rx.search(question)):
                    if _WORSEN.search(text):
                        worse += 1
                    if _IMPROVE.search(text) and not re.search(r"\b(?:not|no|isn't|hasn't)\b[^.]{0,15}better",
                                                                text, re.I):
                        better += 1
            if worse and not better:
                out.append(f"The note says {topic} improved, but the client described it as worse or poor.")
        return out


def check_sections(sections: dict[str, str], transcript: Transcript) -> list[Flag]:
    """Flags for every section of a note: {section key: text}."""
    checker = _Checker(transcript)
    flags: list[Flag] = []
    for key, text in sections.items():
        for sentence in ct.split_sentences(text or ""):
            flags.extend(checker.check(key, sentence))
    return flags


def check_note(note, transcript: Transcript | None = None) -> list[Flag]:
    """Flags for a Note (soapdesk.core.note.Note) or a {key: text} dict."""
    if isinstance(note, dict):
        return check_sections(note, transcript)
    return check_sections({s.key: s.text for s in note.sections}, transcript or note.transcript)


def normal_findings_without_basis(text: str, transcript: Transcript) -> list[str]:
    """Normal mental-status/exam findings the transcript never assessed."""
    low = transcript.text.lower()
    out = []
    for sentence in ct.split_sentences(text):
        for pat, basis, label in _MSE_NORMAL:
            if pat.search(sentence) and not basis.search(low):
                out.append(f"The note states normal {label} findings, but the transcript never assessed {label}.")
    return out


__all__ = ["Flag", "check_note", "check_sections", "normal_findings_without_basis", "transcript_facts", "CLIENT"]
