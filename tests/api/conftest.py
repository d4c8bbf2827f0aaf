"""A real `soapdesk serve` process on a free localhost port, with a real vault."""

from __future__ import annotations

import pytest

from api_helpers import Server


@pytest.fixture(scope="package")
def server(tiny_models, tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("api-data"), "--max-upload-mb", "1")
    yield s
    s.stop()
