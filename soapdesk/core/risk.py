"""Risk screen over the TRANSCRIPT: suicidal ideation, self-harm, homicidal
ideation, abuse/neglect and substance use, each with a status and the exact
quotes it rests on. It is a checklist for the clinician to confirm, not
silent text.

Statuses:
- suicidal_ideation, self_harm, homicidal_ideation:
  `denied | passive_no_plan | active | not_assessed`
- abuse_neglect, substance_use: `denied | reported | not_assessed`

Dialogue-aware rules (medspaCy's ConText handles single sentences, not turns):
1. A clinician question about a domain ("any thoughts of hurting yourself?")
   is answered by the next client turn: "No" / "Nope" / "Never" / "Not at
   all" / "Nothing like that" → denied; passive wording ("I wish I wouldn't
   wake up", "but I'd never do anything", "no plan") → passive_no_plan; a plain
   "yes" → active until a plan/intent question is answered "no".
2. A question about plan, intent or means answered "no" does not deny the
   ideation; it makes endorsed ideation passive_no_plan.
3. "Do you feel safe at home?" answered "yes" denies abuse.
4. Client statements count only in the first person and not when negated,
   hypothetical or about someone else ("she tried to kill herself" is the
   friend's history, not the client's).
5. Never asked and never raised → not_assessed: a note must not say "denies".
"""

from __future__ import annotations

import dataclasses

import re
from dataclasses import dataclass, field

from soapdesk.core import clinical_text as ct
from soapdesk.core import context_rules as cr
from soapdesk.core.transcript import CLIENT, CLINICIAN, OTHER, UNKNOWN, Segment, Transcript

SI, SH, HI, ABUSE, SUBST = "suicidal_ideation", "self_harm", "homicidal_ideation", "abuse_neglect", "substance_use"
DOMAINS = (SI, SH, HI, ABUSE, SUBST)
IDEATION = (SI, SH, HI)
DENIED, PASSIVE, ACTIVE, REPORTED, NOT_ASSESSED = "denied", "passive_no_plan", "active", "reported", "not_assessed"
LABELS = {SI: "suicidal ideation", SH: "self-harm", HI: "homicidal ideation", ABUSE: "abuse or neglect",
          SUBST: "substance use"}

# Second-person wording in a clinician's question.
_Q = {
    SI: re.compile(r"suicid|\bkill(?:ing)? yoursel(?:f|ves)|\bend(?:ing)? your (?:own )?life|better off dead|"
                   r"\bwant(?:ing)? to die\b|wish(?:ed|ing)? (?:that )?you (?:were|was) dead|"
                   r"(?:not|n't) (?:want(?:ing)? to|wanting to) (?:be alive|live|be here|wake up)|"
                   r"wouldn't wake up|life (?:is|isn't|was) (?:not )?worth living|take your (?:own )?life", re.I),
    SH: re.compile(r"\b(?:hurt|harm|cut|burn|injur)(?:ing|e|ed)? yoursel(?:f|ves)|self[- ]?harm|self[- ]injur|"
                   r"\bcutting\b", re.I),
    HI: re.compile(r"homicid|\b(?:hurt|harm|kill|attack)(?:ing)? (?:someone|anyone|anybody|somebody|others|"
                   r"other people|him|her|them|your (?:boss|partner|wife|husband|manager|coworker)s?)\b|"
                   r"violent (?:thoughts|urges)|thoughts of violence", re.I),
    ABUSE: re.compile(r"\babus|\bsafe at home|\bfeel safe\b|\b(?:anyone|anybody|someone|somebody|he|she|they|"
                      r"your (?:\w+ )?(?:partner|husband|wife|boyfriend|girlfriend|parents?|mom|dad|mother|father))"
                      r" (?:ever )?(?:hurt|hit|hits|hurts|touched|threaten\w*|push\w*|kick\w*|chok\w*|slap\w*|"
                      r"grab\w*|shov\w*) you\b|neglect|afraid of (?:him|her|them|anyone|each other|the other|your "
                      r"(?:partner|husband|wife|boyfriend|girlfriend))|"
                      # A couple asked together: "Has either of you ever pushed, grabbed, or hit the other?"
                      r"\b(?:either|one|both|any) of you\b.{0,30}\b(?:hurt|hit|push\w*|grab\w*|shov\w*|slap\w*|"
                      r"chok\w*|kick\w*|threaten\w*)\b.{0,30}\b(?:the other|each other)\b", re.I),
    # "Coughing when you drink?" is a swallowing question, not one about alcohol.
    SUBST: re.compile(r"alcohol|(?<!when you )(?<!while you )(?<!as you )\bdrink(?:ing|s)?\b"
                      r"(?! (?:water|coffee|tea|soda|liquids?|fluids?|through))|\bdrugs?\b|marijuana|"
                      r"\bweed\b|cannabis|substances?\b|\bsmok(?:e|ing)\b|\bvap(?:e|ing)\b|cocaine|opioids?|"
                      r"\bpills\b(?= .*(?:not prescribed|recreational))", re.I),
}
_PLAN_Q = re.compile(r"\bplan\b|\bintent|act on|\bmeans\b|access to (?:a )?(?:gun|firearm|weapon|pills)|"
                     r"how you (?:would|might)|\bprepar", re.I)
