"""The host service (Hyper-V's VMMS): owns the partitions, the VM store, jobs and events.

Everything a client can do is a method here, reached through ``dispatch`` by the socket server and by embedded
connections alike. Reads answer at once; every state-changing operation validates its input first (so bad input
is refused before anything is written) and then runs as a job.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from core import __version__
from core.engine import Hypervisor, ImageError, PartitionConfig, TransitionError, VmState
from core.engine import platform as pf
from core.engine.savestate import SavedStateError
from core.hosts.base import HostBase
from core.hosts.jobs import JobError, JobManager
from core.hosts.paths import HostPaths
from core.model.errors import NotFound, OperationFailed, StateError, UsageError

from .store import (
    START_ACTIONS,
    STOP_ACTIONS,
    ConfigError,
    StoredVm,
    VmConfig,
    VmStore,
    validate_name,
    write_json_atomic,
)

log = logging.getLogger(__name__)

CONFIG_ERROR = "Configuration error"
SHUTDOWN_TIMEOUT = 60.0
MiB = 1 << 20
# what may change while the VM runs (everything else needs it Off)
LIVE_SETTINGS = {"name", "notes", "automatic_start_action", "automatic_stop_action"}
SETTINGS = {"name", "memory", "vcpus", "image", "workload", "cmdline", "notes", "automatic_start_action",
            "automatic_stop_action", "disk", "disk_controller", "network", "ip", "integration_services"}
STOP_MODES = ("shut_down", "turn_off", "save")


def _bundled_image() -> str:
    from resources import GUEST_IMAGE

    return str(GUEST_IMAGE)


class VmRecord:
    """A VM as the service holds it: its stored folder and, once started, its partition."""

    def __init__(self, stored: StoredVm) -> None:
        self.stored = stored
        self.partition = None
        self.lock = threading.RLock()  # one operation on a VM at a time

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def config(self) -> VmConfig | None:
        return self.stored.config

    @property
    def name(self) -> str:
        return self.config.name if self.config else self.stored.id

    @property
    def state(self) -> str:
        if self.config is None:
            return CONFIG_ERROR
        return self.partition.state.value if self.partition is not None else VmState.OFF.value


class HostService(HostBase):
    def __init__(self, paths: HostPaths, backend: str | None = None, tick: float | None = None) -> None:
        self.paths = paths
        paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.hypervisor = Hypervisor(backend)
        self.store = VmStore(paths.data)
        self._init_events()
        self._lock = threading.RLock()
        self.jobs = JobManager(paths.jobs_db, on_event=lambda kind, job: self._emit(kind, self._named(job)))
        self.vms: dict[str, VmRecord] = {}
        self.started_at = time.time()
        for stored in self.store.load_all():
            self.vms[stored.id] = VmRecord(stored)
            if stored.error:
                log.warning("VM folder %s: %s", stored.folder, stored.error)
        self.switches: dict = {}
        self._load_switches()
        self._adopt_saved_states()
        from core.hosts.alerts import AlertManager
        from core.hosts.metrics import MetricsStore, Sampler

        self.metrics = MetricsStore(paths.data / "metrics.sqlite")
        self.alerts = AlertManager(paths.data, self._emit)
        interval = tick or float(os.environ.get("BULKHEAD_TICK", "1.0"))
        self.sampler = Sampler(self, self.metrics, interval, on_sample=self._on_sample)
        self.sampler.start()

    # --- metrics and health ------------------------------------------------------------------------------------
    def _on_sample(self, sample: dict) -> None:
        self._emit("metrics", sample)
        self.alerts.evaluate(self._conditions(sample), sample["t"])

    def _conditions(self, sample: dict) -> dict:
        rules = self.alerts.rules
        out: dict = {}
        for record in list(self.vms.values()):
            if record.config is None:
                continue
            name, values, p = record.name, sample["vms"].get(record.id, {}), record.partition
            cpu = values.get("cpu_percent")
            if cpu is not None and cpu > rules["cpu_high"].threshold:
                out[("cpu_high", record.id)] = (name, f"VM '{name}' CPU at {cpu:.0f}%", cpu)
            resident, assigned = values.get("memory_resident"), values.get("memory_assigned")
            if resident and assigned and 100 * resident / assigned > rules["vm_memory_pressure"].threshold:
                out[("vm_memory_pressure", record.id)] = (
                    name, f"VM '{name}' uses {100 * resident / assigned:.0f}% of its memory", resident)
            if p is None:
                continue
            if p.heartbeat() == "Lost Communication":
                out[("heartbeat_lost", record.id)] = (name, f"VM '{name}' heartbeat lost (Lost Communication)", None)
            if p.state is VmState.CRITICAL:
                out[("vm_critical", record.id)] = (name, f"VM '{name}' is Critical: {p.reason}", None)
            for device, reason in p.device_failures.items():
                out[("device_failed", f"{record.id}:{device}")] = (name, f"VM '{name}' {device} failed: {reason}",
                                                                   None)
            disk = p.disk
            if disk is not None and getattr(disk, "format", "") == "vhd-dynamic":
                try:
                    info = disk.info()
                    used = 100 * info.get("blocks_allocated", 0) / max(1, info.get("blocks_total", 1))
                except Exception:
                    used = 0
                if used > rules["disk_nearly_full"].threshold:
                    out[("disk_nearly_full", record.id)] = (name, f"VM '{name}' disk {disk.path} is {used:.0f}% "
                                                                  "allocated", used)
        host = sample.get("host", {})
        if host.get("memory_total"):
            used = 100 * host["memory_used"] / host["memory_total"]
            if used > rules["host_memory_pressure"].threshold:
                out[("host_memory_pressure", "host")] = ("host", f"host memory {used:.0f}% in use", used)
        if host.get("storage_total_bytes"):
            used = 100 * (1 - host["storage_free_bytes"] / host["storage_total_bytes"])
            if used > rules["host_storage_nearly_full"].threshold:
                out[("host_storage_nearly_full", "host")] = ("host", f"host storage {used:.0f}% used "
                                                                     f"({self.paths.data})", used)
        return out

    def health(self, record: VmRecord) -> tuple[str, str]:
        """Hyper-V's health state: OK, Degraded or Critical, with the reason."""
        if record.config is None:
            return "Critical", f"configuration error: {record.stored.error}"
        p = record.partition
        if p is not None and p.state is VmState.CRITICAL:
            return "Critical", p.reason
        reasons = []
        if p is not None:
            if p.heartbeat() == "Lost Communication":
                reasons.append("heartbeat lost")
            reasons += [f"{d} failed: {r}" for d, r in p.device_failures.items()]
        # alerts whose cause is already named above would only repeat it
        reasons += [a["message"] for a in self.alerts.active_for(record.id)
                    if a["rule"] not in ("heartbeat_lost", "vm_critical", "device_failed")]
        return ("Degraded", "; ".join(dict.fromkeys(reasons))) if reasons else ("OK", "")

    def metrics_history(self, target: str = "host", seconds: float = 60.0, metrics: list | None = None) -> dict:
        if not isinstance(seconds, (int, float)) or not 1 <= seconds <= 7 * 86400:
            raise UsageError("seconds must be between 1 and 604800")
        key = "host" if target == "host" else self._find(target).id
        return self.metrics.history(key, float(seconds), metrics)

    def measure_vm(self, vm: str, seconds: float = 3600.0) -> dict:
        """Like Measure-VM: averages and totals of a VM's resource use over a window."""
        from core.hosts.metrics import measure

        record = self._usable(vm)
        return {"vm": record.name, "id": record.id, "window_seconds": seconds,
                **measure(self.metrics_history(record.id, seconds)), "assigned_memory_bytes": record.config.memory,
                "heartbeat": record.partition.heartbeat() if record.partition else None,
                "health": self.health(record)[0]}

    def list_alerts(self, all: bool = False, limit: int = 200, vm: str | None = None) -> list[dict]:
        target = self._find(vm).id if vm else None
        return self.alerts.list(include_cleared=bool(all), limit=limit, target=target)

    # --- virtual switches --------------------------------------------------------------------------------------
    @property
    def _switch_file(self) -> Path:
        return self.paths.data / "switches.json"

    def _load_switches(self) -> None:
        import json

        from core.engine.vswitch import VirtualSwitch

        try:
            data = json.loads(self._switch_file.read_text())
            for item in data.get("switches", []):
                name = validate_name(item["name"])
                self.switches[name] = VirtualSwitch(name, item.get("type", "private"))
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError, AttributeError, ConfigError) as e:
            log.error("%s is damaged (%s); no virtual switches loaded, the file is left as it is",
                      self._switch_file, e)

    def _save_switches_or(self, undo) -> None:
        """Write switches.json after a change to ``self.switches``; should that fail, ``undo()`` the change."""
        try:
            self._save_switches()
        except OSError as e:
            undo()
            raise OperationFailed(f"cannot save the virtual switches: {e}") from None

    def _save_switches(self) -> None:
        write_json_atomic(self._switch_file, {"switches": [{"name": sw.name, "type": sw.kind}
                                                           for sw in self.switches.values()]})

    def list_switches(self) -> list[dict]:
        out = []
        for sw in self.switches.values():
            d = sw.snapshot()
            d["vms"] = sorted(r.name for r in self.vms.values() if r.config and r.config.network == sw.name)
            d["subnet"] = str(sw.subnet)
            out.append(d)
        return sorted(out, key=lambda d: d["name"].lower())

    def new_switch(self, name: str, type: str = "private") -> dict:
        """Create a virtual switch as a job (its result: the switch as switch.list shows it)."""
        from core.engine.vswitch import SWITCH_TYPES, VirtualSwitch

        try:
            name = validate_name(name)
        except ConfigError as e:
            raise UsageError(str(e).replace("VM name", "switch name")) from None
        if type not in SWITCH_TYPES:
            raise UsageError(f"unknown switch type '{type}' (choose {', '.join(SWITCH_TYPES)})")
        self._no_switch_named(name)

        def run(ctx):
            with self._lock:
                self._no_switch_named(name)  # another job may have made it since
                self.switches[name] = VirtualSwitch(name, type)
                self._save_switches_or(lambda: self.switches.pop(name))
            self._emit("switch.added", {"name": name, "type": type})
            return next(d for d in self.list_switches() if d["name"] == name)

        return self._named(self.jobs.submit("New virtual switch", name, run).to_dict())

    def _no_switch_named(self, name: str) -> None:
        if any(n.lower() == name.lower() for n in self.switches):
            raise UsageError(f"a virtual switch named '{name}' already exists")

    def _switch_users(self, name: str) -> None:
        if name not in self.switches:
            raise NotFound(f"no virtual switch named '{name}'")
        users = sorted(r.name for r in self.vms.values() if r.config and r.config.network == name)
        if users:
            raise StateError(f"virtual switch '{name}' is used by {', '.join(users)}: disconnect them first")

    def remove_switch(self, name: str) -> dict:
        """Delete a virtual switch no VM uses, as a job."""
        self._switch_users(name)

        def run(ctx):
            with self._lock:
                self._switch_users(name)  # a VM may have been connected to it since
                sw = self.switches.pop(name)
                self._save_switches_or(lambda: self.switches.__setitem__(name, sw))
            self._emit("switch.removed", {"name": name})
            return {"name": name}

        return self._named(self.jobs.submit("Remove virtual switch", name, run).to_dict())

    def _pick_ip(self, network: str, vm_id: str) -> str:
        sw = self.switches[network]
        taken = {r.config.ip for r in self.vms.values() if r.config and r.config.network == network and r.id != vm_id}
        for host in range(10, 250):
            ip = str(sw.subnet.network_address + host)
            if ip not in taken:
                return ip
        raise UsageError(f"virtual switch '{network}' has no free addresses")

    # --- start-up and shut-down actions ------------------------------------------------------------------------
    def _adopt_saved_states(self) -> None:
        for record in self.vms.values():
            path = self.store.saved_state_path(record.id)
            if record.config is None or not path.exists():
                continue
            try:
                record.partition = self._make_partition(record)
                record.partition.adopt_saved_state(path)
            except (SavedStateError, ImageError, ValueError) as e:
                record.partition = None
                log.warning("VM %s: its saved state cannot be used: %s", record.name, e)

    def run_start_actions(self) -> list[int]:
        """Hyper-V's automatic start action for every VM; returns the jobs started."""
        jobs = []
        for record in list(self.vms.values()):
            config = record.config
            if config is None:
                continue
            wanted = config.automatic_start_action == "always_start" or (
                config.automatic_start_action == "start_if_running" and config.last_running
            )
            if wanted and record.state in ("Off", "Saved"):
                jobs.append(self.start_vm(record.id)["id"])
        return jobs

    def shutdown(self) -> None:
        """Apply each running VM's automatic stop action, remember which were running, release everything."""
        for record in list(self.vms.values()):
            p = record.partition
            if record.config is None or p is None:
                continue
            with record.lock:
                running = p.state in (VmState.RUNNING, VmState.PAUSED)
                if running:
                    action = record.config.automatic_stop_action
                    try:
                        if action == "save":
                            p.save(self.store.saved_state_path(record.id))
                        elif action == "shut_down" and p.state is VmState.RUNNING:
                            p.request_shutdown()
                            if not p.wait_for_state((VmState.OFF, VmState.CRITICAL), 30):
                                p.turn_off()
                        else:
                            p.turn_off()
                    except Exception as e:
                        log.error("VM %s: automatic stop action %s failed: %s", record.name, action, e)
                        if p.state in (VmState.RUNNING, VmState.PAUSED, VmState.CRITICAL):
                            p.turn_off()
                if record.config.last_running != running:
                    self._save_config(record, replace(record.config, last_running=running))
                p.close()
        self.sampler.stop()
        self.jobs.close()
        self.metrics.close()
        self.alerts.close()
        self.hypervisor.shutdown()

    # --- reads -------------------------------------------------------------------------------------------------
    def host_info(self) -> dict:
        caps = self.hypervisor.capabilities
        states: dict[str, int] = {}
        for record in self.vms.values():
            states[record.state] = states.get(record.state, 0) + 1
        return {
            "version": __version__,
            "pid": os.getpid(),
            "started": self.started_at,
            "backend": self.hypervisor.backend.name,
            "backend_description": self.hypervisor.backend.description,
            "notice": self.hypervisor.notice,
            "store": str(self.paths.data),
            "capabilities": caps.as_dict(),
            "vms": len(self.vms),
            "vm_states": states,
        }

    def list_vms(self) -> list[dict]:
        return [self._vm_dict(r) for r in sorted(self.vms.values(), key=lambda r: (r.name.lower(), r.id))]

    def get_vm(self, vm: str) -> dict:
        return self._vm_dict(self._find(vm))

    def _vm_dict(self, record: VmRecord) -> dict:
        config, p = record.config, record.partition
        d: dict[str, Any] = {"id": record.id, "name": record.name, "state": record.state,
                             "folder": str(record.stored.folder)}
        if config is None:
            d["reason"] = record.stored.error or "unknown configuration"
            d["health"], d["health_reason"] = "Critical", d["reason"]
            return d
        d.update(config.to_dict())
        d["image"] = config.image or "bundled"
        d["reason"] = p.reason if p is not None and p.state is VmState.CRITICAL else ""
        running = p is not None and p.state in (VmState.RUNNING, VmState.PAUSED, VmState.PAUSING,
                                                VmState.RESUMING, VmState.SAVING, VmState.STOPPING)
        d["uptime"] = round(time.time() - p.started_at, 3) if running and p.started_at else 0.0
        d["counters"] = p.snapshot_counters() if running else None
        d["heartbeat"] = p.heartbeat() if p is not None else None
        d["health"], d["health_reason"] = self.health(record)
        latest = self.metrics.latest(record.id) if running else None
        d["cpu_percent"] = latest.get("cpu_percent") if latest else None
        d["kvp_guest"] = p.kvp()["guest"] if running else {}
        d["device_failures"] = dict(p.device_failures) if p is not None else {}
        return d

    def _find(self, ref: str) -> VmRecord:
        if not isinstance(ref, str) or not ref:
            raise UsageError("name a VM")
        record = self.vms.get(ref)
        if record is not None:
            return record
        matches = [r for r in self.vms.values() if r.name == ref]
        if not matches:
            raise NotFound(f"no VM named '{ref}'")
        return matches[0]

    def _usable(self, ref: str) -> VmRecord:
        record = self._find(ref)
        if record.config is None:
            raise StateError(f"VM folder {record.stored.folder} has a configuration error: {record.stored.error}")
        return record

    # --- validation --------------------------------------------------------------------------------------------
    def _check_resources(self, memory: int, vcpus: int) -> None:
        caps = self.hypervisor.capabilities
        try:
            pf.validate_layout(memory, vcpus)
        except ValueError as e:
            raise UsageError(str(e)) from None
        if memory > caps.memory_bytes:
            raise UsageError(f"memory {memory // MiB} MiB is more than this host has ({caps.memory_bytes // MiB} MiB)")
        if vcpus > caps.logical_processors:
            raise UsageError(f"{vcpus} virtual processors is more than this host's {caps.logical_processors} "
                             "logical processors")

    def _validated_config(self, base: VmConfig, changes: dict) -> VmConfig:
        unknown = set(changes) - SETTINGS
        if unknown:
            raise UsageError(f"unknown setting '{sorted(unknown)[0]}' (settings: {', '.join(sorted(SETTINGS))})")
        data = base.to_dict() | changes
        try:
            data["name"] = validate_name(data["name"])
            config = VmConfig.from_dict(data)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        if config.automatic_start_action not in START_ACTIONS or config.automatic_stop_action not in STOP_ACTIONS:
            raise UsageError("unknown automatic action")
        for other in self.vms.values():
            if other.id != config.id and other.config and other.config.name.lower() == config.name.lower():
                raise UsageError(f"a VM named '{other.config.name}' already exists")
        self._check_resources(config.memory, config.vcpus)
        if config.network and config.network not in self.switches:
            raise UsageError(f"no virtual switch named '{config.network}' (create it: bulkhead switch new "
                             f"{config.network})")
        if config.ip and not config.network:
            raise UsageError("an IP address needs a network (a virtual switch)")
        if config.ip:
            import ipaddress

            sw = self.switches[config.network]
            address = ipaddress.IPv4Address(config.ip)
            if address not in sw.subnet or address in (sw.subnet.network_address, sw.subnet.broadcast_address,
                                                       sw.host_ip):
                raise UsageError(f"IP address {config.ip} is not a usable address of {sw.subnet}")
            for other in self.vms.values():
                if other.id != config.id and other.config and other.config.network == config.network \
                        and other.config.ip == config.ip:
                    raise UsageError(f"IP address {config.ip} is already used by VM '{other.config.name}'")
        if config.disk:
            from core.engine.storage import DiskError, open_disk

            try:
                with open_disk(config.disk, read_only=True) as disk:
                    disk_format = disk.format
            except DiskError as e:
                raise UsageError(str(e)) from None
            except OSError as e:
                raise UsageError(f"{config.disk}: {e.strerror}") from None
            for other in self.vms.values():
                if other.id != config.id and other.config and other.config.disk == config.disk:
                    raise UsageError(f"disk {config.disk} is already attached to VM '{other.config.name}'")
            if config.disk != base.disk or not config.disk_format:
                config = replace(config, disk_format=disk_format)
        elif config.disk_format:
            config = replace(config, disk_format="")
        image = config.image or _bundled_image()
        try:
            from core.engine import load_image

            load_image(image).check_fits(config.memory)
        except ImageError as e:
            raise UsageError(str(e)) from None
        return config

    # --- operations (each returns a job) -----------------------------------------------------------------------
    def new_vm(self, name: str, memory: int = 64 * MiB, vcpus: int = 1, image: str = "", workload: str = "idle",
               cmdline: str = "", notes: str = "", automatic_start_action: str = "start_if_running",
               automatic_stop_action: str = "save", disk: str = "", disk_controller: str = "synthetic",
               network: str = "", ip: str = "", integration_services: bool = True, start: bool = False,
               disk_size: int = 0, disk_format: str = "", pool: str = "", boot: str = "", disk_readonly: bool = False,
               domain_type: str = "", arch: str = "") -> dict:
        given = [k for k, v in (("disk_size", disk_size), ("disk_format", disk_format), ("pool", pool),
                                ("boot", boot), ("disk_readonly", disk_readonly), ("domain_type", domain_type),
                                ("arch", arch)) if v]
        if given:
            hint = (" (make the disk first: bulkhead disk new PATH --size SIZE, then give --disk PATH)"
                    if "disk_size" in given else "")
            raise UsageError(f"{', '.join(given)}: only a libvirt host takes {'these' if len(given) > 1 else 'this'} "
                             f"when creating a VM{hint}")
        if image:
            image = str(Path(image).expanduser().resolve())
        if disk:
            disk = str(Path(disk).expanduser().resolve())
        base = VmConfig(id=uuid.uuid4().hex, name=name if isinstance(name, str) else "", memory=64 * MiB)
        config = self._validated_config(base, {
            "name": name, "memory": memory, "vcpus": vcpus, "image": image, "workload": workload,
            "cmdline": cmdline, "notes": notes, "automatic_start_action": automatic_start_action,
            "automatic_stop_action": automatic_stop_action, "disk": disk, "disk_controller": disk_controller,
            "network": network, "ip": ip, "integration_services": integration_services})
        config = replace(config, created=time.time())
        if config.network and not config.ip:
            config = replace(config, ip=self._pick_ip(config.network, config.id))
        with self._lock:  # the duplicate check and the insert are one step
            for other in self.vms.values():
                if other.config and other.config.name.lower() == config.name.lower():
                    raise UsageError(f"a VM named '{other.config.name}' already exists")
            stored = self.store.create(config)
            record = VmRecord(stored)
            self.vms[record.id] = record
        self._emit("vm.added", self._vm_dict(record))

        def run(ctx):
            if start:
                ctx.progress(50, "starting")
                self._start(record)
            return self._vm_dict(record)

        return self._job("New VM", record, run)

    def set_vm(self, vm: str, **changes) -> dict:
        record = self._usable(vm)
        for key in ("image", "disk"):
            if changes.get(key):
                changes[key] = str(Path(changes[key]).expanduser().resolve())
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
                if frozen and record.partition is not None and record.partition.state is VmState.OFF:
                    record.partition = None  # rebuilt from the new settings at the next start
            self._emit("vm.changed", self._vm_dict(record))
            return self._vm_dict(record)

        return self._job("Change VM settings", record, run)

    def start_vm(self, vm: str) -> dict:
        record = self._usable(vm)
        self._precheck(record, "start")
        return self._job("Start VM", record, lambda ctx: self._start(record))

    def stop_vm(self, vm: str, mode: str = "shut_down", timeout: float = SHUTDOWN_TIMEOUT) -> dict:
        if mode not in STOP_MODES:
            raise UsageError(f"unknown stop mode '{mode}' (choose {', '.join(STOP_MODES)})")
        record = self._usable(vm)
        if not (mode == "turn_off" and record.state == "Saved"):  # turning off a saved VM discards its saved state
            self._precheck(record, mode)
        if mode == "turn_off":
            return self._job("Turn off VM", record, lambda ctx: self._turn_off(record))
        if mode == "save":
            return self._job("Save VM", record, lambda ctx: self._save(record))

        def shut_down(ctx):
            with record.lock:
                p = record.partition
                p.request_shutdown()
            deadline = time.monotonic() + timeout
            while not p.wait_for_state((VmState.OFF, VmState.CRITICAL), 0.25):
                ctx.check_cancelled()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OperationFailed(f"VM '{record.name}' did not shut down within {timeout:g} s "
                                          "(turn it off to force it)")
                ctx.progress(int(100 * (1 - left / timeout)), "waiting for the guest to shut down")
            if p.state is VmState.CRITICAL:
                raise OperationFailed(f"VM '{record.name}' went Critical while shutting down: {p.reason}")
            return self._vm_dict(record)

        return self._job("Shut down VM", record, shut_down, cancellable=True)

    def pause_vm(self, vm: str) -> dict:
        return self._simple(vm, "pause", "Pause VM")

    def resume_vm(self, vm: str) -> dict:
        return self._simple(vm, "resume", "Resume VM")

    def restart_vm(self, vm: str) -> dict:
        return self._simple(vm, "reset", "Reset VM")

    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        """Delete a VM that is off or saved: its folder (configuration, saved state). Its virtual hard disk stays
        unless ``delete_storage`` (and no other VM uses it), as Remove-VM leaves VHDs alone."""
        record = self._find(vm)
        if record.state not in ("Off", "Saved", CONFIG_ERROR):
            raise StateError(f"cannot remove VM '{record.name}': it is {record.state} (turn it off first)")
        if not isinstance(delete_storage, bool):
            raise UsageError("delete_storage must be true or false")

        def run(ctx):
            with record.lock:
                if record.partition is not None:
                    record.partition.close()
                    record.partition = None
                disk = record.config.disk if record.config else ""
                left = self.store.remove(record.id)
                with self._lock:
                    self.vms.pop(record.id, None)
                    shared = any(r.config and r.config.disk == disk for r in self.vms.values())
            self._emit("vm.removed", {"id": record.id, "name": record.name})
            deleted, kept = [], []
            if disk and delete_storage and not shared:
                try:
                    os.unlink(disk)
                    deleted.append(disk)
                except FileNotFoundError:
                    pass
                except OSError as e:
                    raise OperationFailed(f"VM '{record.name}' is removed, but its disk {disk} is not: {e}") from None
            elif disk:
                kept.append(disk)
            return {"id": record.id, "name": record.name, "kept_files": left + kept, "deleted_files": deleted}

        return self._job("Remove VM", record, run)

    def kvp_set(self, vm: str, key: str, value: str | None = None) -> dict:
        """Push a key to the guest (value None deletes it); kept in the VM's configuration."""
        record = self._usable(vm)
        kvp = dict(record.config.kvp)
        if value is None:
            kvp.pop(key, None)
        else:
            kvp[key] = value
        try:
            config = VmConfig.from_dict(record.config.to_dict() | {"kvp": kvp})
        except ConfigError as e:
            raise UsageError(str(e)) from None

        def run(ctx):
            with record.lock:
                self._save_config(record, config)
                if record.partition is not None:
                    record.partition.kvp_push(key, value)
            return {"name": record.name, "kvp": dict(config.kvp)}

        return self._job("Set KVP", record, run)

    # --- virtual hard disks ---
    def new_disk(self, path: str, size: int, kind: str = "dynamic") -> dict:
        """Create a virtual hard disk file (VHD dynamic or fixed, or raw) as a job; never overwrites a file."""
        from core.engine.storage import DiskError, create_disk, disk_size_for

        if kind not in ("dynamic", "fixed", "raw"):
            raise UsageError(f"unknown disk type '{kind}' (choose dynamic, fixed or raw)")
        if not isinstance(path, str) or not path:
            raise UsageError("give the new disk's path")
        target = Path(path).expanduser().resolve()
        if target.exists():
            raise UsageError(f"{target} already exists (a new disk never overwrites a file)")
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent} is not a folder")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise UsageError("the disk size must be a positive number of bytes")
        try:
            disk_size_for(size, kind)
        except DiskError as e:
            raise UsageError(str(e)) from None

        def run(ctx):
            ctx.progress(10, f"creating {target.name}")
            try:
                with create_disk(str(target), size, kind) as disk:
                    return disk.info() | {"path": str(target)}
            except (DiskError, OSError) as e:
                raise OperationFailed(f"cannot create {target}: {e}") from None

        return self._named(self.jobs.submit("New virtual hard disk", str(target), run).to_dict())

    # --- the serial console ------------------------------------------------------------------------------------
    def console_history(self, vm: str) -> str:
        p = self._usable(vm).partition
        return p.serial_history().decode("latin-1") if p is not None else ""

    def console_send(self, vm: str, data: str) -> int:
        record = self._usable(vm)
        p = record.partition
        if p is None or p.state not in (VmState.RUNNING, VmState.PAUSED):
            raise StateError(f"VM '{record.name}' is {record.state}: its console takes no input")
        return p.send_serial(data.encode("latin-1", "replace"))

    # --- jobs --------------------------------------------------------------------------------------------------
    def list_jobs(self, limit: int = 50, vm: str | None = None, active: bool = False) -> list[dict]:
        target = self._find(vm).id if vm else None
        return [self._named(j.to_dict()) for j in self.jobs.list(limit=limit, target=target, active_only=active)]

    def get_job(self, job: int) -> dict:
        try:
            return self._named(self.jobs.get(int(job)).to_dict())
        except (JobError, ValueError, TypeError):
            raise NotFound(f"no job {job}") from None

    def wait_job(self, job: int, timeout: float | None = None) -> dict:
        self.get_job(job)
        return self._named(self.jobs.wait(int(job), timeout).to_dict())

    def _named(self, job: dict) -> dict:
        """A job with the name of what it works on: the VM's name (its current one; a removed VM's id stays), a
        switch's name, a disk file's name."""
        if job.get("target_name"):
            return job
        target = str(job.get("target", ""))
        record = self.vms.get(target)
        if record is not None:
            name = record.name
        elif "/" in target:
            name = os.path.basename(target)
        else:
            name = target if target in self.switches or not _looks_like_id(target) else ""
        return job | {"target_name": name} if name else job

    def cancel_job(self, job: int) -> dict:
        self.get_job(job)
        try:
            return self.jobs.cancel(int(job)).to_dict()
        except JobError as e:
            raise StateError(str(e)) from None

    # --- internals ---------------------------------------------------------------------------------------------
    def _job(self, name: str, record: VmRecord, fn, cancellable: bool = False) -> dict:
        def run(ctx):
            try:
                return fn(ctx)
            except TransitionError as e:
                raise StateError(str(e)) from None

        return self._named(self.jobs.submit(name, record.id, run, cancellable=cancellable).to_dict())

    def _precheck(self, record: VmRecord, operation: str) -> None:
        """Refuse at once, before a job exists, what the VM's state does not allow."""
        from core.engine.states import OPERATIONS

        state = VmState(record.state)
        if state not in OPERATIONS[operation]:
            verb = operation.replace("_", " ")
            needs = " or ".join(sorted(s.value for s in OPERATIONS[operation]))
            raise StateError(f"cannot {verb} VM '{record.name}': it is {state.value} ({verb} needs {needs})")

    def _simple(self, vm: str, operation: str, title: str) -> dict:
        record = self._usable(vm)
        self._precheck(record, operation)

        def run(ctx):
            with record.lock:
                getattr(record.partition, operation)()
            if operation == "reset":
                self.metrics.marker(record.id, "reset")
            return self._vm_dict(record)

        return self._job(title, record, run)

    def _make_partition(self, record: VmRecord):
        from core.engine.vswitch import mac_for

        config = record.config
        words = [f"workload={config.workload}", f"hostname={config.name.replace(' ', '-')}"]
        if config.network and config.ip:
            words.append(f"ip={config.ip}")
        cmdline = " ".join(words + config.cmdline.split())
        image = config.image or _bundled_image()
        switch = self.switches.get(config.network) if config.network else None
        if config.network and switch is None:
            raise OperationFailed(f"VM '{config.name}' is connected to virtual switch '{config.network}', "
                                  "which no longer exists")
        p = self.hypervisor.create_partition(PartitionConfig(
            config.name, config.memory, image, config.vcpus, cmdline, disk=config.disk,
            disk_format=config.disk_format or None, disk_controller=config.disk_controller, switch=switch,
            mac=mac_for(record.id) if switch else b"",
            integration_services=config.integration_services))
        p.kvp_host.update(config.kvp)
        p.on_device.append(lambda part, name, reason, r=record: self._emit(
            "vm.device", {"id": r.id, "name": r.name, "device": name, "reason": reason}))
        p.on_state.append(lambda part, old, new, reason, r=record: self._on_state(r, new, reason))
        p.on_serial.append(lambda part, data, r=record: self._emit(
            "vm.console", {"id": r.id, "name": r.name, "data": data.decode("latin-1")}))
        return p

    MARKERS = {VmState.RUNNING: "running", VmState.PAUSED: "paused", VmState.SAVED: "saved", VmState.OFF: "off",
               VmState.CRITICAL: "critical"}

    def _on_state(self, record: VmRecord, new: VmState, reason: str) -> None:
        if new in self.MARKERS:
            self.metrics.marker(record.id, self.MARKERS[new])
        self._emit("vm.state", {"id": record.id, "name": record.name, "state": new.value, "reason": reason})

    def _start(self, record: VmRecord) -> dict:
        with record.lock:
            if record.partition is None or record.partition.state is VmState.OFF:
                if record.partition is not None:
                    self.hypervisor.remove_partition(record.partition)
                try:
                    record.partition = self._make_partition(record)
                except ImageError as e:
                    raise OperationFailed(str(e)) from None
            try:
                record.partition.start()
            except SavedStateError as e:
                raise OperationFailed(f"{e} (delete the saved state to start from scratch)") from None
            except (OSError, MemoryError, RuntimeError, ValueError) as e:
                raise OperationFailed(f"cannot start VM '{record.name}': {e}") from None
        return self._vm_dict(record)

    def _turn_off(self, record: VmRecord) -> dict:
        with record.lock:
            p = record.partition
            if p.state is VmState.SAVED:
                p.delete_saved_state()
            else:
                p.turn_off()
        return self._vm_dict(record)

    def _save(self, record: VmRecord) -> dict:
        with record.lock:
            try:
                record.partition.save(self.store.saved_state_path(record.id))
            except OSError as e:
                raise OperationFailed(str(e)) from None
        return self._vm_dict(record)

    def _interim_capabilities(self) -> dict:
        return {"reasons": {}}

    def _save_config(self, record: VmRecord, config: VmConfig) -> None:
        self.store.save(config)
        record.stored = replace(record.stored, config=config)


