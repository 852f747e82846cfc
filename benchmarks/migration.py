"""Live and quick moves between two host services in network namespaces (tests/netnshosts.py), through core.api as
a client does; prints one JSON document. Root only (namespaces, veth pairs, tc).

    sudo .venv/bin/python benchmarks/migration.py [--bandwidth 100mbit] [--memory-mib 256] [--pattern-mib 16]
                                                  [--downtime-ms 50] [--move-timeout 30] [--quick]

A 256 MiB bundled guest (no disk, so a live move is allowed) on host a fills ``--pattern-mib`` of its memory
(``pattern fill``) so there is memory to move, then moves a -> b -> a ...:

- ``workloads``: idle, ``dirty:10`` and ``dirty:50`` with auto-converge, each with the link limited by tc tbf on
  both hosts' veths (``--bandwidth``) and unlimited: downtime (the job result's), total time, rounds, bytes sent,
  total / (resident memory / bandwidth) (the bandwidth is the tc rate; unlimited: the one the move measured).
- ``prediction``: at least 10 moves at dirty rates 0, 5, 10, 20 MiB/s (the VM restarted with the workload) and
  links of 50, 100 and 200 mbit: ``conn.move_predict`` with the same bandwidth before, the move after; per run and
  the mean absolute percentage error of the total time and the downtime.
- ``quick``: a quick move of the same VM: downtime, save and restore time.
- ``libvirt``: a libvirt/QEMU live migration between the two CI daemons (tools/ci-libvirt.sh start) when they run,
  else "skipped: reason".

Every guest's pattern is checked after each move (``pattern_ok``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the script's own folder off the path: benchmarks/libvirt.py would stand in for libvirt-python
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from benchmarks._migration_runs import guest_options  # noqa: E402
from tests.helpers.moves import guest, wait_prompt  # noqa: E402
from tests.netnshosts import NetnsHosts, missing, tbf_args  # noqa: E402

MiB = 1 << 20
VM = "bench-mig"
SAMPLE_SLACK = 1.5  # seconds: a sampler tick (1 s) and the fill's tail


def rate_bytes(rate: str) -> float:
    """A tc rate ("100mbit") as bytes per second."""
    bits = tbf_args(rate)[1]
    return int(bits[:-3]) / 8


class Bench:
    def __init__(self, hosts: NetnsHosts, args) -> None:
        self.hosts = hosts
        self.args = args
        self.conns = {"a": hosts.a.connect(), "b": hosts.b.connect()}
        self.here = "a"
        self.workload = None

    @property
    def there(self) -> str:
        return "b" if self.here == "a" else "a"

    def close(self) -> None:
        for c in self.conns.values():
            c.close()

    # --- the link --------------------------------------------------------------------------------------------
    def limit(self, rate: str | None) -> None:
        for h in self.hosts:
            h.unlimit()
            if rate:
                h.limit(rate, "out")  # what each host sends: the move's stream leaves the source's inner veth

    # --- the VM ------------------------------------------------------------------------------------------------
    def boot(self, workload: str) -> None:
        """The VM (re)made on the host it is on with ``workload``, its prompt up and its pattern filled."""
        conn = self.conns[self.here]
        if any(v.name == VM for v in conn.vms()):
            if conn.vm(VM).state != "Off":
                conn.stop_vm(VM, mode="turn_off").wait(60, check=True)
            conn.remove_vm(VM).wait(60, check=True)
        conn.new_vm(VM, memory=f"{self.args.memory_mib}M", workload=workload, start=True).wait(90, check=True)
        wait_prompt(conn, VM, 60)
        reply = guest(conn, VM, f"pattern fill {self.args.pattern_mib} 7", 60)
        if not reply.startswith("pattern filled"):
            raise RuntimeError(f"the guest did not fill its pattern: {reply}")
        self.workload = workload
        # the workload under way, its dirty rate sampled over a whole window after the fill (the fill's own 16 MiB
        # inside the window would count as dirtying: 5 MiB/s over 3 s); one sampler tick of slack
        time.sleep(self.args.settle + SAMPLE_SLACK)

    def move(self, kind: str = "live", auto_converge: bool = True, link: str | None = None,
             predict: bool = False) -> dict:
        src, dst = self.conns[self.here], self.conns[self.there]
        bw = rate_bytes(link) if link else None
        guess = None
        if predict:
            try:
                guess = src.move_predict(VM, dst, bandwidth=bw, downtime_limit=self.args.downtime_ms / 1000,
                                         type=kind, window=self.args.window)
            except Exception as e:  # noqa: BLE001 - a prediction that fails is a figure too
                guess = {"error": f"{type(e).__name__}: {e}"}
        started = time.monotonic()
        job = src.move_vm(VM, dst, type=kind, downtime_limit=self.args.downtime_ms / 1000,
                          auto_converge=auto_converge)
        timeout = self.args.move_timeout
        if guess and isinstance(guess.get("total_s"), (int, float)):
            timeout = max(timeout, 2 * guess["total_s"])  # a move predicted long is given the time it needs
        job = job.wait(timeout)
        if not job.finished:  # a move that does not converge in time is cancelled: the VM goes on at the source
            src.cancel_job(job.id)
            job = job.wait(60)
            if job.state == "Cancelled":
                self.boot(self.workload)  # a cancelled move can leave the VM unmovable: start the next one afresh
                return {"from_to": f"{self.here}->{self.there}", "type": kind, "workload": self.workload,
                        "link": link or "unlimited", "auto_converge": auto_converge,
                        "cancelled_after_s": timeout, "predicted": summary(guess) if guess else None,
                        "progress_percent": job.progress}
        wall = time.monotonic() - started
        if job.state != "Completed":
            raise RuntimeError(f"{kind} move {self.here} -> {self.there} ended {job.state}: {job.error}")
        r = job.result
        self.here = self.there
        conn = self.conns[self.here]
        check = guest(conn, VM, "pattern check", 60)
        rounds = r.get("rounds")
        out = {
            "from_to": f"{'b' if self.here == 'a' else 'a'}->{self.here}", "type": r.get("type"),
            "workload": self.workload, "link": link or "unlimited", "auto_converge": auto_converge,
            "stream": r.get("stream"), "downtime_ms": ms(r.get("downtime_s")), "total_s": rnd(r.get("total_s")),
            "wall_s": rnd(wall), "rounds": len(rounds) if isinstance(rounds, list) else rounds,
            "stop_reason": r.get("stop_reason"), "throttle_percent": r.get("throttle"),
            "bytes_sent_mib": rnd((r.get("bytes_sent") or 0) / MiB, 1),
            "measured_bandwidth_mib_s": rnd((r.get("bandwidth") or 0) / MiB, 1),
            "pattern_ok": check.startswith("pattern ok"),
        }
        if kind == "quick":
            out.update(save_s=rnd(r.get("save_s")), transfer_s=rnd(r.get("transfer_s")),
                       restore_s=rnd(r.get("restore_s")))
        resident = (guess or {}).get("resident_bytes")
        if resident is None:
            resident = self.resident(conn)
        out["resident_mib"] = rnd(resident / MiB, 1) if resident else None
        link_rate = bw or r.get("bandwidth")
        if resident and link_rate and r.get("total_s"):
            out["total_vs_resident_over_bandwidth"] = rnd(r["total_s"] / (resident / link_rate))
        if guess is not None:
            out["predicted"] = summary(guess)
            if "error" not in guess:
                out["error_percent"] = {"total": pct(guess.get("total_s"), r.get("total_s")),
                                        "downtime": pct(guess.get("downtime_s"), r.get("downtime_s"))}
        time.sleep(self.args.settle + SAMPLE_SLACK)  # the destination samples the VM before the next prediction
        return out

    def resident(self, conn) -> int | None:
        try:
            m = conn.measure_vm(VM, seconds=5)
        except Exception:  # noqa: BLE001
            return None
        return m.get("average_memory_bytes")


def rnd(x, n: int = 3):
    return None if x is None else round(float(x), n)


def ms(seconds):
    return None if seconds is None else round(float(seconds) * 1000, 2)


def pct(predicted, actual):
    if predicted is None or not actual:
        return None
    return round(abs(predicted - actual) / actual * 100, 1)


def summary(guess: dict) -> dict:
    if "error" in guess:
        return guess
    return {"total_s": rnd(guess.get("total_s")), "downtime_ms": ms(guess.get("downtime_s")),
            "rounds": guess.get("rounds"), "data_mib": rnd((guess.get("data_bytes") or 0) / MiB, 1),
            "converges": guess.get("converges"), "dirty_rate_mib_s": rnd((guess.get("dirty_rate") or 0) / MiB, 2),
            "resident_mib": rnd((guess.get("resident_bytes") or 0) / MiB, 1),
            "bandwidth_mib_s": rnd((guess.get("bandwidth") or 0) / MiB, 2),
            "dirty_measured": (guess.get("measured") or {}).get("dirty_rate")}


def mape(runs: list[dict], key: str):
    errs = [r["error_percent"][key] for r in runs if r.get("error_percent", {}).get(key) is not None]
    return {"mean_abs_percent_error": round(statistics.mean(errs), 1) if errs else None, "runs": len(errs),
            "within_15_percent": sum(e <= 15 for e in errs)}


def workloads(b: Bench, args) -> list[dict]:
    """Each workload on a freshly booted VM (after one move the destination holds all of its memory resident, which
    would make every later move send it all): limited first, then back unlimited."""
    out = []
    cases = [("idle", False), ("dirty:10", False), ("dirty:50", True)]
    if args.quick:
        cases = cases[1:]
    for workload, converge in cases:
        b.boot(workload)
        for link in (args.bandwidth, None):
            b.limit(link)
            out.append(guarded(b, link, converge))
    b.limit(None)
    return out


# (dirty MiB/s, link): 10 pairs; the slowest (20 MiB/s over 50 mbit, which only auto-converge ends) is left out
PAIRS = [(0, "50mbit"), (0, "100mbit"), (0, "200mbit"), (5, "50mbit"), (5, "100mbit"), (5, "200mbit"),
         (10, "100mbit"), (10, "200mbit"), (20, "100mbit"), (20, "200mbit")]
QUICK_PAIRS = [(0, "100mbit"), (5, "200mbit"), (10, "200mbit")]


def guarded(b: Bench, link, converge: bool) -> dict:
    """A live move that reports its failure instead of ending the benchmark."""
    try:
        return b.move("live", converge, link, predict=True)
    except Exception as e:  # noqa: BLE001 - one failed move is reported, the rest still run
        b.limit(None)
        return {"workload": b.workload, "link": link or "unlimited", "error": f"{type(e).__name__}: {e}"}


def predictions(b: Bench, args) -> dict:
    """Each move from a freshly booted VM (its resident memory as a first move finds it)."""
    runs = []
    for rate, link in (QUICK_PAIRS if args.quick else PAIRS):
        b.limit(None)
        b.boot(f"dirty:{rate}" if rate else "idle")
        b.limit(link)
        runs.append(guarded(b, link, True))
    b.limit(None)
    return {"runs": runs, "total_time": mape(runs, "total"), "downtime": mape(runs, "downtime")}


def quick_move(b: Bench, args) -> dict:
    b.limit(args.bandwidth)
    try:
        return b.move("quick", True, args.bandwidth, predict=True)
    finally:
        b.limit(None)


def libvirt_side_by_side(args) -> dict:
    from benchmarks._migration_runs import libvirt_live

    return libvirt_live(args.memory_mib)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bandwidth", default="100mbit", help="the tc rate of the limited runs (default 100mbit)")
    guest_options(p, pattern_mib=16)
    p.add_argument("--settle", type=float, default=None, help="seconds the VM runs before a prediction")
    p.add_argument("--move-timeout", type=float, default=None,
                   help="seconds before a move that has not ended is cancelled (default 30, --quick 20)")
    p.add_argument("--quick", action="store_true", help="fewer runs (about two minutes)")
    args = p.parse_args(argv)
    if args.settle is None:
        args.settle = 2.0 if args.quick else 3.0
    args.window = args.settle
    if args.move_timeout is None:
        args.move_timeout = 20.0 if args.quick else 30.0
    try:
        rate_bytes(args.bandwidth)
    except ValueError as e:
        print(f"migration benchmark: --bandwidth: {e}", file=sys.stderr)
        return 2
    why = missing(ssh=False)
    if why:
        print(f"migration benchmark: cannot run the namespace test hosts: {why}", file=sys.stderr)
        return 1
    started = time.monotonic()
    doc: dict = {"memory_mib": args.memory_mib, "pattern_mib": args.pattern_mib, "bandwidth": args.bandwidth,
                 "downtime_limit_ms": args.downtime_ms, "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="bkh-migbench-") as tmp, NetnsHosts(tmp, count=2, ssh=False) as hosts:
        b = Bench(hosts, args)
        try:
            doc["workloads"] = workloads(b, args)
            doc["prediction"] = predictions(b, args)
            doc["quick_move"] = quick_move(b, args)
        finally:
            b.close()
    try:
        doc["libvirt"] = libvirt_side_by_side(args)
    except Exception as e:  # noqa: BLE001
        doc["libvirt"] = f"failed: {type(e).__name__}: {e}"
    doc["run_s"] = round(time.monotonic() - started, 1)
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