_SAFE_Q = re.compile(r"\b(?:feel|are you|you're) safe\b", re.I)
# A question asked inside an unpunctuated run-on turn, as ACI-Bench transcripts and some
# transcribers write them: "what kind of alcohol intake do you have you know ...". The
# inverted "do you" after the question word is what makes it a question; "cut down on how
# much alcohol you drink" has none and stays advice.
_WH_QUESTION = re.compile(r"\b(?:what|how (?:much|many|often)|which)\b[^.?!]{0,40}?\b(?:do|did|does|are|were|have|"
                          r"would|will|can) you\b(?! know\b)", re.I)

# First-person statements by the client.
_FIRST = {
    SI: re.compile(r"\b(?:kill|killing) myself|\bend(?:ing)? (?:my (?:own )?life|it all)\b|"
                   r"\bi(?:'m| am| was|'ve been| have been| feel)? ?(?:so |really |kind of )?suicidal|"
                   r"wish(?:ed)? (?:that )?i (?:was|were) dead|wish(?:ed)? i could (?:just )?die\b|"
                   r"wish(?:ed)? i (?:had )?(?:died|never been born)|wish(?:ed)? i (?:wasn't|weren't) alive|wish(?:ed)? i (?:wouldn't|would not|didn't|did not|"
                   r"could just not|could not) wake up|i'?d be better off dead|(?:everyone|everybody|they|people)"
                   r"(?:'d| would) be better off (?:without me|if i)|i (?:don't|do not) want to (?:be alive|live|"
                   r"be here)(?: anymore)?|i want to die|i (?:just )?want(?:ed)? to disappear|"
                   r"take my (?:own )?life|thoughts? (?:of|about) (?:suicide|killing myself|dying)", re.I),
    SH: re.compile(r"\b(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|hit|hitting|scratch|scratching)"
                   r"(?:s|ed)? myself|self[- ]?harm(?:ing|ed)?|i(?:'ve| have)? (?:been )?cutting", re.I),
    HI: re.compile(r"\b(?:kill|hurt|harm|attack|strangle|shoot|stab)(?:ing)? (?:him|her|them|my (?:boss|"
                   r"manager|coworker|husband|wife|partner|ex|neighbor|brother|sister)|someone|somebody|"
                   r"people)\b.{0,40}|\bhomicidal", re.I),
    ABUSE: re.compile(r"\b(?:he|she|they|my (?:\w+ )?(?:dad|father|mom|mother|husband|wife|partner|boyfriend|"
                      r"girlfriend|stepdad|stepfather|uncle|ex))\b.{0,25}\b(?:hits?|hit|hurts?|hurt|beats?|beat|"
                      r"kicks?|kicked|slaps?|slapped|chokes?|choked|push(?:es|ed)?|shoved|touched|molested|"
                      r"raped|threaten(?:s|ed)?|grab(?:s|bed)?|strangled)\s+(?:me|my (?:arms?|wrists?|neck|throat|"
                      r"hair|face|shoulders?))\b|\bi (?:was|am|got|have been) (?:being )?(?:abused|"
                      r"molested|raped|assaulted|neglected)|\b(?:don't|do not|never) feel safe at home|"
                      r"\bnot safe at home", re.I),
    SUBST: re.compile(r"\bi (?:\w+ )?(?:drink|drank|smoke|smoked|use|used|vape|vaped)\b.{0,30}"
                      r"\b(?:alcohol|beers?|wine|liquor|vodka|whiskey|shots|weed|pot|marijuana|cannabis|"
                      r"cocaine|coke|meth|heroin|edibles|cigarettes|drinks)\b|\bi (?:\w+ )?(?:take|took|do|did)\b"
                      r".{0,20}\b(?:weed|cocaine|coke|meth|heroin|edibles|molly|ecstasy|acid|shrooms)\b|\b(?:beers?|glass(?:es)? "
                      r"of wine|drinks) (?:a|every|each|most) (?:night|day|evening|weekend)|\bgot (?:drunk|high)"
                      r"|\bi(?:'ve| have) been drinking\b|\bblack(?:ed)? out\b|\bhung ?over\b"
                      # "I had two beers before I even realized"; "a couple of drinks"
                      # "I used to drink a little": past use is use the clinician must see.
                      r"|\bi (?:\w+ )?used to (?:drink|smoke|vape|use drugs|do drugs)\b"
                      r"|\bi (?:\w+ )?(?:drink|smoke) (?:socially|occasionally|a little|a lot|sometimes|regularly|"
                      r"daily|heavily|rarely|now and then|on (?:the )?weekends)\b"
                      # "i'll have a couple of beers during the week"
                      r"|\bi(?:'ll|'d| will| would)? (?:\w+ )?(?:have|had|drank|downed)\b.{0,20}\b(?:beers?|drinks|"
                      r"a drink\b(?! of)|shots|glass(?:es)? of "
                      r"(?:wine|whiske?y|vodka)|bottles? of (?:wine|beer|vodka))\b"
                      # Recovery speaks of use: "I called my sponsor", "ninety days sober", "I relapsed".
                      # Not "I was sober" (that night, a denial: "I had to drive, so I was sober").
                      r"|\bmy sponsor\b|\b(?:days?|weeks?|months?|years?) (?:sober|clean)\b|\bi relapsed\b|"
                      r"\b(?:AA|NA) meetings?\b", re.I),
}
_PASSIVE = re.compile(r"wish(?:ed)? i (?:wouldn't|would not|didn't|did not|could just not|could not) wake up|"
                      r"wish(?:ed)? i (?:was|were|'d|had) (?:just )?(?:dead|died|never been born)|"
                      r"wish(?:ed)? i could (?:just )?die\b|"
                      r"better off (?:dead|without me)|(?:wouldn't|would not|won't|will not|never) (?:do|act on)"
                      r" (?:anything|it)|i'?d never (?:do|act|actually)|\bno plan\b|not (?:going to|gonna) do "
                      r"anything|disappear|not (?:be|being) here|passive|fall asleep and not wake|"
                      r"(?:don't|do not) want to (?:be alive|be here|exist)|not wake up", re.I)
