"""The rule-checked fact sheet the drafting model reads after the transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

from soapdesk.core import prompts, templates
from soapdesk.core.session_facts import checked_facts, section_facts
from soapdesk.core.transcript_text import parse_transcript

FIX = Path(__file__).parent / "fixtures" / "therapy"

SESSION = """Therapist: Are you still taking anything for sleep?
Client: Oh, the trazodone? No, I stopped the trazodone in March.
Therapist: And the sertraline?
Client: Yes, fifty milligrams every morning.
Therapist: Your PHQ-9 today is eight. Last month you were at twelve.
Therapist: Any thoughts of ending your life?
Client: No, never.
Therapist: The diagnosis we landed on is major depressive disorder, recurrent, moderate."""



def fact_sheet(t, person: str = "client") -> str:
    """Every checked fact as the bullet line a section's request shows it."""
    return "\n".join(f"- {f.prompt_line}".replace('"', "'") for f in checked_facts(t, person))


def test_sheet_states_status_scores_risk_and_diagnosis_as_said():
    sheet = fact_sheet(parse_transcript(SESSION))
    lines = sheet.splitlines()
    trazodone = next(ln for ln in lines if "trazodone" in ln)
    assert "not a current medication" in trazodone and "I stopped the trazodone" in trazodone
    sertraline = next(ln for ln in lines if "sertraline" in ln)
    assert "not said to be stopped" in sertraline and "fifty milligrams" in sertraline
    assert any("PHQ-9 score: 8 (12 last month)" in ln for ln in lines)  # with when it was taken
    risk = next(ln for ln in lines if ln.startswith("- Risk:"))
    assert "denied suicidal ideation" in risk
    # What was never asked stays off the sheet: told "homicidal ideation was not assessed",
    # the 1.5B model wrote "does not deny homicidal ideation". The note's own line keeps it.
    assert "homicidal" not in risk
    note_line = next(f.note_line for f in checked_facts(parse_transcript(SESSION)) if f.note_line.startswith("Risk:"))
    assert "homicidal ideation were not assessed" in note_line
    assert any("major depressive disorder, recurrent, moderate" in ln.lower() for ln in lines)
    # The model copies the sheet's quoting; a double quote in its JSON answer would end the section.
    assert '"' not in sheet and "(said: 'Yes, fifty milligrams" in sertraline


def test_nothing_found_means_no_sheet_and_no_invented_risk_line():
    t = parse_transcript("Therapist: How was the week?\nClient: Busy. Work was a lot, but I managed.")
    assert fact_sheet(t) == ""
    soap = templates.load("soap")
    for spec in soap.sections:
        tail = prompts.section_tail(prompts.chat_format("chatml"), spec, section_facts(t, soap.keys, spec.key))
        assert "Checked facts" not in tail


def test_facts_differ_by_section_so_they_stay_out_of_the_cached_transcript_prefix():
    t = parse_transcript(SESSION)
    fmt = prompts.chat_format("chatml")
    soap = templates.load("soap")
    prefix = prompts.transcript_prefix(fmt, soap, t.as_dialogue())
    assert "PHQ-9 score" not in prefix and prefix.rstrip().endswith("</transcript>")
    tail = prompts.section_tail(fmt, soap.sections[1], section_facts(t, soap.keys, "objective"))
    # Before the request: after it, the model took the list for its answer and copied it.
    assert tail.index("PHQ-9 score: 8 (12 last month)") < tail.index("Write the OBJECTIVE section")


def test_facts_the_draft_left_out_are_added_once_to_the_first_section():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(SESSION)
    sections = [Section("subjective", "Subjective", prompts.NOT_ADDRESSED),
                Section("assessment", "Assessment", "The client takes sertraline 50 mg. Trazodone was stopped in March. "
                                                    "Major depressive disorder, recurrent, moderate."),
                Section("plan", "Plan", "Continue weekly sessions.")]
    assert add_missing_facts(sections, t) == 2  # risk line and PHQ-9; the drugs and diagnosis are in the draft
    first = sections[0].text
    assert prompts.NOT_ADDRESSED not in first
    assert "denied suicidal ideation" in first and "PHQ-9 score: 8 (12 last month)" in first
    assert add_missing_facts(sections, t) == 0  # nothing is added twice
    assert sections[0].text == first


def test_a_draft_contradicting_the_risk_screen_gets_the_checked_statement_added():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(SESSION)
    sections = [Section("subjective", "Subjective", "The client reports thoughts of suicide. PHQ-9 score 8.")]
    add_missing_facts(sections, t)
    assert "The client reports thoughts of suicide." in sections[0].text  # never hidden: the checks flag it
    assert "client denied suicidal ideation" in sections[0].text


