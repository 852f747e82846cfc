"""The Performance tab as a user reads it: a guest at 50 % load plots 40-60 % CPU, the graphs follow live samples,
other time windows reload history, several VMs overlay, the cursor readout, state markers, and export to CSV and
PNG of exactly what is shown."""

from __future__ import annotations

import csv
import time

import numpy as np
import pytest

from gui.performance.series import Series, sum_histories
from gui.performance.view import HOST

from .conftest import vm_by_name, wait_state


@pytest.fixture
def fast_conn(conn):
    conn._transport.service.sampler.interval = 0.5  # two samples a second keep the test short
    return conn


def cpu_points(view, vm_id: str) -> np.ndarray:
    """The values the CPU curve was given (what it draws, before it thins them to its width in pixels)."""
    _x, y = view.plots["cpu"].curves[(vm_id, "cpu_percent")].getOriginalDataset()
    return np.array([] if y is None else y, dtype=float)


def show_performance(make_window, conn, qtbot, name: str):
    """A window showing the performance of the running VM ``name``: (window, its session, the VM's id, the view)."""
    window = make_window(conn)
    s = window.session
    wait_state(qtbot, s, name, "Running")
    vm_id = vm_by_name(s, name)["id"]
    window.select_vms([name])
    return window, s, vm_id, window.show_performance()


def test_load_50_plots_40_to_60_percent_and_exports_what_is_shown(make_window, fast_conn, qtbot, tmp_path):
    conn = fast_conn
    conn.new_vm("half", memory="16M", workload="cpu:50", start=True).wait(check=True)
    conn.new_vm("idle1", memory="16M", start=True).wait(check=True)
    window, s, half, view = show_performance(make_window, conn, qtbot, "half")
    assert view.isVisible() and view.targets == [half]

    # history first, then live samples appended to the same curve
    qtbot.waitUntil(lambda: np.count_nonzero(~np.isnan(cpu_points(view, half))) >= 8, timeout=15_000)
    y = cpu_points(view, half)
    recent = y[~np.isnan(y)][-6:]
    assert 40 <= recent.mean() <= 60, recent
    refreshes = view.refresh_count
    qtbot.waitUntil(lambda: view.refresh_count > refreshes + 1, timeout=5000)
    assert view.last_refresh_ms < 50
    assert "running" in [kind for _t, kind in view.markers[half]]  # where it started

    # the readout under the cursor names the sample and its values
    t = float(view.series[half].times()[-2])
    view.hover(t)
    assert time.strftime("%H:%M:%S", time.localtime(t)) in view.readout.text()
    assert "CPU " in view.readout.text() and " %" in view.readout.text() and "exits" in view.readout.text()
    view.hover(None)
    # the same with the mouse: a crosshair in the plot under it, the time line across all plots
    cpu_plot = view.plots["cpu"]
    scene_point = cpu_plot.item.vb.sceneBoundingRect().center()
    qtbot.mouseMove(view.graphics.viewport(), view.graphics.mapFromScene(scene_point))
    qtbot.waitUntil(lambda: cpu_plot.hcursor.isVisible() and view.plots["disk"].cursor.isVisible(), timeout=3000)
    assert not view.plots["disk"].hcursor.isVisible() and "(latest)" not in view.readout.text()

    # CSV: every sample shown, in raw units, the same numbers as the curve
    path = tmp_path / "half.csv"
    with qtbot.waitSignal(view.exported, timeout=5000):
        view.export_csv(str(path))
    rows = list(csv.reader(path.open()))
    header, data = rows[0], rows[1:]
    assert header[:2] == ["time", "epoch"] and "half cpu_percent (%)" in header
    assert "half memory_resident (bytes)" in header and "half exits_emulated_ps (/s)" in header
    col = header.index("half cpu_percent (%)")
    shown = view.series[half]
    window_start = time.time() - view.window_seconds
    assert len(data) >= len([t for t in shown.times() if t >= window_start + 2])
    csv_cpu = {round(float(r[1]), 3): float(r[col]) for r in data if r[col]}
    for t, v in zip(shown.times()[-5:], shown.column("cpu_percent")[-5:]):
        if not np.isnan(v):
            assert csv_cpu[round(float(t), 3)] == pytest.approx(v, rel=1e-4)
    png = tmp_path / "half.png"
    with qtbot.waitSignal(view.exported, timeout=5000):
        view.export_png(str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # two VMs overlaid, then another time window (history reloads in a worker)
    idle1 = vm_by_name(s, "idle1")["id"]
    window.select_vms(["half", "idle1"])
    qtbot.waitUntil(lambda: view.targets == [half, idle1])
    qtbot.waitUntil(lambda: len(cpu_points(view, idle1)) >= 3 and not view.loading, timeout=10_000)
    assert np.nanmean(cpu_points(view, idle1)) < 20
    with qtbot.waitSignal(view.history_loaded, timeout=10_000):
        view.set_window(600)
    assert np.count_nonzero(~np.isnan(cpu_points(view, half))) >= 8

    # the host (parent partition): its own CPU, and the VMs' emulated exits added up
    window.select_vms([])
    window.nav.select_node("host", s.host_key)
    qtbot.waitUntil(lambda: view.targets == [HOST])
    qtbot.waitUntil(lambda: len(view.series[HOST]) >= 3 and not view.loading, timeout=10_000)
    _x, exits = view.plots["vmbus"].curves[(HOST, "vms_exits_emulated_ps")].getOriginalDataset()
    assert exits is not None and np.nanmax(exits) > 0


def test_markers_follow_pause_and_reset(make_window, fast_conn, qtbot):
    conn = fast_conn
    conn.new_vm("web1", memory="16M", start=True).wait(check=True)
    window, s, web1, view = show_performance(make_window, conn, qtbot, "web1")
    qtbot.waitUntil(lambda: not view.loading and len(view.series[web1]) >= 2, timeout=10_000)
    conn.pause_vm("web1").wait(check=True)
    conn.resume_vm("web1").wait(check=True)
    conn.restart_vm("web1").wait(check=True)
    qtbot.waitUntil(lambda: {"paused", "reset"} <= {k for _t, k in view.markers[web1]}, timeout=10_000)
    drawn = view.plots["cpu"].markers
    assert len(drawn) >= 3 and any("paused" in (m.label.toPlainText() if m.label else "") for m in drawn)


def test_series_append_trim_and_host_sums():
    s = Series(("a", "b"), capacity=4)
    for i in range(100):
        assert s.append(float(i), {"a": i, "b": None})
        s.trim(i - 10)
    assert not s.append(50.0, {"a": 1})  # older than the last: ignored
    assert len(s) == 11 and list(s.times()[:2]) == [89.0, 90.0]
    assert np.isnan(s.column("b")).all() and s.column("a")[-1] == 99.0
    assert s.index_at(94.4) == 5 and s.index_at(1000) == 10
    times, sums = sum_histories([{"t": [1, 2], "series": {"x": [1, None]}}, {"t": [2, 3], "series": {"x": [5, 6]}}],
                                ["x"])
    assert times == [1, 2, 3] and sums["x"] == [1, 5, 6]
