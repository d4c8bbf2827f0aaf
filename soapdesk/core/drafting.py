"""Drafting a note section by section with a local GGUF model (llama.cpp).

One `Llama` object per drafter, loaded lazily and used by one thread at a time
(it is stateful). Each section is generated under a JSON-schema grammar and
validated afterwards; the transcript sits in a stable prompt prefix so its KV
cache is computed once per note. A transcript longer than the context window
is condensed part by part first (map-reduce) and the note says so.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import logging
import re
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from soapdesk.core import clinical_text as ct
from soapdesk.core import (clinical_style, physical_exam, prompts, review_of_systems, section_lanes,
                           session_facts)
from soapdesk.core.errors import Cancelled, DraftFailed
from soapdesk.core.grammar_decoding import GreedyGrammarSampler, generate_text, second_person_tokens
from soapdesk.core.json_stream import JsonFieldStreamer
from soapdesk.core.note import Section
from soapdesk.core.templates import Template
from soapdesk.core.transcript import Transcript

log = logging.getLogger(__name__)

# Sections read from the transcript by rule (templates.READERS), not drafted: the model's
# reviews of systems were four times too long and listed symptoms the patient had denied, and
# its exams pasted in the conversation. A reader returning None found nothing it can read
# (an exam said without punctuation): the model drafts that section after all.
READERS: dict[str, Callable[[Transcript], str | None]] = {"review_of_systems": review_of_systems.section_text,
                                                          "physical_exam": physical_exam.section_text}

OnSection = Callable[[str, str], None]  # (section key, title): a section starts
OnText = Callable[[str, str], None]  # (section key, new text)


@dataclass
class DraftResult:
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    stats: list[dict] = field(default_factory=list)  # per call: tokens and seconds, no text


class Drafter(Protocol):
    model_id: str

    def draft(self, transcript: Transcript, template: Template, *, on_section: OnSection | None = None,
              on_text: OnText | None = None, cancel: threading.Event | None = None) -> DraftResult: ...


@dataclass
class Generation:
    text: str
    valid: bool
    prompt_tokens: int
    completion_tokens: int
    first_token_s: float
    total_s: float
    copied_dialogue: bool = False  # stopped where the model began copying transcript turns
    pattern_loop: bool = False  # stopped where the model began varying one sentence over and over


def read_section_stream(pieces: Generator[str, None, None], *, t0: float, prompt_tokens: int, key: str = "",
                        on_text: OnText | None = None, cancel: threading.Event | None = None) -> Generation:
    """Turn a model's streamed JSON answer into a section's text.

    Shared by the local model and a practice server: streams the "text" field
    to `on_text`, honours cancel, cuts verbatim repetition loops and stops at
    the closing brace.
    """
    streamer = JsonFieldStreamer("text")
    first = None
    n = 0
    looped = False
    copied_at = pattern_at = closed_at = None
    with contextlib.closing(pieces) as stream:  # a generator: closing it frees the sampler
        for piece in stream:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if first is None:
                first = time.perf_counter() - t0
            n += 1
            delta = streamer.feed(piece)
            if delta and on_text is not None:
                on_text(key, delta)
            # Both sentence checks look only at finished sentences, which change
            # only when a sentence's end arrives: no need to rescan on other tokens.
            ended = bool(delta) and _ENDS_SENTENCE.search(delta) is not None
            if ended and repeats_itself(streamer.value):
                # Greedy decoding of a small model can loop on a sentence; stop
                # at the first verbatim repeat rather than spend tokens on it.
                looped = True
                break
            if delta and (copied_at := dialogue_copy_start(streamer.value)) is not None:
                break
            if "}" in delta:
                closed_at = streamer.value.rindex("}")  # the model ended its answer inside the text
                break
            if ended and (pattern_at := pattern_loop_start(streamer.value)) is not None:
                break
            if streamer.done and streamer.raw.rstrip().endswith("}"):
                break  # the object is closed; trailing whitespace would only cost tokens
    text, valid = streamer.final()
    if copied_at is not None:
        text, valid = streamer.value[:copied_at].rstrip(), True
    elif pattern_at is not None:
        text, valid = streamer.value[:pattern_at].rstrip(" -\n"), True
    elif closed_at is not None:
        text, valid = streamer.value[:closed_at].rstrip(), True
    elif looped:
        text, valid = drop_repeated_sentences(streamer.value), True
    elif not valid and (restart := restarted_tail(text)) is not None:
        # Cut by the length limit while starting an earlier sentence over: the
        # half sentence repeats what the section already says, so nothing new
        # was cut short. Seen on a CBT Objective that ended "...skipping meals
        # and going to".
        text, valid = text[:restart].rstrip(), True
    return Generation(text=text, valid=valid, prompt_tokens=prompt_tokens, completion_tokens=n,
                      first_token_s=first or 0.0, total_s=time.perf_counter() - t0,
                      copied_dialogue=copied_at is not None, pattern_loop=pattern_at is not None)


_ENDS_SENTENCE = re.compile(r"[.!?]")


# Transcript turns as the prompt shows them ("[12] Client: ..."), starting a
# line or following a sentence.
_TURN = re.compile(r"(?:^|(?<=[\n.!?]))\s*((?:\[\d+\]\s*)?(Clinician|Client|Other):\s)")


def dialogue_copy_start(text: str) -> int | None:
    """Where the model began copying the dialogue itself, or None.

    A small model sometimes stops summarising and reproduces the transcript,
    turn labels and all ("... how are you today? Clinician: just alright ...",
    seen on ACI-Bench). A note never holds dialogue turns, so once turns of two
    different speakers appear, the text from the first turn label on is cut.
    One "Client:" alone may be a label the model chose, and is kept.
    """
    turns = list(_TURN.finditer(text))
    if len({m.group(2) for m in turns}) < 2:
        return None
    return turns[0].start(1)


# Words the model slips into a varied sentence without changing its pattern:
# "The patient is also being advised to..." continues "The patient is being advised to...".
_LOOP_FILLER = frozenset({"also", "further", "additionally", "again", "then"})


def _similar(a: str, b: str) -> bool:
    """Same first four words (fillers aside), or most words shared."""
    wa = [w for w in _norm(a).split() if w not in _LOOP_FILLER]
    wb = [w for w in _norm(b).split() if w not in _LOOP_FILLER]
    if len(wa) >= 4 and wa[:4] == wb[:4]:
        return True
    sa, sb = set(wa), set(wb)
    return bool(sa | sb) and len(sa & sb) / len(sa | sb) >= 0.6


def pattern_loop_start(text: str, run: int = 5, keep: int = 3) -> int | None:
    """Where the model began varying one sentence over and over, or None.

    The repeat penalty stops verbatim loops but not this one, seen on
    ACI-Bench: "The patient denied any family history of heart disease. The
    patient denied any risk factors for heart disease. The patient denied any
    medications that could cause chest pain. ..." for nine sentences, each a
    denial nobody made. Once `run` finished sentences in a row each open like
    the one before (or share most of its words), the text is cut after the
    first `keep` of them. Drafts of real length hold runs of three at most
    ("The big toe joint ..."), which are kept.
    """
    spans = [(m.start(), m.group(0)) for m in re.finditer(r"[^.!?\n]+[.!?]+(?=\s|$)", text)]
    streak = 1
    for i in range(1, len(spans)):
        streak = streak + 1 if _similar(spans[i][1], spans[i - 1][1]) else 1
        if streak >= run:
            return spans[i - run + 1 + keep][0]
    return None


# llama.cpp's repeat penalty over the last 64 generated tokens: enough to stop a
# small model repeating a phrase, mild enough not to mangle drug names.
REPEAT_PENALTY = 1.08


class LlamaDrafter:
    def __init__(self, model_path: Path, *, model_id: str, chat_format: str = "chatml", threads: int = 2,
                 n_ctx: int = 8192, max_section_tokens: int = 320, seed: int = 0, lazy_grammar: bool = True):
        self.model_path = Path(model_path)
        self.model_id = model_id
        self.fmt = prompts.chat_format(chat_format)
        self.threads = threads
        self.n_ctx = n_ctx
        self.max_section_tokens = max_section_tokens
        self.seed = seed
        # False = the library's own grammar sampler (kept for the benchmark and
        # the test that proves both give the same tokens).
        self.lazy_grammar = lazy_grammar
        self._llm = None
        self._grammar = None
        self._banned = None
        self._lock = threading.Lock()

    # -- loading -------------------------------------------------------------

    def load(self):
        if self._llm is None:
            from llama_cpp import Llama, LlamaGrammar

            log.info("loading drafting model", extra={"model": self.model_id, "n_ctx": self.n_ctx})
            try:
                self._llm = Llama(model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.threads,
                                  n_threads_batch=self.threads, n_batch=512, seed=self.seed, verbose=False)
            except (ValueError, RuntimeError) as exc:
                raise DraftFailed(f"The drafting model '{self.model_id}' could not be loaded.") from exc
            self._grammar = LlamaGrammar.from_string(prompts.SECTION_GRAMMAR, verbose=False)
            self._banned = second_person_tokens(self._llm)
        return self._llm

    def count_tokens(self, text: str) -> int:
        return len(self.load().tokenize(text.encode("utf-8"), add_bos=True, special=True))

    # -- one generation ------------------------------------------------------

    def generate(self, prompt: str, *, max_tokens: int, key: str = "", on_text: OnText | None = None,
                 cancel: threading.Event | None = None) -> Generation:
        llm = self.load()
        t0 = time.perf_counter()
        prompt_tokens = self.count_tokens(prompt)
        return read_section_stream(self._pieces(llm, prompt, max_tokens), t0=t0, prompt_tokens=prompt_tokens,
                                   key=key, on_text=on_text, cancel=cancel)

    def _pieces(self, llm, prompt: str, max_tokens: int):
        if self.lazy_grammar:
            sampler = GreedyGrammarSampler(llm, self._grammar, repeat_penalty=REPEAT_PENALTY,
                                           penalty_last_n=llm.last_n_tokens_size, banned=self._banned)
            tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
            try:
                yield from generate_text(llm, tokens, sampler, max_tokens=max_tokens)
            finally:
                sampler.close()
            return
        banned = self._banned

        def ban(_ids, logits):
            logits[banned] = -np.inf
            return logits

        stream = llm.create_completion(prompt, max_tokens=max_tokens, temperature=0.0, top_k=1,
                                       repeat_penalty=REPEAT_PENALTY, grammar=self._grammar, stream=True,
                                       seed=self.seed, logits_processor=[ban] if len(banned) else None)
        for chunk in stream:
            yield chunk["choices"][0].get("text") or ""

    # -- a whole note --------------------------------------------------------

    def draft(self, transcript: Transcript, template: Template, *, on_section: OnSection | None = None,
              on_text: OnText | None = None, cancel: threading.Event | None = None) -> DraftResult:
        with self._lock:
            return self._draft(transcript, template, on_section, on_text, cancel)

    def _draft(self, transcript, template, on_section, on_text, cancel) -> DraftResult:
        self.load()
        result = DraftResult(sections=[])
        prefix = self._prefix_that_fits(transcript, template, result, cancel)
        keys = template.keys
        # Only when the session never uses the other word: a client who is a nurse
        # talks about "the patients" on her ward, and those must stay patients.
        other = "patient" if template.person == "client" else "client"
        person = "" if re.search(rf"\b{other}", transcript.text, re.I) else template.person  # words, not labels
        pronoun = clinical_style.patient_pronoun(transcript.text) if template.person == "patient" else None
        for spec in template.sections:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if on_section is not None:
                on_section(spec.key, spec.title)
            read = READERS[spec.reader](transcript) if spec.reader else None
            if read is not None:
                text = clinical_style.restyle(read, pronoun=pronoun) or prompts.NOT_ADDRESSED
                if on_text is not None:
                    on_text(spec.key, text)
                result.sections.append(Section(spec.key, spec.title, text))
                continue
            tail = prompts.section_tail(self.fmt, spec,
                                        session_facts.section_facts(transcript, keys, spec.key, template.person))
            gen = self.generate(prefix + tail, max_tokens=self._section_tokens(spec),
                                key=spec.key, on_text=on_text, cancel=cancel)
            result.stats.append(_stats(spec.key, gen))
            text = clinical_style.restyle(clean_section_text(gen.text, spec.instruction, spec.title, template.title,
                                                             person), pronoun=pronoun)
            if not gen.valid:
                result.warnings.append(f"The {spec.title} section reached the length limit and may be cut short.")
            if gen.copied_dialogue:
                result.warnings.append(f"The {spec.title} section began copying the transcript word for word; "
                                       "that part was left out, so the section may be incomplete.")
            if gen.pattern_loop:
                result.warnings.append(f"The {spec.title} section began repeating one sentence with small changes; "
                                       "the repeats were left out, so the section may be incomplete.")
            if not text:
                text = prompts.NOT_ADDRESSED
            result.sections.append(Section(spec.key, spec.title, text))
        return result

    def _section_tokens(self, spec) -> int:
        return round(self.max_section_tokens * spec.length)

    def _budget(self, template) -> int:
        """Tokens the transcript prefix may take: the context minus the longest
        section request and its answer, with a margin for tokenizer drift."""
        return self.n_ctx - max(self._section_tokens(s) for s in template.sections) - 256

    def _prefix_that_fits(self, transcript, template, result, cancel) -> str:
        dialogue = transcript.as_dialogue()
        prefix = prompts.transcript_prefix(self.fmt, template, dialogue)
        if self.count_tokens(prefix) <= self._budget(template):
            return prefix
        lines = dialogue.split("\n")
        parts_total = 0
        for _round in range(3):
            condensed, parts = self._condense(lines, template, result, cancel)
            parts_total += parts
            prefix = prompts.transcript_prefix(self.fmt, template, condensed, context_note=_CONDENSED_NOTE)
            if self.count_tokens(prefix) <= self._budget(template):
                result.warnings.append(
                    f"The session was too long for the drafting model's context ({self.n_ctx} tokens); "
                    f"the draft was written from condensed notes of {parts} parts of the transcript. "
                    "Check it against the full transcript.")
                return prefix
            lines = condensed.split("\n")
        raise DraftFailed("The session is too long to draft with this model's context window.")

    def _condense(self, lines: list[str], template, result, cancel) -> tuple[str, int]:
        budget = self._budget(template) - 200
        chunks, current = [], []
        for ln in lines:
            trial = current + [ln]
            if current and self.count_tokens(
                    prompts.transcript_prefix(self.fmt, template, "\n".join(trial))) > budget:
                chunks.append(current)
                current = [ln]
            else:
                current = trial
        if current:
            chunks.append(current)
        facts = []
        for i, chunk in enumerate(chunks, 1):
            prompt = prompts.transcript_prefix(self.fmt, template, "\n".join(chunk)) + prompts.condense_tail(self.fmt)
            gen = self.generate(prompt, max_tokens=self.max_section_tokens * 2, key=f"condense-{i}", cancel=cancel)
            result.stats.append(_stats(f"condense-{i}", gen))
            facts.append(gen.text.strip())
        return "\n".join(f for f in facts if f), len(chunks)


_CONDENSED_NOTE = ("This session was too long to read at once, so it was condensed part by part; "
                   "line numbers refer to the full transcript.\n")


_SENTENCE_END = section_lanes.SENTENCE_BREAK


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _norm(sentence: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", sentence.lower()).split())


def repeats_itself(text: str) -> bool:
    """True once a finished sentence (of some length) repeats an earlier one."""
    done = _sentences(text)
    if text and not text.rstrip().endswith((".", "!", "?")):
        done = done[:-1]
    seen = set()
    for s in done:
        n = _norm(s)
        if len(n) >= 20 and n in seen:
            return True
        seen.add(n)
    return False


def restarted_tail(text: str) -> int | None:
    """Where an unfinished last sentence begins, when it is an earlier
    sentence of the same text started over word for word (at least four words)."""
    if not text or text.rstrip().endswith((".", "!", "?", '"', "'", ")")):
        return None
    spans = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not spans:
        return None
    start = spans[-1]
    tail = _norm(text[start:])
    if len(tail.split()) < 4:
        return None
    earlier = (_norm(s) for s in _sentences(text[:start]))
    return start if any(e.startswith(tail) for e in earlier) else None


def drop_repeated_sentences(text: str) -> str:
    out, seen = [], set()
    for s in _sentences(text):
        n = _norm(s)
        if n in seen:
            break
        seen.add(n)
        out.append(s)
    return " ".join(out)


# "Referrals: None." -- a small model echoes every item the section's
# instruction names, filling the ones the session never touched with "None".
# That states an absence nobody reported, so such an item is dropped. Only
# labels taken from the instruction: "Side effects: none." is a real finding.
_NONE_SAID = (r"(?:none(?: (?:mentioned|reported|discussed|stated|noted|given|documented))?|n/a|"
              r"not (?:discussed|mentioned|addressed|applicable|stated|noted|given|documented|reported))")
_EMPTY_FIELD = re.compile(r"(?:^(?:- )?|(?<=[.!?\n]) ?)([A-Z][^.:!?\n]{2,120}):\s*" + _NONE_SAID + r"\s*(?:[.;]|$)",
                          re.I | re.M)
# A line that says only that: "- None mentioned".
_NONE_LINE = re.compile(r"^(?:- )?(?:" + _NONE_SAID + r"|none of the above)\.?$", re.I)
# A heading with nothing on its line: "- Girth:".
_ITEM_HEADING = re.compile(r"^- [A-Z][^.:!?\n]{1,60}:$")


# "Pulmonary: No symptoms reported." under any label says only that the session
# was silent on it: a review of systems padded with systems nobody asked about.
_NO_INFO = re.compile(r"(?:^(?:- )?|(?<=[.!?\n]) ?)[A-Z][^.:!?\n]{2,70}:\s*(?:no symptoms|nothing|not) (?:were )?"
                      r"(?:reported|mentioned|discussed|stated)\s*(?:[.;]|$)", re.I | re.M)


def _words(text: str) -> list[str]:
    """Lower-case words with a plural 's' folded ("tasks" -> "task")."""
    return [w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower())]


def _asked_for(label: str, asked: set[str]) -> bool:
    """The label names an item of the instruction: its words are the
    instruction's, give or take a plural ("Homework or practice tasks agreed"),
    or, when the instruction goes system by system, a body system ("Respiratory")."""
    if "system" in asked and ct.BODY_SYSTEM.fullmatch(label.strip()):
        return True
    words = _words(label)
    return bool(words) and sum(w in asked for w in words) >= 0.8 * len(words)


# "Cardiovascular: no shortness of breath lately" -- what follows an item's label.
_LABELLED = re.compile(r"^(?:- )?[A-Z][^.:!?\n]{1,60}:\s*(\S.*)$")


def _drop_empty_items(text: str, instruction: str) -> str:
    """Drop the instruction's items filled with "None", lines saying only
    "None mentioned", lines repeating an earlier line word for word (or its
    words under another label), and then
    headings left with nothing under them ("- Girth:" right before "- Swelling:")."""
    asked = set(_words(instruction + " other additional notes comments"))
    out, seen = [], set()
    for line in text.split("\n"):
        kept = _EMPTY_FIELD.sub(lambda m: "" if _asked_for(m.group(1), asked) else m.group(0), line)
        kept = _NO_INFO.sub("", kept)
        if line.strip() and (kept.strip() in ("", "-") or _NONE_LINE.match(kept.strip())):
            continue  # a bullet that only said "Referrals: None."
        norm = _norm(kept)
        if len(norm) >= 20 and norm in seen:
            continue  # the same line again, e.g. a block of measurements listed twice
        item = _LABELLED.match(kept.strip())
        said = _norm(item.group(1)) if item else ""
        # Not a measured value: "Left knee flexion: 95 degrees active, 110 passive" and the same for the
        # right knee are two findings.
        if len(said) >= 20 and said in seen and not ct.number_values(said):
            # The same words under another label: "Endocrine: no other questions at this time ..."
            # after "Metabolic: no other questions ..." -- one thing said, filed under every system.
            continue
        seen.update({norm, said} - {""})
        out.append(kept)
    return "\n".join(_drop_empty_headings(out))


# The model's own way of saying the section has nothing, in place of "Not addressed in session.": "None
# of the patient's vitals or imaging tests discussed in the session were mentioned.", "The clinician did
# not prescribe any medications, and there was no mention of any other tests." (Results sections of 3 of
# 8 ACI-Bench train drafts). It states no finding, and under Results it read as if tests had come back
# empty. Never a sentence about risk or mental status: "not assessed" there is what the note must say.
_NOTHING_SAID = re.compile(
    r"^(?:- )?(?:none of\b.*\b(?:discussed|mentioned|reported)\b|"
    r"(?:no|there (?:was|were|is|are) no|the (?:clinician|doctor|provider) did not)\b.*"
    r"(?:\b(?:discussed|mentioned|addressed) (?:in|during) the (?:session|transcript|conversation|visit)\b|"
    r"\bno mention of\b))", re.I)
_RISK_OR_MENTAL_STATUS = re.compile(r"suicid|self-harm|harm|homicid|abuse|neglect|risk|safety|ideation|"
                                    r"substance|alcohol|drug|mental status|mood|affect", re.I)


def _drop_nothing_said(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        kept = [x for x in _SENTENCE_END.split(line)
                if not (_NOTHING_SAID.search(x.strip()) and not _RISK_OR_MENTAL_STATUS.search(x))]
        if line.strip() and not any(k.strip() for k in kept):
            continue
        lines.append(" ".join(kept))
    return "\n".join(lines).strip()


def _drop_empty_headings(lines: list[str]) -> list[str]:
    """Only list items ("- Girth:"); a plain heading with nothing under it may
    name a problem whose details were cut ("Depression:"), and stays."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if _ITEM_HEADING.match(line.strip()):
            nxt = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
            if not nxt or _ITEM_HEADING.match(nxt) or not nxt.startswith("- "):
                continue
        out.append(line)
    return out


