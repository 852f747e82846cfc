"""One panel of the Performance view (pyqtgraph): a PlotItem with an optional right-axis ViewBox, a cursor and a
crosshair line, the panel's curves (made once per slot and reused when the targets change), state markers and the
legend in its title line."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui.i18n import translate
from gui.performance.panels import Line, Panel, marker_text

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


class Plot:
    """One panel: a PlotItem, an optional right-axis ViewBox, a cursor line and the panel's curves by key."""

    def __init__(self, layout: pg.GraphicsLayout, panel: Panel, row: int, col: int, colspan: int = 1) -> None:
        self.panel = panel
        self.item: pg.PlotItem = layout.addPlot(row=row, col=col, colspan=colspan,
                                                axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        item = self.item
        item.setTitle(panel.shown_title(), size="9pt")
        title_never_widens(item.titleLabel)
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(maxTickLevel=0)  # major grid lines only: minor ones double the paint time
        item.setLabel("left", translate("Performance", panel.left))
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
            axis.setLabel(translate("Performance", panel.right))
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
        title = self.panel.shown_title()
        title_w = QFontMetricsF(bold).horizontalAdvance(title)
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
        html = f"<b>{escape(title)}</b>"
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
                                   label=(f"{who} {marker_text(kind)}".strip() if label else None),
                                   labelOpts={"position": 0.97 - 0.16 * level, "color": color,
                                              "anchors": [(1, 0), (1, 0)]})
            line.setToolTip(translate("PerformanceView", "{who} {what} at {time}").format(
                who=who, what=marker_text(kind), time=time.strftime("%H:%M:%S", time.localtime(t))).strip())
            self.item.addItem(line, ignoreBounds=True)
            self.markers.append(line)