_ACTIVE = re.compile(r"\b(?:i (?:have|made|had|'ve got|'ve made) a plan|thought about how|(?:saved|saving|"
                     r"stockpil\w*) (?:up )?(?:pills|my meds)|wrote a (?:note|letter)|bought a (?:gun|rope)|"
                     r"i(?:'m| am) going to (?:kill|do it|end)|i intend|my plan (?:is|was)|tried to "
                     r"(?:kill myself|overdose)|attempted)", re.I)


@dataclass
class Evidence:
    quote: str
    segment_id: int

    def to_json(self) -> dict:
        return {"quote": self.quote, "segment_id": self.segment_id}


@dataclass
class RiskFinding:
    domain: str
    status: str = NOT_ASSESSED
    evidence: list[Evidence] = field(default_factory=list)
    # For substance use, which substances the client spoke of using (alcohol, tobacco, drugs);
    # read from the screen, not stored: a finding rebuilt from JSON has none and is compared whole.
    kinds: set[str] = field(default_factory=set)

    def to_json(self) -> dict:
        return {"status": self.status, "evidence": [e.to_json() for e in self.evidence]}


Findings = dict[str, RiskFinding]


# "Illicit drug use: never" does not contradict a client who drinks: the note's denial is of one
# substance, the screen's finding of another.
_SUBSTANCE_KIND = {
    "alcohol": re.compile(r"alcohol|drink|beers?\b|wine|liquor|vodka|whiske?y|\bshots\b|drunk|hung ?over|sober|"
                          r"\bETOH\b", re.I),
    "tobacco": re.compile(r"smok|cigar|tobacco|\bvap(?:e|es|ed|ing)\b|nicotine|\bpacks?\b", re.I),
    "drugs": re.compile(r"drug|illicit|recreational|marijuana|cannabis|\bweed\b|\bpot\b|cocaine|\bcoke\b|\bmeth|"
                        r"heroin|opioid|\bpills\b|edibles|molly|ecstasy|\bacid\b|shrooms|\bhigh\b|relapsed|\bclean\b",
                        re.I),
}


