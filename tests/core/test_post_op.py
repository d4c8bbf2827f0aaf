"""The time since surgery a rehab note opens with, read from what the session says."""

from __future__ import annotations

import pytest

from soapdesk.core import post_op, prompts, templates
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript_text import parse_transcript

VISIT = """Therapist: How's the left knee today?
Patient: Little stiff this morning.
Therapist: That's pretty normal at six weeks. Incisions look great.
Therapist: At twelve weeks you can start jogging, and the right knee should settle."""


@pytest.mark.parametrize("said, reading", [
    (VISIT, (6, "weeks", "left knee", "That's pretty normal at six weeks.")),
    # An explicit "since surgery" is preferred to a bare "at N weeks", wherever it is said.
    ("Therapist: Most people are jogging at twelve weeks.\nTherapist: Normal at four weeks.\n"
     "Patient: I'm ten days out from surgery on my right shoulder.",
     (10, "days", "right shoulder", "I'm ten days out from surgery on my right shoulder.")),
    ("Patient: I had the surgery three weeks ago.", (3, "weeks", "", "I had the surgery three weeks ago.")),
])
def test_the_time_since_surgery_is_read_with_the_sentence_it_rests_on(said, reading):
    p = post_op.time_since_surgery(parse_transcript(said))
    assert (p.value, p.unit, p.part, p.quote) == reading


@pytest.mark.parametrize("said", [
    "Therapist: At six weeks you can start jogging. The surgery went well.",  # what comes later
    "Therapist: We'll get you into therapy two weeks after surgery.",
    "Therapist: Your back has hurt for six weeks. Let's work on it.",  # no operation spoken of
])
def test_what_will_happen_or_a_visit_without_an_operation_gives_no_time(said):
    assert post_op.time_since_surgery(parse_transcript(said)) is None


def test_a_rehab_draft_without_it_gets_the_line_a_physicians_note_never_does():
    t = parse_transcript(VISIT)
    pt = templates.load("pt_daily")
    sections = [Section(s.key, s.title, prompts.NOT_ADDRESSED) for s in pt.sections]
    sections[0].text = "The patient reports stiffness in the left knee this morning."
    add_missing_facts(sections, t, person="patient")
    assert sections[0].text.endswith('Post-op status: left knee, 6 weeks after surgery (said: "That\'s pretty normal '
                                     'at six weeks.").')
    told = [Section(s.key, s.title, prompts.NOT_ADDRESSED) for s in pt.sections]
    told[0].text = "Left knee stiff this morning, 6 weeks post-op."
    add_missing_facts(told, t, person="patient")
    assert "Post-op status" not in told[0].text
    medical = templates.load("medical")
    notes = [Section(s.key, s.title, prompts.NOT_ADDRESSED) for s in medical.sections]
    add_missing_facts(notes, t, person="patient")
    assert not any("Post-op" in s.text for s in notes)
