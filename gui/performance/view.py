"""The Performance view (pyqtgraph): CPU, memory, disk, network and VMBus/exits of one VM, several VMs overlaid, or
the host (parent partition), over the last minute, 10 minutes, hour or day.

History comes from ``conn.metrics_history`` in a worker when the targets or the window change; after that every
``metrics`` event (one per tick) is appended to the series and the existing curves get ``setData`` - no plot item
is created per tick, a curve draws at most a min/max pair per pixel column with the newest samples as they are
(thin.py), the time axis always ends past the newest sample, and a hidden view only notes that it is behind.
The plots are built and laid out by plotset.py (columns as the width allows, rows of a least height that scroll),
drawn by plot.py; the readout (a few lines at most) is readout.py's, the export exporting.py's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.performance.exporting import Exporting
from gui.performance.history import HOST, fetch
from gui.performance.panels import (
    HOST_METRICS,
    HOST_PANELS,
    STATE_MARKERS,
    VM_METRICS,
    VM_PANELS,
    WINDOWS,
    Panel,
    host_values,
    marker_text,
    window_label,
)
from gui.performance.plot import COLORS, Plot, nice_top
from gui.performance.plotset import MIN_ROW_HEIGHT, PlotSets
from gui.performance.readout import Readout
from gui.performance.series import Series
from gui.tasks import describe

__all__ = ["HOST", "MAX_COMPARE", "PerformanceView", "PerformanceWindow"]

log = logging.getLogger(__name__)

MAX_COMPARE = 8
TITLE_MIN_WIDTH = 260  # narrower beside the buttons, and the title goes above them
MAX_MARKERS = 40  # per target, the most recent


class PerformanceView(PlotSets, Readout, Exporting, QWidget):
    """Call ``show_targets(session, ["host"])`` or ``show_targets(session, [vm_id, ...])``."""

    history_loaded = Signal()
    exported = Signal(str)  # the path written (CSV or PNG)
    export_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, pop_out: Callable[[PerformanceView], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("performance_view")
        self.setAccessibleName(self.tr("Performance"))
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
        self._marks: list[tuple] = []

        # the title beside the buttons, or above them where the view is too narrow for both on one line
        self.head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.head.setContentsMargins(0, 0, 0, 0)
        bar = self.buttons = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("performance_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)  # several VMs' names (the key to their colours) wrap rather than being cut
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the view
        self.head.addWidget(self.title, 1)
        self.head.addLayout(bar)
        self.head.setAlignment(bar, Qt.AlignmentFlag.AlignLeft)
        self.compare = QToolButton()
        self.compare.setObjectName("compare_button")
        self.compare.setText(self.tr("Compare VMs"))
        self.compare.setToolTip(self.tr("Overlay several virtual machines of this host (or select several in the "
                                        "list)"))
        self.compare.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.compare_menu = QMenu(self.compare)
        self.compare_menu.aboutToShow.connect(self._fill_compare_menu)
        self.compare.setMenu(self.compare_menu)
        bar.addWidget(self.compare)
        self.window_box = QComboBox()
        self.window_box.setObjectName("time_window")
        self.window_box.setAccessibleName(self.tr("Time window"))
        self.window_box.setToolTip(self.tr("How far back the graphs go: the last minute and 10 minutes and hour at "
                                           "one sample per tick, the last day at one per minute"))
        for label, seconds in WINDOWS:
            self.window_box.addItem(window_label(label), seconds)
        self.window_box.currentIndexChanged.connect(lambda _i: self.set_window(self.window_box.currentData()))
        bar.addWidget(self.window_box)
        self.csv_button = QToolButton()
        self.csv_button.setText(self.tr("Export CSV..."))
        self.csv_button.setToolTip(self.tr("Save the data shown (every target, every line) as CSV"))
        self.csv_button.clicked.connect(self._ask_csv)
        bar.addWidget(self.csv_button)
        self.png_button = QToolButton()
        self.png_button.setText(self.tr("Export PNG..."))
        self.png_button.setToolTip(self.tr("Save the graphs as a PNG image"))
        self.png_button.clicked.connect(self._ask_png)
        bar.addWidget(self.png_button)
        if pop_out is not None:
            self.pop_button = QToolButton()
            self.pop_button.setText(self.tr("Open in Window"))
            self.pop_button.setToolTip(self.tr("Open these graphs in a window of their own (larger, stays open)"))
            self.pop_button.clicked.connect(lambda: pop_out(self))
            bar.addWidget(self.pop_button)

        pg.setConfigOptions(antialias=False)
        # one set of plots for VMs and one for the host, each built once: switching shows the other. They scroll
        # where the view is lower than their rows' least height (plotset.py) instead of shrinking to slivers
        self.stack = QStackedWidget()
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("performance_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # half a row at least: the main window's splitter may still give the list most of its height
        self.scroll.setMinimumHeight(MIN_ROW_HEIGHT // 2)
        self._layouts: dict[int, tuple[pg.GraphicsLayoutWidget, dict[str, Plot]]] = {}
        self._building: dict[int, object] = {}  # sets of plots being built in idle time
        self._step_timer = QTimer(self, interval=30, timeout=self._build_step)
        self.graphics: pg.GraphicsLayoutWidget | None = None
        self.plots: dict[str, Plot] = {}
        self._panels: tuple[Panel, ...] = ()
        self._build_plots(VM_PANELS)

        self.readout = QLabel()
        self.readout.setObjectName("performance_readout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setAccessibleName(self.tr("Values under the cursor"))
        self.readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.readout_area = QScrollArea()  # at most READOUT_LINES high: more (many VMs) scrolls
        self.readout_area.setObjectName("performance_readout_area")
        self.readout_area.setWidgetResizable(True)
        self.readout_area.setFrameShape(QFrame.Shape.NoFrame)
        self.readout_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.readout_area.setWidget(self.readout)
        self.scroll.setWidget(self.stack)
        self.scroll.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(self.head)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.readout_area)
        self._apply_palette()
        self._set_title()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() - self.buttons.sizeHint().width() >= TITLE_MIN_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.head.direction() != direction:
            self.head.setDirection(direction)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._apply_palette()

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
            return (self.session.host_label if self.session is not None else "") or self.tr("Host")
        name = self.session.vm_model.name_of(target) if self.session is not None else ""
        return name or target[:8]

    def _set_title(self) -> None:
        if not self.targets:
            self.title.setText(self.tr("<b>Performance</b>: select a virtual machine or a host"))
            return
        if self.targets == [HOST]:
            who = escape(self.tr("{host} (parent partition)").format(host=self.target_name(HOST)))
        elif len(self.targets) == 1:
            who = escape(self.target_name(self.targets[0]))
        else:  # each VM in the colour of its lines
            who = ", ".join(f"<span style='color:{COLORS[i % len(COLORS)]}'>\u25a0</span> "
                            f"{escape(self.target_name(t))}" for i, t in enumerate(self.targets))
        self.title.setText(self.tr("<b>Performance</b>: {who}").format(who=who))

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
        self.session.call(fetch, list(self.targets), float(self.window_seconds), vm_ids, owner=self,
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
        self._set_readout(self.tr("History unavailable: {why}. New samples appear as they arrive.").format(
            why=describe(error)))

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
        self._marks = self._marker_layout()
        for i, plot in enumerate(self.plots.values()):
            plot.set_markers(self._marks, label=i == 0)

    def _marker_layout(self) -> list[tuple[float, str, str, int, bool, str]]:
        """(time, kind, label's who, level, label on the right, every who) of each marker line shown. A label goes
        left of its line where it fits, else right; VMs started together share one line, named by their count
        where their names do not fit on either side; labels close together are stepped down."""
        now = time.time()
        since = now - self.window_seconds
        marks: list[tuple[float, str, str]] = []
        several = len(self.targets) > 1
        for target, items in self.markers.items():
            who = self.target_name(target) if several else ""
            marks += [(t, kind, who) for t, kind in items if t >= since]
        marks.sort()
        merged: list[tuple[float, str, str, int]] = []
        for t, kind, who in marks:  # VMs started together get one line and one label
            if merged and merged[-1][1] == kind and t - merged[-1][0] < 2.0:
                merged[-1] = (merged[-1][0], kind, f"{merged[-1][2]}, {who}" if who else "", merged[-1][3] + 1)
            else:
                merged.append((t, kind, who, 1))
        first = next(iter(self.plots.values()), None)
        px_per_s = (first.item.vb.width() if first is not None else 300) / max(1, self.window_seconds)
        char = self.fontMetrics().averageCharWidth()
        out = []
        level, last = 0, -1e18
        for t, kind, who, count in merged:
            left, right = (t - since) * px_per_s, (now - t) * px_per_s
            shown = who
            width = (len(shown) + len(marker_text(kind)) + 2) * char
            if count > 1 and width > max(left, right):
                shown = self.tr("{n} VMs").format(n=count)
                width = (len(shown) + len(marker_text(kind)) + 2) * char
            on_right = left < width and right > left  # not enough room on the left, more on the right
            level = (level + 1) % 3 if (t - last) * px_per_s < width else 0
            out.append((t, kind, shown, level, on_right, who))
            last = t
        return out

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
        first = next(iter(self.plots.values()), None)
        width = max(1.0, first.item.vb.width()) if first is not None else 1.0
        per_column = self.window_seconds / width  # seconds per pixel column
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
                tops[line.axis] = max(tops[line.axis], float(np.nanmax(y)))
                curve.seconds_per_column = per_column  # it draws a min/max pair per pixel column (plot.Curve)
                curve.setData(x, y)
            panel = plot.panel
            if panel.unit("right") == "%" and self.targets == [HOST]:  # the host service: no more than every
                cpus = ((self.session.host if self.session else {}).get("capabilities") or {}).get(
                    "logical_processors") or 1  # core busy (a first sample can claim more)
                tops["right"] = min(tops["right"], 100.0 * cpus)
            plot.set_top("left", float(panel.y_max) if panel.y_max else nice_top(tops["left"], panel.unit("left")))
            if plot.right is not None:
                plot.set_top("right", nice_top(tops["right"], panel.unit("right")))
        if first is not None:
            # slide the time axis only once the newest sample would be past its end, and then one pixel column
            # further: a long window is not redrawn whole every tick, and the newest sample is always in view
            newest = max((s.last_t for s in self.series.values()), default=now)
            if max(now, newest) > self._x_end or self._x_end - now > 2 * per_column or \
                    self._x_span != self.window_seconds:
                self._x_end, self._x_span = max(now, newest) + per_column, self.window_seconds
                first.item.setXRange(self._x_end - self.window_seconds, self._x_end, padding=0)
        if self._marks and self._marker_layout() != self._marks:  # a label moved to the other side of its line
            self._draw_markers()
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
            elif obj is self.scroll.viewport() and event.type() == event.Type.Resize:
                self.arrange()
                self.fit_readout()
        except Exception:
            log.exception("performance view: %s event", event.type())
        return False

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
            menu.addAction(self.tr("No virtual machines")).setEnabled(False)

    def toggle_target(self, vm_id: str, on: bool) -> None:
        targets = [t for t in self.targets if t != HOST]
        if on and vm_id not in targets:
            targets.append(vm_id)
        elif not on and vm_id in targets and len(targets) > 1:
            targets.remove(vm_id)
        self.show_targets(self.session, targets)


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
        self.setWindowTitle(self.tr("Performance - {targets}").format(
            targets=", ".join(self.view.target_name(t) for t in targets)))
