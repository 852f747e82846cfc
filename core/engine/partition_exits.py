"""The exits a partition serves on its vCPU threads: the platform ports, the VMBus ports, the MMIO block, and
parking. Called by the backend's ``Machine.run_vcpu`` (the ``VcpuHost`` protocol); part of ``Partition``."""

from __future__ import annotations

from . import platform as pf
from .errors import GuestFault
from .machine import power_request
from .vmbus.bus import PORT_CONTROL, PORT_DOORBELL

RUN, PARK, EXIT = "run", "park", "exit"
_POWER_PORT = {0: "poweroff", 1: "reboot"}  # the value written to the power port
WRITE_ONLY_PORTS = frozenset({pf.PORT_SLEEP, pf.PORT_POWER, pf.PORT_CRASH, PORT_CONTROL, PORT_DOORBELL})


class PartitionExits:
    """Mixin of ``Partition``: what the guest's port and MMIO accesses do."""

    def io_out(self, index: int, port: int, size: int, value: int) -> None:
        ports = self.counters[index].ports
        if port == pf.PORT_SLEEP:
            ports["idle"] += 1
            self._sleep(index)
        elif port == pf.PORT_POWER:
            ports["power"] += 1
            power_request(self, _POWER_PORT.get(value), f"power port written with unknown value {value}")
        elif port == PORT_DOORBELL:
            ports["doorbell"] += 1
            if self.vmbus is None:
                raise GuestFault("VMBus doorbell rung on a VM without VMBus devices")
            self.vmbus.doorbell(value)
        elif port == PORT_CONTROL:
            ports["vmbus"] += 1
            if self.vmbus is None:
                raise GuestFault("VMBus control port used on a VM without VMBus devices")
            self.vmbus.control(value)
        elif port == pf.PORT_CRASH:
            ports["crash"] += 1
            message = self.memory.read_cstring(pf.BOOT_INFO + pf.CRASH_OFFSET, pf.CRASH_MAX).strip()
            self.guest_request("crash", f"guest crashed: {message or 'no message'}")
        else:
            device, offset = self.bus.lookup(port)
            ports[device.name] += 1
            device.io_write(offset, size, value)

    def io_in(self, index: int, port: int, size: int) -> int:
        if port in WRITE_ONLY_PORTS:
            raise GuestFault(f"read of write-only platform port 0x{port:x}")
        device, offset = self.bus.lookup(port)
        self.counters[index].ports[device.name] += 1
        return device.io_read(offset, size)

    def mmio_read(self, index: int, gpa: int, size: int) -> int:
        offset = gpa - pf.MMIO_BASE
        if 0 <= offset < pf.MMIO_SIZE:
            self.counters[index].ports["clock"] += 1
            if offset == 0 and size == 8:
                return self.guest_clock_ns()
            if offset == 8 and size in (4, 8):
                return pf.MMIO_MAGIC
            raise GuestFault(f"MMIO read of {size} bytes at platform block +0x{offset:x}")
        raise GuestFault(f"MMIO read at 0x{gpa:x}, where no device is")

    def mmio_write(self, index: int, gpa: int, size: int, value: int) -> None:
        offset = gpa - pf.MMIO_BASE
        if 0 <= offset < pf.MMIO_SIZE:
            raise GuestFault(f"MMIO write to read-only platform block +0x{offset:x}")
        raise GuestFault(f"MMIO write at 0x{gpa:x}, where no device is")

    def vcpu_should_run(self) -> bool:
        return self._control is RUN

    def vcpu_park(self, index: int) -> bool:
        """Called by a vCPU thread when told to stop running; blocks while parked. True means: exit the thread."""
        with self._cond:
            self._parked += 1
            self._cond.notify_all()
            while self._control is PARK:
                self._cond.wait()
            self._parked -= 1
            self._cond.notify_all()
            return self._control is EXIT

    def vcpu_failed(self, index: int, reason: str) -> None:
        self.guest_request("critical", reason)

    def _sleep(self, index: int) -> None:
        deadline = self.memory.read_u64(pf.BOOT_INFO + pf.MAILBOX_OFFSET + index * pf.MAILBOX_STRIDE)
        delay = (deadline - self.guest_clock_ns()) / 1e9
        if self._control is not RUN:
            self.machine.kick(index)  # being parked: stop here rather than let the guest spin until the kick lands
        elif delay > 0:
            event = self._wake[index]
            event.wait(min(delay, 60.0))  # the guest sleeps again if it still has nothing to do
            event.clear()
