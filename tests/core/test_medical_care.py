"""Medical visits and tests the client reports, kept in the note in their own words."""

from __future__ import annotations

from soapdesk.core import medical_care
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: You mentioned twinges -- is that the heart thing?
Client: Kind of. I went to urgent care a few months ago because my heart was pounding, and they did an EKG and everything, and it was totally normal. They said it was probably anxiety.
Therapist: Has anyone else in the family had that?
Client: My mom was in the hospital for her heart last year.
Therapist: Would you be open to blood work with your doctor?
Client: Maybe I could get blood work done next month.
Client: Should I go to the ER if it happens again?"""


def test_the_clients_own_past_visits_and_tests_are_read_not_plans_or_someone_elses():
    quotes = medical_care.visits(parse_transcript(SESSION))
    assert quotes == ["I went to urgent care a few months ago because my heart was pounding, and they did an EKG "
                      "and everything, and it was totally normal."]


def test_a_draft_that_leaves_the_visit_out_gets_the_clients_words_and_one_that_names_it_does_not():
    t = parse_transcript(SESSION)
    silent = [Section("data", "Data", "The client reports chest twinges and worry about their heart.")]
    add_missing_facts(silent, t)
    assert 'Medical care, in the client\'s words: "' in silent[0].text and "an EKG" in silent[0].text
    # "ECG" is the same test as "EKG".
    told = [Section("data", "Data", "A recent urgent care visit with a normal ECG was reported.")]
    add_missing_facts(told, t)
    assert "Medical care" not in told[0].text


def test_unlabelled_clinician_speech_is_not_the_clients_visit():
    clinician = Transcript([Segment(0, "Did you go to urgent care? You said they did an EKG.")])
    assert medical_care.visits(clinician) == []


def test_words_of_care_used_for_something_else_are_not_a_visit():
    for said in ("Client: I got admitted in the MBA program here, so I moved.",
                 "Client: I worked at a hospital after graduating.",
                 "Client: My brother went to the ER last week."):
        assert medical_care.visits(parse_transcript(said)) == [], said
