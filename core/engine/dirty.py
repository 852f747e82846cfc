"""One dirty-page tracker per partition, shared by everyone who needs to know which pages changed.

Reading KVM's dirty log clears it, so whoever read first (the metrics sampler) used to take the pages from everyone
else. The tracker is the only reader: each read is OR-ed into a bitmap per registered consumer (the sampler's dirty
rate, live migration, checkpoints), and ``collect(name)`` hands a consumer the pages written since *its* last
collect without taking them from the others.

What counts as written: the guest's stores (the machine's ``DIRTY_LOG``: KVM's log, or a shadow comparison under
emulation) and the host's own writes into guest memory (VSPs, the loader, a reset), which KVM's log does not see and
``GuestMemory`` records itself. Page contents that agree with what was collected are read through ``read_pages``.
"""

from __future__ import annotations

import numpy as np

from .consumers import Consumers
from .machine import DirtyLog, Machine, dirty_log_of
from .memory import PAGE_SIZE, GuestMemory


class DirtyTracker(Consumers):
    what = "dirty-page consumer"

    def __init__(self, memory_size: int) -> None:
        super().__init__()
        self.pages = memory_size // PAGE_SIZE
        self._words = -(-self.pages // 64)
        self._maps: dict[str, np.ndarray] = {}
        self._log: DirtyLog | None = None
        self._memory: GuestMemory | None = None

    @property
    def tracking(self) -> bool:
        """Whether a run is attached whose machine logs the guest's writes."""
        return self._log is not None

    # --- the partition's side ----------------------------------------------------------------------------------
    def attach(self, machine: Machine, memory: GuestMemory) -> None:
        """A new run: what building it wrote is forgotten, and every consumer starts from a clean bitmap. With
        no consumer yet the log is left alone (the first ``register`` reads and drops it): nobody pays for it."""
        with self._lock:
            self._log = dirty_log_of(machine)
            self._memory = memory
            if self._log is not None and self._maps:
                memory.track_host_writes()
                self._log.dirty_log()
            for bits in self._maps.values():
                bits.fill(0)

    def detach(self) -> None:
        """The run ends (before its machine and memory go). Consumers keep what they had not collected."""
        with self._lock:
            if self._log is not None:
                self._pull()
            self._log = None
            self._memory = None

    # --- consumers (register, unregister: Consumers) -------------------------------------------------------------
    def _registering(self) -> None:
        if self._memory is not None and self._log is not None:
            self._memory.track_host_writes()
        self._pull()  # what was written until now belongs to the consumers that were there

    def _new_map(self) -> np.ndarray:
        return np.zeros(self._words, np.uint64)

    def collect(self, name: str) -> np.ndarray:
        """The page numbers (sorted, int64) written since ``name``'s previous collect (or its registration)."""
        with self._lock:
            bits = self._map(name)
            self._pull()
            pages = np.flatnonzero(np.unpackbits(bits.view(np.uint8), count=self.pages, bitorder="little"))
            bits.fill(0)
            return pages

    def count(self, name: str) -> int:
        """How many pages ``collect(name)`` would return, and the same reset (the sampler needs only the number)."""
        with self._lock:
            bits = self._map(name)
            self._pull()
            n = int(np.count_nonzero(np.unpackbits(bits.view(np.uint8))))
            bits.fill(0)
            return n

    def read_pages(self, pages) -> bytes:
        """The contents of ``pages`` (page numbers), as consistent with the collected bitmaps: a page changed
        after this read is reported by a later collect."""
        with self._lock:
            if self._log is None or self._memory is None:
                raise RuntimeError("no run is attached to read pages from")
            view = self._log.dirty_view()
            return b"".join(view[p * PAGE_SIZE : (p + 1) * PAGE_SIZE] for p in map(int, pages))

    # --- internals ---------------------------------------------------------------------------------------------
    def _pull(self) -> None:
        if self._log is None or self._memory is None:
            return
        words = self._log.dirty_log()
        host = self._memory.take_host_writes()
        if host is not None:
            words = words | host
        for bits in self._maps.values():
            np.bitwise_or(bits, words, out=bits)
