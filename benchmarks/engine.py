"""Partition engine benchmarks; prints one JSON document.

    python benchmarks/engine.py [--backend kvm|emulation] [--quick]

Figures: VM start to first serial byte; µs per exit handled; host memory per idle VM (RSS growth with 50 idle
VMs); guest compute loop vs the same loop natively; host CPU with 100 idle 64 MiB VMs.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.engine import Hypervisor, PartitionConfig, VmState  # noqa: E402
from resources import GUEST_IMAGE  # noqa: E402
from tests.elfkit import make_elf  # noqa: E402
from tests.guestconsole import GuestConsole  # noqa: E402

MiB = 1 << 20


def wait_state(p, state, timeout=60.0):
    deadline = time.monotonic() + timeout
    while p.state is not state:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{p.name} stuck in {p.state}: {p.reason}")
        time.sleep(0.001)


def start_to_first_byte(hv, runs: int) -> dict:
    times = []
    for i in range(runs):
        p = hv.create_partition(PartitionConfig(f"start{i}", 64 * MiB, str(GUEST_IMAGE)))
        first = threading.Event()
        p.on_serial.append(lambda _p, _d, first=first: first.set())
        t0 = time.perf_counter()
        p.start()
        first.wait(30)
        times.append((time.perf_counter() - t0) * 1000)
        p.turn_off()
        hv.remove_partition(p)
    return {"runs": runs, "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2)}


def exit_cost(hv, n: int) -> dict:
    # mov ecx, n ; mov dx, 0x3ff ; loop: out dx, al ; dec ecx ; jnz loop ; mov dx, 0x501 ; xor eax,eax ; out dx,al
    code = (b"\xb9" + n.to_bytes(4, "little") + bytes.fromhex("66baff03" "ee" "ffc9" "75fb" "66ba0105" "31c0" "ee"
                                                               "ebfe"))
    with tempfile.NamedTemporaryFile(suffix=".elf") as f:
        f.write(make_elf(code))
        f.flush()
        p = hv.create_partition(PartitionConfig("exits", 4 * MiB, f.name))
        t0 = time.perf_counter()
        p.start()
        wait_state(p, VmState.OFF)
        elapsed = time.perf_counter() - t0
        hv.remove_partition(p)
    return {"exits": n, "seconds": round(elapsed, 3), "us_per_exit": round(elapsed / n * 1e6, 2),
            "exits_per_s": round(n / elapsed)}


def boot_idle(hv, count: int, memory=64 * MiB) -> list:
    vms = []
    for i in range(count):
        p = hv.create_partition(PartitionConfig(f"idle{i}", memory, str(GUEST_IMAGE)))
        c = GuestConsole(p)
        p.start()
        c.expect(r"bulkhead\$ ", timeout=60)
        c.close()
        vms.append(p)
    return vms


def idle_memory(hv, count: int) -> dict:
    proc = psutil.Process()
    gc.collect()
    time.sleep(0.5)
    before = proc.memory_info().rss
    vms = boot_idle(hv, count)
    time.sleep(2.0)
    after = proc.memory_info().rss
    guest = sum(p.memory.resident_bytes() for p in vms)
    for p in vms:
        p.turn_off()
        hv.remove_partition(p)
    return {"vms": count, "rss_growth_mib": round((after - before) / MiB, 1),
            "per_vm_mib": round((after - before) / count / MiB, 2),
            "guest_resident_per_vm_kib": round(guest / count / 1024)}


def idle_cpu(hv, count: int, window: float) -> dict:
    proc = psutil.Process()
    vms = boot_idle(hv, count)
    time.sleep(2.0)
    c0, t0 = proc.cpu_times(), time.monotonic()
    time.sleep(window)
    c1, t1 = proc.cpu_times(), time.monotonic()
    cpu = (c1.user - c0.user) + (c1.system - c0.system)
    exits = sum(sum(p.snapshot_counters()["exits"].values()) for p in vms)
    for p in vms:
        p.turn_off()
        hv.remove_partition(p)
    return {"vms": count, "window_s": window, "host_cpu_percent_of_one_core": round(100 * cpu / (t1 - t0), 2),
            "host_cpu_percent_of_host": round(100 * cpu / (t1 - t0) / psutil.cpu_count(), 2),
            "exits_total": exits}


def compute_vs_native(hv, iterations: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "native_bench"
        subprocess.run(["gcc", "-O2", "-o", str(exe), str(ROOT / "guest" / "native_bench.c")], check=True)
        native = subprocess.run([str(exe), str(iterations)], capture_output=True, text=True, check=True).stdout.split()
    p = hv.create_partition(PartitionConfig("compute", 64 * MiB, str(GUEST_IMAGE)))
    c = GuestConsole(p)
    p.start()
    c.expect(r"bulkhead\$ ", timeout=60)
    guest = c.command(f"bench cpu {iterations}", timeout=600).split()
    p.turn_off()
    hv.remove_partition(p)
    native_ns, guest_ns = int(native[3]), int(guest[3])
    assert native[5] == guest[5], "guest and native loops disagree"
    return {"iterations": iterations, "native_ms": round(native_ns / 1e6, 1), "guest_ms": round(guest_ns / 1e6, 1),
            "guest_percent_of_native": round(100 * native_ns / guest_ns, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--quick", action="store_true", help="fewer VMs and iterations")
    args = ap.parse_args()
    hv = Hypervisor(args.backend)
    quick = args.quick or hv.backend.name == "emulation"
    result = {
        "backend": hv.backend.name,
        "host": {"cpu": hv.capabilities.cpu_model, "kvm_module": hv.capabilities.kvm_module,
                 "logical_processors": hv.capabilities.logical_processors},
        "start_to_first_serial_byte": start_to_first_byte(hv, 10),
        "exit_cost": exit_cost(hv, 20_000 if quick else 100_000),
        "compute_vs_native": compute_vs_native(hv, 50_000_000 if quick else 500_000_000),
        "idle_memory": idle_memory(hv, 10 if args.quick else 50),
        "idle_cpu": idle_cpu(hv, 20 if args.quick else 100, 5.0 if args.quick else 10.0),
    }
    hv.shutdown()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
