"""The checks every draft goes through before a clinician sees it.

Evidence links per sentence, grounding flags (numbers, doses, medications,
negation, invented normal findings), the risk screen and, on request, billing
suggestions. All deterministic and local; nothing here changes the draft's
text — unsupported statements are flagged, never hidden.
"""

from __future__ import annotations

import logging
import threading
import time

from soapdesk.core.note import Note

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load the rule engines (medspaCy, the ICD-10-CM table) in the background
    while the model drafts, so the checks add well under a second afterwards."""
    def load():
        try:
            from soapdesk.core import billing, context_rules, review_of_systems

            context_rules.nlp()
            review_of_systems.pipeline()  # a physician note's review of systems is read while drafting
            billing._icd_index()
        except Exception as exc:  # noqa: BLE001 - warming is best effort; review() loads on demand
            log.warning("check warm-up failed: %s", type(exc).__name__)

    threading.Thread(target=load, name="review-warmup", daemon=True).start()


def review(note: Note, *, billing: bool = False, minutes: int | None = None) -> Note:
    from soapdesk.core import evidence, grounding, risk

    t0 = time.perf_counter()
    transcript = note.transcript
    note.sentences = {s.key: evidence.link_section(s.text, transcript) for s in note.sections}
    unsupported = sum(1 for sents in note.sentences.values() for e in sents if not e.supported)
    if unsupported:
        note.warnings.append(f"{unsupported} sentence(s) could not be matched to the transcript; "
                             "they are marked unsupported - check them before finalizing.")
    note.flags = grounding.check_note(note, transcript)
    note.warnings.extend(f"{_title(note, f.section_key)}: {f.reason} (\"{_short(f.sentence)}\")" for f in note.flags)
    findings = risk.screen(transcript)
    note.risk = findings
    text = "\n".join(s.text for s in note.sections)
    note.warnings.extend(f"Risk: {msg}" for msg in risk.note_contradicts_risk(text, findings))
    if billing:
        from soapdesk.core import billing as billing_mod

        if minutes is None and transcript.duration_s:
            minutes = int(round(transcript.duration_s / 60))
        note.billing = billing_mod.suggest(transcript, minutes=minutes, template_id=note.template).to_json()
    note.timings["review_s"] = time.perf_counter() - t0
    return note


def _title(note: Note, key: str) -> str:
    try:
        return note.section(key).title
    except KeyError:
        return key


def _short(sentence: str, n: int = 90) -> str:
    s = " ".join(sentence.split())
    return s if len(s) <= n else s[: n - 1] + "…"
