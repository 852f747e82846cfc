"""Conversion throughput: a VMware VM's 1 GiB monolithicSparse VMDK (256 MiB of data written) converted to a
dynamic VHD through ``conn.convert_vm`` (the whole job: read and plan, convert, compare with the source, create the
VM) beside ``qemu-img convert`` alone on the same file, and beside qemu-img followed by an fsync of its output (the
job flushes its copy to disk, qemu-img convert does not); prints one JSON document.

    python benchmarks/convert.py [--runs 3] [--size 1G] [--data 256M] [--socket] [--keep]
    python benchmarks/convert.py --physical [--runs 3] [--size 1G] [--data 256M] [--ssh ssh://USER@HOST[:PORT]]
                                                                                 (P2V: scan and capture)

Each run starts from the same source with the page cache warm (the first, untimed run reads it in); qemu-img and
the job alternate so both see the same machine. ``job_vs_qemu_img`` is the job's median time over qemu-img's
(goal: at most 1.10), ``job_vs_qemu_img_flushed`` the same against the durable baseline; ``phases`` splits the
job's median run into its conversion (qemu-img inside the job), its comparison with the source (during which the
copy is flushed) and the rest (reading the source, planning, creating the VM, the job's round trips).
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


def vmx_text(name: str, disk: str) -> str:
    """A small VMware VM's .vmx (32 MiB, one vCPU, other-64) named ``name``, its disk ``disk`` on scsi0:0."""
    settings = {".encoding": "UTF-8", "config.version": "8", "virtualHW.version": "14", "displayName": name,
                "memsize": "32", "numvcpus": "1", "guestOS": "other-64", "scsi0.present": "TRUE",
                "scsi0:0.present": "TRUE", "scsi0:0.fileName": disk}
    return "".join(f'{key} = "{value}"\n' for key, value in settings.items())


VMX = vmx_text("bench", "bench.vmdk")


def make_source(folder: Path, size: int, data: int) -> tuple[Path, Path]:
    """bench.vmx and bench.vmdk (monolithicSparse): ``data`` bytes of random data in 1 MiB blocks spread evenly
    over ``size`` bytes (the raw image ``make_raw`` writes, below)."""
    raw = make_raw(folder / "data.raw", size, data)
    vmdk = folder / "bench.vmdk"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw),
                    str(vmdk)], check=True)
    raw.unlink()
    vmx = folder / "bench.vmx"
    vmx.write_text(VMX)
    return vmx, vmdk


def time_qemu_img(vmdk: Path, out: Path, flush: bool = False) -> float:
    """qemu-img convert alone (it writes without flushing); with ``flush`` the file's fsync after it, as durable
    as the job's copy."""
    cmd = ["qemu-img", "convert", "-f", "vmdk", "-O", "vpc", "-o", "subformat=dynamic,force_size=on", str(vmdk),
           str(out)]
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    if flush:
        qemu_img.sync_file(out)
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
    ap.add_argument("--physical", action="store_true", help="the physical section instead (see physical_main)")
    ap.add_argument("--ssh", default="", metavar="ssh://USER@HOST[:PORT]",
                    help="with --physical: also scan that machine and stream the image's capture through ssh to it "
                         "(BatchMode, keys only; the image is copied to /tmp there and removed)")
    args = ap.parse_args()
    if args.physical:
        return physical_main(args)
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
            tools, durable, jobs = [], [], []
            for n in range(1, args.runs + 1):
                tools.append(time_qemu_img(vmdk, work / "out.vhd"))
                durable.append(time_qemu_img(vmdk, work / "out.vhd", flush=True))
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
            "qemu_img_flushed_s": round(statistics.median(durable), 3),
            "job_vs_qemu_img_flushed": round(job["seconds"] / statistics.median(durable), 3),
            "phases": {"convert_s": round(inside, 3), "compare_s": round(compare, 3),
                       "rest_s": round(max(0.0, job["seconds"] - inside - compare), 3)},
            "job_convert_vs_qemu_img": round(inside / tool, 3),
        }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


# --- physical: scanning a machine and capturing its disks (P2V) -----------------------------------------------------
def make_raw(path: Path, size: int, data: int) -> Path:
    """A raw image standing in for a disk: ``data`` bytes of random data in 1 MiB blocks spread over ``size``."""
    blocks = max(1, data // MiB)
    stride = max(MiB, size // blocks // MiB * MiB)
    with open(path, "wb") as f:
        f.truncate(size)
        for i in range(blocks):
            f.seek(i * stride)
            f.write(os.urandom(MiB))
    return path


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _qemu_img_raw(src: Path, out: Path) -> float:
    took = _timed(lambda: subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o",
                                          "subformat=dynamic,force_size=on", str(src), str(out)], check=True))
    out.unlink()
    return took


def _capture(src: str, out: Path, **kw) -> float:
    from core.convert import capture

    took = _timed(lambda: capture.capture(src, out, "vpc", **kw))
    out.unlink()
    return took


