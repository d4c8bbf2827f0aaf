"""Grounding: the note must agree with the transcript on numbers, drugs, dates and negation."""

import json
from pathlib import Path

import pytest

from soapdesk.core import clinical_text as ct
from soapdesk.core import grounding
from soapdesk.core.transcript_text import parse_transcript

FIX = Path(__file__).parent / "fixtures"
DEV = ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"]


@pytest.fixture(scope="module")
def sessions():
    out = {}
    for sid in DEV:
        out[sid] = (parse_transcript((FIX / "therapy" / f"{sid}.txt").read_text()),
                    json.loads((FIX / "notes" / f"{sid}.json").read_text())["sections"])
    return out


def kinds(flags):
    return {f.kind for f in flags}


def check(sessions, sid, text, key="subjective"):
    return grounding.check_sections({key: text}, sessions[sid][0])


@pytest.mark.parametrize("sid", DEV)
def test_correct_reference_notes_raise_no_flags(sessions, sid):
    t, sections = sessions[sid]
    assert grounding.check_note(sections, t) == []


def test_invented_100mg_dose_is_flagged(sessions):
    f = check(sessions, "dev_cbt_depression", "Client takes sertraline 100 mg every morning.")
    assert kinds(f) == {"dose"}
    assert "100" in f[0].reason


def test_possible_increase_to_100mg_is_not_flagged(sessions):
    assert check(sessions, "dev_cbt_depression",
                 "The prescriber has raised a possible increase to 100 mg but the dose is unchanged.") == []


def test_spoken_score_matches_digits_and_wrong_score_flagged(sessions):
    assert check(sessions, "dev_cbt_depression", "PHQ-9 today is 14.", "objective") == []
    assert kinds(check(sessions, "dev_cbt_depression", "PHQ-9 today is 16.", "objective")) == {"score"}


def test_reversed_phq9_trend_flagged(sessions):
    f = check(sessions, "dev_cbt_depression", "PHQ-9 improved from 14 to 9.", "objective")
    assert "score" in kinds(f)


def test_score_given_the_wrong_time_is_flagged(sessions):
    # A 1.5B draft of the GAD session: today's 15 written as the intake score.
    f = check(sessions, "dev_gad_anxiety", "The client reports a GAD-7 score of 15 at intake and 17 five weeks ago.",
              "data")
    assert any(x.kind == "score" and "today's GAD-7 score, 15" in x.reason for x in f)
    assert "score" in kinds(check(sessions, "dev_gad_anxiety", "The GAD-7 score is 17 today.", "data"))
    # The right times, and a comparison word further on, are left alone.
    assert check(sessions, "dev_gad_anxiety", "GAD-7 was 15 today, down from 17 at intake five weeks ago.",
                 "data") == []
    assert check(sessions, "dev_cbt_depression", "PHQ-9 today was 14, an increase from the last time, when it "
                 "was 9.", "objective") == []


def test_denying_a_symptom_the_client_rated_above_zero_is_flagged(sessions):
    # "What's your pain right now, zero to ten?" "Four." -- no yes or no was said, but pain was reported.
    f = check(sessions, "dev_pt_knee", "The patient denies pain.", "assessment")
    assert kinds(f) == {"negation"} and "rated it above zero" in f[0].reason
    assert "negation" in kinds(check(sessions, "dev_pt_knee", "The patient has no pain or swelling.", "assessment"))
    # Pain tied to an activity may well be absent; another symptom is another matter.
    assert check(sessions, "dev_pt_knee", "No pain with straight leg raises.", "assessment") == []
    assert "negation" not in kinds(check(sessions, "dev_pt_knee", "The patient denies chest pain.", "assessment"))


def test_medication_absent_from_transcript_flagged(sessions):
    f = check(sessions, "dev_gad_anxiety", "Client takes buspirone 10 mg twice daily.")
    assert "medication" in kinds(f)


