"""Placement ratings, as SCVMM's: every candidate host gets 0 to 5 stars in half steps, with an explanation a person
can read, from the host's figures and the VM's expected load.

Pure (figures in, ratings out, no host and no I/O): the client gathers each host's figures (core/api/placement.py)
and the console re-rates at once when the goal or the weights change. The same inputs give the same answer.

- The VM's load (``vm_load``): its assigned memory and processors, its CPU use (percent of its own processors),
  disk space, disk I/O and network, as measured; what was not measured is SCVMM's default: CPU 20 %, disk 2 GB,
  0 IOPS, 0 Mbps.
- Each host (``hosts``): free and total memory, the CPU load history (its mean over the window is used), free and
  total disk space, disk I/O and network in use (against a capacity, assumed 10 000 IOPS and 1000 Mbps where the
  host does not say), its backend, whether it can be reached, and any reason it cannot take the VM at all.
- A host the VM does not fit (memory, processors, disk space), that cannot be reached, or of another kind gets 0
  stars with the reason. Every other host gets at least half a star. Processor time is shared, not reserved: a
  host whose CPU would be over 100 % with the VM still takes it, with the worst CPU score and a line saying so.
- Goal "balance" (load balancing): the emptier a resource stays with the VM placed, the better; goal "maximize"
  (resource maximization, consolidation): the fuller, as long as the VM fits. The resources' scores are averaged
  with the weights (importance) of CPU, memory, disk and network; a host that runs guests under CPU emulation gets
  fewer stars (the guest will run slower there).
"""

from __future__ import annotations

import math

from core.model.errors import UsageError
from core.model.phrase import phrase
from core.model.units import format_size

RESOURCES = ("cpu", "memory", "disk", "network")
GOALS = {"balance": "load balancing", "maximize": "resource maximization"}
DEFAULT_LOAD = {"cpu_percent": 20.0, "disk_bytes": 2 * 10**9, "disk_iops": 0.0, "network_mbps": 0.0}
DISK_IOPS_CAPACITY = 10_000.0
NETWORK_CAPACITY_MBPS = 1000.0
EMULATION_FACTOR = 0.6  # stars kept on a host that emulates the CPU
WEIGHT_MAX = 100.0
SLOWER = "the guest will run slower under emulation"
RUNNING = ("Running", "Paused")


def _finite(value, what: str, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < low:
        raise UsageError(f"{what} must be a finite number of at least {low:g} (got {value!r:.40})")
    return float(value)


def _optional(figures: dict, key: str, what: str) -> float | None:
    value = figures.get(key)
    return None if value is None else _finite(value, what)


def check_goal(goal: str) -> str:
    if goal not in GOALS:
        raise UsageError(f"goal must be balance (load balancing) or maximize (resource maximization) "
                         f"(got {goal!r:.40})")
    return goal


def check_weights(weights: dict | None) -> dict[str, float]:
    """The importance of each resource (1 each unless given); UsageError for an unknown resource, a weight outside
    0..100, or all of them 0."""
    out = dict.fromkeys(RESOURCES, 1.0)
    if weights is None:
        return out
    if not isinstance(weights, dict):
        raise UsageError("weights must map cpu, memory, disk and network to numbers")
    for key, value in weights.items():
        if key not in out:
            raise UsageError(f"unknown resource {key!r:.40} in weights (choose {', '.join(RESOURCES)})")
        out[key] = _finite(value, f"the weight of {key}")
        if out[key] > WEIGHT_MAX:
            raise UsageError(f"the weight of {key} must be at most {WEIGHT_MAX:g} (got {value:g})")
    if not any(out.values()):
        raise UsageError("give at least one resource a weight above 0")
    return out


def expected_load(vm_load: dict) -> dict:
    """The VM's load with SCVMM's defaults for what was not measured, and "defaults": the keys that were filled."""
    if not isinstance(vm_load, dict):
        raise UsageError("the VM's load must be an object")
    load = {"name": str(vm_load.get("name", "")), "state": str(vm_load.get("state", "")),
            "kind": str(vm_load.get("kind", "")),
            "memory_bytes": _finite(vm_load.get("memory_bytes", 0), "the VM's memory (bytes)"),
            "vcpus": int(_finite(vm_load.get("vcpus", 1), "the VM's processors", 1))}
    filled = []
    for key, default in DEFAULT_LOAD.items():
        value = vm_load.get(key)
        if value is None:
            filled.append(key)
            value = default
        load[key] = _finite(value, f"the VM's {key.replace('_', ' ')}")
    load["cpu_percent"] = min(load["cpu_percent"], 100.0)
    load["defaults"] = filled
    return load


def half_stars(value: float) -> float:
    """``value`` (0..5) to the nearest half star, halves rounded up (3.25 -> 3.5, 3.74 -> 3.5, 3.75 -> 4.0)."""
    return max(0.0, min(5.0, math.floor(value * 2 + 0.5 + 1e-9) / 2))


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.0f} %"