def _substance_kinds(text: str) -> set[str]:
    return {k for k, rx in _SUBSTANCE_KIND.items() if rx.search(text)}


def findings_to_json(findings: Findings) -> dict:
    return {d: findings[d].to_json() for d in DOMAINS if d in findings}


# -- helpers -------------------------------------------------------------------

def _sentence_with(text: str, pos: int) -> str:
    for a, b in ct.sentence_spans(text):
        if a <= pos < b:
            return text[a:b].strip()
    return text.strip()


def _answer_quote(text: str, max_sentences: int = 3, max_chars: int = 220) -> str:
    spans = ct.sentence_spans(text)
    if not spans:
        return text.strip()
    end = spans[0][1]
    for a, b in spans[1:max_sentences]:
        if b - spans[0][0] > max_chars:
            break
        end = b
    return text[spans[0][0]:end].strip()


def _next_client_turn(segments: list[Segment], i: int) -> Segment | None:
    """The reply to segment i: the next segment, if it is not the clinician's."""
    for seg in segments[i + 1:i + 3]:
        if seg.speaker == CLINICIAN:
            return None
        if seg.text.strip():
            return seg
    return None


def _is_clinician(seg: Segment, roles_known: bool) -> bool:
    return seg.speaker == CLINICIAN or (not roles_known and cr.is_question(seg.text))


def _questions(text: str) -> list[str]:
    """A clinician turn's questions. In a run-on sentence, only the words around its
    inverted question ("what kind of alcohol intake do you have ...") are the question:
    the rest of the turn may be advice about another domain."""
    out = []
    for s in ct.split_sentences(text):
        if cr.is_question(s):
            out.append(s)
        else:
            out.extend(s[m.start():m.end() + 25] for m in _WH_QUESTION.finditer(s))
    return out


def _first_person_hits(domain: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _FIRST[domain].finditer(text)]


_OTHER_SUBJECT = re.compile(r"\b(?:she|he|they|my (?:friend|mom|mother|dad|father|sister|brother|cousin|aunt|"
                            r"uncle|grandma|grandmother|grandfather|roommate|coworker|partner)|her|his)\b", re.I)
_NEGATED_SELF = re.compile(r"\b(?:never|not|no|don't|do not|didn't|did not|haven't|have not|wouldn't|"
                           r"would not|nothing)\b|\bn't\b", re.I)  # tokenised transcripts split "have n't"
_A_LIMIT = re.compile(r"\bno(?:t)? more than\b", re.I)
# A use statement negated before its verb: "i have never had", "i do n't drink", "i have no drinks".
_NEGATED_USE = re.compile(r"i\S*\s+(?:\w+\s+)?(?:never|not|no|n't|don't|do not|didn't|did not|haven't)\b", re.I)
_IF = re.compile(r"\b(?:if|when|in case|should)\b", re.I)
# "I wish I could kill myself": the wish is the ideation. ConText reads "could" as
# hypothetical, which had the screen skip the sentence.
_WISH = re.compile(r"\b(?:wish(?:ed|es)?|want(?:ed|s)?(?: to)?|feel like|tempted)\b", re.I)


# The answer to a self-harm question told as what was done to the body. Only as an answer to that
# question: "I cut my hand" said unasked is as often the kitchen knife.
_INJURY = re.compile(r"\bi (?:\w+ )?(?:cut|scratched|burned|burnt|hit|punched|bit|carved|picked at)\s+(?:on\s+)?"
                     r"my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hands?|face|head)\b", re.I)
_TAKEN_BACK = re.compile(r"\.\.\.|\u2026|\b(?:well|but|actually|although|except)\b", re.I)


