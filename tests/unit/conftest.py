"""The fast layer: pure logic, no server, no real encoder (a tiny deterministic one where vectors are
needed), no database server. `pytest tests/unit` runs it alone."""

import pytest

from tests.support.tiny_encoder import TinyEncoder


@pytest.fixture
def tiny_encoder() -> TinyEncoder:
    return TinyEncoder()
