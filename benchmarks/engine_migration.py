"""Live migration in the engine, two partitions in this process over a socket pair; prints one JSON document.

    python benchmarks/engine_migration.py [--backend auto|kvm|emulation] [--memory-mib 256] [--pattern-mib 192]
                                          [--bandwidth-mib 64] [--downtime-ms 50] [--quick]

A 256 MiB bundled guest first fills most of its memory with a pattern (``pattern fill``), so there is memory to
move; then, idle, dirtying 10 MiB/s and dirtying 50 MiB/s (auto-converge on), it moves with no bandwidth limit and
with one. Per run: rounds, bytes sent, total time, the source's downtime (stopped -> RUNNING heard), the
destination's pause (state restored -> vCPUs started), the guest's own gap (how long its main-loop counter
``bk_ticks`` stood still across the switch-over; the loop wakes every 10 ms when it dirties, once a second when idle, so
the figure is that coarse), the throttle reached, and whether the pattern came through (``pattern check``).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._migration_runs import guest_options  # noqa: E402
from core.engine import Hypervisor, PartitionConfig, VmState  # noqa: E402
from core.engine.partition_migration import MigrationOptions  # noqa: E402
from resources import GUEST_IMAGE  # noqa: E402
from tests.guestconsole import GuestConsole  # noqa: E402

MiB = 1 << 20


class TicksWatch:
    """Samples the guest's main-loop counter in whichever partition holds the VM, every millisecond."""

    def __init__(self, partitions) -> None:
        self.partitions = partitions
        self.address = partitions[0].image.symbols["bk_ticks"]
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _read(self) -> int | None:
        for p in self.partitions:
            if p.state in (VmState.RUNNING, VmState.PAUSED, VmState.PAUSING) and p.memory is not None:
                try:
                    return p.memory.read_u64(self.address)
                except (ValueError, AttributeError):
                    continue
        return None

    def _run(self) -> None:
        while not self._stop.wait(0.001):
            value = self._read()
            if value is not None:
                self.samples.append((time.monotonic(), value))

    def still_across(self, start: float, end: float) -> float | None:
        """The longest time the counter stood still in a stretch that overlaps [start, end] (the switch-over);
        None when it did not move again while watched (an idle guest's loop wakes once a second)."""
        self._stop.set()
        self._thread.join()
        changes = [t for (t, v), (_, w) in zip(self.samples[1:], self.samples) if v != w]
        return max((b - a for a, b in zip(changes, changes[1:]) if a <= end and b >= start), default=None)


def boot(hv, name: str, memory: int, pattern_mib: int, workload: str):
    p = hv.create_partition(PartitionConfig(name, memory, str(GUEST_IMAGE), 1, f"workload={workload}"))
    c = GuestConsole(p)
    p.start()
    c.expect(r"bulkhead\$ ", timeout=60)
    reply = c.command(f"pattern fill {pattern_mib} 7", timeout=60)
    if not reply.startswith("pattern filled"):
        raise RuntimeError(f"the guest did not fill its pattern: {reply}")
    return p, c


def run(hv, args, workload: str, bandwidth: int) -> dict:
    memory = args.memory_mib * MiB
    src, c = boot(hv, "src", memory, args.pattern_mib, workload)
    time.sleep(1.0)  # the workload under way
    dst = hv.create_partition(PartitionConfig("dst", memory, str(GUEST_IMAGE), 1, f"workload={workload}"))
    resident = src.memory.resident_bytes()
    a, b = socket.socketpair()
    got: dict = {}
    t = threading.Thread(target=lambda: got.update(result=dst.migrate_in(b)), daemon=True)
    t.start()
    watch = TicksWatch([src, dst])
    parked: list[float] = []  # when the source stopped the VM for the last pages
    src.on_state.append(lambda _p, _old, new, _r: new is VmState.PAUSING and parked.append(time.monotonic()))
    opts = MigrationOptions(bandwidth=bandwidth, downtime_limit=args.downtime_ms / 1000, auto_converge=True)
    try:
        out = src.migrate_out(a, opts)
    finally:
        t.join(60)
        a.close()
        b.close()
    time.sleep(0.1)  # the counter moves on at the destination
    gap = watch.still_across(parked[0], parked[0] + out["downtime_s"])
    d = GuestConsole(dst)
    d._mark = len(d.text)
    check = d.command("pattern check", timeout=60)
    dst.turn_off()
    hv.remove_partition(src)
    hv.remove_partition(dst)
    c.close()
    d.close()
    link = out["bandwidth"] or 1
    return {
        "workload": workload, "bandwidth_limit_mib_s": bandwidth / MiB if bandwidth else None,
        "resident_mib": round(resident / MiB, 1), "rounds": len(out["rounds"]), "stop_reason": out["stop_reason"],
        "bytes_sent_mib": round(out["bytes_sent"] / MiB, 1), "total_s": round(out["total_s"], 3),
        "downtime_ms": round(out["downtime_s"] * 1000, 2),
        "destination_pause_ms": round((out["destination_pause_s"] or 0) * 1000, 2),
        "guest_gap_ms": None if gap is None else round(gap * 1000, 1),
        "stop_copy_mib": round(out["stop_copy_bytes"] / MiB, 2),
        "throttle_percent": out["throttle"], "measured_bandwidth_mib_s": round(link / MiB, 1),
        "total_over_resident_per_bandwidth": round(out["total_s"] / (resident / link), 2),
        "pattern": check,
        "per_round": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
                      for r in out["rounds"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="auto", choices=("auto", "kvm", "emulation"))
    guest_options(ap, pattern_mib=192)
    ap.add_argument("--bandwidth-mib", type=float, default=64.0, help="the limited runs' bandwidth (MiB/s)")
    ap.add_argument("--quick", action="store_true", help="dirty:10 only, both bandwidths")
    args = ap.parse_args()
    hv = Hypervisor(args.backend)
    workloads = ["dirty:10"] if args.quick else ["idle", "dirty:10", "dirty:50"]
    runs = []
    try:
        for workload in workloads:
            for bandwidth in (0, int(args.bandwidth_mib * MiB)):
                runs.append(run(hv, args, workload, bandwidth))
    finally:
        hv.shutdown()
    print(json.dumps({"backend": hv.backend.name, "memory_mib": args.memory_mib, "pattern_mib": args.pattern_mib,
                      "downtime_limit_ms": args.downtime_ms, "transport": "socketpair (one process)",
                      "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