def _statement_polarity(sentence: str, hit_start: int) -> str | None:
    """'yes', 'no' or None (skip) for a client's own first-person statement."""
    # "No... well, he grabbed my arm once": the "no" answered the question and is taken back.
    before = _TAKEN_BACK.split(sentence[:hit_start])[-1]
    if _IF.search(before[-40:]):
        return None
    wish = bool(_WISH.search(before[-40:]))
    for m in cr.analyze(sentence):
        if m.label in ("SUICIDAL_IDEATION", "SELF_HARM", "HOMICIDAL_IDEATION", "SYMPTOM"):
            if m.hypothetical and not wish:
                return None
            if m.negated:
                return "no"
    if _NEGATED_SELF.search(before[-30:]):
        return "no"
    return "yes"


# -- the screen ----------------------------------------------------------------

def screen(transcript: Transcript) -> Findings:
    """Risk findings for every domain, from the transcript alone."""
    segs = [s for s in transcript.segments if s.text.strip()]
    roles_known = any(s.speaker in (CLINICIAN, CLIENT) for s in segs)
    if not roles_known:
        # Speech recognition gives long segments without speakers, where a
        # question and its answer share one segment: read them as sentence
        # turns (evidence still points at the original segment id).
        segs = [dataclasses.replace(s, text=sent) for s in segs for sent in ct.split_sentences(s.text)]
    state: dict[str, dict] = {d: {"asked": False, "no": False, "yes": False, "passive": False, "active": False,
                                  "plan_no": False, "plan_yes": False, "evidence": [], "kinds": set()} for d in DOMAINS}

    def add_ev(d: str, quote: str, sid: int):
        ev = state[d]["evidence"]
        if quote and not any(e.quote == quote and e.segment_id == sid for e in ev):
            ev.append(Evidence(quote, sid))

    for i, seg in enumerate(segs):
        text = seg.text
        if _is_clinician(seg, roles_known):
            for q in _questions(text):
                asked = [d for d in DOMAINS if _Q[d].search(q)]
                plan_q = bool(_PLAN_Q.search(q)) and (asked == [] or set(asked) <= {SI, SH, HI})
                if not asked and not plan_q:
                    continue
                ans = _next_client_turn(segs, i)
                if ans is None:
                    continue
                pol = cr.answer_polarity(ans.text)
                aq = _answer_quote(ans.text)
                if plan_q and not asked:
                    # "Do you have a plan?" refers to whatever ideation was endorsed
                    targets = [d for d in IDEATION if state[d]["yes"]] or []
                    for d in targets:
                        state[d]["plan_no" if pol == "no" else "plan_yes" if pol == "yes" else "plan_no"] |= (
                            pol is not None)
                        add_ev(d, q, seg.id)
                        add_ev(d, aq, ans.id)
                    continue
                for d in asked:
                    st = state[d]
                    st["asked"] = True
                    add_ev(d, q, seg.id)
                    add_ev(d, aq, ans.id)
                    answer_has_risk = d in IDEATION and (_PASSIVE.search(ans.text) or _ACTIVE.search(ans.text))
                    injury = _INJURY.search(ans.text) if d == SH else None
                    if injury and not _NEGATED_SELF.search(ans.text[:injury.start()][-30:]):
                        st["yes"] = True  # "Have you hurt yourself?" "I scratched my arm with a pen cap."
                        continue
                    if d == ABUSE and _SAFE_Q.search(q) and not _Q[ABUSE].search(q.replace("safe", "")):
                        pol = {"yes": "no", "no": "yes"}.get(pol, pol)  # "safe at home?" "yes" = denied
                    if answer_has_risk and not _first_person_negated_passive(ans.text):
                        st["yes"] = True
                        if _ACTIVE.search(ans.text):
                            st["active"] = True
                        else:
                            st["passive"] = True
                    elif pol == "no":
                        st["no"] = True
                    elif pol == "yes":
                        st["yes"] = True
                        if d == SUBST:
                            st["kinds"] |= _substance_kinds(ans.text) or _substance_kinds(q)
                        if d in IDEATION and _PASSIVE.search(ans.text):
                            st["passive"] = True
                        if plan_q:
                            st["plan_yes"] = True
                    if plan_q and pol == "no" and st["yes"]:
                        st["plan_no"] = True
        if seg.speaker in (CLIENT, OTHER, UNKNOWN) and not _is_clinician(seg, roles_known):
            for d in DOMAINS:
                for a, b in _first_person_hits(d, text):
                    sentence = _sentence_with(text, a)
                    if sentence.rstrip().endswith("?"):
                        continue  # the client asking, not disclosing
                    off = text.find(sentence)
                    if _OTHER_SUBJECT.search(sentence[: max(0, a - off)][-25:]) and d not in (ABUSE,):
                        continue
                    pol = _statement_polarity(sentence, max(0, a - off))
                    if pol is None:
                        continue
                    if d == SUBST and _NEGATED_USE.match(_A_LIMIT.sub("", text[a:b])):
                        pol = "no"  # "i have never had any drinks"; not "i smoke, not a lot"
                    st = state[d]
                    st["asked"] = True
                    add_ev(d, sentence, seg.id)
                    if pol == "no":
                        st["no"] = True
                    else:
                        st["yes"] = True
                        if d == SUBST:
                            st["kinds"] |= _substance_kinds(text[a:b])
                        if d in IDEATION:
                            if _ACTIVE.search(text):
                                st["active"] = True
                            elif _PASSIVE.search(text):
                                st["passive"] = True

    findings: Findings = {}
    for d in DOMAINS:
        st = state[d]
        f = RiskFinding(d, evidence=st["evidence"], kinds=st["kinds"])
        if st["yes"]:
            if d in IDEATION:
                if st["active"] or st["plan_yes"]:
                    f.status = ACTIVE
                elif st["passive"] or st["plan_no"]:
                    f.status = PASSIVE
                else:
                    f.status = ACTIVE
            else:
                f.status = REPORTED
        elif st["no"]:
            f.status = DENIED
        elif st["asked"]:
            f.status = NOT_ASSESSED  # asked but the answer was unclear: the clinician must confirm
        findings[d] = f
    return findings


