"""Metrics: the names every kind of host samples under, ring buffers in memory, minute history in SQLite, and
Measure-VM's figures.

The sampler (core/hosts/sampler.py) turns each host's bulk read of cumulative counters into rates once per tick
and adds them here. The last hour (at least) is kept at full resolution in fixed-size numpy ring buffers, so
memory is bounded whatever the uptime; minute averages go to SQLite (WAL) and are kept for 48 hours, so graphs
survive a restart of the service or the console.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import warnings
from pathlib import Path

import numpy as np

from core.model.errors import UsageError

log = logging.getLogger(__name__)

VM_METRICS = (
    "cpu_percent",  # measured guest CPU time / wall time / vCPUs
    "memory_assigned",  # bytes
    "memory_resident",  # bytes the host has backed
    "dirty_mib_s",  # pages the guest wrote per second (KVM dirty log), in MiB/s
    "disk_read_bps", "disk_write_bps", "disk_read_iops", "disk_write_iops",
    "net_rx_bps", "net_tx_bps", "net_rx_fps", "net_tx_fps",
    "vmbus_pps",  # VMBus packets per second, both directions
    "exits_synthetic_ps",  # VMBus doorbells and control accesses per second
    "exits_emulated_ps",  # emulated device register accesses (serial, IDE, clock) per second
    "exits_total_ps",  # every exit that reached user space, per second
    "heartbeat",  # 1 OK, 0.5 paused, 0 lost or no contact, nan without integration services
)
HOST_METRICS = ("cpu_percent", "memory_used", "memory_total", "service_cpu_percent", "vms_running",
                "storage_free_bytes", "storage_total_bytes")
HEARTBEAT_VALUE = {"OK": 1.0, "Paused": 0.5, "Lost Communication": 0.0, "No Contact": 0.0}
MINUTE = 60
KEEP_MINUTES = 48 * 60


class Ring:
    """A fixed-size ring of (time, values) rows."""

    def __init__(self, capacity: int, width: int) -> None:
        self.t = np.full(capacity, np.nan)
        self.v = np.full((capacity, width), np.nan, dtype=np.float32)  # a float32 row is plenty for a graph
        self.capacity = capacity
        self.next = 0
        self.count = 0

    def append(self, t: float, values) -> None:
        i = self.next
        self.t[i] = t
        self.v[i] = values
        self.next = (i + 1) % self.capacity
        self.count = min(self.count + 1, self.capacity)

    def window(self, since: float) -> tuple[np.ndarray, np.ndarray]:
        if self.count == 0:
            return np.empty(0), np.empty((0, self.v.shape[1]))
        order = np.arange(self.next - self.count, self.next) % self.capacity
        t, v = self.t[order], self.v[order]
        keep = t >= since
        return t[keep], v[keep]

    def latest(self) -> tuple[float, np.ndarray] | None:
        if self.count == 0:
            return None
        i = (self.next - 1) % self.capacity
        return float(self.t[i]), self.v[i]

    @property
    def nbytes(self) -> int:
        return self.t.nbytes + self.v.nbytes


class MetricsStore:
    """Rings per target plus the minute table. Thread-safe."""

    def __init__(self, db_path: Path, capacity: int = 3600) -> None:
        self.capacity = capacity
        self.rings: dict[str, Ring] = {}
        self.lock = threading.Lock()
        self.db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS minutes (target TEXT, t REAL, metric TEXT, value REAL, "
                        "PRIMARY KEY (target, t, metric))")
        self.db.execute("CREATE TABLE IF NOT EXISTS markers (target TEXT, t REAL, kind TEXT)")
        self._minute: dict[str, list] = {}
        self._minute_start: float | None = None

    def _names(self, target: str) -> tuple[str, ...]:
        return HOST_METRICS if target == "host" else VM_METRICS

    def add(self, target: str, t: float, values: dict) -> None:
        names = self._names(target)
        row = [np.nan if (x := values.get(n)) is None else x for n in names]
        with self.lock:
            ring = self.rings.get(target)
            if ring is None:
                ring = self.rings[target] = Ring(self.capacity, len(names))
            ring.append(t, row)
            self._minute.setdefault(target, []).append(row)

    def roll_minute(self, now: float) -> None:
        """Write the averages of the minute that just ended; trim what is older than the retention."""
        with self.lock:
            pending, self._minute = self._minute, {}
            start = self._minute_start if self._minute_start is not None else now - MINUTE
            self._minute_start = now
        rows = []
        for target, values in pending.items():
            names = self._names(target)
            with warnings.catch_warnings():  # a metric with no value this minute is simply not written
                warnings.simplefilter("ignore", RuntimeWarning)
                means = np.nanmean(np.array(values, dtype=np.float64), axis=0) if values else []
            rows += [(target, start, name, float(m)) for name, m in zip(names, means) if not np.isnan(m)]
        if rows:
            self.db.executemany("INSERT OR REPLACE INTO minutes VALUES (?, ?, ?, ?)", rows)
        self.db.execute("DELETE FROM minutes WHERE t < ?", (now - KEEP_MINUTES * MINUTE,))
        self.db.execute("DELETE FROM markers WHERE t < ?", (now - KEEP_MINUTES * MINUTE,))

    def marker(self, target: str, kind: str, t: float | None = None) -> None:
        self.db.execute("INSERT INTO markers VALUES (?, ?, ?)", (target, t or time.time(), kind))

    def history(self, target: str, seconds: float, metrics: list[str] | None = None) -> dict:
        """A window of history: full resolution from the ring when it covers the window, else minute averages from
        SQLite followed by the ring's recent samples. Values are lists (NaN as None)."""
        names = self._names(target)
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise UsageError("metrics must be a list of metric names")
        wanted = [m for m in (metrics or names) if isinstance(m, str) and m in names]
        now = time.time()
        since = now - seconds
        with self.lock:
            ring = self.rings.get(target)
            t, v = ring.window(since) if ring else (np.empty(0), np.empty((0, len(names))))
        resolution = "second"
        ring_start = float(t[0]) if len(t) else now
        if seconds > self.capacity or ring is None or ring_start > since + 5:
            resolution = "minute" if seconds > self.capacity else "mixed"
            rows = self.db.execute("SELECT t, metric, value FROM minutes WHERE target = ? AND t >= ? AND t < ? "
                                   "ORDER BY t", (target, since, ring_start)).fetchall()
            minute_t = sorted({r[0] for r in rows})
            index = {x: i for i, x in enumerate(minute_t)}
            mv = np.full((len(minute_t), len(names)), np.nan)
            col = {n: i for i, n in enumerate(names)}
            for rt, metric, value in rows:
                if metric in col:
                    mv[index[rt], col[metric]] = value
            if seconds > self.capacity:  # long windows: minute resolution only
                t, v = np.array(minute_t), mv
            else:
                t, v = np.concatenate([np.array(minute_t), t]), np.concatenate([mv, v])
        series = {}
        for m in wanted:
            column = v[:, names.index(m)] if len(v) else np.empty(0)
            series[m] = [None if np.isnan(x) else round(float(x), 4) for x in column]
        markers = self.db.execute("SELECT t, kind FROM markers WHERE target = ? AND t >= ? ORDER BY t",
                                  (target, since)).fetchall()
        return {"target": target, "resolution": resolution, "t": [round(float(x), 3) for x in t], "series": series,
                "markers": [{"t": mt, "kind": k} for mt, k in markers]}

    def latest(self, target: str) -> dict | None:
        with self.lock:
            ring = self.rings.get(target)
            last = ring.latest() if ring else None
        if last is None:
            return None
        t, row = last
        # tolist() first: a float per element at once, where numpy scalars cost microseconds each (vm.list asks for
        # every VM)
        return {"t": t, **{n: (None if x != x else x) for n, x in zip(self._names(target), row.tolist())}}

    def latest_value(self, target: str, name: str) -> float | None:
        """One metric of the latest sample (None before the first, or when it was not measured)."""
        with self.lock:
            ring = self.rings.get(target)
            last = ring.latest() if ring else None
        names = self._names(target)
        if last is None or name not in names:
            return None
        x = float(last[1][names.index(name)])
        return None if x != x else x

    def forget(self, target: str) -> None:
        """Free a target's rings and its unfinished minute (a removed VM); its minute history ages out."""
        with self.lock:
            self.rings.pop(target, None)
            self._minute.pop(target, None)

    def memory_bytes(self) -> int:
        with self.lock:
            return sum(r.nbytes for r in self.rings.values())

    def close(self) -> None:
        self.db.close()


def measure(history: dict) -> dict:
    """Measure-VM's figures from a window of history: averages of the gauges, totals of the rates (each rate
    times its sample spacing)."""
    t, series = history["t"], history["series"]

    def values(name):
        return [v for v in series.get(name, []) if v is not None]

    def avg(name):
        v = values(name)
        return round(sum(v) / len(v), 3) if v else None

    def total(name):
        v = series.get(name, [])
        return round(sum((v[i] or 0) * (t[i] - t[i - 1]) for i in range(1, len(t)))) if len(t) > 1 else 0

    mem = values("memory_resident")
    return {"samples": len(t), "resolution": history["resolution"], "average_cpu_percent": avg("cpu_percent"),
            "average_memory_bytes": avg("memory_resident"), "maximum_memory_bytes": max(mem) if mem else None,
            "minimum_memory_bytes": min(mem) if mem else None, "average_dirty_mib_s": avg("dirty_mib_s"),
            "disk_read_bytes": total("disk_read_bps"), "disk_write_bytes": total("disk_write_bps"),
            "network_in_bytes": total("net_rx_bps"), "network_out_bytes": total("net_tx_bps")}
