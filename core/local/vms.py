"""VMs of the embedded engine: reads, the lifecycle (start, stop, pause, resume, reset, remove), key-value pairs
and the serial console. Each state-changing call checks what it can at once and then runs as a job."""

from __future__ import annotations

import os
import time
from typing import Any

from core.engine import ImageError, PartitionConfig
from core.engine import TransitionError as EngineTransitionError
from core.engine.savestate import SavedStateError
from core.hosts.registry import implements
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.spec import STOP_MODES
from core.model.states import CONFIG_ERROR, TransitionError, VmState, check_operation

from .health import SAVED_STATE_RULE
from .record import VmRecord, bundled_image, damaged_saved_states
from .store import ConfigError, RemovalIncomplete, VmConfig
from .uptime import RunClock

SHUTDOWN_TIMEOUT = 60.0
REMOVED_NAMES = 10_000  # names of removed VMs remembered for their jobs
# until the engine's states are the model's, a partition raises its own TransitionError
TRANSITION_ERRORS = tuple({TransitionError, EngineTransitionError})
_RUNNING = (VmState.RUNNING, VmState.PAUSED, VmState.PAUSING, VmState.RESUMING, VmState.SAVING, VmState.STOPPING)
MARKERS = {VmState.RUNNING: "running", VmState.PAUSED: "paused", VmState.SAVED: "saved", VmState.OFF: "off",
           VmState.CRITICAL: "critical"}


