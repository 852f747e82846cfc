"""A VM's settings on the embedded engine: vm.new and vm.set, and the checks a configuration passes before it is
written (names, this host's limits, switches and addresses, disks, the guest image)."""

from __future__ import annotations

import ipaddress
import time
import uuid
from dataclasses import replace

from core.engine import ImageError
from core.hosts.registry import implements
from core.model.errors import StateError, UsageError
from core.model.names import same_name, validate_name
from core.model.spec import LIVE_SETTINGS, NEW_ONLY, VmSpec
from core.model.states import VmState

from .record import VmRecord, bundled_image, host_path
from .store import ConfigError, VmConfig

MiB = 1 << 20
_PATHS = ("image", "disk")


class SettingsMethods:
    # --- vm.new and vm.set -------------------------------------------------------------------------------------
    @implements("vm.new")
    def new_vm(self, **params) -> dict:
        """Create a VM from the settings of core.model.spec (the registry has refused the ones only a libvirt host
        takes); ``start`` starts it in the same job."""
        spec = VmSpec(**params)
        settings = {k: v for k, v in spec.to_dict().items() if k not in NEW_ONLY and k != "start"}
        for key in _PATHS:
            if settings[key]:
                settings[key] = host_path(settings[key], key)
        base = VmConfig(id=uuid.uuid4().hex, name=spec.name, memory=spec.memory)
        config = self._validated_config(base, settings)
        config = replace(config, created=time.time())
        if config.network and not config.ip:
            config = replace(config, ip=self._pick_ip(config.network, config.id))
        with self._lock:  # the duplicate check and the insert are one step
            self._no_vm_named(config.name, config.id)
            stored = self.store.create(config)
            record = VmRecord(stored)
            self.vms[record.id] = record
        self._emit("vm.added", self._vm_dict(record))

        def run(ctx):
            if spec.start:
                ctx.progress(50, "starting")
                self._start(record)
            return self._vm_dict(record)

        return self._job("New VM", record, run)

    @implements("vm.set")
    def set_vm(self, vm: str, **changes) -> dict:
        record = self._usable(vm)
        changes = {k: v for k, v in changes.items() if v is not None}
        for key in _PATHS:
            if changes.get(key):
                changes[key] = host_path(changes[key], key)
        if changes.get("network") == "" and "ip" not in changes:
            changes["ip"] = ""
        config = self._validated_config(record.config, changes)
        if config.network and not config.ip:
            config = replace(config, ip=self._pick_ip(config.network, config.id))
        live = record.state in ("Off", "Critical")
        frozen = {k for k in changes if k not in LIVE_SETTINGS and getattr(config, k) != getattr(record.config, k)}
        if frozen and not live:
            raise StateError(f"cannot change {', '.join(sorted(frozen))} of VM '{record.name}' while it is "
                             f"{record.state}: turn it off first")

        def run(ctx):
            with record.lock:
                self._save_config(record, config)
                if frozen and record.partition is not None and record.partition.state == VmState.OFF:
                    record.partition = None  # rebuilt from the new settings at the next start
            self._emit("vm.changed", self._vm_dict(record))
            return self._vm_dict(record)

        return self._job("Change VM settings", record, run)

    # --- checks ------------------------------------------------------------------------------------------------
    def _no_vm_named(self, name: str, vm_id: str) -> None:
        """UsageError if another VM has this name, compared as people read names ("ｂａｓｅ１" is "base1")."""
        for other in self.vms.values():
            if other.id != vm_id and other.config and same_name(other.config.name, name):
                raise UsageError(f"a VM named '{other.config.name}' already exists", code="vm.name_taken",
                                 name=other.config.name)

    def _check_resources(self, memory: int, vcpus: int) -> None:
        """Memory and processors against this host's limits; the message names the limit that applies."""
        limits = self.limits()
        if memory > limits.memory_max:
            raise UsageError(f"memory {memory // MiB} MiB is more than this host has room for: at most "
                             f"{limits.memory_max // MiB} MiB ({limits.memory_reason})", code="limits.memory",
                             memory=memory, memory_max=limits.memory_max)
        if memory < limits.memory_min or memory % limits.memory_step:
            raise UsageError(f"memory must be a multiple of {limits.memory_step // MiB} MiB between "
                             f"{limits.memory_min // MiB} MiB and {limits.memory_max // MiB} MiB "
                             f"(got {memory / MiB:g} MiB)", code="limits.memory", memory=memory)
        if vcpus > limits.vcpus_max:
            raise UsageError(f"{vcpus} virtual processors is more than this host's limit of {limits.vcpus_max} "
                             f"({limits.vcpus_reason})", code="limits.vcpus", vcpus=vcpus,
                             vcpus_max=limits.vcpus_max)

    def _validated_config(self, base: VmConfig, changes: dict) -> VmConfig:
        data = base.to_dict() | changes
        data["name"] = validate_name(data["name"])
        self._check_resources(data["memory"], data["vcpus"])
        try:
            config = VmConfig.from_dict(data)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        self._no_vm_named(config.name, config.id)
        if config.network and config.network not in self.switches:
            raise UsageError(f"no virtual switch named '{config.network}' (create it: bulkhead switch new "
                             f"{config.network})")
        if config.ip and not config.network:
            raise UsageError("an IP address needs a network (a virtual switch)")
        if config.ip:
            self._check_ip(config)
        if config.disk:
            config = self._checked_disk(base, config)
        elif config.disk_format:
            config = replace(config, disk_format="")
        image = config.image or bundled_image()
        try:
            from core.engine import load_image

            load_image(image).check_fits(config.memory)
        except ImageError as e:
            raise UsageError(str(e)) from None
        return config

    def _check_ip(self, config: VmConfig) -> None:
        sw = self.switches[config.network]
        address = ipaddress.IPv4Address(config.ip)
        if address not in sw.subnet or address in (sw.subnet.network_address, sw.subnet.broadcast_address,
                                                   sw.host_ip):
            raise UsageError(f"IP address {config.ip} is not a usable address of {sw.subnet}")
        for other in self.vms.values():
            if other.id != config.id and other.config and other.config.network == config.network \
                    and other.config.ip == config.ip:
                raise UsageError(f"IP address {config.ip} is already used by VM '{other.config.name}'")

    def _checked_disk(self, base: VmConfig, config: VmConfig) -> VmConfig:
        from core.engine.storage import DiskError, open_disk

        try:
            with open_disk(config.disk, read_only=True) as disk:
                disk_format = disk.format
        except DiskError as e:
            raise UsageError(str(e)) from None
        except OSError as e:
            raise UsageError(f"{config.disk}: {e.strerror or e}") from None
        for other in self.vms.values():
            if other.id != config.id and other.config and other.config.disk == config.disk:
                raise UsageError(f"disk {config.disk} is already attached to VM '{other.config.name}'")
        if config.disk != base.disk or not config.disk_format:
            config = replace(config, disk_format=disk_format)
        return config

    def _save_config(self, record: VmRecord, config: VmConfig) -> None:
        self.store.save(config)
        record.stored = replace(record.stored, config=config)
