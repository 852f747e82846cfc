"""A recorder of a connection's events, with waits that have deadlines."""

from __future__ import annotations

import threading
import time


class EventLog:
    """Every event of a connection (but the kinds in ``ignore``), recorded from the moment it is made.
    ``wait_for(pred)`` returns the first (kind, data) that ``pred(kind, data)`` holds for, or calls ``timed_out``."""

    timeout = 5.0

    def __init__(self, conn, ignore: tuple[str, ...] = ()) -> None:
        self.items: list[tuple[str, dict]] = []
        self.cond = threading.Condition()
        self.ignore = ignore
        self.unsubscribe = conn.subscribe(self._on)

    def _on(self, kind: str, data: dict) -> None:
        if kind in self.ignore:
            return
        with self.cond:
            self.items.append((kind, data))
            self.cond.notify_all()

    def wait_for(self, pred, timeout: float | None = None) -> tuple[str, dict]:
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for item in self.items:
                    if pred(*item):
                        return item
                left = deadline - time.monotonic()
                if left <= 0:
                    self.timed_out(timeout)
                self.cond.wait(left)

    def timed_out(self, timeout: float) -> None:
        seen = [(k, d.get("name"), d.get("state")) for k, d in self.items]
        raise AssertionError(f"no such event; got {seen}")
