"""Checkpoint figures (issue 15, docs/checkpoints.md) on an embedded host; prints one JSON document.

    python benchmarks/checkpoints.py [--backend kvm|emulation] [--bench-kib 8192] [--runs 3] [--merge-mib 256]
                                     [--dir /var/tmp]

1. Pause: a running VM whose guest has filled 64 MiB, then 256 MiB of its memory (`pattern fill N SEED`: every
   word written, so that much is resident and dirty) takes checkpoints; each take's ``pause_s`` (the guest's vCPUs
   kept still while the pages it wrote during the copy, its processors and devices are saved and its disk switched
   to a new differencing child) and the job's whole time. Before each take the guest fills its region again with
   a new seed, so every page is written anew; the pattern is checked afterwards.
2. Chain depth: one VM on a dynamic VHD whose first 64 MiB hold data; the guest's `bench disk N 64` (N KiB written
   from sector 2048 over the synthetic disk, read back and checked) on the flat disk, then at chain depth 1, 5 and
   20 (checkpoints taken while it runs; each run writes into the then-top child, its reads find the data there,
   and untouched sectors of the top go down the chain). The first run on a new top allocates its blocks; the
   median of the runs is given and the first separately. Beside it, with the VM off: ``qemu-img convert -O raw``
   of the top file, and Bulkhead's engine reading the whole chain into a raw file (``flatten``). QEMU 7.2's vpc
   driver does not follow VHD parent locators: it reads the top file alone as a plain "vpc" image (unallocated
   sectors as zeros, no parent), so its time is that of one file; the output says so and compares its content.
3. Live merge: a running VM takes checkpoint "A", its guest writes ``--merge-mib`` into the new differencing disk,
   it takes "B" and checkpoint "A" is deleted: the 256 MiB differencing disk under the running top is merged into
   its parent while the guest goes on running `bench disk` in a loop. The job's time and the guest's throughput
   during the merge against before it. The chain is checked afterwards (`disk check` and qemu-img check).
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

from benchmarks.common import Writer, disk_bench  # noqa: E402
from core import api  # noqa: E402
from core.engine.storage import create_disk, open_disk  # noqa: E402
from tests.guestconsole import GuestConsole  # noqa: E402

MiB = 1 << 20
WAIT = 300
BACKEND: list = [None]  # the backend the first VM ran on


def console_of(conn, name: str) -> GuestConsole:
    service = conn._transport.service
    record = next(r for r in service.vms.values() if r.name == name)
    BACKEND[0] = BACKEND[0] or record.partition.backend.name
    c = GuestConsole(record.partition)
    c.expect(r"bulkhead\$ ", timeout=60)
    time.sleep(0.3)
    return c


def bench(c: GuestConsole, kib: int) -> dict:
    r = disk_bench(c, kib, timeout=300)
    return {"write_MBps": round(r["write_MBps"], 1), "read_MBps": round(r["read_MBps"], 1)}


def _median(runs: list[dict], key: str) -> float | None:
    return round(statistics.median(r[key] for r in runs), 1) if runs else None


def _summary(runs: list[dict]) -> dict:
    return {"runs": len(runs), "write_MBps": _median(runs, "write_MBps"), "read_MBps": _median(runs, "read_MBps"),
            "first_run": runs[0] if runs else None}


def _take(conn, vm: str, name: str) -> tuple[dict, float]:
    t = time.monotonic()
    r = conn.checkpoint(vm, name).wait(WAIT, check=True).result
    return r, time.monotonic() - t


# --- 1. pause -------------------------------------------------------------------------------------------------------
def pauses(conn, backend: str | None, resident_mib: int, takes: int) -> dict:
    name = f"pause{resident_mib}"
    conn.new_vm(name, memory=f"{resident_mib + 64}M", start=True).wait(WAIT, check=True)
    c = console_of(conn, name)
    rows = []
    for i in range(takes):
        t = time.monotonic()
        reply = c.command(f"pattern fill {resident_mib} {i + 1}", timeout=120)
        if not reply.startswith("pattern filled"):
            raise RuntimeError(reply)
        fill_s = time.monotonic() - t
        r, job_s = _take(conn, name, f"p{i}")
        rows.append({"pause_ms": round(r["pause_s"] * 1000, 2), "job_s": round(job_s, 3), "fill_s": round(fill_s, 3)})
    check = c.command("pattern check", timeout=60)
    c.close()
    conn.stop_vm(name, mode="turn_off").wait(WAIT, check=True)
    conn.remove_vm(name).wait(WAIT, check=True)
    ms = [r["pause_ms"] for r in rows]
    return {"resident_mib": resident_mib, "vm_memory_mib": resident_mib + 64, "takes": rows,
            "pause_ms_median": round(statistics.median(ms), 2), "pause_ms_max": max(ms),
            "goal_ms": 20 if resident_mib == 64 else None,
            "goal_met": (max(ms) <= 20) if resident_mib == 64 else None, "pattern_after": check}


# --- 2. chain depth ---------------------------------------------------------------------------------------------
def _qemu_convert(path: str, out: str) -> dict:
    t = time.monotonic()
    r = subprocess.run(["qemu-img", "convert", "-f", "vpc", "-O", "raw", path, out], capture_output=True, text=True)
    s = time.monotonic() - t
    info = subprocess.run(["qemu-img", "info", "--backing-chain", "--output=json", "-f", "vpc", path],
                          capture_output=True, text=True)
    try:
        images = json.loads(info.stdout)
    except ValueError:
        images = []
    return {"s": round(s, 3), "ok": r.returncode == 0, "error": r.stderr.strip()[:200],
            "images_in_backing_chain": len(images) if isinstance(images, list) else 1,
            "backing_filename": (images[0].get("backing-filename") if isinstance(images, list) and images else None)}


def _flatten(path: str, out: str) -> float:
    t = time.monotonic()
    with open_disk(path, read_only=True) as d, open(out, "wb") as f:
        sectors = d.size // 512
        step = 4096
        for s in range(0, sectors, step):
            f.write(d.read(s, min(step, sectors - s)))
    return round(time.monotonic() - t, 3)


def _same(a: str, b: str) -> bool:
    r = subprocess.run(["cmp", "-s", a, b])
    return r.returncode == 0


def depth(conn, tmp: str, kib: int, runs: int, depths=(0, 1, 5, 20)) -> dict:
    base = f"{tmp}/depth-base.vhd"
    with create_disk(base, 256 * MiB) as d:
        for s in range(0, 64 * MiB // 512, 2048):
            d.write(s, (s.to_bytes(8, "little") * 128) * 2048)
    conn.new_vm("depth", memory="128M", disk=base, start=True).wait(WAIT, check=True)
    c = console_of(conn, "depth")
    rows = []
    have = 0
    disks: dict[int, str] = {}
    for want in depths:
        while have < want:
            _take(conn, "depth", f"d{have + 1}")
            have += 1
        got = [bench(c, kib) for _ in range(runs)]
        disks[want] = conn.vm("depth").disk
        rows.append({"depth": want, "disk": os.path.basename(disks[want]), "guest": _summary(got)})
    c.close()
    conn.stop_vm("depth", mode="turn_off").wait(WAIT, check=True)
    # the chain as it is now: the files of each depth's top still exist (they are history under later ones)
    for row in rows:
        top = disks[row["depth"]]
        q_out, e_out = f"{tmp}/q.raw", f"{tmp}/e.raw"
        q = min((_qemu_convert(top, q_out) for _ in range(2)), key=lambda x: x["s"])  # the warm one of two
        e = min(_flatten(top, e_out) for _ in range(2))
        q["read"] = ("the whole (flat) disk" if row["depth"] == 0 else
                     "only the top file of the chain, as a plain vpc image without a parent (QEMU 7.2 does not "
                     "follow VHD parent locators; unallocated sectors read as zeros)")
        q["same_content_as_chain"] = _same(q_out, e_out)
        with open_disk(top, read_only=True) as d:  # every file of the chain, each converted alone: all qemu-img
            files = [link.path for link in getattr(d, "links", ())] or [top]  # can read of it
        alone = []
        for _ in range(2):
            t = time.monotonic()
            for f in files:
                subprocess.run(["qemu-img", "convert", "-f", "vpc", "-O", "raw", f, q_out], capture_output=True)
            alone.append(time.monotonic() - t)
        q["every_file_alone_s"] = round(min(alone), 3)
        q["files_in_chain"] = len(files)
        row["qemu_img_convert"] = q
        row["engine_flatten_s"] = e
        for f in (q_out, e_out):
            os.unlink(f)
    conn.remove_vm("depth", delete_storage=True).wait(WAIT, check=True)
    flat = rows[0]["guest"]
    for row in rows:
        g = row["guest"]
        row["guest_write_vs_flat"] = round(g["write_MBps"] / flat["write_MBps"], 3) if flat["write_MBps"] else None
        row["guest_read_vs_flat"] = round(g["read_MBps"] / flat["read_MBps"], 3) if flat["read_MBps"] else None
    return {"guest_bench_kib": kib, "base_data_mib": 64, "disk_size_mib": 256, "by_depth": rows}


# --- 3. live merge ----------------------------------------------------------------------------------------------
def _checks(path: str) -> dict:
    with open_disk(path, read_only=True) as d:
        ours = d.check()
    q = subprocess.run(["qemu-img", "check", "-f", "vpc", path], capture_output=True, text=True)
    said = "clean" if q.returncode == 0 else \
        "no checks for vpc in this qemu-img (exit 63)" if "does not support checks" in q.stderr else q.stderr.strip()
    info = subprocess.run(["qemu-img", "info", "--output=json", "-f", "vpc", path], capture_output=True, text=True)
    return {"disk_check": ours or "clean", "qemu_img_check": said, "qemu_img_info_opens": info.returncode == 0}


def merge(conn, tmp: str, merge_mib: int, kib: int, runs: int) -> dict:
    base = f"{tmp}/merge-base.vhd"
    create_disk(base, (merge_mib + 64) * MiB).close()
    conn.new_vm("merge", memory="128M", disk=base, start=True).wait(WAIT, check=True)
    c = console_of(conn, "merge")
    _take(conn, "merge", "A")
    t = time.monotonic()
    filled = bench(c, merge_mib * 1024)  # merge_mib written into A's child (from sector 2048) and read back
    fill_s = time.monotonic() - t
    with open_disk(conn.vm("merge").disk, read_only=True) as d:
        held = sum(n for _s, n in d.top.held_runs()) * 512 if hasattr(d, "top") else None
    child = conn.vm("merge").disk
    _take(conn, "merge", "B")
    writer = Writer(lambda: bench(c, kib), (RuntimeError, AssertionError), lambda e: str(e)[:300])
    writer.start()
    while len(writer.runs) < runs and writer.is_alive():
        time.sleep(0.05)
    t0 = time.monotonic()
    job = conn.remove_checkpoint("merge", "A").wait(WAIT)
    t1 = time.monotonic()
    after = len(writer.runs)
    while len(writer.runs) < after + runs and writer.is_alive():
        time.sleep(0.05)
    writer.stop.set()
    writer.join(120)
    state = conn.vm("merge").state
    c.close()
    conn.stop_vm("merge", mode="turn_off").wait(WAIT, check=True)
    checked = _checks(conn.vm("merge").disk)
    conn.remove_vm("merge", delete_storage=True).wait(WAIT, check=True)
    before = [r for r in writer.runs if r["end"] <= t0]
    during = [r for r in writer.runs if r["start"] < t1 and r["end"] > t0]
    later = [r for r in writer.runs if r["start"] >= t1]

    def ratio(key):
        return round(statistics.median(r[key] for r in during) / statistics.median(r[key] for r in before), 3) \
            if during and before else None

    strip = ("start", "end")
    return {"merged_disk": os.path.basename(child), "merged_disk_held_bytes": held, "written_mib": merge_mib,
            "guest_fill": filled | {"s": round(fill_s, 2)}, "job": {"state": job.state, "error": job.error},
            "merge_s": round(t1 - t0, 3), "merged": [os.path.basename(m) for m in (job.result or {}).get("merged", [])],
            "vm_state_after": state, "guest_bench_kib": kib,
            "guest_before": _summary([{k: v for k, v in r.items() if k not in strip} for r in before]),
            "guest_during": _summary([{k: v for k, v in r.items() if k not in strip} for r in during]),
            "guest_after": _summary([{k: v for k, v in r.items() if k not in strip} for r in later]),
            "guest_write_during_vs_before": ratio("write_MBps"), "guest_read_during_vs_before": ratio("read_MBps"),
            "guest_failures": writer.failures, "after": checked}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=("kvm", "emulation"), default=None)
    ap.add_argument("--bench-kib", type=int, default=16384,
                    help="KiB of each guest `bench disk` run (default 16 MiB)")
    ap.add_argument("--runs", type=int, default=7, help="guest runs per depth, and before the merge")
    ap.add_argument("--takes", type=int, default=3, help="checkpoints taken per resident size")
    ap.add_argument("--merge-mib", type=int, default=256)
    ap.add_argument("--dir", default=None, help="where the disks go (default: a temporary folder)")
    args = ap.parse_args()
    t = time.monotonic()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp, \
            api.connect(f"{tmp}/home", embedded=True, backend=args.backend) as conn:
        out = {"pause": [pauses(conn, args.backend, mib, args.takes) for mib in (64, 256)],
               "chain_depth": depth(conn, tmp, args.bench_kib, args.runs),
               "live_merge": merge(conn, tmp, args.merge_mib, args.bench_kib, args.runs)}
        out = {"backend": BACKEND[0] or args.backend or "default"} | out
    out["notes"] = [
        "pause: the guest's vCPUs kept still per take (pause_s of the job); job_s is the whole take, the memory "
        "copied while the guest runs and written after it runs on",
        "chain_depth: each guest run writes its region into the top child and reads it back from there, so its reads "
        "do not go down the chain; engine_flatten_s reads the whole virtual disk through the chain (64 MiB of it "
        "held by the base)",
        "qemu-img (QEMU 7.2) reads a differencing VHD as a plain vpc image without its parent: qemu_img_convert.s "
        "is the top file alone (its content differs from the chain's: same_content_as_chain), every_file_alone_s "
        "converts each file of the chain separately",
        "guest throughput on a shared machine varies by tens of percent from run to run; compare medians",
    ]
    out["total_s"] = round(time.monotonic() - t, 1)
    print(json.dumps(out, indent=2))
    ok = out["live_merge"]["job"]["state"] == "Completed" and not out["live_merge"]["guest_failures"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