REHAB = """Therapist: What's your pain right now, zero to ten?
Patient: Right now, like a four.
Therapist: And at its worst this week?
Patient: Probably a six? At night.
Therapist: Extension is minus three. So you're lacking three degrees. Last week it was minus five.
Therapist: Today was thirty minutes of therapeutic exercise and ten minutes of manual therapy."""


def test_rehab_measures_left_out_go_to_objective_with_their_numbers():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(REHAB)
    sheet = fact_sheet(t)
    assert "Pain rating (0-10): 4 now; 6 at worst." in sheet
    assert "Extension: -3 degrees (last week -5)." in sheet
    assert "therapeutic exercise 30, manual therapy 10" in sheet
    sections = [Section("subjective", "Subjective", "The patient rates pain 4/10 now and 6/10 at worst."),
                Section("objective", "Objective", "Knee exercises were performed."),
                Section("plan", "Plan", "Continue twice a week.")]
    assert add_missing_facts(sections, t) == 2  # the pain ratings are already there
    assert "Extension: -3 degrees (last week -5)." in sections[1].text
    assert "Minutes per intervention: " in sections[1].text
    assert "Extension" not in sections[0].text


def test_a_score_line_holds_only_numbers_said_as_the_score():
    # Speech recognition without speakers: one segment per half minute, so the
    # numbers near the scale's name include times, counts and a misheard dose.
    heard = ("A little better, I have been taking the search for 950 milligrams every morning. "
             "Your PHQ-9 today is 12, down from 17 last time, how is your sleep? I fall asleep around "
             "midnight and wake up at six, maybe six hours. Please keep a thought record three times "
             "this week. Our next appointment is next Tuesday at 10.")
    sheet = fact_sheet(parse_transcript(heard))
    assert "- PHQ-9 score: 12, 17." in sheet.splitlines()
    # A score said a few sentences after the scale is named still counts.
    t = parse_transcript("Therapist: I looked at the PHQ-9 you filled out.\nClient: Yeah. I flew through it.\n"
                         "Therapist: That's fine. Your score today was fourteen. A month ago it was nine.")
    assert "- PHQ-9 score: 14 (9 a month ago)." in fact_sheet(t).splitlines()
    # With no time said for the earlier score, it is just "earlier".
    t = parse_transcript("Therapist: Your PHQ-9 today is fourteen. Before, it was nine.")
    assert "- PHQ-9 score: 14 (earlier: 9)." in fact_sheet(t).splitlines()


def test_each_section_request_carries_the_checked_facts_that_belong_in_it():
    t = parse_transcript(SESSION)
    soap = templates.load("soap")
    per = {k: section_facts(t, soap.keys, k) for k in soap.keys}
    assert "PHQ-9 score: 8 (12 last month)" in per["objective"]  # measured in session
    assert "sertraline" in per["subjective"] and "Risk:" in per["subjective"]  # what the client reported
    assert "major depressive disorder" in per["assessment"].lower()
    assert per["plan"] == ""
    # Every fact is asked for in exactly one section.
    assert sum(len(v.splitlines()) for v in per.values()) == len(fact_sheet(t).splitlines())
    tail = prompts.section_tail(prompts.chat_format("chatml"), soap.sections[1], per["objective"])
    assert "PHQ-9 score: 8 (12 last month)" in tail and tail.endswith("<|im_start|>assistant\n")


def test_a_physician_note_speaks_of_the_patient():
    t = parse_transcript(SESSION)
    medical = templates.load("medical")
    assert medical.person == "patient" and templates.load("soap").person == "client"
    sheet = fact_sheet(t, medical.person)
    assert "patient denied suicidal ideation" in sheet and "client" not in sheet
    prefix = prompts.transcript_prefix(prompts.chat_format("chatml"), medical, t.as_dialogue())
    assert "'The patient reports...'" in prefix and "The client" not in prefix


def test_a_score_without_its_earlier_value_gets_the_checked_line():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(SESSION)
    done = [Section("subjective", "Subjective", "Risk: client denied suicidal ideation. The PHQ-9 was 8, down from "
                                                "12. Takes sertraline 50 mg; stopped trazodone. Major depressive disorder.")]
    assert add_missing_facts(done, t) == 0
    half = [Section("subjective", "Subjective", "Risk: client denied suicidal ideation. The PHQ-9 was 8. Takes "
                                                "sertraline 50 mg; stopped trazodone. Major depressive disorder.")]
    assert add_missing_facts(half, t) == 1  # the trend is the finding: 12 -> 8
    assert half[0].text.endswith("PHQ-9 score: 8 (12 last month).")


