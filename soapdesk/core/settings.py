"""Engine settings: one frozen dataclass, read from and written to settings.toml.

Only technical, PHI-free settings live in settings.toml. Anything that may
identify a client (the clinician's own vocabulary list often holds names) is
kept in the vault's settings table by `soapdesk.store` and passed in at run
time as `extra_vocabulary`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from soapdesk.core import paths


def _default_threads() -> int:
    return max(1, min(os.cpu_count() or 2, 8))


@dataclass(frozen=True)
class Settings:
    asr_model: str = "whisper-tiny.en"
    llm_model: str = "qwen2.5-coder-1.5b-instruct-q4_k_m"
    threads: int = field(default_factory=_default_threads)
    # Context window for drafting; the transcript is map-reduced when it does not fit.
    llm_context: int = 8192
    # Most tokens one section may take; sections are short, paragraphs not essays.
    section_max_tokens: int = 320
    template: str = "soap"
    vocabulary_biasing: bool = True
    extra_vocabulary: tuple[str, ...] = ()
    auto_lock_minutes: int = 10
    clipboard_clear_seconds: int = 60
    # An OpenAI-compatible server on the practice network (empty: in-process model).
    practice_server_url: str = ""
    practice_server_model: str = ""
    practice_server_key: str = ""

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


_PERSISTED = {f.name for f in dataclasses.fields(Settings)} - {"extra_vocabulary"}


def load(path: Path | None = None) -> Settings:
    path = path or paths.settings_path()
    if not path.exists():
        return Settings()
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    known = {k: v for k, v in raw.items() if k in _PERSISTED}
    return Settings(**known)


def save(settings: Settings, path: Path | None = None) -> None:
    import tomli_w

    path = path or paths.settings_path()
    paths.ensure_private_dir(path.parent)
    data = {k: v for k, v in dataclasses.asdict(settings).items() if k in _PERSISTED}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
