"""The Performance view (pyqtgraph): CPU, memory, disk, network and VMBus/exits of one VM, several VMs overlaid, or
the host (parent partition), over the last minute, 10 minutes, hour or day.

History comes from ``conn.metrics_history`` in a worker when the targets or the window change; after that every
``metrics`` event (one per tick) is appended to the series and the existing curves get ``setData`` - no plot item
is created per tick, curves clip to the view and downsample, and a hidden view only notes that it is behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.performance import export
from gui.performance.panels import (
    HOST_METRICS,
    HOST_PANELS,
    HOST_SUMMED,
    MARKER_TEXT,
    STATE_MARKERS,
    SUM_PREFIX,
    VM_METRICS,
    VM_PANELS,
    WINDOWS,
    Line,
    Panel,
    host_values,
    readout,
)
from gui.performance.series import Series, sum_histories
from gui.tasks import describe

log = logging.getLogger(__name__)

HOST = "host"
MAX_COMPARE = 8
MAX_MARKERS = 40  # per target, the most recent
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
          "#7f7f7f")
MARKER_COLORS = {"running": "#2ca02c", "paused": "#e6a700", "saved": "#1f77b4", "off": "#7f7f7f",
                 "critical": "#d62728", "reset": "#9467bd"}
STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine}


def _fetch(conn, targets: list[str], seconds: float, vm_ids: list[str]) -> dict:
    """Worker: the history of each target. The host's summed panels add up every VM's history."""
    out = {}
    for target in targets:
        if target == HOST:
            h = conn.metrics_history(HOST, seconds)
            parts = []
            for vm in vm_ids:
                try:
                    parts.append(conn.metrics_history(vm, seconds, list(HOST_SUMMED)))
                except Exception:  # noqa: BLE001 - a VM removed meanwhile adds nothing
                    continue
            times, sums = sum_histories(parts, HOST_SUMMED)
            index = {t: i for i, t in enumerate(times)}
            series = dict(h.get("series") or {})
            for m in HOST_SUMMED:
                column = sums[m]
                series[SUM_PREFIX + m] = [column[index[t]] if t in index else None for t in h.get("t") or []]
            h["series"] = series
            out[target] = h
        else:
            out[target] = conn.metrics_history(target, seconds, list(VM_METRICS))
    return out


def _title_never_widens(label: pg.LabelItem) -> None:
    """pyqtgraph's LabelItem makes its text's width its minimum width (again on every resize), so a long title
    with its legend would push the five plots wider than the view. Keep only its height."""

    def update_min() -> None:
        height = label.itemRect().height()
        label.setMinimumWidth(0)
        label.setMinimumHeight(height)
        label._sizeHint = {Qt.SizeHint.MinimumSize: (0, height), Qt.SizeHint.PreferredSize: (0, height),
                           Qt.SizeHint.MaximumSize: (-1, -1), Qt.SizeHint.MinimumDescent: (0, 0)}
        label.updateGeometry()

    label.updateMin = update_min
    label.opts["justify"] = "left"  # a title wider than its plot then runs off the right end, not both ends
    update_min()


def _nice_top(value: float, unit: str) -> float:
    """The top of an axis from 0: a little above the largest value, and never a zoom into noise (at least 1 of the
    unit, 1 KiB/s for bytes, 100 for percentages)."""
    floor = {"%": 100.0, "bytes/s": 1024.0}.get(unit, 1.0)
    if value != value or value <= floor:
        return floor
    top = value * 1.1
    magnitude = 10 ** np.floor(np.log10(top))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= top:
            return float(step * magnitude)
    return float(top)


class _Plot:
    """One panel: a PlotItem, an optional right-axis ViewBox, a cursor line and the panel's curves by key."""

    def __init__(self, layout: pg.GraphicsLayout, panel: Panel, row: int, col: int, colspan: int = 1) -> None:
        self.panel = panel
        self.item: pg.PlotItem = layout.addPlot(row=row, col=col, colspan=colspan,
                                                axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        item = self.item
        item.setTitle(panel.title, size="9pt")
        _title_never_widens(item.titleLabel)
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(maxTickLevel=0)  # major grid lines only: minor ones double the paint time
        item.setLabel("left", panel.left)
        item.getAxis("left").enableAutoSIPrefix(panel.left not in ("%", "MiB"))
        # ranges are set by the view from the data it shows (from 0, never a zoom into noise): no auto-range passes
        item.vb.disableAutoRange()
        self.ranges: dict[str, float] = {}
        self.right: pg.ViewBox | None = None
        if panel.right:
            self.right = pg.ViewBox()
            item.showAxis("right")
            item.scene().addItem(self.right)
            axis = item.getAxis("right")
            axis.linkToView(self.right)
            axis.setLabel(panel.right)
            axis.enableAutoSIPrefix(False)
            axis.setStyle(maxTickLevel=0)
            self.right.setXLink(item)
            self.right.setMouseEnabled(x=False, y=False)
            self.right.disableAutoRange()
            item.vb.sigResized.connect(self._fit_right)
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888888", width=1))
        self.cursor.setZValue(50)
        self.cursor.hide()
        item.addItem(self.cursor, ignoreBounds=True)
        self.hcursor = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888888", width=1))  # the crosshair's
        self.hcursor.setZValue(50)
        self.hcursor.hide()
        item.addItem(self.hcursor, ignoreBounds=True)
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}  # (target, metric) -> the curve drawing it
        self.pool: dict[tuple[int, str], pg.PlotDataItem] = {}  # (slot, metric) -> curve
        self.markers: list[pg.InfiniteLine] = []
        self.legend: list[tuple[str, str, str]] = []  # (label, colour, style), shown in the title over the plot
        self.text_color = "#000000"
        self._fitted_width = -1.0
        item.geometryChanged.connect(self.fit_title)

    def set_top(self, axis: str, top: float) -> None:
        """Show 0..top on an axis (only when it changed: setting a range costs a relayout)."""
        if self.ranges.get(axis) == top:
            return
        self.ranges[axis] = top
        vb = self.item.vb if axis == "left" or self.right is None else self.right
        vb.setYRange(0, top, padding=0.03)

    def _fit_right(self) -> None:
        self.right.setGeometry(self.item.vb.sceneBoundingRect())
        self.right.linkedViewChanged(self.item.vb, self.right.XAxis)

    def set_legend(self, legend: list[tuple[str, str, str]]) -> None:
        """The legend goes in the title line (a legend box inside the plot would hide data and markers)."""
        self.legend = legend
        self._fitted_width = -1.0
        self.fit_title()

    def fit_title(self) -> None:
        """Title and legend on one line when they fit the plot's width, else the legend on a second line (as much
        of it as fits; the rest is in the tooltip)."""
        width = self.item.width()
        if abs(width - self._fitted_width) < 1:
            return
        self._fitted_width = width
        from html import escape

        from PySide6.QtGui import QFont, QFontMetricsF

        glyphs = {"solid": "\u2501\u2501", "dash": "\u254d\u254d", "dot": "\u2509\u2509"}
        bold = QFont()
        bold.setPointSizeF(9)
        bold.setBold(True)
        small = QFont()
        small.setPointSizeF(7.5)
        title_w = QFontMetricsF(bold).horizontalAdvance(self.panel.title)
        metrics = QFontMetricsF(small)
        parts, widths = [], []
        for label, color, style in self.legend:
            parts.append(f"<span style='color:{color}'>{glyphs[style]}</span>&nbsp;{escape(label)}")
            widths.append(metrics.horizontalAdvance(f"{glyphs[style]} {label}") + metrics.horizontalAdvance("   "))
        room = max(40.0, width - 8)
        if title_w + 16 + sum(widths) <= room:
            shown, br = len(parts), False
        else:
            shown, used, br = 0, 0.0, True
            for w in widths:
                if used + w > room:
                    break
                used += w
                shown += 1
        legend = "&nbsp;&nbsp; ".join(parts[:shown]) + (" \u2026" if shown < len(parts) else "")
        html = f"<b>{escape(self.panel.title)}</b>"
        if parts:
            html += ("<br>" if br else "&nbsp;&nbsp;&nbsp;") + f"<span style='font-size:7.5pt'>{legend}</span>"
        self.item.setTitle(html, size="9pt", color=self.text_color)
        self.item.titleLabel.setToolTip(", ".join(label for label, _c, _s in self.legend))

    def curve(self, slot: int, line: Line) -> pg.PlotDataItem:
        """The curve of ``line`` for the ``slot``-th target shown, made the first time it is needed and reused after
        (targets change without creating plot items)."""
        curve = self.pool.get((slot, line.metric))
        if curve is not None:
            return curve
        # one min/max pair per pixel column: a day or an hour of samples draws as a few hundred points
        curve = pg.PlotDataItem(autoDownsampleFactor=1.0)
        if line.axis == "right" and self.right is not None:
            self.right.addItem(curve)
        else:
            self.item.addItem(curve)
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        self.pool[(slot, line.metric)] = curve
        return curve

    def clear_curves(self) -> None:
        """Empty and hide every curve (they stay for the next targets)."""
        for curve in self.pool.values():
            if curve.isVisible():
                curve.setData([], [])
                curve.hide()
        self.curves.clear()

    def set_markers(self, marks: list[tuple[float, str, str, int]], label: bool) -> None:
        """Vertical lines at (time, kind, who, level); level staggers the labels of markers close together."""
        for line in self.markers:
            self.item.removeItem(line)
        self.markers = []
        for t, kind, who, level in marks:
            color = MARKER_COLORS.get(kind, "#888888")
            line = pg.InfiniteLine(pos=t, angle=90, movable=False,
                                   pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine),
                                   label=(f"{who} {MARKER_TEXT.get(kind, kind)}".strip() if label else None),
                                   labelOpts={"position": 0.97 - 0.16 * level, "color": color,
                                              "anchors": [(1, 0), (1, 0)]})
            line.setToolTip(f"{who} {MARKER_TEXT.get(kind, kind)} at {time.strftime('%H:%M:%S', time.localtime(t))}")
            self.item.addItem(line, ignoreBounds=True)
            self.markers.append(line)