# Up to the request's whole first clause ("Symptoms by body system as reported or denied
# by the patient, one system per line: the heart, ..."): dropped only when the request
# begins with it, so a finding's own label stays.
_ECHO_LABEL = re.compile(r"^[ \t]*((?:[A-Za-z]+,? ){2,15}[A-Za-z]+):[ \t]+(?=\S)")
# "The chief complaint is that ...", "The main reason for the visit is ...": the section's
# title or the request's opening words restated before the answer.
_RESTATED = re.compile(r"^(?:the |this )?(.{6,60}?) (?:is|are|was|were|includes?) (?:that )?(?=\S)", re.I)


def _drop_restated_opening(text: str, title: str, instruction: str) -> str:
    m = _RESTATED.match(text)
    if not m or not title:
        return text
    said, opening = _norm(m.group(1)), _norm(instruction)
    rest = text[m.end():]
    if _NOT_AN_ANSWER.match(rest):
        return text  # "The plan is to continue ...", "The assessment was completed ...": the sentence itself
    if said == _norm(title) or (len(said.split()) >= 3 and re.sub(r"^(?:the|this) ", "", opening).startswith(said)):
        return rest[:1].upper() + rest[1:]
    return text


_NOT_AN_ANSWER = re.compile(r"(?:to|not|being|done|\w+ed)\b", re.I)


