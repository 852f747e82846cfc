"""Host-side views of one channel's two ring buffers in guest memory, with Linux `hv` ring semantics.

The guest owns the memory, so every index and length read from it is checked before use, and the host keeps
private copies of the indices it owns: a guest that rewrites them fails the channel (RingError), nothing else.
"""

from __future__ import annotations

import struct
import threading

HEADER = 4096
DESCRIPTOR = 16
TRAILER = 8
PKT_DATA_INBAND = 6
PKT_COMP = 11
FLAG_COMPLETION_REQUESTED = 1
PACKET_TYPES = (PKT_DATA_INBAND, PKT_COMP)
WRITE_INDEX, READ_INDEX, INTERRUPT_MASK, PENDING_SEND = 0, 4, 8, 12
FEATURE_BITS = 64

_U32 = struct.Struct("<I")
_DESC = struct.Struct("<HHHHQ")


class RingError(Exception):
    """The guest broke a ring's rules; the channel fails with this reason."""


def _pad8(n: int) -> int:
    return (n + 7) & ~7


class _Ring:
    def __init__(self, memory, gpa: int, nbytes: int, name: str) -> None:
        memory.check(gpa, nbytes)
        self.memory = memory
        self.view = memory.view
        self.header = gpa
        self.data = gpa + HEADER
        self.size = nbytes - HEADER
        self.name = name

    def _get(self, off: int) -> int:
        return _U32.unpack_from(self.view, self.header + off)[0]

    def _set(self, off: int, value: int) -> None:
        _U32.pack_into(self.view, self.header + off, value)
        self.memory.mark(self.header + off, 4)

    def _index(self, off: int, what: str) -> int:
        value = self._get(off)
        if value >= self.size or value % 8:
            raise RingError(f"{self.name} ring: {what} index 0x{value:x} is out of range or unaligned "
                            f"(ring data is {self.size} bytes)")
        return value

    def _copy_out(self, offset: int, length: int) -> bytes:
        first = min(length, self.size - offset)
        start = self.data + offset
        out = bytes(self.view[start : start + first])
        if first < length:
            out += bytes(self.view[self.data : self.data + length - first])
        return out

    def _copy_in(self, offset: int, data: bytes) -> None:
        first = min(len(data), self.size - offset)
        start = self.data + offset
        self.view[start : start + first] = data[:first]
        self.memory.mark(start, first)
        if first < len(data):
            self.view[self.data : self.data + len(data) - first] = data[first:]
            self.memory.mark(self.data, len(data) - first)


class RingReader(_Ring):
    """The host consumes the guest's outbound ring."""

    def __init__(self, memory, gpa: int, nbytes: int, name: str, read: int = 0) -> None:
        super().__init__(memory, gpa, nbytes, name)
        self.read = read
        self._set(FEATURE_BITS, 1)

    def set_draining(self, draining: bool) -> None:
        self._set(INTERRUPT_MASK, 1 if draining else 0)

    def available(self) -> int:
        write = self._index(WRITE_INDEX, "write")
        return (write - self.read) % self.size

    def packets(self, limit: int = 256):
        """Yield (type, flags, trans_id, payload) for up to ``limit`` packets; the read index is published as each
        packet is taken. Raises RingError at the first broken rule."""
        shared = self._get(READ_INDEX)
        if shared != self.read:
            raise RingError(f"{self.name} ring: the guest rewrote the host's read index (0x{shared:x}, "
                            f"expected 0x{self.read:x})")
        for _ in range(limit):
            available = self.available()
            if available == 0:
                return
            if available < DESCRIPTOR + TRAILER:
                raise RingError(f"{self.name} ring: {available} bytes is too short for a packet")
            ptype, offset8, len8, flags, trans_id = _DESC.unpack(self._copy_out(self.read, DESCRIPTOR))
            length = len8 * 8
            if ptype not in PACKET_TYPES:
                raise RingError(f"{self.name} ring: unknown packet type {ptype}")
            if offset8 < 2 or len8 < offset8:
                raise RingError(f"{self.name} ring: bad packet descriptor (offset8 {offset8}, len8 {len8})")
            if length + TRAILER > available:
                raise RingError(f"{self.name} ring: packet of {length} bytes overruns the {available} bytes written")
            payload = self._copy_out((self.read + offset8 * 8) % self.size, length - offset8 * 8)
            self.read = (self.read + length + TRAILER) % self.size
            self._set(READ_INDEX, self.read)
            yield ptype, flags, trans_id, payload

    def writer_waiting_satisfied(self) -> bool:
        """The guest asked (pending_send_sz) to be told when this much space is free; is it now?"""
        pending = self._get(PENDING_SEND)
        if not pending:
            return False
        free = self.size - self.available()
        return free > pending


class RingWriter(_Ring):
    """The host produces into the guest's inbound ring."""

    def __init__(self, memory, gpa: int, nbytes: int, name: str, write: int = 0) -> None:
        super().__init__(memory, gpa, nbytes, name)
        self.write = write
        self.lock = threading.Lock()

    def put(self, ptype: int, payload: bytes, trans_id: int = 0, flags: int = 0) -> tuple[bool, bool]:
        """Write one packet. Returns (written, signal): written is False when the ring has no room (the packet
        is dropped, or the caller retries); signal says the guest must be told (its ring was empty and it did
        not mask interrupts)."""
        with self.lock:
            shared = self._get(WRITE_INDEX)
            if shared != self.write:
                raise RingError(f"{self.name} ring: the guest rewrote the host's write index (0x{shared:x}, "
                                f"expected 0x{self.write:x})")
            read = self._index(READ_INDEX, "read")
            length = DESCRIPTOR + _pad8(len(payload))
            used = (self.write - read) % self.size
            if length + TRAILER >= self.size - used:
                return False, False
            packet = _DESC.pack(ptype, DESCRIPTOR // 8, length // 8, flags, trans_id) + payload
            packet += bytes(length - len(packet)) + struct.pack("<Q", self.write << 32)
            was_empty = read == self.write
            self._copy_in(self.write, packet)
            self.write = (self.write + len(packet)) % self.size
            self._set(WRITE_INDEX, self.write)  # published after the data
            return True, was_empty and self._get(INTERRUPT_MASK) == 0