def test_stopped_medication_reported_as_current_flagged(sessions):
    f = check(sessions, "dev_gad_anxiety", "Current medications: hydroxyzine 25 mg PRN.")
    assert "medication_status" in kinds(f)
    f = check(sessions, "dev_pt_knee", "Patient is taking oxycodone for pain.")
    assert "medication_status" in kinds(f)
    assert check(sessions, "dev_pt_knee", "Patient has not needed oxycodone since week two.") == []


def test_a_drug_taken_for_the_past_weeks_is_not_read_as_stopped(sessions):
    # A draft wrote this of a patient taking ibuprofen now; "past" had made the whole
    # clause read as historical and the check said ibuprofen was written as stopped.
    f = check(sessions, "dev_pt_knee", "The patient has been taking ibuprofen for the past two weeks, and they "
                                       "have stopped taking oxycodone.")
    assert "medication_status" not in kinds(f)
    assert "medication_status" in kinds(check(sessions, "dev_pt_knee", "The patient stopped taking ibuprofen."))
    # ... and a stop said in the next clause still counts as a stop.
    assert check(sessions, "dev_gad_anxiety", "She took hydroxyzine for the past few months, but stopped it "
                                              "because it knocked her out.") == []


def test_better_since_a_drug_was_started_is_not_a_stop():
    # An ACI-Bench train draft: "since we started treating them with amoxicillin" was flagged as stopped.
    t = parse_transcript("Doctor: How is the ear since we started the amoxicillin?\n"
                         "Patient: Much better, I'm taking it twice a day.")
    for sentence in ("The ear is much better since we started treating the infection with amoxicillin.",
                     "Since starting amoxicillin, the ear pain has improved."):
        assert "medication_status" not in kinds(grounding.check_sections({"hpi": sentence}, t)), sentence
    assert "medication_status" in kinds(grounding.check_sections(
        {"hpi": "She stopped amoxicillin since the ear got better."}, t))


# An ACI-Bench train visit, transcribed without full stops: one turn is one "sentence".
_RUN_ON = ("Doctor: and then finally stop taking any nonsteroidal medicines such as your advil or motrin the only "
           "thing i really want you taking is tylenol for any pain right now i am going to prescribe one medicine "
           "and that's cardura four milligrams and i want you to take that once a day\nPatient: okay")


def test_a_stop_said_far_away_in_a_run_on_turn_is_not_said_of_every_drug_in_it():
    t = parse_transcript(_RUN_ON)
    meds = grounding.transcript_facts(t).meds
    assert meds["ibuprofen"].historical and not meds["ibuprofen"].current
    assert meds["acetaminophen"].current and not meds["acetaminophen"].historical
    assert "medication_status" not in kinds(grounding.check_sections(
        {"plan": "She may take Tylenol as needed for pain."}, t))
    assert "medication_status" in kinds(grounding.check_sections({"hpi": "She takes Advil for knee pain."}, t))


def test_a_drug_the_client_is_allergic_to_is_an_allergy_not_a_medication():
    t = parse_transcript("Doctor: I have that you're allergic to penicillin. Any other allergies?\n"
                         "Patient: Nope, just sulfa.\nDoctor: And you take lisinopril 10 mg daily?\nPatient: Yes.\n"
                         "Doctor: and you're allergic to percocet , vicodin and amoxicillin but you take aspirin")
    meds = grounding.transcript_facts(t).meds
    assert all(meds[g].allergy_only for g in ("penicillin", "oxycodone", "hydrocodone", "amoxicillin"))
    assert not meds["lisinopril"].allergy_only and not meds["aspirin"].allergy_only
    flags = grounding.check_sections({"hpi": "She takes penicillin daily."}, t)
    assert "medication_status" in kinds(flags) and "allergic" in flags[0].reason
    assert grounding.check_sections({"hpi": "She is allergic to penicillin and sulfa."}, t) == []


