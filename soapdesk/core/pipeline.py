"""Audio or typed transcript → transcript segments → drafted note.

The one place that ties the engine together for every front end (CLI, window,
HTTP API). Engines load lazily, once, and each runs on its own serial lane:
whisper and llama.cpp are big, stateful and not thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from soapdesk.core import chief_complaint, history_opening, model_files, section_lanes, session_facts, templates
from soapdesk.core.catalog import ASR, LLM
from soapdesk.core.drafting import Drafter, LlamaDrafter, OnSection, OnText
from soapdesk.core.errors import Cancelled, TranscriptEmpty
from soapdesk.core.note import Note
from soapdesk.core.settings import Settings
from soapdesk.core.transcript import Segment, Transcript
from soapdesk.core.transcript_text import parse_transcript

OnProgress = Callable[[float], None]
OnSegment = Callable[[Segment], None]


class Pipeline:
    def __init__(self, settings: Settings | None = None, *, transcriber=None, drafter: Drafter | None = None):
        self.settings = settings or Settings()
        self._transcriber = transcriber
        self._drafter = drafter
        self._asr_lane = threading.Lock()
        self._llm_lane = threading.Lock()

    # -- engines -------------------------------------------------------------

    @property
    def transcriber(self):
        if self._transcriber is None:
            from soapdesk.core.transcribe import WhisperTranscriber

            _, model_dir = model_files.resolve(self.settings.asr_model, ASR)
            self._transcriber = WhisperTranscriber(
                model_dir, threads=self.settings.threads,
                vocabulary=self.settings.extra_vocabulary,
                biasing=self.settings.vocabulary_biasing)
            self._transcriber.model_id = self.settings.asr_model
        return self._transcriber

    @property
    def drafter(self) -> Drafter:
        if self._drafter is None and self.settings.practice_server_url:
            from soapdesk.core.practice_server import PracticeServerDrafter

            self._drafter = PracticeServerDrafter(
                self.settings.practice_server_url, model=self.settings.practice_server_model,
                api_key=self.settings.practice_server_key, n_ctx=self.settings.llm_context,
                max_section_tokens=self.settings.section_max_tokens)
        if self._drafter is None:
            entry, path = model_files.resolve(self.settings.llm_model, LLM)
            self._drafter = LlamaDrafter(
                path, model_id=entry.id, chat_format=entry.chat_format, threads=self.settings.threads,
                n_ctx=min(self.settings.llm_context, entry.context_length or self.settings.llm_context),
                max_section_tokens=self.settings.section_max_tokens)
        return self._drafter

    def check_models(self, *, audio: bool) -> None:
        """Fail fast, before any work, with the one command that fixes it."""
        if audio:
            model_files.resolve(self.settings.asr_model, ASR)
        if not self.settings.practice_server_url:
            model_files.resolve(self.settings.llm_model, LLM)

    # -- steps ---------------------------------------------------------------

    def transcribe(self, source: Path | bytes, *, on_progress: OnProgress | None = None,
                   on_segment: OnSegment | None = None, cancel: threading.Event | None = None) -> Transcript:
        with self._asr_lane:
            transcript = self.transcriber.transcribe(source, on_progress=on_progress, on_segment=on_segment,
                                                     cancel=cancel)
        if transcript.is_empty():
            raise TranscriptEmpty("No speech was recognised in the recording, so there is nothing to draft from.")
        return transcript

    def draft(self, transcript: Transcript, template_id: str | None = None, *,
              on_section: OnSection | None = None, on_text: OnText | None = None,
              cancel: threading.Event | None = None, specialty=None, billing: bool = False,
              minutes: int | None = None) -> Note:
        from soapdesk.core import review

        review.warm_up()
        template = templates.load(template_id or self.settings.template)
        if specialty is not None:
            from soapdesk.core.specialties import apply_specialty

            template = apply_specialty(template, specialty)
        t0 = time.perf_counter()
        with self._llm_lane:
            result = self.drafter.draft(transcript, template, on_section=on_section, on_text=on_text, cancel=cancel)
        section_lanes.drop_repeated_out_of_lane(result.sections)
        chief_complaint.shorten(result.sections)
        history_opening.open_history(result.sections, transcript)
        added = session_facts.add_missing_facts(result.sections, transcript, person=template.person)
        if added:
            result.warnings.append(f"{added} fact(s) checked in the transcript (risk screen, medications, scores, "
                                   f"ratings, measurements, stated diagnoses, test results read out) were missing "
                                   f"from the draft and were added at the end of the section they belong in.")
        note = Note(template=template.id, sections=result.sections, transcript=transcript,
                    models={"asr": getattr(self._transcriber, "model_id", None) if transcript.source == "audio"
                            else None, "llm": self.drafter.model_id},
                    warnings=list(transcript.warnings) + result.warnings)
        note.timings["draft_s"] = time.perf_counter() - t0
        note.draft_stats = result.stats  # tokens and seconds per section, for benchmarks
        review.review(note, billing=billing, minutes=minutes)
        return note

    def note_from_audio(self, source: Path | bytes, template_id: str | None = None, *,
                        on_progress: OnProgress | None = None, on_segment: OnSegment | None = None,
                        on_section: OnSection | None = None, on_text: OnText | None = None,
                        cancel: threading.Event | None = None, specialty=None, billing: bool = False,
                        minutes: int | None = None) -> Note:
        self.check_models(audio=True)
        t0 = time.perf_counter()
        transcript = self.transcribe(source, on_progress=on_progress, on_segment=on_segment, cancel=cancel)
        transcribe_s = time.perf_counter() - t0
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        note = self.draft(transcript, template_id, on_section=on_section, on_text=on_text, cancel=cancel,
                          specialty=specialty, billing=billing, minutes=minutes)
        note.timings = {"transcribe_s": transcribe_s, **note.timings}
        return note

    def note_from_text(self, text: str, template_id: str | None = None, *, on_section: OnSection | None = None,
                       on_text: OnText | None = None, cancel: threading.Event | None = None,
                       specialty=None, billing: bool = False, minutes: int | None = None) -> Note:
        transcript = parse_transcript(text)
        self.check_models(audio=False)
        note = self.draft(transcript, template_id, on_section=on_section, on_text=on_text, cancel=cancel,
                          specialty=specialty, billing=billing, minutes=minutes)
        note.timings = {"transcribe_s": 0.0, **note.timings}
        return note
