"""The chief complaint is cut to the complaint only when the note loses nothing."""

from soapdesk.core import chief_complaint
from soapdesk.core.note import Section

HPI = ("The patient is a 62-year-old male who reports chest pain that started after yard work last weekend. "
       "It was worse in the hot weather.")


def _note(cc: str, hpi: str = HPI) -> list[Section]:
    return [Section("chief_complaint", "Chief Complaint", cc),
            Section("history_of_present_illness", "History of Present Illness", hpi)]


def test_lead_in_and_a_story_the_history_tells_leave_the_complaint():
    note = _note("The patient reports chest pain that started after yard work.")
    assert chief_complaint.shorten(note)
    assert note[0].text == "Chest pain."
    note = _note("She has been experiencing chest pain, with pain worse in hot weather.")
    assert chief_complaint.shorten(note) and note[0].text == "Chest pain."


def test_how_long_or_what_it_includes_is_story_when_the_history_tells_it():
    hpi = ("He reports left shoulder pain for the last 3 weeks. It has not improved. "
           "He has had 2 episodes of pneumonia, especially in winter.")
    note = _note("The patient reports left shoulder pain for the last 3 weeks.", hpi)
    assert chief_complaint.shorten(note) and note[0].text == "Left shoulder pain."
    note = _note("Mason developed recurrent lung infections, including pneumonia, especially in winter.", hpi)
    assert chief_complaint.shorten(note) and note[0].text == "Recurrent lung infections."


def test_a_clause_only_the_complaint_says_stays():
    # "exacerbated by high blood pressure" is said nowhere else: cutting it would lose it.
    cc = "The patient reports chest pain that started after yard work and was exacerbated by high blood pressure."
    note = _note(cc)
    assert not chief_complaint.shorten(note)
    assert note[0].text == cc


def test_a_complaint_that_is_already_short_or_not_a_report_is_left_alone():
    for cc in ("Chest pain.", "Hypertension is poorly controlled.", "Follow-up of chronic problems."):
        note = _note(cc)
        assert not chief_complaint.shorten(note) and note[0].text == cc


def test_a_note_without_a_chief_complaint_is_untouched():
    secs = [Section("subjective", "Subjective", "The client reports low mood since Monday.")]
    assert not chief_complaint.shorten(secs)
    assert secs[0].text == "The client reports low mood since Monday."
