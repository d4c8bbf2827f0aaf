"""Checks for whisper's known failure modes. Pure functions, no model needed.

- Phantom phrases: on silence or noise whisper invents YouTube-style lines
  ("Thanks for watching", "Thank you.", a lone "you"). Those never belong in
  a clinical note, so they are dropped (T35).
- Repetition loops: on long audio whisper can repeat an n-gram dozens of
  times. The run is collapsed to one copy and the caller records a warning.
- Prompt echo: a biasing prompt can be recited back as if it were speech;
  `echoes_prompt` spots a run of vocabulary terms in prompt order.
- Coverage: a decode that skips speech (the other failure of biasing) leaves
  a long stretch of VAD-detected speech without any segment, or one long
  segment with far too few words for its length (`is_sparse`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence


@dataclass
class RawSegment:
    """What whisper returned for one segment (times in seconds)."""

    start: float
    end: float
    text: str
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# Never said in a therapy session; always whisper's training data talking.
_ALWAYS_PHANTOM = {
    "thanks for watching", "thank you for watching", "thank you so much for watching",
    "please subscribe", "like and subscribe", "subscribe to my channel",
    "please like and subscribe", "see you in the next video", "see you next time",
}
_ALWAYS_PHANTOM_PREFIX = ("subtitles by", "transcribed by", "captions by", "translated by", "transcription by")
# Plausible in a session, so dropped only when whisper itself was unsure.
_PHANTOM_IF_UNSURE = {
    "you", "thank you", "thanks", "thank you very much", "bye", "bye bye", "okay", "ok", "so",
    "oh", "um", "uh", "hmm", "the end", "i'm sorry", "yeah",
}


def is_phantom(seg: RawSegment) -> bool:
    """True if the segment is a hallucination that should not be kept."""
    norm = " ".join(words(seg.text))
    if not norm:
        return True  # only punctuation or music symbols
    if norm in _ALWAYS_PHANTOM or norm.startswith(_ALWAYS_PHANTOM_PREFIX):
        return True
    unsure = seg.no_speech_prob > 0.3 or seg.avg_logprob < -0.7
    if norm in _PHANTOM_IF_UNSURE and unsure:
        return True
    # whisper's own "no speech" rule, applied per segment
    return seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0


def collapse_repetition(text: str, *, max_n: int = 8) -> tuple[str, bool]:
    """Collapse an n-gram repeated many times in a row to a single copy.

    Thresholds leave ordinary speech alone ("no, no, no", "very very"): a
    1-word unit must repeat 5+ times, longer units 4+ times (3+ for 4+ words).
    Returns (text, changed).
    """
    tokens = text.split()
    keys = [" ".join(words(t)) for t in tokens]
    changed = False
    for n in range(1, max_n + 1):
        need = 5 if n == 1 else (4 if n < 4 else 3)
        i = 0
        out_tokens, out_keys = [], []
        while i < len(tokens):
            unit = keys[i : i + n]
            reps = 1
            if len(unit) == n and any(unit):
                while keys[i + reps * n : i + (reps + 1) * n] == unit:
                    reps += 1
            if reps >= need:
                out_tokens += tokens[i : i + n]
                out_keys += keys[i : i + n]
                i += reps * n
                changed = True
            else:
                out_tokens.append(tokens[i])
                out_keys.append(keys[i])
                i += 1
        tokens, keys = out_tokens, out_keys
    return " ".join(tokens), changed


_FILLERS = {"and", "or", "the", "a"}


def echoes_prompt(text: str, terms: Sequence[str], prompt: str = "", *, min_run: int = 3) -> bool:
    """True if `text` recites the biasing prompt: `min_run`+ vocabulary terms
    back to back in prompt order, or 8+ consecutive words of the prompt verbatim."""
    toks = words(text)
    if not toks:
        return False
    if prompt:
        p = words(prompt)
        grams = {tuple(p[i : i + 8]) for i in range(len(p) - 7)}
        if any(tuple(toks[i : i + 8]) in grams for i in range(len(toks) - 7)):
            return True
    # (start, end, prompt index) of every term occurrence in the text
    hits = []
    for idx, term in enumerate(terms):
        tw = words(term)
        if not tw:
            continue
        for i in range(len(toks) - len(tw) + 1):
            if toks[i : i + len(tw)] == tw:
                hits.append((i, i + len(tw), idx))
    hits.sort()
    best = run = 0
    prev = None
    for start, end, idx in hits:
        adjacent = prev is not None and idx > prev[2] and (
            start == prev[1] or (start == prev[1] + 1 and toks[prev[1]] in _FILLERS))
        run = run + 1 if adjacent else 1
        best = max(best, run)
        prev = (start, end, idx)
    return best >= min_run


def is_sparse(seg: RawSegment, *, min_duration_s: float = 12.0, min_words_per_s: float = 1.5) -> bool:
    """A long segment with few words: whisper stopped emitting timestamps and
    ended the 30-s chunk early, silently skipping speech. Measured here: with
    any hotwords/initial_prompt, tiny.en returned one 30.0-s segment holding
    only the first sentence of a continuous clip. Real segments are < ~10 s and
    conversational speech runs at 2-3 words/s even with short pauses."""
    duration = seg.end - seg.start
    return duration >= min_duration_s and len(words(seg.text)) < min_words_per_s * duration


def coverage_gaps(segments: Sequence[RawSegment], speech_s: float, max_gap_s: float) -> list[tuple[float, float]]:
    """Stretches longer than `max_gap_s` of `[0, speech_s]` that no segment covers.

    Times are on the VAD-collected timeline (speech only, pauses < 2 s kept),
    so any long uncovered stretch is speech whisper skipped.
    """
    gaps = []
    covered = 0.0
    for seg in sorted(segments, key=lambda s: s.start):
        if seg.start - covered > max_gap_s:
            gaps.append((covered, seg.start))
        covered = max(covered, seg.end)
    if speech_s - covered > max_gap_s:
        gaps.append((covered, speech_s))
    return gaps