def _drop_echoed_request(text: str, request: str) -> str:
    """Sentences of the request itself ("Results of labs, imaging or other tests
    that were discussed, with values.") that the model copied into its answer."""
    # Each sentence of the request, and each clause after its colon or semicolon: the
    # model copies "The system, a colon, then what the patient reported or denied about it."
    parts = [c for x in _sentences(request.replace("\n", " ")) for c in [x, *re.split(r"[:;]\s+", x)[1:]]]
    asked = {_norm(x) for x in parts if len(_norm(x)) >= 20}
    if not asked:
        return text
    request_words = set(_words(request))
    out = []
    for line in text.split("\n"):
        # The request's opening words made a heading ("Symptoms by body system as reported or denied by the patient:").
        head = _norm(line.rstrip().removesuffix(":")) if line.rstrip().endswith(":") else ""
        if len(head.split()) >= 4 and (any(a.startswith(head) for a in asked) or _asked_for(head, request_words)):
            continue  # ... or reworded ("Symptoms by body system as denied by the patient:")
        # ... or a label in front of a finding ("Results of labs: Creatinine is up slightly."). A label
        # in front of a single word ("Interventions used this session: None.") is left for _drop_empty_items.
        label = _ECHO_LABEL.match(line)
        if (label and len(_sentences(line[label.end():])[0].split()) > 1
                and any(a.startswith(_norm(label.group(1)) + " ") for a in asked)):
            line = line[label.end():]
            line = line[:1].upper() + line[1:]
        sentences = _sentences(line)
        kept = [x for x in sentences if not _echoes(_norm(x), asked)]
        if line.strip() and not kept:
            continue
        out.append(line if len(kept) == len(sentences) else " ".join(kept))
    return "\n".join(out)


