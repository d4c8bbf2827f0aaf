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


def test_a_peak_said_with_the_answer_is_the_worst_rating():
    t = _t("Therapist: Pain right now, zero to ten?\n"
           "Client: About a two. It got up to a five last night after I carried groceries. I went up to ten reps.")
    assert measures.rating_lines(t)[0][0] == "Pain rating (0-10): 2 now; 5 at worst."


def test_range_of_motion_with_last_visit_value():
    t = _t("Therapist: Extension is minus three. So you're lacking three degrees. Last week it was minus five.\n"
           "Therapist: One hundred and five degrees of flexion. Last week you were at ninety-five.")
    got = [(r.motion, r.degrees, r.prior, r.prior_cue) for r in measures.ranges_of_motion(t)]
    assert got == [("extension", -3, -5, "last week"), ("flexion", 105, 95, "last week")]


def test_range_of_motion_with_the_earlier_value_in_the_same_sentence():
    t = _t("Therapist: Wrist extension is forty-five degrees today, last week it was thirty-five. "
           "Flexion is fifty, up from forty.\n"
           "Therapist: Supination went from sixty to seventy degrees. Last week pronation was seventy, today eighty.\n"
           "Therapist: Flexion is about ninety, maybe from the swelling. Flexion is from zero to one twenty degrees.")
    got = [(r.motion, r.degrees, r.prior, r.prior_cue) for r in measures.ranges_of_motion(t)]
    assert got == [("extension", 45, 35, "last week"), ("flexion", 50, 40, "up from"),
                   ("supination", 70, 60, "previously"), ("pronation", 80, 70, "last week"), ("flexion", 90, None, "")]
    assert measures.range_of_motion_lines(t)[1][0] == "Wrist flexion: 50 degrees (up from 40)."


def test_a_range_of_motion_names_its_joint_and_side_when_the_session_makes_them_plain():
    t = _t("Therapist: How's the left knee today?\nClient: Stiff.\n"
           "Therapist: Straighten it, push the back of the knee down. Extension is minus three. Last week minus five.\n"
           "Therapist: We want zero, to match the other side. Now bend it. One hundred and five degrees of flexion.")
    assert [line for line, _k, _v in measures.range_of_motion_lines(t)] == [
        "Left knee extension: -3 degrees (last week -5).", "Left knee flexion: 105 degrees."]
    # both shoulders talked about: the side only where the reading's turn says it
    t = _t("Therapist: How's the right shoulder? And the left one, the left shoulder?\n"
           "Therapist: Right shoulder flexion is 150 degrees. Abduction is 120 degrees.\n"
           "Therapist: Let's measure the other shoulder. Flexion is 170 degrees.\n"
           "Therapist: Supination is 80 degrees.")
    assert [line for line, _k, _v in measures.range_of_motion_lines(t)] == [
        "Right shoulder flexion: 150 degrees.", "Right shoulder abduction: 120 degrees.",
        "Shoulder flexion: 170 degrees.", "Supination: 80 degrees."]
    # no joint said anywhere near: the motion alone, never a guess
    t = _t("Therapist: Flexion is ninety degrees today.")
    assert measures.range_of_motion_lines(t)[0][0] == "Flexion: 90 degrees."


def test_grip_strength_by_side_with_last_weeks_value():
    t = _t("Therapist: Grip strength on the right is twenty-two pounds; your left hand is fifty-eight. "
           "Last week the right was eighteen.\n"
           "Therapist: Lateral pinch, right, nine pounds. Now three sets of ten with the putty on the left.\n"
           "Doctor: grip strength is five out of five bilaterally .")
    assert [line for line, _k, _v in measures.strength_lines(t)] == [
        "Grip strength: right 22 pounds (last week 18); left 58 pounds.", "Lateral pinch strength: right 9 pounds."]


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


def test_a_count_said_with_its_own_percentage_is_an_accuracy_reading():
    t = _t("Therapist: That was sixteen out of twenty on naming, eighty percent. Last week you got twelve out of twenty.\n"
           "Therapist: With a cue you got seven of ten sentences complete.\n"
           "Therapist: Two out of three of your kids, so about sixty percent of the family.")
    got = [(a.percent, a.correct, a.trials) for a in measures.accuracies(t)]
    assert got == [(80, 16, 20), (70, 7, 10)]  # last week's count has no percent; 2 of 3 is not 60 %


