"""A partition's devices: the port bus with COM1, the disk on the synthetic (VMBus) or emulated (IDE) controller,
the network adapter, the integration services, and what they report; part of ``Partition``."""

from __future__ import annotations

import logging

from core.model.states import VmState

from . import platform as pf
from .devices import IoBus

log = logging.getLogger(__name__)

IDE_PORTS, IDE_ALT_STATUS = 0x1F0, 0x3F6


class PartitionDevices:
    """Mixin of ``Partition``: builds the devices of a run and answers for them."""

    def _build_devices(self) -> None:
        from .devices.ide import IdeController
        from .vmbus import VmBus
        from .vmbus.vsp import HeartbeatVsp, KvpVsp, NetworkVsp, ShutdownVsp, StorageVsp, TimeSyncVsp

        config = self.config
        self.device_failures = {}
        self.bus = IoBus()
        self.bus.register(pf.COM1, 8, self.serial)
        if config.disk:
            from .storage import open_disk
            from .storage.tracking import TrackingDisk

            # tracked: storage and live migration learn which blocks the guest writes (nothing while nobody asks)
            self.disk = TrackingDisk(open_disk(config.disk, format=config.disk_format))
        vsps: list = []
        if self.disk is not None and config.disk_controller == "synthetic":
            vsps.append(StorageVsp(self.disk))
        elif self.disk is not None:
            self.ide = IdeController(self.disk)
            self.bus.register(IDE_PORTS, 8, self.ide)
            self.bus.register(IDE_ALT_STATUS, 1, _AltStatus(self.ide))
        if config.switch is not None:
            vsps.append(NetworkVsp(config.mac, config.switch))
        if config.integration_services:
            kvp = KvpVsp()
            kvp.host.update(self.kvp_host)
            vsps += [HeartbeatVsp(), ShutdownVsp(), TimeSyncVsp(), kvp]
        self.vmbus = VmBus(self, vsps) if vsps else None

    @property
    def device_flags(self) -> int:
        return (pf.DEVICE_IDE if self.ide is not None else 0) | (pf.DEVICE_VMBUS if self.vmbus is not None else 0)

    def vsp(self, name: str):
        if self.vmbus is None:
            return None
        return self.vmbus.vsps.get(name)

    def heartbeat(self) -> str | None:
        """Hyper-V's heartbeat status: OK, No Contact, Lost Communication, Paused; None without the service."""
        vsp = self.vsp("heartbeat")
        if vsp is None or self.state not in (VmState.RUNNING, VmState.PAUSED):
            return None
        return "Paused" if self.state is VmState.PAUSED else vsp.status()

    def kvp(self) -> dict:
        vsp = self.vsp("kvp")
        return {"guest": dict(vsp.guest) if vsp else {}, "host": dict(self.kvp_host)}

    def kvp_push(self, key: str, value: str | None) -> None:
        if value is None:
            self.kvp_host.pop(key, None)
        else:
            self.kvp_host[key] = value
        vsp = self.vsp("kvp")
        if vsp is not None:
            vsp.push(key, value)

    def device_failed(self, name: str, reason: str) -> None:
        self.device_failures[name] = reason
        for listener in list(self.on_device):
            try:
                listener(self, name, reason)
            except Exception:
                log.exception("device listener failed")

    def devices(self) -> dict:
        out: dict = {"failures": dict(self.device_failures)}
        if self.vmbus is not None:
            out["vmbus"] = {"ioeventfd": self.vmbus.ioeventfd, "channels": self.vmbus.snapshot()}
            for name in ("storage", "network"):
                vsp = self.vsp(name)
                if vsp is not None:
                    out[name] = dict(vsp.stats)
        if self.ide is not None:
            out["ide"] = dict(self.ide.stats)
        return out


class _AltStatus:
    """Port 0x3F6: the IDE alternate status (read) and device control (write) register."""

    name = "ide"

    def __init__(self, ide) -> None:
        self.ide = ide

    def io_read(self, offset: int, size: int) -> int:
        return self.ide.io_read(8, size)

    def io_write(self, offset: int, size: int, value: int) -> None:
        self.ide.io_write(8, size, value)
