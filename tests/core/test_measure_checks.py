"""A number the session said, reused in a draft with another unit or as another rating, is flagged."""

from __future__ import annotations

from soapdesk.core import grounding
from soapdesk.core.transcript_text import parse_transcript

SESSION = parse_transcript(
    "Therapist: What's your pain right now, zero to ten?\n"
    "Patient: Right now, like a four.\n"
    "Therapist: And at its worst this week?\n"
    "Patient: Probably a six? At night.\n"
    "Therapist: One hundred and five degrees of flexion. Last week you were at ninety-five.\n"
    "Therapist: Step-ups, three by ten. Mini squats, three sets of fifteen. Eight minutes on the bike.\n"
    "Patient: I walked for half an hour yesterday and lost 3 and a half pounds this month.")


def _flags(sentence):
    return [f for f in grounding.check_sections({"objective": sentence}, SESSION) if f.kind in ("measure", "number")]


def test_numbers_used_as_said_pass():
    for ok in ("Pain 4/10 now, 6/10 at worst.", "Flexion 105 degrees (last week 95 degrees).",
               "Step-ups 3 x 10; mini squats 3 sets of 15 reps.", "Bike 8 minutes.",
               "Walked 30 minutes; weight down 3.5 pounds."):
        assert _flags(ok) == [], ok


def test_a_said_number_with_another_unit_is_flagged():
    reasons = [f.reason for f in _flags("Walking 3 miles; step-ups 4 sets of 10 reps; flexion 95 minutes.")]
    assert "The session never says 3 miles." in reasons
    assert "The session never says 4 sets." in reasons
    assert "The session never says 95 minutes." in reasons


def test_a_rating_never_given_is_flagged_even_when_the_number_was_said():
    reasons = [f.reason for f in _flags("The right knee pain rating is 10 now and 95 at worst.")]
    assert any("pain rating 10 was not given" in r and "4, 6" in r for r in reasons)
    assert any(r.startswith("95 is given as a 0-10 pain rating") for r in reasons)


def test_sizes_and_temperatures_are_not_sets_or_range_of_motion():
    t = parse_transcript("Doctor: the mass was 0.4 by 2 by 3 centimeters . your temperature is 99.7 .")
    flags = [f for f in grounding.check_sections(
        {"results": "Mass 0.4 by 2 by 3 cm. Temperature 99.7 degrees Fahrenheit."}, t) if f.kind == "measure"]
    assert flags == []


def test_an_accuracy_never_read_out_is_flagged():
    t = parse_transcript("Therapist: Sixteen out of twenty correct on /s/ blends, eighty percent accuracy.\n"
                         "Therapist: We worked for twenty minutes, ninety seconds of rest between sets.")
    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    assert reasons("/s/ blends at word level: 16/20 correct (80% accuracy).") == []
    assert reasons("/s/ blends at word level: 90% accuracy.") == [
        "The accuracy 90% was not given in the session (accuracies said: 80%)."]



def test_a_count_of_trials_the_session_never_gave_is_flagged_but_not_a_rating_or_a_date():
    # Said as "sixteen out of twenty ... eighty percent", with no word "accuracy": an SLP
    # draft wrote it as "8 out of 10 (80%)", every number of which the session says somewhere.
    t = parse_transcript("Therapist: It's been about eight weeks since the stroke. Let's start with naming.\n"
                         "Therapist: That was sixteen out of twenty on naming, eighty percent. "
                         "Last week you got twelve out of twenty.\n"
                         "Therapist: With a cue you got seven of ten sentences complete. Ten minutes twice a day.\n"
                         "Therapist: Any pain today? Client: Three out of ten in the shoulder.")
    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    assert reasons("Confrontation naming: 8 out of 10 pictures (80%).") == [
        "The count 8 of 10 was not said in the session (counts said: 3 of 10, 7 of 10, 12 of 20, 16 of 20)."]
    assert reasons("Naming 16/20 correct (80%), up from 12/20 last week; sentences 7 of 10 with a cue.") == []
    assert reasons("Shoulder pain 3/10; naming 80% accuracy.") == []
    assert reasons("Seen 12/20/26 for naming, 80% accuracy.") == []


def test_a_measurement_unit_said_once_carries_to_the_bare_numbers_after_it():
    t = parse_transcript("Therapist: Grip strength on the right is twenty-two pounds; your left hand is fifty-eight. "
                         "Last week the right was eighteen.\n"
                         "Therapist: Three times a week. We did twelve minutes on the bike.")
    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    assert reasons("Grip strength: right 22 lbs (18 lbs last week), left 58 lbs.") == []
    assert reasons("Grip strength right 12 lbs.") == ["The session never says 12 pounds."]


THOUGHT_RECORD = parse_transcript(
    "Therapist: And the hot thought -- the one with the most charge?\n"
    "Client: \"I'm going to get fired.\"\n"
    "Therapist: In that moment, how much did you believe it, zero to a hundred?\n"
    "Client: Ninety-five.\n"
    "Therapist: And the embarrassment, how strong?\n"
    "Client: Like, eighty.\n"
    "Therapist: So what might be a more balanced way to put it?\n"
    "Client: Maybe... \"She's picky with everyone, the comments are about the report.\"\n"
    "Therapist: How much do you believe that?\n"
    "Client: Sixty.\n"
    "Therapist: And the original one, \"I'm going to get fired,\" now?\n"
    "Client: Lower. Like forty.\n"
    "Therapist: And the embarrassment?\n"
    "Client: Fifty, maybe. I wake up at three-thirty most nights, and she left twelve comments.\n"
    "Therapist: Your PHQ-9 today is fourteen.")