def test_a_denial_pointing_back_at_a_list_is_read_as_a_denial(sessions):
    # "..., but the patient denied any of these": the "but" must not cut the denial off,
    # or the note reads as reporting calf pain and the clinician sees a false alarm.
    f = check(sessions, "dev_pt_knee", "The patient was asked about calf pain and warmth, but the patient denied "
                                       "any of these.")
    assert f == []
    f = check(sessions, "dev_pt_knee", "Calf pain and warmth, none of which were present.")
    assert f == []
    # Still a denial: numbness was never asked about, so denying it is flagged.
    f = check(sessions, "dev_pt_knee", "The patient was asked about calf pain and numbness, but the patient denied "
                                       "any of these.")
    assert kinds(f) == {"denial_without_basis"}


def test_unnamed_medication_taken_as_prescribed_when_the_client_takes_none_is_flagged(sessions):
    # The GAD client stopped hydroxyzine and said she takes nothing; a draft wrote this.
    f = check(sessions, "dev_gad_anxiety", "The client is taking the medication as directed.")
    assert kinds(f) == {"medication_status"}
    assert "hydroxyzine" in f[0].reason
    assert check(sessions, "dev_gad_anxiety", "Client currently takes no medication.") == []
    # Where the client does take a drug now, the unnamed wording is not an error.
    assert check(sessions, "dev_cbt_depression", "The client is taking her medication as prescribed.") == []
    never = parse_transcript("Therapist: How was the week?\nClient: Busy. Work was a lot.")
    f = grounding.check_sections({"subjective": "Client is compliant with medications."}, never)
    assert kinds(f) == {"medication_status"}


def test_high_cholesterol_is_a_finding_not_a_medication(sessions):
    # "cholesterol" ends like albuterol; a physician's note named it in 12 ACI-Bench reference sentences.
    assert check(sessions, "dev_pt_knee", "Patient has high cholesterol and an elevated alkaline phosphatase.") == []


def test_a_plan_about_a_drug_is_not_read_as_what_is_taken_now(sessions):
    assert check(sessions, "dev_pt_knee", "Patient was advised to stop taking ibuprofen before surgery.") == []
    assert check(sessions, "dev_gad_anxiety", "We will discuss hydroxyzine with her doctor at the next visit.") == []
    # "continue" and "as prescribed" are statements that the drug is taken now.
    f = check(sessions, "dev_gad_anxiety", "She will continue hydroxyzine 25 mg as needed.")
    assert "medication_status" in kinds(f)
    f = check(sessions, "dev_gad_anxiety", "Client currently takes hydroxyzine 25 mg as prescribed.")
    assert "medication_status" in kinds(f)


def test_taking_a_drug_irregularly_is_not_stopping_it(sessions):
    assert check(sessions, "dev_pt_knee", "Patient is not consistent with taking ibuprofen.") == []


SITES = parse_transcript("Doctor: Any pain down in your calves?\nPatient: No.\nDoctor: And the wrist?\n"
                         "Patient: It hurts a lot when I turn it.")


def test_a_symptom_denied_at_one_site_is_not_held_against_another():
    # The patient denied calf pain; the wrist pain was described without the word.
    assert grounding.check_sections({"n": "Right wrist pain."}, SITES) == []
    f = grounding.check_sections({"n": "Pain in both calves."}, SITES)
    assert kinds(f) == {"negation"}


def test_a_body_site_is_one_site_however_it_is_spelled():
    assert grounding.body_sites("both knees and the left kneecap") == {"knee", "kneecap"}
    assert grounding.body_sites("ribs") == grounding.body_sites("the rib") == {"rib"}
    assert grounding.body_sites("calves, feet") == {"calf", "foot"}


def test_no_pain_with_one_movement_may_stand_beside_reported_pain():
    t = parse_transcript("Doctor: Where does it hurt?\nPatient: I have pain in my right wrist most days.")
    assert grounding.check_sections({"n": "No pain with supination of the forearm."}, t) == []
    assert kinds(grounding.check_sections({"n": "Denies pain."}, t)) == {"negation"}


