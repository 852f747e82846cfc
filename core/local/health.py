"""Metrics and health of the embedded engine's VMs: what the shared sampler reads each tick (every partition's
counters in one pass, the host's, and the facts the alert conditions need), the heartbeat counted in running
time, each VM's health state with its reason, metrics history and Measure-VM."""

from __future__ import annotations

import functools
import os

from core.hosts.metrics import measure
from core.hosts.registry import implements
from core.model.states import VmState

from .record import VmRecord
from .uptime import LOST, fresh_heartbeat

# rules whose alert repeats a cause health() already names from the partition itself
_NAMED_BY_PARTITION = ("heartbeat_lost", "vm_critical", "device_failed")
SAVED_STATE_RULE = "saved_state_damaged"
EMULATED_PORTS = ("serial", "ide", "clock")  # the emulated devices' port accesses (every one an exit)


class HealthMethods:
    # --- the sampler's read: every partition once, the host, and the facts the alert conditions need ----------
    def _read_metrics(self) -> dict:
        """One pass over the partitions (``Partition.sample()``), in the terms of the shared sampler
        (core/hosts/sampler.py)."""
        vms: dict = {}
        facts: dict = {}
        for record in list(self.vms.values()):
            p = record.partition
            if p is None or record.config is None:
                continue
            raw = p.sample()
            state = p.state.value
            heartbeat = self.heartbeat(record, raw["heartbeat"] if raw is not None else p.heartbeat())
            facts[record.id] = {"name": record.name, "state": state, "reason": p.reason, "heartbeat": heartbeat,
                                "device_failures": p.device_failures, "disk": _allocation(p.disk)}
            if raw is None:
                continue
            ports, disk, net = raw["ports"], raw["disk"], raw["net"]
            counters = {"vmbus_packets": raw["vmbus_packets"], "exits": raw["exits"],
                        "exits_emulated": sum(ports.get(k, 0) for k in EMULATED_PORTS),
                        # doorbells through an ioeventfd never reach user space, but they are still the guest's
                        # synthetic exits (those that did are in raw["doorbells"] too)
                        "exits_synthetic": ports.get("vmbus", 0) + raw["doorbells"]}
            if disk:
                counters.update(disk_read_bytes=disk.get("read_bytes", 0), disk_write_bytes=disk.get("write_bytes", 0),
                                disk_read_ops=disk.get("read_ops", 0), disk_write_ops=disk.get("write_ops", 0))
            if net:
                counters.update(net_rx_bytes=net.get("rx_bytes", 0), net_tx_bytes=net.get("tx_bytes", 0),
                                net_rx_frames=net.get("rx_frames", 0), net_tx_frames=net.get("tx_frames", 0))
            vms[record.id] = {"state": state, "cpu_ns": raw["cpu_ns"], "vcpus": raw["vcpus"],
                              "memory_assigned": raw["memory"], "memory_resident": raw["resident"],
                              "heartbeat": heartbeat, "dirty_pages": raw["dirty_pages"], "counters": counters}
        return {"host": self._host_counters(), "vms": vms, "facts": facts,
                "where": {"host": "host", "storage": str(self.paths.data)}}

    def _host_counters(self) -> dict:
        import psutil

        cpu = psutil.cpu_times()
        idle = cpu.idle + getattr(cpu, "iowait", 0.0)
        # as psutil.cpu_percent counts: guest time is in user time already
        total = sum(cpu) - getattr(cpu, "guest", 0.0) - getattr(cpu, "guest_nice", 0.0)
        own = _this_process().cpu_times()
        vm = psutil.virtual_memory()
        try:
            st = os.statvfs(self.paths.data)
            free, size = st.f_bavail * st.f_frsize, st.f_blocks * st.f_frsize
        except OSError:
            free = size = None
        return {"cpu_busy": total - idle, "cpu_total": total, "service_cpu_seconds": own.user + own.system,
                "memory_used": vm.total - vm.available, "memory_total": vm.total, "storage_free_bytes": free,
                "storage_total_bytes": size}

    def heartbeat(self, record: VmRecord, status: str | None = None) -> str | None:
        """The VM's heartbeat status (the partition's, or ``status`` read from it already), its freshness counted
        in running time: not Lost Communication for the seconds after a Resume."""
        p = record.partition
        if p is None:
            return None
        if status is None:
            status = p.heartbeat()
        return fresh_heartbeat(status, p, getattr(record, "run_clock", None))

    def health(self, record: VmRecord, active: list[dict] | None = None,
               heartbeat: str | None = None) -> tuple[str, str]:
        """Hyper-V's health state: OK, Degraded or Critical, with the reason (``active``: the VM's active alerts,
        ``heartbeat``: its heartbeat status, when the caller has them already)."""
        if record.config is None:
            return "Critical", f"configuration error: {record.stored.error}"
        p = record.partition
        if p is not None and p.state == VmState.CRITICAL:
            return "Critical", p.reason
        reasons = []
        if p is not None:
            if (heartbeat if heartbeat is not None else self.heartbeat(record)) == LOST:
                reasons.append("heartbeat lost")
            reasons += [f"{d} failed: {r}" for d, r in p.device_failures.items()]
        # alerts whose cause is already named above would only repeat it
        if active is None:
            active = self.alerts.active_for(record.id)
        reasons += [a["message"] for a in active if a["rule"] not in _NAMED_BY_PARTITION]
        return ("Degraded", "; ".join(dict.fromkeys(reasons))) if reasons else ("OK", "")

    def saved_state_problem(self, record: VmRecord, active: list[dict] | None = None) -> str:
        """Why the VM's last saved state could not be used (its alert, until someone clears it), or ""."""
        if active is None:
            active = self.alerts.active_for(record.id)
        return next((a["message"] for a in active if a["rule"] == SAVED_STATE_RULE), "")

    @implements("metrics.history")
    def metrics_history(self, target: str = "host", seconds: float = 60.0, metrics: list | None = None) -> dict:
        key = "host" if target == "host" else self._find(target).id
        return self.metrics.history(key, float(seconds), metrics)

    @implements("vm.measure")
    def measure_vm(self, vm: str, seconds: float = 3600.0) -> dict:
        """Like Measure-VM: averages and totals of a VM's resource use over a window."""
        record = self._usable(vm)
        return {"vm": record.name, "id": record.id, "window_seconds": seconds,
                **measure(self.metrics_history(record.id, seconds)), "assigned_memory_bytes": record.config.memory,
                "heartbeat": self.heartbeat(record),
                "health": self.health(record)[0]}


def _allocation(disk) -> tuple[str, float] | None:
    """(path, percent of its blocks allocated) of a dynamic VHD, for the disk_nearly_full rule."""
    if disk is None or getattr(disk, "format", "") != "vhd-dynamic":
        return None
    try:
        info = disk.info()
        used = 100 * info.get("blocks_allocated", 0) / max(1, info.get("blocks_total", 1))
    except Exception:
        used = 0.0
    return str(disk.path), used


@functools.cache
def _this_process():
    import psutil

    return psutil.Process()
