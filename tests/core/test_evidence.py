"""Evidence links: every sentence of a draft points at the segments that support it."""

import json
from pathlib import Path

import pytest

from soapdesk.core import evidence
from soapdesk.core.transcript_text import parse_transcript

FIX = Path(__file__).parent / "fixtures"

TEXT = """Therapist: Are you still taking the sertraline?
Client: Yeah, fifty milligrams, every morning. I haven't missed any.
Therapist: How's sleep been?
Client: Bad. I wake up at like three and can't get back to sleep.
Therapist: Any thoughts of hurting yourself?
Client: No, nothing like that.
Therapist: Same time next Monday?
Client: Monday. Yeah."""


@pytest.fixture(scope="module")
def t():
    return parse_transcript(TEXT)


def test_correct_citation_is_supported(t):
    r = evidence.verify_sentence("Client takes sertraline 50 mg every morning.", [2], t)
    assert r.supported and 2 in r.evidence


def test_spelled_out_numbers_match_digits(t):
    assert evidence.verify_sentence("Client wakes at 3 am and cannot get back to sleep.", [4], t).supported


def test_wrong_citation_is_repaired_by_search(t):
    r = evidence.verify_sentence("Client takes sertraline 50 mg every morning.", [8], t)
    assert r.supported and 2 in r.evidence and "cited" in r.reason.lower()


def test_uncited_true_sentence_gets_evidence(t):
    r = evidence.verify_sentence("Next session is Monday.", [], t)
    assert r.supported and 7 in r.evidence or 8 in r.evidence


def test_nonexistent_ids_reported(t):
    r = evidence.verify_sentence("Client takes sertraline 50 mg every morning.", [99], t)
    assert "99" in r.reason and r.supported


def test_invented_dose_is_unsupported(t):
    r = evidence.verify_sentence("Client takes sertraline 100 mg every morning.", [2], t)
    assert not r.supported and "100" in r.reason


def test_invented_medication_is_unsupported(t):
    r = evidence.verify_sentence("Client takes lorazepam every morning.", [2], t)
    assert not r.supported and "lorazepam" in r.reason


def test_boilerplate_does_not_count_as_support(t):
    r = evidence.verify_sentence("The client reports that the client stated feeling discussed today.", [], t)
    assert not r.supported


def test_not_addressed_is_supported_by_definition(t):
    r = evidence.verify_sentence("Not addressed in session.", [], t)
    assert r.supported and r.evidence == []


def test_risk_sentence_supported_by_question_and_answer(t):
    r = evidence.verify_sentence("Client denied thoughts of self-harm.", [6], t)
    assert r.supported and {5, 6} <= set(r.evidence)
    assert not evidence.verify_sentence("Client endorsed thoughts of self-harm.", [6], t).supported


def test_link_section_and_json(t):
    out = evidence.link_section("Client takes sertraline 50 mg. Sleep is bad; wakes at 3. Not addressed in session.",
                                t, [[2], [4], []])
    assert [r.supported for r in out] == [True, True, True]
    assert set(out[0].to_json()) == {"text", "evidence", "supported", "reason"}


@pytest.mark.parametrize("sid", ["dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee"])
def test_reference_notes_mostly_supported(sid):
    tr = parse_transcript((FIX / "therapy" / f"{sid}.txt").read_text())
    note = json.loads((FIX / "notes" / f"{sid}.json").read_text())
    results = [r for text in note["sections"].values() for r in evidence.link_section(text, tr)]
    assert sum(not r.supported for r in results) <= 3


def test_a_quotation_is_one_statement_with_its_label(t):
    # A line SoapDesk adds quotes the client; cut at the quote's inner full stop, its second half
    # is the client's speech with nothing to show it is quoted (and reads as pasted dialogue).
    line = 'Sertraline: discussed ("Yeah, fifty milligrams, every morning. I haven\'t missed any.").'
    assert evidence.ct.split_sentences(line + " Next session Monday.") == [line, "Next session Monday."]
    # A quote that closes with the sentence still ends it; an unclosed one does not swallow the line.
    assert evidence.ct.split_sentences('Thinking "I\'m going to get fired." Feelings named: sad.') == [
        'Thinking "I\'m going to get fired.', "Feelings named: sad."]
    assert len(evidence.ct.split_sentences('She said "stop. Then left. Later back.')) == 3
    # An item's number inside a line is numbering, not a sentence ("The number 3 is not said").
    assert evidence.ct.split_sentences("1. Naming: 80%. 2. Sentences: 7 of 10. 3. Swallowing: no cough.") == [
        "Naming: 80%.", "Sentences: 7 of 10.", "Swallowing: no cough."]
    # Alone or at the end of a turn it may be an answer: "Pain, zero to ten?" "4."
    assert evidence.ct.split_sentences("4.") == ["4."]
    assert evidence.ct.split_sentences("Most nights. 4.") == ["Most nights.", "4."]
    [result] = evidence.verify_sentences([line], t)
    assert result.supported
