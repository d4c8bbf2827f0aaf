"""Shared text helpers for the deterministic checks (evidence, grounding, risk, billing).

Everything here is plain Python and fast: sentence splitting, spoken and written
numbers ("fifty" == 50, "one hundred and five" == 105, "four and a half" == 4.5),
a light suffix stemmer, stopwords and note boilerplate, weekdays, and the
medication lexicon (soapdesk/data/medications.txt: one drug per line, generic
name first, then brand names and spoken short forms, separated by `|`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# -- sentences -----------------------------------------------------------------

_ABBREV = r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bapprox\.)(?<!\bSt\.)(?<!\bNo\.)"
# Lower-case transcripts tokenised with a space before the stop ("okay . so how are you ?
# any pain ?", 54 of ACI-Bench's 87 dialogues) end a sentence there too: an abbreviation
# never has a space before its full stop, except a spaced-out title ("mr . smith").
_SENT_END = re.compile(_ABBREV + r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|"
                       r"(?<= [.!?])(?<!\bm[rs] \.)(?<!\bmrs \.)(?<!\bdr \.)(?<!\bst \.)\s+(?=[a-z])")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_HEADER_ONLY = re.compile(r"^[A-Za-z /&-]{1,40}:$")
_ITEM_NUMBER = re.compile(r"^\d{1,2}[.)]$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a note section or a turn. Line breaks and bullets end a
    sentence; `Dr.`, `e.g.`, decimals (`4.5`) and doses (`0.5 mg`) do not, nor
    does a full stop inside a quotation that closes on the same line: `Sleep, in
    the client's words: "Five out of seven. Weekends are better."` is one
    statement, and its second half read alone is the client's speech with no
    sign that it is quoted."""
    out: list[str] = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line).strip()
        if not line or _HEADER_ONLY.match(line):
            continue
        balanced = line.count('"') % 2 == 0 and line.count("\u201c") == line.count("\u201d")
        start, cuts = 0, []
        for m in _SENT_END.finditer(line):
            # The break's own characters count: in `thinking "I'm fired." Then` the closing
            # quote is part of the break.
            if balanced and _inside_quote(line[:m.end()]):
                continue
            cuts.append((start, m.start()))
            start = m.end()
        pieces = [p for p in (*(line[a:b].strip() for a, b in cuts), line[start:].strip()) if p]
        # "... this week. 3. Swallowing: ..." — an item's number between two sentences of a line is
        # numbering, not a sentence. Alone or at an end it may be an answer ("Client: 4.").
        out.extend(p for k, p in enumerate(pieces) if not (0 < k < len(pieces) - 1 and _ITEM_NUMBER.match(p)))
    return out


def _inside_quote(s: str) -> bool:
    return s.count('"') % 2 == 1 or s.count("\u201c") > s.count("\u201d")


# A stop in speech as transcribed, of any case after it ("... x-ray . hey , dragon"); an ellipsis is
# speech trailing on ("joint pain ... i mean"), not a stop.
SPOKEN_STOP = re.compile(r"(?<!\.)[.!?](?!\.)(?:\s+|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of one line of speech."""
    spans, pos = [], 0
    for m in _SENT_END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# A "sentence" of more words than this is unpunctuated speech (transcribers that write no full
# stops; every ACI-Bench dialogue): one turn is one sentence, and a cue anywhere in it is not
# about a word far away in it.
RUN_ON_WORDS = 30
_WORD = re.compile(r"\S+")


def run_on_window(text: str, start: int, end: int, *, before: int = 10, after: int = 8) -> tuple[int, int] | None:
    """When text[start:end] sits in a run-on sentence, the span of the `before` words before it and
    the `after` words after it; None in an ordinary sentence. "stop taking any nonsteroidal medicines
    such as your advil or motrin the only thing i really want you taking is tylenol ... cardura four
    milligrams": the stop is not said of the tylenol, nor the four milligrams of it."""
    x, y = next(((a, b) for a, b in sentence_spans(text) if a <= start < b), (0, len(text)))
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, x, y)]
    if len(words) <= RUN_ON_WORDS:
        return None
    i = next((n for n, (_a, b) in enumerate(words) if b > start), 0)
    j = next((n for n, (a, _b) in enumerate(words) if a >= end), len(words))
    return words[max(0, i - before)][0], words[min(len(words), j + after) - 1][1]


