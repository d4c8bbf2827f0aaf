"""What the client brought in when asked how the week went, kept in their own words."""

from __future__ import annotations

from soapdesk.core import since_last_session
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: How's the week been?
Client: Um. Busy. Loud, in my head.
Therapist: Loud how? How has the week gone with worry? Anything that stood out?
Client: Um, yeah, actually. So, my friend from college didn't text me back for, like, two days. And I completely spiraled. Because she tried to kill herself a few years ago.
Therapist: That sounds scary. Any thoughts of hurting yourself?
Client: No. Never."""


def test_the_answer_that_tells_a_story_is_quoted_without_its_filler():
    assert since_last_session.answers(parse_transcript(SESSION)) == [
        "So, my friend from college didn't text me back for, like, two days. And I completely spiraled. Because "
        "she tried to kill herself a few years ago."]


def test_a_draft_that_garbles_the_story_gets_the_clients_words_and_one_that_tells_it_does_not():
    t = parse_transcript(SESSION)
    garbled = [Section("data", "Data", "The client reports worry about the carousel and a friend. The client "
                                       "denies suicidal ideation and self-harm.")]
    add_missing_facts(garbled, t)
    assert 'Since the last session, in the client\'s words: "So, my friend from college' in garbled[0].text
    told = [Section("data", "Data", "The client spiraled when a college friend did not text back for two days. "
                                    "The client denies suicidal ideation and self-harm.")]
    add_missing_facts(told, t)
    assert "Since the last session" not in told[0].text


def test_the_friends_attempt_in_the_quote_is_not_read_as_the_clients_risk():
    t = parse_transcript(SESSION)
    sections = [Section("data", "Data", "The client reports worry.")]
    add_missing_facts(sections, t)
    from soapdesk.core import grounding
    assert not [f for f in grounding.check_sections({"data": sections[0].text}, t) if f.kind == "risk"]
