"""The emulation backend: the same partitions under CPU emulation (Unicorn) where KVM is missing or refused.

Same images, devices, state machine and counters as the KVM backend; guest code runs through Unicorn's
translator (about a tenth of native speed for loops) instead of on the processor. Unicorn gives the guest a flat
address space with guest-physical = virtual, which is what the engine's page tables map anyway.
"""

from __future__ import annotations

from . import platform as pf
from .errors import BackendUnavailable, GuestFault

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


class UnicornMachine:
    def __init__(self, memory, vcpus: int) -> None:
        self.memory = memory
        self.vcpus = [_Vcpu(self, i, memory) for i in range(vcpus)]

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


