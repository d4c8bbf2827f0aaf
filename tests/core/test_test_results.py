"""Test results the clinician read out reach a physician's Results section; ordered tests do not."""

from __future__ import annotations

from soapdesk.core import prompts, test_results
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript_text import parse_transcript

VISIT = """[doctor] how have you been feeling since the last visit ?
[patient] more short of breath when i climb stairs .
[doctor] okay . hey , dragon , show me the chest x-ray . so , um , looking here at your chest x-ray , it does look like you have a little bit of fluid in your lungs .
[patient] is that bad ?
[doctor] it's from the heart failure . your potassium is 3.9 , so we'll recheck it in a month .
[doctor] hey , dragon , show me the ekg . that's a normal tracing , nothing acute there .
[doctor] have you ever had an mri of your back ?
[patient] no .
[doctor] i'm going to order an echocardiogram . and if your blood work looks good , we can cancel the ultrasound ."""


def _by_kind(transcript_text: str) -> dict[str, test_results.TestResult]:
    return {r.kind: r for r in test_results.reviewed(parse_transcript(transcript_text))}


def test_results_read_out_are_found_and_orders_questions_and_conditions_are_not():
    found = _by_kind(VISIT)
    assert set(found) == {"x-ray", "labs", "EKG"}
    assert found["x-ray"].test == "chest x-ray" and "fluid in your lungs" in found["x-ray"].quote
    # Filler and ASR spacing are gone from the quote.
    assert " um" not in found["x-ray"].quote and " ," not in found["x-ray"].quote


def test_a_report_followed_by_a_plan_keeps_only_the_report():
    potassium = _by_kind(VISIT)["labs"]
    assert potassium.quote == "Your potassium is 3.9."


def test_what_follows_a_show_me_command_belongs_to_the_test_on_screen():
    ekg = _by_kind(VISIT)["EKG"]
    assert ekg.test == "ekg" and "normal tracing" in ekg.quote


def test_the_note_line_speaks_about_the_patient_not_to_them():
    lines = [test_results.note_text(r) for r in test_results.reviewed(parse_transcript(VISIT))]
    # Spoken hedges go ("it does look like"); the finding stays, about the patient.
    assert "Chest x-ray: there is a little bit of fluid in the lungs." in lines
    assert "Potassium: 3.9." in lines
    assert all(" you" not in ln.lower() and "your" not in ln.lower() for ln in lines)
    assert any(ln.startswith("EKG: ") for ln in lines)


def test_a_draft_that_misses_results_gets_them_and_one_that_has_them_does_not():
    t = parse_transcript(VISIT)
    silent = [Section("history_of_present_illness", "History of Present Illness", "Shortness of breath on stairs."),
              Section("results", "Results", prompts.NOT_ADDRESSED),
              Section("assessment_and_plan", "Assessment and Plan", "Heart failure. Order echocardiogram.")]
    add_missing_facts(silent, t, person="patient")
    results = silent[1].text
    assert prompts.NOT_ADDRESSED not in results
    assert "fluid in the lungs" in results and "3.9" in results and "EKG" in results
    assert "echocardiogram" not in results.lower()

    told = [Section("results", "Results", "Chest x-ray demonstrates mild fluid in the lungs. Potassium 3.9. "
                                          "EKG is a normal tracing.")]
    before = told[0].text
    add_missing_facts(told, t, person="patient")
    assert told[0].text == before


def test_a_therapy_note_has_no_results_section_and_gets_no_test_lines():
    sections = [Section("subjective", "Subjective", "The client reports breathlessness."),
                Section("objective", "Objective", "Alert and engaged.")]
    add_missing_facts(sections, parse_transcript(VISIT), person="client")
    assert "x-ray" not in " ".join(s.text for s in sections).lower()


def test_a_turn_transcribed_without_stops_yields_only_the_words_after_the_test():
    run_on = ("[doctor] so your blood pressure looks good today and your heart sounds fine and i did review "
              "your knee x-ray which showed no evidence of fracture or bony abnormality so let me tell you "
              "about my assessment and plan for your knee pain which i think is a sprain and we will start "
              "physical therapy and see how you do over the next few weeks and then come back")
    (xray,) = test_results.reviewed(parse_transcript(run_on))
    assert xray.quote.lower().startswith("knee x-ray which showed no evidence of fracture")
    assert "physical therapy" not in xray.quote