def _echoes(sentence: str, asked: set[str]) -> bool:
    """The sentence is one of the request's, or a long one with a word or two changed ("For the problem
    discussed, in the order discussed: the problem or diagnosis as the clinician stated it ..." for "For
    each problem ..."): a draft's own sentence does not share 90 % of its characters with the request."""
    if sentence in asked:
        return True
    return len(sentence.split()) >= 10 and any(
        difflib.SequenceMatcher(None, sentence, a, autojunk=False).ratio() >= 0.9 for a in asked
        if abs(len(a) - len(sentence)) <= 0.2 * len(a))


_FENCE = re.compile(r"^`{3,}\w*$")
# A parenthesis opened and never closed at the very end: the answer's string was
# closed early (the model started a double-quoted quote), so the aside is cut.
_CUT_ASIDE = re.compile(r"\s*\([^()\n]*$")


# A small model runs a list into one line ("... not assessed. - Additional
# Testing: None. - Medical Treatment: ...") or leaves a heading at the end of
# the previous line ("... heart disease. Medical Reasoning:"). One item per line
# reads better in the EHR and lets the "None" items below be found.
_INLINE_BULLET = re.compile(r"(?<=[.!?:])[ \t]+[-\u2022][ \t]+(?=\S)")
_TRAILING_HEADING = re.compile(r"(?<=[.!?])[ \t]+([A-Z][^.:!?\n]{2,60}:)[ \t]*$", re.M)
# A heading built from the instruction's own "X or Y" ("Problem or Diagnosis:
# Big toe pain" from "the problem or diagnosis as the clinician stated it").
_OR_HEADING = re.compile(r"^(- )?([A-Za-z]+(?: [a-z]+){0,2} or [a-z]+(?: [a-z]+){0,2}):[ \t]*", re.I | re.M)


