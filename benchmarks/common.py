"""What the benchmarks share (and the move tests' helpers too): the guest's `bench disk` run read from its console,
a thread that keeps such runs going, a wait with a deadline, and a line run in the guest's shell over a connection.
Nothing here imports tests/ or starts a host."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable

PROMPT = "bulkhead$ "
_RUN = re.compile(r"bench disk synthetic write (\d+) B (\d+) ns read (\d+) B (\d+) ns")


class BenchFailed(RuntimeError):
    """The guest's `bench disk` printed no figures; ``out`` is what it printed."""

    def __init__(self, out: str) -> None:
        super().__init__(f"bench disk failed: {out}")
        self.out = out


def disk_bench(console, kib: int, timeout: float) -> dict:
    """One `bench disk KIB 64` in the guest (KIB KiB written from sector 2048, read back and checked): its write and
    read throughput in MB/s and times in ns; BenchFailed when it printed no figures."""
    out = console.command(f"bench disk {kib} 64", timeout=timeout)
    m = _RUN.search(out)
    if not m:
        raise BenchFailed(out)
    wb, wns, rb, rns = (int(x) for x in m.groups())
    return {"write_MBps": wb / wns * 1e3, "read_MBps": rb / rns * 1e3, "write_ns": wns, "read_ns": rns}


class Writer(threading.Thread):
    """``measure()`` run one after the other until ``stop`` is set, each run's dict with its start and end time in
    ``runs``; a run that raised one of ``errors`` goes to ``failures`` as ``failure(error)``."""

    def __init__(self, measure: Callable[[], dict], errors: tuple[type[BaseException], ...],
                 failure: Callable[[BaseException], str]) -> None:
        super().__init__(daemon=True)
        self.measure, self.errors, self.failure = measure, errors, failure
        self.runs: list[dict] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                r = self.measure()
            except self.errors as e:
                self.failures.append(self.failure(e))
                continue
            self.runs.append({"start": t0, "end": time.monotonic()} | r)


def wait_until(pred, timeout: float, message: str, poll: float = 0.05, error: type[Exception] = AssertionError):
    """Call ``pred`` every ``poll`` seconds until it returns something true, and return that; past ``timeout``
    seconds raise ``error(message)``."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise error(message)
        time.sleep(poll)


def guest_reply(conn, vm: str, line: str, timeout: float, wait, wait_reply=None) -> str:
    """Run ``line`` in VM ``vm``'s shell over the connection; its reply (the text before the next prompt). A tagged
    echo first marks where the reply starts; ``wait(pred, timeout, what)`` waits for the echo, ``wait_reply``
    (default: ``wait``) for the reply and returns it."""
    tag = secrets.token_hex(4)
    conn.console_send(vm, f"echo {tag}\r")
    wait(lambda: re.search(rf"\n{tag}\r?\n", conn.console_history(vm)), timeout, f"the guest's echo of {tag}")
    conn.console_send(vm, line + "\r")
    rx = re.compile(rf"(?s)\n{tag}\r?\n.*?{re.escape(line)}\r?\n(.*?){re.escape(PROMPT)}")

    def reply():
        m = rx.search(conn.console_history(vm))
        return m.group(1).strip() if m else None

    return (wait_reply or wait)(reply, timeout, f"the guest's reply to {line!r}")
