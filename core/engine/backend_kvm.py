"""The hardware backend: partitions on Linux KVM. Guest code runs on the processor; exits come back here."""

from __future__ import annotations

import ctypes
import signal
import struct
import threading

import numpy as np

from . import kvm
from . import platform as pf
from .errors import BackendUnavailable, GuestFault
from .machine import DIRTY_LOG, DOORBELLS, power_request

_IO = struct.Struct("<BBHIQ")
_MMIO = struct.Struct("<Q8sIB")
_SYSTEM_EVENTS = {1: "poweroff", 2: "reboot"}  # KVM_SYSTEM_EVENT_SHUTDOWN, KVM_SYSTEM_EVENT_RESET


def _segment(seg: kvm.kvm_segment, selector: int, code: bool) -> None:
    seg.base, seg.limit, seg.selector = 0, 0xFFFFFFFF, selector
    seg.type = 11 if code else 3
    seg.present, seg.dpl, seg.s, seg.g, seg.avl, seg.unusable = 1, 3, 1, 1, 0, 0
    seg.l, seg.db = (1, 0) if code else (0, 1)


class KvmBackend:
    name = "kvm"
    description = "hardware virtualization (Linux KVM)"

    def __init__(self, path: str = "/dev/kvm") -> None:
        try:
            self.kvm = kvm.Kvm(path)
        except OSError as e:
            raise BackendUnavailable(f"{path}: {e.strerror}") from None
        if self.kvm.api_version != kvm.KVM_API_VERSION:
            raise BackendUnavailable(f"{path}: KVM API version {self.kvm.api_version}, need {kvm.KVM_API_VERSION}")
        kvm.install_kick_handler()

    def create_machine(self, memory, vcpus: int) -> KvmMachine:
        return KvmMachine(self, memory, vcpus)

    def close(self) -> None:
        self.kvm.close()


