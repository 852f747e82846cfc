"""What the partition needs from a backend's machine (KVM, Unicorn), and what a machine calls back.

A machine is one run of a partition on a backend: its vCPUs over the partition's guest memory. Every machine has
the ``Machine`` methods; the optional parts are named in ``features`` and each has its own protocol, asked for once
through ``dirty_log_of`` / ``doorbells_of`` (never probed with hasattr):

- ``DIRTY_LOG``: the pages the guest wrote since the last read (KVM's dirty log; a shadow copy under emulation).
- ``DOORBELLS``: a port write that signals an eventfd in the kernel, without an exit to user space (KVM_IOEVENTFD).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from .errors import GuestFault

if TYPE_CHECKING:
    import numpy as np

    from .memory import GuestMemory

DIRTY_LOG = "dirty_log"
DOORBELLS = "doorbells"
FEATURES = frozenset({DIRTY_LOG, DOORBELLS})
POWER_REQUESTS = {"poweroff": "the guest powered off", "reboot": "the guest rebooted"}


class VcpuHost(Protocol):
    """The partition as a vCPU thread sees it: what ``Machine.run_vcpu`` calls for every exit it serves."""

    counters: list  # per vCPU: .exits and .ports (Counters)

    def vcpu_should_run(self) -> bool: ...
    def vcpu_park(self, index: int) -> bool: ...
    def io_out(self, index: int, port: int, size: int, value: int) -> None: ...
    def io_in(self, index: int, port: int, size: int) -> int: ...
    def mmio_read(self, index: int, gpa: int, size: int) -> int: ...
    def mmio_write(self, index: int, gpa: int, size: int, value: int) -> None: ...
    def guest_request(self, kind: str, detail: str) -> None: ...


def power_request(host: VcpuHost, action: str | None, unknown: str) -> None:
    """The guest asked to power off or reboot (``action``, however it asked); GuestFault(``unknown``) when what it
    asked is neither."""
    if action not in POWER_REQUESTS:
        raise GuestFault(unknown)
    host.guest_request(action, POWER_REQUESTS[action])


class Machine(Protocol):
    features: frozenset[str]  # the optional parts this machine has (DIRTY_LOG, DOORBELLS)

    def set_registers(self, index: int, regs: dict[str, int]) -> None: ...
    def get_registers(self, index: int) -> dict[str, int]: ...
    def kick(self, index: int) -> None: ...
    def run_vcpu(self, index: int, host: VcpuHost) -> None: ...
    def close(self) -> None: ...


class DirtyLog(Protocol):
    def dirty_log(self) -> np.ndarray:
        """Pages written since the previous call, as a bitmap of little-endian uint64 words (bit n = page n).
        Reading resets it. The array is the machine's own: use it before the next call."""
        ...

    def dirty_view(self) -> memoryview:
        """Where page contents that agree with the log are read: guest memory itself when every later write is
        logged (KVM), else the copy the log was last computed against."""
        ...


class Doorbells(Protocol):
    def register_doorbell(self, port: int, value: int, fd: int) -> bool:
        """A 32-bit write of ``value`` to ``port`` signals ``fd``; False when the host refuses it."""
        ...


class Backend(Protocol):
    name: str
    description: str

    def create_machine(self, memory: GuestMemory, vcpus: int) -> Machine: ...
    def close(self) -> None: ...


def dirty_log_of(machine: Machine | None) -> DirtyLog | None:
    return cast("DirtyLog", machine) if machine is not None and DIRTY_LOG in machine.features else None


def doorbells_of(machine: Machine | None) -> Doorbells | None:
    return cast("Doorbells", machine) if machine is not None and DOORBELLS in machine.features else None