class PerformanceView(QWidget):
    """Call ``show_targets(session, ["host"])`` or ``show_targets(session, [vm_id, ...])``."""

    history_loaded = Signal()
    exported = Signal(str)  # the path written (CSV or PNG)
    export_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, pop_out: Callable[[PerformanceView], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("performance_view")
        self.setAccessibleName("Performance")
        self.session = None
        self.targets: list[str] = []
        self.window_seconds = WINDOWS[0][1]
        self.series: dict[str, Series] = {}
        self.markers: dict[str, list[tuple[float, str]]] = {}
        self.loading = False
        self.refresh_count = 0
        self.last_refresh_ms = 0.0
        self._generation = 0
        self._pending: list[tuple[float, dict]] = []  # live samples that arrived while history was loading
        self._dirty = False
        self._wanted: tuple | None = None  # (session, targets) to load once shown
        self._hover_x: float | None = None
        self._connected_session = None
        self._x_end = 0.0
        self._x_span = 0

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("performance_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the view
        bar.addWidget(self.title, 1)
        self.compare = QToolButton()
        self.compare.setObjectName("compare_button")
        self.compare.setText("Compare VMs")
        self.compare.setToolTip("Overlay several virtual machines of this host (or select several in the list)")
        self.compare.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.compare_menu = QMenu(self.compare)
        self.compare_menu.aboutToShow.connect(self._fill_compare_menu)
        self.compare.setMenu(self.compare_menu)
        bar.addWidget(self.compare)
        self.window_box = QComboBox()
        self.window_box.setObjectName("time_window")
        self.window_box.setAccessibleName("Time window")
        self.window_box.setToolTip("How far back the graphs go: the last minute and 10 minutes and hour at one "
                                   "sample per tick, the last day at one per minute")
        for label, seconds in WINDOWS:
            self.window_box.addItem(f"Last {label}", seconds)
        self.window_box.currentIndexChanged.connect(lambda _i: self.set_window(self.window_box.currentData()))
        bar.addWidget(self.window_box)
        self.csv_button = QToolButton()
        self.csv_button.setText("Export CSV...")
        self.csv_button.setToolTip("Save the data shown (every target, every line) as CSV")
        self.csv_button.clicked.connect(self._ask_csv)
        bar.addWidget(self.csv_button)
        self.png_button = QToolButton()
        self.png_button.setText("Export PNG...")
        self.png_button.setToolTip("Save the graphs as a PNG image")
        self.png_button.clicked.connect(self._ask_png)
        bar.addWidget(self.png_button)
        if pop_out is not None:
            self.pop_button = QToolButton()
            self.pop_button.setText("Open in Window")
            self.pop_button.setToolTip("Open these graphs in a window of their own (larger, stays open)")
            self.pop_button.clicked.connect(lambda: pop_out(self))
            bar.addWidget(self.pop_button)

        pg.setConfigOptions(antialias=False)
        # one set of plots for VMs and one for the host, each built once: switching shows the other
        self.stack = QStackedWidget()
        self.stack.setMinimumHeight(80)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layouts: dict[int, tuple[pg.GraphicsLayoutWidget, dict[str, _Plot]]] = {}
        self._building: dict[int, object] = {}  # sets of plots being built in idle time
        self._step_timer = QTimer(self, interval=30, timeout=self._build_step)
        self.graphics: pg.GraphicsLayoutWidget | None = None
        self.plots: dict[str, _Plot] = {}
        self._panels: tuple[Panel, ...] = ()
        self._build_plots(VM_PANELS)

        self.readout = QLabel()
        self.readout.setObjectName("performance_readout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setAccessibleName("Values under the cursor")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.readout)
        self._apply_palette()
        self._set_title()

    # --- building ------------------------------------------------------------------------------------------------
    def _build_plots(self, panels: tuple[Panel, ...]) -> None:
        """Show the plots for ``panels`` (VM_PANELS or HOST_PANELS), building them the first time."""
        if panels is self._panels:
            return
        for plot in self.plots.values():
            plot.clear_curves()
        self._panels = panels
        self._x_end = 0.0  # the time axis of the plots shown next is set on the next refresh
        building = self._building.pop(id(panels), None)
        if building is not None:  # started in idle time: finish it now
            for _ in building:
                pass
        elif id(panels) not in self._layouts:
            for _ in self._layout_steps(panels):
                pass
        self.graphics, self.plots = self._layouts[id(panels)]
        self.stack.setCurrentWidget(self.graphics)

    def _layout_steps(self, panels: tuple[Panel, ...]):
        """Build the plots of ``panels`` one at a time (a generator: each step is a few milliseconds of work)."""
        graphics = pg.GraphicsLayoutWidget()
        graphics.setObjectName("performance_graphs")
        graphics.ci.setContentsMargins(2, 2, 2, 2)
        graphics.ci.setSpacing(4)
        graphics.ci.layout.setHorizontalSpacing(14)  # one plot's right axis label apart from the next one's left
        plots: dict[str, _Plot] = {}
        places = ((0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1), (1, 1, 2))
        first = None
        for panel, (row, col, span) in zip(panels, places):
            yield
            plot = _Plot(graphics.ci, panel, row, col, span)
            if first is None:
                first = plot.item
            else:
                plot.item.setXLink(first)
            plots[panel.key] = plot
        graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        self._layouts[id(panels)] = (graphics, plots)
        self.stack.addWidget(graphics)
        graphics.viewport().installEventFilter(self)
        self._apply_palette()

    def _build_later(self) -> None:
        """Build the other set of plots in idle time, a plot per turn of the event loop, so that choosing the host
        (or a VM) the first time does not hold the window for the ~100 ms a whole set takes."""
        for panels in (VM_PANELS, HOST_PANELS):
            if id(panels) not in self._layouts and id(panels) not in self._building:
                self._building[id(panels)] = self._layout_steps(panels)
        if self._building:
            self._step_timer.start()

    def _build_step(self) -> None:
        for key, steps in list(self._building.items()):
            try:
                next(steps)
            except StopIteration:
                del self._building[key]
            return
        self._step_timer.stop()

    def _apply_palette(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        for graphics, _plots in self._layouts.values():
            graphics.setBackground(base)
        for plot in (p for _g, plots in self._layouts.values() for p in plots.values()):
            for name in ("left", "bottom", "right"):
                axis = plot.item.getAxis(name)
                axis.setPen(pg.mkPen(text))
                axis.setTextPen(pg.mkPen(text))
            plot.text_color = text.name()
            plot.set_legend(plot.legend)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._apply_palette()

    def _make_curves(self) -> None:
        for plot in self.plots.values():
            plot.clear_curves()
        several = len(self.targets) > 1
        legends: dict[str, list] = {key: [] for key in self.plots}
        for ti, target in enumerate(self.targets):
            for key, plot in self.plots.items():
                for li, line in enumerate(plot.panel.lines):
                    if several:  # colour per VM (the title shows which), line style per metric
                        color = QColor(COLORS[ti % len(COLORS)])
                        if li % 2:
                            color = color.darker(130)
                    else:
                        color = QColor(COLORS[li % len(COLORS)])
                    curve = plot.curve(ti, line)
                    curve.setPen(pg.mkPen(color, width=1, style=STYLES[line.style]))  # wider pens: 2-10x the paint
                    curve.show()
                    plot.curves[(target, line.metric)] = curve
                    if ti == 0:  # with several VMs the title says which colour is which; the legend, which line
                        legends[key].append((line.label, color.name() if not several else "#808080", line.style))
        for key, plot in self.plots.items():
            plot.set_legend(legends[key])

    # --- what is shown -------------------------------------------------------------------------------------------
    def show_targets(self, session, targets: list[str]) -> None:
        """Graph these targets of ``session`` ("host" or VM ids); history loads when the view is visible."""
        targets = list(dict.fromkeys(targets))[:MAX_COMPARE]
        if session is self.session and targets == self.targets:
            return
        if session is not self._connected_session:
            if self._connected_session is not None:
                try:
                    self._connected_session.metrics.disconnect(self._on_sample)
                    self._connected_session.state_changed.disconnect(self._on_state)
                    self._connected_session.job_done.disconnect(self._on_job)
                except (RuntimeError, TypeError):
                    pass
            if session is not None:
                session.metrics.connect(self._on_sample)
                session.state_changed.connect(self._on_state)
                session.job_done.connect(self._on_job)
            self._connected_session = session
        self.session = session
        self.targets = targets
        metrics = HOST_METRICS if targets == [HOST] else VM_METRICS
        self.series = {t: Series(metrics) for t in targets}
        self.markers = {t: [] for t in targets}
        self._hover_x = None
        self._build_plots(HOST_PANELS if targets == [HOST] else VM_PANELS)
        self._make_curves()
        self._set_title()
        self._draw_markers()
        self.hover(None)
        self.compare.setEnabled(session is not None and targets != [HOST])
        self._load()

    def target_name(self, target: str) -> str:
        if target == HOST:
            return (self.session.host_label if self.session is not None else "") or "Host"
        name = self.session.vm_model.name_of(target) if self.session is not None else ""
        return name or target[:8]

    def _set_title(self) -> None:
        if not self.targets:
            self.title.setText("<b>Performance</b>: select a virtual machine or a host")
            return
        from html import escape

        if self.targets == [HOST]:
            who = escape(f"{self.target_name(HOST)} (parent partition)")
        elif len(self.targets) == 1:
            who = escape(self.target_name(self.targets[0]))
        else:  # each VM in the colour of its lines
            who = ", ".join(f"<span style='color:{COLORS[i % len(COLORS)]}'>\u25a0</span> "
                            f"{escape(self.target_name(t))}" for i, t in enumerate(self.targets))
        self.title.setText(f"<b>Performance</b>: {who}")

    def set_window(self, seconds: int) -> None:
        if seconds == self.window_seconds:
            return
        self.window_seconds = int(seconds)
        i = self.window_box.findData(self.window_seconds)
        if i >= 0 and i != self.window_box.currentIndex():
            self.window_box.blockSignals(True)
            self.window_box.setCurrentIndex(i)
            self.window_box.blockSignals(False)
        for s in self.series.values():
            s.clear()
        self._load()

    def _load(self) -> None:
        if self.session is None or not self.targets or self.session.conn is None:
            self._refresh_now()
            return
        if not self.isVisible():
            self._wanted = (self.session, tuple(self.targets), self.window_seconds)
            return
        self._wanted = None
        self._generation += 1
        generation = self._generation
        self._pending = []
        self.loading = True
        vm_ids = [vm["id"] for vm in self.session.vm_model.vms()] if self.targets == [HOST] else []
        self.session.call(_fetch, list(self.targets), float(self.window_seconds), vm_ids, owner=self,
                          on_done=lambda h, g=generation: self._history(g, h),
                          on_error=lambda e, g=generation: self._history_failed(g, e))

    def _history(self, generation: int, histories: dict) -> None:
        if generation != self._generation:
            return
        self.loading = False
        for target, h in histories.items():
            series = self.series.get(target)
            if series is None:
                continue
            series.replace(h.get("t") or [], h.get("series") or {})
            self.markers[target] = [(m["t"], m["kind"]) for m in h.get("markers") or []][-MAX_MARKERS:]
        for t, values_by_target in self._pending:
            for target, values in values_by_target.items():
                if target in self.series:
                    self.series[target].append(t, values)
        self._pending = []
        self._draw_markers()
        self._refresh_now()
        self.history_loaded.emit()

    def _history_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.readout.setText(f"History unavailable: {describe(error)}. New samples appear as they arrive.")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if len(self._layouts) < 2 and not self._step_timer.isActive():
            QTimer.singleShot(1000, self._build_later)
        if self._wanted is not None:
            QTimer.singleShot(0, self._load)
        elif self._dirty:
            QTimer.singleShot(0, self._refresh_now)

    # --- live ----------------------------------------------------------------------------------------------------
    def _on_sample(self, sample: dict) -> None:
        if not self.targets:
            return
        t = sample.get("t")
        if t is None:
            return
        values = {}
        for target in self.targets:
            if target == HOST:
                values[target] = host_values(sample)
            else:
                v = (sample.get("vms") or {}).get(target)
                if v is not None:
                    values[target] = v
        if self.loading:
            self._pending.append((t, values))
            return
        for target, v in values.items():
            self.series[target].append(t, v)
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def _on_state(self, vm_id: str, state: str) -> None:
        kind = STATE_MARKERS.get(state)
        if kind and vm_id in self.markers:
            self._add_marker(vm_id, kind)

    def _on_job(self, job: dict) -> None:
        if job.get("name") == "Reset VM" and job.get("state") == "Completed" and job.get("target") in self.markers:
            self._add_marker(job["target"], "reset", job.get("ended"))

    def _add_marker(self, target: str, kind: str, t: float | None = None) -> None:
        marks = self.markers[target]
        marks.append((t or time.time(), kind))
        del marks[:-MAX_MARKERS]
        self._draw_markers()

    def _draw_markers(self) -> None:
        since = time.time() - self.window_seconds
        marks: list[tuple[float, str, str]] = []
        several = len(self.targets) > 1
        for target, items in self.markers.items():
            who = self.target_name(target) if several else ""
            marks += [(t, kind, who) for t, kind in items if t >= since]
        marks.sort()
        merged: list[tuple[float, str, str]] = []
        for t, kind, who in marks:  # VMs started together get one line and one label
            if merged and merged[-1][1] == kind and t - merged[-1][0] < 2.0:
                merged[-1] = (merged[-1][0], kind, f"{merged[-1][2]}, {who}" if who else "")
            else:
                merged.append((t, kind, who))
        # a label is drawn to the left of its line: step it down when it would run into the one before
        first = next(iter(self.plots.values()), None)
        px_per_s = (first.item.vb.width() if first is not None else 300) / max(1, self.window_seconds)
        char = self.fontMetrics().averageCharWidth()
        marks = []
        level, last = 0, -1e18
        for t, kind, who in merged:
            width = (len(who) + len(MARKER_TEXT.get(kind, kind)) + 2) * char
            level = (level + 1) % 3 if (t - last) * px_per_s < width else 0
            marks.append((t, kind, who, level))
            last = t
        for i, plot in enumerate(self.plots.values()):
            plot.set_markers(marks, label=i == 0)

    # --- drawing -------------------------------------------------------------------------------------------------
    def _refresh_now(self) -> None:
        self._dirty = False
        self.refresh()

    def refresh(self) -> None:
        """Put the series into the existing curves (the per-tick work on the GUI thread)."""
        started = time.perf_counter()
        self._dirty = False
        now = time.time()
        since = now - self.window_seconds
        for series in self.series.values():
            series.trim(since - 5)
        for plot in self.plots.values():
            tops = {"left": 0.0, "right": 0.0}
            lines = {line.metric: line for line in plot.panel.lines}
            for (target, metric), curve in plot.curves.items():
                series = self.series.get(target)
                if series is None:
                    continue
                line = lines[metric]
                x = series.times()
                y = series.column(metric)
                if line.scale != 1.0:
                    y = y * line.scale
                if not len(x) or np.isnan(y).all():
                    curve.setData([], [])
                    continue
                curve.setData(x, y)
                tops[line.axis] = max(tops[line.axis], float(np.nanmax(y)))
            panel = plot.panel
            if panel.left == "%" and self.targets == [HOST]:  # no more than all processors busy (a first sample
                cpus = ((self.session.host if self.session else {}).get("capabilities") or {}).get(
                    "logical_processors") or 1  # of the service's own CPU can claim more)
                tops["left"] = min(tops["left"], 100.0 * cpus)
            plot.set_top("left", float(panel.y_max) if panel.y_max else _nice_top(tops["left"], panel.left))
            if plot.right is not None:
                plot.set_top("right", _nice_top(tops["right"], panel.right))
        first = next(iter(self.plots.values()), None)
        if first is not None:
            # slide the time axis only once it moved a pixel: a long window is not redrawn whole every tick
            width = max(1.0, first.item.vb.width())
            if abs(now - self._x_end) >= self.window_seconds / width or self._x_span != self.window_seconds:
                self._x_end, self._x_span = now, self.window_seconds
                first.item.setXRange(since, now, padding=0)
        if self._hover_x is None:
            self._show_readout(None)
        self.refresh_count += 1
        self.last_refresh_ms = (time.perf_counter() - started) * 1000

    # --- the readout under the cursor ----------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        # an exception escaping a Python event filter can take PySide down with it (seen in 6.11): never let one out
        try:
            if self.graphics is not None and obj is self.graphics.viewport() and event.type() == event.Type.Leave:
                self.hover(None)
        except Exception:
            log.exception("performance view: leave event")
        return False

    def _mouse_moved(self, pos: QPointF) -> None:
        for plot in self.plots.values():
            if plot.item.vb.sceneBoundingRect().contains(pos):
                point = plot.item.vb.mapSceneToView(pos)
                self.hover(point.x())
                for other in self.plots.values():
                    if other is plot:
                        other.hcursor.setPos(point.y())
                        other.hcursor.show()
                    else:
                        other.hcursor.hide()
                return

    def hover(self, x: float | None) -> None:
        """Put the cursor line at time ``x`` (None: away) and show the values there."""
        self._hover_x = x
        for plot in self.plots.values():
            if x is None:
                plot.cursor.hide()
                plot.hcursor.hide()
            else:
                plot.cursor.setPos(x)
                plot.cursor.show()
        self._show_readout(x)

    def values_at(self, x: float | None) -> tuple[float | None, dict[str, dict[str, float]]]:
        """The sample time nearest ``x`` (the latest when None) and each target's values there (raw units)."""
        out: dict[str, dict[str, float]] = {}
        when = None
        for target, series in self.series.items():
            if not len(series):
                continue
            i = len(series) - 1 if x is None else series.index_at(x)
            if i is None:
                continue
            when = float(series.times()[i]) if when is None else when
            out[target] = {m: series.value(m, i) for m in series.metrics}
        return when, out

    def _show_readout(self, x: float | None) -> None:
        from html import escape

        if not self.targets:
            self.readout.setText("")
            return
        when, values = self.values_at(x)
        if when is None:
            self.readout.setText("Waiting for samples..." if self.loading or not self.series else
                                 "No samples in this window (the virtual machine was not running).")
            return
        stamp = time.strftime("%H:%M:%S", time.localtime(when))
        rows = []
        several = len(values) > 1
        for i, (target, vals) in enumerate(values.items()):
            name = escape(self.target_name(target))
            if several:
                name = f"<span style='color:{COLORS[i % len(COLORS)]}'>\u25a0</span> {name}"
            phrases = readout(vals, host=target == HOST)
            rows.append(f"<b>{name}</b>: " + " &middot; ".join(escape(p) for p in phrases))
        head = f"<b>{stamp}</b>{'' if x is not None else ' (latest)'}" + ("<br>" if several else " &nbsp; ")
        self.readout.setText(head + "<br>".join(rows))

    # --- comparing -----------------------------------------------------------------------------------------------
    def _fill_compare_menu(self) -> None:
        menu = self.compare_menu
        menu.clear()
        if self.session is None:
            return
        vms = sorted(self.session.vm_model.vms(), key=lambda v: v["name"].lower())
        for vm in vms:
            action = QAction(vm["name"], menu)
            action.setCheckable(True)
            action.setChecked(vm["id"] in self.targets)
            action.setEnabled(vm["id"] in self.targets or len(self.targets) < MAX_COMPARE)
            action.toggled.connect(lambda on, i=vm["id"]: self.toggle_target(i, on))
            menu.addAction(action)
        if not vms:
            menu.addAction("No virtual machines").setEnabled(False)

    def toggle_target(self, vm_id: str, on: bool) -> None:
        targets = [t for t in self.targets if t != HOST]
        if on and vm_id not in targets:
            targets.append(vm_id)
        elif not on and vm_id in targets and len(targets) > 1:
            targets.remove(vm_id)
        self.show_targets(self.session, targets)

    # --- export --------------------------------------------------------------------------------------------------
    def csv_table(self) -> tuple[list[str], list]:
        since = time.time() - self.window_seconds
        targets = [(self.target_name(t), self.series[t]) for t in self.targets if t in self.series]
        return export.table(targets, self._panels, since)

    def export_csv(self, path: str) -> None:
        """Write the shown data (copied here, written in a worker); ``exported`` says when it is done."""
        header, rows = self.csv_table()
        self._write(export.write_csv, path, header, rows)

    def export_png(self, path: str) -> None:
        image = self.graphics.grab().toImage()  # painting belongs to the GUI thread; encoding does not

        def save(p: str) -> None:
            if not image.save(p, "PNG"):
                raise OSError(f"cannot write {p}")

        self._write(save, path)

    def _write(self, fn, path: str, *args) -> None:
        if self.session is None:
            fn(path, *args)
            self.exported.emit(path)
            return
        self.session.tasks.run(fn, path, *args, owner=self, on_done=lambda _r: self.exported.emit(path),
                               on_error=lambda e: self.export_failed.emit(f"Cannot write {path}: {describe(e)}"))

    def _suggested(self, suffix: str) -> str:
        names = "-".join(self.target_name(t) for t in self.targets) or "performance"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return str(Path.home() / f"{names}-{stamp}.{suffix}")

    def _ask(self, title: str, suffix: str, filters: str, then: Callable[[str], None]) -> None:
        dialog = QFileDialog(self, title, self._suggested(suffix), filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(then)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _ask_csv(self) -> None:
        self._ask("Export Performance Data", "csv", "CSV files (*.csv)", self.export_csv)

    def _ask_png(self) -> None:
        self._ask("Export Performance Graphs", "png", "PNG images (*.png)", self.export_png)


class PerformanceWindow(QMainWindow):
    """The same graphs in a window of their own."""

    def __init__(self, session, targets: list[str], window_seconds: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("performance_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = PerformanceView(self)
        self.setCentralWidget(self.view)
        self.view.set_window(window_seconds)
        self.resize(1100, 640)
        self.view.show_targets(session, targets)
        self.setWindowTitle(f"Performance - {', '.join(self.view.target_name(t) for t in targets)}")
