"""Loading the history the Performance view starts from (a worker's function: no widgets)."""

from __future__ import annotations

from gui.performance.panels import HOST_SUMMED, SUM_PREFIX, VM_METRICS
from gui.performance.series import sum_histories

HOST = "host"


def fetch(conn, targets: list[str], seconds: float, vm_ids: list[str]) -> dict:
    """Worker: the history of each target. The host's summed panels add up every VM's history."""
    out = {}
    for target in targets:
        if target == HOST:
            h = conn.metrics_history(HOST, seconds)
            parts = []
            for vm in vm_ids:
                try:
                    parts.append(conn.metrics_history(vm, seconds, list(HOST_SUMMED)))
                except Exception:  # noqa: BLE001 - a VM removed meanwhile adds nothing
                    continue
            times, sums = sum_histories(parts, HOST_SUMMED)
            index = {t: i for i, t in enumerate(times)}
            series = dict(h.get("series") or {})
            for m in HOST_SUMMED:
                column = sums[m]
                series[SUM_PREFIX + m] = [column[index[t]] if t in index else None for t in h.get("t") or []]
            h["series"] = series
            out[target] = h
        else:
            out[target] = conn.metrics_history(target, seconds, list(VM_METRICS))
    return out
