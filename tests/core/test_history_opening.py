"""The history opens with who the patient is and why they came, and never with an age nobody said."""

from soapdesk.core import history_opening
from soapdesk.core.drafting import Generation, LlamaDrafter
from soapdesk.core.note import Section
from soapdesk.core.pipeline import Pipeline
from soapdesk.core.settings import Settings
from soapdesk.core.transcript_text import parse_transcript

SAID_AGE = parse_transcript("[doctor] ms. thompson is a forty three year old female here for her knee .\n"
                            "[patient] it hurts on the inside .")
NO_AGE = parse_transcript("[doctor] hi , how are you ?\n[patient] my knee hurts on the inside since the fall .")


def _note(cc: str, hpi: str) -> list[Section]:
    return [Section("chief_complaint", "Chief Complaint", cc),
            Section("history_of_present_illness", "History of Present Illness", hpi)]


def test_the_reason_for_the_visit_joins_a_bare_introduction():
    note = _note("Right knee pain.", "The patient is a 43-year-old female. She fell on Sunday.")
    assert history_opening.open_history(note, SAID_AGE)
    assert note[1].text == ("The patient is a 43-year-old female who presents today for evaluation of right knee "
                            "pain. She fell on Sunday.")
    note = _note("Follow-up of chronic problems.",
                 "Logan is a 58-year-old male with a past medical history significant for diabetes.\nHe is well.")
    assert history_opening.open_history(note, parse_transcript("[doctor] logan is a 58 year old male ."))
    assert note[1].text == ("Logan is a 58-year-old male with a past medical history significant for diabetes who "
                            "presents today for follow-up of chronic problems.\nHe is well.")


def test_an_age_nobody_said_leaves_the_opening():
    note = _note("Right knee pain.", "The patient is a 45-year-old female. She fell on Sunday.")
    assert history_opening.open_history(note, NO_AGE)
    assert note[1].text.startswith("The patient is a female who presents today for evaluation of right knee pain.")
    note = _note("The knee.", "The patient is a 35-year-old male who reports knee pain for 3 weeks.")
    assert history_opening.open_history(note, NO_AGE)
    assert note[1].text == "The patient is a male who reports knee pain for 3 weeks."


def test_a_chief_complaint_with_a_story_is_cut_to_the_complaint_or_not_used():
    note = _note("The patient reports a right wrist injury that occurred yesterday on the stairs.",
                 "The patient is a 43-year-old female.")
    assert history_opening.open_history(note, SAID_AGE)
    assert note[1].text == ("The patient is a 43-year-old female who presents today for evaluation of right "
                            "wrist injury.")
    for cc in ("Feeling well.", "Fell on the stairs. Then the wrist swelled.", "None.",
               "Pain in the right knee, the left hip, and the lower back after a long fall down the stairs."):
        note = _note(cc, "The patient is a 43-year-old female.")
        assert not history_opening.open_history(note, SAID_AGE), cc
        assert note[1].text == "The patient is a 43-year-old female."


def test_an_opening_that_says_more_or_a_history_that_gives_the_reason_keeps_its_words():
    for hpi in ("The patient is a 43-year-old female who fell on the stairs on Sunday.",
                "The patient is a 43-year-old female. She presents today for follow-up of knee pain.",
                "She fell on the stairs on Sunday."):
        note = _note("Right knee pain.", hpi)
        assert not history_opening.open_history(note, SAID_AGE), hpi
        assert note[1].text == hpi
    secs = [Section("subjective", "Subjective", "The client reports low mood since Monday.")]
    assert not history_opening.open_history(secs, NO_AGE)


class _AnswersBySection(LlamaDrafter):
    """Fixed model answers per section key, to see what the pipeline does with them."""

    def __init__(self, answers: dict[str, str]):
        super().__init__("unused.gguf", model_id="scripted", n_ctx=4096)
        self.answers = answers

    def load(self):
        return None

    def count_tokens(self, text):
        return len(text) // 4

    def generate(self, prompt, *, max_tokens, key="", on_text=None, cancel=None):
        return Generation(self.answers.get(key, ""), True, 10, 5, 0.1, 0.2)


def test_a_drafted_physician_note_opens_without_the_invented_age_and_with_the_reason():
    drafter = _AnswersBySection({
        "chief_complaint": "The patient reports right knee pain that started after a fall on the stairs.",
        "history_of_present_illness": "The patient is a 45-year-old female. She fell on the stairs on Sunday.",
        "assessment_and_plan": "Right knee sprain.\nMedical Treatment: Ibuprofen as needed."})
    note = Pipeline(Settings(), drafter=drafter).draft(NO_AGE, "medical")
    hpi = next(s for s in note.sections if s.key == "history_of_present_illness")
    assert hpi.text.startswith("The patient is a female who presents today for evaluation of right knee pain. ")
    assert not any("45" in w for w in note.warnings)