def test_a_labelled_line_answered_never_raises_no_flag():
    t = parse_transcript("Doctor: Do you drink or use any drugs?\nPatient: No, never.")
    for note in ("Illicit drug use: Never.", "Alcohol use: None."):
        assert grounding.check_sections({"n": note}, t) == [], note


def test_a_blood_pressure_said_the_spoken_way_grounds_its_digits():
    # How every blood pressure in ACI-Bench is said; the notes' "169/74" was flagged as never said.
    t = parse_transcript("Doctor: your blood pressure it's still high it's one sixty nine over seventy four "
                         "your heart rate was eighty eight\nPatient: okay")
    assert grounding.check_sections({"exam": "Blood pressure 169/74, heart rate 88."}, t) == []
    flags = grounding.check_sections({"exam": "Blood pressure 159/74."}, t)
    assert [f.kind for f in flags] == ["number"] and "159" in flags[0].reason
    # Only number words side by side: "ages of two and eleven" is not 211 (an MTS-Dialog visit).
    assert 211 not in ct.number_values("grandkids between the ages of two and eleven")
    assert 134 in ct.number_values("between one hundred fifteen and one thirty four")


def test_a_number_inside_a_name_is_not_a_quantity():
    t = parse_transcript("Doctor: Did you get the covid vaccine?\nPatient: Yes, last month.")
    assert grounding.check_sections({"n": "She received her COVID-19 vaccine last month."}, t) == []
    assert kinds(grounding.check_sections({"n": "She received 19 vaccines last month."}, t)) == {"number"}


def test_a_dose_said_in_a_long_unpunctuated_turn_counts_as_said():
    # ACI-Bench style speech: one run-on sentence whose later "if" is about something else.
    t = parse_transcript("Patient: i take the aspirin every day and my pressure was one thirty this morning\n"
                         "Doctor: okay we're gonna have you continue your aspirin eighty one milligrams daily and if "
                         "your pressure goes up we would add something\nPatient: okay")
    assert grounding.check_sections({"n": "Continue aspirin 81 mg daily."}, t) == []
    assert kinds(grounding.check_sections({"n": "Continue aspirin 325 mg daily."}, t)) == {"dose"}


def test_weekday_not_in_transcript_flagged(sessions):
    assert kinds(check(sessions, "dev_gad_anxiety", "Next session next Tuesday.", "plan")) == {"date"}


def test_denies_si_when_client_reported_passive_si_flagged():
    t = parse_transcript("Therapist: Any thoughts of suicide?\nClient: Sometimes I wish I wouldn't wake up, "
                         "but I'd never do anything.")
    f = grounding.check_sections({"subjective": "Client denies SI."}, t)
    assert "risk" in kinds(f)


def test_denies_hi_when_never_asked_flagged(sessions):
    assert "risk" in kinds(check(sessions, "dev_cbt_depression", "Client denies homicidal ideation."))


def test_dialogue_negation_calf_pain(sessions):
    assert "negation" in kinds(check(sessions, "dev_pt_knee", "Patient reports calf pain."))
    assert check(sessions, "dev_pt_knee", "Patient denies calf pain.") == []


def test_invented_improvement_in_sleep_flagged(sessions):
    f = check(sessions, "dev_cbt_depression", "Client reports improvement in sleep and appetite.")
    assert "polarity" in kinds(f)


def test_normal_mse_without_basis_flagged(sessions):
    f = check(sessions, "dev_cbt_depression", "Client was alert and oriented x3 with euthymic mood.", "objective")
    assert "normal_findings_without_basis" in kinds(f)
    assert grounding.normal_findings_without_basis("Thought process linear and goal-directed.",
                                                   sessions["dev_cbt_depression"][0])