def transfer_type(load: dict, host: dict) -> str:
    """How the VM would move there (SCVMM's Transfer Type): live for a running or paused VM where live moves are
    taken, quick where they are not, network for a VM that is off or saved (its files are copied), storage on the
    VM's own host."""
    if host.get("current"):
        return "storage"
    if load["state"] in RUNNING:
        return "live" if host.get("live", True) else "quick"
    return "network"


def rate(vm_load: dict, hosts: list[dict], goal: str = "balance", weights: dict | None = None) -> list[dict]:
    """Ratings of ``hosts`` (figures as core/api/placement.py gathers them) for a VM with ``vm_load``, best first:
    [{"host", "uri", "index" (as given), "stars" (0..5 in 0.5 steps), "suitable", "explanation": [lines],
    "transfer_type", "score" (0..1),
    "backend", "memory_free", "cpu_percent", "cpu_history", "utilization": {resource: fraction after placing the
    VM, or None}}]."""
    goal = check_goal(goal)
    w = check_weights(weights)
    load = expected_load(vm_load)
    if not isinstance(hosts, list):
        raise UsageError("hosts must be a list of host figures")
    out = [_rate_one(load, h, goal, w) for h in hosts]
    out.sort(key=lambda r: (-r["stars"], -r["score"], r["host"]))
    return out


def _cpu_mean(history) -> float | None:
    values = [v for v in history or [] if isinstance(v, (int, float)) and not isinstance(v, bool)
              and math.isfinite(v)]
    return sum(values) / len(values) if values else None


def _rate_one(load: dict, h: dict, goal: str, w: dict[str, float]) -> dict:
    if not isinstance(h, dict):
        raise UsageError("each host's figures must be an object")
    name = str(h.get("host") or h.get("name") or "?")
    current = bool(h.get("current"))
    refused = [p if isinstance(p, str) else str(p) for p in h.get("problems") or []]
    if h.get("reachable") is False:
        refused.insert(0, phrase("cannot reach {host}: {why}", host=name, why=h.get("error") or phrase("no answer")))
    if load["kind"] and h.get("kind") and h["kind"] != load["kind"]:
        refused.append(_kind_reason(load["kind"], h["kind"]))
    figures = _utilization(load, h, current, refused) if h.get("reachable") is not False else {}
    used = {r: figures.get(r) for r in RESOURCES}
    score = _score(used, goal, w, bool(figures.get("cpu_over")))
    backend = str(h.get("backend") or "")
    emulated = "emulation" in backend or h.get("kvm") is False
    raw = 5 * score * (EMULATION_FACTOR if emulated else 1.0)
    suitable = not refused
    stars = max(0.5, half_stars(raw)) if suitable else 0.0
    lines = list(refused) if refused else [_summary(stars, goal, used)]
    lines += figures.get("lines", [])
    if emulated:
        lines.append(phrase("Backend: CPU emulation: the guest will run slower under emulation (fewer stars)"))
    elif backend:
        lines.append(phrase("Backend: {backend}", backend=backend))
    if current:
        lines.append(phrase("The VM runs here now: only its storage can move"))
    if load["defaults"]:
        lines.append(phrase("Not measured for this VM, SCVMM's defaults assumed: {defaults}",
                            defaults=tuple(_default_words(k) for k in load["defaults"])))
    return {"host": name, "uri": str(h.get("uri") or ""), "index": h.get("index"), "stars": stars,
            "suitable": suitable, "explanation": lines,
            "transfer_type": transfer_type(load, h), "score": round(score, 4), "backend": backend,
            "memory_free": h.get("memory_free"), "cpu_percent": _round(_cpu_mean(h.get("cpu_history"))),
            "cpu_history": list(h.get("cpu_history") or []), "utilization": {r: _round(v) for r, v in used.items()}}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _default_words(key: str) -> str:
    return {"cpu_percent": phrase("CPU 20 %"), "disk_bytes": phrase("disk 2 GB"), "disk_iops": phrase("0 IOPS"),
            "network_mbps": phrase("0 Mbps")}[key]


def _kind_reason(vm_kind: str, host_kind: str) -> str:
    if vm_kind == "bulkhead":
        return phrase("a libvirt host cannot run this engine's VMs: choose a Bulkhead host")
    return phrase("the embedded engine cannot boot a libvirt domain's operating system: choose a libvirt host")


def _in_use(resource: str, fraction: float) -> str:
    percent = _pct(fraction)
    if resource == "cpu":
        return phrase("cpu {percent}", percent=percent)
    if resource == "memory":
        return phrase("memory {percent}", percent=percent)
    if resource == "disk":
        return phrase("disk {percent}", percent=percent)
    return phrase("network {percent}", percent=percent)


def _summary(stars: float, goal: str, used: dict) -> str:
    shown = tuple(_in_use(r, v) for r, v in used.items() if v is not None)
    n = f"{stars:g}"
    if goal == "balance":
        return (phrase("{stars} stars for load balancing: {shown} in use with this VM", stars=n, shown=shown)
                if shown else phrase("{stars} stars for load balancing", stars=n))
    return (phrase("{stars} stars for resource maximization: {shown} in use with this VM", stars=n, shown=shown)
            if shown else phrase("{stars} stars for resource maximization", stars=n))


