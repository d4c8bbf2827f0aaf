"""Facts read from the transcript by exact rules, given to the drafting model.

A small local model skims a long transcript: it drops scores, mixes up a drug
the client stopped with one they take, and writes "denies suicidal ideation"
when nobody asked. The same rule-based readers that check a draft afterwards
(risk screen, medication status, questionnaire scores, 0-10 ratings, range
of motion, accuracy on trials, minutes per intervention, stated diagnoses) run
before drafting too. Each fact goes into the request for the one section it
belongs in (`section_facts`), so the model copies it instead of guessing, and
says it once rather than in every section. What the finished draft still
leaves out is added to that section (`add_missing_facts`). Two kinds are only
added, never asked for (`in_request=False`): the client's own amounts of sleep
and substances, and a rehab session's exercises with sets x reps; a list of
them in the request is what the small model copies as the section.

Nothing here is inferred beyond what the checks already report; a fact the
rules are unsure of (a drug said to be both taken and stopped) is left out
rather than stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from soapdesk.core import clinical_text as ct
from soapdesk.core import (confirmed_symptoms, dose_change, grounding, measures, medical_care, post_op, practice_days,
                           precautions, prompts, risk, since_last_session, sleep_and_substances, test_results,
                           thinking_patterns)
from soapdesk.core.billing import stated_diagnoses, stated_rehab_minutes
from soapdesk.core.transcript import Transcript

_MAX_QUOTE = 140


@dataclass(frozen=True)
class CheckedFact:
    prompt_line: str  # what the drafting model is told
    note_line: str  # the sentence added to the draft when the model left the fact out
    stated: Callable[[str], bool]  # does a draft's text already carry it?
    where: tuple[str, ...] = ()  # section keys it belongs in, best first; else the first section
    in_request: bool = True  # told to the model; else only added when the draft leaves it out
    anywhere: bool = True  # with none of `where` in the template, the first section; else left out
    # How much a line of the section speaks of the same thing; the added line goes right after the
    # line that scores highest (above 0), so it reads with the task it belongs to; else at the end.
    kin: Callable[[str], int] | None = None


# Measured values belong with the observations, in templates that have such a section.
_OBSERVED = ("objective", "data", "behavior", "physical_examination")
# What the patient reports (medications, risk) goes to the history in a physician's
# note, whose first section is the chief complaint; diagnoses to the assessment.
_REPORTED = ("history_of_present_illness",)
_ASSESSED = ("assessment", "assessment_and_plan")
# A drug the clinician is starting, changing or continuing belongs in the plan.
_PLANNED = ("plan", "assessment_and_plan")
_PLAN_CUE = re.compile(r"\b(?:start\w*|increas\w*|decreas\w*|add(?:ing)?|prescrib\w*|continu\w*|switch\w*|"
                       r"refill\w*|taper\w*|i(?:'ll| will| want to| wan na| am going to|'m going to)|we(?:'ll| will))\b",
                       re.I)
# What the client tells of their days (sleep, caffeine, alcohol) goes where the note reports
# the client's account; substances to the intake's own section.
_CLIENT_ACCOUNT = ("history_of_present_illness", "subjective", "data", "behavior", "problem", "goals_progress",
                   "course_of_treatment", "response")
# Questionnaire scores are measured in session: Objective/Data, or a physician's Results.
_SCORED = ("objective", "data", "behavior", "results")
_RESULTS = ("results",)


# The request's words for a drug the rules cannot call current or stopped. The 1.5B model copied
# them into its prose ("ordered meloxicam 15 mg daily, which they discussed as not said to be
# stopped", six times in one ACI-Bench valid plan; 4 of the 20 valid notes), where they read as
# nonsense and, holding "stopped", as a stopped drug to the checks. `without_status_wording` takes
# them out again, with the note speaking of "the transcript" it was drafted from.
NOT_SAID_STOPPED = "discussed, not said to be stopped"
_STOPPED_ECHO = r"discussed(?:\s+as|,)?\s+(?:but\s+)?not\s+(?:said\s+to\s+be\s+)?stopped\b"
_STATUS_ECHO = re.compile(
    rf"\s*\((?:which\s+(?:was|were|is|are)\s+|as\s+)?{_STOPPED_ECHO}\)"  # "digoxin (discussed, not said to be stopped)"
    rf"|,?\s+(?:which|as|that)(?:\s+\w+){{0,2}}?\s+{_STOPPED_ECHO}"  # "..., which they discussed as not said ..."
    rf"|\s+(?:is|was|are|were)\s+{_STOPPED_ECHO}"  # "Metformin is discussed, not said to be stopped."
    r"|,?\s+as\s+(?:discussed|mentioned|stated|noted|said)\s+in\s+the\s+(?:session\s+)?transcript\b", re.I)


def without_status_wording(text: str) -> str:
    """The draft without the request's status words copied into it."""
    return _STATUS_ECHO.sub("", text)


