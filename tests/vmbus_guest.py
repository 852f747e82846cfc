"""A guest's side of the VMBus written in Python, for host-side tests without the C guest kernel."""

from __future__ import annotations

import struct
import time

from core.engine import platform as pf
from core.engine.vmbus import bus as vb
from core.engine.vmbus.ring import DESCRIPTOR, HEADER, TRAILER

MSG_PAGE = 0x200000
EVENT_PAGE = 0x204000
RING_BASE = 0x300000


class FakePartition:
    name = "fake"

    def __init__(self) -> None:
        self.wakes = 0
        self.failures: dict[str, str] = {}

    def wake(self, index: int) -> None:
        self.wakes += 1

    def device_failed(self, name: str, reason: str) -> None:
        self.failures[name] = reason


class MemoryDisk:
    def __init__(self, sectors: int = 4096) -> None:
        self.data = bytearray(sectors * 512)
        self.size = len(self.data)
        self.flushes = 0

    def read(self, sector: int, count: int) -> bytes:
        return bytes(self.data[sector * 512 : (sector + count) * 512])

    def write(self, sector: int, data: bytes) -> None:
        self.data[sector * 512 : sector * 512 + len(data)] = data

    def flush(self) -> None:
        self.flushes += 1

    def close(self) -> None:
        pass


class GuestSide:
    def __init__(self, memory, bus) -> None:
        self.memory, self.bus = memory, bus
        self.offers: dict[int, tuple] = {}
        self.results: dict[int, int] = {}
        self.rings: dict[int, tuple[int, int, int]] = {}  # id -> (gpa, out bytes, in bytes)
        self.next_ring = RING_BASE

    def connect(self) -> None:
        self.memory.write_u64(pf.BOOT_INFO + vb.BI_MESSAGE_PAGE, MSG_PAGE)
        self.memory.write_u64(pf.BOOT_INFO + vb.BI_EVENT_PAGE, EVENT_PAGE)
        self.bus.control(vb.CONNECT)
        self.poll_messages()

    def poll_messages(self) -> list[tuple[int, bytes]]:
        got = []
        for slot in range(vb.SLOTS):
            at = MSG_PAGE + slot * vb.SLOT_SIZE
            mtype, size = struct.unpack_from("<II", self.memory.view, at)
            if mtype:
                payload = self.memory.read(at + 8, size)
                got.append((mtype, payload))
                if mtype == vb.MSG_OFFER:
                    cid, dtype, inst, _r, p0, p1 = struct.unpack_from("<IIIIQQ", payload)
                    self.offers[dtype] = (cid, p0, p1)
                elif mtype == vb.MSG_OPEN_RESULT:
                    cid, status = struct.unpack_from("<Ii", payload)
                    self.results[cid] = status
                struct.pack_into("<I", self.memory.view, at, 0)
        return got

    def post(self, mtype: int, payload: bytes) -> None:
        at = MSG_PAGE + vb.POST_AREA
        self.memory.write(at, struct.pack("<II", mtype, len(payload)) + payload)
        self.bus.control(vb.POST)
        self.poll_messages()

    def open(self, device_type: int, pages: int = 4, gpa: int | None = None) -> int:
        cid = self.offers[device_type][0]
        gpa = self.next_ring if gpa is None else gpa
        self.next_ring = max(self.next_ring, gpa + 2 * pages * 4096)
        self.post(vb.MSG_OPEN, struct.pack("<IIIIQ", cid, pages, pages, 0, gpa))
        if self.results.get(cid) == 0:
            self.rings[cid] = (gpa, pages * 4096, pages * 4096)
        return cid

    # --- rings -------------------------------------------------------------------------------------------------
    def _u32(self, at: int) -> int:
        return struct.unpack_from("<I", self.memory.view, at)[0]

    def send(self, cid: int, payload: bytes, trans_id: int = 0, ring_doorbell: bool = True) -> bool:
        gpa, out_bytes, _ = self.rings[cid]
        size = out_bytes - HEADER
        write, read = self._u32(gpa), self._u32(gpa + 4)
        length = DESCRIPTOR + ((len(payload) + 7) & ~7)
        used = (write - read) % size
        if length + TRAILER >= size - used:
            return False
        packet = struct.pack("<HHHHQ", 6, 2, length // 8, 1, trans_id) + payload
        packet += bytes(length - len(packet)) + struct.pack("<Q", write << 32)
        for i, b in enumerate(packet):  # byte by byte, wrapping
            self.memory.view[gpa + HEADER + (write + i) % size] = b
        struct.pack_into("<I", self.memory.view, gpa, (write + len(packet)) % size)
        if ring_doorbell and read == write and self._u32(gpa + 8) == 0:
            self.bus.doorbell(cid)
        return True

    def receive(self, cid: int, timeout: float = 5.0) -> list[tuple[int, int, bytes]]:
        gpa, out_bytes, in_bytes = self.rings[cid]
        ring = gpa + out_bytes
        size = in_bytes - HEADER
        deadline = time.monotonic() + timeout
        while self._u32(ring) == self._u32(ring + 4):
            if time.monotonic() > deadline:
                return []
            time.sleep(0.001)
        out = []
        while self._u32(ring) != self._u32(ring + 4):
            read = self._u32(ring + 4)
            raw = bytes(self.memory.view[ring + HEADER + (read + i) % size] for i in range(16))
            ptype, off8, len8, flags, trans = struct.unpack("<HHHHQ", raw)
            body = bytes(self.memory.view[ring + HEADER + (read + i) % size] for i in range(off8 * 8, len8 * 8))
            out.append((ptype, trans, body))
            struct.pack_into("<I", self.memory.view, ring + 4, (read + len8 * 8 + TRAILER) % size)
        return out