def _loop_device(path: Path) -> str:
    if os.geteuid() != 0 or not shutil.which("losetup"):
        return ""
    done = subprocess.run(["losetup", "--find", "--show", "--read-only", str(path)], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def _ssh_run(target, words: list[str], stdin=None) -> None:
    """``words`` run on ``target`` (a physical.SshTarget) as the capture reaches it: keys only, no questions."""
    import shlex

    from core.convert import physical

    subprocess.run(physical.ssh_command(target, shlex.join(words)), stdin=stdin, check=True,
                   capture_output=stdin is None)


def _ssh_copy(target, src: Path, dst: str) -> None:
    """``src`` written to ``dst`` on the machine (sparse: dd conv=sparse)."""
    with open(src, "rb") as f:
        _ssh_run(target, ["dd", f"of={dst}", "bs=1M", "conv=sparse", "status=none"], stdin=f)
    _ssh_run(target, ["truncate", "-s", str(src.stat().st_size), dst])


def physical_main(args) -> int:
    """``--physical``: the scan of this machine (``physical.scan`` and ``conn.scan_physical``, several runs), and the
    capture of a SIZE raw image with DATA of data into a dynamic VHD: qemu-img convert alone, ``capture.capture``
    (convert and compare), the same from a loop device over the image (as root), the host's whole "Convert physical
    server" job, and with ``--ssh`` the scan of that machine and the stream of the image's capture from it."""
    from core.convert import physical

    size, data = parse_size(args.size), parse_size(args.data)
    runs = max(1, args.runs)
    work = Path(tempfile.mkdtemp(prefix="bulkhead-p2v-bench-"))
    loop = ""
    ssh_image = ""
    try:
        physical.scan()  # warm
        scans = [_timed(physical.scan) for _ in range(max(5, runs))]
        img = make_raw(work / "disk.img", size, data)
        _qemu_img_raw(img, work / "warm.vhd")
        out = {"scan": {"runs": len(scans), "median_s": round(statistics.median(scans), 4),
                        "runs_s": [round(x, 4) for x in scans]},
               "source": {"size": size, "data": data}, "runs": runs}
        tools = [_qemu_img_raw(img, work / "out.vhd") for _ in range(runs)]
        local = [_capture(str(img), work / "out.vhd") for _ in range(runs)]
        out["qemu_img_s"] = round(statistics.median(tools), 3)
        out["capture_s"] = round(statistics.median(local), 3)  # qemu-img convert, then compare with the source
        out["capture_no_compare_s"] = round(statistics.median(
            [_capture(str(img), work / "out.vhd", verify=False) for _ in range(runs)]), 3)
        out["capture_vs_qemu_img"] = round(statistics.median(local) / statistics.median(tools), 3)
        out["capture_mib_s"] = round(data / MiB / statistics.median(local), 1)
        out["capture_device_mib_s"] = round(size / MiB / statistics.median(local), 1)
        loop = _loop_device(img)
        if loop:
            dev = [_capture(loop, work / "out.vhd", size=size) for _ in range(runs)]
            out["loop_device_capture_s"] = round(statistics.median(dev), 3)
        else:
            out["loop_device_capture_s"] = "skipped: not root or no loop device"
        with api.connect(str(work / "home"), embedded=True) as conn:
            host_scans = [_timed(conn.scan_physical) for _ in range(max(5, runs))]
            out["scan"]["host_scan_median_s"] = round(statistics.median(host_scans), 4)
            jobs = []
            for n in range(runs):
                t = time.perf_counter()
                job = conn.convert_physical(disks=[str(img)], name=f"p2v-{n}").wait(600)
                jobs.append(time.perf_counter() - t)
                if job.state != "Completed":
                    raise SystemExit(f"the capture job ended {job.state}: {job.error}")
                conn.remove_vm(f"p2v-{n}", delete_storage=True).wait(60, check=True)
            out["job_s"] = round(statistics.median(jobs), 3)
            out["job_vs_qemu_img"] = round(statistics.median(jobs) / statistics.median(tools), 3)
        if not args.ssh:
            out["ssh"] = "skipped: give --ssh ssh://user@host[:port] (a machine this one reaches with a key)"
        else:
            target = physical.parse_ssh(args.ssh)
            ssh_scans = [_timed(lambda: physical.scan(args.ssh)) for _ in range(max(3, runs))]
            far_image = f"/tmp/bulkhead-p2v-bench-{os.getpid()}.img"
            _ssh_copy(target, img, far_image)
            ssh_image = far_image
            streams = [_capture(far_image, work / "out.vhd", ssh=target, size=size) for _ in range(runs)]
            out["ssh"] = {"scan_median_s": round(statistics.median(ssh_scans), 3),
                          "capture_s": round(statistics.median(streams), 3),
                          "stream_device_mib_s": round(size / MiB / statistics.median(streams), 1),
                          "capture_vs_qemu_img": round(statistics.median(streams) / statistics.median(tools), 3)}
        print(json.dumps(out, indent=2))
    finally:
        if ssh_image:
            _ssh_run(physical.parse_ssh(args.ssh), ["rm", "-f", ssh_image])
        if loop:
            subprocess.run(["losetup", "-d", loop], capture_output=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
