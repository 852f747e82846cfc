"""The alert conditions of a metrics tick, one set for every kind of host.

They are worked out from the tick's rates (the ``metrics`` sample) and a few facts each host supplies about its
VMs, so a new kind of host gets every rule by saying what it knows:

- per VM (``facts``, keyed like the sample's VMs): ``name``; ``state`` (a core.model.states.VmState value);
  ``reason`` (why it is Critical); ``heartbeat`` (Hyper-V's status, None without the integration service);
  ``device_failures`` ({device: reason}); ``disk`` ((path, percent allocated) of a dynamic disk, or None);
- of the host (``where``): ``host``, how messages name it ("host", a libvirt URI); ``storage``, the folder whose
  file system the storage figures measure ("" when the host reports none).

A fact a host does not know is simply absent, and the rules that need it hold nothing there.
"""

from __future__ import annotations

from core.model.states import VmState

LOST = "Lost Communication"
CRITICAL = VmState.CRITICAL.value


def conditions(rules: dict, sample: dict, facts: dict, where: dict | None = None) -> dict:
    """(rule, target) -> (target name, message, value) for every condition that holds now (AlertManager.evaluate
    takes it)."""
    where = where or {}
    out: dict = {}
    cpu_high = rules["cpu_high"].threshold
    pressure = rules["vm_memory_pressure"].threshold
    for uid, values in sample.get("vms", {}).items():
        fact = facts.get(uid)
        name = fact["name"] if fact else uid
        cpu = values.get("cpu_percent")
        if cpu is not None and cpu > cpu_high:
            out[("cpu_high", uid)] = (name, f"VM '{name}' CPU at {cpu:.0f}%", cpu)
        resident, assigned = values.get("memory_resident"), values.get("memory_assigned")
        if resident and assigned and 100 * resident / assigned > pressure:
            out[("vm_memory_pressure", uid)] = (
                name, f"VM '{name}' uses {100 * resident / assigned:.0f}% of its memory", resident)
    disk_full = rules["disk_nearly_full"].threshold
    for uid, fact in facts.items():
        name = fact["name"]
        if fact.get("heartbeat") == LOST:
            out[("heartbeat_lost", uid)] = (name, f"VM '{name}' heartbeat lost ({LOST})", None)
        if fact.get("state") == CRITICAL:
            out[("vm_critical", uid)] = (name, f"VM '{name}' is Critical: {fact.get('reason', '')}", None)
        for device, reason in (fact.get("device_failures") or {}).items():
            out[("device_failed", f"{uid}:{device}")] = (name, f"VM '{name}' {device} failed: {reason}", None)
        disk = fact.get("disk")
        if disk is not None and disk[1] > disk_full:
            out[("disk_nearly_full", uid)] = (name, f"VM '{name}' disk {disk[0]} is {disk[1]:.0f}% allocated",
                                              disk[1])
    host = sample.get("host", {})
    label = where.get("host", "host")
    if host.get("memory_total") and host.get("memory_used") is not None:
        used = 100 * host["memory_used"] / host["memory_total"]
        if used > rules["host_memory_pressure"].threshold:
            out[("host_memory_pressure", "host")] = ("host", f"{label} memory {used:.0f}% in use", used)
    cpu_rule = rules.get("host_cpu_pressure")
    cpu = host.get("cpu_percent")
    if cpu_rule is not None and cpu is not None and cpu > cpu_rule.threshold:
        out[("host_cpu_pressure", "host")] = ("host", f"{label} CPU {cpu:.0f}% in use", cpu)
    if host.get("storage_total_bytes") and host.get("storage_free_bytes") is not None:
        used = 100 * (1 - host["storage_free_bytes"] / host["storage_total_bytes"])
        if used > rules["host_storage_nearly_full"].threshold:
            storage = where.get("storage")
            out[("host_storage_nearly_full", "host")] = (
                "host", f"{label} storage {used:.0f}% used" + (f" ({storage})" if storage else ""), used)
    return out
