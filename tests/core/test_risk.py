"""Risk screen: what a clinician must confirm before finalizing."""

import json
from pathlib import Path

import pytest

from soapdesk.core import risk
from soapdesk.core.transcript_text import parse_transcript

FIX = Path(__file__).parent / "fixtures" / "therapy"
DEV = ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"]


def screen(text):
    return risk.screen(parse_transcript(text))


@pytest.fixture(scope="module")
def dev():
    out = {}
    for sid in DEV:
        t = parse_transcript((FIX / f"{sid}.txt").read_text())
        out[sid] = (t, risk.screen(t), json.loads((FIX / f"{sid}.json").read_text()))
    return out


@pytest.mark.parametrize("sid", DEV)
def test_dev_sessions_risk_values_exactly(dev, sid):
    t, f, key = dev[sid]
    for d in ("suicidal_ideation", "homicidal_ideation", "self_harm"):
        assert f[d].status == key["risk"][d], (sid, d)


@pytest.mark.parametrize("sid", DEV)
def test_evidence_quotes_are_exact_substrings_with_real_segment_ids(dev, sid):
    t, f, _ = dev[sid]
    by_id = {s.id: s.text for s in t.segments}
    for finding in f.values():
        for e in finding.evidence:
            assert e.quote in by_id[e.segment_id]


def test_friends_suicide_attempt_is_not_the_clients(dev):
    _, f, _ = dev["dev_gad_anxiety"]
    assert f["suicidal_ideation"].status == "denied"
    assert not any("kill herself" in e.quote for e in f["suicidal_ideation"].evidence)


def test_no_nothing_like_that_is_denied():
    f = screen("Therapist: Any thoughts of hurting yourself?\nClient: No, nothing like that.")
    assert f["self_harm"].status == "denied"
    assert f["self_harm"].evidence[0].quote == "Any thoughts of hurting yourself?"


def test_wish_not_to_wake_up_is_passive_without_plan():
    f = screen("Therapist: Have you had any thoughts of suicide?\n"
               "Client: Sometimes I wish I wouldn't wake up, but I'd never do anything.")
    assert f["suicidal_ideation"].status == "passive_no_plan"


def test_yes_then_no_plan_is_passive_not_denied():
    f = screen("Therapist: Have you been thinking about killing yourself?\nClient: Yeah, some nights.\n"
               "Therapist: Do you have a plan?\nClient: No. No plan.")
    assert f["suicidal_ideation"].status == "passive_no_plan"


def test_plan_disclosed_is_active():
    f = screen("Therapist: Any thoughts of suicide?\nClient: Yes. I have a plan, I've been saving pills.")
    assert f["suicidal_ideation"].status == "active"


def test_never_asked_is_not_assessed_and_statement_says_so():
    f = screen("Therapist: How was your week?\nClient: Fine, busy. I'm dead tired all the time.")
    assert {d: f[d].status for d in risk.DOMAINS} == {d: "not_assessed" for d in risk.DOMAINS}
    s = risk.risk_statement(f)
    assert "not assessed" in s and "denied" not in s


def test_spontaneous_disclosure_counts():
    f = screen("Therapist: How have things been?\nClient: Honestly I've been cutting myself again on my arms.")
    assert f["self_harm"].status == "active"


def test_a_wish_to_die_said_unprompted_is_ideation():
    # "could" made ConText read the sentence as hypothetical and the screen skipped it: not assessed.
    assert screen("Therapist: How have things been?\nClient: Some nights I wish I could kill myself."
                  )["suicidal_ideation"].status == "active"
    for said in ("Sometimes I wish I could just die.", "Honestly I wish I was dead some days."):
        assert screen("Therapist: How was the week?\nClient: " + said)["suicidal_ideation"].status == \
            "passive_no_plan", said
    # Still a denial when the wish is negated, and a wish about something else is nothing.
    assert screen("Therapist: How have things been?\nClient: I don't want to kill myself, I just feel stuck."
                  )["suicidal_ideation"].status == "denied"
    assert screen("Therapist: Any thoughts of suicide?\nClient: No. I wish I could sleep more though."
                  )["suicidal_ideation"].status == "denied"