def _rating_flags(sentence):
    return [f.reason for f in grounding.check_sections({"objective": sentence}, THOUGHT_RECORD)
            if f.kind in ("measure", "number")]


def test_thought_record_ratings_as_given_pass():
    for ok in ("Belief in the thought \"I'm going to get fired\" dropped from 95 to 40; embarrassment decreased "
               "from 80 to 50; belief in the balanced thought was 60.",
               "The client was embarrassed (80/100), later 50.",
               "The client believed she would be fired (95), and the PHQ-9 was 14.",
               "Belief in the thought 'I'm going to get fired' was 95, and she received twelve comments.",
               "The client wakes at 3:30 and believes the manager is watching."):
        assert _rating_flags(ok) == [], ok


def test_a_rating_given_to_the_wrong_belief_or_emotion_is_flagged_though_the_number_was_said():
    # A 1.5B draft: the balanced thought was rated 60 only; 30 is in the session as "three-thirty".
    reasons = _rating_flags("The client's belief in the thought 'She's picky with everyone, and the comments are "
                            "about the report' was 60, but it decreased to 30 after lunch.")
    assert reasons == ["The belief rating 30 (0-100) was not given in the session (ratings said: 60)."]
    reasons = _rating_flags("Embarrassment was 95 and came down to 50.")
    assert reasons == ["The embarrassment rating 95 (0-100) was not given in the session (ratings said: 50, 80)."]


def test_an_exercise_given_another_exercises_sets_and_reps_is_flagged():
    t = parse_transcript("Therapist: Mini squats at the counter, three sets of fifteen.\n"
                         "Therapist: Then heel raises, two sets of twenty.\n"
                         "Therapist: At home, add the step-ups, three by ten.")

    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    # 3 and 15 were said as sets and reps, so only the exercise's own dosage shows the error.
    assert reasons("Heel raises, 3 sets of 15.") == ["The session gave heel raises as 2 x 20, not 3 x 15."]
    assert reasons("Heel raises 2 x 20; mini squats 3 x 15.") == []
    assert reasons("Home program: step-ups 3 x 10 and mini squats 3x15.") == []
    assert reasons("Calf stretches, 3 sets of 15.") == []  # not an exercise the session dosed


def test_an_exercise_taken_off_the_program_and_listed_in_it_is_flagged():
    t = parse_transcript("Therapist: Keep the heel slides, twice a day. Add the step-ups, three by ten, at home. "
                         "And you can drop the ankle pumps now -- you're walking plenty.")

    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"plan": sentence}, t) if f.kind == "measure"]

    # A PT draft's Plan, as the 1.5B model wrote it.
    assert reasons("Home exercise program changes: Step-ups, mini squats, ankle pumps.") == [
        "The session took ankle pumps off the program; the note lists it as part of it."]
    assert reasons("Ankle pumps were dropped from the home program.") == []
    assert reasons("Continue heel slides twice a day; add step-ups 3 x 10 at home.") == []


def test_minutes_an_intervention_was_not_given_are_flagged():
    # Timed minutes set billing units: a PT draft listed every category the template names,
    # each with minutes, for a session that gave minutes to four of them.
    t = parse_transcript("Therapist: Ten minutes of manual therapy on the knee first.\n"
                         "Therapist: Today was thirty-three minutes of therapeutic exercise, twelve minutes of "
                         "manual therapy, five minutes of gait training on the stairs, and the ten minutes of ice.\n"
                         "Therapist: Next we add the step-ups, three by ten.")

    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    for ok in ("Therapeutic exercise: 33 minutes.", "Manual therapy for 12 minutes.", "Manual therapy 10 minutes.",
               "Modalities: 10 minutes.", "Therapeutic exercise: step-ups 3 x 10."):
        assert reasons(ok) == [], ok
    assert reasons("Neuromuscular re-education: 5 minutes.") == [
        "The session gives no minutes for neuromuscular re-education; the note gives it 5."]
    assert reasons("Gait training: 10 minutes.") == ["The session gives gait training 5 minutes, not 10."]
    assert reasons("Modalities: 5 minutes.") == ["The session gives the modalities 10 minutes, not 5."]


def test_sets_and_reps_given_to_a_billing_category_are_flagged():
    t = parse_transcript("Therapist: Straight leg raises, three sets of ten.\n"
                         "Therapist: Twelve minutes of manual therapy, then gait training on the stairs.")

    def reasons(sentence):
        return [f.reason for f in grounding.check_sections({"objective": sentence}, t) if f.kind == "measure"]

    assert reasons("Manual therapy: 3 sets of 10 reps on the knee.") == [
        "Sets and reps are given to manual therapy, but the session gave them only to exercises."]
    assert reasons("Gait training: 3 sets of 10 reps on the stairs.") == [
        "Sets and reps are given to gait training, but the session gave them only to exercises."]
    assert reasons("Therapeutic exercise: straight leg raises 3 x 10.") == []
    assert reasons("Straight leg raises 3 sets of 10 reps.") == []


def test_a_change_said_to_go_down_while_its_numbers_go_up_is_flagged():
    # The PT draft on this build read "4 now, 6 at worst" as a trend the wrong way round.
    reasons = [f.reason for f in _flags("The patient's pain level decreased from a 4 to a 6, and it worsened at night.")]
    assert reasons == ['The note says "decreased" from 4 to 6, but 6 is higher than 4.']
    for ok in ("Flexion increased from 95 to 105 degrees.", "Pain decreased from 6 to 4.",
               "Pain was 4 now, and flexion went from 95 to 105 degrees."):
        assert _flags(ok) == [], ok
