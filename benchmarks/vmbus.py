"""Synthetic (VMBus) against emulated (IDE PIO) I/O with the real guest; prints one JSON document.

    python benchmarks/vmbus.py [--backend kvm|emulation]

Disk: the guest's `bench disk` writes then reads through each path with 4 KiB and 64 KiB requests; throughput is
the guest's own measurement, exits come from the partition's counters (exits that reached user space, plus
doorbells the kernel handled through an ioeventfd). Network: round trips of `ping` between two VMs on a private
switch, as frames per second.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.engine import Hypervisor, PartitionConfig  # noqa: E402
from core.engine.storage import create_disk  # noqa: E402
from core.engine.vswitch import VirtualSwitch, mac_for  # noqa: E402
from resources import GUEST_IMAGE  # noqa: E402
from tests.guestconsole import GuestConsole  # noqa: E402

MiB = 1 << 20


def boot(hv, name, **kw):
    cmdline = kw.pop("cmdline", "")
    p = hv.create_partition(PartitionConfig(name, 128 * MiB, str(GUEST_IMAGE), 1, cmdline, **kw))
    c = GuestConsole(p)
    p.start()
    c.expect(r"bulkhead\$ ", timeout=60)
    time.sleep(0.5)
    return p, c


def exits(p) -> int:
    return sum(p.snapshot_counters()["exits"].values())


def doorbells(p) -> int:
    ch = p.snapshot_counters()["devices"].get("vmbus", {}).get("channels", [])
    return sum(c["signals_in"] for c in ch if c["device"] == "storage")


def disk_run(hv, tmp, controller, total_kib, request_kib) -> dict:
    path = f"{tmp}/{controller}-{request_kib}.vhd"
    create_disk(path, 64 * MiB, "dynamic").close()
    p, c = boot(hv, f"disk-{controller}-{request_kib}", disk=path, disk_controller=controller)
    e0, d0 = exits(p), doorbells(p)
    out = c.command(f"bench disk {total_kib} {request_kib} via {controller}", timeout=900)
    e1, d1 = exits(p), doorbells(p)
    p.turn_off()
    hv.remove_partition(p)
    m = re.search(r"write (\d+) B (\d+) ns read (\d+) B (\d+) ns", out)
    wb, wns, rb, rns = (int(x) for x in m.groups())
    mib = (wb + rb) / MiB
    user_exits = e1 - e0
    kernel_doorbells = d1 - d0
    return {"controller": controller, "request_kib": request_kib, "total_kib": total_kib,
            "write_MBps": round(wb / wns * 1e3, 2), "read_MBps": round(rb / rns * 1e3, 2),
            "user_space_exits_per_MiB": round(user_exits / mib, 1),
            "doorbells_per_MiB": round(kernel_doorbells / mib, 1)}


def network_run(hv, count: int) -> dict:
    switch = VirtualSwitch("bench", "private")
    a, ca = boot(hv, "net-a", switch=switch, mac=mac_for("net-a"), cmdline="ip=192.0.2.11")
    b, _ = boot(hv, "net-b", switch=switch, mac=mac_for("net-b"), cmdline="ip=192.0.2.12")
    ca.command("ping 192.0.2.12 3", timeout=60)  # warm the ARP caches
    out = ca.command(f"ping 192.0.2.12 {count} flood", timeout=600)
    elapsed = int(re.search(r"flood (\d+) ns", out).group(1)) / 1e9  # the guest's own clock
    received = int(re.search(r"(\d+) received", out).group(1))
    for p in (a, b):
        p.turn_off()
        hv.remove_partition(p)
    return {"pings": count, "received": received, "seconds": round(elapsed, 3),
            "frames_per_s": round(2 * received / elapsed), "round_trip_ms": round(elapsed / max(1, received) * 1e3, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="auto")
    args = ap.parse_args()
    hv = Hypervisor(args.backend)
    results = {"backend": hv.backend.name, "disk": [], "network": None}
    with tempfile.TemporaryDirectory() as tmp:
        for request_kib in (4, 64):
            results["disk"].append(disk_run(hv, tmp, "emulated", 256, request_kib))
            results["disk"].append(disk_run(hv, tmp, "synthetic", 16384, request_kib))
    for request_kib in (4, 64):
        emu = next(r for r in results["disk"] if r["controller"] == "emulated" and r["request_kib"] == request_kib)
        syn = next(r for r in results["disk"] if r["controller"] == "synthetic" and r["request_kib"] == request_kib)
        results[f"synthetic_vs_emulated_{request_kib}k"] = {
            "throughput_ratio": round((syn["write_MBps"] + syn["read_MBps"]) / (emu["write_MBps"] + emu["read_MBps"]),
                                      1),
            "exit_ratio": round((syn["user_space_exits_per_MiB"] + syn["doorbells_per_MiB"])
                                / max(1e-9, emu["user_space_exits_per_MiB"]), 5)}
    results["network"] = network_run(hv, 1000)
    hv.shutdown()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