def test_substance_and_abuse_statuses():
    f = screen("Therapist: Do you drink alcohol or use any drugs?\nClient: Nope.\n"
               "Therapist: Do you feel safe at home?\nClient: Yes, totally.")
    assert f["substance_use"].status == "denied"
    assert f["abuse_neglect"].status == "denied"
    f = screen("Client: I drink like six beers every night lately.\nTherapist: Okay.")
    assert f["substance_use"].status == "reported"


def test_a_relapse_told_unprompted_is_substance_use_reported():
    # Never asked "do you drink?": the client tells of the wedding and the sponsor.
    f = screen("Therapist: How has the week been?\nClient: My brother got married and there was an open bar, and "
               "I had two beers before I even realized. Then I called my sponsor from the parking lot.")
    assert f["substance_use"].status == "reported"
    assert any("two beers" in e.quote for e in f["substance_use"].evidence)
    for said in ("Client: Ninety days clean tomorrow.", "Client: I relapsed on Friday.",
                 "Client: I went to two AA meetings."):
        assert screen(said)["substance_use"].status == "reported", said
    # Sober that night is not a history of use (MTS-Dialog 387).
    f = screen("Therapist: Did you drink alcohol last night?\nClient: I had to drive some people home, so I was "
               "sober.")
    assert f["substance_use"].status != "reported"


def test_a_swallowing_question_is_not_a_substance_question():
    # An SLP visit: "No. No coughing." denies coughing, not drinking alcohol.
    f = screen("Therapist: Any trouble swallowing, coughing when you drink?\nPatient: No. No coughing.")
    assert f["substance_use"].status == "not_assessed"
    assert screen("Therapist: Do you drink?\nClient: No.")["substance_use"].status == "denied"


def test_a_plan_to_watch_for_risk_is_not_a_finding():
    f = screen("Therapist: Any thoughts of hurting yourself or ending your life?\nClient: No. Nothing like that.")
    plan = "Safety planning includes monitoring for any signs of self-harm or suicidal ideation."
    assert risk.note_risk_statements(plan) == []
    assert risk.note_contradicts_risk(plan, f) == []
    # A finding stays one, and so does a screening's result.
    assert risk.note_contradicts_risk("The client reported suicidal ideation.", f)
    assert ("suicidal_ideation", "denied") in risk.note_risk_statements(
        "The client was screened for suicidal ideation and denied it.")


def test_a_labelled_line_answered_none_is_a_denial():
    # Physician notes' social history: "Alcohol use: None." was read as reported alcohol use.
    f = screen("Therapist: Do you drink alcohol or use any drugs?\nClient: Nope.")
    for note in ("Alcohol use: None.", "Illicit drug use: Never."):
        assert risk.note_risk_statements(note) == [("substance_use", "denied")], note
        assert not risk.note_contradicts_risk(note, f), note
    assert risk.note_contradicts_risk("Alcohol use: 2 drinks a week.", f)


def test_homicidal_question_denied():
    f = screen("Therapist: Any thoughts of hurting someone else?\nClient: Not at all.")
    assert f["homicidal_ideation"].status == "denied"


def test_note_denies_si_when_client_reported_passive_si_is_contradiction():
    f = screen("Therapist: Have you had thoughts of suicide?\nClient: Sometimes I wish I wouldn't wake up.")
    problems = risk.note_contradicts_risk("Client denies SI.", f)
    assert problems and "suicidal ideation" in problems[0]


def test_note_denies_hi_never_asked_is_contradiction(dev):
    _, f, _ = dev["dev_cbt_depression"]
    assert risk.note_contradicts_risk("Client denies homicidal ideation.", f)
    assert risk.note_contradicts_risk("Client endorses passive suicidal ideation.", f)
    assert not risk.note_contradicts_risk(risk.risk_statement(f), f)
    assert not risk.note_contradicts_risk("Client denied suicidal ideation and self-harm.", f)