# -- numbers -------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = sorted(list(_UNITS) + list(_TENS) + list(_SCALES) + ["a", "and", "half", "quarter"],
                      key=len, reverse=True)
_WORD_RE = "|".join(_NUMBER_WORD)
# a run of number words: "one hundred and five", "forty-five", "four and a half"
_SPOKEN = re.compile(
    rf"\b(?:{'|'.join(sorted(list(_UNITS) + list(_TENS) + ['a hundred', 'hundred'], key=len, reverse=True))})\b"
    rf"(?:[\s-]+(?:{_WORD_RE})\b)*", re.I)
_DIGITS = re.compile(r"(?<![0-9A-Za-wyz_.])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\w])|(?<![0-9A-Za-wyz_.])(\d+(?:\.\d+)?)(?=[a-zA-Z%])")
# Questionnaire names carry digits that are not values: PHQ-9, GAD-7, PCL-5, "5-4-3-2-1".
SCALE_NAME = re.compile(
    r"\b(?:(?:PHQ|GAD|PCL|EPDS|AUDIT|DAST|CAGE|BDI|BAI|PSS|ORS|SRS|MDQ|ASRS|CSSRS|C-SSRS|WHO|DASS|ACE|ISI|CAPS|"
    r"PSQI|MoCA|MMSE|Y-BOCS|YBOCS|CGI|HAM-D|HAMD|HAM-A|LEFS|ODI|NDI|DASH|QuickDASH|KOOS|WOMAC|TUG|CES-D|SDQ|"
    r"SCARED|Vanderbilt)(?:[- ]?(?:II|\d{1,2}))?"
    r"|(?i:(?:phq|gad|pcl|epds|bdi|dass|who|ham-[ad]|audit|dast|k|sf)-(?:ii|\d{1,2})))(?=\W|$)")
_GROUNDING_DRILL = re.compile(r"\b(?:5|five)-(?:4|four)-(?:3|three)-(?:2|two)-(?:1|one)\b", re.I)
_MINUS = re.compile(r"(?:\bminus\s+|(?<![\w-])-)$", re.I)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}


def _words_value(words: list[str]) -> float | None:
    total, current, seen = 0.0, 0.0, False
    half = 0.0
    i = 0
    while i < len(words):
        w = words[i]
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
            seen = True
        elif w == "half":
            half = 0.5
        elif w == "quarter":
            half = 0.25
        i += 1
    if not seen:
        return None
    return total + current + half


@dataclass(frozen=True)
class NumberMention:
    value: float
    start: int
    end: int
    text: str


