"""Port I/O bus: which device owns which port."""

from __future__ import annotations

from typing import Protocol


class DeviceFault(Exception):
    """An access the engine cannot serve; the partition goes Critical with this reason."""


class PortDevice(Protocol):
    name: str

    def io_read(self, offset: int, size: int) -> int: ...

    def io_write(self, offset: int, size: int, value: int) -> None: ...


class IoBus:
    def __init__(self) -> None:
        self._ports: dict[int, tuple[PortDevice, int]] = {}

    def register(self, base: int, count: int, device: PortDevice) -> None:
        for port in range(base, base + count):
            if port in self._ports:
                raise ValueError(f"port 0x{port:x} already belongs to {self._ports[port][0].name}")
            self._ports[port] = (device, port - base)

    def lookup(self, port: int) -> tuple[PortDevice, int]:
        try:
            return self._ports[port]
        except KeyError:
            raise DeviceFault(f"access to port 0x{port:x}, where no device is") from None
