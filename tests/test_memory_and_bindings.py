"""KVM bindings, the capability check, sparse guest memory, states and the saved-state format."""

import ctypes
import os

import psutil
import pytest

from core.engine import kvm
from core.engine.capability import probe
from core.engine.memory import GuestMemory, GuestMemoryError
from core.model.states import OPERATIONS, TRANSITIONS, VmState

from .conftest import KVM_USABLE, MiB, requires_kvm


def test_struct_sizes_match_linux_kvm_h():
    assert ctypes.sizeof(kvm.kvm_regs) == 144
    assert ctypes.sizeof(kvm.kvm_sregs) == 312
    assert ctypes.sizeof(kvm.kvm_userspace_memory_region) == 32
    assert ctypes.sizeof(kvm.kvm_dirty_log) == 16
    assert kvm.kvm_regs.rip.offset == 128 and kvm.kvm_sregs.cr3.offset == 240


def test_capability_probe_reports_the_host():
    caps = probe()
    assert caps.logical_processors == os.cpu_count()
    assert caps.memory_bytes > 256 * MiB
    if KVM_USABLE:
        assert caps.kvm_api_version == 12 and caps.kvm_extensions["user_memory"] == 1
    else:
        assert caps.kvm_problem


def test_missing_kvm_device_is_explained(tmp_path):
    caps = probe(str(tmp_path / "kvm"))
    assert not caps.kvm_usable and "does not exist" in caps.kvm_problem


@requires_kvm
def test_dirty_log_sees_guest_writes():
    system = kvm.Kvm()
    vm = system.create_vm()
    mem = GuestMemory(4 * MiB)
    try:
        vm.set_memory_region(0, 0, mem.size, mem.address, kvm.KVM_MEM_LOG_DIRTY_PAGES)
        bitmap = (ctypes.c_uint64 * (mem.size // 4096 // 64))()
        vm.get_dirty_log(0, bitmap)  # host writes are not guest writes: clean
        assert not any(bitmap)
    finally:
        vm.close()
        mem.close()
        system.close()


def test_a_4gib_partition_that_touches_10mib_costs_about_10mib():
    proc = psutil.Process()
    before = proc.memory_info().rss
    mem = GuestMemory(4096 * MiB)
    try:
        for gpa in range(0, 10 * MiB, 4096):
            mem.write(gpa + 7, b"x")
        grown = proc.memory_info().rss - before
        assert mem.resident_bytes() == 10 * MiB
        assert 9 * MiB < grown < 13 * MiB, f"RSS grew {grown / MiB:.1f} MiB"
        assert mem.resident_runs() == [(0, 10 * MiB)]
        mem.clear()
        assert mem.resident_bytes() == 0 and mem.read(7, 1) == b"\0"
    finally:
        mem.close()


def test_guest_memory_access_is_bounds_checked():
    mem = GuestMemory(4 * MiB)
    try:
        for gpa, length in [(4 * MiB, 1), (4 * MiB - 4, 8), (-1, 2), (1 << 62, 8)]:
            with pytest.raises(GuestMemoryError, match="outside guest RAM"):
                mem.read(gpa, length)
        with pytest.raises(GuestMemoryError):
            mem.write(4 * MiB - 1, b"ab")
    finally:
        mem.close()


def test_transition_table_covers_every_state_and_operation():
    assert set(TRANSITIONS) == set(VmState)
    for key, op in OPERATIONS.items():
        assert op.states, key
    assert VmState.RUNNING not in TRANSITIONS[VmState.OFF]  # Off must pass through Starting
    assert TRANSITIONS[VmState.SAVED] == {VmState.STARTING, VmState.OFF}