def test_dialogue_pasted_into_the_note_is_flagged_but_quoting_is_not():
    t = parse_transcript("Doctor: Looking at your blood pressure today, it is a little elevated. Do you need a "
                         "refill of the protonix?\nPatient: Yes. My husband says you never listen to your body.\n"
                         "Doctor: Okay. So I'm just gon na go ahead and take a listen to your heart and lungs.")
    pasted = ["Looking at your blood pressure today, it is a little elevated.", "Do you need a refill of the protonix?",
              # the same speech as the local model writes it, without "you"
              "So I'm just gon na go ahead and take a listen to the heart and lungs."]
    for sentence in pasted:
        assert "copied_speech" in kinds(grounding.check_sections({"physical_examination": sentence}, t)), sentence
    fine = ["Blood pressure is a little elevated today.",
            "The patient reports her husband says 'you never listen to your body.'",
            "The patient was asked whether a refill is needed.",
            "Call if your symptoms worsen.",  # addresses "you" but is not pasted from the session
            "The heart and lungs were listened to; the blood pressure is a little elevated today.",
            # the client's own words in quotes, apostrophe and filler included
            "The patient reports her husband says 'you never listen to your body, I'm okay.'"]
    for sentence in fine:
        assert "copied_speech" not in kinds(grounding.check_sections({"plan": sentence}, t)), sentence


def test_a_denial_of_something_never_discussed_is_flagged():
    t = parse_transcript("Doctor: How's the back?\nPatient: It hurts when I bend, and my left leg feels numb. "
                         "No fever though.")
    flags = grounding.check_sections({"review_of_systems": "Cardiovascular: Denies chest pain."}, t)
    assert "denial_without_basis" in kinds(flags) and "never mentions chest pain" in flags[0].reason
    for fine in ["Constitutional: Denies fever.",  # asked and denied
                 "Neurological: Denies numbness.",  # 'numb' was said: the stem is enough to leave it to the clinician
                 "Denies pain."]:  # nothing distinctive to look for
        assert "denial_without_basis" not in kinds(grounding.check_sections({"review_of_systems": fine}, t)), fine


def test_a_denial_of_what_the_client_said_and_never_denied_is_flagged(sessions):
    # A 1.5B draft of the CBT session: the client rated "I'm going to get fired" 95 out of 100
    # and named the thinking traps herself.
    for wrong, what in [
            ("The clinician notes that the client has been having thoughts about getting fired, which the "
             "client denies.", "'getting fired'"),
            ("The client denies fortune-telling and mind-reading.", "'fortune-telling and mind-reading'")]:
        flags = check(sessions, "dev_cbt_depression", wrong, key="assessment")
        assert kinds(flags) == {"denial_without_denial"}, wrong
        assert what in flags[0].reason and flags[0].reason.endswith("never denied.")


def test_a_denial_with_a_denial_behind_it_is_not_flagged():
    # Lower-case dialogue without question marks, as ASR and ACI-Bench give it: the question
    # counts, and an answer with any negation in it ("on my body no not really") is a denial.
    t = parse_transcript("[doctor] okay and have you ever noticed any rashes anywhere else\n"
                         "[patient] on my body no not really\n"
                         "[doctor] and anybody ever said you had rheumatoid arthritis\n"
                         "[patient] no nobody said anything like that\n"
                         "[patient] I stopped going to the gym. I'm not drinking anymore.")
    for fine in ["Skin: Denies any rashes.", "The patient denies a history of rheumatoid arthritis.",
                 "The patient denies drinking.",  # the client's own sentence carries the negation
                 "The patient denies any complaints.",  # never said at all: left to the evidence check
                 "The patient denies rashes, but reports going to the gym."]:  # only the denied part counts
        assert "denial_without_denial" not in kinds(grounding.check_sections({"subjective": fine}, t)), fine
    flags = grounding.check_sections({"subjective": "The patient denies going to the gym."}, t)
    assert "denial_without_denial" not in kinds(flags)  # "I stopped going": she does not go now