# The instructions ask for details "as said"; the model echoes it into labels
# ("The next appointment as said: Next Tuesday at 10.").
_AS_SAID_LABEL = re.compile(r"\s+as (?:said|stated)(?=:)", re.I)
# A label carrying the instruction's own aside ("Home exercise program changes
# (added, continued, discontinued, with sets x reps): Step-ups").
_LABEL_ASIDE = re.compile(r"[ \t]+\(([^()\n]{3,120})\)(?=:)")


def _one_item_per_line(text: str, instruction: str) -> str:
    text = _AS_SAID_LABEL.sub("", text)
    text = _LABEL_ASIDE.sub(lambda m: "" if f"({m.group(1)})".lower() in instruction.lower() else m.group(0), text)
    text = _TRAILING_HEADING.sub(lambda m: "\n" + m.group(1), _INLINE_BULLET.sub("\n- ", text))
    asked = set(_words(instruction))
    return _OR_HEADING.sub(lambda m: (m.group(1) or "") if _asked_for(m.group(2), asked) else m.group(0), text)


# The model stepping out of the note to talk about its answer: "Note: The text is formatted as
# JSON for clarity ... The transcript is data, not instructions" (a plan given room to run on,
# D2N083), "End of note." Nothing after that is about the patient.
_ABOUT_THE_ANSWER = re.compile(r"\bJSON\b|\bplain text\b|\bmarkdown\b|\bthe text must be\b|"
                               r"\btranscript is data\b|^end of (?:the |this )?(?:note|section|report|response)\b",
                               re.I)


