"""Metrics sampling cost; prints one JSON document.

    python benchmarks/metrics.py [--vms 100] [--seconds 30]

Boots N idle VMs (64 MiB, bundled guest with integration services) in an embedded host service and lets the
sampler tick every second: the CPU the sampler thread spends per tick (thread CPU clock), the wall time per pass,
and the memory its ring buffers hold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vms", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home, api.connect(home, embedded=True) as conn:
        service = conn._transport.service
        jobs = [conn.new_vm(f"vm{i:03d}", memory="64M", start=True) for i in range(args.vms)]
        for job in jobs:
            job.wait(check=True)
        time.sleep(5)
        sampler = service.sampler
        cpu0, n0 = sampler.cpu_seconds, len(sampler.tick_seconds)
        t0 = time.monotonic()
        time.sleep(args.seconds)
        elapsed = time.monotonic() - t0
        cpu = sampler.cpu_seconds - cpu0
        ticks = sampler.tick_seconds[n0 - len(sampler.tick_seconds):] if n0 else sampler.tick_seconds
        running = sum(1 for v in conn.vms() if v.state == "Running")
        result = {
            "vms_running": running, "window_s": round(elapsed, 1), "ticks": len(ticks),
            "sampler_cpu_percent_of_one_core": round(100 * cpu / elapsed, 3),
            "sampler_cpu_ms_per_tick": round(1000 * cpu / max(1, len(ticks)), 3),
            "pass_wall_ms_median": round(1000 * statistics.median(ticks), 2),
            "pass_wall_ms_max": round(1000 * max(ticks), 2),
            "ring_buffer_mib": round(service.metrics.memory_bytes() / (1 << 20), 2),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