_CACHE: dict[tuple, list[CheckedFact]] = {}


def checked_facts(transcript: Transcript, person: str = "client") -> list[CheckedFact]:
    """The facts, read once per transcript content: drafting asks for them for
    the prompt and again for the finished draft. `person` is the note's word
    for the client or patient."""
    key = (id(transcript), hash(tuple((s.speaker, s.text) for s in transcript.segments)), person)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) > 8:
            _CACHE.clear()
        hit = _CACHE[key] = _read_facts(transcript, person)
    return hit


def _read_facts(transcript: Transcript, person: str) -> list[CheckedFact]:
    facts: list[CheckedFact] = []
    findings = risk.screen_cached(transcript)
    if any(f.status != risk.NOT_ASSESSED for f in findings.values()):
        asked = risk.risk_statement(findings, person, unasked=False)
        # Stated once the draft says something of the client's own suicidal ideation and
        # nothing against the screen ("her friend's suicide attempt" is not that).
        facts.append(CheckedFact(asked, risk.risk_statement(findings, person), lambda text, f=findings: any(
            d == risk.SI for d, _ in risk.note_risk_statements(text)) and not risk.note_contradicts_risk(text, f),
            _REPORTED))
    tf = grounding.transcript_facts(transcript)
    for generic, mf in sorted(tf.meds.items()):
        if mf.allergy_only:
            continue  # an allergy, not a drug taken or stopped
        stopped = mf.historical and not mf.current
        quote = _first_quote(transcript, generic, stopped=stopped)
        said = f' (said: "{quote}")' if quote else ""
        name = generic[0].upper() + generic[1:]
        if stopped:
            # The dose it was taken at is part of the medication history ("hydroxyzine 25 mg, stopped").
            dose, unit = _stopped_dose(transcript, generic, mf.all_doses)
            was = f" {ct.fmt_number(dose)} {unit}" if dose is not None else ""
            facts.append(CheckedFact(
                f"Medication {generic}{was}: stopped or not taken now, so not a current medication{said}.",
                f"{name}{was}: stopped, not a current medication" + (f' ("{quote}")' if quote else "") + ".",
                lambda text, g=generic, d=dose: any(grounding.note_says_stopped(sent) and (
                    d is None or d in ct.number_values(sent)) for sent in _sentences_with(text, g)),
                _REPORTED))
        elif mf.current and not mf.historical:
            planned = bool(_PLAN_CUE.search(quote))
            # A drug being started or changed is told without the quote: quoted, the
            # clinician's spoken plan ("I'll go ahead and prescribe...") was copied as it was said.
            dose = _dose_in(quote, mf.current_doses)
            # Stated once the draft names the drug with the dose said for it: "taking
            # ibuprofen" without the 400 leaves the clinician to look it up. When the client
            # said whether doses are missed, that is half of what a medication line is for.
            adherence = bool(_ADHERENCE.search(quote)) and not planned
            facts.append(CheckedFact(
                f"Medication {generic}: {NOT_SAID_STOPPED}{'' if planned else said}.",
                f"{name}: discussed" + (f' ("{quote}")' if quote else "") + ".",
                lambda text, g=generic, d=dose, a=adherence: _names_drug(text, g, d, adherence=a),
                _PLANNED if planned else _REPORTED))
            # A prescriber's plan the client reports; a physician's own plan is the note's plan.
            change = person == "client" and dose_change.considered(
                generic, [(seg, reply) for seg, _a, reply in _turns_naming(transcript, generic)])
            if change:
                facts.append(CheckedFact(dose_change.line(change), dose_change.line(change),
                                         lambda text, c=change: dose_change.told(text, c), ("plan",),
                                         in_request=False, kin=lambda ln, c=change: dose_change.kin(ln, c)))
    for sf in tf.scales.values():
        name = _scale_name(transcript, sf.key)
        said = _scale_sentence_values(transcript, sf.key)
        current = sf.current & said
        if not name or not current:
            continue
        earlier = (sf.prior - sf.current) & said
        now, before = _values(current), _values(earlier)
        # When the earlier score was taken is half the finding ("17 at intake, five weeks ago").
        when = _when_scored(transcript, sf.key, earlier) if earlier else ""
        line = f"{name} score: {now}" + (f" ({before} {when})" if when else f" (earlier: {before})" if before else "")
        line += "."
        # Stated once the draft gives today's score and the earlier one, with when it was taken
        # when that was said: the change is the finding, and "9 a month ago" is read differently
        # from "9 at intake, a year ago".
        facts.append(CheckedFact(line, line, lambda text, n=name, v=[min(current), *sorted(earlier)], e=earlier,
                                 w=when: _values_near(text, n, v) and _taken_when_near(text, n, e, w), _SCORED))
    for line, name, values in (measures.rating_lines(transcript) + measures.hundred_lines(transcript)
                               + measures.range_of_motion_lines(transcript) + measures.strength_lines(transcript)
                               + measures.accuracy_lines(transcript)):
        facts.append(CheckedFact(line, line, lambda text, n=name, v=values: _values_near(text, n, v), _OBSERVED))
    for line, done, home in measures.exercise_lines(transcript):
        # Not told to the model, like the amounts below: a list in the request is what it copies.
        # Exercises done in session belong with a rehab note's measures, not a physician's exam.
        facts.append(CheckedFact(line, line, lambda text, d=done: all(
            measures.exercise_named(n, s, r, text) for n, s, r in d), _PLANNED if home else ("objective", "data"),
            in_request=False, anywhere=False))
    since = post_op.time_since_surgery(transcript)
    if since:
        # Only where a note has a Subjective (rehab and SOAP notes): a physician's history
        # words it its own way ("status post ..."), and ACI-Bench drafts stay as they were.
        facts.append(CheckedFact(post_op.line(since), post_op.line(since), lambda text, p=since: post_op.told(text, p),
                                 ("subjective",), in_request=False, anywhere=False))
    if person == "patient":
        for r in precautions.restrictions(transcript):
            # Only where a note has an Assessment, as the rehab templates do ("limitations and
            # precautions"); a physician's note words its plan its own way, and ACI-Bench drafts stay.
            facts.append(CheckedFact(precautions.line(r), precautions.line(r),
                                     lambda text, r=r: precautions.told(text, r), ("assessment",),
                                     in_request=False, anywhere=False))
    minutes = sorted(stated_rehab_minutes(transcript), key=lambda m: not m[1])  # timed codes first
    if minutes:
        parts = ", ".join(f"{label.lower()} {n}" for _code, _timed, label, n, _quote, _seg in minutes)
        line = f"Minutes per intervention: {parts}."
        facts.append(CheckedFact(line, line, lambda text, v=[m[3] for m in minutes]: _values_near(text, "minute", v),
                                 _OBSERVED))
    if person == "client":
        # Mental-health notes only: a physician's or a therapist's rehab note records these differently.
        for a in sleep_and_substances.amounts(transcript):
            facts.append(_amount_fact(a, person))
        for quote in since_last_session.answers(transcript):
            facts.append(_client_quote(f"Since the last session, in the {person}'s words", quote,
                                       lambda text, q=quote: since_last_session.told(text, q)))
        for c in confirmed_symptoms.confirmed(transcript):
            facts.append(_client_quote(f"{c.concept[0].upper() + c.concept[1:]}, confirmed by the {person} when "
                                       "asked", c.quote, lambda text, n=c.concept: confirmed_symptoms.mentioned(text, n)))
        for d in practice_days.agreed(transcript):
            # Not told to the model: with the days in its request for the plan, the 1.5B model wrote
            # the CBT plan as that one request line and dropped the thought record and the sleep task.
            facts.append(CheckedFact(practice_days.line(d), practice_days.line(d),
                                     lambda text, d=d: practice_days.told(text, d), ("plan",), in_request=False,
                                     anywhere=False, kin=lambda ln, d=d: practice_days.kin(ln, d)))
        named = thinking_patterns.named(transcript)
        if named:
            # The client's response to a thought record: where a note tells what was done in session.
            facts.append(CheckedFact(thinking_patterns.line(named, person), thinking_patterns.line(named, person),
                                     lambda text, n=named: thinking_patterns.told(text, n),
                                     ("response", "intervention", "data", "plan"), in_request=False,
                                     kin=thinking_patterns.kin))
        for quote in medical_care.visits(transcript):
            facts.append(_client_quote(f"{medical_care.DOMAIN}, in the {person}'s words", quote,
                                       lambda text, q=quote: medical_care.told(text, q)))
    for dx in stated_diagnoses(transcript):
        desc = dx.description[0].lower() + dx.description[1:]
        facts.append(CheckedFact(f"Diagnosis stated by the clinician: {desc}.",
                                 f"Diagnosis as stated by the clinician: {desc}.",
                                 lambda text, d=desc: _mentions(text, d.split(",")[0]), _ASSESSED))
    for r in test_results.reviewed(transcript):
        # Only a note with a Results section (a physician's) asks for them; a therapy note's
        # Objective is what the client showed in session, not tests read from a chart.
        line = test_results.note_text(r)
        facts.append(CheckedFact(line, line, lambda text, r=r: test_results.told(text, r), _RESULTS, anywhere=False))
    return facts