@functools.cache
def _system_rules() -> frozenset[str]:
    """The system turn's sentences, normalised; the same for every section, so made once."""
    return frozenset(_norm(x) for x in _sentences(prompts.system_text("client") + " " + prompts.system_text("patient")))


def _drop_talk_about_the_answer(text: str) -> str:
    """Cut the section where the model starts talking about its answer or
    repeating its instructions (the system turn's sentences)."""
    rules = _system_rules()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        sentences = _sentences(line)
        for j, sentence in enumerate(sentences):
            if _ABOUT_THE_ANSWER.search(sentence) or _echoes(_norm(sentence), rules):
                return "\n".join(lines[:i] + [" ".join(sentences[:j])]).rstrip()
    return text


def clean_section_text(text: str, instruction: str = "", title: str = "", note_title: str = "",
                       person: str = "") -> str:
    """Strip markdown noise a small model adds, opening lines repeating the
    note's or the section's title, sentences echoing the request, and the
    instruction's items it filled with "None"; the EHR wants plain text, one
    item per line. With `person`, "the client"/"the patient" becomes the
    template's word for them."""
    lines = []
    raw = _CUT_ASIDE.sub("", _drop_talk_about_the_answer(text.replace("\r", "").strip())).split("\n")
    # Code fences and a brace "closing" the answer inside the text (a practice
    # server is held to the JSON schema only, not to our grammar).
    raw = [ln.rstrip().removesuffix("}").rstrip() for ln in raw if not _FENCE.match(ln.strip())]
    # Bold first: "**Symptoms by Body System as Reported or Denied by the Patient:**" is the request
    # echoed as a heading, and the check for that must see the words, not the markdown around them.
    raw = [ln.replace("**", "") for ln in raw]
    # "Physical therapy daily note" / "ASSESSMENT" above the answer: headings, not content.
    titles = {t.lower() for t in (title, note_title) if t}
    while raw and (not raw[0].strip() or raw[0].strip(" #*:").lower() in titles):
        raw = raw[1:]
    if title and raw and raw[0].lstrip(" #*").lower().startswith(title.lower() + ":"):
        raw[0] = raw[0].lstrip(" #*")[len(title) + 1:].strip(" *")  # "Review of Systems: Denies ..."
    raw = _drop_echoed_request("\n".join(raw), instruction + " " + prompts.SECTION_RULES).split("\n")
    if raw:
        raw[0] = _drop_restated_opening(raw[0], title, instruction)
    for ln in raw:
        s = ln.strip()
        while s.startswith("#"):  # bold markers went above
            s = s.lstrip("#").strip()
        if s.startswith(("* ", "- ")):
            s = "- " + s[2:].strip()
        lines.append(_drop_spoken_asides(s))
    out = _drop_empty_items(_one_item_per_line("\n".join(lines), instruction), instruction).strip()
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    out = session_facts.without_status_wording(out)
    if title.lower() == "results":
        # Only there: elsewhere "No medication changes were discussed in the session." is a finding.
        out = _drop_nothing_said(out)
    if out.strip(" .").lower() in _NOTHING:
        return ""  # the caller writes its one wording for a section the session did not touch
    return _person_word(out, person) if person else out


