"""The pinned model catalog (models/catalog.toml) and the user's imported models.

A model id resolves to files whose sha256 we know in advance. Nothing else is
ever loaded: ids are not hub names, and no library is given a name it could
try to download.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from soapdesk.core import paths
from soapdesk.core.errors import ModelMissing

ASR = "asr"
LLM = "llm"

_REPO_CATALOG = Path(__file__).resolve().parents[2] / "models" / "catalog.toml"
_PACKAGED_CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog.toml"


@dataclass(frozen=True)
class Part:
    package: str  # pip requirement, pinned: "name==version"
    member: str  # path inside the wheel


@dataclass(frozen=True)
class ModelFile:
    name: str
    sha256: str
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class ModelEntry:
    id: str
    kind: str
    title: str
    files: tuple[ModelFile, ...]
    license: str = ""
    size_bytes: int = 0
    default: bool = False
    upstream: str = ""
    upstream_verified: bool = False
    chat_format: str = "chatml"
    context_length: int = 4096
    notes: str = ""
    imported: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def packages(self) -> list[str]:
        seen: list[str] = []
        for f in self.files:
            for p in f.parts:
                if p.package not in seen:
                    seen.append(p.package)
        return seen


def catalog_path() -> Path:
    return _REPO_CATALOG if _REPO_CATALOG.exists() else _PACKAGED_CATALOG


def imported_catalog_path() -> Path:
    return paths.models_dir() / "imported.toml"


def _parts(raw_file: dict) -> tuple[Part, ...]:
    if "split_package" in raw_file:
        sp = raw_file["split_package"]
        return tuple(
            Part(sp["pattern"].format(n=n), sp["member"].format(n=n, nn=f"{n:02d}"))
            for n in range(1, sp["count"] + 1)
        )
    return tuple(Part(p["package"], p["member"]) for p in raw_file.get("parts", ()))


def _entry(raw: dict, imported: bool = False) -> ModelEntry:
    files = tuple(ModelFile(f["name"], f["sha256"].lower(), _parts(f)) for f in raw["file"])
    return ModelEntry(
        id=raw["id"],
        kind=raw["kind"],
        title=raw.get("title", raw["id"]),
        files=files,
        license=raw.get("license", ""),
        size_bytes=raw.get("size_bytes", 0),
        default=raw.get("default", False),
        upstream=raw.get("upstream", ""),
        upstream_verified=raw.get("upstream_verified", False),
        chat_format=raw.get("chat_format", "chatml"),
        context_length=raw.get("context_length", 4096),
        notes=raw.get("notes", ""),
        imported=imported,
    )


def load_catalog() -> list[ModelEntry]:
    with catalog_path().open("rb") as fh:
        pinned = [_entry(m) for m in tomllib.load(fh)["model"]]
    user = []
    if imported_catalog_path().exists():
        with imported_catalog_path().open("rb") as fh:
            user = [_entry(m, imported=True) for m in tomllib.load(fh).get("model", [])]
    return pinned + user


def get(model_id: str) -> ModelEntry:
    for e in load_catalog():
        if e.id == model_id:
            return e
    known = ", ".join(e.id for e in load_catalog())
    raise ModelMissing(f"Unknown model '{model_id}'. Known models: {known}.")
