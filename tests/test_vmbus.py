"""The VMBus host side against a guest side written in Python: offers, opens, storage, KVP, and hostile rings."""

import struct
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine.memory import GuestMemory
from core.engine.vmbus import VmBus
from core.engine.vmbus import bus as vb
from core.engine.vmbus.vsp import HeartbeatVsp, KvpVsp, StorageVsp

from .vmbus_guest import FakePartition, GuestSide, MemoryDisk

MiB = 1 << 20


@pytest.fixture
def rig():
    memory = GuestMemory(16 * MiB)
    disk = MemoryDisk()
    part = FakePartition()
    bus = VmBus(part, [StorageVsp(disk), HeartbeatVsp(), KvpVsp()])
    bus.start(memory, machine=None)
    guest = GuestSide(memory, bus)
    guest.connect()
    yield guest, bus, disk, part, memory
    bus.close()
    memory.close()


def test_offers_then_open(rig):
    guest, bus, disk, part, _ = rig
    assert set(guest.offers) == {1, 3, 6}
    cid, sectors, max_sectors = guest.offers[1]
    assert sectors == 4096 and max_sectors == StorageVsp.MAX_SECTORS
    guest.open(1)
    assert guest.results[cid] == 0 and bus.channels[cid].state == "open"


def test_storage_requests_batched_under_one_doorbell(rig):
    guest, bus, disk, _, memory = rig
    cid = guest.open(1)
    buf = 0x500000
    memory.write(buf, b"synthetic!" * 400)
    for i in range(8):  # eight writes in flight, one doorbell
        assert guest.send(cid, struct.pack("<IIQQ", 2, 1, 100 + i, buf + i * 512), trans_id=i + 1,
                          ring_doorbell=(i == 0))
    done = []
    deadline = time.monotonic() + 5
    while len(done) < 8 and time.monotonic() < deadline:
        done += guest.receive(cid, timeout=1)
    assert sorted(t for _, t, _ in done) == list(range(1, 9))
    assert all(struct.unpack_from("<II", body) == (0, 1) for _, _, body in done)
    assert disk.read(100, 8) == memory.read(buf, 8 * 512)
    assert bus.channels[cid].counters["signals_in"] == 1 and bus.channels[cid].counters["packets_in"] == 8


def test_storage_refuses_out_of_range_and_bad_requests_without_failing(rig):
    guest, bus, disk, _, _ = rig
    cid = guest.open(1)
    guest.send(cid, struct.pack("<IIQQ", 1, 8, 4095, 0x500000), trans_id=1)
    guest.send(cid, struct.pack("<IIQQ", 9, 1, 0, 0x500000), trans_id=2)
    replies = {t: struct.unpack_from("<II", b)[0] for _, t, b in guest.receive(cid) + guest.receive(cid, 0.5)}
    assert replies == {1: 2, 2: 1}
    assert bus.channels[cid].state == "open"


def test_a_buffer_outside_guest_memory_fails_only_that_channel(rig):
    guest, bus, _, part, _ = rig
    cid = guest.open(1)
    kvp = guest.open(6)
    guest.send(cid, struct.pack("<IIQQ", 1, 1, 0, 64 * MiB), trans_id=1)
    deadline = time.monotonic() + 5
    while bus.channels[cid].state != "failed" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bus.channels[cid].state == "failed" and "outside guest RAM" in part.failures["storage"]
    guest.send(kvp, struct.pack("<I64s256s", 1, b"HostName", b"alive"))
    deadline = time.monotonic() + 5
    while bus.channels[kvp].vsp.guest.get("HostName") != "alive":
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_kvp_round_trip(rig):
    guest, bus, _, _, _ = rig
    cid = guest.open(6)
    vsp = bus.channels[cid].vsp
    vsp.push("Owner", "lab team")
    (ptype, _, body), = guest.receive(cid)
    op, key, value = struct.unpack_from("<I64s256s", body)
    assert op == 1 and key.rstrip(b"\0") == b"Owner" and value.rstrip(b"\0") == b"lab team"


@pytest.mark.parametrize("gpa, pages, expected", [(0x1000, 4, -3), (0x300800, 4, -3), (0x300000, 3, -2),
                                                  (0x300000, 1024, -2), (15 * MiB, 512, -3)])
def test_bad_open_requests_are_refused(rig, gpa, pages, expected):
    guest, bus, _, _, _ = rig
    cid = guest.offers[1][0]
    guest.post(vb.MSG_OPEN, struct.pack("<IIIIQ", cid, pages, pages, 0, gpa))
    assert guest.results[cid] == expected and bus.channels[cid].state == "offered"


def test_overlapping_rings_are_refused(rig):
    guest, bus, _, _, _ = rig
    guest.open(1, gpa=0x300000)
    kvp = guest.offers[6][0]
    guest.post(vb.MSG_OPEN, struct.pack("<IIIIQ", kvp, 4, 4, 0, 0x302000))
    assert guest.results[kvp] == -4


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(write_index=st.integers(0, 2**32 - 1), garbage=st.binary(min_size=16, max_size=256),
       offset=st.integers(0, 4096 * 3))
def test_hostile_rings_fail_the_channel_never_the_host(rig, write_index, garbage, offset):
    guest, bus, _, part, memory = rig
    cid = guest.offers[1][0]
    ch = bus.channels[cid]
    if ch.state != "open":  # re-open after a previous example failed it
        ch.state, ch.reader, ch.writer = "offered", None, None
        gpa = guest.next_ring
        guest.post(vb.MSG_OPEN, struct.pack("<IIIIQ", cid, 4, 4, 0, gpa))
        guest.rings[cid] = (gpa, 4 * 4096, 4 * 4096)
    gpa = guest.rings[cid][0]
    memory.write(gpa + 4096 + offset % (3 * 4096 - len(garbage)), garbage)
    struct.pack_into("<I", memory.view, gpa, write_index)
    bus._drain(ch)  # what the bus thread does on a doorbell, run here to see its outcome at once
    assert ch.state in ("open", "failed")
    if ch.state == "failed":
        assert ch.reason
    # the rest of the bus still works
    kvp = bus.channels[guest.offers[6][0]]
    assert kvp.state in ("offered", "open")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=400))
def test_random_packets_to_each_vsp(rig, payload):
    guest, bus, _, _, _ = rig
    for dtype in (1, 3, 6):
        cid = guest.offers[dtype][0]
        ch = bus.channels[cid]
        if ch.state != "open":
            ch.state, ch.reader, ch.writer = "offered", None, None
            guest.open(dtype)
        guest.send(cid, payload, ring_doorbell=False)
        bus._drain(ch)
        assert ch.state in ("open", "failed")
