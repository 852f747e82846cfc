"""The emulation backend: the same partitions under CPU emulation (Unicorn) where KVM is missing or refused.

Same images, devices, state machine and counters as the KVM backend; guest code runs through Unicorn's
translator (about a tenth of native speed for loops) instead of on the processor. Unicorn gives the guest a flat
address space with guest-physical = virtual, which is what the engine's page tables map anyway.
"""

from __future__ import annotations

import numpy as np

from . import platform as pf
from .errors import BackendUnavailable, GuestFault
from .machine import DIRTY_LOG
from .memory import PAGE_SIZE, GuestMemory

try:
    import unicorn
    from unicorn import x86_const as X
except ImportError:  # pragma: no cover - unicorn is a hard dependency, but report plainly if it is absent
    unicorn = None

_REG_IDS = {name: getattr(X, f"UC_X86_REG_{name.upper()}") for name in pf.GPR_NAMES} if unicorn else {}
_EXCEPTIONS = {0: "divide error", 1: "debug", 3: "breakpoint", 4: "overflow", 5: "bound range", 6: "invalid opcode",
               8: "double fault", 13: "general protection", 14: "page fault"}


class UnicornBackend:
    name = "emulation"
    description = "CPU emulation (Unicorn): no hardware virtualization in use, guest code runs much slower"

    def __init__(self) -> None:
        if unicorn is None:
            raise BackendUnavailable("the unicorn package is not installed")
        self.version = unicorn.__version__

    def create_machine(self, memory, vcpus: int) -> UnicornMachine:
        return UnicornMachine(memory, vcpus)

    def close(self) -> None:
        pass


class _Vcpu:
    def __init__(self, machine: UnicornMachine, index: int, memory) -> None:
        self.index = index
        self.partition = None
        self.fault: str | None = None
        self.latch = 0
        uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_64)
        uc.mem_map_ptr(0, memory.size, unicorn.UC_PROT_ALL, memory.address)
        uc.mmio_map(pf.MMIO_BASE, pf.MMIO_SIZE, self._mmio_read, None, self._mmio_write, None)
        uc.hook_add(unicorn.UC_HOOK_INSN, self._out, None, 1, 0, X.UC_X86_INS_OUT)
        uc.hook_add(unicorn.UC_HOOK_INSN, self._in, None, 1, 0, X.UC_X86_INS_IN)
        uc.hook_add(unicorn.UC_HOOK_INTR, self._interrupt)
        uc.hook_add(unicorn.UC_HOOK_MEM_UNMAPPED, self._unmapped)
        self.uc = uc
        self.running = False

    # hooks run on the vCPU thread inside emu_start; an exception ends emulation and reaches run_vcpu
    def _out(self, uc, port, size, value, _):
        p = self.partition
        p.counters[self.index].exits["io"] += 1
        p.io_out(self.index, port, size, value)

    def _in(self, uc, port, size, _):
        p = self.partition
        p.counters[self.index].exits["io"] += 1
        return p.io_in(self.index, port, size)

    def _mmio_read(self, uc, offset, size, _):
        p = self.partition
        p.counters[self.index].exits["mmio"] += 1
        # Unicorn splits a 64-bit access in two 32-bit ones: latch the value on the low half
        if size == 4 and offset in (0, 4):
            if offset == 0:
                self.latch = p.mmio_read(self.index, pf.MMIO_BASE, 8)
                return self.latch & 0xFFFFFFFF
            return self.latch >> 32
        return p.mmio_read(self.index, pf.MMIO_BASE + offset, size)

    def _mmio_write(self, uc, offset, size, value, _):
        p = self.partition
        p.counters[self.index].exits["mmio"] += 1
        p.mmio_write(self.index, pf.MMIO_BASE + offset, size, value)

    def _interrupt(self, uc, intno, _):
        rip = uc.reg_read(X.UC_X86_REG_RIP)
        what = _EXCEPTIONS.get(intno, f"interrupt {intno}")
        self.fault = f"triple fault: {what} at 0x{rip:x} with no handler"
        uc.emu_stop()

    def _unmapped(self, uc, access, address, size, value, _):
        self.fault = f"triple fault: the guest touched 0x{address:x}, outside its memory"
        return False