class VmMethods:
    # --- reads -------------------------------------------------------------------------------------------------
    @implements("vm.list")
    def list_vms(self, brief: bool = False) -> list[dict]:
        records = sorted(self.vms.values(), key=lambda r: (r.name.lower(), r.id))
        return [self._vm_dict(r, brief=brief) for r in records]

    @implements("vm.show")
    def get_vm(self, vm: str) -> dict:
        return self._vm_dict(self._find(vm))

    def _vm_dict(self, record: VmRecord, brief: bool = False) -> dict:
        config, p = record.config, record.partition
        d: dict[str, Any] = {"id": record.id, "name": record.name, "state": record.state,
                             "folder": str(record.stored.folder)}
        if config is None:
            d["reason"] = record.stored.error or "unknown configuration"
            d["health"], d["health_reason"] = "Critical", d["reason"]
            return d
        d.update(config.to_dict())
        d["image"] = config.image or "bundled"
        d["reason"] = p.reason if p is not None and p.state == VmState.CRITICAL else ""
        running = p is not None and p.state in _RUNNING
        d["uptime"] = round(self._uptime(record), 3) if running else 0.0
        d["heartbeat"] = self.heartbeat(record)
        if brief:
            d["activity"] = p.activity() if running else None
        else:
            d["counters"] = p.snapshot_counters() if running else None
            if d["counters"] is not None:
                d["counters"]["heartbeat"] = d["heartbeat"]
        active = self.alerts.active_for(record.id)
        d["health"], d["health_reason"] = self.health(record, active, d["heartbeat"])
        d["saved_state_problem"] = self.saved_state_problem(record, active)
        if running and p.state is VmState.PAUSED:
            d["cpu_percent"] = 0.0  # not the last sample taken while it ran
        else:
            d["cpu_percent"] = self.metrics.latest_value(record.id, "cpu_percent") if running else None
        if not brief:
            d["kvp_guest"] = p.kvp()["guest"] if running else {}
        d["device_failures"] = dict(p.device_failures) if p is not None else {}
        return d

    # --- the lifecycle (each returns a job) --------------------------------------------------------------------
    @implements("vm.start")
    def start_vm(self, vm: str) -> dict:
        record = self._usable(vm)
        self._precheck(record, "start")
        return self._job("Start VM", record, lambda ctx: self._start(record))

    @implements("vm.stop")
    def stop_vm(self, vm: str, mode: str = "shut_down", timeout: float = SHUTDOWN_TIMEOUT) -> dict:
        if mode not in STOP_MODES:
            raise UsageError(f"unknown stop mode '{mode}' (choose {', '.join(STOP_MODES)})")
        record = self._usable(vm)
        self._precheck(record, mode)  # turning off a Saved VM discards its saved state
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
                ctx.waiting(deadline, timeout, f"VM '{record.name}' did not shut down within {timeout:g} s (turn it "
                            "off to force it)", "waiting for the guest to shut down")
            if p.state == VmState.CRITICAL:
                raise OperationFailed(f"VM '{record.name}' went Critical while shutting down: {p.reason}")
            return self._vm_dict(record)

        return self._job("Shut down VM", record, shut_down, cancellable=True)

    @implements("vm.pause")
    def pause_vm(self, vm: str) -> dict:
        return self._simple(vm, "pause", "Pause VM")

    @implements("vm.resume")
    def resume_vm(self, vm: str) -> dict:
        return self._simple(vm, "resume", "Resume VM")

    @implements("vm.restart")
    def restart_vm(self, vm: str) -> dict:
        return self._simple(vm, "reset", "Reset VM")

    def _unknown_files(self, record) -> list[str]:
        try:
            return self.store.unknown_files(record.id)
        except OSError:
            return []

    @implements("vm.remove")
    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        """Delete a VM that is off or saved: its folder (configuration, saved state). Its virtual hard disk stays
        unless ``delete_storage`` (and no other VM uses it), as Remove-VM leaves VHDs alone."""
        record = self._find(vm)
        if record.state not in ("Off", "Saved", CONFIG_ERROR):
            raise StateError(f"cannot remove VM '{record.name}': it is {record.state} (turn it off first)")
        damaged_names = {p.name for p in damaged_saved_states(record.stored.folder, self.store.SAVED_STATE_NAME)}
        foreign = [n for n in self._unknown_files(record) if n not in damaged_names]
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise StateError(f"cannot remove VM '{record.name}' whole: its folder {record.stored.folder} holds files "
                             f"Bulkhead did not make ({shown}); move them elsewhere first", code="vm.folder_not_ours")

        def run(ctx):
            with record.lock:
                if record.partition is not None:
                    record.partition.close()
                    record.partition = None
                disk = record.config.disk if record.config else ""
                # damaged saved states moved aside are the VM's own: they go with it, and are said to
                deleted = []
                for damaged in damaged_saved_states(record.stored.folder, self.store.SAVED_STATE_NAME):
                    try:
                        damaged.unlink()
                        deleted.append(str(damaged))
                    except OSError:
                        pass
                try:
                    left = self.store.remove(record.id, strict=True)
                except RemovalIncomplete as e:  # still listed: said, and the job fails (exit code 1)
                    stored = self.store.entry(record.id)
                    if stored is not None:
                        record.stored = stored
                    raise OperationFailed(f"VM '{record.name}' is not fully removed: {e}") from None
                with self._lock:
                    self.removed[record.id] = record.name
                    while len(self.removed) > REMOVED_NAMES:  # the oldest names go (their jobs keep the id)
                        del self.removed[next(iter(self.removed))]
                    self.vms.pop(record.id, None)
                    shared = any(r.config and r.config.disk == disk for r in self.vms.values())
            self.metrics.forget(record.id)  # its rings go with it; its minute history ages out
            self.alerts.clear_target(record.id, "VM removed")
            self._emit("vm.removed", {"id": record.id, "name": record.name})
            kept = []
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

    @implements("vm.kvp.set")
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

    # --- the serial console ------------------------------------------------------------------------------------
    @implements("vm.console.history")
    def console_history(self, vm: str) -> str:
        p = self._usable(vm).partition
        return p.serial_history().decode("latin-1") if p is not None else ""

    @implements("vm.console.send")
    def console_send(self, vm: str, data: str) -> int:
        record = self._usable(vm)
        p = record.partition
        if p is None or p.state not in (VmState.RUNNING, VmState.PAUSED):
            raise StateError(f"VM '{record.name}' is {record.state}: its console takes no input")
        return p.send_serial(data.encode("latin-1", "replace"))

    # --- internals ---------------------------------------------------------------------------------------------
    def _job(self, title: str, record: VmRecord, fn, cancellable: bool = False) -> dict:
        def run(ctx):
            try:
                return fn(ctx)
            except TRANSITION_ERRORS as e:
                raise StateError(str(e)) from None

        return self.submit_job(title, record.id, run, cancellable=cancellable)

    def _precheck(self, record: VmRecord, operation: str) -> None:
        """Refuse at once, before a job exists, what the VM's state does not allow."""
        try:
            check_operation(record.name, operation, record.state)
        except TransitionError as e:
            raise StateError(str(e), code="vm.state", vm=record.name, operation=operation,
                             state=record.state) from None

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
        image = config.image or bundled_image()
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
        record.run_clock = RunClock()  # uptime and heartbeat freshness in running time (pauses left out)
        p.on_state.append(record.run_clock.on_state)
        p.on_device.append(lambda part, name, reason, r=record: self._emit(
            "vm.device", {"id": r.id, "name": r.name, "device": name, "reason": reason}))
        p.on_state.append(lambda part, old, new, reason, r=record: self._on_state(r, new, reason))
        p.on_serial.append(lambda part, data, r=record: self._emit(
            "vm.console", {"id": r.id, "name": r.name, "data": data.decode("latin-1")}))
        return p

    def _uptime(self, record: VmRecord) -> float:
        """Seconds the VM has run since it started or was restored, the time it stood paused left out (Hyper-V's
        uptime)."""
        clock = getattr(record, "run_clock", None)
        if clock is not None:
            return clock.uptime()
        p = record.partition
        return time.time() - p.started_at if p is not None and p.started_at else 0.0

    def _on_state(self, record: VmRecord, new: VmState, reason: str) -> None:
        marker = MARKERS.get(new)
        if marker:
            self.metrics.marker(record.id, marker)
        self._emit("vm.state", {"id": record.id, "name": record.name, "state": new.value, "reason": reason})

    def _start(self, record: VmRecord) -> dict:
        with record.lock:
            if record.partition is None or record.partition.state == VmState.OFF:
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
            if p.state == VmState.SAVED:
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
        # a new saved state supersedes the damaged one that was moved aside
        self.alerts.clear_target(record.id, "a new saved state was taken", rule=SAVED_STATE_RULE)
        return self._vm_dict(record)
