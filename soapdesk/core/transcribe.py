"""Speech -> Transcript with faster-whisper, on a validated local model directory.

Flow per window of audio (default 5 min, so a 60-min session never sits in
memory whole): Silero VAD once -> concatenate the speech chunks -> whisper
(`vad_filter=False`, since VAD already ran: exactly what faster-whisper does
internally, without running VAD twice) -> map times back -> guards -> Segment.

Vocabulary biasing goes through `hotwords`, which faster-whisper puts in front
of every 30-s chunk (`initial_prompt` only reaches the first chunk once
`condition_on_previous_text=False`, and on tiny.en it was the option that got
the list recited back). A biased decode is accepted only while it keeps
covering the speech VAD found and does not recite the prompt; at the first
failure, the next stretch (to a pause >= 20 s on) is re-decoded unbiased and
biasing resumes after it. With no failure nothing is decoded twice.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence, Union

import numpy as np

import soapdesk.core  # noqa: F401  (hub-offline switches before faster_whisper)
from soapdesk.core import vocabulary as vocab
from soapdesk.core import whisper_guards as guards
from soapdesk.core.audio import SAMPLE_RATE, AudioLimits, fmt_duration, open_audio
from soapdesk.core.errors import AudioSilent, Cancelled, ModelCorrupt, ModelMissing
from soapdesk.core.transcript import UNKNOWN, Segment, Transcript

log = logging.getLogger(__name__)

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, np.ndarray]
ProgressFn = Callable[[float], None]
SegmentFn = Callable[[Segment], None]

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")


class Transcriber(Protocol):
    def transcribe(self, source: Source, *, on_progress: ProgressFn | None = None,
                   on_segment: SegmentFn | None = None,
                   cancel: threading.Event | None = None) -> Transcript: ...


def validate_model_dir(model_dir: Path) -> None:
    """Refuse a directory faster-whisper would 'repair' by downloading (T43)."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelMissing(f"The speech model folder {model_dir.name} was not found; install it with "
                           "`soapdesk models install`.")
    missing = [f for f in REQUIRED_FILES if not _nonempty(model_dir / f)]
    if not any(_nonempty(model_dir / f) for f in VOCABULARY_FILES):
        missing.append("vocabulary.txt")
    if missing:
        raise ModelCorrupt(f"The speech model in {model_dir.name} is unusable: model files incomplete "
                           f"(missing {', '.join(missing)}).")


def _nonempty(p: Path) -> bool:
    try:
        return p.is_file() and p.stat().st_size > 0
    except OSError:
        return False


@dataclass(frozen=True)
class BiasCheck:
    # Longest stretch of VAD speech allowed without a segment before a biased
    # decode is presumed to have dropped audio. VAD keeps pauses < 2 s inside
    # a chunk plus 0.4 s padding, so real gaps stay well under this.
    max_gap_s: float = 5.0
    # An unbiased fallback stretch runs at least this long (to the next pause).
    fallback_min_s: float = 20.0


class WhisperTranscriber:
    """faster-whisper on CPU, int8. Loaded lazily, once; one transcription at a time."""

    def __init__(self, model_dir: Path, *, threads: int, vocabulary: Sequence[str] = (),
                 biasing: bool = True, window_s: float = 300.0, language: str | None = "en",
                 beam_size: int = 5, limits: AudioLimits = AudioLimits(),
                 bias_check: BiasCheck = BiasCheck()):
        self.model_dir = Path(model_dir)
        self.threads = max(1, int(threads))
        self.biasing = biasing
        self.window_s = window_s
        self.language = language
        self.beam_size = beam_size
        self.limits = limits
        self.bias_check = bias_check
        self.prompt_terms = vocab.prompt_terms(vocabulary) if biasing else []
        self.prompt = vocab.biasing_prompt(self.prompt_terms)
        self._model = None
        self._load_lock = threading.Lock()
        self._lane = threading.Lock()  # whisper models are not thread-safe

    # -- model -------------------------------------------------------------------
    def model(self):
        with self._load_lock:
            if self._model is None:
                validate_model_dir(self.model_dir)
                from faster_whisper import WhisperModel

                t0 = time.monotonic()
                try:
                    self._model = WhisperModel(
                        str(self.model_dir), device="cpu", compute_type="int8",
                        cpu_threads=self.threads, num_workers=1, local_files_only=True)
                except (RuntimeError, ValueError, OSError) as exc:
                    log.error("whisper model failed to load: %s", type(exc).__name__)
                    raise ModelCorrupt(f"The speech model in {self.model_dir.name} could not be loaded; "
                                       "it may be damaged. Reinstall it.") from exc
                log.info("whisper model loaded in %.1f s (threads=%d)", time.monotonic() - t0, self.threads)
            return self._model

    def whisper_options(self, *, biased: bool) -> dict:
        """Options passed to WhisperModel.transcribe on VAD-collected speech.
        The benchmark passes the same ones (plus vad_filter=True) to raw faster-whisper."""
        opts = dict(language=self.language, beam_size=self.beam_size, vad_filter=False,
                    condition_on_previous_text=False, word_timestamps=False)
        if biased and self.prompt:
            opts["hotwords"] = self.prompt
        return opts

    # -- public ------------------------------------------------------------------
    def transcribe(self, source: Source, *, on_progress: ProgressFn | None = None,
                   on_segment: SegmentFn | None = None,
                   cancel: threading.Event | None = None) -> Transcript:
        with self._lane:
            run = _Run(self, on_progress, on_segment, cancel)
            return run.go(source)


