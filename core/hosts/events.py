"""Event listeners of a host-like object (the host service, a libvirt connection): subscribe, unsubscribe, emit."""

from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, dict], None]


class EventSource:
    """Mixed in by classes that push events; call ``_init_events()`` in ``__init__``."""

    def _init_events(self) -> None:
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """listener(kind, data) is called from the emitting thread; returns the function that unsubscribes."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, kind: str, data: dict) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind, data)
            except Exception:  # one listener's bug must not stop the others, nor the emitter
                log.exception("event listener failed")
