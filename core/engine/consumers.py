"""Named consumers, each with a map of its own of what changed: the dirty-page tracker (core/engine/dirty.py) and
the tracking disk (core/engine/storage/tracking.py) record every change into the map of each registered consumer,
so that one consumer collecting never takes changes from another."""

from __future__ import annotations

import threading


class Consumers:
    """The registry of consumers' maps, under ``self._lock``. A subclass says what its consumers are called (``what``,
    for the errors), makes a new consumer's empty map (``_new_map``) and may act as one registers (``_registering``,
    under the lock, before the new map exists). ``self._maps`` is replaced, never changed in place, so a writer may
    read it without the lock."""

    what = "consumer"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._maps: dict = {}

    @property
    def consumers(self) -> list[str]:
        with self._lock:
            return list(self._maps)

    def register(self, name: str, exist_ok: bool = False) -> bool:
        """A new consumer; its first collect returns only what changed after this call. Returns whether it was new
        (with ``exist_ok``, registering a known name again does nothing)."""
        with self._lock:
            if name in self._maps:
                if exist_ok:
                    return False
                raise ValueError(f"{self.what} '{name}' is already registered")
            self._registering()
            self._maps = {**self._maps, name: self._new_map()}
            return True

    def unregister(self, name: str) -> None:
        with self._lock:
            if name in self._maps:
                self._maps = {k: v for k, v in self._maps.items() if k != name}

    def _map(self, name: str):
        try:
            return self._maps[name]
        except KeyError:
            raise ValueError(f"no {self.what} '{name}' is registered") from None

    def _new_map(self):
        raise NotImplementedError

    def _registering(self) -> None:
        """Called under the lock as a consumer registers, before its map exists."""