def test_note_saying_the_clinician_did_not_assess_hi_is_not_read_as_a_denial():
    f = screen("Therapist: Any thoughts of ending your life, or of hurting yourself?\nClient: No. Never.")
    note = "The client denied suicidal ideation and self-harm but the clinician did not assess homicidal ideation."
    assert not risk.note_contradicts_risk(note, f)
    assert risk.note_contradicts_risk("The client denied suicidal and homicidal ideation.", f)


def test_a_denial_closing_the_sentence_is_read_as_a_denial():
    # Draft wording from the 1.5B model on a CBT session where the client denied SI:
    # flagged as "SI present" before, a false alarm on a correct sentence.
    f = screen("Therapist: Any thoughts of ending your life, or of hurting yourself?\nClient: No. Never.")
    for note in ("The clinician asked about thoughts of killing themselves, which the client denies.",
                 "They were asked about suicide and self-harm, but denied it."):
        assert not risk.note_contradicts_risk(note, f), note
    # Read as a denial, it still clashes with a client who did report SI; a plain report stays flagged.
    passive = screen("Therapist: Have you had thoughts of suicide?\nClient: Sometimes I wish I wouldn't wake up.")
    assert risk.note_contradicts_risk("Thoughts of suicide were discussed, which the client denies.", passive)
    assert risk.note_contradicts_risk("The client reports suicidal thoughts.", f)


def test_json_shape(dev):
    _, f, _ = dev["dev_cbt_depression"]
    j = risk.findings_to_json(f)
    assert j["suicidal_ideation"]["status"] == "denied"
    assert {"quote", "segment_id"} <= set(j["suicidal_ideation"]["evidence"][0])


def test_speakerless_asr_segments_still_read_question_and_answer():
    # Speech recognition returns long segments with no speaker roles, a question
    # and its answer inside one segment (as on the shipped sample).
    from soapdesk.core.transcript import Segment, Transcript

    t = Transcript(segments=[
        Segment(1, "Good afternoon. How is your sleep? About six hours."),
        Segment(2, "I want to check on safety. Can you have any thoughts on harming yourself or on suicide? "
                   "No, nothing like that. I feel safe, and I have my safety plan on the fridge."),
    ], source="audio")
    from soapdesk.core import risk as risk_mod

    found = risk_mod.screen(t)
    assert found["suicidal_ideation"].status == "denied"
    assert found["self_harm"].status == "denied"
    assert all(e.segment_id == 2 for e in found["suicidal_ideation"].evidence)
    assert found["homicidal_ideation"].status == "not_assessed"


def test_a_couple_asked_together_and_a_no_taken_back_is_a_disclosure():
    # Invented couples session: the partner answers first, the client says "No" and then tells it.
    t = parse_transcript(
        "Therapist: Has either of you ever pushed, grabbed, or hit the other, or felt afraid of the other?\n"
        "Partner: No. Never.\n"
        "Client: No... well, he grabbed my arm once last month when I tried to leave the room.\n"
        "Therapist: Do you feel safe at home right now?\nClient: Yes. It was one time.\n"
        "Therapist: Any thoughts of hurting yourselves?\nClient: No.\nPartner: No, nothing like that.")
    found = risk.screen(t)
    assert found[risk.ABUSE].status == risk.REPORTED
    assert any("grabbed my arm" in e.quote for e in found[risk.ABUSE].evidence)
    assert found[risk.SH].status == risk.DENIED  # "yourselves" is the same question as "yourself"


def test_a_denial_of_one_substance_then_use_of_another_is_use():
    t = parse_transcript("Doctor: Any smoking or alcohol?\nPatient: No, I don't smoke but I drink wine.")
    assert risk.screen(t)[risk.SUBST].status == risk.REPORTED
    t = parse_transcript("Doctor: Any alcohol?\nPatient: No, I don't drink at all.")
    assert risk.screen(t)[risk.SUBST].status == risk.DENIED


