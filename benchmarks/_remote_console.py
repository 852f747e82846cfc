"""Console responsiveness across three hosts (benchmarks/remote.py's ``console_three_hosts``).

Three host services of ``vms`` running VMs each (the bundled guest idling, 32 MiB; tests/remotehosts.py TlsHost:
each its own process, home, CA and TLS port): the console's main window (offscreen unless DISPLAY is set) on the
first over its local socket, the other two added as remote Bulkhead hosts over TLS as File > Add Host does, all
three in one host group selected in the tree, so the VM list shows every VM with the Host column. For ``seconds``
the console runs as it does (each host's VM list refreshed each second, metrics events each tick); measured on the
GUI thread as benchmarks/console_metrics.py does: each VM-list refresh (a host's vm.list answer into its model), each
event batch, each update of the window (actions, tree, details), a synchronous repaint of the table, and the
longest event-loop stall (a 10 ms timer).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_saved_home = os.environ.get("BULKHEAD_HOME")
from console import Watchdog, open_console, spin  # noqa: E402  (the event-loop watchdog of benchmarks/console.py)
from console_metrics import stats, timed  # noqa: E402  (its GUI-thread timings)

if _saved_home is None:  # console_metrics points BULKHEAD_HOME at a folder of its own; these hosts have theirs
    os.environ.pop("BULKHEAD_HOME", None)
else:
    os.environ["BULKHEAD_HOME"] = _saved_home

HOSTS = 3


def _start_hosts(root: Path, vms: int) -> tuple[list, list]:
    """Three TLS test hosts with ``vms`` running VMs each: (hosts, a local-socket connection to each)."""
    from core import api
    from tests.remotehosts import TlsHost

    hosts = [TlsHost(root / f"host{i}") for i in range(HOSTS)]
    for h in hosts:
        h.start()
    conns = [api.connect(str(h.home), autostart=False) for h in hosts]
    for i, conn in enumerate(conns):
        jobs = [conn.new_vm(f"h{i}-vm{j:03d}", memory="32M", start=True, automatic_stop_action="turn_off")
                for j in range(vms)]
        for job in jobs:
            job.wait(120, check=True)
    deadline = time.monotonic() + 180
    for conn in conns:
        while sum(vm.state == "Running" for vm in conn.vms()) < vms:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {sum(vm.state == 'Running' for vm in conn.vms())} of {vms} VMs running")
            time.sleep(0.2)
    return hosts, conns


def _instrument(window, sessions) -> dict[str, list[float]]:
    """Time each VM-list refresh, event batch and window update on the GUI thread (as console_metrics does)."""
    records: dict[str, list[float]] = {"lists": [], "events": [], "ui": []}
    for s in sessions:
        s._on_events = timed(records["events"], s._on_events)
        s.bridge.batch.disconnect()
        s.bridge.batch.connect(s._on_events)
        s._apply_vms = timed(records["lists"], s._apply_vms)
    window._update_ui = timed(records["ui"], window._update_ui)
    window._ui_timer.timeout.disconnect()
    window._ui_timer.timeout.connect(window._update_ui)
    return records


def three_hosts(vms: int = 100, seconds: float = 20.0) -> dict:
    from gui.app import make_app
    from gui.groups import ROOT
    from gui.models.vm_table import Col

    root = Path(tempfile.mkdtemp(prefix="bulkhead-bench-3hosts-"))
    os.environ["BULKHEAD_GUI_SETTINGS"] = str(root / "console.ini")
    os.environ["BULKHEAD_CONFIG_DIR"] = str(root / "config")
    hosts, conns = [], []
    try:
        t0 = time.monotonic()
        hosts, conns = _start_hosts(root, vms)
        created_s = time.monotonic() - t0
        app = make_app()
        session, window = open_console(app, conns[0], vms, (1600, 1000), 30)
        remote = [window.open_remote({"uri": h.uri, "name": f"rack{i} (TLS)"}) for i, h in enumerate(hosts[1:], 2)]
        sessions = [session, *remote]
        spin(app, 60, lambda: all(s.loaded and len(s.vm_model.vms()) == vms for s in remote))
        group = window.new_group(ROOT, "Three hosts")
        for s in sessions:
            window.move_host(s.host_key, group)
        window.nav.setCurrentItem(window.nav.item_for("group", group))
        spin(app, 20, lambda: window.spans_hosts and window.proxy.rowCount() == HOSTS * vms)
        listed = window.proxy.rowCount()
        if listed != HOSTS * vms or window.table.horizontalHeader().isSectionHidden(Col.HOST):
            raise RuntimeError(f"the group lists {listed} VMs (want {HOSTS * vms}) or hides the Host column")
        spin(app, 3)
        records = _instrument(window, sessions)
        received = sum(s.bridge.received for s in sessions)
        dog = Watchdog()
        dog.start()
        spin(app, seconds)
        stall = dog.stop()
        events = sum(s.bridge.received for s in sessions) - received
        paint = []
        for _ in range(30):
            t = time.perf_counter()
            window.table.viewport().repaint()
            paint.append((time.perf_counter() - t) * 1000)
            app.processEvents()
        links = {s.host_label: s.link.get("state") for s in remote}
        window.close()
        for s in sessions:
            s.close()
        return {
            "hosts": HOSTS, "vms_per_host": vms, "vms_listed": listed, "running": HOSTS * vms,
            "create_and_start_s": round(created_s, 1), "measured_s": seconds,
            "links": {"local": "socket", **{label: f"TLS ({state})" for label, state in links.items()}},
            "gui_thread_ms": {
                "vm_list_refresh (one host's vm.list answer into its model)": stats(records["lists"]),
                "event_batch (metrics, jobs, states of one host)": stats(records["events"]),
                "update_ui (actions, tree, details, counts)": stats(records["ui"]),
                f"table_repaint (the rows on screen of {listed})": stats(paint),
            },
            "events_received": events,
            "longest_stall_ms": stall,
            "targets": {"gui_refresh_p99_ms": 10, "stall_ms": 50},
        }
    finally:
        for conn in conns:
            conn.close()
        for h in hosts:
            h.stop()
        shutil.rmtree(root, ignore_errors=True)
