"""A virtual disk that records which of its regions were written, for whoever needs to know: storage migration
copies a running VM's disk in rounds, live migration will carry the blocks of a disk the destination cannot reach.

    disk = TrackingDisk(open_disk("web1.vhd"))      # what the devices use; costs nothing while nobody tracks
    disk.register("storage-move")                    # from now on the blocks written are remembered for this name
    blocks = disk.collect("storage-move")            # block numbers written since the last collect (or register)
    old = disk.swap(open_disk("/new/web1.vhd"))      # the devices go on with the new image (no I/O in flight!)

Blocks are ``block_size`` bytes (64 KiB, larger for disks over 256 GiB so a consumer's map stays at most 4 MiB);
block ``n`` covers bytes ``[n * block_size, (n + 1) * block_size)``, the last one may be shorter. As the page
tracker (core/engine/dirty.py), each consumer has its own map: one collecting never takes blocks from another.

A write is recorded after its data is in the image, so a block a consumer read after collecting it is either what
the guest wrote last, or collected again later. Thread-safe: the storage VSP's thread and the vCPU threads (the
emulated IDE controller) write while a copy collects on a job's thread.
"""

from __future__ import annotations

import os

import numpy as np

from core.model.forward import Forward

from ..consumers import Consumers
from . import SECTOR_SIZE, DiskError

TRACK_BLOCK = 64 << 10
MAX_TRACKED_BLOCKS = 4 << 20  # bytes of map per consumer, at most


