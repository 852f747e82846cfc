"""Guest memory: one sparse anonymous mapping per partition, read and written through bounds-checked views."""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import time

import numpy as np

PAGE_SIZE = 4096

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
_libc.mmap.restype = ctypes.c_void_p
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]

_MAP_FAILED = ctypes.c_void_p(-1).value
_MADV_DONTNEED = 4
_MADV_DONTFORK = 10


class GuestMemoryError(ValueError):
    """A guest-physical access outside guest RAM (the guest, or a saved state, gave a bad address)."""


class GuestMemory:
    """Guest RAM of ``size`` bytes at guest-physical 0.

    The mapping is private, anonymous and MAP_NORESERVE: the host pays only for pages the guest touches, so a 4 GiB
    partition that touches 10 MiB costs about 10 MiB.

    Once ``track_host_writes`` is on (the dirty-page tracker turns it on when it has consumers), writes made by
    the host (``write``, ``write_u64``, ``mark`` after writing through ``view``, ``clear``) are recorded per page,
    because KVM's dirty log sees only the guest's own stores.
    """

    def __init__(self, size: int) -> None:
        if size <= 0 or size % (2 * 1024 * 1024):
            raise ValueError("guest memory size must be a positive multiple of 2 MiB")
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0x4000)
        addr = _libc.mmap(None, size, mmap.PROT_READ | mmap.PROT_WRITE, flags, -1, 0)
        if addr in (None, _MAP_FAILED):
            err = ctypes.get_errno()
            raise MemoryError(f"cannot reserve {size >> 20} MiB of guest memory: {os.strerror(err)}")
        # Not inherited by a child process (qemu-img, ssh ...), as QEMU does with guest RAM: a fork would make every
        # page copy-on-write under the running guest and copy the page tables of every VM's memory
        _libc.madvise(addr, size, _MADV_DONTFORK)
        self.size = size
        self.address = addr
        self._array = (ctypes.c_ubyte * size).from_address(addr)
        self.view = memoryview(self._array).cast("B")
        self._host_written: bytearray | None = None  # one byte per page, 1 = the host wrote it; None: not tracked
        self._host_any = False
        self._resident, self._resident_at = 0, -1e9  # the last resident_bytes() count and when (monotonic)

    # --- bounds-checked access ---------------------------------------------------------------------------------
    def check(self, gpa: int, length: int) -> None:
        if gpa < 0 or length < 0 or gpa + length > self.size:
            raise GuestMemoryError(
                f"guest-physical range 0x{gpa:x}+{length} is outside guest RAM ({self.size >> 20} MiB)")

    def read(self, gpa: int, length: int) -> bytes:
        self.check(gpa, length)
        return bytes(self.view[gpa : gpa + length])

    def write(self, gpa: int, data: bytes | bytearray | memoryview) -> None:
        self.check(gpa, len(data))
        self.view[gpa : gpa + len(data)] = data
        self.mark(gpa, len(data))

    def read_u64(self, gpa: int) -> int:
        self.check(gpa, 8)
        return struct.unpack_from("<Q", self.view, gpa)[0]

    def write_u64(self, gpa: int, value: int) -> None:
        self.check(gpa, 8)
        struct.pack_into("<Q", self.view, gpa, value)
        self.mark(gpa, 8)

    def read_cstring(self, gpa: int, limit: int) -> str:
        raw = self.read(gpa, limit)
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    # --- the host's own writes, for dirty tracking -------------------------------------------------------------
    def track_host_writes(self) -> None:
        """Record the host's writes from now on (what it wrote before is not known)."""
        if self._host_written is None:
            self._host_written = bytearray(self.size // PAGE_SIZE)

    def mark(self, gpa: int, length: int) -> None:
        """Record that the host wrote ``length`` bytes at ``gpa`` (call it after the write, never before)."""
        written = self._host_written
        if written is None or length <= 0:
            return
        first, last = gpa >> 12, min((gpa + length - 1) >> 12, len(written) - 1)
        if first == last:
            written[first] = 1
        else:
            written[first : last + 1] = b"\x01" * (last + 1 - first)
        self._host_any = True  # after the page: a reader that cleared the flag then finds the page

    def take_host_writes(self) -> np.ndarray | None:
        """The pages the host wrote since the last call, as a little-endian uint64 bitmap; None when none.
        Safe against concurrent ``mark``: a page marked while this runs is reported now or by the next call."""
        if not self._host_any or self._host_written is None:
            return None
        self._host_any = False
        marks = np.frombuffer(self._host_written, np.uint8)
        taken = marks.astype(bool)
        marks[taken] = 0
        return np.packbits(taken, bitorder="little").view("<u8")

    # --- host-side accounting ----------------------------------------------------------------------------------
    def resident_vector(self) -> bytes:
        pages = self.size // PAGE_SIZE
        vec = ctypes.create_string_buffer(pages)
        if _libc.mincore(self.address, self.size, vec) != 0:
            return bytes(pages)
        return vec.raw

    def resident_bytes(self, max_age: float = 0.0) -> int:
        """Bytes of guest RAM the host has backed. ``max_age`` > 0 accepts the last count if it is at most that
        many seconds old: mincore() costs ~40 us per 32 MiB here, too much for each VM of a long list each time."""
        now = time.monotonic()
        if max_age > 0 and now - self._resident_at <= max_age:
            return self._resident
        vec = self.resident_vector()
        self._resident, self._resident_at = (len(vec) - vec.count(0)) * PAGE_SIZE, now
        return self._resident

    def resident_runs(self) -> list[tuple[int, int]]:
        """Runs (gpa, length) of pages the host has backed: the only pages that can hold anything but zeros."""
        vec = self.resident_vector()
        runs: list[tuple[int, int]] = []
        i, n = 0, len(vec)
        while i < n:
            if not vec[i] & 1:
                j = vec.find(b"\x01", i)  # fast skip over the common all-absent stretch
                if j < 0:
                    break
                i = j
                continue
            j = i
            while j < n and vec[j] & 1:
                j += 1
            runs.append((i * PAGE_SIZE, (j - i) * PAGE_SIZE))
            i = j
        return runs

    def clear(self) -> None:
        """Give every page back to the host; the guest sees zeros again (a reset). The pages that held anything
        count as written by the host."""
        if self._host_written is None:
            _libc.madvise(self.address, self.size, _MADV_DONTNEED)
            return
        had = np.frombuffer(self.resident_vector(), np.uint8) & 1
        _libc.madvise(self.address, self.size, _MADV_DONTNEED)
        marks = np.frombuffer(self._host_written, np.uint8)
        marks |= had
        self._host_any = True

    def close(self) -> None:
        if self.address:
            try:
                self.view.release()
            except BufferError:
                return  # an export still alive: leave the mapping to the process rather than crash
            _libc.munmap(self.address, self.size)
            self.address = 0