def _first_person_negated_passive(answer: str) -> bool:
    """"No, I've never wished I wouldn't wake up" is a denial, not passive SI."""
    m = _PASSIVE.search(answer)
    if not m:
        return False
    before = answer[: m.start()]
    if re.search(r"\b(?:never|haven't|have not|don't|do not)\b[^.!?]{0,25}$", before, re.I):
        return True
    # "I'd never do anything" alone (without any wish to be dead) after "No" = denial
    if cr.answer_polarity(answer) == "no" and not re.search(
            r"wish|better off|disappear|not (?:be|being) here|not wake|want to (?:die|be dead)", answer, re.I):
        return True
    return False


# -- the statement a note's risk line must match -------------------------------

_PHRASE = {SI: "suicidal ideation", SH: "self-harm", HI: "homicidal ideation",
           ABUSE: "abuse or neglect", SUBST: "substance use"}


def risk_statement(findings: Findings, person: str = "client", *, unasked: bool = True) -> str:
    """One sentence stating the screen's result; abuse/neglect and substance use
    appear only when they came up. `person` is the note's word for them.
    `unasked=False` leaves out what was not assessed (for the drafting model:
    told "homicidal ideation was not assessed", the 1.5B model wrote "does
    not deny homicidal ideation")."""
    denied, passive, active, reported, not_asked = [], [], [], [], []
    for d in DOMAINS:
        f = findings.get(d)
        status = f.status if f else NOT_ASSESSED
        if status == NOT_ASSESSED and d in (ABUSE, SUBST):
            continue
        {DENIED: denied, PASSIVE: passive, ACTIVE: active, REPORTED: reported, NOT_ASSESSED: not_asked}[status].append(
            _PHRASE[d])
    parts = []
    if denied:
        parts.append(f"{person} denied " + _join(denied))
    if passive:
        parts.append(f"{person} reported passive " + _join(passive) + " without plan or intent")
    if active:
        parts.append(f"{person} reported active " + _join(active))
    if reported:
        parts.append(f"{person} reported " + _join(reported))
    if not_asked and unasked:
        parts.append(_join(not_asked) + (" was" if len(not_asked) == 1 else " were") + " not assessed")
    s = "Risk: " + "; ".join(parts) + "."
    return s


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# -- does a note's text contradict the screen? ---------------------------------

