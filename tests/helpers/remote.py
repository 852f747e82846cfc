"""The far test hosts of tests/remotehosts.py as module fixtures."""

from __future__ import annotations

import pytest


def far_fixture(host_class, folder: str):
    """A module-scoped fixture: one far host of ``host_class`` (TlsHost or SshHost) with its home in a temporary
    folder named after ``folder``, started before the module's first test and stopped after its last."""

    @pytest.fixture(scope="module")
    def far(tmp_path_factory):
        host = host_class(tmp_path_factory.mktemp(folder)).start()
        yield host
        host.stop()

    return far
