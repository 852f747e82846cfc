"""Conversion throughput: a VMware VM's 1 GiB monolithicSparse VMDK (256 MiB of data written) converted to a
dynamic VHD through ``conn.convert_vm`` (the whole job: read and plan, convert, compare with the source, create the
VM) beside ``qemu-img convert`` alone on the same file; prints one JSON document.

    python benchmarks/convert.py [--runs 3] [--size 1G] [--data 256M] [--socket] [--keep]

Each run starts from the same source with the page cache warm (the first, untimed run reads it in); qemu-img and
the job alternate so both see the same machine. ``job_vs_qemu_img`` is the job's median time over qemu-img's
(goal: at most 1.10); ``phases`` splits the job's median run into its conversion (qemu-img inside the job), its
comparison with the source and the rest (reading the source, planning, creating the VM, the job's round trips).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402
from core.convert import qemu_img  # noqa: E402
from core.model.units import parse_size  # noqa: E402

MiB = 1 << 20
VMX = """.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "14"
displayName = "bench"
memsize = "32"
numvcpus = "1"
guestOS = "other-64"
scsi0.present = "TRUE"
scsi0:0.present = "TRUE"
scsi0:0.fileName = "bench.vmdk"
"""


def make_source(folder: Path, size: int, data: int) -> tuple[Path, Path]:
    """bench.vmx and bench.vmdk (monolithicSparse): ``data`` bytes of random data in 1 MiB blocks spread evenly
    over ``size`` bytes."""
    raw = folder / "data.raw"
    blocks = max(1, data // MiB)
    stride = max(MiB, size // blocks // MiB * MiB)
    with open(raw, "wb") as f:
        f.truncate(size)
        for i in range(blocks):
            f.seek(i * stride)
            f.write(os.urandom(MiB))
    vmdk = folder / "bench.vmdk"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw),
                    str(vmdk)], check=True)
    raw.unlink()
    vmx = folder / "bench.vmx"
    vmx.write_text(VMX)
    return vmx, vmdk


def time_qemu_img(vmdk: Path, out: Path) -> float:
    cmd = ["qemu-img", "convert", "-f", "vmdk", "-O", "vpc", "-o", "subformat=dynamic,force_size=on", str(vmdk),
           str(out)]
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    took = time.perf_counter() - t
    out.unlink()
    return took


def time_job(conn, vmx: Path, n: int) -> dict:
    t = time.perf_counter()
    job = conn.convert_vm(str(vmx), name=f"bench-{n}").wait(600)
    took = time.perf_counter() - t
    if job.state != "Completed":
        raise SystemExit(f"the conversion job ended {job.state}: {job.error}")
    disk = job.result["disks"][0]
    conn.remove_vm(f"bench-{n}", delete_storage=True).wait(60, check=True)
    return {"seconds": took, "convert_s": disk["seconds"], "allocated": disk["bytes"], "size": disk["size"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--size", default="1G")
    ap.add_argument("--data", default="256M")
    ap.add_argument("--socket", action="store_true", help="through the local host service (default: embedded)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    size, data = parse_size(args.size), parse_size(args.data)
    work = Path(tempfile.mkdtemp(prefix="bulkhead-convert-bench-"))
    try:
        src = work / "vmware"
        src.mkdir()
        vmx, vmdk = make_source(src, size, data)
        home = work / "home"
        if args.socket:
            os.environ["BULKHEAD_HOME"] = str(home)
        conn = api.connect(str(home), embedded=not args.socket)
        try:
            time_qemu_img(vmdk, work / "warm.vhd")  # the page cache warm for both
            time_job(conn, vmx, 0)
            tools, jobs = [], []
            for n in range(1, args.runs + 1):
                tools.append(time_qemu_img(vmdk, work / "out.vhd"))
                jobs.append(time_job(conn, vmx, n))
            compare_s = []
            out = work / "cmp.vhd"
            qemu_img.convert(vmdk, "vmdk", out, "vpc")
            for _ in range(args.runs):
                t = time.perf_counter()
                qemu_img.compare(vmdk, "vmdk", out, "vpc")
                compare_s.append(time.perf_counter() - t)
            if args.socket:
                conn.call("host.stop")
        finally:
            conn.close()
        tool = statistics.median(tools)
        job = sorted(jobs, key=lambda j: j["seconds"])[len(jobs) // 2]
        inside = statistics.median(j["convert_s"] for j in jobs)
        compare = statistics.median(compare_s)
        print(json.dumps({
            "source": {"format": "vmdk monolithicSparse", "size": size, "data": data,
                       "file_bytes": os.stat(vmdk).st_blocks * 512},
            "target": {"format": "vpc dynamic", "allocated": job["allocated"], "size": job["size"]},
            "transport": "socket" if args.socket else "embedded",
            "runs": args.runs,
            "qemu_img_s": round(tool, 3), "qemu_img_runs_s": [round(x, 3) for x in tools],
            "job_s": round(job["seconds"], 3), "job_runs_s": [round(j["seconds"], 3) for j in jobs],
            "qemu_img_mib_s": round(data / MiB / tool, 1), "job_mib_s": round(data / MiB / job["seconds"], 1),
            "job_vs_qemu_img": round(job["seconds"] / tool, 3),
            "phases": {"convert_s": round(inside, 3), "compare_s": round(compare, 3),
                       "rest_s": round(max(0.0, job["seconds"] - inside - compare), 3)},
            "job_convert_vs_qemu_img": round(inside / tool, 3),
        }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
