"""The days agreed for a practice task, kept in the plan."""

from __future__ import annotations

from soapdesk.core import practice_days
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts, section_facts
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Client: Monday and Tuesday were awful, honestly.
Client: Could I just walk at lunch?
Therapist: I like that a lot. How long, and how often?
Client: Fifteen minutes. Three days. Monday, Wednesday, Friday.
Therapist: Great. Same time next Monday or Thursday?"""

KEYS = ["subjective", "objective", "assessment", "plan"]


def test_the_days_answering_how_often_are_read_not_a_week_lived_or_the_next_appointment():
    found = practice_days.agreed(parse_transcript(SESSION))
    assert [(d.days, d.quote) for d in found] == [
        (("Monday", "Wednesday", "Friday"), "Fifteen minutes. Three days. Monday, Wednesday, Friday.")]


def test_the_days_are_not_put_in_the_models_request():
    # There the small model wrote the plan as that one line and dropped the other tasks.
    t = parse_transcript(SESSION)
    assert all("Days agreed" not in section_facts(t, KEYS, k) for k in KEYS)


def test_a_rehab_note_gets_no_practice_days_line():
    t = parse_transcript(SESSION)
    note = [Section(k, k.title(), "Walk on Monday.") for k in KEYS]
    add_missing_facts(note, t, person="patient")
    assert all("Days agreed" not in s.text for s in note)


def test_a_plan_that_drops_a_day_gets_the_clients_words():
    t = parse_transcript(SESSION)
    note = [Section(k, k.title(), "x.") for k in KEYS]
    note[3].text = ("1. Thought record once a day, starting Monday.\n"
                    "2. Walk at lunch for 15 minutes, 3 days a week, starting Monday.\n"
                    "3. Next appointment: next Monday.")
    add_missing_facts(note, t)
    # Right after the task it belongs to, not at the end of the plan.
    assert note[3].text.split("\n")[2] == ('Days agreed: Monday, Wednesday, Friday (said: "Fifteen minutes. '
                                          'Three days. Monday, Wednesday, Friday.").')
    told = [Section(k, k.title(), "x.") for k in KEYS]
    told[3].text = "Walk at lunch for 15 minutes on Monday, Wednesday and Friday."
    add_missing_facts(told, t)
    assert "Days agreed" not in told[3].text


def test_a_recording_without_speaker_labels_reads_the_answer_to_how_often_in_the_same_segment():
    t = Transcript([Segment(0, "Could I just walk at lunch? I like that. How long, and how often? Fifteen minutes. "
                               "Three days. Monday, Wednesday, Friday. Great."),
                    Segment(1, "Monday and Tuesday were awful, though.")])
    assert [d.days for d in practice_days.agreed(t)] == [("Monday", "Wednesday", "Friday")]
