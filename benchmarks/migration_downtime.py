"""Where a live move's downtime goes: two host services, a VM moved back and forth, the stop-and-copy's steps of
both sides in milliseconds from the source's park; prints one JSON document.

    python benchmarks/migration_downtime.py [--hosts tls|embedded] [--memory 256M] [--workload dirty:10]
                                            [--pattern-mib 64] [--moves 6] [--downtime-ms 50]

``--hosts tls`` (default): two ``bulkhead host serve`` processes with TLS (tests/remotehosts.py TlsHost), the
stream direct between them; ``embedded``: two hosts in this process (the stream tunnelled through it).

Per move (the job result's ``timeline``; ``dest_*`` are the destination's steps, on the source's clock through the
GO -> RUNNING exchange, exact when both run on this machine): ``parked`` (vCPUs stopped, clock stopped),
``disk_handed_over``, ``last_pages_sent``, ``state_sent``, ``dest_pages_last``, ``dest_state_read``,
``dest_state_received``, ``dest_built`` (machine and devices), ``dest_state_applied``, ``dest_prepared_sent``,
``prepared_received``, ``before_go_done`` (the source's marker), ``go_sent``, ``dest_go_received``,
``dest_on_go_done`` (the destination's durable record), ``dest_launched`` (vCPUs started), ``dest_running_sent``,
``running_received``; then ``downtime_s`` (park -> RUNNING heard), ``guest_downtime_s`` (park -> vCPUs started
there: what the guest sees), ``destination_pause_s``. ``median`` holds each figure's median over the moves.
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
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402
from tests.helpers.moves import guest, new_running  # noqa: E402

VM = "downtime1"


def moves(a, b, args) -> list[dict]:
    new_running(a, VM, memory=args.memory, workload=args.workload)
    if args.pattern_mib:
        reply = guest(a, VM, f"pattern fill {args.pattern_mib} 5", timeout=120)
        if not reply.startswith("pattern filled"):
            raise RuntimeError(f"the guest did not fill its pattern: {reply}")
    runs, here, there = [], a, b
    for _ in range(args.moves):
        time.sleep(args.settle)  # let the workload dirty at its rate again
        job = here.move_vm(VM, there, type="live", downtime_limit=args.downtime_ms / 1000).wait(120)
        if job.state != "Completed":
            raise RuntimeError(f"the move failed: {job.error}")
        r = job.result
        run = {"stream": r.get("stream"), "rounds": len(r.get("rounds") or []), "stop_reason": r.get("stop_reason"),
               "stop_copy_pages": r.get("stop_copy_pages"), "stop_copy_bytes": r.get("stop_copy_bytes"),
               "downtime_ms": _ms(r.get("downtime_s")), "guest_downtime_ms": _ms(r.get("guest_downtime_s")),
               "destination_pause_ms": _ms(r.get("destination_pause_s")), "total_s": r.get("total_s"),
               "timeline_ms": r.get("timeline") or {}}
        runs.append(run)
        print(json.dumps({"move": len(runs), "downtime_ms": run["downtime_ms"],
                          "guest_downtime_ms": run["guest_downtime_ms"]}), file=sys.stderr)
        here, there = there, here
    if args.pattern_mib:
        reply = guest(here, VM, "pattern check", timeout=60)
        if not reply.startswith("pattern ok"):
            raise RuntimeError(f"the pattern did not survive: {reply}")
    here.stop_vm(VM, mode="turn_off").wait(60)
    here.remove_vm(VM).wait(60)
    return runs


def _ms(seconds) -> float | None:
    return round(seconds * 1000, 3) if isinstance(seconds, (int, float)) else None


def medians(runs: list[dict]) -> dict:
    out: dict = {}
    for key in ("downtime_ms", "guest_downtime_ms", "destination_pause_ms", "stop_copy_pages"):
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
        out[key] = round(statistics.median(values), 3) if values else None
    steps: dict[str, list[float]] = {}
    for r in runs:
        for k, v in r["timeline_ms"].items():
            steps.setdefault(k, []).append(v)
    out["timeline_ms"] = dict(sorted(((k, round(statistics.median(v), 3)) for k, v in steps.items()),
                                     key=lambda kv: kv[1]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", choices=("tls", "embedded"), default="tls")
    ap.add_argument("--memory", default="256M")
    ap.add_argument("--workload", default="dirty:10")
    ap.add_argument("--pattern-mib", type=int, default=64)
    ap.add_argument("--moves", type=int, default=6)
    ap.add_argument("--downtime-ms", type=float, default=50)
    ap.add_argument("--settle", type=float, default=1.0, help="seconds between moves")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bk-downtime-") as tmp:
        root = Path(tmp)
        if args.hosts == "tls":
            from tests.remotehosts import TlsHost

            hosts = [TlsHost(root / "a"), TlsHost(root / "b")]
            try:
                for h in hosts:
                    h.start()
                with api.connect(uri=hosts[0].uri) as a, api.connect(uri=hosts[1].uri) as b:
                    runs = moves(a, b, args)
            finally:
                for h in hosts:
                    h.stop()
        else:
            with api.connect(str(root / "a"), embedded=True) as a, api.connect(str(root / "b"), embedded=True) as b:
                runs = moves(a, b, args)
    print(json.dumps({"hosts": args.hosts, "memory": args.memory, "workload": args.workload,
                      "downtime_limit_ms": args.downtime_ms, "median": medians(runs), "moves": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
