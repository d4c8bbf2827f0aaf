"""Passphrase rules: long enough, and not something a guesser tries first.

Length is what matters most against offline guessing (the key file may be
copied with a laptop backup), so the rules are few: at least 12 characters,
not one repeated character or a keyboard/alphabet run, not a well-known
password with digits tacked on.
"""

from __future__ import annotations

from soapdesk.store.errors import WeakPassphrase

MIN_LENGTH = 12

# Short list of what guessers try first; matched after stripping digits and
# punctuation so "Password123!!" counts as "password".
_COMMON = frozenset(
    """
    password passw0rd letmein welcome iloveyou admin administrator qwerty qwertyuiop
    asdfghjkl zxcvbnm monkey dragon football baseball sunshine princess master
    shadow superman trustno1 whatever freedom secret changeme therapist therapy
    soapdesk passphrase correcthorsebatterystaple abcdefghijkl abc
    """.split()
)

_RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789012345678901234567890",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn",
)


def weakness(passphrase: str) -> str | None:
    """The reason `passphrase` is too weak, or None if it is acceptable."""
    if not passphrase or not passphrase.strip():
        return "The passphrase is empty."
    if len(passphrase) < MIN_LENGTH:
        return f"The passphrase must be at least {MIN_LENGTH} characters long."
    folded = passphrase.lower()
    if len(set(folded)) <= 2:
        return "The passphrase repeats one or two characters; use several words instead."
    if _is_run(folded):
        return "The passphrase is a keyboard or alphabet sequence."
    core = "".join(ch for ch in folded if ch.isalpha())
    if core in _COMMON or _repeats_short_unit(folded):
        return "The passphrase is a common password; use several unrelated words instead."
    return None


def check(passphrase: str) -> None:
    reason = weakness(passphrase)
    if reason:
        raise WeakPassphrase(reason)


def _is_run(s: str) -> bool:
    compact = s.replace(" ", "")
    for run in _RUNS:
        if compact in run or compact in run[::-1]:
            return True
    return False


def _repeats_short_unit(s: str) -> bool:
    """'abcabcabcabc', 'hellohellohello': a unit of ≤ 5 chars repeated."""
    for size in range(1, 6):
        unit = s[:size]
        if len(s) % size == 0 and unit * (len(s) // size) == s:
            return True
    return False