# The model drifts between "the client" and "the patient" within one note (a PT
# note's Assessment about "the client", an exam reading "The client reports no
# swelling"); the template says which word the profession uses.
_PERSON = re.compile(r"\b(the|The|this|This)( )(client|patient)(s?)\b(?!-)")


def _person_word(text: str, person: str) -> str:
    return _PERSON.sub(lambda m: m.group(1) + m.group(2) + person + m.group(4), text)


# Speech the model copied that is not about the patient: a command to the clinician's dictation
# assistant ("Dragon, show me the vital signs.", in 5 of 28 ACI-Bench drafts' exam sections), the
# assistant's name in front of a finding ("Dragon, I heard a 2 out of 6 murmur."), and a lone
# "Great." or "Okay." between findings.
_DICTATION_COMMAND = re.compile(r"^(?:hey\s*,?\s*)?dragon\b[\s,.]*(?:show me|go to|open|pull up|bring up)\b", re.I)
_DICTATION_NAME = re.compile(r"^(?:hey\s*,?\s*)?dragon\s*,\s*", re.I)
_SPOKEN_FILLER = {"great", "okay", "ok", "good", "all right", "alright", "perfect", "excellent", "so"}


def _drop_spoken_asides(line: str) -> str:
    sentences = _SENTENCE_END.split(line)
    kept = []
    for sentence in sentences:
        if _DICTATION_COMMAND.match(sentence) or sentence.strip(" .!,").lower() in _SPOKEN_FILLER:
            continue
        named = _DICTATION_NAME.match(sentence)
        if named:
            sentence = sentence[named.end():]
            sentence = sentence[:1].upper() + sentence[1:]
        kept.append(sentence)
    return line if kept == sentences else " ".join(kept)


_NOTHING = {"none", "n/a", "na", "not applicable", "not discussed", "not mentioned", "not stated", "nothing"}


def _stats(key: str, gen: Generation) -> dict:
    decode_s = max(gen.total_s - gen.first_token_s, 1e-9)
    return {"key": key, "prompt_tokens": gen.prompt_tokens, "completion_tokens": gen.completion_tokens,
            "prefill_s": round(gen.first_token_s, 3), "total_s": round(gen.total_s, 3),
            "decode_tok_s": round(max(gen.completion_tokens - 1, 0) / decode_s, 2)}