def _client_quote(label: str, quote: str, stated: Callable[[str], bool]) -> CheckedFact:
    """'Label: "the client's words"', added to the client's account when the draft leaves it out;
    never in the request (a quote there is what the small model copies as the section)."""
    line = f'{label}: "{quote}"'
    return CheckedFact(line, line, stated, _CLIENT_ACCOUNT, in_request=False)


def _amount_fact(a: sleep_and_substances.Amount, person: str) -> CheckedFact:
    """"Sleep, in the client's words: '...'": stated once a draft sentence on the same
    topic carries the quote's amounts (clock times and counts; "thirty" of "three-thirty" is
    part of 3.5), or, for "an hour", that amount."""
    said = f"{a.domain}" + (f" ({a.pattern})" if a.pattern else "") + f", in the {person}'s words"
    values = [v for v in a.values if v < 24]
    in_words = sleep_and_substances.word_amount(a.quote)
    topic = dict(sleep_and_substances.DOMAINS)[a.domain]

    def stated(text: str) -> bool:
        on_topic = [sent for sent in ct.split_sentences(text) if topic.search(sent)]
        found = set().union(*(ct.number_values(sent) for sent in on_topic)) if on_topic else set()
        return bool(on_topic) and all(v in found for v in values) and (
            in_words is None or any(in_words.search(sent) for sent in on_topic))
    # Not told to the model: with these quotes in its request, the 1.5B model wrote the GAD
    # session's Data section as a copy of the request's fact list and dropped the narrative.
    return CheckedFact(f"{said}: '{a.quote}'", f'{said}: "{a.quote}"', stated,
                       ("substance_use",) + _CLIENT_ACCOUNT if a.domain != "Sleep" else _CLIENT_ACCOUNT,
                       in_request=False)


