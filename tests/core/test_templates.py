"""Templates are data files; a broken one is rejected with its line and reason."""

import pytest

from soapdesk.core import templates
from soapdesk.core.errors import TemplateInvalid, UnknownTemplate


def test_required_formats_ship_with_their_sections():
    assert templates.load("soap").keys == ["subjective", "objective", "assessment", "plan"]
    assert templates.load("dap").keys == ["data", "assessment", "plan"]
    assert templates.load("birp").keys == ["behavior", "intervention", "response", "plan"]
    assert templates.load("girp").keys == ["goals", "intervention", "response", "plan"]
    med = templates.load("medical")
    assert [s.title for s in med.sections] == [
        "Chief Complaint", "History of Present Illness", "Review of Systems",
        "Physical Examination", "Results", "Assessment and Plan"]


def test_the_medical_review_of_systems_and_exam_are_read_by_rule_and_survive_a_specialty():
    from soapdesk.core.drafting import READERS
    from soapdesk.core.specialties import apply_specialty

    med = templates.load("medical")
    assert [s.reader for s in med.sections] == ["", "", "review_of_systems", "physical_exam", "", ""]
    cardio = apply_specialty(med, "cardiology")
    assert [s.reader for s in cardio.sections][2:4] == ["review_of_systems", "physical_exam"]
    assert set(READERS) == set(templates.READERS)  # a reader a template may name is one drafting can run


def test_every_shipped_section_has_its_own_instruction():
    for tid in templates.available():
        t = templates.load(tid)
        assert len({s.instruction for s in t.sections}) == len(t.sections), tid


def test_unknown_template_lists_the_choices():
    with pytest.raises(UnknownTemplate, match="soap"):
        templates.load("nonexistent")


def test_user_template_is_picked_up_and_can_override(tmp_path):
    d = templates.user_dir()
    d.mkdir(parents=True)
    (d / "pie.toml").write_text(
        'id = "pie"\ntitle = "PIE"\n\n[[section]]\nkey = "problem"\ntitle = "Problem"\ninstruction = "The problem."\n')
    assert templates.load("pie").keys == ["problem"]


@pytest.mark.parametrize("body, line, reason", [
    ('id = "x"\n[[section]]\nkey = "a"\ntitle = "A"\n', 2, "no 'instruction'"),
    ('id = "x"\n[[section]]\nkey = "a"\ntitle = "A"\ninstruction = "i"\n[[section]]\nkey = "a"\n'
     'title = "B"\ninstruction = "j"\n', 6, "appears twice"),
    ('id = "x"\ntitle = "unterminated\n', 2, ""),
    ('id = "x"\n[[section]]\nkey = "Bad Key"\ntitle = "A"\ninstruction = "i"\n', 2, "lower-case"),
    ('id = "x"\nperson = "customer"\n[[section]]\nkey = "a"\ntitle = "A"\ninstruction = "i"\n', 2,
     "'person' must be one of client, patient"),
    ('id = "x"\n[[section]]\nkey = "a"\ntitle = "A"\ninstruction = "i"\nreader = "vitals"\n', 2,
     "the readers are review_of_systems"),
    ('id = "x"\n[[section]]\nkey = "a"\ntitle = "A"\ninstruction = "i"\nlength = 10\n', 2,
     "it must be a number from 0.5 to 3.0"),
    ('id = "x"\n[[section]]\nkey = "a"\ntitle = "A"\ninstruction = "i"\nlength = "long"\n', 2,
     "has length 'long'"),
])
def test_malformed_template_names_line_and_reason(body, line, reason):
    d = templates.user_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / "broken.toml").write_text(body)
    with pytest.raises(TemplateInvalid) as err:
        templates.load("broken")
    assert f"line {line}" in str(err.value)
    assert reason in str(err.value)
