"""Billing suggestions: CPT codes from session minutes and stated interventions,
ICD-10-CM codes only for diagnoses the clinician stated. Suggestions, not
billing advice: every one carries the reason or quote it rests on.

Psychotherapy (face-to-face minutes): 90832 16-37, 90834 38-52, 90837 >= 53;
90791 intake/diagnostic evaluation; 90846 family without the client, 90847
with; 90853 group; 90839 crisis first 30-74 min + 90840 per additional 30 min.
Under 16 minutes no psychotherapy code is reported.

Rehab timed codes use the CMS 8-minute rule: total timed minutes → units
(8-22 = 1, 23-37 = 2, 38-52 = 3, ...); each code first gets its full
15-minute units, the rest go to the codes with the largest remaining minutes.
Untimed codes (evaluations, 92507, 97010 hot/cold packs...) are 1 unit each.

Session minutes come from, in order: the `minutes` argument, a length stated
in the transcript ("our usual forty-five minutes"), the recording duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from soapdesk.core import clinical_text as ct
from soapdesk.core import context_rules as cr
from soapdesk.core.transcript import CLINICIAN, Transcript


@dataclass
class CptSuggestion:
    code: str
    units: int
    reason: str
    minutes: int | None = None

    def to_json(self) -> dict:
        return {"code": self.code, "units": self.units, "reason": self.reason}


@dataclass
class IcdSuggestion:
    code: str
    description: str
    evidence: str
    segment_id: int | None = None

    def to_json(self) -> dict:
        return {"code": self.code, "description": self.description, "evidence": self.evidence}


@dataclass
class BillingSuggestions:
    cpt: list[CptSuggestion] = field(default_factory=list)
    icd10: list[IcdSuggestion] = field(default_factory=list)
    not_billed: list[CptSuggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    minutes: int | None = None
    minutes_source: str = ""

    def to_json(self) -> dict:
        out = {"cpt": [c.to_json() for c in self.cpt], "icd10": [i.to_json() for i in self.icd10]}
        if self.not_billed:
            out["not_billed"] = [c.to_json() for c in self.not_billed]
        if self.notes:
            out["notes"] = list(self.notes)
        return out


# -- psychotherapy -------------------------------------------------------------

PSYCHOTHERAPY = "individual"
SERVICES = ("individual", "intake", "family", "family_with_client", "family_without_client", "group", "crisis",
            "pt", "ot", "slp", "pt_eval", "ot_eval", "slp_eval")


def psychotherapy_code(minutes: int | None) -> tuple[str | None, str]:
    if minutes is None:
        return None, "No psychotherapy code: the session length is unknown (give the minutes)."
    if minutes < 16:
        return None, (f"No psychotherapy code: {minutes} minutes is under the 16-minute minimum for 90832.")
    if minutes <= 37:
        return "90832", f"Psychotherapy, {minutes} minutes with the client (90832 covers 16-37 minutes)."
    if minutes <= 52:
        return "90834", f"Psychotherapy, {minutes} minutes with the client (90834 covers 38-52 minutes)."
    return "90837", f"Psychotherapy, {minutes} minutes with the client (90837 is 53 minutes or more)."


def crisis_codes(minutes: int) -> list[CptSuggestion]:
    if minutes < 30:
        code, why = psychotherapy_code(minutes)
        if code is None:
            return []
        return [CptSuggestion(code, 1, f"Crisis session under 30 minutes is reported as psychotherapy: {why}",
                              minutes)]
    out = [CptSuggestion("90839", 1, f"Psychotherapy for crisis, first 30-74 minutes ({minutes} minutes).", minutes)]
    if minutes >= 75:
        extra = (minutes - 74 + 29) // 30 if minutes > 74 else 0
        extra = max(1, (minutes - 75) // 30 + 1)
        out.append(CptSuggestion("90840", extra, f"Each additional 30 minutes of crisis psychotherapy beyond 74 "
                                 f"minutes ({minutes} minutes in total).", minutes))
    return out


# -- rehab ---------------------------------------------------------------------

# (pattern, code, timed, label)
REHAB_INTERVENTIONS = [
    (r"therapeutic exercises?|ther ?ex|therex", "97110", True, "Therapeutic exercise"),
    (r"manual therapy|manual techniques?|joint mobili[sz]ations?|soft[- ]tissue (?:mobili[sz]ation|work)", "97140",
     True, "Manual therapy"),
    (r"therapeutic activit(?:y|ies)", "97530", True, "Therapeutic activities"),
    (r"neuromuscular re-?education|neuro ?re-?ed|balance training", "97112", True,
     "Neuromuscular re-education"),
    (r"gait training|gait", "97116", True, "Gait training"),
    (r"self[- ]care(?: training)?|home management training|adl training|activities of daily living training",
     "97535", True, "Self-care/home management training"),
    (r"aquatic therapy|pool therapy", "97113", True, "Aquatic therapy"),
    (r"ultrasound", "97035", True, "Ultrasound"),
    (r"iontophoresis", "97033", True, "Iontophoresis"),
    (r"massage", "97124", True, "Massage"),
    (r"cognitive (?:function )?(?:intervention|training|therapy)", "97129", True, "Therapeutic cognitive intervention"),
    (r"orthotic (?:management|training)|prosthetic training", "97760", True, "Orthotic management and training"),
    (r"electrical stimulation|e-?stim", "97014", False, "Electrical stimulation, unattended"),
    (r"ice|cold packs?|hot packs?|heat|cryotherapy|ice pack", "97010", False, "Hot/cold packs"),
    (r"mechanical traction|traction", "97012", False, "Mechanical traction"),
    (r"paraffin(?: bath| wax)?", "97018", False, "Paraffin bath"),
    (r"speech(?:[- ]language)? therapy|speech treatment|language therapy|articulation therapy|voice therapy|"
     r"fluency therapy", "92507", False, "Speech/language treatment"),
    (r"swallow(?:ing)? therapy|dysphagia (?:treatment|therapy)", "92526", False, "Treatment of swallowing"),
]
UNTIMED_NOTE = {"97010": "untimed supervised modality; bundled and not separately payable under Medicare, "
                         "and many payers bundle it too"}

_MIN = r"(?P<n>\d+|(?:[a-z]+[- ]?){1,4}?)\s*(?:minutes?|mins?)\b"


_JOIN = r"\s+(?:(?:of|on|doing|with|working on)\s+)?(?:the\s+)?"


@lru_cache(maxsize=1)
def _rehab_patterns():
    """Per intervention: minutes before it ("ten minutes of/on manual therapy"),
    minutes after it ("gait training for ten minutes"), and minutes before it
    with what was done in between ("ten minutes with the pegboard as
    therapeutic activities")."""
    pats = []
    for pat, code, timed, label in REHAB_INTERVENTIONS:
        a = re.compile(_MIN + _JOIN + r"(?:" + pat + r")\b", re.I)
        b = re.compile(r"\b(?:" + pat + r")\s*(?:for|:|-)\s*(?:about\s+)?" + _MIN, re.I)
        c = re.compile(_MIN + r"\s+(?:of|on|with|doing)\s+[^.;!?]{3,40}?\s+as\s+(?:the\s+)?(?:" + pat + r")\b", re.I)
        pats.append((a, b, c, code, timed, label))
    return pats


@lru_cache(maxsize=1)
def _paired_interventions() -> tuple[re.Pattern, re.Pattern]:
    """Another intervention joined by "and" just before, and just after, a match."""
    any_one = "|".join(f"(?:{pat})" for pat, *_ in REHAB_INTERVENTIONS)
    return (re.compile(r"\b(" + any_one + r")\s+(?:and|&|plus)\s+(?:some\s+|the\s+)?$", re.I),
            re.compile(r"\s*(?:,\s*)?(?:and|&|plus)\s+(?:some\s+|the\s+)?(" + any_one + r")\b", re.I))


def _shared_with(text: str, m: re.Match, before: bool) -> str | None:
    """The other intervention when the stated minutes were for two together
    ("fifteen minutes on paraffin and soft tissue work", "paraffin and soft
    tissue work for fifteen minutes"): the split between them was not said."""
    preceding, following = _paired_interventions()
    other = (preceding.search(text[max(0, m.start() - 60):m.start()]) if before
             else following.match(text[m.end():]))
    return other.group(1) if other else None


def _to_int(s: str) -> int | None:
    nums = ct.find_numbers(s)
    if len(nums) != 1:
        return None
    v = nums[0].value
    return int(v) if v > 0 and float(v).is_integer() else None


# Whose words state minutes: the clinician's, or anyone's in a transcript without speakers.
CLINICIAN_SPEAKERS = (CLINICIAN, "unknown")


def minutes_said(text: str) -> list[tuple[str, bool, str, int, str, str | None]]:
    """[(code, timed, label, minutes, words, other)] for each intervention given
    minutes in `text`, in order; `other` is the intervention named with it when
    the minutes were for the two together ("paraffin and soft tissue work for
    fifteen minutes"), else None."""
    out = []
    if not re.search(r"\bmins?\b|\bminutes?\b", text, re.I):
        return out  # the patterns are slow to fail on long text, and most sentences give no minutes
    for a, b, c, code, timed, label in _rehab_patterns():
        for rx in (a, b, c):
            for m in rx.finditer(text):
                n = _to_int(m.group("n"))
                if n is None:
                    continue
                if re.search(r"\b(?:left|remaining|more|later|break|ago|each|per)\b",
                             text[m.end():m.end() + 12], re.I):
                    continue
                other = _shared_with(text, m, before=rx is b)
                words = m.group(0)
                if other:
                    words = f"{words} and {other}" if rx is not b else f"{other} and {words}"
                out.append((code, timed, label, n, words, other))
    return out


def stated_rehab_minutes(transcript: Transcript, shared: list[str] | None = None
                         ) -> list[tuple[str, bool, str, int, str, int]]:
    """[(code, timed, label, minutes, quote, segment id)] for interventions with
    stated minutes. When several statements name the same code, the clinician's
    summary (the latest) wins. Minutes stated for two interventions together
    are given to neither; what was said goes to `shared`."""
    found: dict[str, tuple] = {}
    for seg in transcript.segments:
        if seg.speaker not in CLINICIAN_SPEAKERS:
            continue
        for code, timed, label, n, words, other in minutes_said(seg.text):
            if other:
                if shared is not None and not any(words in x for x in shared):
                    shared.append(f'{n} minutes were stated for two interventions together ("{words}"); '
                                  "the minutes of each were not said, so neither is coded from them.")
                continue
            found[code] = (code, timed, label, n, words, seg.id)
    return list(found.values())


def eight_minute_rule(timed: dict[str, int], method: str = "cms") -> dict[str, int]:
    """Units for timed codes, {code: minutes} → {code: units}.

    method="cms" (Medicare and payers that follow it): total timed minutes set
    the number of units (8-22 = 1, 23-37 = 2, 38-52 = 3, ...); each code first
    gets its full 15-minute units, the rest go to the largest remaining minutes
    (ties: to a code that has no unit yet). 25 + 10 minutes = 35 → 2 units.
    method="ama" (per-code "substantial portion", many commercial payers): each
    code on its own, a unit per 15 minutes plus one for a remainder of 8 or more.
    25 + 10 minutes → 2 + 1 units.
    """
    if method == "ama":
        return {c: m // 15 + (1 if m % 15 >= 8 else 0) for c, m in timed.items()}
    total = sum(timed.values())
    if total < 8:
        return {c: 0 for c in timed}
    units_total = total // 15 + (1 if total % 15 >= 8 else 0)
    units = {c: m // 15 for c, m in timed.items()}
    left = units_total - sum(units.values())
    order = sorted(timed, key=lambda c: (-(timed[c] % 15), units[c], -timed[c]))
    for c in order:
        if left <= 0:
            break
        if timed[c] % 15 > 0:
            units[c] += 1
            left -= 1
    return units


# -- session minutes -----------------------------------------------------------

_SESSION_LEN = [
    re.compile(r"\b(?:our|the|this|a|today's)\s+(?:usual\s+|full\s+|regular\s+|normal\s+|standard\s+)?"
               r"(?P<n>(?:\d+|[a-z]+(?:[- ][a-z]+)?))[- ]minutes?(?:\s+(?:session|today|together|appointment|visit))?",
               re.I),
    re.compile(r"\bsession (?:is|was|will be|lasted|ran|runs)\s+(?:about\s+|around\s+)?"
               r"(?P<n>(?:\d+|[a-z]+(?:[- ][a-z]+)?)) minutes", re.I),
    re.compile(r"\bwe(?:'ve| have) (?:got )?(?:about )?(?P<n>(?:\d+|[a-z]+(?:[- ][a-z]+)?)) minutes today", re.I),
    # Said at the end: "today was fifty minutes", "today's session ran about 45 minutes".
    re.compile(r"\btoday(?:'s session)? (?:was|is|ran|lasted|has been) (?:about\s+|around\s+)?"
               r"(?P<n>(?:\d+|[a-z]+(?:[- ][a-z]+)?)) minutes", re.I),
]
_NOT_SESSION = re.compile(r"^\s*(?:left|remaining|more|of (?!therapy|psychotherapy|session)|in the car|walk|"
                          r"break|ago|later|each|a day|per|to go)", re.I)


def stated_session_minutes(transcript: Transcript) -> tuple[int, str, int] | None:
    """(minutes, quote, segment id) when the clinician states the session length."""
    hits = []
    for seg in transcript.segments:
        if seg.speaker not in CLINICIAN_SPEAKERS:
            continue
        for rx in _SESSION_LEN:
            for m in rx.finditer(seg.text):
                n = _to_int(m.group("n"))
                if n is None or n < 10 or n > 240:
                    continue
                tail = seg.text[m.end():m.end() + 25]
                if _NOT_SESSION.match(tail):
                    continue
                sent = next((seg.text[a:b].strip() for a, b in ct.sentence_spans(seg.text) if a <= m.start() < b),
                            m.group(0))
                hits.append((n, sent, seg.id))
    if not hits:
        return None
    # the length said most often, the first statement as the quote
    counts: dict[int, int] = {}
    for n, _, _ in hits:
        counts[n] = counts.get(n, 0) + 1
    best = max(counts, key=lambda n: (counts[n], -[h[0] for h in hits].index(n)))
    return next(h for h in hits if h[0] == best)


def session_minutes(transcript: Transcript, minutes: int | None = None) -> tuple[int | None, str]:
    if minutes is not None:
        return int(minutes), f"{int(minutes)} minutes, as entered by the clinician."
    stated = stated_session_minutes(transcript)
    if stated:
        return stated[0], f'{stated[0]} minutes, as stated in the session: "{stated[1]}"'
    if transcript.source == "audio" and transcript.duration_s:
        m = int(round(transcript.duration_s / 60))
        return m, f"{m} minutes, from the length of the recording."
    return None, "The session length is unknown."


# -- service type --------------------------------------------------------------

_REHAB_TEMPLATES = {"pt_daily": "pt", "ot_daily": "ot", "slp_daily": "slp"}


def infer_service(transcript: Transcript, template_id: str | None = None) -> str:
    if template_id in _REHAB_TEMPLATES:
        return _REHAB_TEMPLATES[template_id]
    if template_id == "intake":
        return "intake"
    if stated_rehab_minutes(transcript):
        return "pt"
    labels = {s.speaker_label.lower() for s in transcript.segments if s.speaker != CLINICIAN}
    others = [s for s in transcript.segments if s.speaker == "other"]
    text = transcript.text.lower()
    if re.search(r"\b(?:group members|welcome,? everyone|everyone in the group|group session)\b", text):
        return "group"
    # Couples therapy is billed as family psychotherapy (90847 with the client there).
    partner = any(re.fullmatch(r"partner|spouse|husband|wife|boyfriend|girlfriend", s.speaker_label.strip().lower())
                  for s in others)
    if others and (partner or re.search(r"\bfamily session\b|\bfamily therapy\b|\bcouples? (?:session|therapy|"
                                        r"counsel+ing)\b", text)):
        return "family_with_client" if any(s.speaker == "client" for s in transcript.segments) else "family_without_client"
    if re.search(r"\b(?:intake|initial (?:assessment|evaluation)|diagnostic evaluation)\b", text) and re.search(
            r"\b(?:first session|first time meeting|today is (?:an|your) intake|start with some background)\b", text):
        return "intake"
    del labels
    return PSYCHOTHERAPY


# -- ICD-10-CM -----------------------------------------------------------------

_DX_CUE = re.compile(
    r"\b(?:diagnos(?:is|es|e|ed|ing)|i(?:'d| would)? (?:still )?(?:call|classify) (?:this|it|that)|"
    r"we (?:landed|settled|agreed) on|meets? (?:the )?criteria for|(?:this|it|that) is consistent with|"
    r"working diagnosis|(?:you|he|she) (?:have|has) (?:a |an )?|what you have is|this looks like|"
    r"(?:i'm|i am) (?:going to|gonna) (?:call|code|diagnose)|i think (?:this|it) is|your diagnosis)", re.I)
_ABBREVIATIONS = {
    "ptsd": "post-traumatic stress disorder", "gad": "generalized anxiety disorder",
    "mdd": "major depressive disorder", "ocd": "obsessive-compulsive disorder",
    "adhd": "attention-deficit hyperactivity disorder", "add": "attention-deficit hyperactivity disorder",
    "copd": "chronic obstructive pulmonary disease", "gerd": "gastro-esophageal reflux disease",
    "bpd": "borderline personality disorder", "aud": "alcohol use disorder",
    "htn": "hypertension", "t2dm": "type 2 diabetes mellitus",
}
_DISORDER_HEAD = re.compile(
    r"(?:disorder|disease|syndrome|depression|dysthymia|insomnia|hypertension|diabetes(?: mellitus)?|asthma|"
    r"phobia|bulimia|anorexia nervosa|schizophrenia|dementia|migraine|reaction|episode|"
    r"(?:recurrent|single episode|mild|moderate|severe|unspecified|in (?:partial|full) remission|with [a-z ]+?|"
    r"without [a-z ]+?|chronic|acute|combined type|predominantly [a-z]+ type)(?=[,.;]|$))", re.I)
_WORD_SPLIT = re.compile(r"[a-z0-9]+", re.I)
_IGNORE_DESC_WORDS = {"unspecified", "other", "and", "of", "the", "with", "in", "type", "episode", "single", "not",
                      "elsewhere", "classified", "specified", "nos", "or", "to", "due", "a", "an", "disorder",
                      "disorders"}


def _norm_words(text: str) -> list[str]:
    return [ct.stem(w) for w in _WORD_SPLIT.findall(text.lower().replace("post-traumatic", "posttraumatic")
                                                    .replace("-", " "))]


@lru_cache(maxsize=1)
def _icd_index():
    """Billable ICD-10-CM leaf codes with the words of their description and of
    their inclusion terms (where DSM-5 wording such as "Alcohol use disorder,
    moderate" or "Social anxiety disorder" lives), and an inverted index."""
    import simple_icd_10_cm as cm

    entries = []
    inverted: dict[str, set[int]] = {}

    def add(code: str, desc: str, text: str):
        words = _norm_words(re.sub(r"\[[^\]]*\]", " ", text))
        idx = len(entries)
        entries.append((code, desc, words))
        for w in set(words):
            inverted.setdefault(w, set()).add(idx)

    for code in cm.get_all_codes(True):
        if not code[0].isalpha() or not cm.is_leaf(code):
            continue
        if code[0] in "STVWXYZO" or len(code.replace(".", "")) > 6:
            continue  # injuries, external causes, pregnancy and 7th characters need chart detail
        desc = cm.get_description(code)
        add(code, desc, desc)
        terms = list(cm.get_inclusion_term(code))
        parent = cm.get_parent(code)
        if parent and "unspecified" in desc.lower() or parent and len(cm.get_children(parent)) == 1:
            terms += [t for t in cm.get_inclusion_term(parent)]
        for t in terms:
            add(code, desc, t)
    return entries, inverted


_IGNORE_STEMS = {ct.stem(w) for w in _IGNORE_DESC_WORDS | {"without", "psychotic", "features", "uncomplicated",
                                                              "unspecified", "NOS"}}


def lookup_icd10(phrase: str) -> tuple[str, str] | None:
    """The billable ICD-10-CM code whose description (or inclusion term) best
    matches a stated diagnosis, or None. Every word of the stated phrase must be
    there; each extra word costs, and "unspecified" leaves win ties, so a code is
    never more specific than what the clinician said."""
    import simple_icd_10_cm as cm

    text = phrase.lower().strip(" .,;")
    for ab, full in _ABBREVIATIONS.items():
        text = re.sub(rf"\b{ab}\b", full, text)
    stop = {ct.stem(w) for w in ("a", "an", "the", "of", "and", "with", "in", "current", "type", "still", "this",
                                 "is", "episode")}
    words = [w for w in _norm_words(text) if w not in stop]
    if not words:
        return None
    entries, inverted = _icd_index()
    cands = None
    for w in words:
        ids = inverted.get(w, set())
        cands = ids if cands is None else cands & ids
        if not cands:
            return None
    best, best_score = None, None
    for i in cands:
        code, desc, dwords = entries[i]
        extra = [w for w in dwords if w not in words and w not in _IGNORE_STEMS]
        unspecified = "unspecified" in desc.lower()
        score = (len(extra), 0 if unspecified else 1, len(dwords), code)
        if best_score is None or score < best_score:
            best, best_score = (code, desc), score
    if best is None or best_score[0] > 1 or not cm.is_valid_item(best[0]):
        return None
    return best


def _dx_phrases(sentence: str) -> list[str]:
    """Candidate diagnosis phrases in a clinician's diagnostic statement."""
    out = []
    cues = list(_DX_CUE.finditer(sentence))
    if not cues:
        return out
    # the last cue sits next to the name: "The diagnosis we landed on is X"
    tail = sentence[cues[-1].end():]
    tail = re.sub(r"^\s*(?:of|is|was|as|for|with|on|:|,)\s+", "", tail.strip(), flags=re.I)
    tail = re.sub(r"^(?:a|an|the|still|probably|likely)\s+", "", tail, flags=re.I)
    # cut at the end of the clinical phrase
    tail = re.split(r"\s+(?:--|—)\s+|[.;!?]\s|[.;!?]$|\s+(?:which|because|but|and that|so|given|since|plus|"
                    r"the worry|the)\b", tail)[0]
    tail = tail.strip(" ,.")
    if not tail:
        return out
    # longest first: the whole phrase, then shorter prefixes ending at a comma
    parts = [p.strip() for p in tail.split(",")]
    for k in range(len(parts), 0, -1):
        out.append(", ".join(parts[:k]))
    return out


def stated_diagnoses(transcript: Transcript) -> list[IcdSuggestion]:
    """Diagnoses the clinician stated, with validated ICD-10-CM codes. Nothing is
    inferred from symptoms; negated or ruled-out diagnoses are skipped."""
    out: list[IcdSuggestion] = []
    seen = set()
    for seg in transcript.segments:
        if seg.speaker not in (CLINICIAN,):
            continue
        for a, b in ct.sentence_spans(seg.text):
            sentence = seg.text[a:b].strip()
            if not _DX_CUE.search(sentence) or cr.is_question(sentence) and "diagnos" not in sentence.lower():
                continue
            if re.search(r"\b(?:rule out|r/o|ruled out|not (?:a|an)?\s*\w* ?(?:diagnosis|disorder)|isn't|is not|"
                         r"don't think|do not think|doesn't meet|does not meet)\b", sentence, re.I):
                continue
            for phrase in _dx_phrases(sentence):
                if not _DISORDER_HEAD.search(phrase) and not any(
                        re.search(rf"\b{ab}\b", phrase, re.I) for ab in _ABBREVIATIONS):
                    continue
                hit = lookup_icd10(phrase)
                if hit and hit[0] not in seen:
                    seen.add(hit[0])
                    out.append(IcdSuggestion(hit[0], hit[1], sentence, seg.id))
                    break
    return out


# -- everything ----------------------------------------------------------------

def suggest(transcript: Transcript, *, minutes: int | None = None, service: str | None = None,
            template_id: str | None = None, rehab_method: str = "cms") -> BillingSuggestions:
    """CPT and ICD-10-CM suggestions for one session. `rehab_method` is "cms"
    (8-minute rule on total timed minutes) or "ama" (per code)."""
    out = BillingSuggestions()
    service = service or infer_service(transcript, template_id)
    if service not in SERVICES:
        from soapdesk.core.errors import BadInput

        raise BadInput(f"Unknown service type '{service}'. Choose one of: {', '.join(SERVICES)}.")
    out.icd10 = stated_diagnoses(transcript)
    if not out.icd10:
        out.notes.append("No ICD-10-CM code suggested: the clinician stated no diagnosis in the session "
                         "(take it from the referral or the chart).")
    if service in ("pt", "ot", "slp", "pt_eval", "ot_eval", "slp_eval"):
        _rehab(transcript, service, out, rehab_method)
        total, why = session_minutes(transcript, minutes)
        out.minutes, out.minutes_source = total, why
        return out
    mins, why = session_minutes(transcript, minutes)
    out.minutes, out.minutes_source = mins, why
    if service == "intake":
        out.cpt.append(CptSuggestion("90791", 1, "Psychiatric diagnostic evaluation (intake). " + why, mins))
    elif service == "group":
        out.cpt.append(CptSuggestion("90853", 1, "Group psychotherapy (other than of a multiple-family group). "
                                     + why, mins))
    elif service in ("family", "family_with_client", "family_without_client"):
        with_client = service != "family_without_client" and any(
            s.speaker == "client" for s in transcript.segments)
        if mins is not None and mins < 26:
            out.notes.append(f"No family psychotherapy code: {mins} minutes is under the 26-minute minimum.")
        elif with_client:
            out.cpt.append(CptSuggestion("90847", 1, "Family psychotherapy with the client present. " + why, mins))
        else:
            out.cpt.append(CptSuggestion("90846", 1, "Family psychotherapy without the client present. " + why,
                                         mins))
    elif service == "crisis":
        if mins is None:
            out.notes.append("No crisis code: the session length is unknown.")
        else:
            out.cpt.extend(crisis_codes(mins))
    else:
        code, reason = psychotherapy_code(mins)
        if code:
            out.cpt.append(CptSuggestion(code, 1, reason + " " + why, mins))
        else:
            out.notes.append(reason)
    return out


def _rehab(transcript: Transcript, service: str, out: BillingSuggestions, method: str = "cms") -> None:
    shared: list[str] = []
    stated = stated_rehab_minutes(transcript, shared)
    out.notes.extend(shared)
    text = transcript.text.lower()
    if service.endswith("_eval") or re.search(r"\b(?:initial evaluation|today'?s evaluation|re-?evaluation)\b", text):
        code = _eval_code(service.split("_")[0], text)
        if code:
            out.cpt.append(CptSuggestion(code[0], 1, code[1]))
    if service == "slp" and not any(s[0] == "92507" for s in stated):
        if re.search(r"\b(?:articulation|language|speech|fluency|voice)\b", text):
            out.cpt.append(CptSuggestion("92507", 1, "Speech/language treatment (untimed, one unit per session)."))
    timed = {code: mins for code, t, _, mins, _, _ in stated if t}
    units = eight_minute_rule(timed, method)
    total = sum(timed.values())
    n_units = sum(units.values())
    for code, t, label, mins, quote, sid in stated:
        if not t:
            note = UNTIMED_NOTE.get(code, "untimed")
            out.cpt.append(CptSuggestion(code, 1, f'{label}, {mins} minutes ("{quote}"): {note}.', mins))
            continue
        u = units.get(code, 0)
        why = (f'{label}: {mins} minutes ("{quote}"). {total} total timed minutes = '
               f'{n_units} unit{"" if n_units == 1 else "s"} by the ' + ("CMS 8-minute rule." if method == "cms" else
                                                          "per-code 8-minute (substantial portion) rule."))
        if u > 0:
            out.cpt.append(CptSuggestion(code, u, why, mins))
        else:
            out.not_billed.append(CptSuggestion(code, 0, why + " No unit left for this code (smallest remainder).",
                                                mins))
    if not stated and not out.cpt and not shared:
        out.notes.append("No rehab code: no minutes per intervention were stated.")


def _eval_code(discipline: str, text: str) -> tuple[str, str] | None:
    level = "moderate"
    for lv in ("low", "moderate", "high"):
        if re.search(rf"\b{lv}[- ]complexity\b", text):
            level = lv
    if discipline == "pt":
        c = {"low": "97161", "moderate": "97162", "high": "97163"}[level]
        return c, f"Physical therapy evaluation, {level} complexity."
    if discipline == "ot":
        c = {"low": "97165", "moderate": "97166", "high": "97167"}[level]
        return c, f"Occupational therapy evaluation, {level} complexity."
    if discipline == "slp":
        return "92523", "Evaluation of speech sound production with evaluation of language comprehension and expression."
    return None


def suggest_text(text: str, **kw) -> BillingSuggestions:
    from soapdesk.core.transcript_text import parse_transcript

    return suggest(parse_transcript(text), **kw)
