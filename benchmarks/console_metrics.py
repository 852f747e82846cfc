"""Console metrics benchmark (issue 6); prints one JSON document.

    python benchmarks/console_metrics.py [--vms 100] [--seconds 30]     (offscreen unless DISPLAY is set)

With 100 running VMs on the local host service (its own process, over its socket, in a temporary BULKHEAD_HOME,
so the engine's threads do not compete with the console for the GIL) at 1 s ticks:
- the service's CPU spent sampling: the service process's CPU time with 1 s ticks (and the console subscribed to
  the metrics stream) minus the same VMs with sampling practically off (BULKHEAD_TICK=3600), in % of one core.
  The service does not expose its per-tick durations over the protocol, so this is the difference of two runs;
- GUI-thread time per refresh: each metrics event (VM list CPU column and sparklines + the Performance view's
  setData), each VM-list refresh (vm.list answer into the model), the Performance view's refresh alone, and a
  synchronous repaint of the table and of the graphs; p50/p99/max in ms (target p99 < 10 ms);
- the longest event-loop stall (a 10 ms timer) while all of that runs (target < 50 ms);
- a simulated hour: 3600 metrics events of 100 VMs fed to a console quickly, the Performance view on a 1 h window;
  resident memory of the console before and after, and the refresh cost with a full hour on screen.
The service is stopped at the end (host.stop).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from console import Watchdog, open_console, spin  # noqa: E402  (the event-loop watchdog shared with benchmarks/console.py)
from figures import stats, timed  # noqa: E402

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-metrics-bench-"))
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")
os.environ["BULKHEAD_HOME"] = str(TMP / "home")


def service_cpu(pid: int, seconds: float, app=None) -> float:
    """The service process's CPU use over ``seconds``, in % of one core."""
    import psutil

    p = psutil.Process(pid)
    t0, c0 = time.monotonic(), sum(p.cpu_times()[:2])
    if app is not None:
        spin(app, seconds)
    else:
        time.sleep(seconds)
    return round(100 * (sum(p.cpu_times()[:2]) - c0) / (time.monotonic() - t0), 2)


def connect_service(tick: float):
    from core import api

    os.environ["BULKHEAD_TICK"] = str(tick)  # the service started on first use inherits it
    return api.connect(str(TMP / "home"))


