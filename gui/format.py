"""Numbers as the console shows them, and CPU usage from counters (no widgets; the words are translated)."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from gui.i18n import QT_TRANSLATE_NOOP, translate

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


# the hosts' backend descriptions (host.info's backend_description), translated where they are shown
BACKENDS = frozenset((
    QT_TRANSLATE_NOOP("Backends", "hardware virtualization (Linux KVM)"),
    QT_TRANSLATE_NOOP("Backends", "CPU emulation (Unicorn): no hardware virtualization in use, guest code runs much "
                                  "slower")))


def backend(description: str | None) -> str:
    """A host's backend description in the console's language (as the host gives it when it is not a known one)."""
    description = description or ""
    return translate("Backends", description) if description in BACKENDS else description


def decimal(value: float, places: int = 1) -> str:
    """A number with ``places`` decimals as the console's language writes it (12.5 in English, 12,5 in German)."""
    return QLocale().toString(float(value), "f", places)


def size(n: int | float | None) -> str:
    if n is None:
        return ""
    n = int(n)
    if n >= GiB and n % GiB == 0:
        return f"{n // GiB} GiB"
    if n >= GiB:
        return f"{decimal(n / GiB)} GiB"
    if n >= MiB:
        return f"{n // MiB} MiB" if n % MiB == 0 else f"{decimal(n / MiB)} MiB"
    if n >= KiB:
        return f"{n / KiB:.0f} KiB"
    return f"{n} B"


def duration(seconds, ms_below: float = 1.0) -> str:
    """A time as a move's figures show it: "850 ms" (under ``ms_below`` seconds), "12.5 s", "3.2 min"; "-" for none."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        return "-"
    if seconds < ms_below:
        return translate("Format", "{ms} ms").format(ms=f"{seconds * 1000:.0f}")
    if seconds < 120:
        return translate("Format", "{s} s").format(s=decimal(seconds))
    return translate("Format", "{min} min").format(min=decimal(seconds / 60))


def rate(bytes_s) -> str:
    """Bytes a second: "11.4 MiB/s"; "-" for none."""
    if not isinstance(bytes_s, (int, float)) or isinstance(bytes_s, bool):
        return "-"
    return translate("Format", "{rate}/s").format(rate=size(int(bytes_s)))


def uptime(seconds: float | None) -> str:
    if not seconds:
        return ""
    s = int(seconds)
    days, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{days}d {text}" if days else text


def cpu_percent(prev_ns: int | None, now_ns: int, prev_wall_ns: int | None, wall_ns: int, vcpus: int) -> float | None:
    """Guest CPU use between two samples: the vCPUs' CPU time over wall time, per vCPU, as 0-100."""
    if prev_ns is None or prev_wall_ns is None or vcpus < 1:
        return None
    wall = wall_ns - prev_wall_ns
    used = now_ns - prev_ns
    if wall <= 0 or used < 0:  # a restart resets the counters
        return None
    return max(0.0, min(100.0, 100.0 * used / wall / vcpus))


def workload_text(workload: str) -> str:
    kind, _, n = (workload or "idle").partition(":")
    if kind == "idle":
        return translate("Format", "Idle")
    if kind == "bursty":
        return translate("Format", "Bursty CPU")
    if kind == "cpu":
        return translate("Format", "Steady CPU load {percent}%").format(percent=n)
    if kind == "dirty":
        return translate("Format", "Memory dirtier {rate} MiB/s").format(rate=n)
    return workload
