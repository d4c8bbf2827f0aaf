"""Sentences written into a findings section that the note already says where they belong.

A small model fills the sections for what the clinician found (Physical
Examination, Results, Objective) with what the patient reported, the drugs
they take and the plan -- "The patient is taking digoxin for atrial
fibrillation." and "The patient will come back in two weeks to get a
follow-up x-ray." under Physical Examination -- after it has already written
them in the history and the plan. The clinician then reads each fact two or
three times, and the findings are hard to see among them.

Such a sentence is removed from the findings section only when the rest of the
note already carries most of its content words and all of its numbers, so
nothing the draft said is lost. A sentence that says something the rest of the
note does not stays where it is, for the clinician to move.

The Review of Systems goes system by system. The model also files the drugs,
the x-ray and the surgery there under their own labels ("Flexeril: Taken five
milligrams three times a day", "X-ray: subtle dorsal displacement ...",
"Knee pain: The patient reports ..."), after the history, results and plan
said them. A line whose label is not a body system leaves the review by the
same rule: only when the rest of the note holds it, and never a negated one.
"""

from __future__ import annotations

import re

from soapdesk.core import clinical_text as ct
from soapdesk.core.prompts import NOT_ADDRESSED

# Sections for what the clinician observed, examined or measured.
FINDINGS = ("physical_examination", "results", "objective")

# What marks a sentence as a report, a medication history or a plan.
_OUT_OF_LANE = re.compile(
    r"\b(?:reports?|reported|states?|stated|describes?|described|complains?|complained|"
    r"taking|takes|prescribed|will|should|recommend\w*|advised|follow[- ]up|come back|return|"
    # Orders and drug changes said as done ("Hemoglobin A1c and CBC ordered.", "Metformin continued.")
    r"ordered|orders?|continued|continues|continue|increased|decreased|started|stopped)\b", re.I)
# A negated sentence always stays: its words may match a sentence elsewhere that
# says the opposite ("denies chest pain" against "reports chest pain"), and the
# grounding check must see both.
_NEGATED = re.compile(r"\b(?:no|not|denies|denied|without|never|none|negative)\b|n't\b", re.I)
# Share of a sentence's content words the rest of the note must hold.
_COVERED = 0.7
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


REVIEW_OF_SYSTEMS = "review_of_systems"
_LABEL = re.compile(r"^\s*(?:[-*\u2022]\s*)?([^:\n]{1,40}):")


# Words that carry nothing for the test ("Aspirin: yes" says only "aspirin").
_FILLER = {"yes"}


def _stems(text: str) -> set[str]:
    return {ct.norm_stem(w) for w in ct.content_stems(text)} - _FILLER


class RestOfNote:
    """What the note says outside one section: a line may leave that section only
    when this already holds most of its content words and all of its numbers."""

    def __init__(self, sections: list, sec) -> None:
        rest = " ".join(s.text for s in sections if s is not sec)
        self.stems, self.numbers = _stems(rest), ct.number_values(rest)

    def says(self, text: str) -> bool:
        stems = _stems(text)
        return bool(stems) and len(stems & self.stems) / len(stems) >= _COVERED and (
            ct.number_values(text) <= self.numbers)


def _set_text(sec, lines: list[str]) -> None:
    text = "\n".join(lines).strip()
    if text != sec.text.strip():
        sec.text = text or NOT_ADDRESSED


def drop_repeated_out_of_lane(sections: list) -> int:
    """Remove such sentences from the findings sections in place; returns how many."""
    removed = _drop_review_lines_out_of_system(sections)
    for sec in sections:
        if sec.key not in FINDINGS:
            continue
        rest = RestOfNote(sections, sec)
        lines = []
        for line in sec.text.split("\n"):
            kept = []
            for sentence in SENTENCE_BREAK.split(line):
                if _OUT_OF_LANE.search(sentence) and not _NEGATED.search(sentence) and rest.says(sentence):
                    removed += 1
                    continue
                kept.append(sentence)
            if line.strip() and not any(k.strip() for k in kept):
                continue
            lines.append(" ".join(kept))
        _set_text(sec, lines)
    return removed


def _drop_review_lines_out_of_system(sections: list) -> int:
    removed = 0
    for sec in sections:
        if sec.key != REVIEW_OF_SYSTEMS:
            continue
        rest = RestOfNote(sections, sec)
        lines = []
        for line in sec.text.split("\n"):
            label = _LABEL.match(line)
            if (label and not ct.BODY_SYSTEM.fullmatch(label.group(1).strip()) and not _NEGATED.search(line)
                    and rest.says(line)):
                removed += 1
                continue
            lines.append(line)
        _set_text(sec, lines)
    return removed
