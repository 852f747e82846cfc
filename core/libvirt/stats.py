"""Metrics of a libvirt host: one getAllDomainStats of the active domains per tick (VIR_CONNECT_GET_ALL_DOMAINS_
STATS_ACTIVE), turned into the same rates and names as the embedded host's (core.hosts.metrics), the host's own CPU
and memory, the alert conditions of each tick, metrics.history and vm.measure."""

from __future__ import annotations

import logging
import time

from core.hosts.metrics import measure
from core.hosts.registry import implements
from core.model.errors import UsageError

from .domains import Dom

log = logging.getLogger(__name__)


class StatsMixin:
    """The metrics tick and host statistics of a LibvirtTransport."""

    def _sampler(self) -> None:
        next_at = time.monotonic()
        next_minute = time.time() + 60
        while not self._closed.is_set():
            next_at += self.interval
            if self._conn is not None:
                try:
                    self.tick()
                except Exception:  # one bad tick must not end sampling
                    log.exception("libvirt metrics tick failed")
            if time.time() >= next_minute:
                next_minute = time.time() + 60
                try:
                    self.metrics.roll_minute(time.time())
                except Exception:
                    log.exception("metrics minute roll-up failed")
            delay = next_at - time.monotonic()
            if delay < 0:
                next_at, delay = time.monotonic(), 0
            self._closed.wait(delay)

    STATS = ("STATE", "CPU_TOTAL", "BALLOON", "VCPU", "INTERFACE", "BLOCK")

    def tick(self, now: float | None = None) -> dict:
        """One sample: a single getAllDomainStats of the active domains, turned into rates."""
        lv = self._lv
        conn = self._conn
        if conn is None:
            return {}
        started = time.perf_counter()
        now = time.time() if now is None else now
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
                return {}
            self._call_lost(e)
            return {}
        sample: dict = {"t": now, "vms": {}}
        active = set()
        for dom, raw in records:
            uid = dom.UUIDString()
            active.add(uid)
            d = self._doms.get(uid)
            values = self._rates(uid, now, raw, d)
            self.metrics.add(uid, now, values)
            sample["vms"][uid] = values
        for uid in [u for u in self._prev if u not in active]:
            self._prev.pop(uid, None)
        sample["host"] = self._host_sample(conn, now, len(records))
        self.metrics.add("host", now, sample["host"])
        self.tick_seconds.append(time.perf_counter() - started)
        del self.tick_seconds[:-600]
        self._emit("metrics", sample)
        try:
            self.alerts.evaluate(self._conditions(sample), now)
        except Exception:
            log.exception("alert evaluation failed")
        return sample

    def _rates(self, uid: str, now: float, raw: dict, d: Dom | None) -> dict:
        prev = self._prev.get(uid)
        self._prev[uid] = (now, raw)
        values: dict[str, float | None] = {}
        if "balloon.current" in raw:
            values["memory_assigned"] = raw["balloon.current"] * 1024
        elif d is not None and d.config is not None:
            values["memory_assigned"] = getattr(d.config, "memory", None)
        if "balloon.rss" in raw:
            values["memory_resident"] = raw["balloon.rss"] * 1024
        if prev is None:
            return values
        t0, old = prev
        dt = max(now - t0, 1e-6)

        def rate(key: str) -> float | None:
            if key not in raw or key not in old:
                return None
            return max(0.0, (raw[key] - old[key]) / dt)

        config = d.config if d is not None else None
        vcpus = raw.get("vcpu.current") or (config.vcpus if config else 0) or 1
        cpu = rate("cpu.time")
        if cpu is not None:
            values["cpu_percent"] = min(100.0, 100 * cpu / 1e9 / vcpus)

        def total(prefix: str, count: str, suffix: str) -> float | None:
            n = int(raw.get(count, 0) or 0)
            rates = [rate(f"{prefix}.{i}.{suffix}") for i in range(n)]
            rates = [r for r in rates if r is not None]
            return sum(rates) if rates else None

        for metric, (prefix, suffix) in {
            "disk_read_bps": ("block", "rd.bytes"), "disk_write_bps": ("block", "wr.bytes"),
            "disk_read_iops": ("block", "rd.reqs"), "disk_write_iops": ("block", "wr.reqs"),
            "net_rx_bps": ("net", "rx.bytes"), "net_tx_bps": ("net", "tx.bytes"),
            "net_rx_fps": ("net", "rx.pkts"), "net_tx_fps": ("net", "tx.pkts"),
        }.items():
            v = total(prefix, prefix + ".count", suffix)
            if v is not None:
                values[metric] = v
        return values

    def _host_sample(self, conn, now: float, running: int) -> dict:
        lv = self._lv
        out: dict[str, float | None] = {"vms_running": running}
        if self._host_stats_ok["cpu"]:
            try:
                cpu = conn.getCPUStats(lv.VIR_NODE_CPU_STATS_ALL_CPUS, 0)
                prev, self._prev_host_cpu = self._prev_host_cpu, cpu
                if prev:
                    busy = sum(cpu.get(k, 0) - prev.get(k, 0) for k in ("kernel", "user"))
                    total = busy + cpu.get("idle", 0) - prev.get("idle", 0) + cpu.get("iowait", 0) - prev.get(
                        "iowait", 0)
                    if total > 0:
                        out["cpu_percent"] = max(0.0, min(100.0, 100 * busy / total))
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

    def _conditions(self, sample: dict) -> dict:
        rules = self.alerts.rules
        out: dict = {}
        for uid, values in sample["vms"].items():
            d = self._doms.get(uid)
            name = d.name if d is not None else uid
            cpu = values.get("cpu_percent")
            if cpu is not None and cpu > rules["cpu_high"].threshold:
                out[("cpu_high", uid)] = (name, f"VM '{name}' CPU at {cpu:.0f}%", cpu)
            resident, assigned = values.get("memory_resident"), values.get("memory_assigned")
            if resident and assigned and 100 * resident / assigned > rules["vm_memory_pressure"].threshold:
                out[("vm_memory_pressure", uid)] = (name, f"VM '{name}' uses {100 * resident / assigned:.0f}% of "
                                                          "its memory", resident)
        for d in list(self._doms.values()):
            if d.state == "Critical":
                out[("vm_critical", d.uuid)] = (d.name, f"VM '{d.name}' is Critical: {d.reason}", None)
        host = sample.get("host", {})
        if host.get("memory_total"):
            used = 100 * host["memory_used"] / host["memory_total"]
            if used > rules["host_memory_pressure"].threshold:
                out[("host_memory_pressure", "host")] = ("host", f"{self.uri} memory {used:.0f}% in use", used)
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
