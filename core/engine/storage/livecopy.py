"""Copying a virtual disk while its guest keeps writing: pre-copy in rounds from the disk's block tracker
(``TrackingDisk``), then a final round while the caller keeps the guest's I/O still.

    copy = DiskCopy(partition.disk, DiskWriter(new_disk), cancel=event, progress=print, bandwidth=100 << 20)
    try:
        copy.precopy()          # round 0: every allocated block; then the blocks written meanwhile, until few are left
        ...park the guest...    # no read or write of the disk in flight from here
        copy.final()            # the last blocks, and the writer flushed
        ...switch, resume...
    finally:
        copy.close()

or, all in one, ``copy_disk_live(disk, dst_writer, cancel, progress, bandwidth, quiesce=...)``.

The destination is a writer: a callable taking a batch, a list of ``(offset, data)`` pairs where ``offset`` is in
bytes and a multiple of the tracking block size, ``data`` bytes-like and one tracking block long (the last block of
the disk may be shorter); a batch's blocks are contiguous and hold at most ``RUN_BYTES``. It may have a ``flush()``.
``DiskWriter`` writes to a local VirtualDisk through its API (so a new dynamic VHD stays a valid VHD); a stream
writer (live migration's BLOCKS records) sends them. The destination must read as zeros where nothing was written
(a new disk): round 0 sends no run that is all zeros.

A disk that is not a ``TrackingDisk`` (a VM that is off) is copied in round 0 alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from . import SECTOR_SIZE, DiskError
from .tracking import TrackingDisk, allocated_blocks, block_size_for

MiB = 1 << 20
RUN_BYTES = 2 * MiB  # one read and one batch; aligned so a dynamic VHD's 2 MiB blocks are allocated whole
CONVERGE_BYTES = 4 * MiB  # dirty data the final round may copy while the guest waits
MAX_ROUNDS = 30
PROGRESS_INTERVAL = 0.2


class CopyCancelled(Exception):
    """The copy was cancelled; nothing of the source changed."""


def _cancel_check(cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


class DiskWriter:
    """The writer of a copy into a local VirtualDisk: each batch's contiguous blocks in one write."""

    def __init__(self, disk) -> None:
        self.disk = disk

    def __call__(self, batch: list) -> None:
        if not batch:
            return
        offset, first = batch[0]
        whole = getattr(first, "obj", None)  # DiskCopy's blocks are views of one read: write that, not a join
        if len(batch) == 1:
            data = first
        elif isinstance(whole, bytes) and len(whole) == sum(len(d) for _, d in batch) \
                and all(getattr(d, "obj", None) is whole for _, d in batch):
            data = whole
        else:
            data = b"".join(batch_data for _, batch_data in batch)
        self.disk.write(offset // SECTOR_SIZE, data)

    def flush(self) -> None:
        self.disk.flush()


class DiskCopy:
    """One disk's copy: ``precopy()`` while the guest runs, ``final()`` while it is kept still, ``close()``.

    ``progress(info)`` is called a few times a second and at the end of each round with ``{"phase": "copy" |
    "round" | "final", "round", "round_bytes", "round_done", "sent_bytes", "dirty_bytes", "bandwidth"}`` (bytes,
    bytes/s); ``rounds`` lists each finished round ``{"round", "blocks", "bytes", "seconds", "bandwidth",
    "dirty_bytes"}`` (``dirty_bytes``: written while it ran, for the next round)."""

    def __init__(self, disk, writer: Callable[[list], None], *, cancel=None, progress=None, bandwidth: int = 0,
                 consumer: str = "storage-copy", converge_bytes: int = CONVERGE_BYTES,
                 max_rounds: int = MAX_ROUNDS) -> None:
        self.disk = disk
        self.writer = writer
        self.cancelled = _cancel_check(cancel)
        self._cancel = cancel
        self.on_progress = progress
        self.bandwidth = max(0, int(bandwidth or 0))
        self.consumer = consumer
        self.converge_bytes = converge_bytes
        self.max_rounds = max_rounds
        self.tracking = isinstance(disk, TrackingDisk)
        self.block_size = disk.track_block if self.tracking else block_size_for(disk.size)
        self.size = disk.size
        self.run_blocks = max(1, RUN_BYTES // self.block_size)
        self.rounds: list[dict] = []
        self.sent_bytes = 0
        self.started = time.monotonic()
        self._pending = np.zeros(0, np.int64)
        self._last_progress = 0.0
        self._registered = False
        if self.tracking:
            disk.register(consumer)  # before round 0 reads anything: every later write is seen
            self._registered = True

    # --- the phases --------------------------------------------------------------------------------------------
    def precopy(self) -> list[dict]:
        """Round 0 (the allocated blocks), then rounds of the blocks written meanwhile until what is left is at
        most ``converge_bytes``, stops shrinking, or ``max_rounds`` were run. Returns the rounds."""
        self._round(allocated_blocks(self.disk, self.block_size), skip_zeros=True)
        self._flush()  # the bulk is durable before the rounds that chase the guest: the final flush stays small
        if self.tracking:
            previous = None
            while True:
                dirty = self.disk.collect(self.consumer)
                dirty_bytes = len(dirty) * self.block_size
                self.rounds[-1]["dirty_bytes"] = dirty_bytes
                if dirty_bytes <= self.converge_bytes or len(self.rounds) >= self.max_rounds \
                        or (previous is not None and dirty_bytes >= previous):
                    self._pending = dirty
                    break
                previous = dirty_bytes
                self._round(dirty)
        return self.rounds

    def remaining_bytes(self) -> int:
        """What ``final()`` would copy now (the blocks left by the last round and those written since)."""
        extra = self.disk.count(self.consumer) if self._registered else 0
        return (len(self._pending) + extra) * self.block_size

    def final(self) -> dict:
        """Copy every block still dirty and flush the writer. The caller guarantees that no write of the guest is
        in flight (vCPUs parked, VMBus suspended) until this returns."""
        blocks = self._pending
        if self._registered:
            blocks = np.union1d(blocks, self.disk.collect(self.consumer))
        self._pending = np.zeros(0, np.int64)
        self._round(blocks, phase="final", cancellable=False, limited=False)
        self.rounds[-1]["dirty_bytes"] = 0
        self._flush()
        return self.rounds[-1]

    def close(self) -> None:
        if self._registered:
            self.disk.unregister(self.consumer)
            self._registered = False

    def summary(self) -> dict:
        return {"rounds": len(self.rounds), "sent_bytes": self.sent_bytes, "block_size": self.block_size,
                "seconds": round(time.monotonic() - self.started, 3),
                "per_round": [dict(r) for r in self.rounds]}

    # --- internals ---------------------------------------------------------------------------------------------
    def _round(self, blocks: np.ndarray, skip_zeros: bool = False, phase: str = "round", cancellable: bool = True,
               limited: bool = True) -> None:
        number = len(self.rounds)
        bs = self.block_size
        total = self._bytes_of(blocks)
        t0 = time.monotonic()
        done = 0
        for run in self._runs(blocks):
            if cancellable and self.cancelled():
                raise CopyCancelled("cancelled")
            first = int(run[0])
            offset = first * bs
            length = min(len(run) * bs, self.size - offset)
            data = self._read(offset, length)
            done += length
            if not (skip_zeros and _all_zero(data)):
                view = memoryview(data)
                self.writer([(offset + i * bs, view[i * bs:min((i + 1) * bs, length)]) for i in range(len(run))])
                self.sent_bytes += length
            if limited and self.bandwidth:
                self._throttle(t0, done)
            self._report(phase if phase == "final" else "copy", number, total, done, t0)
        seconds = time.monotonic() - t0
        self.rounds.append({"round": number, "blocks": int(len(blocks)), "bytes": total,
                            "seconds": round(seconds, 4), "bandwidth": int(total / seconds) if seconds > 0 else 0,
                            "dirty_bytes": None})
        self._report(phase, number, total, done, t0, force=True)

    def _runs(self, blocks: np.ndarray):
        """Contiguous runs of ``blocks``, cut at every ``run_blocks`` boundary (aligned, so a dynamic VHD's blocks
        are written whole where the source's are)."""
        if len(blocks) == 0:
            return
        blocks = np.asarray(blocks, np.int64)
        breaks = np.flatnonzero((np.diff(blocks) != 1) | (blocks[1:] % self.run_blocks == 0)) + 1
        yield from np.split(blocks, breaks)

    def _bytes_of(self, blocks: np.ndarray) -> int:
        n = len(blocks) * self.block_size
        if len(blocks) and (int(blocks[-1]) + 1) * self.block_size > self.size:
            n -= (int(blocks[-1]) + 1) * self.block_size - self.size
        return n

    def _read(self, offset: int, length: int) -> bytes:
        try:
            return self.disk.read(offset // SECTOR_SIZE, length // SECTOR_SIZE)
        except DiskError:
            if getattr(self.disk, "closed", False):
                raise DiskError(f"{self.disk.path}: the disk was closed during the copy (the VM stopped)") from None
            raise

    def _throttle(self, t0: float, done: int) -> None:
        ahead = done / self.bandwidth - (time.monotonic() - t0)
        if ahead <= 0:
            return
        if isinstance(self._cancel, threading.Event):
            if self._cancel.wait(ahead):
                raise CopyCancelled("cancelled")
        else:
            time.sleep(ahead)

    def _flush(self) -> None:
        flush = getattr(self.writer, "flush", None)
        if flush is not None:
            flush()

    def _report(self, phase: str, number: int, total: int, done: int, t0: float, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        elapsed = now - t0
        dirty = self.disk.count(self.consumer) * self.block_size if self._registered else 0
        self.on_progress({"phase": phase, "round": number, "round_bytes": total, "round_done": done,
                          "sent_bytes": self.sent_bytes, "dirty_bytes": dirty,
                          "bandwidth": int(done / elapsed) if elapsed > 0 else 0})


_ZEROS = bytes(RUN_BYTES)


def _all_zero(data: bytes) -> bool:
    if len(data) <= len(_ZEROS):
        return data == _ZEROS[:len(data)]
    return data.count(0) == len(data)


def copy_disk_live(disk, dst_writer: Callable[[list], None], cancel=None, progress=None, bandwidth: int = 0, *,
                   quiesce=None, then: Callable[[], object] | None = None, consumer: str = "storage-copy",
                   converge_bytes: int = CONVERGE_BYTES, max_rounds: int = MAX_ROUNDS) -> dict:
    """Copy ``disk`` to ``dst_writer`` while its guest writes: pre-copy rounds, then the final round inside
    ``quiesce()`` (a context manager that keeps the guest's disk I/O still, e.g. ``partition_storage.quiesced``),
    where ``then()`` runs too (the switch to the copy). Without ``quiesce`` the caller must keep the disk still
    itself before calling (a VM that is off). Returns ``DiskCopy.summary()`` with ``final_bytes``, ``pause_s``
    (the time inside ``quiesce``) and ``then`` (what ``then()`` returned)."""
    copy = DiskCopy(disk, dst_writer, cancel=cancel, progress=progress, bandwidth=bandwidth, consumer=consumer,
                    converge_bytes=converge_bytes, max_rounds=max_rounds)
    try:
        copy.precopy()
        t0 = time.monotonic()
        outcome = None
        if quiesce is None:
            last = copy.final()
            if then is not None:
                outcome = then()
        else:
            with quiesce():
                t0 = time.monotonic()
                last = copy.final()
                if then is not None:
                    outcome = then()
        pause = time.monotonic() - t0
    finally:
        copy.close()
    return copy.summary() | {"final_bytes": last["bytes"], "pause_s": round(pause, 4), "then": outcome}


__all__ = ["CONVERGE_BYTES", "RUN_BYTES", "CopyCancelled", "DiskCopy", "DiskWriter", "copy_disk_live"]
