"""Storage migration of a running VM's 1 GiB dynamic disk while its guest writes; prints one JSON document.

    python benchmarks/storage_move.py [--backend kvm|emulation] [--size 1G] [--bench-kib 16384] [--runs 3]
                                      [--bandwidth 0] [--dir /var/tmp]

An embedded host (the host service in this process) makes the disk and fills every block, starts a VM on it and
keeps its guest writing: `bench disk N` (N KiB written from sector 2048, then read back and checked) again and
again from the console. After a few runs alone, `vm.move.storage` moves the disk to another folder; the guest's
runs go on through the move and after it. Figures: the job's total time, rounds and bytes copied, the final pause
(the guest's vCPUs parked while the last blocks were copied and the disk switched), and the guest's own write and
read throughput before, during and after the move. Every run reads back what it wrote, so a lost write during the
switch would fail it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchFailed, Writer, disk_bench  # noqa: E402
from core import api  # noqa: E402
from core.engine.storage import open_disk  # noqa: E402
from core.model.units import parse_size  # noqa: E402
from tests.guestconsole import GuestConsole  # noqa: E402

MiB = 1 << 20


def fill(path: str) -> None:
    """Every 2 MiB block of the image written (a pattern per block), so round 0 copies the whole disk."""
    with open_disk(path) as disk:
        chunk = 2 * MiB
        for offset in range(0, disk.size, chunk):
            n = min(chunk, disk.size - offset)
            disk.write(offset // 512, (offset // chunk).to_bytes(8, "little") * (n // 8))


def _rates(runs: list[dict]) -> dict:
    if not runs:
        return {"runs": 0}
    return {"runs": len(runs), "write_MBps": round(statistics.median(r["write_MBps"] for r in runs), 1),
            "read_MBps": round(statistics.median(r["read_MBps"] for r in runs), 1),
            "write_MBps_min": round(min(r["write_MBps"] for r in runs), 1)}


def _ratio(runs: list[dict], base: list[dict], key: str) -> float | None:
    if not runs or not base:
        return None
    return round(statistics.median(r[key] for r in runs) / statistics.median(r[key] for r in base), 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=("kvm", "emulation"), default=None)
    ap.add_argument("--size", default="1G")
    ap.add_argument("--bench-kib", type=int, default=16384, help="KiB each guest run writes (default 16 MiB)")
    ap.add_argument("--runs", type=int, default=5, help="guest runs before and after the move")
    ap.add_argument("--bandwidth", default="0", help="copy bandwidth limit (100M); 0: none")
    ap.add_argument("--dir", default=None, help="where the disks go (default: a temporary folder)")
    args = ap.parse_args()
    size = parse_size(args.size)
    bandwidth = parse_size(args.bandwidth) if args.bandwidth not in ("", "0") else 0
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp, \
            api.connect(f"{tmp}/home", embedded=True, backend=args.backend) as conn:
        src = f"{tmp}/old/disk.vhd"
        Path(src).parent.mkdir()
        conn.new_disk(src, size).wait(check=True)
        t = time.monotonic()
        fill(src)
        os.sync()  # the fill's write-back is not what the guest's runs before the move measure
        fill_s = time.monotonic() - t
        with open_disk(src, read_only=True) as disk:
            virtual_size = disk.size
        conn.new_vm("mover", memory="128M", disk=src, start=True).wait(check=True)
        service = conn._transport.service
        record = next(r for r in service.vms.values() if r.name == "mover")
        console = GuestConsole(record.partition)
        console.expect(r"bulkhead\$ ", timeout=60)
        time.sleep(0.5)
        writer = Writer(lambda: disk_bench(console, args.bench_kib, timeout=120), (BenchFailed,), lambda e: e.out)
        writer.start()
        while len(writer.runs) < args.runs and writer.is_alive():
            time.sleep(0.05)
        t0 = time.monotonic()
        job = conn.move_storage("mover", f"{tmp}/new", bandwidth=bandwidth).wait()
        t1 = time.monotonic()
        after = len(writer.runs)
        while len(writer.runs) < after + args.runs and writer.is_alive():
            time.sleep(0.05)
        writer.stop.set()
        writer.join(120)
        vm = conn.vm("mover")
        conn.stop_vm("mover", mode="turn_off").wait(check=True)
        problems = open_disk(vm.disk, read_only=True).check()
    result = job.result or {}
    before = [r for r in writer.runs if r["end"] <= t0]
    during = [r for r in writer.runs if r["start"] < t1 and r["end"] > t0]
    later = [r for r in writer.runs if r["start"] >= t1]
    print(json.dumps({
        "backend": record.partition.backend.name if record.partition else args.backend,
        "disk_size": virtual_size, "disk_format": "vhd-dynamic", "filled_s": round(fill_s, 2),
        "guest_bench_kib": args.bench_kib, "bandwidth_limit": bandwidth,
        "job": {"state": job.state, "error": job.error},
        "total_s": result.get("total_s"), "wall_s": round(t1 - t0, 3), "rounds": result.get("rounds"),
        "sent_bytes": result.get("sent_bytes"), "final_bytes": result.get("final_bytes"),
        "final_pause_ms": round(result["pause_s"] * 1000, 2) if "pause_s" in result else None,
        "per_round": result.get("per_round"),
        "guest_before": _rates(before), "guest_during": _rates(during), "guest_after": _rates(later),
        "guest_write_during_vs_before": _ratio(during, before, "write_MBps"),
        "guest_read_during_vs_before": _ratio(during, before, "read_MBps"),
        "guest_failures": writer.failures, "copy_check": problems, "old_disk": result.get("message"),
    }, indent=2))
    return 0 if job.state == "Completed" and not writer.failures and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
