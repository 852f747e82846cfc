"""The console part of benchmarks/scale.py: the main window on fake hosts of many running VMs (tests/gui/fake_host.py:
a host in this process sending a metrics event of every VM each second and a few state changes, answering vm.list
with records shaped as a Bulkhead host's), so what is measured is the console's own cost.

    python benchmarks/scale_console.py [--vms 1000] [--seconds 20]

Figures: GUI-thread time per event batch and per VM-list refresh (p50/p99/max, ms), the longest event-loop stall
(a 10 ms timer), for one host of N VMs and for 3 hosts of N/3 each (all in the one window's tree); and a simulated
hour (3,600 ticks of N VMs fed as fast as the console takes them): the console's resident memory before and after.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console import Watchdog, spin  # noqa: E402  (the event-loop watchdog shared with benchmarks/console.py)
from figures import stats, timed  # noqa: E402

from tests.gui.fake_host import FakeHost  # noqa: E402


def _instrument(session, events: list[float], lists: list[float]) -> None:
    session._on_events = timed(events, session._on_events)
    session.bridge.batch.disconnect()
    session.bridge.batch.connect(session._on_events)
    session._apply_vms = timed(lists, session._apply_vms)


def open_hosts(app, hosts: int, per_host: int):
    """The main window with ``hosts`` fake hosts of ``per_host`` VMs each, every session loaded: (window, fakes,
    sessions)."""
    from core import api
    from gui.main_window import MainWindow
    from gui.session import Session

    fakes = [FakeHost(per_host, prefix=f"h{k}vm") for k in range(hosts)]
    sessions = [Session(api.Connection(f, f"fake host {k}"), key=f"fake:{k}", label=f"fake{k}")
                for k, f in enumerate(fakes)]
    window = MainWindow(sessions[0], libvirt=False)
    window.resize(1400, 900)
    window.show()
    sessions[0].start()
    for s in sessions[1:]:
        window.add_host(s)
    spin(app, 60, lambda: all(s.loaded and s.vm_model.rowCount() == per_host for s in sessions))
    return window, fakes, sessions


def live(app, hosts: int, per_host: int, seconds: float) -> dict:
    window, fakes, sessions = open_hosts(app, hosts, per_host)
    events: list[float] = []
    lists: list[float] = []
    for s in sessions:
        _instrument(s, events, lists)
    spin(app, 2)
    events.clear()
    lists.clear()
    for f in fakes:
        f.run(1.0)
    dog = Watchdog()
    dog.start()
    spin(app, seconds)
    stall = dog.stop()
    for f in fakes:
        f.close()
    out = {"hosts": hosts, "vms_per_host": per_host, "seconds": seconds,
           "gui_ms_per_event_batch": stats(events), "gui_ms_per_vm_list_refresh": stats(lists),
           "longest_stall_ms": stall, "vm_list_calls": sum(f.calls.get("vm.list", 0) for f in fakes)}
    window.close()
    for s in sessions:
        s.close()
    return out


def simulated_hour(app, n: int) -> dict:
    import psutil

    window, fakes, sessions = open_hosts(app, 1, n)
    session, fake = sessions[0], fakes[0]
    spin(app, 1)
    gc.collect()
    before = psutil.Process().memory_info().rss
    feed: list[float] = []
    start = time.time() - 3600
    t0 = time.perf_counter()
    for i in range(3600):
        fake.emit_tick(start + i)  # into the session's bridge, as the host's thread would
        t1 = time.perf_counter()
        app.processEvents()
        feed.append((time.perf_counter() - t1) * 1000)
    fed = time.perf_counter() - t0
    spin(app, 1)
    gc.collect()
    after = psutil.Process().memory_info().rss
    window.close()
    session.close()
    return {"vms": n, "ticks": 3600, "fed_in_s": round(fed, 1), "gui_ms_per_tick": stats(feed),
            "rss_before_mib": round(before / 2**20, 1), "rss_after_mib": round(after / 2**20, 1),
            "growth_mib": round((after - before) / 2**20, 1)}


def console_scale(n: int, seconds: float) -> dict:
    from gui.app import make_app

    os.environ.setdefault("BULKHEAD_GUI_SETTINGS", str(Path(os.environ.get("TMPDIR", "/tmp")) / "scale-console.ini"))
    app = make_app()
    return {"one_host": live(app, 1, n, seconds), "three_hosts": live(app, 3, n // 3, seconds),
            "simulated_hour": simulated_hour(app, n)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vms", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    print(json.dumps(console_scale(args.vms, args.seconds), indent=2))


if __name__ == "__main__":
    main()
