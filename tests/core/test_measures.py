"""0-10 ratings and range of motion read from what was said, and what must not be read as one."""

from __future__ import annotations

from soapdesk.core import measures
from soapdesk.core.transcript_text import parse_transcript


def _t(text):
    return parse_transcript(text)


def test_rating_and_its_follow_up_question_keep_their_context():
    t = _t("Therapist: What's your pain right now, zero to ten?\nPatient: Right now, like a four.\n"
           "Therapist: And at its worst this week?\nPatient: Probably a six? At night, after a long day.")
    got = [(r.subject, r.value, r.context) for r in measures.ratings(t)]
    assert got == [("pain", 4, "now"), ("pain", 6, "at worst")]
    assert measures.rating_lines(t)[0][0] == "Pain rating (0-10): 4 now; 6 at worst."


def test_before_and_after_a_skill_the_same_subject_is_one_line_in_order():
    t = _t("Therapist: Where's your anxiety right now, zero to ten?\nClient: Like a seven.\n"
           "Therapist: Let's breathe together for a few minutes.\nClient: Okay.\n"
           "Therapist: Where are you now, zero to ten?\nClient: Like a four.")
    assert measures.rating_lines(t)[0][0] == "Anxiety rating (0-10): 7 now; later 4."


def test_a_rating_the_client_volunteers_counts_and_a_dodged_question_does_not():
    t = _t("Patient: my back pain is about an eight out of ten most days.\n"
           "Doctor: and how is your stress, zero to ten?\nPatient: hard to say, honestly.\n"
           "Doctor: okay, we will come back to that.")
    got = [(r.subject, r.value) for r in measures.ratings(t)]
    assert got == [("pain", 8)]


def test_numbers_that_are_not_ratings_are_not_read_as_ratings():
    t = _t("Therapist: How is your pain, zero to ten?\nPatient: I walked twenty minutes today and it was fine.")
    assert measures.ratings(t) == []


def test_range_of_motion_with_last_visit_value():
    t = _t("Therapist: Extension is minus three. So you're lacking three degrees. Last week it was minus five.\n"
           "Therapist: One hundred and five degrees of flexion. Last week you were at ninety-five.")
    got = [(r.motion, r.degrees, r.prior, r.prior_cue) for r in measures.ranges_of_motion(t)]
    assert got == [("extension", -3, -5, "last week"), ("flexion", 105, 95, "last week")]


def test_exercises_and_lab_values_are_not_range_of_motion():
    t = _t("Therapist: Heel raises, two sets of twenty, then a prone hang for extension, three minutes.\n"
           "Therapist: Terminal knee extensions with the band, three sets of fifteen.\n"
           "Doctor: most recent cmp showed elevation at 156 . this could be related to his liver .")
    assert measures.ranges_of_motion(t) == []


def test_accuracy_on_trials_from_counts_and_percentages_but_not_strength_grades():
    t = _t("Therapist: That's sixteen out of twenty correct, so eighty percent accuracy.\n"
           "Therapist: At sentence level with minimal cues you got seven of ten.\n"
           "Therapist: Strength is five out of five, correct on both sides.\n"
           "Therapist: Twelve of twenty correct on /r/ today; last week you were at seventy percent accuracy.")
    got = [(a.percent, a.correct, a.trials) for a in measures.accuracies(t)]
    assert got == [(80, 16, 20), (70, 7, 10), (60, 12, 20), (70, None, None)]  # 70 is last week's, quoted as said
    assert measures.accuracy_lines(t)[0][0].startswith("Accuracy 80 percent (16 of 20) (said: ")
