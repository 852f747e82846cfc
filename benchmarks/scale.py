"""Scale benchmark (issue 17): many running idle VMs on one host service, and the console with them; prints JSON.

    python benchmarks/scale.py [--vms 1000] [--seconds 20] [--parts service,console,cold]

- service: N running idle VMs (32 MiB, the bundled guest) on a host service of their own (a temporary
  BULKHEAD_HOME, 1 s metrics ticks): create-and-start time; the service's CPU while they idle, in % of one core;
  its resident memory beyond the guests' own resident pages, per VM (the guests' RAM is an anonymous mapping of
  exactly their memory size, so /proc/PID/smaps tells their pages apart); `vm.list` over the socket, p50/p99, in
  full and brief (without counters: what the console asks of a long list);
  after `host.stop`, the time until a new service lists the N VMs again.
- console: the main window on a fake host of N VMs in this process (the console's own cost, without the engine's
  threads competing for the GIL) and on 3 hosts of N/3 each: benchmarks/scale_console.py.
- cold: `bulkhead vm list` in a new process against `python -c pass`, run alternately, medians and their ratio.

Goals (issue 17, on a 2-core machine): create+start 1,000 in <= 30 s; idle CPU <= 25 %; <= 0.3 MiB per VM; vm.list
p99 <= 20 ms; restart and list <= 2 s; GUI p99 <= 10 ms, stall <= 50 ms; cold list <= 2x python -c pass.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT / "benchmarks"))
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-scale-bench-"))
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")
os.environ["BULKHEAD_HOME"] = str(TMP / "home")
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
MEMORY = 32 << 20

from figures import stats  # noqa: E402  (shared with the other benchmarks)


def guest_resident_kib(pid: int) -> tuple[int, int]:
    """(resident KiB of the guests' RAM mappings, resident KiB of everything else) of process ``pid``."""
    guests = other = 0
    size = 0
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if line[0] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
                start, end = (int(x, 16) for x in line.split(" ", 1)[0].split("-"))
                size = end - start
            elif line.startswith("Rss:"):
                kib = int(line.split()[1])
                if size == MEMORY:
                    guests += kib
                else:
                    other += kib
    return guests, other


def _tasks(pid: int) -> dict[int, tuple[str, int, int]]:
    """tid -> (kind of thread, CPU nanoseconds, context switches) of process ``pid`` (schedstat: clock ticks are too
    coarse for a thread that wakes once a second); the kind is the thread's OS name (the engine names its vCPU and
    VMBus threads) without the VM's name or numbers: vcpu, vmbus, ..."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                cpu_ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                switches = sum(int(line.split()[1]) for line in f if "ctxt_switches" in line)
        except (OSError, ValueError, IndexError):
            continue
        kind = comm.split(":", 1)[0].rstrip("0123456789-") or comm
        out[int(tid)] = (kind, cpu_ns, switches)
    return out


def thread_profile(pid: int, seconds: float) -> dict:
    """Where the service's CPU goes, by kind of thread: % of one core, wake-ups (context switches) per second."""
    a = _tasks(pid)
    t0 = time.monotonic()
    time.sleep(seconds)
    b = _tasks(pid)
    dt = time.monotonic() - t0
    kinds: dict[str, dict] = {}
    for tid, (kind, cpu, switches) in b.items():
        if tid in a:
            k = kinds.setdefault(kind, {"threads": 0, "cpu_percent": 0.0, "switches_per_s": 0.0})
            k["threads"] += 1
            k["cpu_percent"] += 100 * (cpu - a[tid][1]) / 1e9 / dt
            k["switches_per_s"] += (switches - a[tid][2]) / dt
    return {k: {"threads": v["threads"], "cpu_percent": round(v["cpu_percent"], 1),
                "switches_per_s": round(v["switches_per_s"], 1)}
            for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]["cpu_percent"])}


def wait_running(conn, n: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while (running := sum(vm.state == "Running" for vm in conn.vms())) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {running} of {n} VMs running after {timeout:g} s")
        time.sleep(0.25)


def service_scale(n: int, seconds: float) -> dict:
    import psutil

    from core import api

    os.environ["BULKHEAD_TICK"] = "1"
    conn = api.connect(str(TMP / "home"))
    pid = conn.host_info()["pid"]
    proc = psutil.Process(pid)
    base_guest, base_other = guest_resident_kib(pid)
    t0 = time.monotonic()
    jobs = [conn.new_vm(f"vm{i:04d}", memory=MEMORY, start=True) for i in range(n)]
    for job in jobs:
        job.wait(check=True)
    wait_running(conn, n, 600)
    created = time.monotonic() - t0
    time.sleep(min(10.0, seconds / 2))  # the guests' boot work done, their first samples taken
    c0, w0 = sum(proc.cpu_times()[:2]), time.monotonic()
    time.sleep(seconds)
    cpu = 100 * (sum(proc.cpu_times()[:2]) - c0) / (time.monotonic() - w0)
    profile = thread_profile(pid, min(10.0, seconds))
    guest_kib, other_kib = guest_resident_kib(pid)
    lists, briefs = [], []
    for _ in range(100):
        t = time.perf_counter()
        conn.call("vm.list")
        lists.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        conn.call("vm.list", brief=True)
        briefs.append((time.perf_counter() - t) * 1000)
    threads = proc.num_threads()
    conn.call("host.stop")
    conn.close()
    try:
        proc.wait(120)
    except psutil.Error:
        pass
    t0 = time.monotonic()
    conn = api.connect(str(TMP / "home"))
    listed = len(conn.vms())
    relist = time.monotonic() - t0
    conn.call("host.stop")
    conn.close()
    return {
        "vms": n, "memory_per_vm_mib": MEMORY >> 20, "create_and_start_s": round(created, 2),
        "idle_cpu_percent_of_one_core": round(cpu, 1), "measured_s": seconds, "threads": threads,
        "idle_profile_by_thread": profile,
        "guests_resident_mib": round(guest_kib / 1024, 1),
        "service_beyond_guests_mib_per_vm": round((other_kib - base_other) / 1024 / n, 3),
        "vm_list_ms": stats(lists), "vm_list_brief_ms": stats(briefs),
        "restart_and_list_s": round(relist, 2), "listed_after_restart": listed,
    }


def cold_list(runs: int = 20) -> dict:
    """`bulkhead vm list` in a new process (a service running with a few VMs) against `python -c pass`."""
    from core import api

    conn = api.connect(str(TMP / "cold"))
    for i in range(3):
        conn.new_vm(f"cold{i}", memory="4M").wait(check=True)
    env = os.environ | {"BULKHEAD_HOME": str(TMP / "cold")}
    bulkhead = [sys.executable, "-m", "core.cli", "vm", "list"]
    python = [sys.executable, "-c", "pass"]
    times: dict[str, list[float]] = {"bulkhead vm list": [], "python -c pass": []}
    for _ in range(runs):
        for key, argv in (("bulkhead vm list", bulkhead), ("python -c pass", python)):
            t = time.perf_counter()
            subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            times[key].append((time.perf_counter() - t) * 1000)
    conn.call("host.stop")
    conn.close()
    med = {k: round(statistics.median(v), 1) for k, v in times.items()}
    return {"median_ms": med, "ratio": round(med["bulkhead vm list"] / med["python -c pass"], 2), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vms", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--parts", default="service,console,cold")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    out: dict = {}
    if "cold" in parts:
        out["cold_vm_list"] = cold_list()
    if "service" in parts:
        out["service"] = service_scale(args.vms, args.seconds)
    if "console" in parts:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from scale_console import console_scale

        out["console"] = console_scale(args.vms, args.seconds)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
