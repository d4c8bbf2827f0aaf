"""The model's spoken wording written the way a note writes it, without changing a fact."""

from soapdesk.core import clinical_style as cs
from soapdesk.core import clinical_text as ct


def test_doses_and_scores_are_written_in_digits_and_units():
    text = "Increase furosemide to eighty milligrams once a day. Ejection fraction forty-five percent."
    assert cs.restyle(text) == "Increase furosemide to 80 mg daily. Ejection fraction 45%."
    assert cs.restyle("Pain is four and a half out of ten, a three out of six murmur.") == (
        "Pain is 4.5/10, a 3/6 murmur.")
    assert cs.restyle("She is a forty-five-year-old with type two diabetes.") == (
        "She is a 45-year-old with type 2 diabetes.")


def test_every_number_keeps_the_value_the_checks_read():
    text = ("Blood pressure a hundred and twenty over eighty. Metformin one thousand milligrams twice a day. "
            "Seen two weeks ago, one or two drinks a week, minus three degrees of extension.")
    assert ct.number_values(cs.restyle(text)) == ct.number_values(text)


def test_words_that_are_not_a_count_stay_words():
    text = "No one else was there. The left one hurts more. One of the tablets is missing."
    assert cs.restyle(text) == text
    # two numbers said in one breath, and what is joined to them, are left as said: "one twenty over
    # eighty" is 120/80, not "one 20 over 80"; "three-thirty" is a time
    assert cs.restyle("Blood pressure one twenty over eighty.") == "Blood pressure one twenty over eighty."
    assert cs.restyle("Wakes at three-thirty.") == "Wakes at three-thirty."
    assert cs.restyle("One week ago, one tablet.") == "1 week ago, 1 tablet."
    # beside a number in digits: "17 5 weeks ago" would read as two scores
    assert cs.restyle("A GAD-7 of 15 now and 17 five weeks ago.") == "A GAD-7 of 15 now and 17 five weeks ago."


def test_quotations_are_never_rewritten():
    text = 'The client said "fifty milligrams every morning, once a day" and takes fifty milligrams.'
    assert cs.restyle(text) == 'The client said "fifty milligrams every morning, once a day" and takes 50 mg.'


def test_pronoun_only_from_the_clinicians_words():
    assert cs.patient_pronoun("[doctor] hi mrs. hill , how are you ?") == "she"
    assert cs.patient_pronoun("[doctor] patient is a 58 year old male with ...") == "he"
    # a first name, an interjection or nothing at all is no evidence of anyone's gender
    assert cs.patient_pronoun("[doctor] hi donna , how are you ?") is None
    assert cs.patient_pronoun("[doctor] oh man , that looks itchy .") is None
    assert cs.patient_pronoun("[doctor] i'm seeing mrs . peterson , she's a 43-year-old patient .") == "she"
    assert cs.patient_pronoun("[doctor] so he's a 59 year old hiv positive gentleman here for ...") == "he"
    # words that only look like an honorific
    assert cs.patient_pronoun("[patient] i miss them every year . [doctor] any history of ms and ...") is None
    assert cs.patient_pronoun("[doctor] good morning ms. reyes ! ... next , mr arthrogram of the hip") == "she"
    assert cs.patient_pronoun("[doctor] hey , miss miller , how are you today ?") == "she"
    # someone else named in the room: the cues disagree and the note keeps "the patient"
    assert cs.patient_pronoun("[doctor] hi mrs. hill . mr. jones will take your blood .") is None


def test_the_patient_becomes_the_pronoun_after_the_introduction():
    text = ("The patient is a 58-year-old male with hypertension. The patient reports chest pain.\n"
            "- The patient denies fever. The patient's knee is swollen. We will see the patient in 2 weeks.")
    assert cs.restyle(text, pronoun="he") == (
        "The patient is a 58-year-old male with hypertension. He reports chest pain.\n"
        "- He denies fever. His knee is swollen. We will see the patient in 2 weeks.")
    assert cs.restyle("The patient's mother has diabetes.", pronoun="she") == "Her mother has diabetes."
    assert cs.restyle("The patient reported that they had pain in their legs.", pronoun="she") == (
        "She reported that she had pain in her legs.")
    # "they" that cannot be told apart from someone else, and anyone else named, leave the sentence as written
    for kept in ("The patient will call after they complete their physical.",
                 "The patient and her husband sold their house."):
        assert cs.refer_to_patient(kept, "she") == kept.replace("The patient", "She")
    assert cs.restyle("The patient reports chest pain.") == "The patient reports chest pain."


def test_the_rewritten_sentences_keep_their_evidence_and_raise_no_flags():
    from soapdesk.core import evidence, grounding
    from soapdesk.core.transcript_text import parse_transcript

    t = parse_transcript("Doctor: What do you take, Mrs. Hill?\n"
                         "Patient: I take twenty milligrams of lisinopril once a day.\n"
                         "Doctor: Your pressure is a hundred and thirty over eighty-five, and the murmur is three "
                         "out of six.")
    spoken = "The patient takes lisinopril twenty milligrams once a day. A three out of six murmur."
    written = cs.restyle(spoken, pronoun=cs.patient_pronoun(t.text))
    assert written == "She takes lisinopril 20 mg daily. A 3/6 murmur."
    assert [(r.supported, r.evidence) for r in evidence.link_section(written, t)] == [
        (r.supported, r.evidence) for r in evidence.link_section(spoken, t)] == [(True, [2]), (True, [3])]
    assert grounding.check_sections({"plan": written}, t) == []
