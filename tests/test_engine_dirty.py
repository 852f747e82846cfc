"""One dirty-page tracker per partition: every consumer sees the pages written since its own last collect, on KVM
and under emulation; the host's own writes count; the sampler is one consumer among others."""

import struct
import time

import numpy as np
import pytest

from core.engine import PartitionConfig, VmState
from core.engine.backend_kvm import KvmMachine
from core.engine.backend_unicorn import UnicornMachine
from core.engine.machine import DIRTY_LOG, DOORBELLS, FEATURES, dirty_log_of, doorbells_of
from core.engine.memory import GuestMemory

from .conftest import MiB
from .elfkit import make_elf

CTRL = 0x200000  # the host writes a guest-physical address here; the guest increments that byte and writes 0 back
# loop: mov rax, [CTRL] ; test rax, rax ; jz loop ; inc byte [rax] ; mov qword [CTRL], 0 ; jmp loop
POKER = (bytes.fromhex("488b0425") + struct.pack("<I", CTRL) + bytes.fromhex("4885c0" "74f3" "fe00" "48c70425")
         + struct.pack("<I", CTRL) + bytes(4) + bytes.fromhex("ebe3"))
TARGETS = {name: (8 * MiB + i * 64 * 1024) // 4096 for i, name in enumerate("ABCDEFG")}  # far from code and CTRL


@pytest.fixture
def poker(hypervisor, tmp_path):
    path = tmp_path / "poker.elf"
    path.write_bytes(make_elf(POKER))
    p = hypervisor.create_partition(PartitionConfig("poker", 16 * MiB, str(path)))
    p.start()
    yield p
    if p.state is not VmState.OFF:
        p.turn_off()


def poke(p, name: str) -> int:
    """Have the guest itself write the page TARGETS[name]; returns that page number."""
    page = TARGETS[name]
    p.memory.write_u64(CTRL, page * 4096 + 123)
    deadline = time.monotonic() + 10
    while p.memory.read_u64(CTRL) != 0:
        assert time.monotonic() < deadline, f"the guest did not write page {name} ({p.state}: {p.reason})"
        time.sleep(0.001)
    return page


def targets(pages) -> set[int]:
    return set(map(int, pages)) & set(TARGETS.values())


def test_two_consumers_see_the_same_pages_and_a_late_one_only_later_writes(poker):
    t = poker.dirty
    assert t.tracking
    t.register("migration")
    t.register("checkpoint")
    a = poke(poker, "A")
    t.register("late")
    b = poke(poker, "B")
    assert targets(t.collect("migration")) == {a, b}
    assert targets(t.collect("checkpoint")) == {a, b}  # the first collect took nothing from the second
    assert targets(t.collect("late")) == {b}  # registered after A was written
    assert targets(t.collect("migration")) == set()  # since its own last collect: nothing
    c = poke(poker, "C")
    assert targets(t.collect("checkpoint")) == {c}
    assert targets(t.collect("late")) == {c}
    assert targets(t.collect("migration")) == {c}


def test_the_sampler_is_one_consumer_and_takes_nothing_from_the_others(poker):
    t = poker.dirty
    t.register("migration")
    assert poker.sample()["dirty_pages"] == 0  # the sampler's first sample: it starts counting now
    d = poke(poker, "D")
    assert poker.sample()["dirty_pages"] >= 1  # under emulation too (it used to report none there)
    assert poker.sample()["dirty_pages"] is not None
    assert d in t.collect("migration")
    assert "metrics" in t.consumers


def test_host_writes_count_and_read_pages_agree_with_the_log(poker):
    t = poker.dirty
    t.register("copy")
    e = TARGETS["E"]
    poker.memory.write(e * 4096 + 8, b"written by a VSP")  # KVM's log never sees the host's writes
    f = poke(poker, "F")
    assert targets(t.collect("copy")) == {e, f}
    page = t.read_pages([f])
    assert len(page) == 4096 and page[123] == 1 and set(page[:123] + page[124:]) == {0}
    assert t.read_pages([e])[8:24] == b"written by a VSP"


def test_a_reset_counts_every_page_it_cleared(poker):
    t = poker.dirty
    t.register("copy")
    g = poke(poker, "G")
    t.collect("copy")
    poker.reset()
    assert g in t.collect("copy")  # its content went back to zeros


def test_a_new_run_starts_every_consumer_clean(poker):
    t = poker.dirty
    t.register("copy")
    poke(poker, "A")
    poker.turn_off()
    assert not t.tracking and poker.sample() is None
    poker.start()
    assert t.tracking
    assert targets(t.collect("copy")) == set()
    b = poke(poker, "B")
    assert targets(t.collect("copy")) == {b}


def test_consumers_are_named_once():
    from core.engine.dirty import DirtyTracker

    t = DirtyTracker(4 * MiB)
    t.register("x")
    with pytest.raises(ValueError, match="already registered"):
        t.register("x")
    assert t.register("x", exist_ok=True) is False
    with pytest.raises(ValueError, match="no dirty-page consumer 'y'"):
        t.collect("y")
    t.unregister("x")
    assert t.consumers == []
    assert len(t.collect("x") if t.register("x") else []) == 0  # nothing attached: nothing written


def test_host_write_marks_are_taken_once():
    mem = GuestMemory(4 * MiB)
    try:
        mem.write(0, b"before tracking")
        mem.track_host_writes()
        assert mem.take_host_writes() is None
        mem.write(4096 * 3 + 4000, b"x" * 200)  # spans pages 3 and 4
        mem.write_u64(4096 * 9, 7)
        bits = mem.take_host_writes()
        pages = np.flatnonzero(np.unpackbits(bits.view(np.uint8), bitorder="little"))
        assert pages.tolist() == [3, 4, 9]
        assert mem.take_host_writes() is None
        mem.clear()  # the pages that held anything are written (with zeros)
        pages = np.flatnonzero(np.unpackbits(mem.take_host_writes().view(np.uint8), bitorder="little"))
        assert pages.tolist() == [0, 3, 4, 9]
    finally:
        mem.close()


def test_the_machines_declare_their_optional_parts(hypervisor):
    mem = GuestMemory(4 * MiB)
    machine = hypervisor.backend.create_machine(mem, 1)
    try:
        assert machine.features <= FEATURES and DIRTY_LOG in machine.features
        assert dirty_log_of(machine) is machine
        if isinstance(machine, KvmMachine):
            assert doorbells_of(machine) is machine
        else:
            assert isinstance(machine, UnicornMachine) and DOORBELLS not in machine.features
            assert doorbells_of(machine) is None
        assert dirty_log_of(None) is None and doorbells_of(None) is None
    finally:
        machine.close()
        mem.close()


def test_the_emulation_shadow_finds_exactly_the_changed_pages():
    mem = GuestMemory(16 * MiB)
    machine = UnicornMachine(mem, 1)
    try:
        long_run = range(100, 400)  # compared in place
        scattered = range(1000, 1600, 7)  # gathered
        for page in [*long_run, *scattered]:
            mem.view[page * 4096 + 5] = 1
        bits = lambda words: set(np.flatnonzero(np.unpackbits(words.view(np.uint8), bitorder="little")).tolist())
        assert bits(machine.dirty_log()) == {*long_run, *scattered}  # against the empty copy
        assert bits(machine.dirty_log()) == set()
        for page in (100, 250, 399, 1007, 1595):
            mem.view[page * 4096 + 4095] = 9
        assert bits(machine.dirty_log()) == {100, 250, 399, 1007, 1595}
        assert machine.dirty_view()[250 * 4096 + 4095] == 9
        mem.view[3000 * 4096] = 0  # a page touched without changing its content: not dirty
        assert bits(machine.dirty_log()) == set()
        mem.clear()  # and every page back to zeros: all that held anything is dirty
        assert bits(machine.dirty_log()) == {*long_run, *scattered}
        assert machine.dirty_view()[250 * 4096 + 5] == 0
    finally:
        machine.close()
        mem.close()
