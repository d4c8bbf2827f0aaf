"""A short sheet of facts read from the transcript by exact rules, given to the drafting model.

A small local model skims a long transcript: it drops scores, mixes up a drug
the client stopped with one they take, and writes "denies suicidal ideation"
when nobody asked. The same rule-based readers that check a draft afterwards
(risk screen, medication status, questionnaire scores, stated diagnoses) run
before drafting too, and their results go into the prompt after the
transcript, so the model copies facts instead of guessing them. The sheet is
shared by every section, so it is part of the cached prompt prefix.

Nothing here is inferred beyond what the checks already report; a fact the
rules are unsure of (a drug said to be both taken and stopped) is left out
rather than stated.
"""

from __future__ import annotations

from soapdesk.core import clinical_text as ct
from soapdesk.core import grounding, risk
from soapdesk.core.billing import stated_diagnoses
from soapdesk.core.transcript import Transcript

_MAX_QUOTE = 140


def fact_sheet(transcript: Transcript) -> str:
    """Plain-text bullet lines, or "" when the rules found nothing worth stating."""
    lines: list[str] = []
    findings = risk.screen_cached(transcript)
    if any(f.status != risk.NOT_ASSESSED for f in findings.values()):
        lines.append(risk.risk_statement(findings))
    facts = grounding.transcript_facts(transcript)
    for generic, mf in sorted(facts.meds.items()):
        quote = _first_quote(transcript, generic, stopped=mf.historical and not mf.current)
        said = f' (said: "{quote}")' if quote else ""
        if mf.historical and not mf.current:
            lines.append(f"Medication {generic}: stopped or not taken now, so not a current medication{said}.")
        elif mf.current and not mf.historical:
            lines.append(f"Medication {generic}: mentioned as taken{said}.")
    for sf in facts.scales.values():
        name = _scale_name(transcript, sf.key)
        if not name or not sf.current:
            continue
        now = _values(sf.current)
        before = _values(sf.prior - sf.current)
        lines.append(f"{name} score: {now}" + (f" (earlier: {before})" if before else "") + ".")
    for dx in stated_diagnoses(transcript):
        lines.append(f"Diagnosis stated by the clinician: {dx.description[0].lower() + dx.description[1:]}.")
    return "\n".join(f"- {ln}" for ln in lines)


def _values(vals: set[float]) -> str:
    return ", ".join(ct.fmt_number(v) for v in sorted(vals))


def _scale_name(transcript: Transcript, key: str) -> str:
    for seg in transcript.segments:
        for m in ct.SCALE_NAME.finditer(seg.text):
            if grounding.scale_key(m.group(0)) == key:
                return m.group(0)
    return ""


def _first_quote(transcript: Transcript, generic: str, *, stopped: bool) -> str:
    """The sentence that best shows the drug's status: for a stopped drug the
    one saying so; for a current one the first that gives a dose (the mention
    or the reply to it); else the first mention."""
    segs = transcript.segments
    first = ""
    for i, seg in enumerate(segs):
        for _written, gen, a, _b in ct.find_medications(seg.text, guess=False):
            if gen != generic:
                continue
            sentence = _sentence_at(seg.text, a)
            first = first or sentence
            if stopped:
                if grounding.says_stopped(sentence):
                    return sentence
                continue
            candidates = [sentence] + [_sentence_at(s.text, 0) for s in segs[i + 1:i + 2] if s.speaker != seg.speaker]
            for c in candidates:
                if ct.find_numbers(c):
                    return c
    return first


def _sentence_at(text: str, pos: int) -> str:
    spans = ct.sentence_spans(text)
    for k, (x, y) in enumerate(spans):
        if x <= pos < y:
            sentence = text[x:y].strip()
            if len(sentence.split()) <= 5 and k + 1 < len(spans):  # "The hydroxyzine? No, I stopped it."
                sentence += " " + text[spans[k + 1][0]:spans[k + 1][1]].strip()
            if len(sentence) > _MAX_QUOTE:
                sentence = sentence[:_MAX_QUOTE].rsplit(" ", 1)[0] + "..."
            return sentence
    return ""
