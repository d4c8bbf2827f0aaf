"""Evidence links: which transcript segments support each sentence of a draft.

The model cites segment ids per sentence; they may be missing or wrong. Each
sentence is checked deterministically:
- its content words (stemmed, stopwords and note boilerplate such as "the
  client reports" removed), its numbers (digits and spoken: "fifty" == 50) and
  its names (medications, weekdays, months, questionnaire names, other
  capitalised words) are looked up in the cited segments and their immediate
  neighbours (a client's "No." needs the question before it);
- supported = every number and name is found, and at least 40% of the
  content words are (at least one);
- a sentence about risk (SI, self-harm, HI...) is supported by the risk
  screen's evidence when it agrees with the screen (soapdesk.core.risk);
- when the cited segments do not support it, the whole transcript is searched
  for the best 1-3 segments, so a true but uncited sentence still gets evidence.
"Not addressed in session." and the like are supported by definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from soapdesk.core import clinical_text as ct
from soapdesk.core.transcript import Transcript

MIN_COVERAGE = 0.4
MAX_SEGMENTS = 5


@dataclass
class SentenceEvidence:
    text: str
    evidence: list[int]
    supported: bool
    reason: str

    def to_json(self) -> dict:
        return {"text": self.text, "evidence": list(self.evidence), "supported": self.supported,
                "reason": self.reason}


@dataclass
class Claims:
    stems: list[str]
    numbers: set[float]
    names: dict[str, str]  # normalised name → as written


@dataclass
class _Seg:
    id: int
    stems: set[str]
    numbers: set[float]
    names: set[str]
    low: str


@dataclass
class TranscriptIndex:
    segs: list[_Seg] = field(default_factory=list)
    by_id: dict[int, int] = field(default_factory=dict)
    numbers: set[float] = field(default_factory=set)


_CACHE: dict[int, tuple[Transcript, TranscriptIndex]] = {}
_DENOMINATOR = re.compile(r"(?:/\s*(?:10|100|27|21|5)\b|\bout of (?:10|ten|100)\b|\b0\s*[-–]\s*(?:10|100)\b|"
                          r"\bzero to (?:ten|a hundred|100)\b|\(\s*0\s*[-–]\s*\d+\s*\)|\bon a scale of [^,.;]+)", re.I)
_CODES = re.compile(r"\b(?:9\d{4}|97\d{3}|G\d{4})\b|\b[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
# A list's numbering is not a finding: "1. Hypertension", "Problem 1:", "#2 Diabetes", "Goal 2:".
_ORDINAL = re.compile(r"^\s*(?:[-\u2022*]\s*)?#?\d{1,2}[.)]\s+(?=[A-Za-z])|(?<![\w/])#\s?\d{1,2}\b|"
                      r"\b(?:problem|issue|diagnosis|item|goal|objective|step)\s+#?\d{1,2}(?=\s*[:.)-])", re.I)
_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z]{2,}(?:-\d+)?)\b")


def _names_in(text: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for written, generic, _, _ in ct.find_medications(text):
        names["med:" + generic] = written
    for d in ct.weekdays(text):
        names["day:" + d] = d
    for m in ct.months(text):
        names["month:" + m] = m
    for m in ct.SCALE_NAME.finditer(text):
        key = re.sub(r"[^a-z]", "", m.group(0).lower().split("-")[0])
        if len(key) >= 2:
            names["scale:" + key] = m.group(0)
    return names


def clean_numbers(text: str) -> set[float]:
    """The numbers a sentence claims: no scale denominators ("4/10", "0-10"),
    no billing codes; times ("3:30") as hours."""
    t = _DENOMINATOR.sub(" ", text)
    t = _CODES.sub(" ", t)
    t = _ORDINAL.sub(" ", t)
    vals: set[float] = set()
    for m in _TIME.finditer(t):
        h, mi = int(m.group(1)), int(m.group(2))
        vals.add(h + mi / 60 if mi else float(h))
    t = _TIME.sub(" ", t)
    vals |= {abs(n.value) for n in ct.find_numbers(t)}
    return vals


def claims_of(sentence: str) -> Claims:
    sentence = ct.SYSTEM_LABEL.sub("", sentence)
    stems = [ct.norm_stem(s) for s in ct.content_stems(sentence)]
    names = _names_in(sentence)
    # words that are names are checked as names, not also as content words
    name_stems = {ct.stem(w) for v in names.values() for w in ct.words(v)}
    stems = [s for s in dict.fromkeys(stems) if s not in name_stems]
    return Claims(stems, clean_numbers(sentence), names)


def build_index(transcript: Transcript) -> TranscriptIndex:
    hit = _CACHE.get(id(transcript))
    if hit and hit[0] is transcript:
        return hit[1]
    idx = TranscriptIndex()
    for s in transcript.segments:
        stems = {ct.norm_stem(x) for x in ct.content_stems(s.text, keep_boilerplate=True)}
        nums = {abs(v) for v in ct.number_values(s.text)}
        names = set(_names_in(s.text))
        idx.by_id[s.id] = len(idx.segs)
        idx.segs.append(_Seg(s.id, stems, nums, names, s.text.lower()))
        idx.numbers |= nums
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(transcript)] = (transcript, idx)
    return idx


def _stem_found(stem: str, pool: set[str]) -> bool:
    if stem in pool:
        return True
    if len(stem) >= 5:
        for p in pool:
            if len(p) >= 5 and p[:5] == stem[:5]:
                if p.startswith(stem) or stem.startswith(p):
                    return True
                k = 5
                while k < min(len(p), len(stem)) and p[k] == stem[k]:
                    k += 1
                if min(len(p), len(stem)) - k <= 1:  # belief / believ
                    return True
    return False


def _score(claims: Claims, segs: list[_Seg]) -> tuple[bool, float, list, list, int]:
    stems: set[str] = set().union(*(s.stems for s in segs)) if segs else set()
    nums: set[float] = set().union(*(s.numbers for s in segs)) if segs else set()
    names: set[str] = set().union(*(s.names for s in segs)) if segs else set()
    matched = sum(1 for s in claims.stems if _stem_found(s, stems))
    missing_nums = sorted(n for n in claims.numbers if n not in nums)
    missing_names = [v for k, v in claims.names.items() if k not in names]
    coverage = matched / len(claims.stems) if claims.stems else 1.0
    enough = (coverage >= MIN_COVERAGE and matched >= 1) if claims.stems else bool(claims.numbers or claims.names)
    ok = enough and not missing_nums and not missing_names
    return ok, coverage, missing_nums, missing_names, matched


def _gain(claims: Claims, seg: _Seg) -> float:
    g = sum(1 for s in claims.stems if _stem_found(s, seg.stems))
    g += 2 * sum(1 for n in claims.numbers if n in seg.numbers)
    g += 2 * sum(1 for k in claims.names if k in seg.names)
    return g


def _search(claims: Claims, idx: TranscriptIndex) -> list[_Seg]:
    """Greedy cover: the segment adding most support, up to MAX_SEGMENTS."""
    chosen: list[_Seg] = []
    for _ in range(MAX_SEGMENTS):
        ok = _score(claims, chosen)[0] if chosen else False
        if ok:
            break
        best, best_gain = None, 0.0
        base = sum(_gain(claims, s) for s in chosen)
        for seg in idx.segs:
            if seg in chosen:
                continue
            g = _gain(claims, _merge(chosen + [seg])) - base
            if g > best_gain:
                best, best_gain = seg, g
        if best is None:
            break
        chosen.append(best)
    return chosen


def _merge(segs: list[_Seg]) -> _Seg:
    return _Seg(-1, set().union(*(s.stems for s in segs)), set().union(*(s.numbers for s in segs)),
                set().union(*(s.names for s in segs)), "")


def _with_neighbours(idx: TranscriptIndex, ids: list[int]) -> list[_Seg]:
    out: list[_Seg] = []
    for i in ids:
        k = idx.by_id[i]
        for j in (k - 1, k, k + 1):
            if 0 <= j < len(idx.segs) and idx.segs[j] not in out:
                out.append(idx.segs[j])
    return out


def _fmt_nums(ns: list[float]) -> str:
    return ", ".join(ct.fmt_number(n) for n in ns)


def verify_sentence(text: str, cited: Iterable[int] | None, transcript: Transcript) -> SentenceEvidence:
    idx = build_index(transcript)
    text = text.strip()
    cited_list = [int(i) for i in (cited or []) if isinstance(i, (int, str)) and str(i).lstrip("-").isdigit()]
    if ct.NOT_ADDRESSED.match(text):
        return SentenceEvidence(text, [], True, "States that the topic was not addressed; nothing to support.")
    risk_ev = _risk_support(text, transcript)
    if risk_ev is not None:
        return risk_ev
    claims = claims_of(text)
    if not claims.stems and not claims.numbers and not claims.names:
        return SentenceEvidence(text, [i for i in cited_list if i in idx.by_id], True,
                                "Nothing checkable in this sentence (no content words, numbers or names).")
    valid = [i for i in dict.fromkeys(cited_list) if i in idx.by_id]
    unknown = [i for i in cited_list if i not in idx.by_id]
    prefix = f"Cited segment{'s' if len(unknown) > 1 else ''} {', '.join(map(str, unknown))} do not exist. " \
        if unknown else ""
    if valid:
        segs = [idx.segs[idx.by_id[i]] for i in valid]
        if _score(claims, segs)[0]:
            return SentenceEvidence(text, valid, True, prefix + "Found in the cited segments.")
        near = _with_neighbours(idx, valid)
        if _score(claims, near)[0]:
            used = [s.id for s in near if s.id in valid or _gain(claims, s) > 0]
            return SentenceEvidence(text, sorted(used), True,
                                    prefix + "Found in the cited segments and the turns next to them.")
    found = _search(claims, idx)
    ok, coverage, miss_n, miss_names, _ = _score(claims, found)
    ids = sorted(s.id for s in found)
    if ok:
        why = "Not found in the cited segments; " if valid else "No segments cited; "
        return SentenceEvidence(text, ids, True, prefix + why + f"supported by segment{'s' if len(ids) > 1 else ''} "
                                f"{', '.join(map(str, ids))}.")
    problems = []
    all_nums = idx.numbers
    nowhere = [n for n in claims.numbers if n not in all_nums]
    if nowhere:
        problems.append(f"the number{'s' if len(nowhere) > 1 else ''} {_fmt_nums(sorted(nowhere))} "
                        f"appear{'s' if len(nowhere) == 1 else ''} nowhere in the transcript")
    elif miss_n:
        problems.append(f"{_fmt_nums(miss_n)} is not said together with the rest of the sentence")
    if miss_names:
        problems.append("'" + "', '".join(miss_names) + "' " + ("is" if len(miss_names) == 1 else "are")
                        + " not found")
    if coverage < MIN_COVERAGE:
        problems.append(f"only {round(coverage * 100)}% of its content words are in the best-matching segments")
    reason = prefix + "Not supported: " + "; ".join(problems or ["no segment supports it"]) + "."
    return SentenceEvidence(text, ids, False, reason)


def _risk_support(text: str, transcript: Transcript) -> SentenceEvidence | None:
    from soapdesk.core import risk

    domains = [d for d, rx in risk._NOTE_DOMAIN.items() if rx.search(text)]
    if not domains:
        return None
    findings = risk.screen_cached(transcript)
    problems = risk.note_contradicts_risk(text, findings)
    if problems:
        ids = sorted({e.segment_id for d in domains for e in findings[d].evidence})
        return SentenceEvidence(text, ids, False, "Not supported: " + " ".join(problems))
    ids = sorted({e.segment_id for d in domains for e in findings[d].evidence})
    if not ids and all(findings[d].status == risk.NOT_ASSESSED for d in domains):
        return SentenceEvidence(text, [], True, "Agrees with the risk screen: not assessed in the session.")
    if not ids:
        return None
    return SentenceEvidence(text, ids, True, "Agrees with the risk screen (the question and the client's answer).")


def verify_sentences(sentences: Iterable, transcript: Transcript) -> list[SentenceEvidence]:
    """Sentences as `{"text", "evidence"}` dicts, `(text, ids)` pairs or plain strings."""
    out = []
    for s in sentences:
        if isinstance(s, dict):
            text, ids = s.get("text", ""), s.get("evidence") or []
        elif isinstance(s, str):
            text, ids = s, []
        else:
            text, ids = s[0], s[1]
        if str(text).strip():
            out.append(verify_sentence(str(text), ids if isinstance(ids, list) else [], transcript))
    return out


def link_section(text: str, transcript: Transcript, cited: dict[str, list[int]] | list[list[int]] | None = None
                 ) -> list[SentenceEvidence]:
    """Split a section into sentences and verify each. `cited` maps sentence
    text to ids, or lists ids per sentence in order."""
    sentences = ct.split_sentences(text)
    out = []
    for i, s in enumerate(sentences):
        if isinstance(cited, dict):
            ids = cited.get(s, [])
        elif isinstance(cited, list) and i < len(cited):
            ids = cited[i]
        else:
            ids = []
        out.append(verify_sentence(s, ids, transcript))
    return out


def unsupported(results: Iterable[SentenceEvidence]) -> list[SentenceEvidence]:
    return [r for r in results if not r.supported]
