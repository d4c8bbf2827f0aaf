"""A dose change the prescriber talked about but did not make, kept in the note as the client said it."""

from __future__ import annotations

from soapdesk.core import dose_change
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts, checked_facts
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: Are you still taking the sertraline?
Client: Yeah, fifty milligrams, every morning. I haven't missed any. Um, my doctor brought up maybe going up to a hundred, but she said let's wait and see how the next month goes. So it's still fifty for now.
Therapist: Okay."""


def soap(plan: str) -> list[Section]:
    return [Section("subjective", "Subjective",
                    "The client takes sertraline 50 mg every morning with no missed doses."),
            Section("objective", "Objective", "Engaged."),
            Section("assessment", "Assessment", "Depressed mood."),
            Section("plan", "Plan", plan)]


def _lines(session: str) -> list[str]:
    return [f.note_line for f in checked_facts(parse_transcript(session)) if "discussed, not made" in f.note_line]


def test_a_considered_increase_is_read_with_the_words_that_it_was_not_made():
    assert _lines(SESSION) == [
        'Sertraline: dose unchanged; an increase was discussed, not made ("Um, my doctor brought up maybe going up '
        "to a hundred, but she said let's wait and see how the next month goes. So it's still fifty for now.\")."]


def test_a_change_already_made_or_decided_today_is_not_a_considered_one():
    made = SESSION.replace("Um, my doctor brought up maybe going up to a hundred, but she said let's wait and see how "
                           "the next month goes. So it's still fifty for now.",
                           "My doctor increased it to a hundred last month, if that matters.")
    assert _lines(made) == []
    decided = SESSION.replace("Um, my doctor brought up maybe going up to a hundred, but she said let's wait and see "
                              "how the next month goes. So it's still fifty for now.",
                              "We talked about it and she said we'll increase it to a hundred.")
    assert _lines(decided) == []


def test_a_plan_that_says_no_change_gets_the_considered_increase_and_one_that_tells_it_does_not():
    t = parse_transcript(SESSION)
    silent = soap("Continue sertraline 50 mg daily, with no changes planned.")
    add_missing_facts(silent, t)
    assert "Sertraline: dose unchanged; an increase was discussed, not made" in silent[3].text
    told = soap("Sertraline 50 mg unchanged; the prescriber may increase it to 100 mg after next month.")
    add_missing_facts(told, t)
    assert "discussed, not made" not in told[3].text


def test_a_physicians_note_does_not_get_the_line():
    assert not [f for f in checked_facts(parse_transcript(SESSION), "patient")
                if "discussed, not made" in f.note_line]


def test_the_direction_is_read():
    t = parse_transcript("Therapist: And the lorazepam?\n"
                         "Client: She's thinking about tapering it, but not yet.")
    c = dose_change.considered("lorazepam", [(t.segments[0], t.segments[1])])
    assert c is not None and c.direction == "decrease"


def test_the_line_goes_right_after_the_plan_line_naming_the_drug():
    t = parse_transcript(SESSION)
    note = soap("1. Thought record daily.\n2. Continue sertraline 50 mg daily.\n3. Next session Monday.")
    add_missing_facts(note, t)
    assert note[3].text.split("\n")[2].startswith("Sertraline: dose unchanged; an increase was discussed")
