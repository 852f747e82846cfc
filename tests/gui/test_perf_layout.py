"""The Performance tab is readable in the default 1280x800 window, with one VM and with five: graphs keep a least
height (the view scrolls rather than squeezing them into slivers), titles and legends stay within their own plot and
above its data, tick labels fit their axis, no plot overlaps another, and the readout and the key to the VMs'
colours take a bounded, whole part of the view."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from gui.performance.plot import axis_font
from gui.performance.plotset import COLUMN_GAP, MIN_ROW_HEIGHT
from gui.performance.readout import READOUT_LINES

from .conftest import vm_by_name, wait_state

NAMES = ("build", "cache", "db1", "mail", "web1")


def tick_labels_fit(plot, side: str) -> None:
    axis = plot.item.getAxis(side)
    if not axis.isVisible():
        return
    view = plot.item.vb if side == "left" or plot.right is None else plot.right
    low, high = view.viewRange()[1]
    metrics = QFontMetrics(axis_font())
    widest = 0
    for _spacing, values in axis.tickValues(low, high, view.height()):
        scale = axis.autoSIPrefixScale if axis.autoSIPrefix else 1.0
        strings = axis.tickStrings(values, scale, _spacing)
        widest = max([widest] + [metrics.horizontalAdvance(s) for s in strings])
    label = axis.label.boundingRect().height() if axis.label.isVisible() else 0
    assert widest + label <= axis.width() + 2, (plot.panel.key, side, widest, label, axis.width())


def check_readable(window, view, several: bool) -> None:
    assert (window.width(), window.height()) == (1280, 800)
    plots = list(view.plots.values())
    rects = {p.panel.key: p.item.sceneBoundingRect() for p in plots}
    for plot in plots:
        item, vb, key = plot.item, plot.item.vb, plot.panel.key
        assert vb.width() >= 120 and vb.height() >= 80, (key, vb.width(), vb.height())  # no slivers
        assert item.height() >= MIN_ROW_HEIGHT - 1, (key, item.height())
        title = item.titleLabel
        assert title.item.boundingRect().width() <= item.width() + 1, key  # the legend stays within its plot
        assert title.sceneBoundingRect().bottom() <= vb.sceneBoundingRect().top() + 1, key  # and above the data
        text = title.text
        assert "\u2026" not in text and all(label in text for label, _c, _s in plot.legend), key  # all of it
        for side in ("left", "right"):
            tick_labels_fit(plot, side)
        for other, rect in rects.items():  # no plot (with its axes and their labels) runs into another
            if other != key:
                gap = rect.intersected(rects[key])
                assert gap.isEmpty() or gap.width() * gap.height() < 1, (key, other)
    row = [r for r in rects.values() if abs(r.top() - rects["cpu"].top()) < 1]
    row.sort(key=lambda r: r.left())
    assert len(row) >= 2 and all(b.left() - a.right() >= COLUMN_GAP - 2 for a, b in zip(row, row[1:]))

    # the graphs scroll: every one of them can be brought into view, whole
    scroll, graphics = view.scroll, view.graphics
    assert graphics.height() >= max(r.bottom() for r in rects.values()) - 1
    bar = scroll.verticalScrollBar()
    assert bar.maximum() == max(0, graphics.height() - scroll.viewport().height())
    bar.setValue(bar.maximum())
    last = graphics.viewport().mapTo(scroll.viewport(), graphics.mapFromScene(rects["vmbus"].bottomLeft()))
    assert 0 <= last.y() <= scroll.viewport().height() + 1
    bar.setValue(0)
    assert scroll.viewport().height() >= MIN_ROW_HEIGHT  # at least a whole row of graphs shows

    # the readout: a few lines at most, the key to the colours whole
    line = view.readout.fontMetrics().lineSpacing()
    assert view.readout_area.height() <= READOUT_LINES * line + 4
    assert view.title.height() >= view.title.heightForWidth(view.title.width())
    if several:
        assert all(name in view.title.text() for name in NAMES)
        assert all(name in view.readout.text() for name in NAMES) and "CPU" in view.readout.text()
        assert view.readout_area.height() <= 2 * line + 4  # one line per graph's values, not one per VM


def test_the_performance_tab_is_readable_at_1280x800_with_one_and_five_vms(make_window, conn, qtbot):
    conn._transport.service.sampler.interval = 0.5
    for name in NAMES:
        conn.new_vm(name, memory="16M", start=True).wait(check=True)
    window = make_window(conn)
    assert (window.width(), window.height()) == (1280, 800)  # the first run's window
    s = window.session
    for name in NAMES:
        wait_state(qtbot, s, name, "Running")
    window.select_vms(["web1"])
    view = window.show_performance()
    web1 = vm_by_name(s, "web1")["id"]
    qtbot.waitUntil(lambda: not view.loading and len(view.series[web1]) >= 2, timeout=10_000)
    qtbot.wait(200)
    check_readable(window, view, several=False)

    window.select_vms(list(NAMES))
    qtbot.waitUntil(lambda: len(view.targets) == 5 and not view.loading, timeout=10_000)
    qtbot.waitUntil(lambda: all(len(view.series[t]) >= 1 for t in view.targets), timeout=10_000)
    qtbot.wait(200)
    check_readable(window, view, several=True)

    # wider (the window maximised, or the graphs in a window of their own): still readable, more of it at once
    window.resize(1600, 1000)
    qtbot.wait(200)
    assert view.plots["cpu"].item.vb.width() >= 120
