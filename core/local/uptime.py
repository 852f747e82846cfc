"""A partition's running time, as Hyper-V counts a VM's uptime: from its start (or restore), with the time it
spent paused left out; and how much of a past moment's age was a pause, so the heartbeat's freshness is measured
in running time (a guest cannot beat while it is paused, and must not look lost for the seconds after Resume)."""

from __future__ import annotations

import threading
import time
from collections import deque

from core.model.states import VmState

LOST = "Lost Communication"
# the guest stands still from Pausing (or Saving) until it runs again
_HALTING = (VmState.PAUSING, VmState.SAVING)
_ENDED = (VmState.OFF, VmState.SAVED, VmState.CRITICAL)


class RunClock:
    """Listens to one partition's state changes (``on_state``); times are ``time.monotonic()``."""

    KEEP = 16  # pauses remembered for freshness: older ones only ever make a beat look older, never fresher

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started: float | None = None
        self.paused_at: float | None = None
        self.paused_total = 0.0
        self.pauses: deque[tuple[float, float]] = deque(maxlen=self.KEEP)

    def on_state(self, _partition, old: VmState, new: VmState, _reason: str = "") -> None:
        now = time.monotonic()
        with self._lock:
            if new is VmState.RUNNING and old is VmState.STARTING:
                self.started, self.paused_at, self.paused_total = now, None, 0.0
                self.pauses.clear()
            elif new in _HALTING and self.paused_at is None and self.started is not None:
                self.paused_at = now
            elif new is VmState.RUNNING and self.paused_at is not None:
                self.pauses.append((self.paused_at, now))
                self.paused_total += now - self.paused_at
                self.paused_at = None
            elif new in _ENDED:
                self.started = self.paused_at = None

    def carry(self, seconds: float) -> None:
        """The partition had already run ``seconds`` elsewhere (a live move): its uptime goes on from there."""
        with self._lock:
            if self.started is not None and seconds > 0:
                self.started -= seconds

    def uptime(self, now: float | None = None) -> float:
        """Seconds run since the start, pauses left out; 0 when not running."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self.started is None:
                return 0.0
            paused = self.paused_total + (now - self.paused_at if self.paused_at is not None else 0.0)
            return max(0.0, now - self.started - paused)

    def paused_since(self, since: float, now: float | None = None) -> float:
        """How many of the seconds from ``since`` to now the partition stood paused."""
        now = time.monotonic() if now is None else now
        with self._lock:
            spans = list(self.pauses) + ([(self.paused_at, now)] if self.paused_at is not None else [])
        return sum(max(0.0, min(end, now) - max(start, since)) for start, end in spans)


def fresh_heartbeat(status: str | None, partition, clock: RunClock | None) -> str | None:
    """The heartbeat status with its freshness counted in running time: "Lost Communication" only when the guest
    has *run* longer than the heartbeat service allows since its last beat."""
    if status != LOST or clock is None:
        return status
    vsp = partition.vsp("heartbeat")
    last = getattr(vsp, "last_beat", None)
    if last is None:
        return status
    now = time.monotonic()
    if now - last - clock.paused_since(last, now) <= getattr(vsp, "LOST_AFTER", 0.0):
        return "OK"
    return status
