"""Therapy-session scoring and the grounding checker's recall on seeded errors.

Scoring functions (called by benchmarks/quality.py) take a drafted note (a Note,
its JSON, or {section key: text}) and an answer key from
../shared/eval/therapy/<id>.json:

- fact_recall: a must-include fact counts as present when one note sentence,
  or two consecutive ones, contain every number of the fact (digits and spoken
  numbers normalised, "fourteen" == 14) and at least half of the fact's
  content words (stemmed, stopwords and note boilerplate removed; prefix-fuzzy
  as in soapdesk.core.evidence).
- traps_present: a trap's wrong claim (each "/"-separated alternative) counts as
  present when a note sentence holds all its numbers and >= 80% of its content
  words, and is not negated where the claim is affirmative.
- risk_match: the note's risk statements agree with the key's statuses
  (soapdesk.core.risk.note_contradicts_risk against the key) for SI, self-harm, HI.
- medications / measures: each key medication named with its dose and the right
  current/stopped status (no grounding flag on it); each numeric measure value present.
- billing: CPT codes+units and ICD-10-CM codes from soapdesk.core.billing vs the key.
- unsupported: sentences soapdesk.core.evidence cannot support.

    .venv/bin/python benchmarks/therapy_eval.py --seeded   # seeded-error recall table
    .venv/bin/python benchmarks/therapy_eval.py --reference  # score the reference notes

`--seeded` takes the hand-written reference notes (tests/core/fixtures/notes),
injects errors programmatically (wrong numbers, dose swaps, score swaps,
reversed trends, a change told the wrong way round with its numbers kept
("anxiety increased from 7 to 4"), scores given the wrong time, flipped negations, a rated
symptom denied, invented medications, current-vs-stopped swaps, unnamed
"medication as prescribed" where the client takes none, weekday
swaps, the next visit moved to another day said in the session or given a time
never set for it, a symptom the session never names, invented improvement,
invented normal mental-status findings), and
reports the checker's recall (a variant is caught when a flag lands on the
changed sentence) and its false positives on the unmodified notes.
Results go to benchmarks/results/grounding.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from soapdesk.core import billing, evidence, grounding, measure_checks, measures, next_visit, risk  # noqa: E402
from soapdesk.core import clinical_text as ct  # noqa: E402
from soapdesk.core.transcript_text import parse_transcript  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "therapy"
FIXTURES = ROOT / "tests" / "core" / "fixtures"
RESULTS = ROOT / "benchmarks" / "results" / "grounding.json"
SESSIONS = ("dev_cbt_depression", "dev_gad_anxiety", "dev_pt_knee")


def therapy_dir() -> Path:
    return EVAL if EVAL.is_dir() else FIXTURES / "therapy"


def load_session(sid: str):
    d = therapy_dir()
    key = json.loads((d / f"{sid}.json").read_text())
    transcript = parse_transcript((d / f"{sid}.txt").read_text())
    return key, transcript


def load_reference_note(sid: str) -> dict:
    return json.loads((FIXTURES / "notes" / f"{sid}.json").read_text())


def sections_of(note) -> dict[str, str]:
    if isinstance(note, dict):
        if "sections" in note:
            secs = note["sections"]
            if isinstance(secs, dict):
                return dict(secs)
            return {s["key"]: s["text"] for s in secs}
        return dict(note)
    return {s.key: s.text for s in note.sections}


def note_sentences(note) -> list[str]:
    out = []
    for text in sections_of(note).values():
        out.extend(ct.split_sentences(text))
    return out


# -- fact matching ---------------------------------------------------------------

def _fact_claims(text: str):
    text = re.sub(r"\([^)]*\)", " ", text)  # parenthetical asides are not required
    return evidence.claims_of(text)


def _matches(claims, sentence_text: str, min_cov: float) -> bool:
    stems = {ct.norm_stem(s) for s in ct.content_stems(sentence_text, keep_boilerplate=True)}
    nums = evidence.clean_numbers(sentence_text) | {abs(v) for v in ct.number_values(sentence_text)}
    if any(n not in nums for n in claims.numbers):
        return False
    names = set(evidence._names_in(sentence_text))
    if any(k not in names for k in claims.names if not k.startswith("med:")):
        return False
    if not claims.stems:
        return bool(claims.numbers or claims.names)
    hit = sum(1 for s in claims.stems if evidence._stem_found(s, stems))
    return hit / len(claims.stems) >= min_cov


def fact_present(fact: str, sentences: list[str], min_cov: float = 0.5) -> bool:
    claims = _fact_claims(fact)
    for i in range(len(sentences)):
        for j in (i + 1, i + 2):
            if j <= len(sentences) and _matches(claims, " ".join(sentences[i:j]), min_cov):
                return True
    return False


def fact_recall(note, key: dict) -> dict:
    sents = note_sentences(note)
    facts = [f["fact"] for f in key.get("must_include_facts", [])]
    found = [f for f in facts if fact_present(f, sents)]
    return {"recall": round(len(found) / len(facts), 3) if facts else 1.0, "found": len(found), "total": len(facts),
            "missing": [f for f in facts if f not in found]}


_HYP = re.compile(r"\b(?:possible|possibly|consider\w*|may|might|could|would|if)\b", re.I)
_NEG = re.compile(r"\b(?:no|not|denies|denied|without|never)\b", re.I)


def traps_present(note, key: dict) -> list[str]:
    """Trap claims found in the note, clause by clause, all content words and
    numbers required, same polarity. Risk traps are judged by risk_match."""
    sents = [c.strip() for s in note_sentences(note) for c in re.split(r"[;:]|,\s+(?=\w+ \w+)|\s+but\s+", s)
             if c.strip()]
    out = []
    for trap in key.get("traps", []):
        for alt in re.split(r"\s+/\s+", trap.get("wrong_claim_a_careless_note_might_make", "")):
            if not alt.strip() or re.match(r"^\s*CPT\b", alt) or re.search(
                    r"suicid|homicid|self-harm|\bSI\b|\bHI\b", alt, re.I):
                continue
            claims = _fact_claims(alt)
            claims.stems = list(dict.fromkeys(claims.stems + [ct.norm_stem(w) for w in ct.content_stems(
                alt, keep_boilerplate=True) if w in {"today", "current", "currently", "session"}]))
            alt_neg = bool(_NEG.search(alt))
            alt_hyp = bool(_HYP.search(alt))
            for s in sents:
                if bool(_HYP.search(s)) != alt_hyp:
                    continue
                meds = {g for _w, g, _a, _b in ct.find_medications(s, guess=False)}
                if any(v not in meds for k, v in claims.names.items() if k.startswith("med:")):
                    continue  # a trap about a drug needs that drug in the clause
                if _matches(claims, s, 1.0) and bool(_NEG.search(s)) == alt_neg:
                    out.append(alt)
                    break
    return out


def risk_match(note, key: dict) -> dict:
    findings = {d: risk.RiskFinding(d, status=key["risk"].get(d, risk.NOT_ASSESSED)) for d in risk.DOMAINS}
    text = "\n".join(sections_of(note).values())
    problems = [p for p in risk.note_contradicts_risk(text, findings)]
    return {"match": not problems, "problems": problems}


def medication_accuracy(note, key: dict, transcript, flags=None) -> dict:
    text = "\n".join(sections_of(note).values())
    flags = flags if flags is not None else grounding.check_note(sections_of(note), transcript)
    ok = 0
    details = []
    lex = ct.medication_lexicon()
    for med in key.get("medications", []):
        name = re.sub(r"\s*\(.*\)", "", med["name"]).strip().lower()
        generic = lex.get(name, name)
        mentioned = [m for m in ct.find_medications(text) if m[1] == generic]
        bad = [f for f in flags if f.kind in ("medication_status", "dose") and generic in
               {m[1] for m in ct.find_medications(f.sentence)}]
        dose_ok = True
        if med.get("current") and med.get("dose"):
            dose_val = ct.find_numbers(med["dose"])
            dose_ok = bool(dose_val) and any(fact_present(f"{generic} {ct.fmt_number(dose_val[0].value)}", [s])
                                             for s in ct.split_sentences(text))
        good = bool(mentioned) and not bad and dose_ok
        ok += good
        details.append({"medication": med["name"], "mentioned": bool(mentioned), "dose_ok": dose_ok,
                        "flags": [f.reason for f in bad]})
    invented = [f.reason for f in flags if f.kind == "medication"]
    total = len(key.get("medications", []))
    return {"accuracy": round(ok / total, 3) if total else 1.0, "details": details, "invented": invented}


def measure_accuracy(note, key: dict) -> dict:
    sents = note_sentences(note)
    total = ok = 0
    missing = []
    for m in key.get("measures", []):
        v = m.get("value")
        if not isinstance(v, (int, float)):
            continue
        total += 1
        name = re.sub(r"\([^)]*\)|,.*$", "", m["name"]).strip()
        short = " ".join(name.split()[:3])
        if fact_present(f"{short} {v}", sents, min_cov=0.34):
            ok += 1
        else:
            missing.append(f"{m['name']} = {v}")
    return {"accuracy": round(ok / total, 3) if total else 1.0, "missing": missing}


def billing_correct(transcript, key: dict, *, template_id: str | None = None) -> dict:
    b = billing.suggest(transcript, template_id=template_id or key.get("format_hint"))
    got_cpt = sorted((c.code, c.units) for c in b.cpt)
    want_cpt = sorted((c["code"], c["units"]) for c in key["expected_cpt"]["codes"])
    got_icd = sorted(i.code for i in b.icd10)
    want_icd = sorted(d["icd10_cm"] for d in key.get("diagnoses_stated_by_clinician", []))
    return {"cpt_ok": got_cpt == want_cpt, "icd_ok": got_icd == want_icd, "cpt": got_cpt, "expected_cpt": want_cpt,
            "icd10": got_icd, "expected_icd10": want_icd}


def unsupported_count(note, transcript) -> dict:
    total = bad = 0
    examples = []
    for text in sections_of(note).values():
        for r in evidence.link_section(text, transcript):
            total += 1
            if not r.supported:
                bad += 1
                examples.append(r.text)
    return {"unsupported": bad, "sentences": total, "examples": examples}


def score_note(note, key: dict, transcript) -> dict:
    """Everything for one drafted note."""
    flags = grounding.check_note(sections_of(note), transcript)
    return {
        "fact_recall": fact_recall(note, key),
        "traps": traps_present(note, key),
        "risk": risk_match(note, key),
        "risk_screen_ok": all(risk.screen(transcript)[d].status == key["risk"][d]
                              for d in ("suicidal_ideation", "homicidal_ideation", "self_harm")),
        "medications": medication_accuracy(note, key, transcript, flags),
        "measures": measure_accuracy(note, key),
        "billing": billing_correct(transcript, key),
        "unsupported": unsupported_count(note, transcript),
        "grounding_flags": [f.to_json() for f in flags],
    }


# -- seeded errors -----------------------------------------------------------------

_INVENTED_MEDS = ["lorazepam 1 mg", "quetiapine 75 mg", "bupropion 150 mg", "fluoxetine 40 mg", "gabapentin 300 mg",
                  "trazodone 100 mg", "Zentravex 20 mg", "cyclobenzaprine 10 mg"]
_SWAP_MED = {"sertraline": "escitalopram", "hydroxyzine": "buspirone", "ibuprofen": "naproxen",
             "oxycodone": "hydrocodone"}
_NEG_FLIPS = [
    (r"\bdenied suicidal thoughts\b", "reported suicidal thoughts"),
    (r"\bdenied (ever having )?thoughts of suicide\b", "reported thoughts of suicide"),
    (r"\bdenied suicidal ideation\b", "reported suicidal ideation"),
    (r"\bdenied thoughts of being better off dead\b", "reported thoughts of being better off dead"),
    (r"\bhomicidal ideation was not assessed\b", "client denied homicidal ideation"),
    (r"\bPatient denies calf pain\b", "Patient reports calf pain"),
    (r"\bwith no extensor lag\b", "with extensor lag"),
    (r"\band no current side effects\b", "and reports side effects"),
    (r"\bClient denied\b", "Client endorsed"),
]
_STATUS_SWAPS = [
    (r"Client stopped hydroxyzine 25 mg as needed months ago because it was too sedating and currently takes no "
     r"medication\.", "Client currently takes hydroxyzine 25 mg as needed for anxiety."),
    (r"has not needed oxycodone since week two", "takes oxycodone for pain"),
    (r"Client takes sertraline 50 mg every morning", "Client stopped sertraline 50 mg"),
    (r"Patient takes ibuprofen 400 mg", "Patient stopped ibuprofen 400 mg"),
]
_TREND_FLIPS = [
    (r"PHQ-9 today is 14, up from 9", "PHQ-9 today is 9, down from 14"),
    (r"PHQ-9 today is 14, up from 9", "PHQ-9 improved from 14 to 9"),
    (r"GAD-7 today is 15, down from 17", "GAD-7 today is 17, up from 15"),
    (r"GAD-7 today is 15, down from 17", "GAD-7 worsened from 17 to 15"),
]
# A change told the wrong way round with its numbers kept: "anxiety increased from 7 to 4".
_DIRECTION_FLIPS = [
    (r"dropped from 95 to 40", "rose from 95 to 40"),
    (r"embarrassment decreased from 80 to 50", "embarrassment increased from 80 to 50"),
    (r"Anxiety decreased from 7 to 4", "Anxiety increased from 7 to 4"),
]
_INSERTS = [
    ("Client reports improvement in sleep and appetite.", "polarity"),
    ("Sleep has improved since the last session.", "polarity"),
    ("Client was alert and oriented x3 with euthymic mood and full affect.", "normal_findings_without_basis"),
    ("Thought process was linear and goal-directed; insight and judgment were good.", "normal_findings_without_basis"),
    ("Speech was normal in rate and rhythm with good eye contact.", "normal_findings_without_basis"),
]


def _replace_sentence(sections: dict, old: str, new: str) -> dict | None:
    for k, v in sections.items():
        if old in v:
            out = dict(sections)
            out[k] = v.replace(old, new, 1)
            return out
    return None


def _new_number(v: float, avoid: set[float]) -> float:
    for delta in (7, 11, 13, 3, 17, 23, 31, 2):
        for cand in (v + delta, abs(v - delta), v * 2 + 1):
            if cand > 0 and cand not in avoid:
                return cand
    return v + 997


_LENGTH = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[\s-]+"
                     r"(day|week|month|year)s?\b(?![\s-]*old)", re.I)


def seeded_variants(note: dict, transcript, answer_key: dict | None = None) -> list[dict]:
    """[{kind, sections, sentence (the changed/added one)}]."""
    sections = sections_of(note)
    facts = grounding.transcript_facts(transcript)
    avoid = facts.numbers
    said = measure_checks.read_session(transcript)
    out = []
    for key, text in sections.items():
        for sent in ct.split_sentences(text):
            # wrong numbers (digits in the note), one per number
            for m in re.finditer(r"(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.]*\d)", sent):
                if re.match(r"(?:PHQ|GAD)-$", sent[max(0, m.start() - 4):m.start()]) or sent[
                        max(0, m.start() - 1):m.start()] in ("/", "-") and m.start() > 0 and sent[m.start() - 2].isdigit():
                    continue
                if re.match(r"^\s*-\s*\d", sent[max(0, m.start() - 2):m.end()]) and sent[m.start() - 1] == "-" \
                        and sent[m.start() - 2].isdigit():
                    continue
                if sent[m.end():m.end() + 3].startswith("/10") or sent[m.end():m.end() + 1] == ":" or (
                        m.start() > 0 and sent[m.start() - 1] == ":"):
                    continue
                v = float(m.group(1))
                nv = _new_number(v, avoid)
                new = sent[:m.start()] + ct.fmt_number(nv) + sent[m.end():]
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    kind = "wrong_dose" if re.match(r"\s*mg\b", sent[m.end():]) else (
                        "wrong_score" if ct.SCALE_NAME.search(sent[:m.start()]) else "wrong_number")
                    out.append({"kind": kind, "sections": s2, "sentence": new})
            # spoken numbers in the note ("fifteen minutes", "five nights")
            for n in ct.find_numbers(sent):
                if n.text[0].isdigit() or n.value <= 1:
                    continue
                nv = _new_number(n.value, avoid)
                new = sent[:n.start] + ct.fmt_number(nv) + sent[n.end:]
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    out.append({"kind": "wrong_number", "sections": s2, "sentence": new})
            # a number the session said, put where it means something else: "105 degrees" -> "12 degrees"
            # when 12 was said only as minutes (the plain number check cannot see this)
            for value, unit in sorted(measure_checks.unit_numbers(sent)):
                swap = next((v for v in sorted(facts.numbers) if v > 1 and v != value and (v, unit) not in
                             said.with_units and float(v).is_integer()), None)
                m = re.search(rf"(?<![\w.]){re.escape(ct.fmt_number(value))}(?=\s*(?:-\s*)?{unit[:3]})", sent, re.I)
                if swap is None or not m:
                    continue
                new = sent[:m.start()] + ct.fmt_number(swap) + sent[m.end():]
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    out.append({"kind": "misused_number", "sections": s2, "sentence": new})
            # a 0-100 rating given to the wrong belief or emotion: "belief 95" written
            # as 80, the embarrassment's rating (a number the session did say)
            for n in ct.find_numbers(sent):
                own = [vals for vals in said.hundred.values() if n.value in vals]
                if not own:
                    continue
                swap = next((v for vals in said.hundred.values() for v in sorted(vals)
                             if not any(v in o for o in own)), None)
                if swap is None:
                    continue
                new = sent[:n.start] + ct.fmt_number(swap) + sent[n.end:]
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    out.append({"kind": "misused_rating", "sections": s2, "sentence": new})
            # medication swaps / weekday swaps
            for written, generic, a, b in ct.find_medications(sent):
                if generic in _SWAP_MED:
                    new = sent[:a] + _SWAP_MED[generic] + sent[b:]
                    s2 = _replace_sentence(sections, sent, new)
                    if s2:
                        out.append({"kind": "invented_medication", "sections": s2, "sentence": new})
                dm = re.search(r"(\d+(?:\.\d+)?)\s*mg", sent[b:b + 20])
                if dm:
                    for other in (2, 3, 0.5):
                        nv = float(dm.group(1)) * other
                        if nv in facts.meds.get(generic, grounding.MedFacts(generic)).current_doses:
                            continue
                        new = sent[:b + dm.start(1)] + ct.fmt_number(nv) + sent[b + dm.end(1):]
                        s2 = _replace_sentence(sections, sent, new)
                        if s2:
                            out.append({"kind": "wrong_dose", "sections": s2, "sentence": new})
            for day in ct.weekdays(sent):
                for other in ct.WEEKDAYS:
                    if other not in facts.weekdays:
                        new = re.sub(day, other.capitalize(), sent, flags=re.I)
                        s2 = _replace_sentence(sections, sent, new)
                        if s2:
                            out.append({"kind": "wrong_weekday", "sections": s2, "sentence": new})
                        break
    full = "\n".join(sections.values())
    for pat, rep in _NEG_FLIPS:
        for sent in ct.split_sentences(full):
            if re.search(pat, sent):
                new = re.sub(pat, rep, sent, count=1)
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    out.append({"kind": "flipped_negation", "sections": s2, "sentence": new})
    for pat, rep in _STATUS_SWAPS + _TREND_FLIPS + _DIRECTION_FLIPS:
        for sent in ct.split_sentences(full):
            if re.search(pat, sent):
                new = re.sub(pat, rep, sent, count=1)
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    kind = ("current_vs_stopped" if (pat, rep) in _STATUS_SWAPS else
                            "change_direction" if (pat, rep) in _DIRECTION_FLIPS else "score_trend")
                    out.append({"kind": kind, "sections": s2, "sentence": new})
    first_key = next(iter(sections))
    for med in _INVENTED_MEDS:
        sent = f"Client also takes {med} daily."
        s2 = dict(sections)
        s2[first_key] = sections[first_key] + " " + sent
        out.append({"kind": "invented_medication", "sections": s2, "sentence": sent})
    # a score given the wrong time: today's as the earlier one, the earlier one as today's
    for m in {grounding.scale_key(m.group(0)): m for m in ct.SCALE_NAME.finditer(full)}.values():
        sf = facts.scales.get(grounding.scale_key(m.group(0)))
        if not sf or not sf.current or not sf.prior or sf.current & sf.prior:
            continue
        now, before = ct.fmt_number(min(sf.current)), ct.fmt_number(min(sf.prior))
        for sent in (f"The {m.group(0)} score was {now} at intake.", f"The {m.group(0)} score is {before} today."):
            s2 = dict(sections)
            s2[first_key] = sections[first_key] + " " + sent
            out.append({"kind": "score_timing", "sections": s2, "sentence": sent})
    # a symptom the client rated above zero, denied
    for subject in sorted({r.subject for r in measures.ratings(transcript) if r.value > 0}):
        if subject not in {"pain", "nausea", "dizziness", "fatigue"}:  # only symptoms, not "anxiety rating"
            continue
        sent = f"Denies {subject}."
        s2 = dict(sections)
        s2[first_key] = sections[first_key] + " " + sent
        out.append({"kind": "denied_rated_symptom", "sections": s2, "sentence": sent})
    # an exercise given another exercise's sets x reps (both numbers were said as sets and reps)
    done = {e.name: (e.sets, e.reps) for e in measures.exercises(transcript) if not e.home}
    for a, b in zip(list(done), list(done)[1:]):
        if done[a] != done[b]:
            sets, reps = done[b]
            sent = f"Completed {a}, {ct.fmt_number(sets)} sets of {ct.fmt_number(reps)}."
            s2 = dict(sections)
            s2[first_key] = sections[first_key] + " " + sent
            out.append({"kind": "swapped_exercise_dosage", "sections": s2, "sentence": sent})
    # an exercise the clinician took off the program, written as still in it
    for name in measures.dropped_exercises(transcript):
        sent = f"Home exercise program: continue {name}."
        s2 = dict(sections)
        s2[first_key] = sections[first_key] + " " + sent
        out.append({"kind": "dropped_exercise_kept", "sections": s2, "sentence": sent})
    # minutes the clinician gave one intervention given to another, or to one done without minutes,
    # and an exercise's sets x reps given to a billing category
    stated = billing.stated_rehab_minutes(transcript)
    unstated = [label for _p, code, timed, label in billing.REHAB_INTERVENTIONS
                if timed and code not in {m[0] for m in stated}]
    for k, ((_c, _t, label, n, _q, _s), (_c2, _t2, _other, n2, _q2, _s2)) in enumerate(zip(stated, stated[1:])):
        if n != n2:
            for kind, sent in (("minutes_swapped", f"{label}: {n2} minutes."),
                               ("minutes_not_given", f"{unstated[k % len(unstated)]}: {n} minutes.")):
                s2 = dict(sections)
                s2[first_key] = sections[first_key] + " " + sent
                out.append({"kind": kind, "sections": s2, "sentence": sent})
    for name, (sets, reps) in list(done.items())[:1]:
        for label in [m[2] for m in stated if m[0] != "97110"][:2]:  # therapeutic exercise is where they belong
            sent = f"{label}: {ct.fmt_number(sets)} sets of {ct.fmt_number(reps)} reps."
            s2 = dict(sections)
            s2[first_key] = sections[first_key] + " " + sent
            out.append({"kind": "category_sets_reps", "sections": s2, "sentence": sent})
    # the next visit given a weekday said in the session for something else, or a time never set for it
    visit = next_visit.arranged(transcript)
    for sent in ct.split_sentences(full):
        if not next_visit.NOTE_CUE.search(sent):
            continue
        for day in ct.weekdays(sent):
            other = next((d for d in sorted(facts.weekdays) if d not in visit.weekdays), None)
            if other:
                new = re.sub(day, other.capitalize(), sent, flags=re.I)
                s2 = _replace_sentence(sections, sent, new)
                if s2:
                    out.append({"kind": "next_visit_changed", "sections": s2, "sentence": new})
        hour = next((h for h in (10, 11, 2, 4, 7) if h not in visit.numbers), None)
        new = sent.rstrip(". ") + f" at {hour} am."
        s2 = _replace_sentence(sections, sent, new) if hour is not None else None
        if s2:
            out.append({"kind": "next_visit_changed", "sections": s2, "sentence": new})
    # a length of time given a number the session said for something else ("three weeks" -> "two weeks"
    # where only "two, three times a week" was said)
    days = {"day": 1, "week": 7, "month": 30, "year": 365}
    for sent in ct.split_sentences(full):
        if next_visit.NOTE_CUE.search(sent):
            continue
        for m in _LENGTH.finditer(sent):
            unit = days[m.group(2).lower()]
            other = next((v for v in sorted(facts.numbers) if 2 <= v <= 12 and v not in ct.number_values(m.group(1))
                          and not any(abs(v * unit - d) <= 0.1 * max(v * unit, d) for d in visit.lengths)), None)
            if other is None:
                continue
            new = sent[:m.start(1)] + ct.fmt_number(other) + sent[m.end(1):]
            s2 = _replace_sentence(sections, sent, new)
            if s2:
                out.append({"kind": "length_of_time_changed", "sections": s2, "sentence": new})
    # unnamed medication use, where the answer key says the client takes none now
    meds = (answer_key or {}).get("medications")
    if meds and not any(m.get("current") for m in meds):
        for sent in ("Client is taking her medication as prescribed.", "Client reports being compliant with "
                                                                        "medications."):
            s2 = dict(sections)
            s2[first_key] = sections[first_key] + " " + sent
            out.append({"kind": "unnamed_medication_use", "sections": s2, "sentence": sent})
    # a symptom the session never names, reported (the issue's "invented improvement in sleep and
    # appetite" has a cousin: "stopped it when they felt dizzy" of a drug that knocked the client out)
    unnamed = [w for w in ("nausea", "tremor", "nightmares", "palpitations", "rash", "fever")
               if w[:4] not in transcript.text.lower()]
    for symptom in unnamed[:2]:
        # The client named as such, and behind a pronoun as the drafts write it ("when they felt dizzy").
        for sent in (f"Client also reports {symptom}.", f"They stopped it when they had {symptom}."):
            s2 = dict(sections)
            s2[first_key] = sections[first_key] + " " + sent
            out.append({"kind": "invented_symptom", "sections": s2, "sentence": sent})
    for sent, kind in _INSERTS:
        if kind == "polarity" and "sleep" not in full.lower():
            continue
        s2 = dict(sections)
        s2[first_key] = sections[first_key] + " " + sent
        out.append({"kind": kind, "sections": s2, "sentence": sent})
    return out


def run_seeded(verbose: bool = False) -> dict:
    rows = {}
    misses = []
    fp_total = 0
    sent_total = 0
    fp_examples = []
    t0 = time.time()
    for sid in SESSIONS:
        key, transcript = load_session(sid)
        note = load_reference_note(sid)
        base = grounding.check_note(sections_of(note), transcript)
        fp_total += len(base)
        sent_total += len(note_sentences(note))
        fp_examples += [f.to_json() for f in base]
        for v in seeded_variants(note, transcript, key):
            flags = grounding.check_note(v["sections"], transcript)
            caught = any(f.sentence.strip() == v["sentence"].strip() or v["sentence"].strip() in f.sentence
                         or f.sentence in v["sentence"] for f in flags)
            r = rows.setdefault(v["kind"], {"variants": 0, "caught": 0})
            r["variants"] += 1
            r["caught"] += caught
            if not caught:
                misses.append({"session": sid, "kind": v["kind"], "sentence": v["sentence"]})
    total = sum(r["variants"] for r in rows.values())
    caught = sum(r["caught"] for r in rows.values())
    result = {
        "recall": round(caught / total, 4) if total else None,
        "variants": total,
        "caught": caught,
        "by_kind": {k: {**r, "recall": round(r["caught"] / r["variants"], 4)} for k, r in sorted(rows.items())},
        "false_positives_on_reference_notes": fp_total,
        "reference_sentences": sent_total,
        "false_positive_rate_per_sentence": round(fp_total / sent_total, 4) if sent_total else None,
        "false_positive_examples": fp_examples,
        "missed": misses,
        "seconds": round(time.time() - t0, 1),
    }
    return result


def print_table(res: dict) -> None:
    print(f"{'error kind':28} {'variants':>8} {'caught':>7} {'recall':>7}")
    for k, r in res["by_kind"].items():
        print(f"{k:28} {r['variants']:>8} {r['caught']:>7} {r['recall'] * 100:>6.1f}%")
    print(f"{'ALL':28} {res['variants']:>8} {res['caught']:>7} {res['recall'] * 100:>6.1f}%")
    print(f"false positives on the unmodified reference notes: {res['false_positives_on_reference_notes']} flags "
          f"in {res['reference_sentences']} sentences ({res['false_positive_rate_per_sentence'] * 100:.1f}%)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeded", action="store_true", help="grounding recall on seeded errors")
    ap.add_argument("--reference", action="store_true", help="score the reference notes")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.reference or not args.seeded:
        for sid in SESSIONS:
            key, transcript = load_session(sid)
            s = score_note(load_reference_note(sid), key, transcript)
            print(sid, json.dumps({k: s[k] for k in ("fact_recall", "traps", "risk", "risk_screen_ok", "billing")},
                                  default=str)[:1200])
    if args.seeded:
        res = run_seeded(args.verbose)
        print_table(res)
        if args.verbose:
            for m in res["missed"]:
                print("MISSED", m)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(res, indent=1))
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
