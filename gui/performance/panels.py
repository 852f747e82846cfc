"""What the Performance view draws: its panels, the lines in each, their units and axes (no widgets).

The metric names are the host's (core/hosts/metrics.py VM_METRICS and HOST_METRICS). The host's disk, network and
VMBus panels add up its VMs: the parent partition's device providers serve every one of those requests. Titles,
labels and readout phrases are marked for translation (context "Performance") and translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gui.i18n import QT_TRANSLATE_NOOP, translate

WINDOWS = ((QT_TRANSLATE_NOOP("Performance", "Last 1 min"), 60), (QT_TRANSLATE_NOOP("Performance", "Last 10 min"), 600),
           (QT_TRANSLATE_NOOP("Performance", "Last 1 h"), 3600), (QT_TRANSLATE_NOOP("Performance", "Last 24 h"), 86400))
MiB = float(1 << 20)




@dataclass(frozen=True)
class Line:
    metric: str
    label: str
    axis: str = "left"  # "left" or "right"
    style: str = "solid"  # "solid", "dash" or "dot"
    scale: float = 1.0  # the plotted value is metric * scale (bytes -> MiB)
    unit: str = ""  # of the plotted value, for the readout

    def shown_label(self) -> str:
        return translate("Performance", self.label)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    left: str  # axis label (units)
    right: str  # "" when the panel has no right axis
    lines: tuple[Line, ...]
    y_max: float | None = None  # a fixed range from 0 (CPU percentages)
    left_unit: str = ""  # the unit of an axis whose label says more ("% of all CPUs" is in "%"); "" = the label
    right_unit: str = ""

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(line.metric for line in self.lines)

    def unit(self, axis: str) -> str:
        """The unit of the "left" or "right" axis (ranges start from at least 100 for "%", 1 KiB for bytes/s)."""
        return (self.left_unit or self.left) if axis == "left" else (self.right_unit or self.right)

    def shown_title(self) -> str:
        return translate("Performance", self.title)


VM_PANELS = (
    Panel("cpu", QT_TRANSLATE_NOOP("Performance", "CPU"), "%", "", (
        Line("cpu_percent", QT_TRANSLATE_NOOP("Performance", "guest CPU"), unit="%"),), y_max=100),
    Panel("memory", QT_TRANSLATE_NOOP("Performance", "Memory"), "MiB",
          QT_TRANSLATE_NOOP("Performance", "dirty MiB/s"), (
        Line("memory_assigned", QT_TRANSLATE_NOOP("Performance", "assigned"), style="dash", scale=1 / MiB,
             unit="MiB"),
        Line("memory_resident", QT_TRANSLATE_NOOP("Performance", "resident"), scale=1 / MiB, unit="MiB"),
        Line("dirty_mib_s", QT_TRANSLATE_NOOP("Performance", "dirtied"), axis="right", style="dot", unit="MiB/s"))),
    Panel("disk", QT_TRANSLATE_NOOP("Performance", "Disk"), QT_TRANSLATE_NOOP("Performance", "bytes/s"), "IOPS", (
        Line("disk_read_bps", QT_TRANSLATE_NOOP("Performance", "read"), unit="B/s"),
        Line("disk_write_bps", QT_TRANSLATE_NOOP("Performance", "write"), unit="B/s"),
        Line("disk_read_iops", QT_TRANSLATE_NOOP("Performance", "r ops"), axis="right", style="dot", unit="IOPS"),
        Line("disk_write_iops", QT_TRANSLATE_NOOP("Performance", "w ops"), axis="right", style="dash", unit="IOPS"))),
    Panel("network", QT_TRANSLATE_NOOP("Performance", "Network"), QT_TRANSLATE_NOOP("Performance", "bytes/s"),
          QT_TRANSLATE_NOOP("Performance", "frames/s"), (
              Line("net_rx_bps", QT_TRANSLATE_NOOP("Performance", "in"), unit="B/s"),
              Line("net_tx_bps", QT_TRANSLATE_NOOP("Performance", "out"), unit="B/s"),
              Line("net_rx_fps", QT_TRANSLATE_NOOP("Performance", "frames in"), axis="right", style="dot", unit="/s"),
              Line("net_tx_fps", QT_TRANSLATE_NOOP("Performance", "frames out"), axis="right", style="dash",
                   unit="/s"))),
    Panel("vmbus", QT_TRANSLATE_NOOP("Performance", "VMBus and exits"), QT_TRANSLATE_NOOP("Performance", "per second"),
          "", (
              Line("exits_synthetic_ps", QT_TRANSLATE_NOOP("Performance", "synthetic exits"), unit="/s"),
              Line("exits_emulated_ps", QT_TRANSLATE_NOOP("Performance", "emulated"), unit="/s"),
              Line("vmbus_pps", QT_TRANSLATE_NOOP("Performance", "VMBus packets"), style="dash", unit="/s"))),
)

# the host's own metrics, and the VM metrics its panels add up over every VM
HOST_OWN = ("cpu_percent", "service_cpu_percent", "memory_used", "memory_total", "vms_running",
            "storage_free_bytes", "storage_total_bytes")
HOST_SUMMED = ("dirty_mib_s", "disk_read_bps", "disk_write_bps", "disk_read_iops", "disk_write_iops", "net_rx_bps",
               "net_tx_bps", "net_rx_fps", "net_tx_fps", "vmbus_pps", "exits_synthetic_ps", "exits_emulated_ps")
SUM_PREFIX = "vms_"  # a summed VM metric's name in the host's series: vms_disk_read_bps


def _summed(panel: Panel, title: str) -> Panel:
    """A VM panel as the host shows it: the same lines over the sums of every VM's metric."""
    return replace(panel, title=title, lines=tuple(replace(line, metric=SUM_PREFIX + line.metric)
                                                   for line in panel.lines))