def wait_running(conn, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while sum(vm.state == "Running" for vm in conn.vms()) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {sum(vm.state == 'Running' for vm in conn.vms())} of {n} VMs running")
        time.sleep(0.2)


def stop(conn) -> None:
    import psutil

    pid = conn.host_info()["pid"]
    conn.call("host.stop")
    conn.close()
    try:
        psutil.Process(pid).wait(60)
    except psutil.Error:
        pass


def live(app, n: int, seconds: float) -> dict:
    """The console on the real service: 100 running VMs at 1 s ticks."""

    conn = connect_service(1.0)
    t0 = time.monotonic()
    jobs = [conn.new_vm(f"vm{i:03d}", memory="4M", start=True) for i in range(n)]
    for job in jobs:
        job.wait(check=True)
    wait_running(conn, n)
    created_s = time.monotonic() - t0
    pid = conn.host_info()["pid"]

    session, window = open_console(app, conn, n, (1400, 900), 20)
    events, lists, perf, ui = [], [], [], []
    session._on_events = timed(events, session._on_events)
    session.bridge.batch.disconnect()
    session.bridge.batch.connect(session._on_events)
    session._apply_vms = timed(lists, session._apply_vms)
    window._update_ui = timed(ui, window._update_ui)
    window._ui_timer.timeout.disconnect()
    window._ui_timer.timeout.connect(window._update_ui)
    view = window.performance
    view.refresh = timed(perf, view.refresh)
    window.select_vms(["vm000"])
    window.show_performance()
    view.set_window(600)
    spin(app, 5, lambda: not view.loading)
    for record in (events, lists, perf, ui):
        record.clear()

    dog = Watchdog()
    dog.start()
    with_ticks = service_cpu(pid, seconds, app)  # the console runs meanwhile
    stall_vm_view = dog.stop()
    # the host view adds up every VM's samples each tick
    window.select_vms([])
    window.nav.select_node("host", session.host_key)
    spin(app, 5, lambda: not view.loading)
    host_perf: list[float] = []
    view.refresh = timed(host_perf, type(view).refresh.__get__(view))
    dog.start()
    spin(app, min(15.0, seconds))
    stall_host_view = dog.stop()

    # synchronous repaints: what a refresh costs once drawn
    paint_table, paint_graphs = [], []
    window.select_vms(["vm000"])
    spin(app, 3, lambda: not view.loading)
    for _ in range(30):
        t = time.perf_counter()
        window.table.viewport().repaint()
        paint_table.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        type(view).refresh(view)
        view.graphics.viewport().repaint()
        paint_graphs.append((time.perf_counter() - t) * 1000)
        app.processEvents()
    metrics_events = sum(1 for _ in events)
    window.close()
    session.close()
    conn.close()

    # the same VMs with sampling practically off: the service restarts them from their saved states
    conn = connect_service(3600.0)
    wait_running(conn, n)
    time.sleep(5)
    pid = conn.host_info()["pid"]
    without_ticks = service_cpu(pid, seconds)
    stop(conn)
    return {
        "vms_running": n, "create_and_start_s": round(created_s, 1), "measured_s": seconds,
        "service_cpu_percent_of_one_core": {"ticks_1s_with_console_subscribed": with_ticks,
                                             "ticks_off": without_ticks,
                                             "sampling": round(with_ticks - without_ticks, 2)},
        "gui_thread_ms": {
            "event_batch_with_metrics (list CPU + sparklines + Performance view)": stats(events),
            "vm_list_refresh (vm.list answer into the model)": stats(lists),
            "update_ui (actions, tree, details)": stats(ui),
            "performance_view_refresh_1_vm_10_min": stats(perf),
            "performance_view_refresh_host_sum_of_100_vms": stats(host_perf),
            "table_repaint_100_rows": stats(paint_table),
            "performance_refresh_plus_repaint": stats(paint_graphs),
        },
        "event_batches": metrics_events,
        "longest_stall_ms": {"vm_view": stall_vm_view, "host_view": stall_host_view},
    }


class _Stub:
    """A connection that only answers what the console asks at start (the simulated hour needs no host)."""

    description = "simulated host"

    def __init__(self, vms):
        self._vms = vms

    def vms(self):
        return self._vms

    def host_info(self):
        return {"store": str(TMP / "sim"), "backend": "kvm", "capabilities": {"logical_processors": 2}}

    def capabilities(self):
        return {"reasons": {}}

    def status(self):
        return {"state": "connected", "reason": ""}

    def subscribe(self, _callback):
        return lambda: None

    def jobs(self, limit=30):
        return []

    def alerts(self, include_cleared=False, limit=500):
        return []

    def metrics_history(self, target, seconds=60, metrics=None):
        return {"t": [], "series": {}, "markers": []}


def simulated_hour(app, n: int) -> dict:
    import gc

    import psutil

    from core import api
    from gui.performance.panels import VM_METRICS

    vms = [api.Vm(id=f"id{i:03d}", name=f"vm{i:03d}", state="Running", memory=4 << 20, vcpus=1) for i in range(n)]
    session, window = open_console(app, _Stub(vms), n, (1400, 900), 10)
    window.select_vms(["vm000"])
    view = window.show_performance()
    view.set_window(3600)
    spin(app, 2, lambda: not view.loading)
    gc.collect()
    rss_before = psutil.Process().memory_info().rss
    start = time.time() - 3600
    feed: list[float] = []
    t0 = time.perf_counter()
    for i in range(3600):
        t = start + i
        values = {m: float((i * 7 + j) % 100) for j, m in enumerate(VM_METRICS)}
        sample = {"t": t, "host": {"cpu_percent": 50.0, "memory_used": 1 << 30, "memory_total": 8 << 30},
                  "vms": {vm.id: values for vm in vms}}
        t1 = time.perf_counter()
        session._on_events([("metrics", sample)])
        feed.append((time.perf_counter() - t1) * 1000)
        if i % 50 == 0:
            app.processEvents()
    fed_s = time.perf_counter() - t0
    spin(app, 1)
    gc.collect()
    rss_after = psutil.Process().memory_info().rss
    full = []
    for _ in range(30):
        t = time.perf_counter()
        type(view).refresh(view)
        view.graphics.viewport().repaint()
        full.append((time.perf_counter() - t) * 1000)
        app.processEvents()
    points = len(view.series["id000"])
    window.close()
    session.close()
    return {"events": 3600, "vms_per_event": n, "fed_in_s": round(fed_s, 1),
            "per_event_ms": stats(feed),
            "points_on_screen_per_line": points,
            "refresh_plus_repaint_full_hour_ms": stats(full),
            "console_rss_mib": {"before": round(rss_before / 2**20, 1), "after_hour": round(rss_after / 2**20, 1),
                                "growth": round((rss_after - rss_before) / 2**20, 1)}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vms", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    from gui.app import make_app

    app = make_app()
    out: dict = {"platform": os.environ.get("QT_QPA_PLATFORM", "xcb"), "cores": os.cpu_count()}
    out["live"] = live(app, args.vms, args.seconds)
    out["simulated_hour"] = simulated_hour(app, args.vms)
    out["targets"] = {"service_sampling_percent_of_one_core": 2, "gui_refresh_p99_ms": 10, "stall_ms": 50}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
