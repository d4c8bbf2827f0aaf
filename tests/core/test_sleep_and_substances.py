"""The client's own amounts of sleep, caffeine, alcohol and the like, and the note lines made of them."""

from __future__ import annotations

import pytest

from soapdesk.core import prompts, templates
from soapdesk.core.note import Section
from soapdesk.core.session_facts import add_missing_facts, checked_facts, section_facts
from soapdesk.core.sleep_and_substances import amounts, sleep_pattern
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

SESSION = """Therapist: How's sleep been?
Client: Bad. So I fall asleep fine, but then I wake up at like three, three-thirty, and my brain starts going. So I'm getting maybe four and a half, five hours?
Therapist: Let's get to the coffee in a bit. How has the week gone with worry?
Client: My friend didn't text me back for, like, two days. And I spiraled.
Therapist: Walk me through the coffee.
Client: Four cups, yeah. Most days. And the energy drink, like, every workday.
Therapist: Could you drop one?
Client: I could maybe cut down to two cups.
Therapist: Anxiety right now, zero to ten?
Client: After talking about the coffee... like a seven.
Therapist: Which skill did you use?
Client: The grounding one, when I was in bed.
Therapist: And alcohol?
Client: Maybe two glasses of wine on a Saturday.
Therapist: How long does it take you to fall asleep?
Client: Forever. Takes me forever to fall asleep. Like an hour."""


def test_the_clients_amounts_are_read_by_topic_in_their_own_words():
    found = [(a.domain, a.quote) for a in amounts(parse_transcript(SESSION))]
    assert ("Sleep", "So I fall asleep fine, but then I wake up at like three, three-thirty, and my brain starts "
                     "going.") in found
    # No sleep word in it: the question and the turn say what it is about, and the sentence before is kept.
    assert ("Sleep", "So I'm getting maybe four and a half, five hours?") in found
    # How often, said right after, belongs to the amount.
    assert ("Caffeine", "Four cups, yeah. Most days. And the energy drink, like, every workday.") in found
    assert ("Alcohol", "Maybe two glasses of wine on a Saturday.") in found
    assert ("Sleep", "Takes me forever to fall asleep. Like an hour.") in found


def test_what_is_not_an_amount_of_use_is_left_out():
    quotes = " | ".join(a.quote for a in amounts(parse_transcript(SESSION)))
    assert "two days" not in quotes  # answers a question about worry, not the coffee said before it
    assert "cut down to two cups" not in quotes  # a plan, not what the client uses
    assert "like a seven" not in quotes  # a 0-10 rating, read with the ratings
    assert "grounding one" not in quotes  # "one" as a pronoun
    assert all("Therapist" not in q and "Could you" not in q for q in quotes.split(" | "))


@pytest.mark.parametrize("quote, turn, pattern", [
    ("I fall asleep fine, but then I wake up at like three, three-thirty.",
     "I fall asleep fine, but then I wake up at like three, three-thirty. And I can't get back to sleep.",
     "early-morning awakening, cannot get back to sleep; falls asleep without trouble"),
    ("I wake up around four and then I'm up for the day.", "",
     "early-morning awakening, cannot get back to sleep"),
    # Waking at three and falling back asleep is not early-morning awakening.
    ("I wake up at three to pee but I go right back to sleep.", "", ""),
    ("I wake up at six thirty, it's fine.", "And I can't get back to sleep after the alarm.", ""),
    ("Takes me forever to fall asleep. Like an hour.", "", "trouble falling asleep"),
    ("It's hard to fall asleep, maybe an hour.", "", "trouble falling asleep"),
    ("I sleep about seven hours.", "", ""),
])
def test_the_kind_of_sleep_trouble_is_named_only_when_the_client_describes_it(quote, turn, pattern):
    assert sleep_pattern(quote, turn or quote) == pattern


def test_an_amount_takes_the_topic_said_before_it_not_after():
    t = parse_transcript("Therapist: What happened after you called?\nClient: We talked for maybe half an hour. I "
                         "went home and went to bed.\nTherapist: How many nights a week is that happening?\n"
                         "Client: Most. Five out of seven, probably.")
    assert [(a.domain, a.quote) for a in amounts(t)] == [("Sleep", "Five out of seven, probably.")]


def test_with_unknown_speakers_only_first_person_sentences_are_quoted():
    t = Transcript([Segment(0, "So three or four cups of coffee a day, then."),
                    Segment(1, "I have four cups of coffee most days.")])
    assert [a.quote for a in amounts(t)] == ["I have four cups of coffee most days."]


def test_an_amount_the_draft_leaves_out_is_added_as_the_clients_words_not_asked_for():
    t = parse_transcript(SESSION)
    soap = templates.load("soap")
    # Not in the model's request: with quotes there, the 1.5B model copied its fact list as the section.
    assert "four cups" not in section_facts(t, soap.keys, "subjective").lower()
    sections = [Section("subjective", "Subjective", "The client reports poor sleep, about four and a half to five "
                                                    "hours a night, and drinks coffee."),
                Section("objective", "Objective", prompts.NOT_ADDRESSED),
                Section("plan", "Plan", "Cut down on caffeine.")]
    add_missing_facts(sections, t)
    first = sections[0].text
    assert 'Caffeine, in the client\'s words: "Four cups, yeah. Most days.' in first
    assert "wake up at like three, three-thirty" in first  # the waking time was left out
    assert "So I'm getting maybe four and a half, five hours?" not in first  # the hours were in the draft
    assert 'Sleep (trouble falling asleep), in the client\'s words: "Takes me forever to fall asleep. Like an hour."' \
        in first
    assert "Sleep" not in sections[2].text


def test_an_intake_puts_substance_use_in_its_own_section():
    t = parse_transcript(SESSION)
    intake = templates.load("intake")
    sections = [Section(s.key, s.title, prompts.NOT_ADDRESSED) for s in intake.sections]
    add_missing_facts(sections, t)
    by_key = {s.key: s.text for s in sections}
    assert "two glasses of wine" in by_key["substance_use"] and "Four cups" in by_key["substance_use"]
    assert "Like an hour" in by_key["history_of_present_illness"]




def test_a_recording_without_speaker_labels_quotes_the_clients_own_stretches():
    # Whisper gives no speakers: a first-person stretch that never says "you" is the client's,
    # so "Maybe six hours." is kept beside "I fall asleep around midnight"; "once or twice" is an amount.
    t = Transcript([Segment(0, "How is your sleep?"),
                    Segment(1, "I fall asleep around midnight and wake up at six. Maybe six hours. "
                               "I still wake up once or twice."),
                    Segment(2, "So you sleep about six hours, and I'd like you to keep a sleep diary."),
                    Segment(3, "I recommend cutting the coffee to two cups before noon.")])
    assert [a.quote for a in amounts(t)] == ["I fall asleep around midnight and wake up at six.",
                                             "Maybe six hours.", "I still wake up once or twice."]
    fact = next(f for f in checked_facts(t) if "once or twice" in f.note_line)
    assert fact.stated("Sleep: wakes once or twice a night.")
    assert not fact.stated("Sleep: about six hours a night.")