_VM = {p.key: p for p in VM_PANELS}
HOST_PANELS = (
    # two scales, each on its own axis and said in the legend: the machine's CPUs together (0-100 %) and the host
    # service's threads, counted as a process monitor counts them (100 % = one core busy, 200 % = two)
    Panel("cpu", QT_TRANSLATE_NOOP("Performance", "CPU (host)"), QT_TRANSLATE_NOOP("Performance", "% of all CPUs"),
          QT_TRANSLATE_NOOP("Performance", "% of one core"), (
              Line("cpu_percent", QT_TRANSLATE_NOOP("Performance", "all CPUs (% of the machine)"), unit="%"),
              Line("service_cpu_percent", QT_TRANSLATE_NOOP("Performance", "host service (% of one core)"),
                   axis="right", style="dash", unit="%")),
          y_max=100, left_unit="%", right_unit="%"),
    Panel("memory", QT_TRANSLATE_NOOP("Performance", "Memory (host)"), "MiB",
          QT_TRANSLATE_NOOP("Performance", "dirty MiB/s"), (
              Line("memory_total", QT_TRANSLATE_NOOP("Performance", "installed"), style="dash", scale=1 / MiB,
                   unit="MiB"),
              Line("memory_used", QT_TRANSLATE_NOOP("Performance", "in use"), scale=1 / MiB, unit="MiB"),
              Line(SUM_PREFIX + "dirty_mib_s", QT_TRANSLATE_NOOP("Performance", "VMs dirtied"), axis="right",
                   style="dot", unit="MiB/s"))),
    _summed(_VM["disk"], QT_TRANSLATE_NOOP("Performance", "Disk (all VMs)")),
    _summed(_VM["network"], QT_TRANSLATE_NOOP("Performance", "Network (all VMs)")),
    _summed(_VM["vmbus"], QT_TRANSLATE_NOOP("Performance", "VMBus and exits (all VMs)")),
)
HOST_METRICS = HOST_OWN + tuple(SUM_PREFIX + m for m in HOST_SUMMED)
VM_METRICS = tuple(dict.fromkeys(m for p in VM_PANELS for m in p.metrics))
MARKER_TEXT = {"running": QT_TRANSLATE_NOOP("Performance", "running"),
               "paused": QT_TRANSLATE_NOOP("Performance", "paused"), "saved": QT_TRANSLATE_NOOP("Performance", "saved"),
               "off": QT_TRANSLATE_NOOP("Performance", "off"), "critical": QT_TRANSLATE_NOOP("Performance", "critical"),
               "reset": QT_TRANSLATE_NOOP("Performance", "reset")}
STATE_MARKERS = {"Running": "running", "Paused": "paused", "Saved": "saved", "Off": "off", "Critical": "critical"}


def marker_text(kind: str) -> str:
    return translate("Performance", MARKER_TEXT.get(kind, kind))


def window_label(label: str) -> str:
    return translate("Performance", label)


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
        out.append(translate("Performance", "CPU {cpu} of the machine (host service {service} of one core)").format(
            cpu=f("cpu_percent", "%"), service=f("service_cpu_percent", "%")))
        out.append(translate("Performance", "memory {used} of {total} in use, VMs dirtied {dirtied}").format(
            used=f("memory_used", "MiB", 1 / MiB), total=f("memory_total", "MiB", 1 / MiB),
            dirtied=f(prefix + "dirty_mib_s", "MiB/s")))
    else:
        out.append(translate("Performance", "CPU {cpu}").format(cpu=f("cpu_percent", "%")))
        out.append(translate("Performance", "memory {resident} of {assigned} resident, dirtied {dirtied}").format(
            resident=f("memory_resident", "MiB", 1 / MiB), assigned=f("memory_assigned", "MiB", 1 / MiB),
            dirtied=f("dirty_mib_s", "MiB/s")))
    disk = translate("Performance", "disk read {read}, write {write}").format(
        read=f(prefix + "disk_read_bps", "B/s"), write=f(prefix + "disk_write_bps", "B/s"))
    if some(prefix + "disk_read_iops", prefix + "disk_write_iops"):
        disk += " " + translate("Performance", "({read} / {write} IOPS)").format(
            read=f(prefix + "disk_read_iops", "").strip(), write=f(prefix + "disk_write_iops", "").strip())
    out.append(disk)
    net = translate("Performance", "network in {rx}, out {tx}").format(
        rx=f(prefix + "net_rx_bps", "B/s"), tx=f(prefix + "net_tx_bps", "B/s"))
    if some(prefix + "net_rx_fps", prefix + "net_tx_fps"):
        net += " " + translate("Performance", "({rx} in, {tx} out)").format(
            rx=f(prefix + "net_rx_fps", "frames/s"), tx=f(prefix + "net_tx_fps", "frames/s"))
    out.append(net)
    out.append(translate("Performance", "exits {synthetic} synthetic, {emulated} emulated; VMBus {vmbus}").format(
        synthetic=f(prefix + "exits_synthetic_ps", "/s"), emulated=f(prefix + "exits_emulated_ps", "/s"),
        vmbus=f(prefix + "vmbus_pps", "packets/s")))
    return out