_NOTE_DOMAIN = {
    SI: re.compile(r"suicid|\bSI\b|better off dead|kill(?:ing)? (?:her|him|them)sel(?:f|ves)|end (?:her|his|their) "
                   r"life|wish(?:es|ed)? (?:to be dead|(?:s?he|they) (?:would not|wouldn't) wake)|death wish|"
                   r"not wak(?:e|ing) up", re.I),
    SH: re.compile(r"self[- ]?harm|self[- ]?injur|\bNSSI\b|(?:hurt|harm|cut)(?:ing)? (?:her|him|them)sel(?:f|ves)",
                   re.I),
    HI: re.compile(r"homicid|\bHI\b|(?:harm|hurt)(?:ing)? (?:to )?others|violent (?:thoughts|urges)", re.I),
    ABUSE: re.compile(r"\babus|neglect|domestic violence|\bIPV\b|unsafe at home", re.I),
    SUBST: re.compile(r"substance|alcohol|drug use|cannabis|marijuana|\bETOH\b|illicit", re.I),
}
_NOTE_NOT_ASSESSED = re.compile(r"not (?:assessed|asked|screened|discussed|evaluated|addressed|explored)|"
                                r"(?:did|does|do)(?: not|n't) (?:assess|ask|screen|discuss|evaluate|address|explore)|"
                                r"was not (?:assessed|asked)|no risk (?:assessment|screening)", re.I)
_NOTE_NEG = re.compile(r"\b(?:den(?:y|ies|ied|ying)|no|not|never|negative for|without|absence of|free of|"
                       r"nor)\b", re.I)
_NOTE_OTHER = re.compile(r"\b(?:friend|mother|father|mom|dad|sister|brother|cousin|coworker|roommate|partner|"
                         r"husband|wife|son|daughter|family member|relative)'?s?\b", re.I)
_NOTE_HISTORY = re.compile(r"\bhistory of\b|\bprevious(?:ly)?\b|\bpast\b|\bprior\b", re.I)


def _note_polarity(sentence: str, domain: str, m: re.Match) -> str | None:
    if _NOTE_NOT_ASSESSED.search(sentence):
        return NOT_ASSESSED
    before = sentence[: m.start()]
    # someone else's history ("her friend's suicide attempt")
    if _NOTE_OTHER.search(before[-60:]) or _NOTE_OTHER.search(sentence[m.end():m.end() + 25]):
        return None
    # A plan to watch for it is not a finding: "monitoring for any signs of self-harm". ("Screened
    # for SI and denied" is one: not "screen".)
    if re.search(r"\b(?:if|should|in case|when)\b[^.;]*$|\b(?:monitor\w*|watch\w*)\s+(?:\w+\s+){0,4}"
                 r"for\b[^.;]*$", before, re.I) or re.search(
            r"\b(?:crisis line|988|hotline|safety plan)\b", sentence, re.I) and not _NOTE_NEG.search(before[-40:]):
        return None
    neg = None
    for men in cr.analyze(sentence):
        if men.label in ("SUICIDAL_IDEATION", "SELF_HARM", "HOMICIDAL_IDEATION") and men.start <= m.start() < men.end + 3:
            neg = men.negated
            if men.other_experiencer and not re.search(r"\bclient|patient\b", before, re.I):
                return None
            break
    if neg is None or (not neg and _NOTE_NEG.search(before[-45:]) and not re.search(r"\bbut\b|\bhowever\b",
                                                                                     before[-45:], re.I)):
        neg = bool(_NOTE_NEG.search(before[-45:])) and not re.search(r"\bbut\b|\bhowever\b", before[-30:], re.I)
    if neg:
        return DENIED
    window = sentence[max(0, m.start() - 40): m.end() + 40]
    if domain in IDEATION:
        if re.search(r"passive|wish(?:es)? (?:to be dead|(?:s?he|they) would)|not wak|without (?:a )?plan|no plan",
                     window, re.I):
            return PASSIVE
        return ACTIVE
    return REPORTED


_CLAUSE = re.compile(r";|:\s+(?=[a-z])|\s+but\s+|\s+and\s+(?=(?:reported|endorsed|denied|denies|reports|endorses|"
                     r"admitted|acknowledged|described)\b)|\s+however,?\s+|,\s+(?:while|whereas)\s+|\.\s+")


# A denial that closes the sentence and points back at what came before it:
# "thoughts of killing themselves, which the client denies", "thinking about
# suicide, but denied it". ConText's "denies" looks forward only (and "which",
# "but" end its scope), so without this the topic read as reported.
_NOTE_TRAILING_DENIAL = re.compile(
    r"(?:,\s*|\s+)(?:which|but|and|though)\s+(?:(?:the )?(?:client|patient)\s+|(?:s?he|they)\s+)?"
    r"(?:has |have |had )?den(?:ies|ied|y)(?:\s+(?:it|this|that|them|these|those|any such thoughts|having them))?"
    r"\s*[.;!]?\s*$", re.I)


