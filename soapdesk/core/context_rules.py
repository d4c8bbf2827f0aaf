"""medspaCy set-up: rule-based sentence splitting, our clinical target terms and
ConText (negation, historical, hypothetical, other experiencer), fully offline.

medspaCy's default ConText rules understand note language ("denies SI",
"no history of"), not dialogue. We add rules of our own:
- "stopped / quit / came off / tapered off / discontinued / no longer / haven't
  needed X since" mark X historical (a drug the client no longer takes);
- "maybe going up to / considering / talked about increasing" mark a dose
  hypothetical;
- a friend, coworker, mother... as the subject marks another experiencer;
and, in `answer_polarity`, the dialogue rule medspaCy lacks: a clinician's
yes/no question answered "No" / "Nope" / "Not at all" / "Never" in the next
client turn negates the concepts the question asked about.

PyRuSH logs every token through loguru at DEBUG level (PHI in logs): the
loguru handlers are removed and PyRuSH's logger disabled before the pipeline
is built, i.e. before any text is processed.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from soapdesk.core import clinical_text as ct

log = logging.getLogger(__name__)
_lock = threading.Lock()


def silence_phi_loggers() -> None:
    try:
        from loguru import logger as _loguru

        _loguru.remove()
        for name in ("PyRuSH", "PyRuSH.RuSH", "medspacy", "PyFastNER"):
            _loguru.disable(name)
    except Exception:  # loguru missing: nothing logs through it
        pass
    for name in ("PyRuSH", "medspacy", "PyFastNER"):
        logging.getLogger(name).setLevel(logging.WARNING)


# -- our target terms: (literal or regex-free phrase, label) -------------------

RISK_TERMS = {
    "SUICIDAL_IDEATION": [
        "suicidal ideation", "suicidal thoughts", "suicidal thinking", "thoughts of suicide", "suicidal",
        "suicide", "SI", "passive SI", "active SI", "passive suicidal ideation", "active suicidal ideation",
        "wish to be dead", "death wish", "better off dead", "kill herself", "kill himself", "kill myself",
        "killing myself", "killing yourself", "kill yourself", "end my life", "end her life", "end his life",
        "ending my life", "suicide attempt", "suicide attempts", "attempted suicide",
    ],
    "SELF_HARM": [
        "self-harm", "self harm", "self-injury", "self injury", "self-injurious behavior", "self-harming",
        "thoughts of self-harm", "hurting herself", "hurting himself", "hurting myself", "hurting yourself",
        "harming herself", "harming himself", "harming myself", "harm to self", "cutting", "NSSI",
    ],
    "HOMICIDAL_IDEATION": [
        "homicidal ideation", "homicidal thoughts", "homicidal", "HI", "thoughts of harming others",
        "thoughts of hurting others", "harm to others", "hurting others", "harming others",
        "hurting someone", "hurting anyone", "violent thoughts", "thoughts of violence",
    ],
}

SYMPTOM_TERMS = [
    "chest pain", "calf pain", "pain", "swelling", "warmth", "redness", "fever", "headache", "headaches",
    "nausea", "vomiting", "dizziness", "shortness of breath", "palpitations", "side effects", "side effect",
    "lag", "extensor lag", "numbness", "tingling", "insomnia", "nightmares", "panic attacks", "panic attack",
    "hallucinations", "auditory hallucinations", "visual hallucinations", "paranoia", "delusions",
    "mania", "manic symptoms", "appetite", "weight loss", "weight gain", "fatigue", "anhedonia",
    "flashbacks", "irritability", "tearfulness", "crying spells", "drowsiness", "sedation", "tremor",
    "rash", "cough", "diarrhea", "constipation", "bleeding", "infection", "drainage", "giving way",
    "instability", "locking", "missed doses", "missed any", "substance use", "alcohol use", "alcohol",
    "drug use", "cannabis", "marijuana", "muscle tension",
]

# Everyday forms a note also uses, read as the concept they name: "stopped it when they felt
# dizzy" reports dizziness.
SYMPTOM_FORMS = {"dizzy": "dizziness", "lightheaded": "dizziness", "light-headed": "dizziness",
                 "nauseous": "nausea", "nauseated": "nausea", "short of breath": "shortness of breath"}


@dataclass(frozen=True)
class Mention:
    text: str
    label: str
    concept: str
    start: int  # character offsets in the analysed text
    end: int
    negated: bool
    historical: bool
    hypothetical: bool
    other_experiencer: bool
    possible: bool
    sentence: str


# -- ConText rules of our own --------------------------------------------------

def _our_context_rules():
    from medspacy.context import ConTextRule

    rules = []
    for lit in ("stopped", "stop taking", "stopped taking", "quit", "quit taking", "came off", "come off",
                "coming off", "went off", "tapered off", "weaned off", "discontinued", "no longer taking",
                "no longer on", "not taking", "haven't needed", "hasn't needed", "have not needed",
                "has not needed", "used to take", "used to be on", "was on", "were on", "previously",
                "formerly", "prior", "former", "took the rest", "in the past"):
        rules.append(ConTextRule(lit, "HISTORICAL", direction="BIDIRECTIONAL", max_scope=8))
    for lit in ("maybe going up", "going up to", "go up to", "increase to", "increasing to", "considering",
                "consider", "thinking about", "talked about", "possible", "possibly", "may increase",
                "might", "would", "could", "plans to", "planning to", "recommend", "recommended", "discuss",
                "wait and see", "if needed", "in case", "should", "brought up", "option"):
        rules.append(ConTextRule(lit, "HYPOTHETICAL", direction="FORWARD", max_scope=8))
    for lit in ("nothing like that", "not at all", "never", "no thoughts of", "denied", "denies",
                "denying", "negative for", "free of", "absent", "none", "no longer has", "not having",
                "isn't having", "hasn't had", "haven't had", "has not had", "have not had", "no more"):
        rules.append(ConTextRule(lit, "NEGATED_EXISTENCE", direction="BIDIRECTIONAL" if lit in (
            "nothing like that", "denied", "absent", "none") else "FORWARD", max_scope=10))
    # A denial that points back at a list ("calf pain, warmth and swelling, but the
    # patient denied any of these"; "..., none of which were present"). Without this
    # the "but"/"which" terminators cut the denial off and the list reads as reported.
    # The rule's own span swallows the terminator, and medspaCy keeps the longer match.
    rules.append(ConTextRule("denied any of these", "NEGATED_EXISTENCE", direction="BACKWARD", max_scope=14, pattern=[
        {"LOWER": {"IN": ["but", "and"]}, "OP": "?"}, {"LOWER": {"IN": ["the", "he", "she", "they"]}, "OP": "?"},
        {"LOWER": {"IN": ["patient", "client"]}, "OP": "?"}, {"LOWER": {"IN": ["denied", "denies", "denying"]}},
        {"LOWER": {"IN": ["any", "all", "each", "both", "either"]}}, {"LOWER": "of"},
        {"LOWER": {"IN": ["these", "them", "those", "the"]}}, {"LOWER": "above", "OP": "?"}]))
    # A labelled line answered with a denial: "Illicit drug use: Never.", "Swelling: none."
    rules.append(ConTextRule(": none", "NEGATED_EXISTENCE", direction="BACKWARD", max_scope=6, pattern=[
        {"ORTH": ":"}, {"LOWER": {"IN": ["none", "never", "nil"]}}]))
    rules.append(ConTextRule("none of which", "NEGATED_EXISTENCE", direction="BACKWARD", max_scope=14, pattern=[
        {"LOWER": {"IN": ["none", "neither"]}}, {"LOWER": "of"},
        {"LOWER": {"IN": ["these", "them", "those", "which"]}}]))
    for lit in ("friend", "friend's", "coworker", "co-worker", "roommate", "neighbor", "classmate",
                "boyfriend", "girlfriend", "cousin", "mom", "mother", "dad", "father", "sister",
                "brother", "aunt", "uncle", "grandmother", "grandfather", "wife", "husband", "partner",
                "she", "he", "her", "his", "they", "their", "someone she knows"):
        rules.append(ConTextRule(lit, "OTHER_EXPERIENCER", direction="FORWARD", max_scope=6))
    # "denies any other symptoms besides back pain": what follows the exception was reported.
    for lit in ("but", "however", "although", "though", "except", "which", "so", "besides", "other than",
                "apart from", "aside from"):
        rules.append(ConTextRule(lit, "TERMINATE", direction="TERMINATE"))
    return rules


@lru_cache(maxsize=1)
def nlp():
    """The medspaCy pipeline of the checks (risk terms, symptoms, medications),
    built once per process (about 0.5 s)."""
    silence_phi_loggers()  # before medspaCy is imported at all
    from medspacy.ner import TargetRule

    rules = []
    for label, terms in RISK_TERMS.items():
        for t in terms:
            if t in ("SI", "HI", "NSSI"):
                rules.append(TargetRule(t, label, pattern=[{"TEXT": t}], metadata={"concept": label}))
            else:
                rules.append(TargetRule(t, label, metadata={"concept": label}))
    for t in SYMPTOM_TERMS:
        rules.append(TargetRule(t, "SYMPTOM", metadata={"concept": t}))
    for t, concept in SYMPTOM_FORMS.items():
        rules.append(TargetRule(t, "SYMPTOM", metadata={"concept": concept}))
    for name, generic in ct.medication_lexicon().items():
        rules.append(TargetRule(name, "MEDICATION", metadata={"concept": generic}))
    return build_pipeline(rules)


def build_pipeline(target_rules: list, context_rules: list | None = None):
    """A medspaCy pipeline with these targets and our ConText rules (and any
    given). A reader with its own vocabulary (review_of_systems) builds its own,
    so its terms never change what the checks see."""
    with _lock:
        silence_phi_loggers()
        import medspacy
        from medspacy.context import ConTextRule  # noqa: F401

        silence_phi_loggers()
        pipeline = medspacy.load()
        pipeline.get_pipe("medspacy_target_matcher").add(target_rules)
        pipeline.get_pipe("medspacy_context").add(_our_context_rules() + list(context_rules or ()))
        return pipeline


_run_lock = threading.Lock()


def analyze(text: str, pipeline=None) -> list[Mention]:
    """Concept mentions in a text with their ConText modifiers (by default with
    the checks' vocabulary)."""
    pipeline = nlp() if pipeline is None else pipeline
    # PyRuSH's sentence splitter keeps per-call state on the shared pipeline
    # object: two threads in it at once raise IndexError (seen with concurrent
    # API requests). One text at a time; a note's checks take well under a second.
    with _run_lock:
        doc = pipeline(text)
    out = []
    for ent in doc.ents:
        cats = {m.category for m in getattr(ent._, "modifiers", ())}
        concept = ent.label_
        rule = getattr(ent._, "target_rule", None)
        if rule is not None and getattr(rule, "metadata", None):
            concept = rule.metadata.get("concept", concept)
        sent = ent.sent.text if ent.has_extension("sent") or True else text
        out.append(Mention(
            text=ent.text, label=ent.label_, concept=concept, start=ent.start_char, end=ent.end_char,
            negated="NEGATED_EXISTENCE" in cats, historical="HISTORICAL" in cats,
            hypothetical="HYPOTHETICAL" in cats, other_experiencer="OTHER_EXPERIENCER" in cats or "FAMILY" in cats,
            possible="POSSIBLE_EXISTENCE" in cats, sentence=sent))
    return out


# -- dialogue rule: a yes/no question answered in the next client turn ----------

_NO_OPENERS = re.compile(
    r"^\W*(?:no+\b|nope\b|nah\b|not at all\b|not really\b|never\b|nothing\b|none\b|no way\b|"
    r"absolutely not\b|definitely not\b|not recently\b|not lately\b|i don'?t\b|i do not\b|i haven'?t\b|"
    r"i have not\b|i'm not\b|i am not\b|uh[- ]uh\b|"
    # "I have never had a drink": not the "I have" of a yes.
    r"i(?:'ve| have| had| do| did)? never\b)", re.I)
_YES_OPENERS = re.compile(
    r"^\W*(?:yes\b|yeah\b|yep\b|yup\b|sometimes\b|a little\b|kind of\b|sort of\b|i have\b|i do\b|"
    r"i did\b|maybe\b|honestly,? yes\b|occasionally\b|once or twice\b|lately\b|mm-?hm\b|uh-huh\b|i guess\b|"
    r"a bit\b|a few times\b|here and there\b)", re.I)
_QUESTION = re.compile(
    r"\?|^\s*(?:any|have you|has there|do you|did you|are you|were you|is there|has anyone|does anyone|"
    r"did anyone|have there)\b", re.I)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text or ""))


# Tokenised transcripts split contractions: "i do n't", "i have n't".
_SPLIT_CONTRACTION = re.compile(r"(?<=\w) n't\b")


def join_contractions(text: str) -> str:
    """"have n't" -> "haven't": ConText's negation rules and the answer openers read the joined form."""
    return _SPLIT_CONTRACTION.sub("n't", text)


def answer_polarity(answer: str) -> str | None:
    """'no', 'yes' or None for a client's reply to a yes/no question."""
    a = join_contractions((answer or "").strip())
    if _NO_OPENERS.match(a):
        return "no"
    if _YES_OPENERS.match(a):
        return "yes"
    return None


def question_sentences(text: str) -> list[str]:
    """The interrogative sentences of a clinician turn."""
    return [s for s in ct.split_sentences(text) if is_question(s)]
