"""The metrics sampler every kind of host shares: one thread per host, one bulk read per tick.

A host hands the sampler one function, ``read()``, that returns the raw cumulative counters of the host and of
every VM it runs in one pass (the embedded host from each ``Partition.sample()``, a libvirt host from one
getAllDomainStats), or None when there is nothing to read now (a libvirt host that is away)::

    {"host": {...}, "vms": {vm id: {...}}, "facts": {vm id: {...}}, "where": {...}}

The sampler turns the counters into rates under the ``VM_METRICS`` / ``HOST_METRICS`` names (core.hosts.metrics),
keeps them in the host's MetricsStore, emits the ``metrics`` event ({"t", "host", "vms"}) and evaluates the one
set of alert conditions (core.hosts.conditions) from the rates and the ``facts``.

A VM's raw counters (every key optional; one that is missing leaves its metric empty):
    state: its state (a VmState value)          cpu_ns: guest CPU time, ns (cumulative)      vcpus: processors
    memory_assigned, memory_resident: bytes     heartbeat: Hyper-V's heartbeat status (or None)
    dirty_pages: pages written since the previous read (the dirty log is a delta already)
    counters: {name: cumulative count} for the names of ``RATES``
The host's: cpu_busy, cpu_total (cumulative, in one unit), service_cpu_seconds (cumulative), memory_used,
memory_total, storage_free_bytes, storage_total_bytes.

Ticks come every ``interval`` seconds (BULKHEAD_TICK, 1 s by default); a slow tick is dropped, not queued.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Callable

from core.model.states import VmState

from .conditions import conditions
from .metrics import HEARTBEAT_VALUE, MINUTE, MetricsStore

log = logging.getLogger(__name__)

# a VM's cumulative counter -> the rate (per second) it becomes
RATES = {
    "disk_read_bytes": "disk_read_bps", "disk_write_bytes": "disk_write_bps",
    "disk_read_ops": "disk_read_iops", "disk_write_ops": "disk_write_iops",
    "net_rx_bytes": "net_rx_bps", "net_tx_bytes": "net_tx_bps",
    "net_rx_frames": "net_rx_fps", "net_tx_frames": "net_tx_fps",
    "vmbus_packets": "vmbus_pps",  # both directions
    "exits_synthetic": "exits_synthetic_ps",  # VMBus doorbells and control accesses
    "exits_emulated": "exits_emulated_ps",  # emulated device register accesses
    "exits": "exits_total_ps",  # every exit that reached user space
}
RATE_ITEMS = tuple(RATES.items())
PAUSED = VmState.PAUSED.value
PAGE = 4096
MiB = 1 << 20


def tick_interval(tick: float | None = None) -> float:
    """The sampling interval: ``tick`` if given, else BULKHEAD_TICK, else 1 s."""
    return tick or float(os.environ.get("BULKHEAD_TICK", "1.0"))


class Sampler:
    """One host's tick: ``read()``, rates, the store, the ``metrics`` event, the alert conditions."""

    def __init__(self, read: Callable[[], dict | None], store: MetricsStore, *, interval: float | None = None,
                 emit: Callable[[str, dict], None] | None = None, alerts=None, name: str = "metrics-sampler") -> None:
        self.read = read
        self.store = store
        self.interval = tick_interval(interval)
        self.emit = emit
        self.alerts = alerts
        self.name = name
        self._previous: dict[str, tuple[float, dict]] = {}  # VM id -> (t, raw) of its last read
        self._host_previous: tuple[float, dict] | None = None
        self._lock = threading.Lock()  # a tick by hand and the thread's never interleave
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_minute = time.time() + MINUTE
        self.tick_seconds: list[float] = []  # wall time of each pass: read, rates, store (the benchmarks read it)
        self.cpu_seconds = 0.0  # CPU time the sampler thread has spent in those passes
        self.tick_cpu_seconds = 0.0  # ... and in whole ticks (the event and the alert conditions as well)

    # --- the thread --------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            next_at += self.interval
            try:
                self.tick()
            except Exception:  # one bad tick must not end sampling
                log.exception("%s: metrics tick failed", self.name)
            delay = next_at - time.monotonic()
            if delay < 0:  # a slow tick is dropped, not queued
                next_at, delay = time.monotonic(), 0
            self._stop.wait(delay)

    # --- one tick ----------------------------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> dict:
        """One sample of the host and its VMs; {} when the host had nothing to read."""
        with self._lock:
            cpu_started = time.thread_time()
            started = time.perf_counter()
            now = time.time() if now is None else now
            raw = self.read()
            if raw is None:
                self._roll(time.time())
                return {}
            vms = {}
            for key, counters in raw["vms"].items():
                values = self._rates(key, now, counters)
                self.store.add(key, now, values)
                vms[key] = values
            previous = self._previous  # (a host's own threads may forget a VM in it meanwhile)
            if len(previous) != len(vms):  # stopped or removed VMs leave nothing behind
                for gone in [key for key in list(previous) if key not in vms]:
                    previous.pop(gone, None)
            host = self._host(now, raw.get("host") or {}, len(vms))
            self.store.add("host", now, host)
            self._roll(now)
            sample = {"t": now, "vms": vms, "host": host}
            self.tick_seconds.append(time.perf_counter() - started)
            del self.tick_seconds[:-600]
            self.cpu_seconds += time.thread_time() - cpu_started
            if self.emit is not None:
                self.emit("metrics", sample)
            if self.alerts is not None:
                try:
                    self.alerts.evaluate(conditions(self.alerts.rules, sample, raw.get("facts") or {},
                                                    raw.get("where")), now)
                except Exception:
                    log.exception("%s: alert evaluation failed", self.name)
            self.tick_cpu_seconds += time.thread_time() - cpu_started
            return sample

    def _roll(self, now: float) -> None:
        if now >= self._next_minute:
            self._next_minute = now + MINUTE
            try:
                self.store.roll_minute(now)
            except Exception:
                log.exception("%s: metrics minute roll-up failed", self.name)

    def _rates(self, key: str, now: float, raw: dict) -> dict:
        prev = self._previous.get(key)
        self._previous[key] = (now, raw)
        heartbeat = raw.get("heartbeat")
        values = {"memory_assigned": raw.get("memory_assigned"), "memory_resident": raw.get("memory_resident"),
                  "heartbeat": HEARTBEAT_VALUE.get(heartbeat) if heartbeat else None}
        if prev is None:
            return values
        t0, old = prev
        dt = max(now - t0, 1e-6)
        if raw.get("state") == PAUSED:  # a paused VM uses no CPU, whatever the tick's first moments did
            values["cpu_percent"] = 0.0
        else:
            cpu, before = raw.get("cpu_ns"), old.get("cpu_ns")
            if cpu is not None and before is not None:
                values["cpu_percent"] = min(100.0, max(0.0, cpu - before) / dt / 1e7 / (raw.get("vcpus") or 1))
        dirty = raw.get("dirty_pages")
        if dirty is not None:
            values["dirty_mib_s"] = dirty * PAGE / dt / MiB
        new, base = raw.get("counters"), old.get("counters")
        if new and base:
            for counter, metric in RATE_ITEMS:
                n = new.get(counter)
                if n is not None:
                    b = base.get(counter)
                    if b is not None:
                        values[metric] = max(0.0, (n - b) / dt)
        return values

    def _host(self, now: float, raw: dict, running: int) -> dict:
        prev, self._host_previous = self._host_previous, (now, raw)
        out = {"vms_running": running, "memory_used": raw.get("memory_used"), "memory_total": raw.get("memory_total"),
               "storage_free_bytes": raw.get("storage_free_bytes"),
               "storage_total_bytes": raw.get("storage_total_bytes")}
        if prev is None:  # the first reading would cover the host's whole start-up, not one tick
            return out
        t0, old = prev
        busy, total = _delta(raw, old, "cpu_busy"), _delta(raw, old, "cpu_total")
        if busy is not None and total:
            out["cpu_percent"] = max(0.0, min(100.0, 100 * busy / total))
        service = _delta(raw, old, "service_cpu_seconds")
        if service is not None and now > t0:
            out["service_cpu_percent"] = max(0.0, 100 * service / (now - t0))
        return out


def _delta(new: dict, old: dict, key: str):
    a, b = new.get(key), old.get(key)
    return None if a is None or b is None else a - b
