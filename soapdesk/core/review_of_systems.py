"""The review of systems, read from what the patient said and answered.

A review of systems is a checklist: by body system, which symptoms the patient
reported and which they denied. The 1.5B drafting model wrote it worst of all
the sections: on the 20 ACI-Bench validation visits its reviews were four times
longer than the annotators', filled with exam findings, plans and medications,
and one listed "diarrhea, nausea, vomiting" that the patient had just denied.
So the section is read from the transcript instead, with the ConText and
dialogue rules the grounding check uses:

- a symptom the patient names is reported, unless ConText reads it as negated
  ("no fever"), historical, hypothetical or someone else's;
- a clinician's yes/no question naming symptoms, answered "no" in the next
  patient turn, denies them all; answered "yes", it confirms the one it names
  (when it names several, only those the answer repeats);
- what the clinician says otherwise (exam findings, explanations) is not the
  patient's review.

A symptom reported anywhere in the visit is reported, even if denied at
another moment: for a clinician, a missed complaint costs more than a missed
denial. Every line is checked against the transcript like any other sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from soapdesk.core import context_rules as cr
from soapdesk.core.section_lanes import SENTENCE_BREAK
from soapdesk.core.transcript import CLINICIAN, UNKNOWN, Transcript

# (body system, [(symptom as the note writes it, [what people say])]). The
# system names and their order are the usual review-of-systems form. A symptom
# is listed under one system only; a bare "pain" or "swelling" is left out: it
# has no system until a site is named ("knee pain").
SYSTEMS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("Constitutional", (
        ("fever", ("fever", "fevers", "feverish", "febrile")),
        ("chills", ("chills", "chill", "the chills")),
        ("fatigue", ("fatigue", "fatigued", "tired", "tiredness", "exhausted", "exhaustion", "low energy",
                     "no energy", "lack of energy")),
        ("night sweats", ("night sweats", "sweats")),
        ("weight loss", ("weight loss", "lost weight", "losing weight")),
        ("weight gain", ("weight gain", "gained weight", "gaining weight")),
        ("decreased appetite", ("decreased appetite", "loss of appetite", "lost my appetite", "poor appetite",
                                "appetite has been down", "appetite is down")),
    )),
    ("Eyes", (
        ("vision changes", ("vision changes", "change in vision", "changes in vision", "change in your vision",
                            "changes in your vision", "blurry vision", "blurred vision", "double vision",
                            "vision problems")),
        ("eye pain", ("eye pain",)),
    )),
    ("Ears, Nose, Mouth and Throat", (
        ("nasal congestion", ("nasal congestion", "congestion", "congested", "stuffy nose", "stuffed up",
                              "runny nose", "nasal drainage", "post nasal drip", "postnasal drip")),
        ("sore throat", ("sore throat", "throat pain", "scratchy throat")),
        ("ear pain", ("ear pain", "earache", "ear ache")),
        ("hearing loss", ("hearing loss", "trouble hearing")),
        ("sinus pain", ("sinus pain", "sinus pressure")),
    )),
    ("Cardiovascular", (
        ("chest pain", ("chest pain", "chest pains", "chest pressure", "chest tightness", "chest discomfort")),
        ("palpitations", ("palpitations", "heart racing", "racing heart", "heart palpitations",
                          "heart flutters", "fluttering")),
        ("leg swelling", ("leg swelling", "swelling in your legs", "swelling in my legs", "swollen legs",
                          "ankle swelling", "swollen ankles", "swelling in your ankles", "swelling in my ankles",
                          "swelling in your feet", "swelling in my feet")),
    )),
    ("Respiratory", (
        ("shortness of breath", ("shortness of breath", "short of breath", "trouble breathing",
                                 "difficulty breathing", "breathing problems", "winded")),
        ("cough", ("cough", "coughing")),
        ("wheezing", ("wheezing", "wheeze")),
    )),
    ("Gastrointestinal", (
        ("nausea", ("nausea", "nauseous", "nauseated", "queasy")),
        ("vomiting", ("vomiting", "throwing up", "threw up", "vomited")),
        ("diarrhea", ("diarrhea", "loose stools")),
        ("constipation", ("constipation", "constipated")),
        ("abdominal pain", ("abdominal pain", "stomach pain", "belly pain", "stomach ache", "stomachache",
                            "stomach pains", "abdominal cramps", "stomach cramps")),
        ("bloating", ("bloating", "bloated")),
        ("heartburn", ("heartburn", "acid reflux", "reflux", "indigestion")),
        ("blood in the stool", ("blood in your stool", "blood in my stool", "blood in the stool", "bloody stool",
                                "bloody stools", "black stools", "rectal bleeding")),
        ("difficulty swallowing", ("difficulty swallowing", "trouble swallowing", "painful swallowing")),
    )),
    ("Genitourinary", (
        ("painful urination", ("painful urination", "pain with urination", "burning with urination",
                               "burning when you urinate", "burning when i urinate", "burning when i pee",
                               "burning when you pee")),
        ("blood in the urine", ("blood in your urine", "blood in my urine", "blood in the urine")),
        ("urinary frequency", ("urinary frequency", "frequent urination", "urinating more")),
        ("dark urine", ("dark urine", "urine is dark", "urine has been dark", "urine discoloration")),
        ("incontinence", ("incontinence", "leaking urine")),
    )),
    ("Musculoskeletal", (
        ("joint pain", ("joint pain", "joint pains", "joint swelling")),
        ("body aches", ("body aches", "achy", "aches", "muscle aches", "muscle pain", "muscle cramps")),
        ("stiffness", ("stiffness", "stiff")),
    )),
    ("Skin", (
        ("rash", ("rash", "rashes", "hives")),
        ("itching", ("itching", "itchy")),
    )),
    ("Neurological", (
        ("headaches", ("headache", "headaches", "migraine", "migraines")),
        # Kept apart: lightheadedness (feeling faint) and dizziness (spinning) point to different causes.
        ("dizziness", ("dizziness", "dizzy", "vertigo", "room spinning")),
        ("lightheadedness", ("lightheaded", "light-headed", "lightheadedness", "light headed")),
        ("numbness", ("numbness", "numb")),
        ("tingling", ("tingling", "pins and needles")),
        ("weakness", ("weakness",)),
        ("fainting", ("fainting", "passing out", "passed out", "pass out", "fainted", "syncope")),
        ("seizures", ("seizure", "seizures")),
        ("tremor", ("tremor", "tremors")),
    )),
    ("Psychiatric", (
        ("depression", ("depression", "depressed")),
        ("anxiety", ("anxiety", "anxious")),
        ("stress", ("stress", "stressed")),
        ("trouble sleeping", ("trouble sleeping", "insomnia", "difficulty sleeping", "can't sleep")),
    )),
    ("Endocrine", (
        ("excessive thirst", ("excessive thirst", "increased thirst", "always thirsty", "very thirsty")),
        ("heat or cold intolerance", ("heat intolerance", "cold intolerance")),
    )),
    ("Hematologic/Lymphatic", (
        ("bruising", ("easy bruising", "bruise easily", "bruising easily", "bruising")),
        ("swollen glands", ("swollen glands", "swollen lymph nodes")),
    )),
)

# Pain at a named site is a musculoskeletal complaint: "my knee hurts", "pain in my
# right elbow", "back pain". The site as said, in the note's singular.
PAIN_SITES = {"back": "back", "neck": "neck", "shoulder": "shoulder", "shoulders": "shoulder", "elbow": "elbow",
              "elbows": "elbow", "wrist": "wrist", "wrists": "wrist", "hand": "hand", "hands": "hand",
              "finger": "finger", "fingers": "finger", "thumb": "thumb", "hip": "hip", "hips": "hip",
              "knee": "knee", "knees": "knee", "ankle": "ankle", "ankles": "ankle", "foot": "foot",
              "feet": "foot", "toe": "toe", "toes": "toe", "leg": "leg", "legs": "leg", "arm": "arm",
              "arms": "arm"}
_PAIN_WORDS = ["pain", "pains", "hurts", "hurt", "hurting", "aches", "ache", "aching", "sore"]
_BETWEEN = ["is", "has", "was", "been", "still", "really", "just", "kind", "of", "a", "little", "bit", "starts",
            "started", "keeps", "always"]
SYSTEM_OF = {symptom: system for system, entries in SYSTEMS for symptom, _ in entries}
SYSTEM_OF.update({f"{site} pain": "Musculoskeletal" for site in sorted(set(PAIN_SITES.values()))})
_RANK = {symptom: i for i, symptom in enumerate(SYSTEM_OF)}  # the order symptoms are written in
_LABEL = "REVIEW_SYMPTOM"


@lru_cache(maxsize=1)
def pipeline():
    """Its medspaCy pipeline, built once per process (review.warm_up builds it in the background)."""
    from medspacy.ner import TargetRule

    rules = [TargetRule(said, _LABEL, metadata={"concept": symptom})
             for _, entries in SYSTEMS for symptom, forms in entries for said in forms]
    for said, site in PAIN_SITES.items():
        concept = {"concept": f"{site} pain"}
        rules.append(TargetRule(f"{said} pain", _LABEL, metadata=concept, pattern=[
            {"LOWER": said}, {"LOWER": {"IN": _BETWEEN}, "OP": "*"}, {"LOWER": {"IN": _PAIN_WORDS}}]))
        rules.append(TargetRule(f"pain in {said}", _LABEL, metadata=concept, pattern=[
            {"LOWER": {"IN": _PAIN_WORDS}}, {"LOWER": {"IN": ["in", "on"]}},
            {"LOWER": {"IN": ["my", "your", "the", "his", "her", "their", "both"]}},
            {"LOWER": {"IN": ["right", "left", "lower", "upper"]}, "OP": "?"}, {"LOWER": said}]))
    return cr.build_pipeline(rules, _turn_rules())


def _turn_rules() -> list:
    """Spoken turns often come without stops ("no fever some chills and i do feel
    a little nauseous"): a denial's scope ends where the patient starts telling
    what they do have."""
    from medspacy.context import ConTextRule

    ends = [ConTextRule(lit, "TERMINATE", direction="TERMINATE") for lit in (
        "some", "i do", "i have", "i've had", "i've been", "i feel", "i just feel", "i get", "i got", "i had",
        "i am", "i'm", "a little", "a bit", "just")]
    # ... but a denial that holds those words stays one (the longer match wins)
    denials = [ConTextRule(lit, "NEGATED_EXISTENCE", direction="FORWARD", max_scope=10) for lit in (
        "don't think i've had", "don't think i have", "don't think i had", "don't think i've been",
        "don't feel", "don't get", "haven't had", "haven't been", "i have no", "i've had no", "i had no")]
    return ends + denials


# "I haven't had any nausea but you know just slight fatigue": a denial never reaches past "but".
# ConText's own terminator did not always hold in long unpunctuated turns, so the clauses are read apart.
_CLAUSE = re.compile(r"\s*,?\s+\b(?:but|though|although|however|except)\b\s+", re.I)


def _mentions(text: str) -> list[cr.Mention]:
    # Transcripts may split contractions ("have n't"), which ConText's negation rules do not read.
    text = cr.join_contractions(text)
    return [m for clause in _CLAUSE.split(text) if clause.strip()
            for m in cr.analyze(clause, pipeline()) if m.label == _LABEL]


@dataclass
class Symptom:
    name: str
    reported: bool
    segments: list[int] = field(default_factory=list)


def reviewed(transcript: Transcript) -> list[Symptom]:
    """The symptoms the patient reported or denied, in the order first heard."""
    found: dict[str, Symptom] = {}

    def heard(name: str, reported: bool, *seg_ids: int) -> None:
        s = found.setdefault(name, Symptom(name, reported))
        s.reported = s.reported or reported
        s.segments.extend(i for i in seg_ids if i not in s.segments)

    segs = [s for s in transcript.segments if s.text.strip()]
    asked_before = False
    for i, seg in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        asking = _closing_question(seg.text) if seg.speaker in (CLINICIAN, UNKNOWN) else ""
        if asking and nxt is not None and nxt.speaker != CLINICIAN:
            _read_answer(asking, seg, nxt, heard)
        # With no speaker labels, a turn counts as the patient's only as the answer to a question.
        if seg.speaker != CLINICIAN and (seg.speaker != UNKNOWN or asked_before):
            for m in _mentions(seg.text):
                if not (m.historical or m.hypothetical or m.other_experiencer or _NOT_A_REPORT.search(m.sentence)):
                    heard(m.concept, not m.negated, seg.id)
        asked_before = bool(asking)
    return list(found.values())


# A question in the patient's turn ("could it be the fever?", or the clinician's words filed under
# the patient: "have you experienced any numbness"), or a wish ("I wish I had some weight loss").
_NOT_A_REPORT = re.compile(r"\?|\b(?:have|did|do|are|were|has)\s+you\b|\bwish\b", re.I)
_QUESTION_WORDS = 25


def _closing_question(text: str) -> str:
    """The question a turn ends on: the one its next turn answers. Only the last:
    "... some nasal congestion? Any other symptoms?" "No." denies no congestion."""
    # Split at any stop, not only before a capital: spoken turns are transcribed in lower case
    # ("... the fall pollen . any other symptoms ?").
    sentences = [x for x in SENTENCE_BREAK.split(text.strip()) if x.strip()]
    if not sentences or not cr.is_question(sentences[-1]):
        return ""
    # A turn transcribed without stops is one long "sentence": its last words are the question.
    return " ".join(sentences[-1].split()[-_QUESTION_WORDS:])


def _read_answer(question: str, asked, answer, heard) -> None:
    polarity = cr.answer_polarity(answer.text)
    if polarity is None:
        return
    named = [m for m in _mentions(question) if not (m.hypothetical or m.other_experiencer)]
    if polarity == "no":
        for m in named:
            if not m.negated:  # "no" to "no fever?" is ambiguous
                heard(m.concept, False, asked.id, answer.id)
        return
    names = list(dict.fromkeys(m.concept for m in named if not m.negated))
    if len(names) > 1:  # a bare "yes" to a list confirms none of it; the answer's own words are read on its turn
        return
    for name in names:
        heard(name, True, asked.id, answer.id)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def section_text(transcript: Transcript) -> str:
    """One line per body system discussed, or "" when none was."""
    symptoms = reviewed(transcript)
    lines = []
    for system, _ in SYSTEMS:
        mine = sorted((s for s in symptoms if SYSTEM_OF[s.name] == system), key=lambda s: _RANK[s.name])
        if not mine:
            continue
        parts = []
        reported = [s.name for s in mine if s.reported]
        denied = [s.name for s in mine if not s.reported]
        if reported:
            parts.append(f"Endorses {_listed(reported)}.")
        if denied:
            parts.append(f"Denies {_listed(denied)}.")
        lines.append(f"{system}: {' '.join(parts)}")
    return "\n".join(lines)
