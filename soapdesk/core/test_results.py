"""Test results the clinician reviewed in the visit, in the clinician's words.

A physician's note has a Results section, and the clinician reading a chest
x-ray or a potassium aloud is what the section is for. The 1.5B drafting
model misses these: on ACI-Bench valid it wrote "Not addressed in session."
for 8 of 20 visits in which the doctor read out an x-ray, an EKG or lab
values. This reader finds the clinician's sentences that name a test
(imaging, heart tracings, labs, pathology) and say what it showed. After a
voice command ("hey, dragon, show me the chest x-ray") the sentences that
follow in the same turn are about that test even when they do not name it.
A test being ordered, planned or asked about is not a result: a sentence
that orders before it reports is skipped, and one that reports and then
plans ("a1c is 5.1, so no need to repeat it") keeps only its report.

session_facts gives each result to the model in the Results request and adds
it, quoted, when the draft still leaves it out; only templates with a
Results section get them (physician notes), so therapy notes are unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import CLINICIAN, Transcript

_KINDS = (
    ("x-ray", r"x-?rays?|x rays?|radiographs?"),
    ("CT", r"ct(?: scan)?|cat scan"),
    ("MRI", r"mri|magnetic resonance"),
    ("ultrasound", r"ultrasound|sonogram|doppler"),
    ("echocardiogram", r"echocardiogram|echo"),
    ("EKG", r"ekg|ecg|electrocardiogram"),
    ("stress test", r"stress test|holter(?: monitor)?"),
    ("labs", r"labs?|lab work|lab results|blood ?work|blood tests?|cbc|metabolic panel|lipid panel|"
             r"cholesterol|ldl|hdl|triglycerides|(?:hemoglobin )?a1c|hemoglobin|hematocrit|white (?:blood )?count|"
             r"platelets|creatinine|bun|kidney function|liver (?:function|enzymes)|tsh|thyroid (?:function|levels?)|"
             r"potassium|sodium|magnesium|glucose|blood sugar|psa|vitamin d|inr|alkaline phosphatase|"
             r"testosterone|ferritin|iron"),
    ("urine test", r"urinalysis|urine (?:test|culture|sample)"),
    ("pathology", r"biopsy|pathology(?: report)?"),
    ("pulmonary function test", r"pulmonary function tests?|pfts?|spirometry"),
    ("nerve study", r"emg|nerve conduction(?: study)?"),
    ("scope", r"endoscopy|colonoscopy"),
    ("other test", r"bone density|dexa|mammogram|sleep study|covid test|strep test|cultures?|ejection fraction"),
)
# Body parts and qualifiers said in front of a test name ("chest x-ray", "diabetes labs").
_PART = (r"(?:(?:chest|knee|hip|foot|ankle|wrist|hand|elbow|shoulder|neck|back|spine|lumbar|cervical|thoracic|"
         r"abdominal|abdomen|head|brain|skin|finger|toe|leg|arm|pelvic|renal|kidney|cardiac|heart|thyroid|diabetes|"
         r"right|left|recent|last) )*")
TEST = re.compile(r"\b" + _PART + r"(?:" + "|".join(p for _k, p in _KINDS) + r")\b", re.I)
_KIND_OF = [(k, re.compile(rf"\b(?:{p})\b", re.I)) for k, p in _KINDS]

# It says what the test showed: a finding word or a value.
_FOUND = re.compile(
    r"\b(?:show(?:s|ed|ing)?|reveal\w*|demonstrat\w*|came back|looks|looked|normal|abnormal|unremarkable|"
    r"elevated|high|low|stable|negative|positive|consistent with|evidence|sign of|within|passed|clear|pending|"
    r"mild|moderate|severe|fracture\w*|fluid|tear|narrowing|degenerat\w*|up|down|increased|decreased|improved|"
    r"worse|unchanged)\b|"
    r"\b(?:looks?|looked|is|was|are|were|seem\w*|all)(?: \w+){0,2} (?:good|great|fine|okay|ok)\b|"
    r"\b(?:i )?(?:do n't|don't|do not|didn't|did n't) see\b|\bi see\b|(?<![a-z])\d", re.I)
# What will be done, or might be: an order, a plan, a condition. Not a result.
_PLAN = re.compile(
    r"\b(?:order\w*|schedul\w*|set (?:you|him|her|them) up|recheck\w*|repeat\w*|need|needs|should|could|might|"
    r"would|can|cause|if|assuming|unless|once|gon na|gonna|going to|start\w*|in the future|next time|"
    r"we(?:'ll| will| can| are going to| 're going to| 're gon na)|i(?:'ll| will)|"
    r"(?:gon na|going to|want to|wan na|would like to|like to|have to|plan to|let's) (?:\w+ )?"
    r"(?:get|do|check|order|send|see|draw|obtain|put)|follow up|let me|lem me|let's talk)\b|'ll\b", re.I)
_COMMAND = re.compile(r"(?:\bhey\s*,?\s*dragon\b\s*[,.?]?\s*|^\s*(?=show me\b))(?P<verb>show me|order|go to|add)?"
                      r"(?P<what>[^.?!]*)[.?!]?", re.I)
# The story of past illness read out at the start ("... with a past medical history significant for
# ... who presents today"), a dictated plan ("under the plan, ...") or a looking-glance ("if you look
# at this") is not a result.
_HISTORY = re.compile(r"\b(?:history|presents|presenting|plan|assessment)\b", re.I)
_LOOK_HERE = re.compile(r"\bif you look at (?:this|that|it|here)\b", re.I)
# Spoken filler that carries nothing in a written quote.
_FILLER = re.compile(r"(?:,\s*)?(?:\b(?:um+|uh+|you know|i mean|like i said)\b|\b(?:okay|ok|right|alright)\s*\?)"
                     r"\s*,?\s*", re.I)
_ASKS = re.compile(r"\s*(?:have|has|did|do|does|are|were|is there|any)\b", re.I)
_VAGUE = {"interesting", "basically", "actually", "pretty", "little", "bit", "here", "something", "thing"}
_LEAD_IN = re.compile(r"^(?:(?:so|and|okay|ok|all right|alright|now|well|yeah|good|great|um|uh)\b\s*,?\s*)+", re.I)
_MAX_QUOTE = 220
_LONG, _LONG_WORDS, _LONG_BEFORE = 320, 25, 8
_PER_TEST = 2
_MAX_TESTS = 5


@dataclass(frozen=True)
class ReviewedResult:
    test: str  # as the clinician named it ("chest x-ray"), lower case
    kind: str  # one name per kind of test ("EKG" for ECG and electrocardiogram)
    quote: str  # the clinician's sentences, filler removed
    segment_id: int


def kind_of(name: str) -> str:
    return next((k for k, rx in _KIND_OF if rx.search(name)), "other test")


def reviewed(transcript: Transcript) -> list[ReviewedResult]:
    """The results the clinician read out, one entry per test, in session order."""
    # One entry per test: as first named, where first read out, and up to _PER_TEST sentences.
    found: dict[str, tuple[str, int, list[str]]] = {}
    shown = ""  # the test a voice command put on screen in this turn (a turn may span segments)
    for seg in transcript.segments:
        if seg.speaker != CLINICIAN:
            shown = ""
            continue
        for sentence in _sentences(seg.text):
            command = _COMMAND.search(sentence)
            if command:
                named = TEST.search(command.group("what") or "")
                if (command.group("verb") or "").lower().startswith("show"):
                    shown = _name(named.group(0)) if named else shown
                sentence = (sentence[:command.start()] + " " + sentence[command.end():]).strip()
                if not sentence:
                    continue
            named = TEST.search(sentence)
            if len(sentence) > _LONG:
                # A turn transcribed without stops: only the words right after the test's name.
                if not named:
                    continue
                # An order said just before the name ("i'll order a hemoglobin a1c and a cbc") is a plan.
                if _PLAN.search(" ".join(sentence[:named.start()].split()[-_LONG_BEFORE:])):
                    continue
                sentence = " ".join(sentence[named.start():].split()[:_LONG_WORDS])
                named = TEST.search(sentence)
            test = _name(named.group(0)) if named else shown
            report = _report(sentence)
            if not test or not report:
                continue
            key = kind_of(test) + ":" + re.sub(r"^(?:recent|last|right|left) |s\b", "", test)
            said = found.setdefault(key, (test, seg.id, []))[2]
            if len(said) < _PER_TEST and report not in said:
                said.append(report)
    return [ReviewedResult(test, kind_of(test), " ".join(s if s.endswith((".", "!")) else s + "." for s in said), sid)
            for test, sid, said in found.values()][:_MAX_TESTS]


def _sentences(text: str) -> list[str]:
    starts = [0] + [m.end() for m in ct.SPOKEN_STOP.finditer(text)]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)]) if text[a:b].strip()]


def _name(words: str) -> str:
    return re.sub(r"\s+", " ", words.lower()).strip()


def _report(sentence: str) -> str:
    """The part of `sentence` that reports a finding, tidied, or "" when it asks, orders or plans first.
    A sentence naming no test is about the one on screen, as from its start."""
    sentence = _LOOK_HERE.sub("", _FILLER.sub(" ", sentence))
    named = TEST.search(sentence)
    test_at = named.start() if named else 0
    # The history or the plan is named before the test ("history significant for ... colonoscopy").
    intro = sentence[:named.end()] if named else sentence
    if "?" in sentence or _HISTORY.search(intro) or _ASKS.match(sentence):
        return ""
    plan = _PLAN.search(sentence)
    if plan:
        if plan.start() <= test_at:
            return ""
        # Keep the report before the plan, cut at the last clause break before it.
        head = sentence[:plan.start()]
        cut = max((m.start() for m in re.finditer(r",|\b(?:so|and|but|because)\b", head)), default=-1)
        sentence = head[:cut] if cut > test_at else ""
    if not _FOUND.search(sentence, min(test_at, len(sentence))):
        return ""
    text = _tidy(sentence)
    # "It looks like..., it's interesting." says nothing of what the test showed.
    return text if _finding_words(text) - _VAGUE or ct.number_values(text) else ""


def _tidy(text: str) -> str:
    """Spoken sentence to quotable text: filler and a leading "so, okay," dropped, ASR spacing joined."""
    text = _FILLER.sub(" ", text)
    text = re.sub(r"\s+([,;:!?%]|\.(?!\d))", r"\1", text)
    text = re.sub(r"\b(\w+(?:'\w+)?)(?:,? \1\b)+", r"\1", text, flags=re.I)  # "is is", "I'm, I'm" -> one
    text = re.sub(r"\b(do|does|did|is|are|was|were|could|would|should|ca|wo) n't\b", r"\1n't", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip(" ,;-.")
    text = _LEAD_IN.sub("", text).strip(" ,;-")
    if len(text) > _MAX_QUOTE:
        cut = text.rfind(",", 0, _MAX_QUOTE)
        text = (text[:cut] if cut > 40 else text[:_MAX_QUOTE].rsplit(" ", 1)[0]).rstrip(" ,") + " ..."
    return text[:1].upper() + text[1:] if text else ""


# The clinician speaks to the patient; a note speaks about them. The drafting model may not write
# "you" (drafting bans the tokens), and given a quote holding it, it wrote "您的" in its place.
_THIRD_PERSON = (
    (r"\byou(?:'ve| have) (been|had)\b", r"the patient has \1"),
    (r"\byou (?:do n't|don't|do not) have\b", "there is no"),
    (r"\byou (?:(?:do|also|actually|still|really|definitely|probably) )*have\b|\byou've got\b", "there is"),
    (r"\byou(?:'re| are)\b", "the patient is"),
    (r"\byour\b", "the"),
    (r"\byou\b", "the patient"),
    (r"\bi\b", "I"),
)
# "In reviewing the results of your back x-ray, ..." -- the line already starts with the test's name.
_REVIEW_LEAD = re.compile(r"^(?:(?:so|and|now|in|on)\s+)*(?:reviewing|looking(?: here)? at|the results? (?:of|for)|"
                          r"(?:your|the) results? (?:of|for))\b[^,.]{0,60},\s*", re.I)
_DANGLING = re.compile(r"(?:[\s,]+(?:which|so|and|but|let|lem me|alright|okay|meaning|basically|because))+\W*$",
                       re.I)


_ACRONYMS = {"ekg", "ecg", "mri", "ct", "cbc", "tsh", "psa", "hdl", "ldl", "a1c", "bun", "inr", "pft", "pfts", "emg",
             "dexa"}


# Speech around a finding that a note leaves out: hedges and comfort ("luckily", "which is really
# good"), pointing ("right now", "here") and a closing comment on the finding.
_SPOKEN_ONLY = re.compile(
    r"\b(?:it (?:does |also )?(?:looks?|appears|seems)(?: like| to be)?|(?:this|that) (?:looks?|appears) like|"
    r"the good news is|luckily|fortunately|basically|actually|just|really|right now|kind of|sort of|"
    r"(?:what )?i'm seeing here is|i'm happy to see (?:that|it))\b,?\s*", re.I)
_CLOSING_COMMENT = re.compile(
    r"[,;]?\s*\b(?:so |and )?(?:(?:which|that|this) is|that's|it's)(?: (?:a|really|very|pretty|definitely))* "
    r"(?:good|great|encouraging|reassuring|not surprising|not terrible|a good thing)\b[^.]*", re.I)


def note_text(result: ReviewedResult) -> str:
    """The result as a note line: "Chest x-ray: there is a little bit of fluid in the lungs."."""
    text = _REVIEW_LEAD.sub("", re.sub(r"^\W+", "", result.quote))
    text = _CLOSING_COMMENT.sub("", text)
    text = _SPOKEN_ONLY.sub("", text)
    text = re.sub(r"\s+(,|\.(?!\d))", r"\1", re.sub(r"\s{2,}", " ", text))
    text = re.sub(r"(?:^|(?<=[.!?] ))[,\s]+", "", text)
    text = _DANGLING.sub("", text.rstrip(". ")).strip()
    for pattern, repl in _THIRD_PERSON:
        text = re.sub(pattern, repl, text, flags=re.I)
    text = re.sub(r"(?<=[.!?] )[a-z]", lambda m: m.group(0).upper(), text)
    # "Potassium: the potassium is 3.9." -> "Potassium: 3.9."
    text = re.sub(rf"^the (?:last |recent )?{re.escape(re.sub(r'^(?:last|recent) ', '', result.test))} (?:is|was) ",
                  "", text, flags=re.I)
    name = " ".join(w.upper() if w in _ACRONYMS else w for w in result.test.split())
    name = name[0].upper() + name[1:]
    return f"{name}: {text[:1].lower() + text[1:] if text[:2] != 'I ' else text}."


def told(text: str, result: ReviewedResult) -> bool:
    """Does a draft sentence name a test of the same kind and carry the result:
    every number of the quote, or, with none, one of its finding words? A sentence carrying most of
    the quote's finding words tells it too, whatever it calls the test ("autoimmune panel" for labs)."""
    kind_rx = dict(_KIND_OF).get(result.kind)
    values = ct.number_values(result.quote)
    words = _finding_words(result.quote)
    for sentence in ct.split_sentences(text):
        said = set(re.findall(r"[a-z]+", sentence.lower()))
        if len(words) >= 3 and len(words & said) * 3 >= len(words) * 2 and values <= ct.number_values(sentence):
            return True
        if kind_rx is None or not kind_rx.search(sentence):
            continue
        if values:
            if values <= ct.number_values(sentence):
                return True
        elif words & said or not words:
            return True
    return False


def _finding_words(quote: str) -> set[str]:
    test_words = set(re.findall(r"[a-z]+", " ".join(m.group(0) for m in TEST.finditer(quote)).lower()))
    return {w for w in re.findall(r"[a-z]+", quote.lower()) if len(w) > 2 and w not in ct.STOPWORDS
            and w not in test_words and w not in ct.BOILERPLATE and w not in {"looks", "look", "looking", "results",
                                                                             "result", "shows", "show", "see"}}