def block_size_for(size: int) -> int:
    """The tracking block size of a disk of ``size`` bytes: 64 KiB, doubled until the disk has at most 4 Mi
    blocks."""
    bs = TRACK_BLOCK
    while -(-size // bs) > MAX_TRACKED_BLOCKS:
        bs *= 2
    return bs


class TrackingDisk(Consumers):
    """A VirtualDisk (core/engine/storage) wrapped so that the blocks written are recorded for each registered
    consumer. Everything else (``path``, ``format``, ``info()``, ``block_size`` of a dynamic VHD ...) is the wrapped
    disk's, and follows it through ``swap``."""

    what = "disk-block consumer"

    def __init__(self, disk, block_size: int | None = None) -> None:
        if isinstance(disk, TrackingDisk):
            raise ValueError("the disk is tracked already")
        super().__init__()
        self._disk = disk
        self.track_block = block_size or block_size_for(disk.size)
        if self.track_block % SECTOR_SIZE or self.track_block & (self.track_block - 1):
            raise ValueError(f"a tracking block of {self.track_block} bytes is not a power of two of sectors")
        self._spb = self.track_block // SECTOR_SIZE
        self.blocks = -(-disk.size // self.track_block)
        self._maps: dict[str, bytearray] = {}

    # --- the wrapped disk ----------------------------------------------------------------------------------------
    @property
    def inner(self):
        return self._disk

    path = Forward("_disk")
    format = Forward("_disk")
    size = Forward("_disk")
    sector_size = Forward("_disk")
    read_only = Forward("_disk")

    def __getattr__(self, name: str):  # info(), check(), block_size, closed ... of whatever disk is inside now
        if name.startswith("__") or name in ("_disk", "_maps", "_lock"):
            raise AttributeError(name)
        return getattr(self._disk, name)

    def read(self, sector: int, count: int) -> bytes:
        return self._disk.read(sector, count)

    def write(self, sector: int, data) -> None:
        self._disk.write(sector, data)
        if self._maps:  # read without the lock: a consumer registered after this check sees the data anyway
            n = len(memoryview(data).cast("B")) // SECTOR_SIZE
            if n:
                self._mark(sector // self._spb, (sector + n - 1) // self._spb)

    def flush(self) -> None:
        self._disk.flush()

    def close(self) -> None:
        self._disk.close()

    def swap(self, disk):
        """Put ``disk`` (same virtual size) in place of the wrapped one and return that one, still open. The caller
        makes sure no read or write is under way: the partition parks its vCPUs and suspends its VMBus first."""
        if disk.size != self._disk.size:
            raise DiskError(f"{disk.path}: {disk.size} bytes, not the {self._disk.size} of {self._disk.path}")
        with self._lock:
            old, self._disk = self._disk, disk
        return old

    def __repr__(self) -> str:
        return f"<TrackingDisk {self._disk!r} consumers={sorted(self._maps)}>"

    # --- consumers (register, unregister: Consumers; write() reads their maps unlocked) -------------------------
    def _new_map(self) -> bytearray:
        return bytearray(self.blocks)

    def collect(self, name: str) -> np.ndarray:
        """The block numbers (sorted, int64) written since ``name``'s previous collect (or its registration)."""
        with self._lock:
            bits = self._map(name)
            blocks = np.flatnonzero(np.frombuffer(bits, np.uint8))
            bits[:] = bytes(len(bits))
            return blocks

    def count(self, name: str) -> int:
        """How many blocks ``collect(name)`` would return now, without taking them."""
        with self._lock:
            return int(np.count_nonzero(np.frombuffer(self._map(name), np.uint8)))

    def mark_all(self, name: str) -> None:
        """Every block counts as written for ``name`` (a consumer that must copy the whole disk again)."""
        with self._lock:
            bits = self._map(name)
            bits[:] = b"\x01" * len(bits)

    def _mark(self, first: int, last: int) -> None:
        ones = b"\x01" * (last - first + 1)
        with self._lock:
            for bits in self._maps.values():
                bits[first:last + 1] = ones


def allocated_blocks(disk, block_size: int) -> np.ndarray:
    """The blocks of ``block_size`` bytes (sorted block numbers) that may hold data: for a dynamic VHD those its
    block table has allocated, for raw images and fixed VHDs the file's data extents (SEEK_DATA), the whole disk
    where the file system cannot tell. Blocks outside are zeros."""
    disk = disk.inner if isinstance(disk, TrackingDisk) else disk
    nblocks = -(-disk.size // block_size)
    if disk.format == "vhd-dynamic":
        bat = getattr(disk, "_bat", None)
        vhd_block = getattr(disk, "block_size", None)
        if bat is not None and vhd_block:
            entries = np.frombuffer(bat, np.uint32) if bat.itemsize == 4 else np.array(bat, np.uint32)
            used = np.flatnonzero(entries != 0xFFFFFFFF)
            return _spans(used * vhd_block, (used + 1) * vhd_block, block_size, nblocks)
    fd = getattr(disk, "_fd", -1)
    base = getattr(disk, "data_offset", 0)
    if fd < 0 or not hasattr(os, "SEEK_DATA"):
        return np.arange(nblocks, dtype=np.int64)
    starts, ends = [], []
    pos = base
    end = base + disk.size
    try:
        while pos < end:
            try:
                data = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError as e:
                if e.errno == 6:  # ENXIO: no data after pos
                    break
                raise
            if data >= end:
                break
            hole = min(os.lseek(fd, data, os.SEEK_HOLE), end)
            starts.append(data - base)
            ends.append(hole - base)
            pos = hole
    except OSError:
        return np.arange(nblocks, dtype=np.int64)
    return _spans(np.array(starts, np.int64), np.array(ends, np.int64), block_size, nblocks)


def _spans(starts: np.ndarray, ends: np.ndarray, block_size: int, nblocks: int) -> np.ndarray:
    """The blocks that byte ranges [starts[i], ends[i]) meet."""
    if len(starts) == 0:
        return np.zeros(0, np.int64)
    mask = np.zeros(nblocks + 1, np.int32)
    first = np.minimum(starts.astype(np.int64) // block_size, nblocks)
    last = np.minimum(-(-ends.astype(np.int64) // block_size), nblocks)
    np.add.at(mask, first, 1)
    np.add.at(mask, last, -1)
    return np.flatnonzero(np.cumsum(mask[:nblocks]) > 0).astype(np.int64)


__all__ = ["MAX_TRACKED_BLOCKS", "TRACK_BLOCK", "TrackingDisk", "allocated_blocks", "block_size_for"]