class _Shadow:
    """Dirty pages under emulation, found by comparing guest memory with a copy of it.

    Unicorn has no dirty log, and the alternatives cost the guest: a Python write hook costs about 0.4 µs per store
    and write-protect faults about 10 ms each (docs in ../shared/kvm-facts.md). Comparing costs only the reader, in
    proportion to the pages resident in either mapping, and the copy is sparse like guest memory. A page is dirty
    when its content differs from the copy, which then takes the page's content: readers get pages from the copy
    (``dirty_view``), so whatever they read, a later change is a difference the next comparison finds."""

    CHUNK = 4096  # pages compared at a time: bounds the temporaries
    RUN = 16  # runs of resident pages at least this long are compared in place, shorter ones gathered

    def __init__(self, memory: GuestMemory) -> None:
        self.memory = memory
        self.copy = GuestMemory(memory.size)
        self.guest = np.frombuffer(memory.view, np.uint64).reshape(-1, PAGE_SIZE // 8)
        self.shadow = np.frombuffer(self.copy.view, np.uint64).reshape(-1, PAGE_SIZE // 8)
        self.words = np.zeros(-(-len(self.guest) // 64), np.uint64)

    def dirty_log(self) -> np.ndarray:  # the partition's DirtyTracker serialises the calls
        resident = (np.frombuffer(self.memory.resident_vector(), np.uint8)
                    | np.frombuffer(self.copy.resident_vector(), np.uint8)) & 1
        dirty = np.zeros(len(self.guest), bool)
        edges = np.flatnonzero(np.diff(resident, prepend=0, append=0))  # runs of resident pages: [start, end)
        starts, ends = edges[0::2], edges[1::2]
        long = ends - starts >= self.RUN
        for start, end in zip(starts[long].tolist(), ends[long].tolist()):
            for a in range(start, end, self.CHUNK):  # slices of both mappings: nothing copied to compare
                b = min(end, a + self.CHUNK)
                self._take(a + np.flatnonzero((self.guest[a:b] != self.shadow[a:b]).any(axis=1)), dirty)
        scattered = np.flatnonzero(resident)  # the pages of short runs, gathered (copies, but few loops)
        if long.any():
            covered = np.zeros(len(resident) + 1, np.int8)
            np.add.at(covered, starts[long], 1)
            np.add.at(covered, ends[long], -1)
            scattered = np.flatnonzero(resident & (np.cumsum(covered[:-1]) == 0))
        for a in range(0, len(scattered), self.CHUNK):
            pages = scattered[a : a + self.CHUNK]
            self._take(pages[(self.guest[pages] != self.shadow[pages]).any(axis=1)], dirty)
        self.words[:] = np.packbits(dirty, bitorder="little").view("<u8")
        return self.words

    def _take(self, changed: np.ndarray, dirty: np.ndarray) -> None:
        if len(changed):
            self.shadow[changed] = self.guest[changed]
            dirty[changed] = True

    def close(self) -> None:
        del self.guest, self.shadow  # the buffers must be free before the mappings can go
        self.copy.close()


class UnicornMachine:
    """A ``Machine`` with a dirty log (by comparison, see ``_Shadow``) and no kernel doorbells."""

    features = frozenset({DIRTY_LOG})

    def __init__(self, memory, vcpus: int) -> None:
        self.memory = memory
        self.vcpus = [_Vcpu(self, i, memory) for i in range(vcpus)]
        self._shadow: _Shadow | None = None

    def dirty_log(self) -> np.ndarray:
        if self._shadow is None:  # made on first use: a run nobody tracks pays nothing
            self._shadow = _Shadow(self.memory)
        return self._shadow.dirty_log()

    def dirty_view(self) -> memoryview:
        return self._shadow.copy.view if self._shadow is not None else self.memory.view

    def set_registers(self, index: int, regs: dict[str, int]) -> None:
        uc = self.vcpus[index].uc
        for name in pf.GPR_NAMES:
            uc.reg_write(_REG_IDS[name], regs[name])

    def get_registers(self, index: int) -> dict[str, int]:
        uc = self.vcpus[index].uc
        return {name: uc.reg_read(_REG_IDS[name]) for name in pf.GPR_NAMES}

    def kick(self, index: int) -> None:
        vcpu = self.vcpus[index]
        if vcpu.running:
            vcpu.uc.emu_stop()

    def run_vcpu(self, index: int, p) -> None:
        vcpu = self.vcpus[index]
        vcpu.partition = p
        uc = vcpu.uc
        while True:
            if not p.vcpu_should_run():
                if p.vcpu_park(index):
                    return
                continue
            vcpu.running = True
            try:
                uc.emu_start(uc.reg_read(X.UC_X86_REG_RIP), 0xFFFFFFFFFFFFFFFF)
            except unicorn.UcError as e:
                raise GuestFault(vcpu.fault or self._explain(uc, e)) from None
            finally:
                vcpu.running = False
            if vcpu.fault:
                raise GuestFault(vcpu.fault)

    @staticmethod
    def _explain(uc, error) -> str:
        rip = uc.reg_read(X.UC_X86_REG_RIP)
        if error.errno == unicorn.UC_ERR_INSN_INVALID:
            return f"triple fault: invalid opcode at 0x{rip:x} with no handler"
        if error.errno == unicorn.UC_ERR_EXCEPTION:
            return f"triple fault: unhandled CPU exception at 0x{rip:x}"
        return f"emulation stopped at 0x{rip:x}: {error}"

    def close(self) -> None:
        for vcpu in self.vcpus:
            vcpu.partition = None
        self.vcpus = []
        if self._shadow is not None:
            self._shadow.close()
            self._shadow = None


