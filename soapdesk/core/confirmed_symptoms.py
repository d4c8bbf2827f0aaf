"""Symptoms the clinician named and the client confirmed, with the client's answer.

Reviewing symptoms is half of a session's Subjective: "plus the muscle
tension and the trouble sleeping. Does that still fit?" "Yeah, the shoulders
thing especially. My shoulders are up by my ears, like, all day." The small
drafting model keeps the diagnosis and drops the symptom the client
confirmed. This reader finds a clinician turn that names a symptom and asks,
answered "yes" by the client; when the draft never names that symptom,
session_facts adds it with the client's answer as a quote.

When the question names several symptoms ("any nausea, vomiting or
diarrhea?"), a bare "yes" confirms none of them: only those the answer names
itself are confirmed ("Yeah, some nausea").
"""

from __future__ import annotations

from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core import context_rules as cr
from soapdesk.core.transcript import CLIENT, CLINICIAN, Transcript

_MAX_QUOTE = 200


@dataclass(frozen=True)
class Confirmed:
    concept: str  # "muscle tension"
    quote: str  # the client's answer, as said


def _answer(text: str) -> str:
    quote = ""
    for sentence in ct.split_sentences(text):
        if quote and len(quote) + len(sentence) > _MAX_QUOTE:
            break
        quote = f"{quote} {sentence}".strip()
    return quote


def confirmed(transcript: Transcript) -> list[Confirmed]:
    out: list[Confirmed] = []
    segs = [s for s in transcript.segments if s.text.strip()]
    for asked, reply in zip(segs, segs[1:]):
        if asked.speaker != CLINICIAN or reply.speaker != CLIENT:
            continue
        sentences = ct.split_sentences(asked.text)
        if not sentences or not cr.is_question(sentences[-1]) or cr.answer_polarity(reply.text) != "yes":
            continue
        named = list(dict.fromkeys(m.concept for m in cr.analyze(asked.text) if m.label == "SYMPTOM" and not (
            m.negated or m.hypothetical or m.other_experiencer)))
        if len(named) > 1:
            named = [c for c in named if mentioned(reply.text, c)]
        out.extend(Confirmed(c, _answer(reply.text)) for c in named if c not in {x.concept for x in out})
    return out


def mentioned(text: str, concept: str) -> bool:
    """The text names the symptom: its last word's stem ("tension" for muscle tension)."""
    stems = [ct.norm_stem(s) for s in ct.content_stems(concept.split()[-1], keep_boilerplate=True)]
    if not stems:
        return True
    return any(ct.norm_stem(s).startswith(stems[-1][:5]) for s in ct.content_stems(text, keep_boilerplate=True))
