"""From health to action (SCVMM's PRO tips): for a host's CPU or memory pressure alert, the VMs whose move would
relieve the host most, each with the best-rated destination among the other hosts the client is connected to.

    found = suggestions.for_alert(conn, alert, [other, "bulkhead+tls://rack3"], names=["other", "rack3"])
    for s in found["suggestions"]:
        print(s["vm"], s["relief_text"], "->", s["destination"] or "no host can take it")

A host knows nothing of other hosts, so this is the client's work: the alert, the VMs' measured load on the
alerting host (``vm.measure``), and the other hosts' figures rated as the Migrate wizard rates them
(core/hosts/rating.py). ``rank`` is the pure part (figures in, suggestions out); ``for_alert`` gathers the figures
through the protocol and blocks on the hosts (the console calls it off its GUI thread).

- Memory pressure: the running VMs by the memory their move would free there (their resident memory, measured;
  their assigned memory where it was not).
- CPU pressure: the running VMs by their measured CPU, as a share of the host's processors (a VM whose CPU was not
  measured is not suggested: nothing says it would help).
- Each one's destination: the best-rated other host; one rated 0 stars cannot take it, and where every one is 0 the
  suggestion says "no host can take it" with the best one's reason.
"""

from __future__ import annotations

from core.hosts import rating
from core.model.errors import BulkheadError, NotFound, UsageError
from core.model.units import format_size

from . import placement

PRESSURE = {"host_memory_pressure": "memory", "host_cpu_pressure": "cpu"}
LIMIT = 3  # suggestions per alert
RELIEF_WINDOW = 300.0  # seconds of each VM's load averaged (the CPU rule's default duration)
RUNNING = ("Running", "Paused")
ALERTS_MAX = 10_000
NO_HOST = "no host can take it"
NOT_PRESSURE = "only a host's CPU or memory pressure alert has suggestions"


def resource(alert: dict) -> str | None:
    """"memory" or "cpu" for a host pressure alert; None for any other."""
    return PRESSURE.get(str((alert or {}).get("rule") or "")) if isinstance(alert, dict) else None


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def relief(kind: str, vm: dict, here: dict | None = None) -> float | None:
    """What moving ``vm`` frees on its host: bytes of memory ("memory"), or percentage points of the host's CPU
    ("cpu": the VM's CPU on its own processors x processors / the host's logical processors; on one processor's
    scale where the host's count is not known). None when it frees nothing anyone measured (not running, CPU not
    measured)."""
    if vm.get("state") not in RUNNING:
        return None
    if kind == "memory":
        value = _number(vm.get("resident_bytes"))
        return value if value is not None else _number(vm.get("memory_bytes"))
    cpu = _number(vm.get("cpu_percent"))
    if cpu is None:
        return None
    vcpus = int(_number(vm.get("vcpus")) or 1)
    cpus = _processors(here)
    share = min(cpu, 100.0) * vcpus
    return share / cpus if cpus else share


def _in_use(kind: str, here: dict | None) -> float | None:
    """The alerting host's figure in use now, in percent (memory from its free and total, CPU the window's mean)."""
    here = here or {}
    if kind == "memory":
        total, free = _number(here.get("memory_total")), _number(here.get("memory_free"))
        return 100 * (total - free) / total if total and free is not None else None
    values = [v for v in here.get("cpu_history") or [] if _number(v) is not None]
    return sum(values) / len(values) if values else None


def _processors(here: dict | None) -> int | None:
    cpus = (here or {}).get("logical_processors")
    return cpus if isinstance(cpus, int) and not isinstance(cpus, bool) and cpus >= 1 else None


def _relief_text(kind: str, amount: float, here: dict | None) -> str:
    if kind == "memory":
        return f"frees {format_size(int(amount))} of memory"
    if _processors(here):
        return f"frees about {amount:.0f} % of the host's CPU"
    return f"frees about {amount:.0f} % of one processor"


