"""The next visit as the session arranged it, and a note's next-visit sentence held to it."""

from soapdesk.core import grounding, next_visit
from soapdesk.core.transcript_text import parse_transcript


def kinds(flags):
    return {f.kind for f in flags}


CBT_END = parse_transcript(
    "Client: On weekends I stay in bed till noon.\n"
    "Therapist: Try to be up by nine instead of noon. The meeting on Thursday went well, you said.\n"
    "Client: It did.\n"
    "Therapist: Okay, that's our forty-five minutes. Same time next Monday?\n"
    "Client: Monday. Yeah. Thanks.")


def test_a_time_said_for_something_else_is_not_the_next_visits_time():
    # The 1.5B draft's "scheduled for Monday at 9 AM": nine was the weekend wake-up time.
    flags = grounding.check_sections({"plan": "The next appointment is scheduled for Monday at 9 AM."}, CBT_END)
    assert kinds(flags) == {"next_visit"}
    assert "9 AM" in flags[0].reason and "Same time next Monday?" in flags[0].reason


def test_another_day_said_in_the_session_is_not_the_day_set_for_the_next_visit():
    flags = grounding.check_sections({"plan": "Next session next Thursday at the same time."}, CBT_END)
    assert kinds(flags) == {"next_visit"}
    assert "Monday" in flags[0].reason


def test_the_visit_as_arranged_passes():
    for sentence in ("Next session next Monday at the same time.", "Next appointment: Monday.",
                     "Client will bring the thought records next session."):
        assert grounding.check_sections({"plan": sentence}, CBT_END) == [], sentence


def test_a_time_agreed_in_the_reply_passes():
    t = parse_transcript("Client: School ends at three.\nTherapist: Can I see you next Tuesday?\n"
                         "Client: Tuesday at four works, after school.")
    assert grounding.check_sections({"plan": "Next session Tuesday at 4 pm."}, t) == []
    assert kinds(grounding.check_sections({"plan": "Next session Tuesday at 3 pm."}, t)) == {"next_visit"}


def test_an_interval_must_be_said_as_an_interval():
    t = parse_transcript("Doctor: The pain started six days ago. We'll recheck the knee.\n"
                         "Doctor: I want to see you back in a month, sooner if it swells.")
    assert grounding.check_sections({"plan": "Follow up in 4 weeks."}, t) == []  # four weeks is a month
    assert grounding.check_sections({"plan": "She will follow up in 1 month."}, t) == []
    flags = grounding.check_sections({"plan": "Follow up in 6 weeks."}, t)
    assert kinds(flags) == {"next_visit"}
    assert "6 weeks" in flags[0].reason
    # Only the next visit's interval is read in other units: "4 weeks ago" is not "a month".
    assert kinds(grounding.check_sections({"hpi": "The pain started 4 weeks ago."}, t)) == {"number"}


def test_vague_intervals_and_ages_are_read_as_said():
    t = parse_transcript("Doctor: Let's have you come back in a couple of weeks.")
    assert grounding.check_sections({"plan": "Return to clinic in 2 weeks."}, t) == []  # no "number never said"
    # "40-year-old ... follow-up" is an age, not when the patient returns.
    assert grounding.check_sections({"hpi": "She is a 40-year-old woman here for follow-up."},
                                    parse_transcript("Doctor: You're forty, here for follow-up of the cysts.")) == []


def test_reading_the_arrangement():
    visit = next_visit.arranged(CBT_END)
    assert visit.weekdays == {"monday"}  # Thursday was said, but not for the visit
    assert visit.quote == "Same time next Monday?"
    assert next_visit.intervals_in("back in two weeks, or next month") == {14.0, 30.0}


KNEE = parse_transcript(
    "Therapist: Any pain medication?\n"
    "Patient: Just ibuprofen, four hundred. So two, three times a week. I haven't needed the oxy since week two.\n"
    "Therapist: How long did you play basketball before this?\n"
    "Patient: At least twenty plus years. And I stopped smoking four or so years ago.")


def test_a_length_of_time_made_of_a_number_said_for_something_else_is_flagged():
    # The PT draft's "taking ibuprofen for the past two weeks": two was said as how often, and as "week two".
    flags = grounding.check_sections({"subjective": "The patient has been taking ibuprofen for the past two weeks."},
                                     KNEE)
    assert kinds(flags) == {"duration"}
    assert "two weeks" in flags[0].reason


def test_lengths_of_time_said_loosely_or_roughly_pass():
    for sentence in ("Played basketball for 20 years.", "Stopped smoking about 4 years ago.",
                     "Takes ibuprofen 2-3 times a week.", "Has not needed oxycodone for a few weeks."):
        assert grounding.check_sections({"subjective": sentence}, KNEE) == [], sentence