def test_an_earlier_score_is_dated_as_the_session_dated_it():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(SESSION.replace("Last month you were at twelve.",
                                         "The last time you did it, about a month ago, it was twelve."))
    rest = " Takes sertraline 50 mg; stopped trazodone. Major depressive disorder."
    dated = [Section("subjective", "Subjective", "Risk: client denied suicidal ideation. The PHQ-9 was 8, down "
                                                 "from 12 a month ago." + rest)]
    assert add_missing_facts(dated, t) == 0
    # "Higher than last time" leaves out that last time was a month ago: the checked line is added.
    undated = [Section("subjective", "Subjective", "Risk: client denied suicidal ideation. The PHQ-9 was 8, lower "
                                                   "than last time when it was 12." + rest)]
    assert add_missing_facts(undated, t) == 1
    assert undated[0].text.endswith("PHQ-9 score: 8 (12 last time, a month ago).")


def test_a_current_drug_named_without_its_stated_dose_gets_the_checked_line():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript(SESSION)  # "Yes, fifty milligrams, every morning."
    base = "Risk: client denied suicidal ideation. PHQ-9 8, down from 12. Stopped trazodone. Major depressive disorder. "
    no_dose = [Section("subjective", "Subjective", base + "Takes sertraline every morning.")]
    assert add_missing_facts(no_dose, t) == 1
    assert "Sertraline: discussed" in no_dose[0].text and "fifty milligrams" in no_dose[0].text
    with_dose = [Section("subjective", "Subjective", base + "Takes sertraline 50 mg every morning.")]
    assert add_missing_facts(with_dose, t) == 0
    # "two, three times a week" is how often, not a dose: nothing to require.
    often = parse_transcript("Therapist: Anything for the pain?\nPatient: Just ibuprofen, like two, three times a week.")
    assert add_missing_facts([Section("subjective", "Subjective", "Takes ibuprofen.")], often) == 0


def test_what_the_client_said_about_missed_doses_is_kept_with_the_drug():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript("Therapist: Are you still taking the sertraline?\n"
                         "Client: I take fifty milligrams every morning with breakfast. I haven't missed a single one.")
    # The 1.5B draft's "receiving sertraline daily at a dose of 50 milligrams": dose and drug, no adherence.
    bare = [Section("subjective", "Subjective", "The client takes sertraline daily at a dose of 50 milligrams.")]
    assert add_missing_facts(bare, t) == 1
    assert "I haven't missed a single one." in bare[0].text
    for said in ("Takes sertraline 50 mg every morning with no missed doses.",
                 "Takes sertraline 50 mg daily. Reports being adherent."):
        assert add_missing_facts([Section("subjective", "Subjective", said)], t) == 0, said


def test_a_stopped_drug_keeps_the_dose_it_was_taken_at():
    t = parse_transcript("Therapist: Are you still taking the hydroxyzine?\n"
                         "Client: No, I stopped the hydroxyzine months ago. It was the twenty-five milligram ones, "
                         "and I took one before a meeting and it knocked me out.")
    line = next(f.note_line for f in checked_facts(t) if "ydroxyzine" in f.note_line)
    assert line.startswith("Hydroxyzine 25 mg: stopped")  # "one" is a count, not a second dose
    t = parse_transcript("Therapist: Still on the levothyroxine?\nClient: No, I stopped the levothyroxine. It was "
                         "fifty micrograms.")
    assert any(f.note_line.startswith("Levothyroxine 50 mcg: stopped") for f in checked_facts(t))
    # A draft that says it was stopped but drops the dose still gets the line.
    fact = next(f for f in checked_facts(t) if f.note_line.startswith("Levothyroxine"))
    assert not fact.stated("The client stopped levothyroxine.")
    assert fact.stated("The client stopped levothyroxine 50 mcg.")


def test_a_friends_suicide_attempt_does_not_stand_in_for_the_risk_statement():
    t = parse_transcript("Client: My friend tried to kill herself a few years ago, so when she goes quiet I panic.\n"
                         "Therapist: Have you ever had thoughts of suicide yourself?\nClient: No. Never.")
    fact = next(f for f in checked_facts(t) if f.note_line.startswith("Risk:"))
    # A 1.5B GAD draft mentioned only the friend's attempt, and the risk line was never added.
    assert not fact.stated("The client worries about a friend's suicide attempt.")
    assert fact.stated("The client denied suicidal ideation.")


