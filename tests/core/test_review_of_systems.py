"""The review of systems is read from what the patient said and answered (real medspaCy ConText)."""

from soapdesk.core import evidence, review_of_systems
from soapdesk.core.transcript_text import parse_transcript


def _ros(dialogue: str) -> str:
    return review_of_systems.section_text(parse_transcript(dialogue))


def test_a_no_to_the_clinicians_question_denies_what_it_named():
    text = _ros("Doctor: Any fever or chills?\nPatient: No.\nDoctor: Any chest pain?\nPatient: Nope, none.")
    assert text == "Constitutional: Denies fever and chills.\nCardiovascular: Denies chest pain."


def test_what_the_patient_says_is_reported_and_their_own_denial_is_read():
    text = _ros("Doctor: How have you been?\nPatient: I've been really tired and I get short of breath on the "
                "stairs. No fever though.")
    assert "Constitutional: Endorses fatigue. Denies fever." in text
    assert "Respiratory: Endorses shortness of breath." in text


def test_a_denial_does_not_reach_past_but_in_a_turn_without_stops():
    text = _ros("Doctor: how are you feeling\nPatient: yes i have n't had any nausea but you know just slight "
                "fatigue it does n't seem to be overwhelming")
    assert "Constitutional: Endorses fatigue." in text
    assert "Gastrointestinal: Denies nausea." in text


def test_no_answers_only_the_last_question_of_the_turn():
    # "No" answers "any other symptoms?", not the congestion the clinician recalled before it.
    text = _ros("Doctor: I know you were endorsing some nasal congestion from the pollen? Any other symptoms?\n"
                "Patient: No, nothing like that.")
    assert "congestion" not in text


def test_a_bare_yes_to_a_list_confirms_nothing_but_a_yes_to_one_symptom_does():
    assert _ros("Doctor: Any nausea, vomiting or diarrhea?\nPatient: Yes.") == ""
    assert _ros("Doctor: Any headaches?\nPatient: Yeah, most mornings.") == "Neurological: Endorses headaches."


def test_the_clinicians_exam_and_explanations_are_not_the_patients_review():
    text = _ros("Doctor: Your lungs are clear, I don't hear any wheezing. Watch for fever or a cough.\n"
                "Patient: Okay, thank you.")
    assert text == ""


def test_pain_at_a_named_site_is_a_musculoskeletal_complaint():
    text = _ros("Doctor: What brings you in?\nPatient: My right knee hurts when I climb stairs, and there's "
                "no pain in my hip.")
    assert text == "Musculoskeletal: Endorses knee pain. Denies hip pain."


def test_a_wish_and_the_patients_own_question_report_nothing():
    assert _ros("Doctor: How's your appetite?\nPatient: Fine, but I wish I had some weight loss. "
                "Could it be a fever?") == ""


def test_each_line_is_supported_by_the_transcript_though_said_in_other_words():
    t = parse_transcript("Doctor: Any belly pain?\nPatient: No.\nPatient: I've been so tired and dizzy.")
    text = review_of_systems.section_text(t)
    assert text == ("Constitutional: Endorses fatigue.\nGastrointestinal: Denies abdominal pain.\n"
                    "Neurological: Endorses dizziness.")
    assert all(s.supported for s in evidence.link_section(text, t))


def test_lightheaded_is_not_written_as_dizzy():
    # Feeling faint and the room spinning point to different causes; the review keeps the patient's word.
    text = _ros("Doctor: Any dizziness?\n"
                "Patient: No, the room is not spinning. I just get lightheaded when I stand up.")
    assert text == "Neurological: Endorses lightheadedness. Denies dizziness."
