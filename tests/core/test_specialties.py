"""Specialty profiles."""

import pytest

from soapdesk.core import specialties as sp
from soapdesk.core import templates
from soapdesk.core.errors import BadInput


def test_24_profiles_each_with_a_loadable_template_and_matching_hints():
    allsp = sp.all_specialties()
    assert len(allsp) == 24
    for s in allsp:
        t = templates.load(s.default_template)
        assert set(s.section_hints) <= set(t.keys) | {"*"}, s.id
        assert s.vocabulary, s.id


@pytest.mark.parametrize("name, sid", [("nurse_practitioner", "nurse_practitioner"), ("physician", "physician"),
                                       ("therapist", "individual_therapy"), ("PT", "physical_therapy"),
                                       ("ob-gyn", "obgyn"), ("LCSW", "social_work")])
def test_aliases(name, sid):
    assert sp.load_specialty(name).id == sid


def test_unknown_specialty_is_typed_and_lists_ids():
    with pytest.raises(sp.UnknownSpecialty) as err:
        sp.load_specialty("astrology")
    assert isinstance(err.value, BadInput)
    assert "physical_therapy" in str(err.value)


def test_apply_specialty_adds_hints_to_instructions():
    base = templates.load("pt_daily")
    t = sp.apply_specialty(base, "physical_therapy")
    assert t.keys == base.keys
    assert "97110" in t.sections[1].instruction and base.sections[1].instruction in t.sections[1].instruction


def test_malformed_specialty_file_rejected():
    with pytest.raises(sp.SpecialtiesInvalid):
        sp.parse('[[specialty]]\nid = "Bad Id"\ntitle = "x"\ndefault_template = "soap"\n')
    with pytest.raises(sp.SpecialtiesInvalid):
        sp.parse('[[specialty]]\nid = "a"\ntitle = "A"\ndefault_template = "soap"\naliases = ["x"]\n'
                 '[[specialty]]\nid = "b"\ntitle = "B"\ndefault_template = "soap"\naliases = ["x"]\n')
