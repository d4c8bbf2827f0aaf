"""Billing suggestions: CPT from minutes and interventions, ICD-10-CM only when stated."""

import json
from pathlib import Path

import pytest

from soapdesk.core import billing
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

FIX = Path(__file__).parent / "fixtures" / "therapy"
DEV = ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"]


@pytest.mark.parametrize("sid", DEV)
def test_dev_sessions_match_answer_keys(sid):
    key = json.loads((FIX / f"{sid}.json").read_text())
    b = billing.suggest(parse_transcript((FIX / f"{sid}.txt").read_text()), template_id=key["format_hint"])
    assert sorted((c.code, c.units) for c in b.cpt) == sorted((c["code"], c["units"]) for c in key["expected_cpt"]["codes"])
    assert sorted(i.code for i in b.icd10) == sorted(d["icd10_cm"] for d in key["diagnoses_stated_by_clinician"])
    for c in b.cpt:
        assert c.reason
    for i in b.icd10:
        assert i.evidence


@pytest.mark.parametrize("minutes, code", [(10, None), (15, None), (16, "90832"), (37, "90832"), (38, "90834"),
                                           (45, "90834"), (52, "90834"), (53, "90837"), (60, "90837")])
def test_psychotherapy_time_ranges(minutes, code):
    assert billing.psychotherapy_code(minutes)[0] == code


def test_under_16_minutes_has_no_code_and_says_why():
    b = billing.suggest_text("Therapist: Hi.\nClient: Hi.", minutes=12)
    assert b.cpt == [] and any("16" in n for n in b.notes)


def test_stated_minutes_ignore_other_durations():
    t = parse_transcript("Therapist: So we've got our usual forty-five minutes today.\n"
                         "Client: I sat in the car for forty minutes.\nTherapist: We have about ten minutes left.")
    mins, why = billing.session_minutes(t)
    assert mins == 45 and "forty-five minutes" in why


def test_a_couples_session_with_its_length_said_at_the_end_is_90847():
    t = parse_transcript("Therapist: How did the exercise go?\nClient: We did it once.\nPartner: It went okay.\n"
                         "Therapist: Same time next week; today was fifty minutes.")
    got = billing.suggest(t, template_id="dap")
    assert [(c.code, c.minutes) for c in got.cpt] == [("90847", 50)]
    assert "today was fifty minutes" in got.cpt[0].reason
    t = parse_transcript("Therapist: Today was thirty-three minutes of therapeutic exercise.\nClient: Okay.")
    assert billing.session_minutes(t)[0] is None  # one intervention's minutes, not the session's


def test_explicit_minutes_and_recording_duration():
    t = Transcript([Segment(1, "Hello.", speaker="clinician")], duration_s=50 * 60, source="audio")
    assert billing.suggest(t).cpt[0].code == "90834"
    assert billing.suggest(t, minutes=55).cpt[0].code == "90837"


def test_eight_minute_rule_25_plus_10():
    # per code (AMA "substantial portion"): 25 min → 2 units, 10 min → 1 unit
    assert billing.eight_minute_rule({"97110": 25, "97140": 10}, "ama") == {"97110": 2, "97140": 1}
    # CMS: 35 total timed minutes is 2 units (23-37), one per code
    assert billing.eight_minute_rule({"97110": 25, "97140": 10}) == {"97110": 1, "97140": 1}
    assert billing.eight_minute_rule({"97110": 30, "97140": 10}) == {"97110": 2, "97140": 1}
    assert billing.eight_minute_rule({"97110": 7}) == {"97110": 0}
    assert billing.eight_minute_rule({"97110": 33, "97140": 12, "97116": 5}) == {"97110": 2, "97140": 1, "97116": 0}


def test_rehab_codes_from_stated_minutes():
    b = billing.suggest_text("Therapist: Today was twenty-five minutes of therapeutic exercise and ten minutes of "
                             "manual therapy.\nPatient: Thanks.", template_id="pt_daily", rehab_method="ama")
    assert sorted((c.code, c.units) for c in b.cpt) == [("97110", 2), ("97140", 1)]


def test_rehab_minutes_said_with_on_or_as_and_one_unit_said_as_one_unit():
    b = billing.suggest_text(
        "Therapist: We spent twenty minutes on self-care training, buttoning and zipping.\n"
        "Patient: That was hard.\n"
        "Therapist: And ten minutes with the fine motor pegboard as therapeutic activities.",
        template_id="ot_daily")
    assert sorted((c.code, c.units) for c in b.cpt) == [("97530", 1), ("97535", 1)]
    one = billing.suggest_text("Therapist: Ten minutes of manual therapy today.", template_id="pt_daily").cpt
    assert [(c.code, c.units) for c in one] == [("97140", 1)]
    assert "= 1 unit by" in one[0].reason


def test_minutes_shared_by_two_interventions_are_not_given_to_one_of_them():
    b = billing.suggest_text(
        "Therapist: We did fifteen minutes on paraffin and soft tissue work for the hand, then "
        "twenty-five minutes of therapeutic exercise.\nPatient: Okay.", template_id="ot_daily")
    assert [(c.code, c.units) for c in b.cpt] == [("97110", 2)]
    assert any("paraffin and soft tissue work" in n and "15 minutes" in n for n in b.notes)


def test_other_services():
    assert billing.suggest_text("Therapist: Hello.", minutes=60, service="intake").cpt[0].code == "90791"
    assert billing.suggest_text("Therapist: Hello.", minutes=60, service="group").cpt[0].code == "90853"
    assert billing.suggest_text("Therapist: Hello.\nClient: Hi.", minutes=50, service="family").cpt[0].code == "90847"
    assert billing.suggest_text("Therapist: Hello.", minutes=50, service="family_without_client").cpt[0].code == "90846"
    crisis = billing.suggest_text("Therapist: Hello.", minutes=110, service="crisis").cpt
    assert [(c.code, c.units) for c in crisis] == [("90839", 1), ("90840", 2)]
    assert [(c.code, c.units) for c in billing.crisis_codes(60)] == [("90839", 1)]


def test_no_icd_when_no_diagnosis_stated_even_with_symptoms():
    b = billing.suggest_text("Therapist: How is your mood?\nClient: I've been really depressed and anxious, "
                             "can't sleep.\nTherapist: That sounds hard.", minutes=45)
    assert b.icd10 == []


def test_stated_diagnosis_is_coded_and_validated():
    b = billing.suggest_text("Therapist: Based on what you've told me, I think this meets criteria for "
                             "post-traumatic stress disorder.\nClient: Okay.", minutes=45)
    assert [i.code for i in b.icd10] == ["F43.10"]
    assert billing.lookup_icd10("major depressive disorder, recurrent, moderate")[0] == "F33.1"
    assert billing.lookup_icd10("social anxiety disorder")[0] == "F40.10"


def test_ruled_out_diagnosis_is_not_coded():
    b = billing.suggest_text("Therapist: I don't think this is bipolar disorder.\nClient: Good.", minutes=45)
    assert b.icd10 == []


def test_json_shape():
    j = billing.suggest_text("Therapist: We have our usual fifty minutes today.\nClient: Ok.").to_json()
    assert j["cpt"][0] == {"code": "90834", "units": 1, "reason": j["cpt"][0]["reason"]}
    assert j["icd10"] == []
