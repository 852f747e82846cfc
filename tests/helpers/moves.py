"""What the move tests share: two hosts (in this process, or two host services over TLS), the guest's shell driven
through a connection (its memory pattern filled before a move and checked after), and a look at what a host keeps
on disk (no VM, no incoming folder, no half-copied file)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from benchmarks.common import PROMPT, guest_reply
from core import api

from .waiting import wait, wait_until

MiB = 1 << 20


def service(conn):
    return conn._transport.service


def pair_fixture():
    """A fixture: two hosts in this process, each with a home of its own: (a, b)."""

    @pytest.fixture
    def pair(tmp_path):
        a = api.connect(str(tmp_path / "a"), embedded=True)
        b = api.connect(str(tmp_path / "b"), embedded=True)
        yield a, b
        a.close()
        b.close()

    return pair


def tls_pair_fixture():
    """A module fixture: two host services serving TLS (tests/remotehosts.py TlsHost): (host_a, host_b)."""

    @pytest.fixture(scope="module")
    def tls_pair(tmp_path_factory):
        from tests.remotehosts import TlsHost

        root = tmp_path_factory.mktemp("move-tls")
        hosts = [TlsHost(root / "a"), TlsHost(root / "b")]
        try:
            for h in hosts:
                h.start()
            yield tuple(hosts)
        finally:
            for h in hosts:
                h.stop()

    return tls_pair


def new_running(conn, name: str, memory: str = "64M", **settings) -> None:
    conn.new_vm(name, memory=memory, start=True, **settings).wait(60, check=True)
    wait_prompt(conn, name)


def wait_prompt(conn, vm: str, timeout: float = 30.0) -> None:
    wait(lambda: PROMPT in conn.console_history(vm), timeout, f"VM {vm}'s shell prompt")


def guest(conn, vm: str, line: str, timeout: float = 20.0) -> str:
    """Run ``line`` in the guest's shell over the connection; its reply (the text before the next prompt)."""
    return guest_reply(conn, vm, line, timeout, wait, wait_until)


def names(conn) -> list[tuple[str, str]]:
    return [(v.name, v.state) for v in conn.vms()]


def leftovers(home: Path) -> list[str]:
    """What a host's store holds that is not a VM folder: incoming folders, temporary files."""
    vms = Path(home) / "vms"
    return sorted(e.name for e in os.scandir(vms) if e.name.startswith(".")) if vms.is_dir() else []


def temp_files(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".") and n.endswith(".tmp"))


def settle(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    wait(predicate, timeout, what)


def raw_disk(path: Path, size: int, seed: int = 1) -> bytes:
    """A raw disk image with data in it (not zeros, so the copy sends it); returns its first MiB."""
    import random

    rnd = random.Random(seed)
    block = bytes(rnd.getrandbits(8) for _ in range(4096)) * 256  # 1 MiB
    with open(path, "wb") as f:
        for _ in range(size // MiB):
            f.write(block)
    return block


def elapsed(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started
