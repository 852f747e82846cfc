"""What the Performance view draws: its panels, the lines in each, their units and axes (Qt-free).

The metric names are the host service's (core/service/metrics.py VM_METRICS and HOST_METRICS). The host's disk,
network and VMBus panels add up its VMs: the parent partition's device providers serve every one of those requests.
"""

from __future__ import annotations

from dataclasses import dataclass

WINDOWS = (("1 min", 60), ("10 min", 600), ("1 h", 3600), ("24 h", 86400))
MiB = float(1 << 20)


@dataclass(frozen=True)
class Line:
    metric: str
    label: str
    axis: str = "left"  # "left" or "right"
    style: str = "solid"  # "solid", "dash" or "dot"
    scale: float = 1.0  # the plotted value is metric * scale (bytes -> MiB)
    unit: str = ""  # of the plotted value, for the readout


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    left: str  # axis label (units)
    right: str  # "" when the panel has no right axis
    lines: tuple[Line, ...]
    y_max: float | None = None  # a fixed range from 0 (CPU percentages)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(line.metric for line in self.lines)


VM_PANELS = (
    Panel("cpu", "CPU", "%", "", (Line("cpu_percent", "guest CPU", unit="%"),), y_max=100),
    Panel("memory", "Memory", "MiB", "dirty MiB/s", (
        Line("memory_assigned", "assigned", style="dash", scale=1 / MiB, unit="MiB"),
        Line("memory_resident", "resident", scale=1 / MiB, unit="MiB"),
        Line("dirty_mib_s", "dirtied", axis="right", style="dot", unit="MiB/s"))),
    Panel("disk", "Disk", "bytes/s", "IOPS", (
        Line("disk_read_bps", "read", unit="B/s"), Line("disk_write_bps", "write", unit="B/s"),
        Line("disk_read_iops", "r ops", axis="right", style="dot", unit="IOPS"),
        Line("disk_write_iops", "w ops", axis="right", style="dash", unit="IOPS"))),
    Panel("network", "Network", "bytes/s", "frames/s", (
        Line("net_rx_bps", "in", unit="B/s"), Line("net_tx_bps", "out", unit="B/s"),
        Line("net_rx_fps", "frames in", axis="right", style="dot", unit="/s"),
        Line("net_tx_fps", "frames out", axis="right", style="dash", unit="/s"))),
    Panel("vmbus", "VMBus and exits", "per second", "", (
        Line("exits_synthetic_ps", "synthetic exits", unit="/s"),
        Line("exits_emulated_ps", "emulated", unit="/s"),
        Line("vmbus_pps", "VMBus packets", style="dash", unit="/s"))),
)

# the host's own metrics, and the VM metrics its panels add up over every VM
HOST_OWN = ("cpu_percent", "service_cpu_percent", "memory_used", "memory_total", "vms_running",
            "storage_free_bytes", "storage_total_bytes")
HOST_SUMMED = ("dirty_mib_s", "disk_read_bps", "disk_write_bps", "disk_read_iops", "disk_write_iops", "net_rx_bps",
               "net_tx_bps", "net_rx_fps", "net_tx_fps", "vmbus_pps", "exits_synthetic_ps", "exits_emulated_ps")
SUM_PREFIX = "vms_"  # a summed VM metric's name in the host's series: vms_disk_read_bps

