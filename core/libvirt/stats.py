"""Metrics of a libvirt host: what the shared sampler (core/hosts/sampler.py) reads each tick: one
getAllDomainStats of the active domains (VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE) as cumulative counters, the
host's own CPU and memory, and the facts the alert conditions need; metrics.history and vm.measure."""

from __future__ import annotations

import logging

from core.hosts.metrics import measure
from core.hosts.registry import implements
from core.model.errors import UsageError

from .domains import Dom
from .errors import state_name

log = logging.getLogger(__name__)

# libvirt's per-device statistics -> the shared sampler's cumulative counters (summed over the devices)
DEVICE_COUNTERS = (
    ("block", "rd.bytes", "disk_read_bytes"), ("block", "wr.bytes", "disk_write_bytes"),
    ("block", "rd.reqs", "disk_read_ops"), ("block", "wr.reqs", "disk_write_ops"),
    ("net", "rx.bytes", "net_rx_bytes"), ("net", "tx.bytes", "net_tx_bytes"),
    ("net", "rx.pkts", "net_rx_frames"), ("net", "tx.pkts", "net_tx_frames"),
)


class StatsMixin:
    """The sampler's read and the host statistics of a LibvirtTransport."""

    STATS = ("STATE", "CPU_TOTAL", "BALLOON", "VCPU", "INTERFACE", "BLOCK")

    def tick(self, now: float | None = None) -> dict:
        """One sample now (the sampler's thread takes one every interval): {"t", "host", "vms"}, or {} while
        the host is away."""
        return self.sampler.tick(now)

    @property
    def tick_seconds(self) -> list[float]:
        return self.sampler.tick_seconds

    def _read_stats(self) -> dict | None:
        """A single getAllDomainStats of the active domains, in the shared sampler's terms; None while away."""
        lv = self._lv
        conn = self._conn
        if conn is None:
            return None
        groups = 0
        for g in self.STATS:
            groups |= getattr(lv, "VIR_DOMAIN_STATS_" + g)
        flags = lv.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
        if self._nowait:  # a domain busy in a job (migrating, saving) must not hold up the tick
            flags |= getattr(lv, "VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT", 0)
        try:
            records = conn.getAllDomainStats(groups, flags)
        except lv.libvirtError as e:
            if self._nowait and e.get_error_code() in (lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_NO_SUPPORT):
                self._nowait = False
                return None
            self._call_lost(e)
            return None
        vms = {}
        for dom, raw in records:
            uid = dom.UUIDString()
            vms[uid] = self._counters(raw, self._doms.get(uid))
        facts = {d.uuid: {"name": d.name, "state": d.state, "reason": d.reason} for d in list(self._doms.values())}
        return {"host": self._host_counters(conn), "vms": vms, "facts": facts, "where": {"host": self.uri}}

    def _counters(self, raw: dict, d: Dom | None) -> dict:
        lv = self._lv
        config = d.config if d is not None else None
        out: dict = {"vcpus": raw.get("vcpu.current") or (config.vcpus if config else 0) or 1,
                     "cpu_ns": raw.get("cpu.time")}
        if "state.state" in raw:
            out["state"] = state_name(lv, raw["state.state"], raw.get("state.reason", 0), False)[0]
        elif d is not None:
            out["state"] = d.state
        if "balloon.current" in raw:
            out["memory_assigned"] = raw["balloon.current"] * 1024
        elif config is not None:
            out["memory_assigned"] = getattr(config, "memory", None)
        if "balloon.rss" in raw:
            out["memory_resident"] = raw["balloon.rss"] * 1024
        counters = {}
        for prefix, suffix, counter in DEVICE_COUNTERS:
            n = int(raw.get(prefix + ".count", 0) or 0)
            values = [raw[key] for key in (f"{prefix}.{i}.{suffix}" for i in range(n)) if key in raw]
            if values:
                counters[counter] = sum(values)
        out["counters"] = counters
        return out

    def _host_counters(self, conn) -> dict:
        lv = self._lv
        out: dict = {}
        if self._host_stats_ok["cpu"]:
            try:
                cpu = conn.getCPUStats(lv.VIR_NODE_CPU_STATS_ALL_CPUS, 0)
                busy = cpu.get("kernel", 0) + cpu.get("user", 0)
                out["cpu_busy"], out["cpu_total"] = busy, busy + cpu.get("idle", 0) + cpu.get("iowait", 0)
            except lv.libvirtError:
                self._host_stats_ok["cpu"] = False
        if self._host_stats_ok["memory"]:
            try:
                mem = conn.getMemoryStats(lv.VIR_NODE_MEMORY_STATS_ALL_CELLS, 0)
                total = mem.get("total", 0) * 1024
                free = (mem.get("free", 0) + mem.get("buffers", 0) + mem.get("cached", 0)) * 1024
                if total:
                    out["memory_total"], out["memory_used"] = total, total - free
            except lv.libvirtError:
                self._host_stats_ok["memory"] = False
        return out

    @implements("metrics.history")
    def metrics_history(self, target: str = "host", seconds: float = 60.0, metrics: list | None = None) -> dict:
        if not isinstance(seconds, (int, float)) or not 1 <= seconds <= 7 * 86400:
            raise UsageError("seconds must be between 1 and 604800")
        key = "host" if target == "host" else self._find(target)[0].uuid
        return self.metrics.history(key, float(seconds), metrics)

    @implements("vm.measure")
    def measure_vm(self, vm: str, seconds: float = 3600.0) -> dict:
        d, dom = self._find(vm)
        vm_dict = self._vm_dict(dom, d)
        return {"vm": d.name, "id": d.uuid, "window_seconds": seconds,
                **measure(self.metrics_history(d.uuid, seconds)), "assigned_memory_bytes": vm_dict["memory"],
                "heartbeat": None, "health": vm_dict["health"]}