_THOUGHT_RECORD = (
    'Therapist: And the hot thought?\nClient: "I\'m going to fail the exam."\n'
    "Therapist: How much do you believe it, zero to a hundred?\nClient: Ninety.\n"
    "Therapist: And the shame, how strong?\nClient: Like, seventy.\n"
    "Therapist: What's the evidence for it?\nClient: I failed the practice test.\n"
    "Therapist: And against it?\nClient: I passed the last three exams.\n"
    "Therapist: Anything else?\nClient: My tutor says I'm ready.\n"
    'Therapist: A more balanced thought?\nClient: "One practice test doesn\'t decide the exam."\n'
    "Therapist: How much do you believe that?\nClient: Sixty? Yeah.\n"
    'Therapist: And the original one, "I\'m going to fail the exam," now?\nClient: Lower. Like thirty.\n'
    "Therapist: And the shame?\nClient: Forty, maybe.")


def test_a_thought_record_gives_each_belief_and_emotion_its_own_line_in_order():
    lines = [line for line, _name, _values in measures.hundred_lines(_t(_THOUGHT_RECORD))]
    assert lines == ['Belief in the thought "I\'m going to fail the exam" (0-100): 90; later 30.',
                     "Shame (0-100): 70; later 40.",
                     'Belief in the thought "One practice test doesn\'t decide the exam" (0-100): 60.']


def test_hundred_ratings_need_the_exercise_to_be_opened_with_its_scale():
    # No 0-100 cue: a quoted phrase and a number in the reply are not a belief rating.
    t = _t('Doctor: Your mother said "he is always tired." How many hours do you sleep?\nPatient: Six.\n'
           "Doctor: Your ejection fraction is fifty five percent. Are you anxious about it?\nPatient: Twenty minutes "
           "of worry a day, maybe.")
    assert measures.hundred_ratings(t) == []
    # A 0-100 question answered with something else is left out, not guessed.
    t = _t("Therapist: How much do you believe it, zero to a hundred?\nClient: Hard to say.\n")
    assert measures.hundred_ratings(t) == []


def test_the_one_skill_practised_between_two_ratings_names_the_change():
    rated = ("Therapist: Where's your anxiety right now, zero to ten?\nClient: Like a seven.\n"
             "Therapist: {between}\nClient: Okay.\n"
             "Therapist: Where are you now, zero to ten?\nClient: Like a four.")
    t = _t(rated.format(between="Let's do the paced breathing. In for four, out for six."))
    assert measures.rating_lines(t)[0][0] == "Anxiety rating (0-10): 7 now; 4 after paced breathing."
    # Two different skills: which one helped is not for a rule to say.
    t = _t(rated.format(between="Let's try the body scan first. Then let's do some grounding."))
    assert measures.rating_lines(t)[0][0] == "Anxiety rating (0-10): 7 now; later 4."


EXERCISE_SESSION = """Therapist: Okay, exercises. Straight leg raises, three sets of ten. Tighten the thigh first.
Patient: These burn.
Therapist: Next, mini squats at the counter, just down to about forty-five degrees, three sets of fifteen.
Therapist: Okay, step-ups. This one's new. Four-inch step, lead with the left, three sets of ten.
Therapist: The bruise on your shin is about two by three centimeters, it will fade.
Therapist: Let's go through a few things. Three by ten is what I'd like.
Therapist: So, home program changes. Add the step-ups, three by ten, on the bottom stair at home. Add the mini squats, 3x15."""


def test_exercises_are_read_with_their_sets_and_reps_and_the_home_program_apart():
    lines = {home: (line, done) for line, done, home in measures.exercise_lines(parse_transcript(EXERCISE_SESSION))}
    line, done = lines[False]
    # The exercise named in an earlier sentence of the turn ("Okay, step-ups.") is the one dosed.
    # How it is done, said before the dosage, stays with it (a squat's depth, the step's height).
    assert line == ("Exercises (sets x reps): straight leg raises 3 x 10; mini squats at the counter (just down to "
                    "about forty-five degrees) 3 x 15; step-ups (four-inch step, lead with the left) 3 x 10.")
    assert lines[True][0] == "Home exercise program (sets x reps): step-ups 3 x 10; mini squats 3 x 15."


def test_a_size_or_a_dosage_with_no_exercise_named_is_not_an_exercise():
    names = [e.name for e in measures.exercises(parse_transcript(EXERCISE_SESSION))]
    assert not any("bruise" in n or "things" in n for n in names)
    assert len(names) == 5


def test_a_draft_that_gives_each_exercise_with_its_numbers_needs_no_line():
    assert measures.exercise_named("mini squats at the counter", 3, 15, "Mini squats: 3 sets of 15 at the counter.")
    assert not measures.exercise_named("mini squats at the counter", 3, 15, "Mini squats were performed.")
    assert not measures.exercise_named("heel raises", 2, 20, "Straight leg raises 2 x 20.")