def section_facts(transcript: Transcript, section_keys: list[str], key: str, person: str = "client") -> str:
    """Bullet lines of the checked facts that belong in section `key`, for the
    request that writes it. Said right before the answer, a fact is copied far
    more reliably than from the sheet after a long transcript, and each fact is
    asked for in one section only, so it is not repeated in all of them."""
    return _bullets([f for f in checked_facts(transcript, person) if f.in_request and _home(f, section_keys) == key])


def _bullets(facts: list[CheckedFact]) -> str:
    """Quotes use single quotes: the model copies the facts' style, and a double
    quote inside its JSON answer ends the section mid-sentence (seen on
    ACI-Bench: an Assessment and Plan cut at 'None (said:')."""
    return "\n".join(f"- {f.prompt_line}".replace('"', "'") for f in facts)


def _home(fact: CheckedFact, section_keys: list[str]) -> str:
    """The section a fact belongs in: the first of its `where` the template has, else the first
    section, or "" (nowhere) for a fact that has no place in such a note."""
    fallback = section_keys[0] if section_keys and fact.anywhere else ""
    return next((k for k in fact.where if k in section_keys), fallback)


def add_missing_facts(sections: list, transcript: Transcript, facts: list[CheckedFact] | None = None,
                      person: str = "client") -> int:
    """Append the checked facts the whole draft leaves out, each to the section it
    belongs in (measures to Objective/Data when the template has one), else the first.

    The 1.5B default model often ignores the fact sheet (drops the GAD-7
    score, forgets a stopped drug); these lines come from the transcript by
    the same rules that check the draft, with their evidence, so the
    clinician sees them in the draft rather than discovering their absence.
    A draft sentence that contradicts one is not removed: the checks flag it.
    Returns how many lines were added.
    """
    if not sections:
        return 0
    facts = checked_facts(transcript, person) if facts is None else facts
    text = "\n".join(s.text for s in sections)
    by_key = {s.key: s for s in sections}
    missing = [f for f in facts if _home(f, list(by_key)) and not f.stated(text)]
    for fact in missing:
        target = by_key[_home(fact, list(by_key))]
        body = "" if target.text.strip() == prompts.NOT_ADDRESSED else target.text.rstrip()
        lines = body.split("\n") if body else []
        scores = [fact.kin(ln) if fact.kin else 0 for ln in lines]
        at = scores.index(max(scores)) + 1 if scores and max(scores) > 0 else len(lines)
        target.text = "\n".join(lines[:at] + [fact.note_line] + lines[at:])
    return len(missing)


