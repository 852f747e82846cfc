"""The host's CPU graph says which scale each line is on: the machine's CPUs together (0-100 %, left axis) and the
host service's threads as a process monitor counts them (100 % = one core, right axis), in the legend and on the
axes; the service at 200 % no longer reads as twice the machine."""

from __future__ import annotations

import time

from gui.performance.view import HOST, PerformanceView

from .test_perf_live import FakeSession, idle_history


def test_host_service_and_all_cpus_are_on_scales_of_their_own(qtbot):
    session = FakeSession({}, idle_history)
    view = PerformanceView()
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    with qtbot.waitSignal(view.history_loaded, timeout=5000):
        view.show_targets(session, [HOST])
    for _ in range(3):
        session.tick(time.time(), {}, {"cpu_percent": 55.0, "service_cpu_percent": 210.0})
        qtbot.wait(30)
    plot = view.plots["cpu"]
    item = plot.item
    assert item.getAxis("left").labelText == "% of all CPUs"
    assert item.getAxis("right").labelText == "% of one core" and item.getAxis("right").isVisible()
    labels = [label for label, _color, _style in plot.legend]
    assert labels == ["all CPUs (% of the machine)", "host service (% of one core)"]
    title = item.titleLabel.text
    assert "% of the machine" in title and "% of one core" in title  # the legend says it where the lines are
    # each line on its own axis: the machine's from 0 to 100 %, the service's as high as its cores go
    service = plot.curves[(HOST, "service_cpu_percent")]
    machine = plot.curves[(HOST, "cpu_percent")]
    assert service.getViewBox() is plot.right and machine.getViewBox() is item.vb
    assert plot.ranges["left"] == 100 and 210 < plot.ranges["right"] <= 400  # 4 logical processors at most
    assert float(machine.getData()[1][-1]) == 55.0 and float(service.getData()[1][-1]) == 210.0
    assert "of the machine" in view.readout.text() and "of one core" in view.readout.text()