# --- the method table clients reach ---------------------------------------------------------------------------
METHODS: dict[str, str] = {
    "host.info": "host_info",
    "host.capabilities": "_interim_capabilities",  # until the registry serves this host
    "host.limits": "host_limits",
    "vm.list": "list_vms",
    "vm.show": "get_vm",
    "vm.new": "new_vm",
    "vm.set": "set_vm",
    "vm.start": "start_vm",
    "vm.stop": "stop_vm",
    "vm.pause": "pause_vm",
    "vm.resume": "resume_vm",
    "vm.restart": "restart_vm",
    "vm.remove": "remove_vm",
    "vm.kvp.set": "kvp_set",
    "disk.new": "new_disk",
    "vm.measure": "measure_vm",
    "metrics.history": "metrics_history",
    "alert.list": "list_alerts",
    "alert.ack": "ack_alert",
    "alert.clear": "clear_alert",
    "alert.rules": "alert_rules",
    "alert.rules.set": "set_alert_rules",
    "switch.list": "list_switches",
    "switch.new": "new_switch",
    "switch.remove": "remove_switch",
    "vm.console.history": "console_history",
    "vm.console.send": "console_send",
    "job.list": "list_jobs",
    "job.show": "get_job",
    "job.wait": "wait_job",
    "job.cancel": "cancel_job",
}


def _looks_like_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


def dispatch(service: HostService, method: str, params: dict) -> Any:
    """Call one method by name with keyword parameters; unknown methods or parameters are usage errors."""
    import inspect

    name = METHODS.get(method)
    if name is None:
        raise UsageError(f"unknown method '{method}'")
    if not isinstance(params, dict):
        raise UsageError("params must be an object")
    fn = getattr(service, name)
    try:
        inspect.signature(fn).bind(**params)
    except TypeError as e:
        raise UsageError(f"{method}: {e}") from None
    try:
        return fn(**params)
    except TransitionError as e:
        raise StateError(str(e)) from None
    except ConfigError as e:
        raise UsageError(str(e)) from None
