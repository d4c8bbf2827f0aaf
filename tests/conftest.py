"""Shared test setup.

Every test gets its own empty data directory (vault, logs, settings), so no
test can touch a clinician's real data. Models stay in the shared models
directory that `make test` fills, because they are large and hold no PHI.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

import soapdesk.core  # noqa: E402,F401  (hub-offline switches before any ML import)
from soapdesk.core import catalog, model_files  # noqa: E402

TEST_ASR = "whisper-tiny.en"
TEST_LLM = "smollm2-135m-instruct-q4_1"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    d = tmp_path_factory.mktemp("soapdesk-data")
    monkeypatch.setenv("SOAPDESK_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def tiny_models():
    """The real tiny models. `make test` installs them; a missing one is a
    setup failure, not a reason to skip (a skip would hide a broken setup)."""
    paths = {}
    for mid in (TEST_ASR, TEST_LLM):
        entry = catalog.get(mid)
        if not model_files.is_installed(entry):
            pytest.fail(f"model {mid} is not installed: run `make test` (or soapdesk models install {mid})")
        _, paths[mid] = model_files.resolve(mid)
    return paths


@pytest.fixture(scope="session")
def tiny_drafter(tiny_models):
    from soapdesk.core.drafting import LlamaDrafter

    return LlamaDrafter(tiny_models[TEST_LLM], model_id=TEST_LLM, threads=2, n_ctx=4096, max_section_tokens=96)
