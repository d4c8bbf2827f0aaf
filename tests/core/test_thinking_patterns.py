"""The cognitive distortions named in a CBT session, kept in the note."""

from __future__ import annotations

from soapdesk.core import thinking_patterns
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript import CLIENT, CLINICIAN, Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: That's exactly the kind of thing depression filters out.
Therapist: Do you notice any of the thinking traps? Was it mind-reading, or catastrophizing?
Client: Fortune-telling, definitely. And mind-reading. Like, I decided what she thinks of me.
Therapist: Exactly."""


def soap(plan: str) -> list[Section]:
    return [Section("subjective", "Subjective", "Low mood after work stress."),
            Section("objective", "Objective", "PHQ-9 14."),
            Section("assessment", "Assessment", "Moderate depression."),
            Section("plan", "Plan", plan)]


def test_the_clients_own_names_are_read_not_the_menu_the_clinician_offered_or_everyday_words():
    n = thinking_patterns.named(parse_transcript(SESSION))
    assert n.names == ("fortune-telling", "mind-reading") and n.by == CLIENT
    assert n.quote == "Fortune-telling, definitely. And mind-reading."


def test_the_clinicians_statement_counts_when_the_client_named_none():
    t = parse_transcript("Therapist: That sounds like catastrophizing to me.\nClient: Yeah, maybe.")
    n = thinking_patterns.named(t)
    assert n.names == ("catastrophizing",) and n.by == CLINICIAN


def test_a_draft_that_drops_the_names_gets_them_where_the_session_work_is_told():
    t = parse_transcript(SESSION)
    note = soap("Completed a thought record in session.")
    add_missing_facts(note, t)
    assert ("Cognitive distortions named by the client: fortune-telling, mind-reading "
            '("Fortune-telling, definitely. And mind-reading.").') in note[3].text
    told = soap("The client identified fortune telling and mind reading in the thought record.")
    add_missing_facts(told, t)
    assert "Cognitive distortions" not in told[3].text


def test_a_session_that_names_none_adds_nothing():
    t = parse_transcript("Therapist: How was the week?\n"
                         "Client: Fine. I should get back to the gym, and the filter on my camera broke.")
    assert thinking_patterns.named(t) is None


def test_the_names_go_right_after_the_line_telling_the_thought_record():
    t = parse_transcript(SESSION)
    note = soap("1. Walk at lunch three days a week.\n2. One thought record a day.\n3. Next session Monday.")
    add_missing_facts(note, t)
    assert note[3].text.split("\n")[2].startswith("Cognitive distortions named by the client:")


def test_a_recording_without_speaker_labels_still_gets_the_names_said_in_a_statement():
    t = Transcript([Segment(0, "Do you notice any thinking traps? Fortune-telling, definitely. And mind-reading.")])
    n = thinking_patterns.named(t)
    assert n.names == ("fortune-telling", "mind-reading")
    assert thinking_patterns.line(n, "client").startswith("Cognitive distortions named in session: ")