def _split_runs(text: str, start: int, end: int) -> list[NumberMention]:
    """A spoken run may hold two numbers ("three, three-thirty" is split by
    punctuation already; "five six" is two). Split where a unit follows a unit."""
    raw = text[start:end]
    tokens = [(m.group(0).lower(), m.start() + start, m.end() + start) for m in re.finditer(r"[a-zA-Z]+", raw)]
    groups: list[list[tuple[str, int, int]]] = [[]]
    prev = None
    for tok in tokens:
        w = tok[0]
        if prev is not None:
            small_after_small = (prev in _UNITS and w in _UNITS) or (prev in _UNITS and w in _TENS) or (
                prev in _TENS and w in _TENS)
            if small_after_small:
                groups.append([])
        groups[-1].append(tok)
        prev = w if w not in ("and", "a") else prev
    out = []
    for g in groups:
        while g and g[-1][0] in ("and", "a"):
            g = g[:-1]
        while g and g[0][0] == "and":
            g = g[1:]
        if not g:
            continue
        # "a" alone is not a number; "a hundred" is
        words = [t[0] for t in g]
        if words[0] == "a" and "hundred" not in words and "thousand" not in words and "half" not in words:
            g = g[1:]
            words = words[1:]
            if not g:
                continue
        # "and a half" only counts when glued to a number
        val = _words_value(words)
        if val is None:
            continue
        out.append(NumberMention(val, g[0][1], g[-1][2], text[g[0][1]:g[-1][2]]))
    return out


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in the text, written or spoken, in order. "minus three" and
    "-3" are negative; "3x10" gives 3 and 10; "4.5-5" gives 4.5 and 5."""
    found: list[NumberMention] = []
    taken = [False] * (len(text) + 1)
    for rx in (SCALE_NAME, _GROUNDING_DRILL):
        for m in rx.finditer(text):
            if re.search(r"\d|-", m.group(0)) or rx is _GROUNDING_DRILL:
                for i in range(m.start(), m.end()):
                    taken[i] = True
    for m in _DIGITS.finditer(text):
        g = m.group(1) or m.group(2)
        s = m.start(1) if m.group(1) else m.start(2)
        e = s + len(g)
        if taken[s]:
            continue
        try:
            v = float(g.replace(",", ""))
        except ValueError:
            continue
        found.append(NumberMention(v, s, e, g))
        for i in range(s, e):
            taken[i] = True
    for m in _SPOKEN.finditer(text):
        if any(taken[m.start():m.end()]):
            continue
        found.extend(_split_runs(text, m.start(), m.end()))
    # ranges like "4.5-5" / "3-3:30" are fine as two numbers; negatives: "minus three", "-3"
    out = []
    for n in sorted(found, key=lambda n: n.start):
        before = text[max(0, n.start - 7):n.start]
        if _MINUS.search(before) and not re.search(r"\d\s*-$", before):
            out.append(NumberMention(-n.value, n.start, n.end, n.text))
        else:
            out.append(n)
    return out


NUMBER_WORDS = tuple(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))


@dataclass(frozen=True)
class SpokenRun:
    """Number words said in one breath ("one hundred and five", "one twenty"), and the numbers they
    read as: one, or more when the run is two numbers side by side."""
    start: int
    end: int
    numbers: tuple[NumberMention, ...]


def spoken_number_runs(text: str) -> list[SpokenRun]:
    """Runs of number words, read the way `find_numbers` reads them."""
    runs = []
    for m in _SPOKEN.finditer(text):
        nums = _split_runs(text, m.start(), m.end())
        if nums:
            runs.append(SpokenRun(nums[0].start, nums[-1].end, tuple(nums)))
    return runs


def number_values(text: str) -> set[float]:
    """The set of numbers in a text; "-3" also counts as 3 (a note may say
    "lacking 3 degrees" for "minus three"). Times like 3:30 give 3, 30 and 3.5."""
    vals: set[float] = set()
    found = find_numbers(text)
    for n in found:
        vals.add(n.value)
        vals.add(abs(n.value))
    for m in re.finditer(r"\b(\d{1,2}):(\d{2})\b", text):
        vals.add(int(m.group(1)) + int(m.group(2)) / 60)
    # "three-thirty" → 3.5 as well
    for m in re.finditer(r"\b(" + "|".join(_UNITS) + r")[\s-]thirty\b", text, re.I):
        vals.add(_UNITS[m.group(1).lower()] + 0.5)
    # "one twenty eight over seventy two" is read as 1, 28 and 72; said of a blood pressure, a weight
    # or a cholesterol it is 128: every spoken blood pressure in ACI-Bench is said this way, and a note's
    # "128/72" was flagged as a number nobody said. A digit word and then 10 to 99 count as that too.
    # The runs are read from `found` (words side by side), not parsed a second time: this is on the
    # checks' path for every sentence.
    for run in _spoken_side_by_side(text, found):
        if len(run) == 2:
            hundreds, rest = (abs(n.value) for n in run)
            if hundreds in range(1, 10) and rest in range(10, 100):
                vals.add(hundreds * 100 + rest)
    return vals


def _spoken_side_by_side(text: str, found: list[NumberMention]) -> list[list[NumberMention]]:
    """Spoken numbers with nothing but a space or hyphen between them, grouped: one spoken run."""
    runs: list[list[NumberMention]] = []
    for n in found:
        if n.text[:1].isdigit():
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and re.fullmatch(r"[\s-]*", text[last.end:n.start]):
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# -- words ---------------------------------------------------------------------

# Words addressing the listener. A note speaks about the client, never to them:
# drafting refuses to generate them, grounding flags pasted speech holding them.
SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself|rselves|['\u2019](?:re|ve|ll|d))?\b", re.I)


STOPWORDS = frozenset("""
a an the and or but if then than so as of at by for from in into on onto to with without within about
above below over under up down out off again further once here there when where why how all any both each
few more most other some such no nor not only own same too very s t can will just don should now is are
was were be been being have has had having do does did doing i me my myself we our ours ourselves you your
yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs
themselves what which who whom this that these those am would could might must shall may also yet still
via per like really kind sort um uh yeah okay ok well just thing things get got gets getting go going
gone went say said says saying tell told let lets one ones
""".split())

# Words that carry no evidence on their own: note boilerplate ("The client
# reports...") and the names of the people in the room. "rating", "later",
# "earlier" are the words of SoapDesk's own measure lines ("Anxiety rating
# (0-10): 7 now; later 4."), which were otherwise marked unsupported.
BOILERPLATE = frozenset("""
client clients patient patients pt therapist clinician counselor provider writer session sessions today
report reports reported reporting state states stated stating note notes noted noting describe describes
described describing indicate indicates indicated endorse endorses endorsed endorsing deny denies denied
discuss discussed discussing discussion review reviewed reviewing explore explored exploring identify
identified identifying express expresses expressed mention mentions mentioned share shares shared
continue continues continued current currently ongoing appear appears appeared present presents presented
presenting per during time times week weeks day days month months year years since also additionally
overall will plan plans planned next use used using work worked working made make makes provide provided
rating ratings rated later earlier
""".split())

NOT_ADDRESSED = re.compile(
    r"^\s*(?:\W*)(?:not\s+(?:addressed|assessed|discussed|asked|reviewed|documented|evaluated)|none\s+(?:stated|reported|discussed|noted)|n/?a|none)"
    r"(?:\s+(?:in|during|this|at)\b.*)?\W*$", re.I)

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", re.I)


_IRREGULAR = {"slept": "sleep", "ate": "eat", "felt": "feel", "woke": "wake", "awoke": "wake", "took": "take",
              "gave": "give", "quit": "stop", "worse": "worse", "better": "better", "drank": "drink",
              "drunk": "drink", "fell": "fall", "ran": "run", "sat": "sit", "met": "meet", "kept": "keep",
              "lost": "lose", "left": "left", "bought": "buy", "brought": "bring", "began": "begin"}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A small, predictable suffix stripper (Porter-like, no data files):
    sleeping/slept→sleep is not handled, sleeping/sleeps/sleeper→sleep is."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    if len(w) <= 3 or w[0].isdigit():
        return w
    for suf, rep in (("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("iveness", "ive"),
                     ("ments", ""), ("ment", ""), ("ness", ""), ("ities", ""), ("ity", ""),
                     ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
                     ("ly", ""), ("ed", ""), ("es", ""), ("s", ""), ("ions", ""), ("ion", ""),
                     ("al", ""), ("er", ""), ("e", "")):
        if w.endswith(suf) and len(w) - len(suf) >= (4 if suf in ("ments", "ment", "ness", "al", "er") else 3):
            w = w[: len(w) - len(suf)] + rep
            if suf in ("ing", "ed", "ings") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # stopped→stopp→stop
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in _WORD.finditer(text or "")]


def content_stems(text: str, *, keep_boilerplate: bool = False) -> list[str]:
    """Stems of the words that carry meaning: no stopwords, no bare numbers
    (they are compared as numbers), no note boilerplate unless asked."""
    out = []
    for w in words(text):
        if w in STOPWORDS or w[0].isdigit() or w in _UNITS or w in _TENS or w in _SCALES:
            continue
        if not keep_boilerplate and w in BOILERPLATE:
            continue
        if len(w) < 2:
            continue
        out.append(stem(w))
    return out


# A few equivalences a note commonly uses for what was said.
SYNONYMS = {
    "mg": "milligram", "milligram": "milligram", "milligrams": "milligram",
    "min": "minute", "mins": "minute", "minut": "minute",
    "hr": "hour", "hrs": "hour",
    "deg": "degre", "degre": "degre",
    "wk": "week", "mo": "month",
    "pt": "patient", "hx": "history", "sx": "symptom", "tx": "treatment", "rx": "prescription",
    "si": "suicid", "hi": "homicid",
    "ekg": "ekg", "ecg": "ekg",
    "mom": "mother", "dad": "father",
    "x": "x",
}


# Everyday words for the same symptom, as the review of systems writes it ("tired" -> fatigue).
SYNONYMS.update({"tir": "fatigu", "tired": "fatigu", "exhaust": "fatigu", "dizzy": "dizzi", "nauseou": "nausea",
                 "nauseat": "nausea", "itchy": "itch", "feverish": "fever", "syncop": "faint", "stomach": "abdomin",
                 "belly": "abdomin"})

# Body systems as review-of-systems labels ("Constitutional:", "HENT:", "Heme/Lymph:").
BODY_SYSTEM = re.compile(
    r"(?:constitutional|general|eyes?|ears?|nose|mouth|throat|ent|heent|hent|head|neck|cardiovascular|cardiac|"
    r"heart|respiratory|pulmonary|lungs?|chest|gastrointestinal|gi|abdomen|abdominal|genitourinary|gu|urinary|"
    r"renal|reproductive|gynecologic(?:al)?|breasts?|musculoskeletal|msk|skin|integumentary|dermatologic(?:al)?|"
    r"neurologic(?:al)?|neuro|psychiatric|psych|behavioral|mental health|endocrine|hematologic(?:al)?|heme|"
    r"lymphatic|lymph|allergic|immunologic(?:al)?|immune|vascular|sleep|nervous|digestive|sensory|"
    r"psychological)(?: system)?"
    r"(?:\s*(?:/|,|and|&)\s*(?:and\s+)?(?:[a-z]++))*", re.I)  # possessive: a long model-written label cannot backtrack
# A review-of-systems or exam line's label: a heading, not a claim to find in the transcript.
SYSTEM_LABEL = re.compile(r"^\s*(?:[-*\u2022]\s*)?(?:" + BODY_SYSTEM.pattern + r")\s*:\s*", re.I)


def norm_stem(s: str) -> str:
    return SYNONYMS.get(s, s)


# -- weekdays, months ----------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")s?\b", re.I)
_MONTH_RE = re.compile(r"\b(" + "|".join(m for m in MONTHS if m != "may") + r")\b", re.I)


def weekdays(text: str) -> set[str]:
    return set(weekdays_in_order(text))


def weekdays_in_order(text: str) -> list[str]:
    """The weekdays `text` names, lower case, each once, in the order said ("Monday, Wednesday, Friday")."""
    return list(dict.fromkeys(m.group(1).lower() for m in _WEEKDAY_RE.finditer(text or "")))


# A sentence in the speaker's own first person ("I wake up at three", "my doctor").
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me)\b")


def months(text: str) -> set[str]:
    return {m.group(1).lower() for m in _MONTH_RE.finditer(text or "")}


# -- medications ---------------------------------------------------------------

@lru_cache(maxsize=1)
def medication_lexicon() -> dict[str, str]:
    """Every known name or short form (lower case) → the generic name."""
    lex: dict[str, str] = {}
    path = DATA_DIR / "medications.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n.strip().lower() for n in line.split("|") if n.strip()]
        for n in names:
            lex.setdefault(n, names[0])
    return lex


# Suffixes of generic drug names (USAN stems): catch a drug not in the list.
_DRUG_SUFFIX = re.compile(
    r"^[a-z]{3,}(?:pril|sartan|olol|dipine|statin|azepam|azolam|oxetine|triptyline|pramine|azine|"
    r"idone|apine|peridol|tiapine|barbital|caine|cillin|mycin|cycline|floxacin|conazole|vir|mab|nib|"
    r"zolam|plon|clone|profen|coxib|fenac|tidine|prazole|gliptin|gliflozin|glutide|formin|semide|"
    r"thiazide|lukast|terol|sone|olone|asone|triptan|gabalin|pentin|etine|aline|amine|amide|oxone|"
    r"orphine|codone|adol|tadine|ridone|zodone|faxine|milnacipran|buspirone|mazepine|trigine|"
    r"iramate|racetam|xaban|gatran|parin|stigmine|dronate|tropium|olamine)$")
_NOT_DRUGS = frozenset("""
examine determine routine medicine imagine magazine machine caffeine nicotine feminine genuine famine
engine cuisine marine quarantine trampoline gasoline discipline decline define combine online baseline
timeline deadline guideline headline lifeline outline pipeline shine spine wine vaccine ravine fine line
mine nine dine cline saline iodine amine examine amide pyramide someone anyone everyone alone phone tone
stone zone ozone bone cone done gone none clone ozone hormone cortisone cologne lemonade decade tornado
persona dinosaur pillow vitamin protein adrenaline dopamine serotonin histamine glutamine melanin insulin
cholesterol alkaline
""".split())


def find_medications(text: str, *, guess: bool = True) -> list[tuple[str, str, int, int]]:
    """(name as written, generic name, start, end) for each medication mention.
    With `guess`, words shaped like a generic drug name (USAN suffixes) and
    a capitalised word right before a dose ("Zentrix 20 mg") count too."""
    lex = medication_lexicon()
    out = []
    taken: set[int] = set()
    low = text.lower()
    # multi-word names first
    for name in sorted((n for n in lex if " " in n), key=len, reverse=True):
        for m in re.finditer(r"\b" + re.escape(name) + r"\b", low):
            if not taken.intersection(range(m.start(), m.end())):
                out.append((text[m.start():m.end()], lex[name], m.start(), m.end()))
                taken.update(range(m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z][A-Za-z-]{1,}", text):
        if taken.intersection(range(m.start(), m.end())):
            continue
        w = m.group(0).lower()
        if w in lex:
            out.append((m.group(0), lex[w], m.start(), m.end()))
        elif guess and w not in _NOT_DRUGS and w not in STOPWORDS and _DRUG_SUFFIX.match(w):
            out.append((m.group(0), w, m.start(), m.end()))
        elif guess and m.group(0)[0].isupper() and w not in STOPWORDS and w not in _NOT_DRUGS and re.match(
                r"\s+\d+(?:\.\d+)?\s*(?:mg|mcg|milligrams?|micrograms?|units?|ml)\b", text[m.end():m.end() + 20],
                re.I) and not _is_common_word(w):
            out.append((m.group(0), w, m.start(), m.end()))
    out.sort(key=lambda t: t[2])
    return out


def _is_common_word(w: str) -> bool:
    return w in BOILERPLATE or w in {"takes", "taking", "dose", "daily", "started", "on", "increased", "with"}


# -- doses ---------------------------------------------------------------------

DOSE_UNIT = re.compile(r"^\s*(?:mg|mcg|milligrams?|micrograms?|g|grams?|ml|units?|iu|puffs?|tablets?|pills?)\b", re.I)


def quote_of(text: str, start: int, end: int) -> str:
    return text[start:end]
