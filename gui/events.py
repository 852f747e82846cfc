"""Host events to the GUI thread.

``conn.subscribe(bridge.post)`` calls ``post`` on a background thread for every event (console output arrives a
byte at a time). ``post`` only appends to a queue and, when the queue was empty, wakes the GUI thread with a queued
signal; the GUI thread then takes events in batches, so a flood costs one wake-up per batch, not one per event, and
a single batch never holds the event loop for long.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

CHUNK = 50  # events per batch signal (the time budget is checked between batches)
BUDGET = 0.008  # seconds of event handling per turn of the event loop; the rest waits for the next turn


class EventBridge(QObject):
    batch = Signal(object)  # [(kind, data), ...] on the GUI thread; object: the list is passed, not converted
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[tuple[str, dict]] = deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self.received = 0
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, kind: str, data: dict) -> None:
        """Any thread: queue one event."""
        with self._lock:
            self._queue.append((kind, data))
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self._wake.emit()
        except RuntimeError:  # the console closed while the host was still talking
            pass

    @Slot()
    def _drain(self) -> None:
        deadline = time.perf_counter() + BUDGET
        while True:
            with self._lock:
                n = min(len(self._queue), CHUNK)
                items = [self._queue.popleft() for _ in range(n)]
                more = bool(self._queue)
                if not more:
                    self._scheduled = False
            if items:
                self.received += len(items)
                self.batch.emit(_merge_console(items))
            if not more:
                return
            if time.perf_counter() > deadline:
                QTimer.singleShot(0, self._drain)  # let paint and input events in between
                return


def _merge_console(items: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Join consecutive console chunks of one VM (the service sends them a byte at a time)."""
    out: list[tuple[str, dict]] = []
    for kind, data in items:
        if kind == "vm.console" and out and out[-1][0] == "vm.console" and out[-1][1].get("id") == data.get("id"):
            prev = out[-1][1]
            out[-1] = (kind, {**prev, "data": prev.get("data", "") + data.get("data", "")})
        else:
            out.append((kind, data))
    return out