def test_flag_reason_is_one_plain_sentence(sessions):
    for f in check(sessions, "dev_cbt_depression", "Client takes paroxetine 30 mg on Sundays."):
        assert f.reason.endswith(".") and f.reason.count(". ") == 0
        assert set(f.to_json()) == {"section", "sentence", "kind", "reason"}


NEW_DRUG = parse_transcript(
    "Doctor: Are you taking anything for the pain?\nPatient: Just ibuprofen, but it's not helping.\n"
    "Doctor: Okay. I'm gonna go ahead and prescribe you some meloxicam 15 milligrams once a day.\n"
    "Patient: Will that be okay with my digoxin?\nDoctor: Yes. And let's continue you on the digoxin.")


def test_a_drug_first_prescribed_in_this_visit_written_as_already_taken_is_flagged():
    # A 1.5B draft of an ACI-Bench train visit: "He has been taking ibuprofen and tramadol for the pain".
    f = grounding.check_sections({"hpi": "He has been taking ibuprofen and meloxicam for the pain."}, NEW_DRUG)
    assert kinds(f) == {"medication_status"}
    assert "meloxicam" in f[0].reason.lower() and "prescribed in this visit" in f[0].reason
    # The plan, and the absence of it before today, are right.
    for ok in ("Meloxicam 15 mg once a day was prescribed.", "He will take meloxicam 15 mg once a day.",
               "He denies taking meloxicam before this visit.", "He is taking ibuprofen and digoxin."):
        assert grounding.check_sections({"ap": ok}, NEW_DRUG) == [], ok


def test_a_drug_the_patient_already_takes_or_someone_else_started_is_not_new():
    already = parse_transcript("Doctor: I'm gonna start you on some Lasix 20 milligrams a day.\n"
                               "Patient: Oh, I'm already on Lasix, the cardiologist gave it to me.")
    assert grounding.check_sections({"hpi": "She is taking Lasix."}, already) == []
    other = parse_transcript("Doctor: I saw that Dr. Brown put you on Buspar. How is that going?\n"
                             "Patient: Pretty good.")
    assert grounding.check_sections({"hpi": "She is taking Buspar."}, other) == []


def test_a_denial_about_a_drug_is_not_a_denial_of_the_drug(sessions):
    # Reported as "sertraline was stopped" before: the side effects are denied, not the drug.
    for ok in ("The client denies side effects from sertraline.", "No side effects with the sertraline were reported.",
               "The client denies missing any doses of sertraline."):
        assert check(sessions, "dev_cbt_depression", ok) == [], ok
    assert "medication_status" in kinds(check(sessions, "dev_cbt_depression", "The client stopped sertraline."))
    # "besides": what follows it is taken.
    f = grounding.check_sections({"hpi": "He denies any other medications besides ibuprofen and digoxin."}, NEW_DRUG)
    assert f == []


def test_a_topic_label_is_not_a_claim_and_a_heading_does_not_negate_the_finding():
    t = parse_transcript("Doctor: Any chest pain?\nPatient: No.\nDoctor: Nausea?\nPatient: Yes, every morning.")
    # A 1.5B review of systems: "Chest pain" as the label was read as a reported chest pain.
    assert grounding.check_sections({"ros": "Chest pain: The patient denies any chest pain."}, t) == []
    assert grounding.check_sections({"ros": "Symptoms as reported or denied by the patient: Nausea."}, t) == []
    # The label with a bare answer is still read, both ways.
    assert kinds(grounding.check_sections({"ros": "Nausea: none."}, t)) == {"negation"}
    assert kinds(grounding.check_sections({"ros": "Chest pain: yes."}, t)) == {"negation"}
    assert kinds(grounding.check_sections({"ros": "Denies: nausea."}, t)) == {"negation"}


