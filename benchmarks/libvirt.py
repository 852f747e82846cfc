"""libvirt connections: the metrics tick's cost and live migration time and downtime. Prints JSON.

    python benchmarks/libvirt.py                  everything that can run here
    python benchmarks/libvirt.py --domains 50 --qemu-domains 15 --migrations 5

- tick, test driver: 50 running domains on test:///default. Its getAllDomainStats returns only state.*, so this
  measures the transport's own work per tick plus one in-process call.
- tick, qemu:///system: N tiny running QEMU guests (type='qemu', 16 MiB, a boot sector that halts), the real
  getAllDomainStats with state, cpu, balloon, vcpu, net and block groups over libvirtd's socket.
- migration: the tiny spinning guest of tests/test_libvirt_qemu.py, live, peer-to-peer between the two daemons that
  tools/ci-libvirt.sh starts, there and back; time is the whole job as the caller sees it, downtime is what libvirt
  reports in the migration's job statistics.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

# this file is named like libvirt-python's module: keep its folder off the path so `import libvirt` finds the real one
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from core.api import Connection  # noqa: E402

MiB = 1 << 20
PEER_FILE = Path(os.environ.get("BULKHEAD_LIBVIRT_PEER", "/run/bulkhead-ci-libvirt/peer.json"))


def ms(values: list[float]) -> dict:
    v = sorted(x * 1000 for x in values)
    return {"median_ms": round(statistics.median(v), 3), "p95_ms": round(v[int(0.95 * (len(v) - 1))], 3),
            "max_ms": round(v[-1], 3), "samples": len(v)}


def connect(uri: str, data: Path) -> Connection:
    from core.libvirt import connect_libvirt

    conn = Connection(connect_libvirt(uri, data, tick=3600), uri)  # ticks by hand
    deadline = time.monotonic() + 30
    while conn._transport.status()["state"] != "connected":
        if time.monotonic() > deadline:
            raise SystemExit(f"cannot connect to {uri}: {conn._transport.status()}")
        time.sleep(0.05)
    return conn


def time_ticks(conn: Connection, n: int) -> list[float]:
    t = conn._transport
    t.tick()
    out = []
    for _ in range(n):
        started = time.perf_counter()
        t.tick()
        out.append(time.perf_counter() - started)
        time.sleep(0.02)
    return out


def bench_test_driver(domains: int, ticks: int, data: Path) -> dict:
    import libvirt

    conn = connect("test:///default", data / "test")
    lv = conn._transport._conn
    for i in range(domains - 1):  # test:///default has one running domain already
        dom = lv.defineXML(f"<domain type='test'><name>bench{i}</name><memory>65536</memory><vcpu>1</vcpu>"
                           "<os><type>hvm</type></os></domain>")
        dom.create()
    running = len(lv.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE))
    raw = []
    for _ in range(ticks):
        started = time.perf_counter()
        lv.getAllDomainStats(0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE)
        raw.append(time.perf_counter() - started)
    result = {"uri": "test:///default", "running_domains": running, "tick": ms(time_ticks(conn, ticks)),
              "getAllDomainStats_alone": ms(raw),
              "note": "the test driver's getAllDomainStats returns only state.* (no cpu, balloon, block, net)"}
    started = time.perf_counter()
    vms = conn.vms()
    result["vm_list_ms"] = round((time.perf_counter() - started) * 1000, 3)
    result["vm_list_count"] = len(vms)
    conn.close()
    return result


def qemu_tests():
    """tests/test_libvirt_qemu.py: its spinning boot sector and its clean-up are the benchmark's too."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import test_libvirt_qemu

    return test_libvirt_qemu


def tiny_disk(folder: Path, spin: bool) -> Path:
    if spin:
        return qemu_tests().boot_image(folder)
    path = folder / "halt.img"  # cli; hlt; jmp back to hlt: an idle guest
    with open(path, "wb") as f:
        f.write(bytes.fromhex("faf4ebfd").ljust(510, b"\0") + b"\x55\xaa")
        f.truncate(MiB)
    path.chmod(0o644)
    return path


def new_tiny(conn: Connection, name: str, disk: Path) -> None:
    job = conn.call("vm.new", name=name, memory=16 * MiB, vcpus=1, disk=str(disk), disk_readonly=True,
                    domain_type="qemu", integration_services=False, start=True)
    job = conn.wait_job(job["id"], 120)
    if job.state != "Completed":
        raise SystemExit(f"cannot start {name}: {job.error}")


def remove(uri: str, names: list[str]) -> None:
    for name in names:
        qemu_tests().cleanup(uri, name)


