"""What happened since the last session, in the client's own words.

A progress note's Subjective (or DAP Data) opens with the interval history: what
the client brought in when asked how the week went. The small drafting model
keeps the topic and garbles the story ("worry about the carousel, shoulders,
and friend's suicide attempt" for a friend who went quiet for two days). This
reader takes the client's answers to the clinician's check-in questions
("How has the week gone?", "Tell me what's been going on."); when no draft
sentence tells the same story, session_facts adds the answer as a quote.
"""

from __future__ import annotations

import re

from soapdesk.core import clinical_text as ct
from soapdesk.core.sleep_and_substances import clients_sentence, last_question
from soapdesk.core.transcript import Transcript

_CHECK_IN = re.compile(
    r"\bhow(?:'s| is| was| has| have)\s+(?:the|your|this|last)\s+(?:past\s+)?week\b|"
    r"\bhow (?:have|has) (?:you|things) been\b|\bwhat(?:'s| has) been going on\b|\bwhat(?:'s| has) happened\b|"
    r"\banything (?:that )?(?:stood out|stand out|happen\w*|come up|came up)\b|"
    r"\bsince (?:we|I) (?:last )?(?:met|saw you|talked|spoke)\b|\bsince (?:last|our last) (?:time|session|week)\b",
    re.I)
_MAX_QUOTE = 240
_FILLER = 4  # sentences of fewer words ("Um, yeah, actually.") are not the story
_STORY = 15
_MAX_ANSWERS = 2


def answers(transcript: Transcript) -> list[str]:
    """The client's answers to the clinician's check-in questions that tell a story (at least
    fifteen words: "Busy. Loud, in my head." is not one), up to about two sentences each; at most two."""
    out: list[str] = []
    segs = [s for s in transcript.segments if s.text.strip()]
    for i, seg in enumerate(segs[:-1]):
        if len(out) == _MAX_ANSWERS:
            break
        if seg.speaker == segs[i + 1].speaker or not _CHECK_IN.search(last_question(seg.text, requests=True)):
            continue
        reply = segs[i + 1]
        quote = ""
        for sentence in ct.split_sentences(reply.text):
            if not clients_sentence(reply, sentence):
                break
            if not quote and len(sentence.split()) < _FILLER:
                continue
            if quote and len(quote) + len(sentence) > _MAX_QUOTE:
                break
            quote = f"{quote} {sentence}".strip()
        if len(quote.split()) >= _STORY:
            out.append(quote)
    return out



def told(text: str, quote: str) -> bool:
    """Some draft sentence shares at least three of the answer's content words, or a third of them."""
    said = {ct.norm_stem(s) for s in ct.content_stems(quote)}
    if not said:
        return True
    need = min(3, max(1, len(said) // 3))
    return any(len(said & {ct.norm_stem(s) for s in ct.content_stems(sent)}) >= need for sent in ct.split_sentences(text))
