"""One panel of the Performance view (pyqtgraph): a PlotItem with an optional right-axis ViewBox, a cursor and a
crosshair line, the panel's curves (made once per slot and reused when the targets change), state markers and the
legend in its title line."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotDataItem import PlotDataset
from PySide6.QtCore import Qt

from gui.i18n import translate
from gui.performance.panels import Line, Panel, marker_text
from gui.performance.thin import thin

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
          "#7f7f7f")
MARKER_COLORS = {"running": "#2ca02c", "paused": "#e6a700", "saved": "#1f77b4", "off": "#7f7f7f",
                 "critical": "#d62728", "reset": "#9467bd"}
STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine}


def title_never_widens(label: pg.LabelItem) -> None:
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


AXIS_POINTS = 8.0  # tick labels a little smaller than the text around them: more room for the data
AXIS_DIGITS = {"%": 4, "bytes/s": 4, "MiB": 6}  # the widest tick label each axis makes room for (others: 5)


def axis_font():
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    font = QFont(QApplication.font())
    font.setPointSizeF(min(AXIS_POINTS, font.pointSizeF()) if font.pointSizeF() > 0 else AXIS_POINTS)
    return font


def axis_width(unit: str) -> int:
    """The fixed width of a value axis in ``unit``: room for its widest tick label, the rotated label and a margin
    (pyqtgraph's own sizing grew an axis with its tick labels, over the plot beside it)."""
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(axis_font())
    return metrics.horizontalAdvance("0" * AXIS_DIGITS.get(unit, 5)) + metrics.height() + 10


def value_axis(axis: pg.AxisItem, label: str, unit: str) -> None:
    """A left or right axis: its label, bytes/s with an SI prefix on the label (kB/s, MB/s: ticks stay short),
    every other unit as it is, and a fixed width."""
    font = axis_font()
    axis.setStyle(maxTickLevel=0, autoExpandTextSpace=False, autoReduceTextSpace=False, tickFont=font)
    style = {"font-size": f"{font.pointSizeF():g}pt"}
    if unit == "bytes/s":
        axis.enableAutoSIPrefix(True)
        axis.setLabel(text="", units="B/s", **style)
    else:
        axis.enableAutoSIPrefix(False)
        axis.setLabel(translate("Performance", label), **style)
    axis.setWidth(axis_width(unit))


def nice_top(value: float, unit: str) -> float:
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


class Curve(pg.PlotDataItem):
    """A curve that draws at most a min/max pair per pixel column of ``seconds_per_column``, the newest samples
    always as they are (thin.py), in place of pyqtgraph's own downsampling and clipping, which dropped the newest
    samples. What it was given stays as given (``getOriginalDataset``); ``getData`` is what it draws."""

    seconds_per_column = 0.0

    def _getDisplayDataset(self):
        cached = self._datasetDisplay
        dataset = super()._getDisplayDataset()
        if dataset is None or dataset is cached or self.seconds_per_column <= 0:  # a cached one is thinned already
            return dataset
        x, y = thin(dataset.x, dataset.y, self.seconds_per_column)
        if len(x) != len(dataset.x):
            dataset = self._datasetDisplay = PlotDataset(x, y)
        return dataset


class Plot:
    """One panel: a PlotItem, an optional right-axis ViewBox, a cursor line and the panel's curves by key."""

    def __init__(self, layout: pg.GraphicsLayout, panel: Panel, row: int, col: int, colspan: int = 1) -> None:
        self.panel = panel
        self.item: pg.PlotItem = layout.addPlot(row=row, col=col, colspan=colspan,
                                                axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        item = self.item
        item.setTitle(panel.shown_title(), size="9pt")
        title_never_widens(item.titleLabel)
        # the title and its legend span the whole plot, axes included (pyqtgraph puts it over the data only)
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 0, 1, 3)
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        # major grid lines only: minor ones double the paint time
        item.getAxis("bottom").setStyle(maxTickLevel=0, tickFont=axis_font())
        value_axis(item.getAxis("left"), panel.left, panel.unit("left"))
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
            value_axis(axis, panel.right, panel.unit("right"))
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
        self.legend_lines = 0
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
        """Title and legend on one line when they fit the plot's width, else the legend on the lines below, as
        many as it needs: every entry is shown, none runs past the plot's edge (over its neighbour's axis)."""
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
        title = self.panel.shown_title()
        metrics = QFontMetricsF(small)
        gap = metrics.horizontalAdvance("\u00a0\u00a0 ")
        room = max(40.0, width - 16)
        lines: list[list[str]] = [[]]
        used = QFontMetricsF(bold).horizontalAdvance(title) + 2 * gap  # the first line starts after the title
        for label, color, style in self.legend:
            w = metrics.horizontalAdvance(f"{glyphs[style]} {label}")
            need = (gap if lines[-1] else 0.0) + w
            if used + need > room and (lines[-1] or len(lines) == 1):  # on a line of its own if need be
                lines.append([])
                used, need = 0.0, w
            used += need
            lines[-1].append(f"<span style='color:{color}'>{glyphs[style]}</span>&nbsp;{escape(label)}")
        html = f"<b>{escape(title)}</b>"
        for i, parts in enumerate(lines):
            if parts:
                html += ("&nbsp;&nbsp;&nbsp;" if i == 0 else "<br>") + \
                    f"<span style='font-size:7.5pt'>{'&nbsp;&nbsp; '.join(parts)}</span>"
        self.item.setTitle(html, size="9pt", color=self.text_color)
        label = self.item.titleLabel
        label.setMaximumHeight(label.itemRect().height() + 2)  # setTitle allows 30 px: a legend may need more lines
        self.legend_lines = sum(1 for parts in lines if parts)
        self.item.titleLabel.setToolTip(", ".join(label for label, _c, _s in self.legend))

    def curve(self, slot: int, line: Line) -> pg.PlotDataItem:
        """The curve of ``line`` for the ``slot``-th target shown, made the first time it is needed and reused after
        (targets change without creating plot items)."""
        curve = self.pool.get((slot, line.metric))
        if curve is not None:
            return curve
        # the view gives it at most a min/max pair per pixel column (thin.py: the newest samples always drawn),
        # so a day or an hour of samples draws as a few hundred points; pyqtgraph's own downsampling and clipping
        # stay off (they dropped the newest samples)
        curve = Curve()
        if line.axis == "right" and self.right is not None:
            self.right.addItem(curve)
        else:
            self.item.addItem(curve)
        self.pool[(slot, line.metric)] = curve
        return curve

    def clear_curves(self) -> None:
        """Empty and hide every curve (they stay for the next targets)."""
        for curve in self.pool.values():
            if curve.isVisible():
                curve.setData([], [])
                curve.hide()
        self.curves.clear()

    def set_markers(self, marks: list[tuple[float, str, str, int, bool, str]], label: bool) -> None:
        """Vertical lines at (time, kind, who, level, right, everyone); level staggers the labels of markers close
        together, right puts the label on the right of its line; the tooltip names everyone."""
        for line in self.markers:
            self.item.removeItem(line)
        self.markers = []
        for t, kind, who, level, right, everyone in marks:
            color = MARKER_COLORS.get(kind, "#888888")
            anchor = (0, 0) if right else (1, 0)
            line = pg.InfiniteLine(pos=t, angle=90, movable=False,
                                   pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine),
                                   label=(f"{who} {marker_text(kind)}".strip() if label else None),
                                   labelOpts={"position": 0.97 - 0.16 * level, "color": color,
                                              "anchors": [anchor, anchor]})
            line.setToolTip(translate("PerformanceView", "{who} {what} at {time}").format(
                who=everyone, what=marker_text(kind), time=time.strftime("%H:%M:%S", time.localtime(t))).strip())
            self.item.addItem(line, ignoreBounds=True)
            self.markers.append(line)