def _names_drug(text: str, generic: str, dose: float | None = None, *, adherence: bool = False) -> bool:
    """The draft names the drug, by its generic or a brand name ("Lasix" for
    furosemide), with `dose` in a sentence that names it when one is given, and,
    with `adherence`, says in it or the next sentence whether doses are taken as
    prescribed ("no missed doses", "adherent", "skips it on weekends")."""
    sents = ct.split_sentences(text)
    for i, sent in enumerate(sents):
        if any(g == generic for _w, g, _a, _b in ct.find_medications(sent, guess=False)):
            if (dose is None or dose in ct.number_values(sent)) and (
                    not adherence or any(_ADHERENCE_NOTED.search(x) for x in sents[i:i + 2])):
                return True
    return False


_DOSE_UNIT = re.compile(r"\s*-?\s*(mg|milligrams?|mcg|micrograms?)\b", re.I)


def _stopped_dose(transcript: Transcript, generic: str, doses: set[float]) -> tuple[float | None, str]:
    """(25, "mg") when the session gave the stopped drug exactly one dose with its
    unit, in a turn naming the drug or the reply to it; else (None, ""). A bare
    number is not taken: "I took one before a meeting" is a count."""
    found: dict[float, str] = {}
    for seg, a, reply in _turns_naming(transcript, generic):
        window = ct.run_on_window(seg.text, a, a + 1)  # a run-on turn: only the words near the drug
        for text in [seg.text[slice(*window)] if window else seg.text] + ([reply.text] if reply else []):
            for n in ct.find_numbers(text):
                unit = _DOSE_UNIT.match(text[n.end:])
                if unit and n.value in doses:
                    found[n.value] = "mcg" if unit.group(1).lower().startswith(("mc", "micro")) else "mg"
    return next(iter(found.items())) if len(found) == 1 else (None, "")