# A labelled line answered with a denial: "Alcohol use: None.", "Illicit drug use: Never."
_LABEL_DENIAL = re.compile(r":\s*(?:none|never|denie[sd]|negative|no|nil)\s*[.;!]?\s*$", re.I)


def note_risk_statements(note_text: str) -> list[tuple[str, str]]:
    """(domain, status) for each statement the note makes about the client's own
    risk, in order; someone else's history ("her friend's suicide attempt") and
    conditionals ("call 988 if...") are not statements."""
    return [(d, pol) for d, pol, _ in _note_risk_clauses(note_text)]


def _note_risk_clauses(note_text: str) -> list[tuple[str, str, str]]:
    """note_risk_statements with the clause that makes each statement."""
    out: list[tuple[str, str, str]] = []
    clauses = []
    for sentence in ct.split_sentences(note_text):
        tail = _NOTE_TRAILING_DENIAL.search(sentence) or _LABEL_DENIAL.search(sentence)
        if tail:  # read as one denial of everything it closes
            clauses.append((sentence[: tail.start()], DENIED))
            continue
        clauses.extend((c, None) for c in _CLAUSE.split(sentence) if c and c.strip())
    for sentence, fixed in clauses:
        for d in DOMAINS:
            for m in _NOTE_DOMAIN[d].finditer(sentence):
                pol = _note_polarity(sentence, d, m)
                if pol is None:
                    continue
                out.append((d, fixed if fixed and pol != NOT_ASSESSED else pol, sentence))
                break
    return out


def note_contradicts_risk(note_text: str, findings: Findings) -> list[str]:
    """Plain sentences, one per disagreement between the note and the screen."""
    out: list[str] = []
    for d, pol, clause in _note_risk_clauses(note_text):
        f = findings.get(d) or RiskFinding(d)
        if d == SUBST and pol == DENIED and f.status == REPORTED and f.kinds and (
                named := _substance_kinds(clause)) and not named & f.kinds:
            continue  # the note denies drugs; the client spoke of alcohol
        reason = _disagreement(d, pol, f)
        if reason and reason not in out:
            out.append(reason)
    return out


def _where(f: RiskFinding) -> str:
    ids = sorted({e.segment_id for e in f.evidence})
    return f" (segment{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))})" if ids else ""


def _disagreement(d: str, note: str, f: RiskFinding) -> str | None:
    label, actual = LABELS[d], f.status
    if note == actual:
        return None
    said = {DENIED: "was denied", PASSIVE: "was passive", ACTIVE: "was present", REPORTED: "was reported",
            NOT_ASSESSED: "was not assessed"}[note]
    if actual == NOT_ASSESSED:
        if note == NOT_ASSESSED:
            return None
        return f"The note says {label} {said}, but it was never asked about or mentioned in the session."
    happened = {DENIED: "the client denied it", PASSIVE: "the client described passive thoughts without a plan",
                ACTIVE: "the client described active thoughts", REPORTED: "the client reported it"}[actual]
    if note == NOT_ASSESSED:
        return f"The note says {label} was not assessed, but it was asked about and {happened}{_where(f)}."
    if {note, actual} == {PASSIVE, REPORTED}:
        return None
    if note == ACTIVE and actual == PASSIVE and d in IDEATION:
        return (f"The note describes {label} without saying it was passive, but {happened}{_where(f)}.")
    return f"The note says {label} {said}, but {happened}{_where(f)}."


_SCREEN_CACHE: dict[int, tuple[Transcript, Findings]] = {}


def screen_cached(transcript: Transcript) -> Findings:
    """`screen`, computed once per transcript object."""
    hit = _SCREEN_CACHE.get(id(transcript))
    if hit and hit[0] is transcript:
        return hit[1]
    if len(_SCREEN_CACHE) > 8:
        _SCREEN_CACHE.clear()
    f = screen(transcript)
    _SCREEN_CACHE[id(transcript)] = (transcript, f)
    return f


def screen_text(text: str) -> Findings:
    from soapdesk.core.transcript_text import parse_transcript

    return screen(parse_transcript(text))
