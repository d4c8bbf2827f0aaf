"""Symptoms the clinician named and the client confirmed, kept with the client's answer."""

from __future__ import annotations

from soapdesk.core import confirmed_symptoms
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: At intake we landed on generalized anxiety disorder, plus the muscle tension. Does that still fit?
Client: Yeah. Yeah, the shoulders thing especially. My shoulders are up by my ears, like, all day.
Therapist: Any nausea, vomiting or diarrhea?
Client: Yes, some nausea in the mornings.
Therapist: Any headaches or dizziness?
Client: Yeah, sometimes.
Therapist: Any fever?
Client: No."""


def test_a_named_symptom_answered_yes_is_confirmed_and_a_bare_yes_to_a_list_confirms_none():
    found = {c.concept: c.quote for c in confirmed_symptoms.confirmed(parse_transcript(SESSION))}
    assert found == {
        "muscle tension": "Yeah. Yeah, the shoulders thing especially. My shoulders are up by my ears, like, all day.",
        "nausea": "Yes, some nausea in the mornings."}


def test_a_draft_that_leaves_it_out_gets_the_clients_answer():
    t = parse_transcript(SESSION)
    dropped = [Section("data", "Data", "The client has generalized anxiety disorder and some morning nausea.")]
    add_missing_facts(dropped, t)
    assert ('Muscle tension, confirmed by the client when asked: "Yeah. Yeah, the shoulders thing especially.'
            in dropped[0].text)
    assert "Nausea, confirmed" not in dropped[0].text  # the draft names it
    kept = [Section("data", "Data", "Muscle tension in the shoulders all day. Morning nausea.")]
    add_missing_facts(kept, t)
    assert "confirmed by the client" not in kept[0].text