def _dose_in(quote: str, doses: set[float]) -> float | None:
    """The one dose the quote gives for the drug, if it gives exactly one. Numbers
    under 5 are left out: "two, three times a week" is how often, not how much."""
    said = {v for v in ct.number_values(quote) if v in doses and v >= 5}
    return next(iter(said)) if len(said) == 1 else None


def _mentions(text: str, phrase: str) -> bool:
    return phrase.lower() in text.lower()


def _sentences_with(text: str, phrase: str) -> list[str]:
    return [sent for sent in ct.split_sentences(text) if phrase.lower() in sent.lower()]


def _values_near(text: str, name: str, values) -> bool:
    """Every value is in some sentence of the draft that names the measure."""
    found = set()
    for sent in _sentences_with(text, name):
        found |= ct.number_values(sent)
    return all(v in found for v in values)


_WHEN_WORD = re.compile(r"\b(?:intake|initial|first|evaluation|days?|weeks?|months?|years?)\b", re.I)


def _taken_when_near(text: str, name: str, earlier: set[float], when: str) -> bool:
    """A sentence naming the measure gives an earlier value with the words that date it ("a month",
    "intake") when the session said how long ago or at which visit; "last time" alone dates nothing,
    and "last month" in the draft or not is the same near trend."""
    dated = " ".join(part for part in when.split(", ") if not part.startswith("last "))
    words = {w.lower().rstrip("s") for w in _WHEN_WORD.findall(dated)}
    if not earlier or not words:
        return True
    return any(ct.number_values(sent) & earlier and words & {w.lower().rstrip("s") for w in _WHEN_WORD.findall(sent)}
               for sent in _sentences_with(text, name))


def _values(vals: set[float]) -> str:
    return ", ".join(ct.fmt_number(v) for v in sorted(vals))


# A sentence after the one naming the scale that reads as its score ("Your score
# today was fourteen." / "A month ago it was nine.").
_SCORE_CUE = re.compile(r"\b(?:scor\w*|it was|you were(?: at)?|total|came (?:out|back) at)\b", re.I)


def _scale_sentences(transcript: Transcript, key: str):
    """(sentence, scores in it) for each sentence naming the scale, and each of the
    next six that reads as its score."""
    sents = [x for seg in transcript.segments for x in ct.split_sentences(seg.text)]
    for i, sent in enumerate(sents):
        m = ct.SCALE_NAME.search(sent)
        if not m or grounding.scale_key(m.group(0)) != key:
            continue
        yield sent, grounding.score_values(sent)
        for nxt in sents[i + 1:i + 7]:
            if ct.SCALE_NAME.search(nxt):
                break
            if _SCORE_CUE.search(nxt):
                yield nxt, grounding.score_values(nxt)


# When a score was taken, as said next to it.
_WHEN = re.compile(r"\b(?:at (?:the )?(?:intake|initial visit|first (?:session|visit)|evaluation)|"
                   r"last (?:time|week|month|session|visit)|"
                   r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}|a few|a couple of|"
                   r"several) (?:days?|weeks?|months?|years?) ago)\b", re.I)


def _when_scored(transcript: Transcript, key: str, values: set[float]) -> str:
    for sent, vals in _scale_sentences(transcript, key):
        if vals & values:
            found = [m.group(0).lower() for m in _WHEN.finditer(sent)]
            if found:
                return ", ".join(dict.fromkeys(found))
    return ""


def _scale_sentence_values(transcript: Transcript, key: str) -> set[float]:
    """Scores said in a sentence naming the scale or in one of the next six that
    reads as its score. The checks accept any number near the scale's mention
    (turns, or a whole 30-second speech segment when speakers are unknown); a
    line stated as checked must be stricter: on the shipped sample, with one
    segment per half minute, that window also held "three times", "at ten" and
    a misheard "950 milligrams"."""
    out: set[float] = set()
    for _sent, vals in _scale_sentences(transcript, key):
        out |= vals
    return out


