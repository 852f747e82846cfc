"""Embedded hosts (the host service in this process) for tests: one whose metrics are read, one a fixture makes
in a folder of another fixture, and two side by side."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from core import api


@pytest.fixture(name="conn")
def sampled_conn(tmp_path):
    """A connection to a host service in this process (its home tmp_path) whose sampler ticks every 0.5 s."""
    c = api.connect(str(tmp_path), embedded=True)
    c._transport.service.sampler.interval = 0.5
    yield c
    c.close()


def embedded_fixture(under: str, folder: str):
    """A fixture: a connection to a host service in this process whose home is ``folder`` in the folder the
    fixture ``under`` gives (tmp_path, gui_env ...), closed after the test."""

    @pytest.fixture
    def embedded(request):
        c = api.connect(str(request.getfixturevalue(under) / folder), embedded=True)
        yield c
        c.close()

    return embedded


@contextmanager
def embedded_pair(root):
    """Two hosts in this process with the homes ``root``/a and ``root``/b, the first one's sampler ticking every
    0.5 s: (a, b), both closed on leaving."""
    a = api.connect(str(root / "a"), embedded=True)
    b = api.connect(str(root / "b"), embedded=True)
    a._transport.service.sampler.interval = 0.5
    try:
        yield a, b
    finally:
        a.close()
        b.close()