def bench_qemu(domains: int, ticks: int, data: Path, folder: Path) -> dict:
    conn = connect("qemu:///system", data / "qemu")
    disk = tiny_disk(folder, spin=False)
    names = [f"bk-bench-{uuid.uuid4().hex[:6]}-{i}" for i in range(domains)]
    try:
        started = time.perf_counter()
        for name in names:
            new_tiny(conn, name, disk)
        create = time.perf_counter() - started
        sample = conn._transport.tick()
        result = {"uri": "qemu:///system", "running_domains": len(sample.get("vms", {})),
                  "guest": "16 MiB, type='qemu' (TCG), a boot sector that halts",
                  "define_and_start_each_ms": round(create / domains * 1000, 1),
                  "tick": ms(time_ticks(conn, ticks))}
        started = time.perf_counter()
        conn.vms()
        result["vm_list_ms"] = round((time.perf_counter() - started) * 1000, 3)
        started = time.perf_counter()
        for name in names:
            conn.stop_vm(name, mode="turn_off").wait(timeout=60, check=True)
        result["turn_off_each_ms"] = round((time.perf_counter() - started) / domains * 1000, 1)
        return result
    finally:
        conn.close()
        remove("qemu:///system", names)


def bench_migration(rounds: int, data: Path, folder: Path) -> dict:
    if not PEER_FILE.exists():
        return {"skipped": f"no migration peer ({PEER_FILE}; tools/ci-libvirt.sh start)"}
    peer = json.loads(PEER_FILE.read_text())
    a = connect(peer["source_uri"], data / "ma")
    b = connect(peer["peer_uri"], data / "mb")
    name = f"bk-mig-bench-{uuid.uuid4().hex[:6]}"
    runs = []
    try:
        new_tiny(a, name, tiny_disk(folder, spin=True))
        time.sleep(1.0)
        here, there = (a, peer["peer_migrate_uri"], peer["peer_address"]), (b, peer["source_migrate_uri"],
                                                                              peer["source_address"])
        for i in range(rounds * 2):
            src, dest, address = here if i % 2 == 0 else there
            job = src.call("vm.migrate", vm=name, destination=dest, migrate_uri=f"tcp://{address}")
            job = src.wait_job(job["id"], 120)
            if job.state != "Completed":
                raise SystemExit(f"migration {i} failed: {job.error}")
            r = job.result
            runs.append({"direction": "A->B" if i % 2 == 0 else "B->A", "time_s": r["time_seconds"],
                         "job_time_ms": r["job_time_ms"], "downtime_ms": r["downtime_ms"],
                         "data_total_mib": round((r["data_total_bytes"] or 0) / MiB, 2),
                         "iterations": r["memory_iterations"]})
            time.sleep(0.3)
    finally:
        a.close()
        b.close()
        remove(peer["source_uri"], [name])
        remove(peer["peer_uri"], [name])
    downtimes = [r["downtime_ms"] for r in runs if r["downtime_ms"] is not None]
    return {"guest": "16 MiB, type='qemu' (TCG), the spinning boot sector of tests/test_libvirt_qemu.py",
            "mode": "live, peer-to-peer, persistent at the destination, undefined at the source, shared read-only disk",
            "migrations": len(runs),
            "time_s_median": round(statistics.median(r["time_s"] for r in runs), 3),
            "job_time_ms_median": statistics.median(r["job_time_ms"] for r in runs if r["job_time_ms"] is not None),
            "downtime_ms_median": statistics.median(downtimes) if downtimes else None,
            "downtime_ms_max": max(downtimes) if downtimes else None, "runs": runs}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--domains", type=int, default=50, help="test-driver domains (default 50)")
    p.add_argument("--qemu-domains", type=int, default=15, help="tiny QEMU guests (default 15)")
    p.add_argument("--ticks", type=int, default=50)
    p.add_argument("--migrations", type=int, default=3, help="round trips (default 3: 6 migrations)")
    args = p.parse_args()
    out: dict = {}
    data = Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-bench-"))
    folder = Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-bench-", dir="/var/tmp"))
    folder.chmod(0o755)
    try:
        try:
            import libvirt  # noqa: F401
        except ImportError:
            print(json.dumps({"skipped": "libvirt-python is not installed"}))
            return 0
        out["tick_test_driver"] = bench_test_driver(args.domains, args.ticks, data)
        if Path("/run/libvirt/libvirt-sock").exists():
            out["tick_qemu"] = bench_qemu(args.qemu_domains, args.ticks, data, folder)
            out["migration"] = bench_migration(args.migrations, data, folder)
        else:
            out["tick_qemu"] = out["migration"] = {"skipped": "no libvirtd (tools/ci-libvirt.sh start)"}
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
