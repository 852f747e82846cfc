"""An embedded host (the host service in this process) for tests that read its metrics."""

from __future__ import annotations

import pytest

from core import api


@pytest.fixture(name="conn")
def sampled_conn(tmp_path):
    """A connection to a host service in this process (its home tmp_path) whose sampler ticks every 0.5 s."""
    c = api.connect(str(tmp_path), embedded=True)
    c._transport.service.sampler.interval = 0.5
    yield c
    c.close()
