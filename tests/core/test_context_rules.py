"""medSpaCy ConText as the checks use it: negation, and safe use from several threads."""

from __future__ import annotations

import concurrent.futures
import logging

from soapdesk.core import context_rules

TEXTS = [
    "The client denies suicidal ideation. She reports poor sleep and low mood. No self-harm.",
    "Patient reports knee pain, 4 out of 10. No swelling. Denies fever.",
    "He stopped the sertraline in March. Anxiety is worse at night. No thoughts of hurting anyone.",
]


def test_negated_symptom_is_read_as_negated():
    denied = context_rules.analyze("The client denies suicidal ideation.")
    reported = context_rules.analyze("The client reports suicidal ideation.")
    assert denied and all(m.negated for m in denied), "a denial must come out negated"
    assert reported and not any(m.negated for m in reported), "a report must stay affirmed"


def test_checks_from_many_threads_at_once_give_the_same_answers():
    """Concurrent API requests run the checks in parallel threads; medSpaCy's
    sentence splitter is not thread-safe, so analyze() must serialise it."""
    def read(text):
        return [(m.concept, m.negated) for m in context_rules.analyze(text)]

    expected = [read(t) for t in TEXTS]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(read, TEXTS * 8))
    assert results == expected * 8


def test_the_sentence_splitter_does_not_flood_the_log(caplog):
    from soapdesk.store.logging_setup import RedactFilter

    caplog.handler.addFilter(RedactFilter())
    with caplog.at_level(logging.INFO):
        context_rules.analyze(TEXTS[0] + " Mood 3/10. Sleep 5.5 hours.")
    assert not [r for r in caplog.records if "eligible syntax" in r.getMessage()]
