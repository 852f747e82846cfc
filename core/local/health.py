"""Metrics and health of the embedded engine's VMs: the alert conditions of each metrics tick, each VM's health
state with its reason, metrics history and Measure-VM."""

from __future__ import annotations

from core.hosts.metrics import measure
from core.hosts.registry import implements
from core.model.states import VmState

from .record import VmRecord

# rules whose alert repeats a cause health() already names from the partition itself
_NAMED_BY_PARTITION = ("heartbeat_lost", "vm_critical", "device_failed")
SAVED_STATE_RULE = "saved_state_damaged"


class HealthMethods:
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
            if p.state == VmState.CRITICAL:
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

    def health(self, record: VmRecord, active: list[dict] | None = None) -> tuple[str, str]:
        """Hyper-V's health state: OK, Degraded or Critical, with the reason (``active``: the VM's active alerts,
        when the caller has them already)."""
        if record.config is None:
            return "Critical", f"configuration error: {record.stored.error}"
        p = record.partition
        if p is not None and p.state == VmState.CRITICAL:
            return "Critical", p.reason
        reasons = []
        if p is not None:
            if p.heartbeat() == "Lost Communication":
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
                "heartbeat": record.partition.heartbeat() if record.partition else None,
                "health": self.health(record)[0]}
