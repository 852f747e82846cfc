"""A host of many running VMs that lives in this process, for measuring the console at scale: a transport under a
real ``api.Connection`` that answers what the console asks (``vm.list`` with records shaped as a Bulkhead host's,
through a JSON round trip as the socket transport does) and sends the console a host's event stream from a thread
of its own: a ``metrics`` event every tick with every VM's sample, and a few VMs changing state.

    host = FakeHost(1000)
    conn = api.Connection(host, "fake host")
    host.run(tick=1.0)            # events from now on, until host.close()

The figures measured on it are the console's own: no engine threads compete with it for the GIL.
"""

from __future__ import annotations

import json
import threading
import time

from core.model.errors import NotFound, Unavailable

METRICS = ("cpu_percent", "memory_assigned", "memory_resident", "dirty_mib_s", "disk_read_bps", "disk_write_bps",
           "disk_read_iops", "disk_write_iops", "net_rx_bps", "net_tx_bps", "net_rx_fps", "net_tx_fps", "vmbus_pps",
           "exits_synthetic_ps", "exits_emulated_ps", "exits_total_ps", "heartbeat")


def vm_record(i: int, prefix: str, state: str = "Running") -> dict:
    """A running VM as a Bulkhead host lists it (the same keys and about the same size, 1.8 KB of JSON)."""
    vid = f"{prefix}{i:05d}".ljust(32, "0")
    running = state in ("Running", "Paused")
    channels = [{"id": n, "device": d, "state": "open", "reason": "", "packets_in": 3, "bytes_in": 24,
                 "packets_out": 0, "bytes_out": 0, "signals_in": 3, "signals_out": 0, "dropped_out": 0}
                for n, d in enumerate(("heartbeat", "shutdown", "timesync", "kvp"), start=1)]
    counters = {"state": state, "backend": "kvm", "heartbeat": "OK",
                "devices": {"failures": {}, "vmbus": {"ioeventfd": True, "channels": channels}},
                "guest_clock_ns": 2_125_206_321, "vcpu_cpu_ns": [7_477_828], "exits": {"io": 92, "mmio": 6},
                "port_accesses": {"serial": 83, "clock": 6, "vmbus": 5, "idle": 4}, "resident_bytes": 147_456,
                "memory_bytes": 32 << 20, "serial_tx_bytes": 67, "serial_rx_bytes": 0}
    return {"id": vid, "name": f"{prefix}{i:04d}", "state": state, "folder": f"/var/lib/bulkhead/vms/{vid}",
            "memory": 32 << 20, "vcpus": 1, "image": "bundled", "workload": "idle", "cmdline": "", "notes": "",
            "automatic_start_action": "start_if_running", "automatic_stop_action": "save", "created": 1.7e9 + i,
            "last_running": True, "disk": "", "disk_controller": "synthetic", "disk_format": "", "network": "",
            "ip": "", "integration_services": True, "kvp": {}, "format": 1, "reason": "",
            "uptime": 100.0 + i if running else 0.0, "counters": counters if running else None,
            "heartbeat": "OK" if running else None, "health": "OK", "health_reason": "", "saved_state_problem": "",
            "cpu_percent": 0.5 if running else None, "device_failures": {}, "checkpoints": 0, "checkpoint": "",
            "kvp_guest": {"hostname": "bulkhead-guest", "os": "Bulkhead guest 1.0"} if running else {}}


class FakeHost:
    """The transport of a host with ``n`` VMs named ``<prefix>0000``...; ``state_changes`` VMs change state (Running
    <-> Paused) each tick."""

    def __init__(self, n: int, prefix: str = "vm", state_changes: int = 5) -> None:
        self.records = [vm_record(i, prefix) for i in range(n)]
        self.prefix = prefix
        self.state_changes = state_changes
        self.calls: dict[str, int] = {}
        self._json: dict[tuple, str] = {}  # (id, state, brief) -> the record's JSON
        self.ticks = 0
        self._callbacks: list = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the transport -------------------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None):
        self.calls[method] = self.calls.get(method, 0) + 1
        params = params or {}
        if method == "vm.list":  # encoded as a host would (in its own process: here a record at a time, cached)
            with self._lock:
                text = "[" + ",".join(self._encoded(r, bool(params.get("brief"))) for r in self.records) + "]"
        else:
            text = json.dumps(self._answer(method, params))
        return json.loads(text)  # what a socket transport's reader thread hands over: decoded in this process

    def _encoded(self, record: dict, brief: bool) -> str:
        key = (record["id"], record["state"], brief)
        text = self._json.get(key)
        if text is None:
            if brief:
                record = {k: v for k, v in record.items() if k not in ("counters", "kvp_guest")} | {
                    "activity": 7_477_926 if record["counters"] else None}
            text = self._json[key] = json.dumps(record)
        return text

    def _answer(self, method: str, params: dict):
        if method == "vm.show":
            with self._lock:
                found = [r for r in self.records if params.get("vm") in (r["id"], r["name"])]
            if not found:
                raise NotFound(f"no VM '{params.get('vm')}'")
            return dict(found[0])
        if method == "host.info":
            return {"store": f"/fake/{self.prefix}", "pid": 1, "backend": "kvm", "version": "fake",
                    "capabilities": {"logical_processors": 2, "memory_bytes": 24 << 30}}
        if method == "host.capabilities":
            return {"reasons": {}}
        if method == "host.limits":
            return {"memory_min": 2 << 20, "memory_max": 16 << 30, "memory_step": 2 << 20, "vcpus_max": 2,
                    "cmdline_max": 255, "reasons": {}}
        if method == "connection.status":
            return {"state": "connected", "reason": ""}
        if method in ("job.list", "alert.list", "alert.rules"):
            return []
        if method == "metrics.history":
            return {"target": params.get("target", "host"), "resolution": 1, "t": [], "series": {}, "markers": []}
        raise Unavailable(f"the fake host has no method '{method}'")

    def subscribe(self, callback):
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    # --- the event stream ----------------------------------------------------------------------------------------
    def run(self, tick: float = 1.0) -> None:
        self._thread = threading.Thread(target=self._run, args=(tick,), name="fake-host-events", daemon=True)
        self._thread.start()

    def _run(self, tick: float) -> None:
        next_t = time.monotonic()
        while not self._stop.wait(max(0.0, next_t - time.monotonic())):
            next_t += tick
            self.emit_tick(time.time())

    def emit_tick(self, t: float) -> None:
        """One tick's events: the metrics sample of every VM, then a few VMs pausing or resuming."""
        self.ticks += 1
        k = self.ticks
        with self._lock:
            # one VM in ten busy (its CPU moves every tick), the others idle at a fraction of a percent
            vms = {r["id"]: {m: (float((k * 7 + i * 13) % 100) if i % 10 == 0 else 0.2 + (i % 3) * 0.01)
                             if m == "cpu_percent" else float(j) for j, m in enumerate(METRICS)}
                   for i, r in enumerate(self.records) if r["state"] == "Running"}
            changed = []
            for j in range(self.state_changes):
                r = self.records[(k * self.state_changes + j) % len(self.records)] if self.records else None
                if r is not None:
                    r["state"] = "Paused" if r["state"] == "Running" else "Running"
                    changed.append({"id": r["id"], "state": r["state"], "reason": ""})
        sample = {"t": t, "host": {"cpu_percent": 20.0, "memory_used": 4 << 30, "memory_total": 24 << 30,
                                   "vms_running": len(vms)}, "vms": vms}
        for cb in list(self._callbacks):
            cb("metrics", sample)
            for event in changed:
                cb("vm.state", event)
