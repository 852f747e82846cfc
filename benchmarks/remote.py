"""Remote hosts: one host service with 100 VMs reached three ways, side by side; prints one JSON document.

    python benchmarks/remote.py [--vms 100] [--calls 300] [--connects 10] [--events 200]

A host service runs in a temporary BULKHEAD_HOME and serves TLS on a loopback port (tests/remotehosts.py: its own
CA, host and client certificates); where sshd is installed an sshd on another loopback port runs this checkout's
``bulkhead host proxy`` against the same home. Figures:

- ``vm_list``: warm round trips of ``vm list`` (the API's ``vms()``) over the local socket, TLS and SSH: median,
  90th percentile and mean in ms, and each one's ratio to the local socket (the issue's goal: TLS within 1.5x);
- ``connect``: cold connects (``api.connect(uri=...)``: TCP + TLS handshake, or an ssh session and the far proxy,
  then the protocol's hello) for TLS and SSH, median and worst in ms;
- ``events_tls``: events per second sustained over TLS while the host changes VMs as fast as it can.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402
from tests.remotehosts import SshHost, TlsHost, sshd_missing  # noqa: E402


def timings(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 3), "p90_ms": round(ms[int(len(ms) * 0.9) - 1], 3),
            "mean_ms": round(statistics.fmean(ms), 3), "n": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vms", type=int, default=100)
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--connects", type=int, default=10)
    ap.add_argument("--events", type=int, default=200)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bulkhead-bench-remote-"))
    tls = TlsHost(root / "tls", backend="emulation")
    ssh = None
    out: dict = {"vms": args.vms}
    try:
        tls.start()
        local = api.connect(str(tls.home), autostart=False)
        for i in range(args.vms):
            local.new_vm(f"bench-{i:03d}", memory="32M").wait(60, check=True)
        paths = {"local": local, "tls": api.connect(uri=tls.uri)}
        missing = sshd_missing()
        if missing:
            out["ssh_skipped"] = missing
        else:
            ssh = SshHost(root / "ssh").start()
            ssh_uri = ssh.uri(home=tls.home)  # the same host service, through sshd and its proxy
            paths["ssh"] = api.connect(uri=ssh_uri)
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for conn in paths.values():
            assert len(conn.vms()) == args.vms
            timings(conn.vms, 20)  # warm
        for _ in range(args.calls):  # interleaved, so a moment of load on the machine weighs on all alike
            for name, conn in paths.items():
                samples[name] += timings(conn.vms, 1)
        listing = {name: summary(ms) for name, ms in samples.items()}
        base = listing["local"]["median_ms"]
        for name in listing:
            listing[name]["x_local"] = round(listing[name]["median_ms"] / base, 2)
        out["vm_list"] = listing
        out["connect"] = {"tls": summary(timings(lambda: api.connect(uri=tls.uri).close(), args.connects))}
        if ssh is not None:
            out["connect"]["ssh"] = summary(timings(lambda: api.connect(uri=ssh_uri).close(), args.connects))
        out["events_tls"] = events(paths["tls"], local, args.events)
        for conn in paths.values():
            conn.close()
        out["ok"] = listing["tls"]["x_local"] <= 1.5
    finally:
        if ssh is not None:
            ssh.proc and ssh.proc.terminate()
            ssh.proc and ssh.proc.wait(10)
        tls.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(out, indent=2))
    return 0


def events(remote, local, n: int) -> dict:
    """Change a VM's notes ``n`` times from the local socket and count the vm.changed events that reach a TLS
    subscriber, and how fast."""
    got = []
    done = threading.Event()

    def on(kind: str, data: dict) -> None:
        if kind == "vm.changed" and data.get("name") == "bench-000":
            got.append(time.perf_counter())
            if len(got) >= n:
                done.set()

    unsubscribe = remote.subscribe(on)
    time.sleep(0.2)
    start = time.perf_counter()
    jobs = [local.set_vm("bench-000", notes=f"note {i}") for i in range(n)]
    for job in jobs:
        job.wait(60)
    done.wait(30)
    unsubscribe()
    seconds = (got[-1] - start) if got else 0.0
    return {"events": len(got), "sent": n, "seconds": round(seconds, 3),
            "per_second": round(len(got) / seconds, 1) if seconds else 0.0}


if __name__ == "__main__":
    sys.exit(main())
