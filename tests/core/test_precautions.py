"""Activity restrictions a rehab clinician sets, kept in the note as said."""

from __future__ import annotations

from soapdesk.core import precautions
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: Lie back for me. Any swelling? No swelling today, good.
Patient: When can I get back to basketball?
Therapist: Not yet. No cutting, pivoting, or jumping, and no jogging either, for now. With a hamstring graft, we're still protecting it. We'll start talking about a return-to-run test around the three-month mark.
Therapist: Slow. Don't let the knee drift in.
Therapist: At twelve weeks you can start jogging on the treadmill.
Therapist: Should you avoid stairs? Not at all.
Patient: I don't run anymore anyway."""


def rehab_note(assessment: str) -> list[Section]:
    return [Section("subjective", "Subjective", "Left knee, six weeks post-op."),
            Section("objective", "Objective", "Flexion 105 degrees."),
            Section("assessment", "Assessment", assessment),
            Section("plan", "Plan", "Continue twice a week.")]


def test_the_restriction_in_force_is_read_with_its_reason_not_cues_findings_plans_or_questions():
    found = precautions.restrictions(parse_transcript(SESSION))
    assert [r.quote for r in found] == ["No cutting, pivoting, or jumping, and no jogging either, for now. "
                                        "With a hamstring graft, we're still protecting it."]
    assert found[0].activities == ("cutting", "pivoting", "jumping", "jogging")


def test_other_ways_clinicians_say_a_restriction():
    t = parse_transcript("Therapist: Avoid heavy lifting with that arm.\n"
                         "Therapist: You're not cleared to drive yet.\n"
                         "Therapist: And you can't run until the surgeon sees you.\n"
                         "Therapist: Stay toe-touch weight bearing on the left.")
    assert [r.activities for r in precautions.restrictions(t)] == [("heavy", "lifting"), ("drive",), ("run",),
                                                                   ("weight bearing",)]


def test_a_draft_without_the_restriction_gets_the_therapists_words_in_the_assessment():
    t = parse_transcript(SESSION)
    note = rehab_note("Progressing well toward goals.")
    add_missing_facts(note, t, person="patient")
    assert 'Precautions given in session: "No cutting, pivoting, or jumping' in note[2].text
    assert "Precautions" not in note[3].text


def test_a_draft_that_already_states_the_restriction_is_left_as_written():
    t = parse_transcript(SESSION)
    note = rehab_note("Patient is to avoid jogging, jumping and pivoting until cleared.")
    add_missing_facts(note, t, person="patient")
    assert "Precautions" not in note[2].text


def test_a_note_without_an_assessment_or_a_mental_health_note_gets_no_restriction_line():
    t = parse_transcript(SESSION)
    physician = [Section("history_of_present_illness", "HPI", "Knee pain."),
                 Section("assessment_and_plan", "Assessment and Plan", "Continue therapy.")]
    add_missing_facts(physician, t, person="patient")
    assert not any("Precautions" in s.text for s in physician)
    therapy = rehab_note("Doing well.")
    add_missing_facts(therapy, t, person="client")
    assert not any("Precautions" in s.text for s in therapy)


def test_a_recording_without_speaker_labels_reads_the_restriction_but_not_the_patients_own_habits():
    t = Transcript([Segment(0, "When can I play basketball? Not yet. No cutting or jumping for now."),
                    Segment(1, "Honestly I don't run anymore anyway. Okay, step-ups next.")])
    assert [r.quote for r in precautions.restrictions(t)] == ["No cutting or jumping for now."]
