"""Reports, drugs and plans repeated in a findings section leave it; findings and anything new stay."""

from __future__ import annotations

from soapdesk.core import prompts
from soapdesk.core.note import Section
from soapdesk.core.section_lanes import drop_repeated_out_of_lane


def _note(exam: str, results: str = "") -> list[Section]:
    return [
        Section("history_of_present_illness", "History of Present Illness",
                "She was rear-ended and has pain in her right middle finger. She takes digoxin for atrial "
                "fibrillation."),
        Section("physical_examination", "Physical Examination", exam),
        Section("results", "Results", results),
        Section("assessment_and_plan", "Assessment and Plan",
                "Right middle finger distal phalanx fracture.\nMedical Treatment: Tramadol 50 mg every 6 hours.\n"
                "Patient Education and Counseling: Return in two weeks for a follow-up x-ray."),
    ]


def test_history_drugs_and_plan_repeated_under_the_exam_are_removed_and_findings_stay():
    sections = _note("Tenderness over the distal phalanx of the right middle finger. The patient is taking "
                     "digoxin for atrial fibrillation. The patient will return in two weeks for a follow-up x-ray. "
                     "Tramadol 50 mg every 6 hours started.")
    assert drop_repeated_out_of_lane(sections) == 3
    assert sections[1].text == "Tenderness over the distal phalanx of the right middle finger."
    assert "digoxin" in sections[0].text and "follow-up x-ray" in sections[3].text  # still said where it belongs


def test_a_sentence_that_adds_anything_stays_in_place():
    # A new drug, a new number or a new finding is not said anywhere else: the clinician must see it.
    sections = _note("The patient is taking metoprolol for palpitations. The patient is taking tramadol 100 mg.",
                     "The patient reports the x-ray shows a comminuted fracture of the distal phalanx.")
    assert drop_repeated_out_of_lane(sections) == 0
    assert "metoprolol" in sections[1].text and "100 mg" in sections[1].text
    assert "comminuted" in sections[2].text
    # The same words with the opposite polarity are not a repeat.
    sections = _note("The patient reports she does not take digoxin for atrial fibrillation.")
    assert drop_repeated_out_of_lane(sections) == 0


def test_only_findings_sections_are_touched_and_an_emptied_one_says_so():
    sections = _note("The patient is taking digoxin for atrial fibrillation.")
    history = sections[0].text
    assert drop_repeated_out_of_lane(sections) == 1
    assert sections[1].text == prompts.NOT_ADDRESSED
    assert sections[0].text == history


def test_the_same_stray_sentence_in_two_findings_sections_is_kept_once():
    stray = "The patient reports pain when she pushes on the tip of the finger."
    sections = _note(stray, stray)
    sections[0].text = "She was rear-ended."
    assert drop_repeated_out_of_lane(sections) == 1
    assert stray in sections[1].text + sections[2].text


def test_review_lines_not_under_a_body_system_leave_it_when_the_note_already_says_them():
    sections = _note("Tenderness over the distal phalanx.")
    sections.insert(1, Section("review_of_systems", "Review of Systems",
                               "Musculoskeletal: Pain in the right middle finger.\n"
                               "Digoxin: The patient takes digoxin for atrial fibrillation.\n"
                               "Tramadol: 50 mg every 6 hours.\n"
                               "Metoprolol: The patient takes metoprolol.\n"
                               "Chest pain: Denies chest pain."))
    assert drop_repeated_out_of_lane(sections) == 2
    assert sections[1].text == ("Musculoskeletal: Pain in the right middle finger.\n"
                                "Metoprolol: The patient takes metoprolol.\nChest pain: Denies chest pain.")


def test_a_review_line_saying_only_yes_leaves_it_when_the_note_names_the_thing():
    sections = _note("Tenderness over the distal phalanx.")
    sections.insert(1, Section("review_of_systems", "Review of Systems",
                               "Atrial fibrillation: yes.\nTramadol: yes.\nAspirin: yes.\n"
                               "Nervous system: Numbness in the right middle finger."))
    assert drop_repeated_out_of_lane(sections) == 2
    # Aspirin is named nowhere else, so that line stays; a body system stays.
    assert sections[1].text == "Aspirin: yes.\nNervous system: Numbness in the right middle finger."


def test_a_body_system_named_with_commas_is_a_body_system():
    # The review-of-systems reader writes this label; a line under it is a finding, never a stray.
    from soapdesk.core.clinical_text import BODY_SYSTEM

    assert BODY_SYSTEM.fullmatch("Ears, Nose, Mouth and Throat")
    assert BODY_SYSTEM.fullmatch("Hematologic/Lymphatic")
    assert not BODY_SYSTEM.fullmatch("Nose bleeds, twice")