def test_only_the_question_itself_is_answered_by_a_no():
    # One all-lower-case spoken turn: a statement, then a question answered "no" (ACI-Bench train).
    t = parse_transcript("Doctor: it sounds like you're endorsing this , you know , nausea , vomiting . "
                         "um , any other symptoms ?\nPatient: no .\n"
                         "Doctor: joint pain ... i mean , like muscle aches ?\nPatient: no .")
    assert grounding.check_sections({"ros": "Endorses nausea and vomiting."}, t) == []
    # An ellipsis does not end the question: "joint pain ..." was still asked, and denied.
    assert kinds(grounding.check_sections({"ros": "Reports joint pain."}, t)) == {"negation"}



def test_a_dose_being_changed_may_be_any_dose_said_for_the_drug():
    t = parse_transcript("Doctor: And you are still on your metformin 500 milligrams?\nPatient: Yes.\n"
                         "Doctor: I would like to increase your metformin to 1,000 milligrams twice daily.")
    # Flagged as "not the client's dose" before: "increasing" was not read as a change.
    assert grounding.check_sections({"ap": "Medical treatment included increasing metformin to 1,000 milligrams "
                                           "twice daily."}, t) == []
    assert kinds(grounding.check_sections({"hpi": "He takes metformin 1,000 mg twice daily."}, t)) == {"dose"}
    assert kinds(grounding.check_sections({"ap": "Increasing metformin to 2,000 mg."}, t)) == {"dose"}


def test_a_symptom_wished_for_is_not_reported():
    t = parse_transcript("Doctor: Any weight loss?\nPatient: Slightly decreased appetite, but I wish I had some "
                         "weight loss.")
    assert grounding.check_sections({"ros": "Denies weight loss."}, t) == []


def test_a_list_number_is_not_a_number_the_session_must_say():
    t = parse_transcript("Doctor: How is your breathing when you play tennis?\nPatient: I get short of breath.")
    for line in ("Problem 1: Shortness of breath during tennis.", "1. Shortness of breath during tennis.",
                 "#1 Shortness of breath during tennis."):
        assert grounding.check_sections({"ap": line}, t) == [], line
    assert kinds(grounding.check_sections({"ap": "Short of breath after 3 sets of tennis."}, t)) == {"number"}


def test_a_symptom_named_only_as_a_warning_sign_is_not_a_finding():
    t = parse_transcript("Therapist: How's the knee?\nPatient: Stiff this morning, a little achy.\n"
                         "Therapist: I'll print the sheet. If you get a fever or calf pain, call us.")
    for sentence in ("The patient reports calf pain.", "The patient reports a fever."):
        assert kinds(grounding.check_sections({"subjective": sentence}, t)) == {"warning_sign_reported"}, sentence
    # The warning itself, written as one, is what the clinician said.
    assert grounding.check_sections({"plan": "Call if fever or calf pain develops."}, t) == []


def test_a_symptom_asked_about_and_answered_otherwise_than_no_is_not_only_a_warning():
    # ACI-Bench: "do you feel short of breath?" "just when i'm exerting ..." and, later, "call me if
    # you have any other symptoms of shortness of breath": the note's "endorses shortness of breath" stands.
    t = parse_transcript("Doctor: Any problems breathing? Do you feel short of breath?\n"
                         "Patient: Just when I'm doing the projects, I kinda feel it.\n"
                         "Doctor: Call me if you have any other symptoms of shortness of breath.")
    assert "warning_sign_reported" not in kinds(grounding.check_sections(
        {"review_of_systems": "Respiratory: Endorses shortness of breath."}, t))