def test_self_harm_told_as_what_was_done_to_the_body_answers_the_question():
    t = parse_transcript("Therapist: Have you done anything to hurt yourself, like cutting?\n"
                         "Client: I scratched my arm with a pen cap on Tuesday. Not deep.")
    assert risk.screen(t)[risk.SH].status == risk.ACTIVE
    t = parse_transcript("Therapist: Have you done anything to hurt yourself?\nClient: No, I never cut my arms.")
    assert risk.screen(t)[risk.SH].status == risk.DENIED
    t = parse_transcript("Therapist: How was the week?\nClient: I cut my hand making dinner.")
    assert risk.screen(t)[risk.SH].status == risk.NOT_ASSESSED  # unasked, it is as often the kitchen knife


def test_alcohol_asked_inside_a_run_on_turn_and_answered_with_amounts_is_use():
    # ACI-Bench train D2N039: no punctuation, the question is inside the turn, the answer gives amounts.
    t = parse_transcript(
        "[doctor] okay and then lastly what kind of alcohol intake do you have you know do you consider how many "
        "drinks a week is really what i'm looking for\n"
        "[patient] i'll have a couple of beers during the week and like one or two on the weekends\n"
        "[doctor] okay i want you to decrease your alcohol")
    found = risk.screen(t)[risk.SUBST]
    assert found.status == risk.REPORTED
    assert any("couple of beers" in e.quote for e in found.evidence)
    # Advice is not a question: "okay" after it says nothing about use.
    t = parse_transcript("[doctor] and i want you to cut down on how much alcohol you drink okay\n[patient] okay")
    assert risk.screen(t)[risk.SUBST].status == risk.NOT_ASSESSED
    assert not risk.screen(t)[risk.SUBST].evidence


def test_never_and_used_to_answers_about_substances():
    # "I have never..." opens like the "I have" of a yes, and is a no.
    t = parse_transcript("Doctor: Do you drink alcohol?\nPatient: I have never had a drink in my life.")
    assert risk.screen(t)[risk.SUBST].status == risk.DENIED
    t = parse_transcript("Doctor: Do you smoke?\nPatient: I used to smoke. I quit years ago.")
    assert risk.screen(t)[risk.SUBST].status == risk.REPORTED  # past use is use the clinician must see
    t = parse_transcript("Doctor: Tell me about your week.\nPatient: I smoke, not a lot, maybe five cigarettes a day.")
    assert risk.screen(t)[risk.SUBST].status == risk.REPORTED  # the "not" is about the amount
    t = parse_transcript("Doctor: Tell me about your week.\nPatient: I have never had any drinks.")
    assert risk.screen(t)[risk.SUBST].status == risk.DENIED
    # Tokenised transcripts split the contraction: "i have n't hurt myself" is a denial.
    t = parse_transcript("[doctor] have you hurt yourself ?\n[patient] no . i have n't hurt myself .")
    assert risk.screen(t)[risk.SH].status == risk.DENIED


def test_a_note_denying_drugs_does_not_contradict_a_client_who_smoked():
    # D2N031: "no drugs . i do drink socially ... and i used to smoke"
    t = parse_transcript(
        "[doctor] do you have any history of smoking , illicit drug use , heavy alcohol consumption ?\n"
        "[patient] no drugs . i do drink socially , but never more than that . and i used to smoke , but "
        "really , everybody did back then and i probably quit about 30 years ago .")
    found = risk.screen(t)
    assert found[risk.SUBST].status == risk.REPORTED
    assert risk.note_contradicts_risk("Illicit drug use: Never.", found) == []
    # ... but a note denying all substance use still disagrees with it.
    assert risk.note_contradicts_risk("Denies substance use.", found)
    assert risk.note_contradicts_risk("Denies alcohol use.", found)  # "i do drink socially"