class _Run:
    """State of one transcription: ids, warnings, progress."""

    def __init__(self, tr: WhisperTranscriber, on_progress, on_segment, cancel):
        self.tr = tr
        self.on_progress = on_progress
        self.on_segment = on_segment
        self.cancel = cancel
        self.segments: list[Segment] = []
        self.warnings: list[str] = []
        self.total_s: float | None = None
        self.dropped_phantoms = 0
        self.fallbacks = 0  # unbiased re-decodes (the benchmark reports them)
        self._recent: list[str] = []  # normalized texts of the last kept segments

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("Transcription cancelled.")

    def progress(self, done_s: float) -> None:
        if self.on_progress and self.total_s:
            self.on_progress(min(0.999, max(0.0, done_s / self.total_s)))

    def go(self, source: Source) -> Transcript:
        t0 = time.monotonic()
        self.check_cancel()
        model = self.tr.model()
        if isinstance(source, np.ndarray):
            duration = self._run_windows(model, self._array_windows(source))
        else:
            with open_audio(source, limits=self.tr.limits) as stream:
                self.total_s = stream.declared_duration_s
                duration = self._run_windows(model, stream.windows(self.tr.window_s))
                self.warnings[:0] = stream.warnings
        if self.dropped_phantoms:
            self.warnings.append(f"Dropped {self.dropped_phantoms} phrase(s) the speech model produced "
                                 "over silence or noise.")
        if self.on_progress:
            self.on_progress(1.0)
        log.info("transcribed %.1f s of audio into %d segments in %.1f s", duration,
                 len(self.segments), time.monotonic() - t0)
        return Transcript(segments=self.segments, duration_s=duration, source="audio",
                          warnings=self.warnings)

    def _array_windows(self, audio: np.ndarray) -> Iterator[tuple[float, np.ndarray]]:
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        self.total_s = audio.size / SAMPLE_RATE
        if audio.size == 0 or float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))) < self.tr.limits.silence_rms:
            raise AudioSilent("The audio contains only silence (nothing was recorded).")
        step = int(self.tr.window_s * SAMPLE_RATE)
        for i in range(0, audio.size, step):
            yield i / SAMPLE_RATE, audio[i : i + step]

    def _run_windows(self, model, windows: Iterator[tuple[float, np.ndarray]]) -> float:
        """Decode window by window; carry the speech that runs over a window's end
        into the next one so no word is cut in half. Returns the audio duration."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        vad = VadOptions()  # faster-whisper's defaults for vad_filter=True
        carry = np.zeros(0, np.float32)
        carry_at = 0.0
        duration = 0.0
        it = iter(windows)
        nxt = next(it, None)
        while nxt is not None:
            self.check_cancel()
            offset, win = nxt
            nxt = next(it, None)  # look ahead: is this the last window?
            duration = offset + win.size / SAMPLE_RATE
            audio = np.concatenate([carry, win]) if carry.size else win
            base = carry_at if carry.size else offset
            chunks = get_speech_timestamps(audio, vad)
            cut = audio.size
            if nxt is not None and chunks:
                last = chunks[-1]
                # Speech running into the window's end continues in the next one.
                if last["end"] >= audio.size - SAMPLE_RATE // 2 and last["start"] > audio.size // 2:
                    cut = last["start"]
                    chunks = chunks[:-1]
            if chunks:
                _WindowDecode(self, model, audio[:cut], chunks, base).run()
            carry = audio[cut:].copy() if cut < audio.size else np.zeros(0, np.float32)
            carry_at = base + cut / SAMPLE_RATE
            self.progress(carry_at)
        return duration

    # -- output --------------------------------------------------------------------
    def emit(self, raw: guards.RawSegment, start: float, end: float) -> None:
        if guards.is_phantom(raw):
            self.dropped_phantoms += 1
            return
        text, looped = guards.collapse_repetition(raw.text.strip())
        norm = " ".join(guards.words(text))
        # A loop across segments: the same line three times in a row.
        if len(self._recent) >= 2 and all(r == norm for r in self._recent[-2:]):
            self.warnings.append(f"Removed a line repeated by the speech model at {fmt_duration(start)}.")
            return
        self._recent = (self._recent + [norm])[-2:]
        seg = Segment(id=len(self.segments) + 1, text=text, start=round(start, 2), end=round(end, 2),
                      speaker=UNKNOWN)
        if looped:
            self.warnings.append(f"Segment {seg.id} ({fmt_duration(start)}): a phrase the speech model "
                                 "repeated many times was collapsed to one copy.")
        self.segments.append(seg)
        if self.on_segment:
            self.on_segment(seg)
        self.progress(end)


class _WindowDecode:
    """One window's speech: biased decode with coverage/echo checks and fallback."""

    def __init__(self, run: _Run, model, audio: np.ndarray, chunks: list[dict], base: float):
        from faster_whisper.vad import SpeechTimestampsMap

        self.run_ = run
        self.model = model
        self.base = base
        self.speech = np.concatenate([audio[c["start"] : c["end"]] for c in chunks])
        self.speech_s = self.speech.size / SAMPLE_RATE
        self.tsmap = SpeechTimestampsMap(chunks, SAMPLE_RATE)
        # Pauses between VAD chunks, on the speech timeline: safe places to switch mode.
        lens = np.cumsum([c["end"] - c["start"] for c in chunks]) / SAMPLE_RATE
        self.junctions = [float(x) for x in lens]

    def run(self) -> None:
        tr = self.run_.tr
        biased = bool(tr.biasing and tr.prompt)
        pos = 0.0
        while pos < self.speech_s - 0.05:
            if not biased:
                self._decode(pos, self.speech_s, biased=False)
                return
            failed_at = self._decode(pos, self.speech_s, biased=True)
            if failed_at is None:
                return
            # Re-decode at least the rejected segment, then to the next pause.
            floor = max(failed_at + tr.bias_check.fallback_min_s, self.rejected_until)
            end = next((j for j in self.junctions if j >= floor), self.speech_s)
            a, b = self._orig(failed_at), self._orig(end, is_end=True)
            log.info("biased decode rejected at %.1f s; unbiased re-decode of %.1f s", a, b - a)
            self.run_.fallbacks += 1
            self.run_.warnings.append(
                f"Vocabulary biasing was switched off for {fmt_duration(a)}–{fmt_duration(b)}: the biased "
                "pass skipped speech or repeated the vocabulary list.")
            self._decode(failed_at, end, biased=False)
            pos = end

    def _orig(self, t: float, is_end: bool = False) -> float:
        return self.base + self.tsmap.get_original_time(t, is_end=is_end)

    def _decode(self, a: float, b: float, *, biased: bool) -> float | None:
        """Decode speech[a:b]. Biased: stop and return where it went wrong (None if fine)."""
        tr = self.run_.tr
        check = tr.bias_check
        piece = self.speech[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]
        segs, _info = self.model.transcribe(piece, **tr.whisper_options(biased=biased))
        covered = a
        self.rejected_until = a
        try:
            for s in segs:
                self.run_.check_cancel()
                raw = guards.RawSegment(a + s.start, a + s.end, s.text, s.avg_logprob,
                                        s.no_speech_prob, s.compression_ratio)
                if biased and (raw.start - covered > check.max_gap_s or guards.is_sparse(raw)
                               or guards.echoes_prompt(raw.text, tr.prompt_terms, tr.prompt)):
                    self.rejected_until = raw.end
                    return covered
                self.run_.emit(raw, self._orig(raw.start), self._orig(raw.end, is_end=True))
                covered = max(covered, raw.end)
        finally:
            segs.close()  # stop whisper's generator: no work past a failure
        if biased and b - covered > check.max_gap_s:
            return covered
        return None
