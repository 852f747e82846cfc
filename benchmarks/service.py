"""Host service and command-line benchmarks; prints one JSON document.

    python benchmarks/service.py

Figures: API round trip p50/p99 of `vm list` with 100 VMs (over the Unix socket); creating 100 VMs (jobs, one
client); cold start of `bulkhead --help` and of `bulkhead vm list` (a new Python process each time, the host
service already running).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cold(args, env, runs=15):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, cwd=ROOT, capture_output=True, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return {"runs": runs, "median_ms": round(statistics.median(times), 1), "p90_ms": round(percentile(times, 90), 1)}


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, BULKHEAD_HOME=home, PYTHONPATH=str(ROOT))
        os.environ["BULKHEAD_HOME"] = home
        with api.connect(home) as conn:
            t0 = time.perf_counter()
            jobs = [conn.new_vm(f"vm{i:03d}", memory="32M") for i in range(100)]
            submitted = time.perf_counter() - t0
            for j in jobs:
                j.wait(check=True)
            created = time.perf_counter() - t0
            samples = []
            for _ in range(300):
                t = time.perf_counter()
                vms = conn.vms()
                samples.append((time.perf_counter() - t) * 1000)
            assert len(vms) == 100
            result = {
                "create_100_vms": {"submit_s": round(submitted, 3), "all_done_s": round(created, 3),
                                   "per_vm_ms": round(created * 10, 2)},
                "vm_list_round_trip_100_vms": {"samples": len(samples),
                                               "p50_ms": round(statistics.median(samples), 2),
                                               "p99_ms": round(percentile(samples, 99), 2)},
                "cold_start_help": cold(["--help"], env),
                "cold_start_vm_list": cold(["vm", "list"], env),
                "import_time_core_cli_ms": None,
            }
            out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import core.cli"], env=env, cwd=ROOT,
                                 capture_output=True, text=True).stderr.strip().splitlines()
            result["import_time_core_cli_ms"] = round(int(out[-1].split("|")[1]) / 1000, 1)
            conn.call("host.stop")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