@pytest.mark.parametrize("sid", ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"])
def test_the_lines_soapdesk_adds_itself_are_never_marked_unsupported(sid):
    from soapdesk.core import evidence

    t = parse_transcript((FIX / f"{sid}.txt").read_text())
    lines = [f.note_line for f in checked_facts(t, "patient" if sid == "dev_pt_knee" else "client")]
    assert lines
    for line in lines:
        for result in evidence.verify_sentences(evidence.ct.split_sentences(line), t):
            assert result.supported, (line, result.reason)


def test_a_thought_records_belief_ratings_reach_the_sheet_and_a_draft_that_drops_them():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript((FIX / "dev_cbt_depression.txt").read_text())
    sheet = fact_sheet(t)
    assert "Belief in the thought 'I'm going to get fired' (0-100): 95; later 40." in sheet
    assert "Embarrassment (0-100): 80; later 50." in sheet
    kept = "The client's belief that she will be fired fell from 95 to 40 on the thought record."
    sections = [Section("subjective", "Subjective", "The client completed a thought record in session."),
                Section("objective", "Objective", kept), Section("plan", "Plan", "One thought record a day.")]
    add_missing_facts(sections, t)
    objective = sections[1].text
    assert objective.count("95") == 1  # already in the draft: not added again
    assert 'Embarrassment (0-100): 80; later 50.' in objective


def test_a_drugs_quote_keeps_how_often_it_is_taken_when_said_next():
    t = parse_transcript("Therapist: Are you taking anything for it?\nPatient: Just ibuprofen, four hundred, after a "
                         "long day. So two, three times a week. My sister swears by ice.")
    line = next(f.note_line for f in checked_facts(t, "patient") if f.note_line.startswith("Ibuprofen"))
    assert "four hundred, after a long day. So two, three times a week." in line
    assert "ice" not in line  # only the sentence that says how often


def test_exercises_left_out_go_to_a_rehab_notes_objective_and_plan_never_a_physicians_exam():
    from soapdesk.core.note import Section
    from soapdesk.core.session_facts import add_missing_facts

    t = parse_transcript("Therapist: Heel raises, two sets of twenty.\n"
                         "Therapist: At home, add the step-ups, three by ten.")
    assert "sets x reps" not in section_facts(t, templates.load("pt_daily").keys, "objective", "patient")
    rehab = [Section("subjective", "Subjective", "Knee is stiff."), Section("objective", "Objective", "Worked on it."),
             Section("plan", "Plan", "Twice a week.")]
    assert add_missing_facts(rehab, t, person="patient") == 2
    assert "Exercises (sets x reps): heel raises 2 x 20." in rehab[1].text
    assert "Home exercise program (sets x reps): step-ups 3 x 10." in rehab[2].text
    physician = [Section(s.key, s.title, "Seen today.") for s in templates.load("medical").sections]
    add_missing_facts(physician, t, person="patient")
    assert "heel raises" not in " ".join(s.text for s in physician)  # no rehab objective to put it in
    assert "step-ups 3 x 10" in physician[-1].text  # the home program is part of the plan


@pytest.mark.parametrize("sid", ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"])
def test_the_clients_own_words_go_only_into_mental_health_notes(sid):
    """Quoted amounts, the check-in story, medical visits and confirmed symptoms are what a therapy
    note records; a physician's or a rehab note (the patient) records them its own way."""
    said = (FIX / f"{sid}.txt").read_text().replace("Client:", "Patient:")
    lines = [f.note_line for f in checked_facts(parse_transcript(said), "patient")]
    assert not [x for x in lines if "in the patient's words" in x or "confirmed by the patient" in x]
    client = [f.note_line for f in checked_facts(parse_transcript(said.replace("Patient:", "Client:")))]
    assert sid == "dev_pt_knee" or [x for x in client if "in the client's words" in x]


def test_no_medication_line_for_an_allergy_nor_a_dose_said_of_another_drug():
    t = parse_transcript("Doctor: You're allergic to penicillin, right?\nPatient: Yes.\n"
                         "Doctor: stop taking any nonsteroidal medicines such as your advil or motrin the only thing "
                         "i really want you taking is tylenol for any pain right now i am going to prescribe one "
                         "medicine and that's cardura four milligrams once a day\nPatient: okay")
    sheet = fact_sheet(t, "patient")
    assert "penicillin" not in sheet.lower()
    stopped = [line.split("(said")[0].strip() for line in sheet.split("\n") if "stopped or not taken" in line]
    assert stopped == ["- Medication ibuprofen: stopped or not taken now, so not a current medication"]
