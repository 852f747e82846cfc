"""Reading a host's recorded metrics (the live ones come as ``metrics`` events)."""

from __future__ import annotations

from core import api
from gui.i18n import translate
from gui.operations import HostOp


def _cpu_history(conn, vm_ids: list[str], seconds: float) -> dict[str, tuple[list, list]]:
    out = {}
    for vm_id in vm_ids:
        try:
            h = conn.metrics_history(vm_id, seconds, ["cpu_percent"])
        except api.BulkheadError:
            continue  # a VM removed meanwhile, or one the host has no samples of
        out[vm_id] = (h.get("t") or [], (h.get("series") or {}).get("cpu_percent") or [])
    return out


def cpu_history(session, vm_ids: list[str], seconds: float, owner=None) -> HostOp:
    """{vm id: (times, CPU %)} over the last ``seconds``, for the VM list's sparklines."""
    return HostOp(session, _cpu_history, list(vm_ids), float(seconds),
                  title=translate("MetricsOperations", "No CPU history"), owner=owner)


def history(session, target: str, seconds: float, metrics: list[str] | None = None, owner=None) -> HostOp:
    """{"t", "series", "markers", "resolution"} of a VM (id or name) or "host"."""
    return HostOp(session, lambda conn: conn.metrics_history(target, seconds, metrics),
                  title=translate("MetricsOperations", "No metrics history"), owner=owner)
