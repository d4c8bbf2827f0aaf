"""Medical visits and tests the client reports, in their own words.

In a mental-health note a recent medical work-up belongs to the history: an
urgent-care visit for a pounding heart with a normal EKG is what lets the
clinician read the palpitations as anxiety, and the next clinician needs to
know it was done. The small drafting model drops such a story as small talk.
This reader finds the client's sentences telling of a visit, an admission or
a test that already happened; when the draft never names that place or test,
the sentence is added to the client's account as a quote (session_facts),
like the sleep and substance amounts.
"""

from __future__ import annotations

import re

from soapdesk.core import clinical_text as ct
from soapdesk.core.sleep_and_substances import clients_sentence, is_plan
from soapdesk.core.transcript import Transcript

DOMAIN = "Medical care"
# Places and tests of medical care. Not "my doctor" alone: "my doctor wants me to try it" is
# a prescriber's plan, and the prescriber is followed with the medications.
CARE = re.compile(r"\b(?:urgent care|emergency room|emergency department|the ER|the E\.R\.|(?:the )?hospital|"
                  r"admitted(?: me)?(?: (?:to|into) (?:the |a )?(?:hospital\w*|ward|unit|ICU|psych\w*|inpatient)| overnight|"
                  r" for (?:observation|\w+ (?:days?|nights?)))|ambulance|EKG|ECG|electrocardiogram|blood ?work|blood tests?|labs|MRI|CT scan|"
                  r"CAT scan|x-rays?|ultrasound|stress test|cardiologist|neurologist|walk-in clinic)\b", re.I)
# It happened: "I went", "they did", "it came back". Told in the past, not a plan.
_HAPPENED = re.compile(r"\b(?:went|was|were|had|did|got|saw|took|ran|came back|admitted|checked|ended up)\b", re.I)
# Someone else's care ("my mom was in the hospital") is theirs, not the client's history.
_SOMEONE_ELSE = re.compile(r"\b(?:mom|mother|dad|father|sister|brother|friend|wife|husband|partner|boyfriend|"
                           r"girlfriend|son|daughter|kids?|grand\w+|aunt|uncle|cousin|roommate|coworker|boss|"
                           r"he|she|his|her)\b|\bwork(?:ed|s|ing)? (?:at|in|for)\b", re.I)
_SAME = {"ecg": "ekg", "electrocardiogram": "ekg", "emergency department": "emergency room", "the er": "emergency room",
         "the e.r.": "emergency room", "bloodwork": "blood work", "blood test": "blood work",
         "blood tests": "blood work", "labs": "blood work", "the hospital": "hospital", "x-rays": "x-ray",
         "cat scan": "ct scan"}
_MAX_QUOTE = 240
_MAX_VISITS = 2


def care_words(text: str) -> set[str]:
    """The places and tests `text` names, one spelling each ("ECG" is "ekg")."""
    return {_SAME.get(w, w) for w in (m.group(0).lower() for m in CARE.finditer(text))}


def visits(transcript: Transcript) -> list[str]:
    """The client's sentences telling of medical care that happened, in session order (at most two)."""
    out: list[str] = []
    for seg in transcript.segments:
        for sentence in ct.split_sentences(seg.text):
            if len(out) >= _MAX_VISITS:
                return out
            if (CARE.search(sentence) and _HAPPENED.search(sentence) and ct.FIRST_PERSON.search(sentence)
                    and not _SOMEONE_ELSE.search(sentence) and clients_sentence(seg, sentence)
                    and not is_plan(sentence) and not sentence.rstrip().endswith("?")
                    and len(sentence) <= _MAX_QUOTE):
                out.append(sentence)
    return out


def told(text: str, quote: str) -> bool:
    """The draft names every place and test of the client's account ("urgent care", "EKG")."""
    return care_words(quote) <= care_words(text)