def rank(alert: dict, vms: list[dict], hosts: list[dict], here: dict | None = None, limit: int = LIMIT,
         goal: str = "balance", weights: dict | None = None) -> dict:
    """Suggestions for ``alert`` from ``vms`` (their loads on the alerting host, as placement.vm_load gives them:
    name, id, state, memory_bytes, resident_bytes, vcpus, cpu_percent ...), ``hosts`` (the other hosts' figures, as
    placement.candidate_figures gives them; one marked "current" is the alerting host and is left out) and
    ``here`` (the alerting host's own figures: memory_total, memory_free, cpu_history, logical_processors).

    {"alert", "rule", "resource" ("memory" | "cpu" | None), "in_use" (percent now, or None), "suggestions": [{"vm",
    "vm_id", "state", "relief", "relief_unit" ("bytes", "host_percent": points of the host's CPU, "cpu_percent": of
    one processor), "relief_text", "after_percent" (the host's figure once it
    left, or None), "destination" (a host's name, or None: no host can take it), "uri", "index" (in the
    candidates), "stars", "transfer_type", "why" (the destination's first explanation line, or why none can take
    it), "ratings": the VM's ratings, best first}], "notes": [lines]} - the VMs that would relieve it most first."""
    if not isinstance(alert, dict):
        raise UsageError("the alert must be an object (as alert.list gives it)")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise UsageError(f"limit must be a whole number of at least 1 (got {limit!r:.40})")
    kind = resource(alert)
    out = {"alert": alert.get("id"), "rule": alert.get("rule"), "resource": kind, "in_use": None,
           "suggestions": [], "notes": []}
    if kind is None:
        out["notes"].append(NOT_PRESSURE)
        return out
    if not isinstance(vms, list) or not isinstance(hosts, list):
        raise UsageError("vms and hosts must be lists of figures")
    out["in_use"] = _round(_in_use(kind, here))
    others = [h for h in hosts if isinstance(h, dict) and not h.get("current")]
    scored = [(vm, relief(kind, vm, here)) for vm in vms if isinstance(vm, dict)]
    scored = [(vm, amount) for vm, amount in scored if amount]
    scored.sort(key=lambda item: (-item[1], str(item[0].get("name", ""))))
    if not scored:
        out["notes"].append("no running VM on this host whose " + ("memory" if kind == "memory" else "CPU")
                            + " was measured: nothing to move that would help")
    if not others and scored:
        out["notes"].append("no other host to move VMs to: connect to another host (bulkhead host add URI)")
    total = _number((here or {}).get("memory_total"))
    for vm, amount in scored[:limit]:
        ratings = rating.rate(vm, others, goal, weights) if others else []
        best = next((r for r in ratings if r["suitable"] and r["stars"] > 0), None)
        after = None
        if out["in_use"] is not None:
            freed = (100 * amount / total if total else None) if kind == "memory" else \
                amount if _processors(here) else None
            after = None if freed is None else _round(max(0.0, out["in_use"] - freed))
        if best is not None:
            why = best["explanation"][0] if best["explanation"] else ""
        elif ratings:
            why = f"{NO_HOST}: {ratings[0]['host']}: {ratings[0]['explanation'][0]}" if ratings[0]["explanation"] \
                else NO_HOST
        else:
            why = f"{NO_HOST}: no other host is connected"
        out["suggestions"].append({
            "vm": str(vm.get("name", "")), "vm_id": str(vm.get("id", "")), "state": str(vm.get("state", "")),
            "relief": round(amount, 4), "relief_text": _relief_text(kind, amount, here),
            "relief_unit": "bytes" if kind == "memory" else "host_percent" if _processors(here) else "cpu_percent",
            "after_percent": after,
            "destination": best["host"] if best else None, "uri": best["uri"] if best else "",
            "index": best["index"] if best else None, "stars": best["stars"] if best else 0.0,
            "transfer_type": best["transfer_type"] if best else "", "why": why,
            "ratings": [{"host": r["host"], "uri": r["uri"], "index": r["index"], "stars": r["stars"],
                         "why": r["explanation"][0] if r["explanation"] else ""} for r in ratings]})
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def find_alert(conn, alert_id: int) -> dict:
    """The alert ``alert_id`` of ``conn``'s host (active or in the history); NotFound if it has none such."""
    if isinstance(alert_id, bool) or not isinstance(alert_id, int) or alert_id < 1:
        raise UsageError(f"an alert id is a whole number of at least 1 (got {alert_id!r:.40})", code="alert.id")
    for alert in conn.alerts(include_cleared=True, limit=ALERTS_MAX):
        if alert.get("id") == alert_id:
            return alert
    raise NotFound(f"no alert {alert_id}", code="alert.not_found", alert=alert_id)


def for_alert(conn, alert, candidates: list, names: list[str] | None = None, limit: int = LIMIT,
              window: float = RELIEF_WINDOW, goal: str = "balance", weights: dict | None = None) -> dict:
    """``rank``'s answer for ``alert`` (an alert dict or its id) of ``conn``'s host, the destinations chosen among
    ``candidates`` (Connections or URIs; ``names`` how to call them; the alerting host itself, if listed, is left
    out). Only the VMs that would relieve the host most are read in full (their disks and I/O for the ratings)."""
    if not isinstance(alert, dict):
        alert = find_alert(conn, alert)
    kind = resource(alert)
    if kind is None:
        return rank(alert, [], [], limit=limit)
    if not isinstance(candidates, list):
        raise UsageError("candidates must be a list of connections or URIs")
    rating.check_goal(goal)
    rating.check_weights(weights)
    here = placement.host_figures(conn, window=window)
    first = []
    for v in [v for v in conn.vms() if v.state in RUNNING][:placement.HOST_VMS_MAX]:
        try:
            m = conn.measure_vm(v.name, seconds=window)
        except BulkheadError:
            m = {}
        first.append({"name": v.name, "id": v.id, "state": v.state, "memory_bytes": v.memory, "vcpus": v.vcpus or 1,
                      "resident_bytes": m.get("average_memory_bytes"), "cpu_percent": m.get("average_cpu_percent")})
    first.sort(key=lambda vm: -(relief(kind, vm, here) or 0.0))
    loads = []
    for vm in first[:limit]:
        try:
            load = placement.vm_load(conn, vm["name"], window)
        except NotFound:
            continue  # gone meanwhile
        load.update({k: vm[k] for k in ("resident_bytes", "cpu_percent") if vm.get(k) is not None})
        loads.append(load)
    hosts = placement.candidate_figures(conn, candidates, names, placement.RATING_WINDOW)
    return rank(alert, loads, hosts, here, limit, goal, weights)
