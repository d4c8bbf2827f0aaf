"""The chief complaint as a chief complaint: the reason for the visit in a few words.

Asked for "the main reason for the visit in a few words", the small model
writes a sentence: "The patient reports chest pain that started after yard
work and was exacerbated by high blood pressure." The lead-in says nothing,
and the clause after the complaint is history, sometimes with a cause the
visit never gave (here the blood pressure). The clinician wants "Chest pain."

The lead-in goes always; the clause after the complaint goes only when the
rest of the note already says it (the same test as section_lanes), so the
note loses nothing. The first sentence alone is kept only when what stays is
a short phrase; anything else is left as the model wrote it.
"""

from __future__ import annotations

import re

from soapdesk.core.section_lanes import SENTENCE_BREAK, RestOfNote

KEY = "chief_complaint"
MOST_WORDS = 10

_LEAD_IN = re.compile(
    r"^(?:the (?:patient|client)|[A-Z][a-z]+|he|she|they)\s+"
    r"(?:reports?|describes?|complains? of|presents?(?: with| for)?|is presenting (?:with|for)|"
    r"comes? in (?:with|for)|is here (?:with|for)|developed|"
    r"(?:has been|is) (?:experiencing|struggling with|having|suffering from|complaining of|seen for))\s+"
    r"(?:a |an |her |his |their )?", re.I)
# Where the complaint ends and its story begins.
_STORY = re.compile(
    r"(?:,\s*(?:with|which|causing|and is|that|who|as|but|including|especially)\b|"
    r"\s+(?:that|which|due to|caused by|after|since|causing|for the (?:past|last)|for \w+ (?:days|weeks|months)))\b",
    re.I)


def complaint_and_story(sentence: str) -> tuple[str, str] | None:
    """The complaint after a lead-in ("The patient reports chest pain") and the story clause after it
    ("that started after yard work", "" when there is none); None when the sentence has no lead-in."""
    lead = _LEAD_IN.match(sentence)
    if not lead or len(sentence) == lead.end():
        return None
    complaint = sentence[lead.end():]
    story = _STORY.search(complaint)
    return (complaint[:story.start()], complaint[story.start():]) if story else (complaint, "")


def shorten(sections: list) -> bool:
    """Shorten the chief complaint section in place; True when it changed."""
    sec = next((s for s in sections if s.key == KEY), None)
    if sec is None:
        return False
    text = sec.text.strip()
    first = SENTENCE_BREAK.split(text.split("\n")[0])[0].rstrip(".!? ")
    parts = complaint_and_story(first)
    if parts is None:
        return False
    complaint, story = parts
    if story:
        rest = RestOfNote(sections, sec)
        after = text[len(first):].strip(" .!?\n")
        if not rest.says(story) or (after and not rest.says(after)):
            return False
    elif text.rstrip(".!? ") != first:
        return False  # more than one sentence, and the rest is not known to be said elsewhere
    complaint = complaint.strip(" ,;")
    if not complaint or len(complaint.split()) > MOST_WORDS:
        return False
    sec.text = complaint[0].upper() + complaint[1:] + "."
    return True