HOST_PANELS = (
    Panel("cpu", "CPU (host)", "%", "", (
        Line("cpu_percent", "all CPUs", unit="%"),
        Line("service_cpu_percent", "host service", style="dash", unit="%")), y_max=None),
    Panel("memory", "Memory (host)", "MiB", "dirty MiB/s", (
        Line("memory_total", "installed", style="dash", scale=1 / MiB, unit="MiB"),
        Line("memory_used", "in use", scale=1 / MiB, unit="MiB"),
        Line(SUM_PREFIX + "dirty_mib_s", "VMs dirtied", axis="right", style="dot", unit="MiB/s"))),
    Panel("disk", "Disk (all VMs)", "bytes/s", "IOPS", (
        Line(SUM_PREFIX + "disk_read_bps", "read", unit="B/s"),
        Line(SUM_PREFIX + "disk_write_bps", "write", unit="B/s"),
        Line(SUM_PREFIX + "disk_read_iops", "r ops", axis="right", style="dot", unit="IOPS"),
        Line(SUM_PREFIX + "disk_write_iops", "w ops", axis="right", style="dash", unit="IOPS"))),
    Panel("network", "Network (all VMs)", "bytes/s", "frames/s", (
        Line(SUM_PREFIX + "net_rx_bps", "in", unit="B/s"), Line(SUM_PREFIX + "net_tx_bps", "out", unit="B/s"),
        Line(SUM_PREFIX + "net_rx_fps", "frames in", axis="right", style="dot", unit="/s"),
        Line(SUM_PREFIX + "net_tx_fps", "frames out", axis="right", style="dash", unit="/s"))),
    Panel("vmbus", "VMBus and exits (all VMs)", "per second", "", (
        Line(SUM_PREFIX + "exits_synthetic_ps", "synthetic exits", unit="/s"),
        Line(SUM_PREFIX + "exits_emulated_ps", "emulated", unit="/s"),
        Line(SUM_PREFIX + "vmbus_pps", "VMBus packets", style="dash", unit="/s"))),
)
HOST_METRICS = HOST_OWN + tuple(SUM_PREFIX + m for m in HOST_SUMMED)
VM_METRICS = tuple(dict.fromkeys(m for p in VM_PANELS for m in p.metrics))
MARKER_TEXT = {"running": "running", "paused": "paused", "saved": "saved", "off": "off", "critical": "critical",
               "reset": "reset"}
STATE_MARKERS = {"Running": "running", "Paused": "paused", "Saved": "saved", "Off": "off", "Critical": "critical"}


def host_values(sample: dict) -> dict:
    """The host's row of one ``metrics`` event: its own metrics and the sums over its VMs."""
    out = dict(sample.get("host") or {})
    vms = (sample.get("vms") or {}).values()
    for m in HOST_SUMMED:
        values = [v[m] for v in vms if v.get(m) is not None]
        out[SUM_PREFIX + m] = sum(values) if values else None
    return out


def format_value(value: float, unit: str) -> str:
    if value != value:  # NaN: no sample
        return "-"
    if unit in ("B/s", "B"):
        for limit, suffix in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
            if abs(value) >= limit:
                return f"{value / limit:.1f} {suffix}{unit[1:]}"
        return f"{value:.0f} {unit}"
    if unit == "%":
        return f"{value:.1f} %"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}"


def readout(values: dict, host: bool = False) -> list[str]:
    """The values of one sample as short phrases for the readout under the graphs (raw metric values in)."""
    prefix = SUM_PREFIX if host else ""

    def v(metric: str, scale: float = 1.0) -> float:
        x = values.get(metric)
        return float("nan") if x is None else float(x) * scale

    def f(metric: str, unit: str, scale: float = 1.0) -> str:
        return format_value(v(metric, scale), unit)

    def some(*metrics: str) -> bool:
        return any(v(m) == v(m) and v(m) > 0 for m in metrics)

    out = []
    if host:
        out.append(f"CPU {f('cpu_percent', '%')} (host service {f('service_cpu_percent', '%')})")
        out.append(f"memory {f('memory_used', 'MiB', 1 / MiB)} of {f('memory_total', 'MiB', 1 / MiB)} in use, "
                   f"VMs dirtied {f(prefix + 'dirty_mib_s', 'MiB/s')}")
    else:
        out.append(f"CPU {f('cpu_percent', '%')}")
        out.append(f"memory {f('memory_resident', 'MiB', 1 / MiB)} of {f('memory_assigned', 'MiB', 1 / MiB)} "
                   f"resident, dirtied {f('dirty_mib_s', 'MiB/s')}")
    disk = f"disk read {f(prefix + 'disk_read_bps', 'B/s')}, write {f(prefix + 'disk_write_bps', 'B/s')}"
    if some(prefix + "disk_read_iops", prefix + "disk_write_iops"):
        disk += f" ({f(prefix + 'disk_read_iops', '')} / {f(prefix + 'disk_write_iops', '')} IOPS)".replace(" )", ")")
    out.append(disk)
    net = f"network in {f(prefix + 'net_rx_bps', 'B/s')}, out {f(prefix + 'net_tx_bps', 'B/s')}"
    if some(prefix + "net_rx_fps", prefix + "net_tx_fps"):
        net += f" ({f(prefix + 'net_rx_fps', 'frames/s')} in, {f(prefix + 'net_tx_fps', 'frames/s')} out)"
    out.append(net)
    out.append(f"exits {f(prefix + 'exits_synthetic_ps', '/s')} synthetic, {f(prefix + 'exits_emulated_ps', '/s')} "
               f"emulated; VMBus {f(prefix + 'vmbus_pps', 'packets/s')}")
    return out
