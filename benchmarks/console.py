"""Console benchmarks; prints one JSON document.

    python benchmarks/console.py [--embedded]      (offscreen unless DISPLAY is set)

Figures:
- start-up: a new `python -m gui` process to a shown window taking input, and to the VM list on screen — with an
  embedded host, with the local host service already running, and cold (the console starts the service);
- with 200 VMs in the list (20 running): one model refresh on the GUI thread (vm.list answer -> rows, sorted
  proxy), the same plus the repaint it causes, and the worker-side vm.list call;
- the longest event-loop stall (10 ms timer) while events stream in: 200 VMs started at once (jobs, state changes
  and every byte of boot output as events, plus the once-a-second refresh), and a synthetic flood of console events.
  The console talks to the local host service over its socket, as it does by default; --embedded adds the same
  run with the engine inside the console's process, where 200 vCPU threads compete with the GUI thread for the GIL.
Targets: under 1.5 s to interactive, under 16 ms per refresh.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-console-bench-"))
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")

VMS = 200
RUNNING = 20


def startup(home: Path, extra: list[str], runs: int) -> dict:
    results = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(runs):
        t0 = time.time()
        r = subprocess.run([sys.executable, "-m", "gui", "--home", str(home), *extra, "--ready-report"], env=env,
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        report = json.loads(r.stdout.strip().splitlines()[-1])
        if "error" in report:
            raise RuntimeError(report["error"])
        results.append({k: report[f"{k}_at"] - t0 for k in ("interactive", "vms_listed")})
    return {f"{k}_s": round(statistics.median(r[k] for r in results), 3) for k in ("interactive", "vms_listed")}


def stop_service(home: Path) -> None:
    subprocess.run([sys.executable, "-m", "core.cli", "--home", str(home), "host", "stop"], cwd=ROOT,
                   capture_output=True, timeout=120)


class Watchdog:
    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.max_gap = 0.0
        self.last = time.monotonic()
        self.timer = QTimer(interval=10, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)

    def tick(self):
        now = time.monotonic()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def start(self):
        self.last = time.monotonic()
        self.max_gap = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return round(self.max_gap * 1000, 1)


def spin(app, seconds: float, until=None) -> None:
    """Run the real event loop (as app.exec() does) until ``until()`` holds or ``seconds`` pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + seconds

    def check():
        if time.monotonic() >= deadline or (until is not None and until()):
            loop.quit()

    timer = QTimer(interval=20, timeout=check)
    timer.start()
    loop.exec()
    timer.stop()


def open_console(app, conn, vms: int, size: tuple[int, int], seconds: float):
    """The main window on ``conn`` at ``size``, shown, once its session has loaded the ``vms`` VMs (at most
    ``seconds``): (session, window)."""
    from gui.main_window import MainWindow
    from gui.session import Session

    session = Session(conn)
    window = MainWindow(session, libvirt=False)
    window.resize(*size)
    window.show()
    session.start()
    spin(app, seconds, lambda: session.loaded and session.vm_model.rowCount() == vms)
    return session, window


def with_many_vms(embedded: bool) -> dict:
    from core import api
    from gui.app import make_app

    app = make_app()
    home = TMP / ("big-embedded" if embedded else "big")
    conn = api.connect(str(home), embedded=embedded)
    for i in range(VMS):
        conn.new_vm(f"vm{i:03d}", memory="4M", start=i < RUNNING)
    deadline = time.monotonic() + 60
    while sum(vm.state == "Running" for vm in conn.vms()) < RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    session, window = open_console(app, conn, VMS, (1280, 800), 10)
    spin(app, 1.5)

    fetch, model_only, with_paint = [], [], []
    for _ in range(30):
        t0 = time.perf_counter()
        vms, wall = session._fetch_vms()
        fetch.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        session.vm_model.apply_list(vms, wall)
        model_only.append((time.perf_counter() - t0) * 1000)
        app.processEvents()
        vms, wall = session._fetch_vms()
        t0 = time.perf_counter()
        session.vm_model.apply_list(vms, wall)
        window._update_ui()
        window.table.viewport().repaint()
        app.processEvents()
        with_paint.append((time.perf_counter() - t0) * 1000)

    dog = Watchdog()
    # every VM that is off starts at once: jobs, state changes and boot output stream in as events
    received = session.bridge.received
    dog.start()
    window.select_vms([vm["id"] for vm in session.vm_model.vms()])
    window.vm_actions["start"].trigger()
    spin(app, 30, lambda: sum(vm["state"] == "Running" for vm in session.vm_model.vms()) == VMS)
    spin(app, 3)
    start_stall = dog.stop()
    start_events = session.bridge.received - received

    # a synthetic flood: 100,000 console events (one byte each, alternating VMs so none merge) from another thread,
    # yielding the GIL every 80 events as the socket reader does when its 8 KiB buffer runs dry
    ids = [vm["id"] for vm in session.vm_model.vms()]
    window.open_connection(ids[0])  # one VM's console is watched, so its output is drawn too
    received = session.bridge.received

    def flood():
        for i in range(100_000):
            session.bridge.post("vm.console", {"id": ids[i % len(ids)], "name": "x", "data": "y"})
            if i % 80 == 0:
                time.sleep(0)

    dog.start()
    t = threading.Thread(target=flood)
    t0 = time.perf_counter()
    t.start()
    spin(app, 60, lambda: not t.is_alive() and session.bridge.received - received >= 100_000)
    flood_s = time.perf_counter() - t0
    flood_stall = dog.stop()

    window.close()
    session.close()
    if not embedded:
        conn.call("host.stop")
    conn.close()
    return {
        "connection": "embedded host in the console's process" if embedded else "local host service (socket)",
        "vms": VMS, "running_at_first": RUNNING,
        "refresh_model_ms": {"median": round(statistics.median(model_only), 2), "max": round(max(model_only), 2)},
        "refresh_with_repaint_ms": {"median": round(statistics.median(with_paint), 2),
                                    "max": round(max(with_paint), 2)},
        "vm_list_call_on_worker_ms": round(statistics.median(fetch), 2),
        "start_all_events": start_events,
        "start_all_longest_stall_ms": start_stall,
        "console_flood_events": 100_000,
        "console_flood_seconds": round(flood_s, 2),
        "console_flood_longest_stall_ms": flood_stall,
    }


def main() -> int:
    out: dict = {"platform": os.environ.get("QT_QPA_PLATFORM", "xcb")}
    out["startup_embedded"] = startup(TMP / "embedded", ["--embedded"], runs=5)
    service_home = TMP / "service"
    out["startup_cold_service"] = startup(service_home, [], runs=1)  # starts the host service
    out["startup_service_running"] = startup(service_home, [], runs=5)
    stop_service(service_home)
    out["with_200_vms"] = with_many_vms(embedded=False)  # the console's default: the host service's socket
    if "--embedded" in sys.argv:
        # the engine in the console's process: its 200 vCPU threads and the console share one GIL
        out["with_200_vms_embedded"] = with_many_vms(embedded=True)
    out["targets"] = {"interactive_s": 1.5, "refresh_ms": 16}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
