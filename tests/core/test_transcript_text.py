"""Typed transcripts become the same segments audio produces, with speaker roles."""

import pytest

from soapdesk.core.errors import TranscriptEmpty
from soapdesk.core.transcript import CLIENT, CLINICIAN, OTHER, UNKNOWN
from soapdesk.core.transcript_text import parse_transcript


def test_therapist_client_tags():
    t = parse_transcript("Therapist: How was your week?\nClient: Rough. I slept maybe four hours a night.\n")
    assert [s.speaker for s in t.segments] == [CLINICIAN, CLIENT]
    assert t.segments[1].text == "Rough. I slept maybe four hours a night."
    assert [s.id for s in t.segments] == [1, 2]


def test_aci_bench_bracket_tags_and_guest():
    t = parse_transcript("[doctor] hi , how are you ?\n[patient] okay .\n[patient_guest] she has not been sleeping .")
    assert [s.speaker for s in t.segments] == [CLINICIAN, CLIENT, OTHER]


def test_numbered_speakers_are_unknown_but_keep_their_label():
    t = parse_transcript("Speaker 1: hello\nSpeaker 2: hi there")
    assert [s.speaker for s in t.segments] == [UNKNOWN, UNKNOWN]
    assert [s.speaker_label for s in t.segments] == ["Speaker 1", "Speaker 2"]


def test_patient_and_named_doctor():
    t = parse_transcript("Dr. Lee: Any chest pain?\nPatient: No.")
    assert [s.speaker for s in t.segments] == [CLINICIAN, CLIENT]


def test_untagged_line_continues_previous_turn():
    t = parse_transcript("Client: I stopped the sertraline\nabout two weeks ago.\nTherapist: Okay.")
    assert len(t.segments) == 2
    assert t.segments[0].text == "I stopped the sertraline about two weeks ago."


def test_colon_inside_speech_is_not_a_speaker_tag():
    t = parse_transcript("Client: My goal: sleep by eleven.\nTherapist: Good.")
    assert t.segments[0].text == "My goal: sleep by eleven."


def test_plain_dictation_splits_into_small_segments():
    text = "Client reports better sleep. Taking sertraline 50 mg daily. PHQ-9 was 9. Denies SI.\n\nPlan: continue CBT."
    t = parse_transcript(text)
    assert all(s.speaker == UNKNOWN for s in t.segments)
    assert len(t.segments) >= 2
    assert "sertraline 50 mg" in t.text


def test_crlf_and_nul_are_tolerated():
    t = parse_transcript("Therapist: hi\r\nClient: he\x00llo\r\n")
    assert t.segments[1].text == "hello"


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Therapist:\nClient:   "])
def test_empty_transcript_is_a_clear_error(text):
    with pytest.raises(TranscriptEmpty, match="empty"):
        parse_transcript(text)


def test_shipped_therapy_sessions_parse_fully():
    from pathlib import Path

    eval_dir = Path(__file__).resolve().parents[3] / "shared" / "eval" / "therapy"
    files = sorted(eval_dir.glob("*.txt"))
    if not files:
        pytest.skip("shared/eval is not beside this checkout")
    for f in files:
        t = parse_transcript(f.read_text())
        assert all(s.speaker in (CLINICIAN, CLIENT) for s in t.segments), f.name