def _score(used: dict, goal: str, w: dict[str, float], over_cpu: bool = False) -> float:
    """The weighted mean of the resources' scores: how empty (balance) or how full (maximize) each stays; a
    resource the host did not report counts half; CPU over-committed (over 100 % with the VM) counts 0."""
    total = sum(w.values())
    value = 0.0
    for r in RESOURCES:
        u = used[r]
        s = 0.5 if u is None else min(1.0, max(0.0, 1.0 - u if goal == "balance" else u))
        if r == "cpu" and over_cpu:
            s = 0.0
        value += w[r] * s
    return value / total


def _utilization(load: dict, h: dict, current: bool, refused: list[str]) -> dict:
    """Each resource's fraction in use once the VM is placed (its load is in the figures already on its own host),
    the explanation's lines, and in ``refused`` why it does not fit."""
    lines: list[str] = []
    out: dict = {"lines": lines}
    # memory
    need = 0.0 if current else load["memory_bytes"]
    total, free = _optional(h, "memory_total", "memory total"), _optional(h, "memory_free", "free memory")
    memory_max = _optional(h, "memory_max", "memory per VM")
    if memory_max is not None and load["memory_bytes"] > memory_max:
        refused.append(phrase("the VM has {memory} of memory; this host allows at most {most} per VM",
                              memory=format_size(int(load["memory_bytes"])), most=format_size(int(memory_max))))
    if free is None or not total:
        lines.append(phrase("Memory: not reported by this host"))
    else:
        if need > free:
            refused.append(phrase("the VM needs {need} of memory; this host has {free} free",
                                  need=format_size(int(need)), free=format_size(int(free))))
        out["memory"] = min(1.0, (total - free + need) / total)
        sizes = {"free": format_size(int(free)), "total": format_size(int(total))}
        lines.append(phrase("Memory: {free} free of {total}, {after} after",
                            after=format_size(int(max(0.0, free - need))), **sizes) if need else
                     phrase("Memory: {free} free of {total}", **sizes))
    # processors and CPU
    vcpus_max = h.get("vcpus_max")
    if isinstance(vcpus_max, int) and not isinstance(vcpus_max, bool) and load["vcpus"] > vcpus_max:
        refused.append(phrase("the VM has {vcpus} virtual processors; this host allows at most {most}",
                              vcpus=str(load["vcpus"]), most=str(vcpus_max)))
    cpus = h.get("logical_processors")
    mean = _cpu_mean(h.get("cpu_history"))
    if mean is None or not isinstance(cpus, int) or cpus < 1:
        lines.append(phrase("CPU: no load measured yet on this host"))
    else:
        added = 0.0 if current else load["cpu_percent"] * load["vcpus"] / cpus
        after = mean + added
        out["cpu"] = min(1.0, after / 100)
        lines.append(phrase("CPU: {mean} % on average over the window, {after} % with this VM ({cpus} logical "
                            "processors)", mean=f"{mean:.0f}", after=f"{after:.0f}", cpus=str(cpus)))
        if after > 100:  # processor time is shared, not reserved: it fits, but counts as the worst CPU score
            out["cpu_over"] = True
            lines.append(phrase("CPU would be over-committed ({after} %): the VM's guests would wait for processor "
                                "time", after=f"{after:.0f}"))
    # disk space and I/O
    disk_need = 0.0 if current else load["disk_bytes"]
    space_total = _optional(h, "storage_total", "disk space total")
    space_free = _optional(h, "storage_free", "free disk space")
    parts = []
    if space_free is not None and space_total:
        if disk_need > space_free:
            refused.append(phrase("the VM needs {need} of disk space; this host has {free} free",
                                  need=format_size(int(disk_need)), free=format_size(int(space_free))))
        parts.append(min(1.0, (space_total - space_free + disk_need) / space_total))
        lines.append(phrase("Disk: {free} free of {total}, {need} needed", free=format_size(int(space_free)),
                            total=format_size(int(space_total)), need=format_size(int(disk_need))))
    else:
        lines.append(phrase("Disk space: not reported by this host"))
    iops = _optional(h, "disk_iops", "disk I/O")
    if iops is not None:
        capacity = _optional(h, "disk_iops_capacity", "disk I/O capacity") or DISK_IOPS_CAPACITY
        added = 0.0 if current else load["disk_iops"]
        parts.append(min(1.0, (iops + added) / capacity))
        lines.append(phrase("Disk I/O: {iops} IOPS with this VM of {capacity}", iops=f"{iops + added:.0f}",
                            capacity=f"{capacity:.0f}"))
    out["disk"] = max(parts) if parts else None
    # network
    mbps = _optional(h, "network_mbps", "network")
    if mbps is None:
        lines.append(phrase("Network: not reported by this host"))
    else:
        capacity = _optional(h, "network_capacity_mbps", "network capacity") or NETWORK_CAPACITY_MBPS
        added = 0.0 if current else load["network_mbps"]
        out["network"] = min(1.0, (mbps + added) / capacity)
        lines.append(phrase("Network: {mbps} Mbps with this VM of {capacity} Mbps", mbps=f"{mbps + added:.1f}",
                            capacity=f"{capacity:.0f}"))
    return out