def _scale_name(transcript: Transcript, key: str) -> str:
    for seg in transcript.segments:
        for m in ct.SCALE_NAME.finditer(seg.text):
            if grounding.scale_key(m.group(0)) == key:
                return m.group(0)
    return ""


def _first_quote(transcript: Transcript, generic: str, *, stopped: bool) -> str:
    """The sentence that best shows the drug's status: for a stopped drug the
    one saying so; for a current one the first that gives a dose (the mention
    or the reply to it); else the first mention."""
    first = ""
    for seg, a, reply in _turns_naming(transcript, generic):
        sentence = _sentence_at(seg.text, a)
        first = first or sentence
        if stopped:
            if grounding.says_stopped(sentence):
                return sentence
            continue
        for c in [sentence] + ([_sentence_at(reply.text, 0)] if reply else []):
            if ct.find_numbers(c):
                return c
    return first


def _turns_naming(transcript: Transcript, generic: str):
    """(segment, where the drug is named in it, the other speaker's next turn or
    None) for each mention of the drug: a dose or a stop is often said in the reply."""
    segs = transcript.segments
    for i, seg in enumerate(segs):
        reply = segs[i + 1] if i + 1 < len(segs) and segs[i + 1].speaker != seg.speaker else None
        for _written, gen, a, _b in ct.find_medications(seg.text, guess=False):
            if gen == generic:
                yield seg, a, reply


# How often a drug is taken, said in the sentence after the one naming it.
_HOW_OFTEN = re.compile(r"\b(?:times? (?:a|per) (?:day|week|month)|once|twice|daily|"
                        r"every (?:day|morning|night|evening)|at (?:night|bedtime)|as needed|a day|a week)\b", re.I)
# Whether doses are taken as prescribed, in the client's words ("I haven't missed any",
# "I forget it on weekends") and in a note's ("no missed doses", "adherent").
_ADHERENCE_WORDS = (r"miss(?:ed|ing)?|skip(?:ped|ping|s)?|forg[eo]t(?:ten|ting)?|ran out|run out|on and off|"
                    r"religiously|every (?:single )?dose")
_ADHERENCE = re.compile(rf"\b(?:{_ADHERENCE_WORDS})\b", re.I)
_ADHERENCE_NOTED = re.compile(rf"\b(?:{_ADHERENCE_WORDS}|adheren\w*|(?:non-?)?complian\w*|as prescribed|as directed|"
                              r"consistent\w*|regularly)\b", re.I)


def _sentence_at(text: str, pos: int) -> str:
    spans = ct.sentence_spans(text)
    for k, (x, y) in enumerate(spans):
        if x <= pos < y:
            sentence = text[x:y].strip()
            nxt = text[spans[k + 1][0]:spans[k + 1][1]].strip() if k + 1 < len(spans) else ""
            if len(sentence.split()) <= 5 and nxt:  # "The hydroxyzine? No, I stopped it."
                sentence += " " + nxt
            elif any(rx.search(nxt) and not rx.search(sentence) for rx in (_HOW_OFTEN, _ADHERENCE)) and len(
                    sentence) + len(nxt) < _MAX_QUOTE:
                # "Just ibuprofen, four hundred. So two, three times a week." / "... I haven't missed any."
                sentence += " " + nxt
            if len(sentence) > _MAX_QUOTE:
                # A run-on sentence (transcripts without full stops): quote around the mention, so
                # the quote holds the drug rather than the 140 characters before it.
                start = max(0, pos - x - _MAX_QUOTE // 3)
                start = sentence.find(" ", start) + 1 if start else 0
                cut = sentence[start:start + _MAX_QUOTE].rsplit(" ", 1)[0]
                sentence = ("..." if start else "") + cut + ("..." if start + len(cut) < len(sentence) else "")
            return sentence
    return ""
