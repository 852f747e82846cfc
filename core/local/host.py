"""The host service (Hyper-V's VMMS): owns the partitions, the VM store, jobs and events.

Every method a client can call is marked ``@implements("...")`` (core/hosts/registry.py) and reached through the
registry's ``dispatch`` by the socket server and by embedded connections alike, with its parameters checked
against their declaration (core/model/methods.py) first. Reads answer at once; every state-changing operation
checks its input first (so bad input is refused before anything is written) and then runs as a job.

The methods live in mixins along their seams: VMs and their lifecycle (vms.py), settings (settings.py), virtual
switches (switches.py), disk files (disks.py), metrics and health (health.py). This module holds the service
itself: start-up (the store, saved states), automatic start and stop actions, host information and limits,
refusals, and how jobs and alerts name their targets.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from core import __version__
from core.engine import Hypervisor, ImageError
from core.engine import platform as pf
from core.engine.savestate import SavedStateError
from core.hosts.alerts import AlertManager
from core.hosts.base import HostBase
from core.hosts.jobs import JobManager
from core.hosts.metrics import MetricsStore
from core.hosts.paths import HostPaths
from core.hosts.registry import implements
from core.hosts.sampler import Sampler
from core.model.errors import BulkheadError, NotFound, StateError, Unavailable, UsageError
from core.model.limits import HostLimits
from core.model.states import VmState

from .browse import BrowseMethods
from .checkpoints import CheckpointMethods
from .convert import ConvertMethods
from .convert_physical import ConvertPhysicalMethods
from .disks import DiskMethods, PendingDisks
from .export_import import ExportImportMethods
from .export_ova import ExportOvaMethods
from .export_plan import sweep_imports
from .health import SAVED_STATE_RULE, HealthMethods
from .migration import MigrationMethods
from .move_check import MoveCheckMethods
from .record import DAMAGED, VmRecord
from .settings import SettingsMethods
from .storage_move import StorageMoveMethods
from .store import VmStore
from .switches import SwitchMethods
from .vms import VmMethods

log = logging.getLogger(__name__)

MiB = 1 << 20
GiB = 1 << 30
REFUSALS = {
    "pools": "storage pools belong to libvirt hosts (connect with --connect URI); this host's virtual hard disks "
             "are files: bulkhead disk new PATH --size SIZE",
    "migrate": "this host's own engine cannot migrate yet",
}
EMBEDDED_STOP = "an embedded host runs inside this process: close the connection to stop it"


class HostService(CheckpointMethods, MigrationMethods, VmMethods, SettingsMethods, SwitchMethods, DiskMethods,
                  HealthMethods, BrowseMethods, MoveCheckMethods, StorageMoveMethods, ConvertMethods,
                  ConvertPhysicalMethods, ExportOvaMethods, ExportImportMethods, HostBase):
    kind = "bulkhead"
    describe_kind = "this host"

    def __init__(self, paths: HostPaths, backend: str | None = None, tick: float | None = None) -> None:
        self.paths = paths
        paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.hypervisor = Hypervisor(backend)
        self.store = VmStore(paths.data)
        sweep_imports(paths.data)  # before the VMs are listed: an import a kill cut short is undone
        self._init_events()
        self._lock = threading.RLock()
        # set by whoever serves this host (the socket server): host.stop calls it; an embedded host has none
        self.stop_handler: Callable[[], None] | None = None
        self.jobs = JobManager(paths.jobs_db, on_event=lambda kind, job: self._emit(kind, self.named_job(job)))
        self.vms: dict[str, VmRecord] = {}
        self.removed: dict[str, str] = {}  # id -> name of the VMs removed while this service runs (their jobs stay)
        self.started_at = time.time()
        for stored in self.store.load_all():
            self.vms[stored.id] = VmRecord(stored)
            if stored.error:
                log.warning("VM folder %s: %s", stored.folder, stored.error)
        self.switches: dict = {}
        self._load_switches()
        self.pending_disks = PendingDisks(paths.data / "disks-pending.json")
        for leftover in self.pending_disks.sweep():
            log.warning("removed %s, left by a disk creation that was interrupted", leftover)
        self.metrics = MetricsStore(paths.data / "metrics.sqlite")
        self.alerts = AlertManager(paths.data, self._emit)
        self._adopt_saved_states()
        self._init_migration()  # incoming folders a kill left go; unconfirmed moves stay stopped
        # one read of every partition per tick (health.py), rates, history, the metrics event and alerts
        self.sampler = Sampler(self._read_metrics, self.metrics, interval=tick, emit=self._emit, alerts=self.alerts)
        self.sampler.start()

    # --- what this host is ---------------------------------------------------------------------------------------
    def refusal(self, capability: str) -> str | None:
        if capability == "host_stop":
            return None if self.stop_handler is not None else EMBEDDED_STOP
        return REFUSALS.get(capability)

    def limits(self) -> HostLimits:
        """The platform's limits, narrowed to what this machine has."""
        caps = self.hypervisor.capabilities
        memory_max = min(pf.MAX_MEMORY, caps.memory_bytes // (2 * MiB) * (2 * MiB))
        vcpus_max = max(1, min(pf.MAX_VCPUS, caps.logical_processors))
        return HostLimits(
            memory_min=pf.MIN_MEMORY, memory_max=memory_max, memory_step=2 * MiB, vcpus_max=vcpus_max,
            cmdline_max=pf.CMDLINE_MAX,
            memory_reason=("this host's memory" if memory_max < pf.MAX_MEMORY
                           else f"the engine gives one VM at most {pf.MAX_MEMORY // GiB} GiB"),
            vcpus_reason=(f"this host has {caps.logical_processors} logical processors" if vcpus_max < pf.MAX_VCPUS
                          else f"the engine gives one VM at most {pf.MAX_VCPUS} virtual processors"))

    def vm_target(self, ref: str) -> str:
        return self._find(ref).id

    def target_name(self, target: str) -> str:
        """What a job or alert works on, by name: a VM's current name (a removed VM's id stays), a switch's name,
        a disk file's name."""
        record = self.vms.get(target)
        if record is not None:
            return record.name
        if target in self.removed:
            return self.removed[target]
        if "/" in target:
            return os.path.basename(target)
        return target if target in self.switches or not _looks_like_id(target) else ""

    def named_job(self, job: dict) -> dict:
        """Every job names its target: as ``target_name`` says, else the name its result gives (a VM removed before
        this service started), else the target itself."""
        job = super().named_job(job)
        if not job.get("target_name"):
            result = job.get("result")
            name = result.get("name") if isinstance(result, dict) else None
            job = job | {"target_name": name if isinstance(name, str) and name else str(job.get("target", ""))}
        return job

    # --- reads -------------------------------------------------------------------------------------------------
    @implements("host.info")
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

    @implements("host.stop")
    def stop_host(self) -> dict:
        """Ask whoever serves this host to stop it (the registry refuses this where no one does)."""
        handler = self.stop_handler
        if handler is None:
            raise Unavailable(EMBEDDED_STOP, capability="host_stop")
        threading.Thread(target=handler, daemon=True, name="host-stop").start()
        return {"stopping": True}

    def _find(self, ref: str) -> VmRecord:
        if not ref:
            raise UsageError("name a VM")
        record = self.vms.get(ref)
        if record is not None:
            return record
        matches = [r for r in self.vms.values() if r.name == ref]
        if not matches:
            raise NotFound(f"no VM named '{ref}'", code="vm.not_found", vm=ref)
        return matches[0]

    def _usable(self, ref: str) -> VmRecord:
        record = self._find(ref)
        if record.config is None:
            raise StateError(f"VM folder {record.stored.folder} has a configuration error: {record.stored.error}")
        return record

    # --- start-up and shut-down actions ------------------------------------------------------------------------
    def _adopt_saved_states(self) -> None:
        """Each VM with a saved state is Saved again. A damaged one is moved aside (kept, never deleted) and said
        so: an alert, the VM's health and ``vm show``; the VM starts from scratch."""
        for record in self.vms.values():
            path = self.store.saved_state_path(record.id)
            if record.config is None or not path.exists():
                continue
            try:
                record.partition = self._make_partition(record)
                record.partition.adopt_saved_state(path)
            except SavedStateError as e:
                self._drop_partition(record)
                self._saved_state_damaged(record, path, str(e))
            except (ImageError, ValueError, BulkheadError) as e:
                self._drop_partition(record)
                log.warning("VM %s: its saved state cannot be used now: %s", record.name, e)
                self.alerts.notify(SAVED_STATE_RULE, record.id, record.name,
                                   f"VM '{record.name}': its saved state cannot be restored now ({e}); the file is "
                                   f"kept as {path.name}")

    def _drop_partition(self, record: VmRecord) -> None:
        if record.partition is not None:
            self.hypervisor.remove_partition(record.partition)
            record.partition = None

    def _saved_state_damaged(self, record: VmRecord, path: Path, reason: str) -> None:
        aside = path.with_name(f"{path.name}{DAMAGED}{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while aside.exists():
            n += 1
            aside = aside.with_name(f"{path.name}{DAMAGED}{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        try:
            os.rename(path, aside)
            where = f"moved aside to {aside.name} (kept)"
        except OSError as e:
            where = f"left as it is ({e.strerror or e})"
        reason = reason.replace(f"saved state {path} ", "").strip()
        message = f"VM '{record.name}': its saved state is damaged ({reason}) and was {where}; it starts from scratch"
        log.error("%s", message)
        self.alerts.notify(SAVED_STATE_RULE, record.id, record.name, message)

    def run_start_actions(self) -> list[int]:
        """Hyper-V's automatic start action for every VM; returns the jobs started."""
        jobs = []
        for record in list(self.vms.values()):
            config = record.config
            if config is None or self.moving(record.id):
                continue
            wanted = config.automatic_start_action == "always_start" or (
                config.automatic_start_action == "start_if_running" and config.last_running
            )
            if wanted and record.state in ("Off", "Saved"):
                jobs.append(self.start_vm(record.id)["id"])
        return jobs

    def shutdown(self) -> None:
        """Apply each running VM's automatic stop action, remember which were running, release everything."""
        self._stop_migration()
        for record in list(self.vms.values()):
            p = record.partition
            if record.config is None or p is None:
                continue
            with record.lock:
                running = p.state in (VmState.RUNNING, VmState.PAUSED)
                if running:
                    self._stop_action(record, p)
                if record.config.last_running != running:
                    self._save_config(record, replace(record.config, last_running=running))
                p.close()
        self.sampler.stop()
        self.jobs.close()
        self.metrics.close()
        self.alerts.close()
        self.hypervisor.shutdown()

    def _stop_action(self, record: VmRecord, p) -> None:
        action = record.config.automatic_stop_action
        try:
            if action == "save":
                p.save(self.store.saved_state_path(record.id))
            elif action == "shut_down" and p.state == VmState.RUNNING:
                p.request_shutdown()
                if not p.wait_for_state((VmState.OFF, VmState.CRITICAL), 30):
                    p.turn_off()
            else:
                p.turn_off()
        except Exception as e:
            log.error("VM %s: automatic stop action %s failed: %s", record.name, action, e)
            if p.state in (VmState.RUNNING, VmState.PAUSED, VmState.CRITICAL):
                p.turn_off()


def _looks_like_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)