def test_a_symptom_the_session_never_names_is_not_reported():
    # "stopped it when they felt dizzy" of a drug that "knocked me out": the symptom was made up.
    t = parse_transcript("Therapist: How have you been?\nClient: Tired, honestly. My heart races before meetings, "
                         "and my ankles get swollen by the evening.")
    flags = grounding.check_sections({"subjective": "Client also reports nausea."}, t)
    assert kinds(flags) == {"symptom_never_said"} and "never mentions nausea" in flags[0].reason
    # Said in everyday words, it was said: a physician writes "fatigue" for "tired".
    for said in ("Client reports fatigue.", "Reports palpitations before meetings.", "Reports ankle swelling."):
        assert grounding.check_sections({"subjective": said}, t) == [], said
    # The everyday words count for a denial too: "swollen lymph glands" is a basis for "no swelling".
    lymph = parse_transcript("Doctor: I don't appreciate any swollen lymph glands.")
    assert grounding.check_sections({"exam": "Neck: No swelling noted."}, lymph) == []
    # Warnings and hypotheticals are not reports.
    assert grounding.check_sections({"plan": "Call if nausea develops."}, t) == []


def test_a_made_up_symptom_is_caught_in_everyday_words_and_behind_a_pronoun():
    # The GAD draft: "They have been taking hydroxyzine ..., but stopped it when they felt dizzy." In a
    # note "they" is the client, and "dizzy" is dizziness.
    t = parse_transcript("Therapist: Where are you with the hydroxyzine?\nClient: I stopped it months ago. It "
                         "knocked me out, I was basically drooling on the table.")
    flags = grounding.check_sections({"data": "They have been taking hydroxyzine for the past few months, but "
                                              "stopped it when they felt dizzy."}, t)
    assert "symptom_never_said" in kinds(flags) and "dizziness" in " ".join(f.reason for f in flags)
    # Someone the note names is someone else.
    assert "symptom_never_said" not in kinds(grounding.check_sections(
        {"data": "Her friend had dizziness."}, t))


def test_everyday_forms_count_as_the_symptom_said():
    # "a little nauseous" in the session is nausea reported, not denied.
    t = parse_transcript("Doctor: Any nausea?\nPatient: No. Well, I get a little nauseous in the back of the car.")
    assert "negation" not in kinds(grounding.check_sections(
        {"subjective": "The patient reports some nausea when sitting in the back of the car."}, t))


def test_tokenised_lower_case_speech_is_split_at_its_spaced_stops():
    # 54 of ACI-Bench's 87 dialogues are written this way; before, a whole turn was one sentence,
    # so a "never" in one sentence negated the next.
    assert ct.split_sentences("no drugs . i do drink socially , but never more than that . and i used to smoke .") == [
        "no drugs .", "i do drink socially , but never more than that .", "and i used to smoke ."]
    assert ct.split_sentences("hi mr . smith . how are you ? any pain ?") == ["hi mr . smith .", "how are you ?",
                                                                             "any pain ?"]


def test_a_no_naming_one_item_of_a_list_question_denies_only_that_item():
    t = parse_transcript(
        "[doctor] do you have any history of smoking , illicit drug use , heavy alcohol consumption ?\n"
        "[patient] no drugs . i do drink socially , but never more than that .")
    assert not kinds(grounding.check_sections({"hpi": "Alcohol: socially."}, t)) & {"negation", "risk"}
    t = parse_transcript("[doctor] any smoking , drug use or alcohol ?\n[patient] no .")
    assert kinds(grounding.check_sections({"hpi": "Alcohol: socially."}, t)) & {"negation", "risk"}


def test_a_stopped_drug_the_note_says_failed_is_not_presented_as_current():
    # D2N074: "i tried tylenol a few times for the headaches but it did n't work , so i stopped ."
    t = parse_transcript("[doctor] do you take any medicines ?\n"
                         "[patient] i tried tylenol a few times for the headaches but it did n't work , so i stopped .")
    assert "medication_status" not in kinds(grounding.check_sections({"hpi": "Tylenol failed to improve headaches."},
                                                                     t))
    assert "medication_status" in kinds(grounding.check_sections({"hpi": "She takes Tylenol for headaches."}, t))
