"""The console's small pieces: state rules and their reasons, CPU usage from counters, the VM model and proxy,
the event bridge, the terminal's handling of guest output."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt

from gui import format as fmt
from gui import vmstates
from gui.events import EventBridge
from gui.models.vm_table import Col, VmFilterProxy, VmTableModel
from gui.widgets.terminal import Terminal


def vm(name, state, **extra):
    return {"id": name + "-id", "name": name, "state": state, "vcpus": 1, "memory": 64 << 20, **extra}


def test_operation_rules_and_reasons():
    av = vmstates.availability("pause", [vm("web1", "Off")])
    assert not av.enabled and av.tooltip == "Pause needs Running; web1 is Off"
    av = vmstates.availability("start", [vm("a", "Off"), vm("b", "Running"), vm("c", "Saved")])
    assert av.enabled and [v["name"] for v in av.targets] == ["a", "c"]
    assert "skipped: b is Running" in av.tooltip
    assert not vmstates.availability("remove", [vm("a", "Running")]).enabled
    assert vmstates.availability("remove", [vm("a", "Configuration error")]).enabled
    assert vmstates.availability("turn_off", [vm("a", "Critical")]).enabled
    assert not vmstates.availability("shut_down", [vm("a", "Paused")]).enabled
    assert vmstates.settings_frozen_reason(vm("a", "Critical")) is None
    assert "a is Running" in vmstates.settings_frozen_reason(vm("a", "Running"))
    title, question, lost = vmstates.confirmation("turn_off", [vm("a", "Running")])
    assert question == "Turn off a?" and "lost" in lost


def test_cpu_percent_from_vcpu_time():
    # 2 vCPUs, 0.5 s of CPU time over 1 s of wall time: 25 %
    assert fmt.cpu_percent(1_000_000_000, 1_500_000_000, 0, 1_000_000_000, 2) == 25.0
    assert fmt.cpu_percent(None, 5, 0, 10, 1) is None
    assert fmt.cpu_percent(10, 5, 0, 10, 1) is None  # counters reset by a restart
    assert fmt.uptime(90061) == "1d 01:01:01" and fmt.size(96 << 20) == "96 MiB"


def test_model_follows_lists_and_events(qtbot):
    model = VmTableModel()
    proxy = VmFilterProxy()
    proxy.setSourceModel(model)
    t0 = time.monotonic_ns() - 1_000_000_000
    counters = {"vcpu_cpu_ns": [0], "exits": {"io": 1}}
    model.apply_list([vm("a", "Running", counters=counters, uptime=5.0), vm("b", "Off")], wall_ns=t0)
    assert model.rowCount() == 2 and model.index(0, Col.CPU).data() == ""
    counters2 = {"vcpu_cpu_ns": [400_000_000], "exits": {"io": 9}}
    # until a metrics event arrives, the CPU figure is the host's latest sample from vm.list
    model.apply_list([vm("a", "Running", counters=counters2, uptime=6.0, cpu_percent=40.0), vm("c", "Off")],
                     wall_ns=t0 + 1_000_000_000)
    assert model.names() == ["a", "c"]
    assert model.index(0, Col.CPU).data() == "40 %" and model.index(0, Col.UPTIME).data() == "00:00:06"
    assert model.index(0, Col.STATUS).data() == "Active"
    # then the metrics events (one per tick) drive the figure and the sparkline; a stale list does not undo them
    model.apply_metrics({"t": 100.0, "vms": {"a-id": {"cpu_percent": 55.0}}, "host": {}})
    model.apply_metrics({"t": 101.0, "vms": {"a-id": {"cpu_percent": 57.0}}, "host": {}})
    model.apply_metrics({"t": 100.5, "vms": {"a-id": {"cpu_percent": 99.0}}, "host": {}})  # late: ignored
    model.apply_list([vm("a", "Running", counters=counters2, cpu_percent=40.0), vm("c", "Off")])
    assert model.index(0, Col.CPU).data() == "57 %"
    assert list(model.row_of("a-id").history) == [55.0, 57.0]
    assert model.index(1, Col.CPU).data() == ""
    # Heartbeat/Status: the heartbeat, and the health when it is not OK, with the reason
    model.update_vm({"id": "a-id", "heartbeat": "OK", "health": "OK", "health_reason": ""})
    assert model.index(0, Col.STATUS).data() == "OK"
    model.update_vm({"id": "a-id", "heartbeat": "Lost Communication", "health": "Degraded",
                     "health_reason": "heartbeat lost"})
    assert model.index(0, Col.STATUS).data() == "Lost Communication; Degraded: heartbeat lost"
    assert model.index(0, Col.STATUS).data(Qt.ItemDataRole.DecorationRole) is not None
    model.set_state("a-id", "Critical", "guest crashed: boom")
    assert model.index(0, Col.STATUS).data() == "Critical: guest crashed: boom"
    model.set_job({"id": 3, "target": "c-id", "name": "Start VM", "state": "Running", "progress": 40})
    assert model.index(1, Col.OPERATION).data() == "Start VM (40 %)"
    model.set_job({"id": 3, "target": "c-id", "name": "Start VM", "state": "Completed", "progress": 100})
    assert model.index(1, Col.OPERATION).data() == ""
    proxy.set_search("crit")
    assert proxy.rowCount() == 1


def test_event_bridge_batches_events_from_other_threads(qtbot):
    bridge = EventBridge()
    got = []
    bridge.batch.connect(lambda batch: got.extend(batch))
    threads = [threading.Thread(target=lambda: [bridge.post("vm.console", {"id": "a", "data": c}) for c in "hello"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    qtbot.waitUntil(lambda: "".join(d["data"] for _k, d in got) == "hello")
    assert len(got) == 1  # consecutive console bytes of one VM arrive as one chunk


def test_terminal_draws_guest_output_like_a_serial_terminal(qtbot):
    t = Terminal()
    qtbot.addWidget(t)
    t.feed("bulkhead$ ecx\b \bho hi\nhi\n")
    t.feed("\x1b[")  # an escape sequence split across chunks
    t.feed("2Kbulkhead$ ")
    assert t.text() == "bulkhead$ echo hi\nhi\nbulkhead$ "
    sent = []
    t.typed.connect(sent.append)
    from PySide6.QtCore import Qt

    qtbot.keyClicks(t, "ls")
    qtbot.keyClick(t, Qt.Key.Key_Return)
    qtbot.keyClick(t, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "".join(sent) == "ls\r\x03"


def test_many_none_returns_from_qt_do_not_abort_the_interpreter(qtbot):
    # PySide6 6.12 on Python 3.11 drops a reference to None on every null return; pyproject.toml keeps it out
    from PySide6.QtWidgets import QTreeWidget

    tree = QTreeWidget()
    qtbot.addWidget(tree)
    for _ in range(300_000):
        assert tree.currentItem() is None


def test_sparklines_start_from_the_hosts_history_then_follow_its_samples(qtbot):
    model = VmTableModel()
    model.apply_list([vm("a", "Running")])
    model.apply_metrics({"t": 110.0, "vms": {"a-id": {"cpu_percent": 30.0}}})  # live, before history arrives
    model.seed_history({"a-id": ([100.0, 105.0, 110.0], [10.0, None, 20.0]), "gone-id": ([1.0], [1.0])})
    assert list(model.row_of("a-id").history) == [10.0, 30.0]  # older samples go in front; overlap is dropped
    assert model.index(0, Col.CPU).data() == "30 %"


def test_numbers_follow_the_consoles_language():
    from PySide6.QtCore import QLocale

    from gui import format as fmt

    before = QLocale()
    try:
        QLocale.setDefault(QLocale("de_DE"))
        assert fmt.decimal(12.5) == "12,5" and fmt.size(int(1.5 * 2**30)) == "1,5 GiB"
        assert fmt.decimal(0.014, 2) == "0,01"
        QLocale.setDefault(QLocale("en_US"))
        assert fmt.decimal(12.5) == "12.5" and fmt.size(int(1.5 * 2**30)) == "1.5 GiB"
    finally:
        QLocale.setDefault(before)