class KvmMachine:
    """A ``Machine`` with both optional parts: KVM's dirty log and ioeventfd doorbells."""

    features = frozenset({DIRTY_LOG, DOORBELLS})

    def __init__(self, backend: KvmBackend, memory, vcpus: int) -> None:
        self.memory = memory
        self.vm = backend.kvm.create_vm()
        self.vcpus: list[kvm.KvmVcpu] = []
        self._thread_ids: list[int | None] = [None] * vcpus
        try:
            # the dirty log feeds the partition's DirtyTracker (dirty-page rate, migration, checkpoints)
            self.vm.set_memory_region(0, 0, memory.size, memory.address, kvm.KVM_MEM_LOG_DIRTY_PAGES)
            self._dirty: np.ndarray | None = None  # the bitmap, made on first use
            cpuid = backend.kvm.supported_cpuid()
            for i in range(vcpus):
                vcpu = self.vm.create_vcpu(i)
                self.vcpus.append(vcpu)
                vcpu.set_cpuid(cpuid)
                vcpu.set_sregs(self._entry_sregs(vcpu))
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _entry_sregs(vcpu: kvm.KvmVcpu) -> kvm.kvm_sregs:
        sregs = vcpu.get_sregs()
        _segment(sregs.cs, pf.CS_SELECTOR, code=True)
        for name in ("ds", "es", "fs", "gs", "ss"):
            _segment(getattr(sregs, name), pf.DS_SELECTOR, code=False)
        sregs.cr0, sregs.cr3, sregs.cr4, sregs.efer = pf.CR0, pf.PML4, pf.CR4, pf.EFER
        return sregs

    def set_registers(self, index: int, regs: dict[str, int]) -> None:
        vcpu = self.vcpus[index]
        vcpu.set_sregs(self._entry_sregs(vcpu))
        vcpu.set_regs(kvm.kvm_regs(**{name: regs[name] for name in pf.GPR_NAMES}))

    def get_registers(self, index: int) -> dict[str, int]:
        regs = self.vcpus[index].get_regs()
        return {name: getattr(regs, name) for name in pf.GPR_NAMES}

    def dirty_log(self) -> np.ndarray:
        """Pages the guest wrote since the last call (KVM_GET_DIRTY_LOG clears the log as it reads it): only the
        partition's DirtyTracker calls this."""
        if self._dirty is None:
            self._dirty = np.zeros((self.memory.size // 4096 + 63) // 64, np.uint64)
            self._dirty_c = (ctypes.c_uint64 * len(self._dirty)).from_buffer(self._dirty)
        self.vm.get_dirty_log(0, self._dirty_c)
        return self._dirty

    def dirty_view(self) -> memoryview:
        return self.memory.view  # KVM logs every store after a read, so live memory agrees with the log

    def register_doorbell(self, port: int, value: int, fd: int) -> bool:
        """A 32-bit write of ``value`` to ``port`` signals ``fd`` in the kernel: no exit reaches user space."""
        try:
            self.vm.ioeventfd(fd, port, 4, value)
            return True
        except OSError:
            return False

    def kick(self, index: int) -> None:
        self.vcpus[index].set_immediate_exit(True)
        tid = self._thread_ids[index]
        if tid is not None:
            try:
                signal.pthread_kill(tid, kvm.KICK_SIGNAL)
            except (ProcessLookupError, OSError):
                pass

    def _quiesce(self, vcpu: kvm.KvmVcpu) -> None:
        # KVM finishes a pending port or MMIO access on the next KVM_RUN; with immediate_exit set it does that and
        # returns at once, so the registers saved afterwards are at an instruction boundary.
        vcpu.set_immediate_exit(True)
        vcpu.run()
        vcpu.set_immediate_exit(False)

    def run_vcpu(self, index: int, p) -> None:
        vcpu = self.vcpus[index]
        run = vcpu.run_map
        limit = len(run)
        exits = p.counters[index].exits
        self._thread_ids[index] = threading.get_ident()
        try:
            while True:
                if not p.vcpu_should_run():
                    self._quiesce(vcpu)
                    if p.vcpu_park(index):
                        return
                    continue
                if vcpu.run() < 0:
                    vcpu.set_immediate_exit(False)
                    continue
                reason = int.from_bytes(run[8:12], "little")
                if reason == kvm.EXIT_IO:
                    exits["io"] += 1
                    direction, size, port, count, offset = _IO.unpack_from(run, 32)
                    if size not in (1, 2, 4) or not 0 < count <= 4096 or offset + size * count > limit:
                        raise GuestFault(f"port I/O exit with size {size} and count {count} the engine cannot serve")
                    if direction == kvm.IO_OUT:
                        for k in range(count):
                            at = offset + k * size
                            p.io_out(index, port, size, int.from_bytes(run[at : at + size], "little"))
                    else:
                        mask = (1 << (8 * size)) - 1
                        for k in range(count):
                            at = offset + k * size
                            run[at : at + size] = (p.io_in(index, port, size) & mask).to_bytes(size, "little")
                elif reason == kvm.EXIT_MMIO:
                    exits["mmio"] += 1
                    phys, data, length, is_write = _MMIO.unpack_from(run, 32)
                    if length not in (1, 2, 4, 8):
                        raise GuestFault(f"MMIO access of {length} bytes at 0x{phys:x}")
                    if is_write:
                        p.mmio_write(index, phys, length, int.from_bytes(data[:length], "little"))
                    else:
                        value = p.mmio_read(index, phys, length) & ((1 << (8 * length)) - 1)
                        run[40 : 40 + length] = value.to_bytes(length, "little")
                elif reason == kvm.EXIT_SHUTDOWN:
                    exits["shutdown"] += 1
                    raise GuestFault("triple fault: the guest hit an exception it had no handler for")
                elif reason == kvm.EXIT_HLT:
                    exits["hlt"] += 1
                    raise GuestFault("the guest halted the processor (hlt), which this platform does not offer")
                elif reason == kvm.EXIT_INTERNAL_ERROR:
                    sub = int.from_bytes(run[32:36], "little")
                    raise GuestFault(f"KVM internal error (suberror {sub}): the guest did something KVM cannot emulate")
                elif reason == kvm.EXIT_FAIL_ENTRY:
                    hw = int.from_bytes(run[32:40], "little")
                    raise GuestFault(f"the processor refused to enter the guest (hardware reason 0x{hw:x})")
                elif reason == kvm.EXIT_SYSTEM_EVENT:
                    kind = int.from_bytes(run[32:36], "little")
                    exits["system_event"] += 1
                    power_request(p, _SYSTEM_EVENTS.get(kind), f"guest system event {kind}")
                elif reason == kvm.EXIT_INTR:
                    continue
                else:
                    raise GuestFault(f"unhandled exit '{kvm.EXIT_NAMES.get(reason, reason)}'")
        finally:
            self._thread_ids[index] = None

    def close(self) -> None:
        for vcpu in self.vcpus:
            vcpu.close()
        self.vcpus = []
        self.vm.close()
