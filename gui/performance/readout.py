"""The readout under the Performance view's graphs: the cursor line across every plot, the crosshair in the plot
under the mouse, and the values of each target at that time (a mixin of PerformanceView).

One target: all its values. Several: the values of the graph under the mouse (CPU until one is pointed at) for each
of them, a line for all - a readout of every value of five VMs took half the view and left the graphs slivers. It is
never more than ``READOUT_LINES`` high; what is more scrolls.
"""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QPointF

from gui.i18n import translate
from gui.performance.history import HOST
from gui.performance.panels import readout
from gui.performance.plot import COLORS

READOUT_LINES = 3


class Readout:
    _hover_panel = "cpu"

    def fit_readout(self) -> None:
        """As high as its text, at most READOUT_LINES lines (then it scrolls)."""
        label, area = self.readout, self.readout_area
        bar = area.verticalScrollBar().sizeHint().width()
        needed = label.heightForWidth(max(50, area.width() - bar)) if label.text() else 0
        most = label.fontMetrics().lineSpacing() * READOUT_LINES + 4
        area.setFixedHeight(max(0, min(needed, most)))

    def _mouse_moved(self, pos: QPointF) -> None:
        for key, plot in self.plots.items():
            if plot.item.vb.sceneBoundingRect().contains(pos):
                point = plot.item.vb.mapSceneToView(pos)
                self._hover_panel = key  # with several targets the readout shows this graph's values
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
        self._set_readout(self._readout_text(x))

    def _set_readout(self, text: str) -> None:
        if text != self.readout.text():
            self.readout.setText(text)
            self.fit_readout()

    def _readout_text(self, x: float | None) -> str:
        if not self.targets:
            return ""
        when, values = self.values_at(x)
        if when is None:
            return (translate("PerformanceView", "Waiting for samples...") if self.loading or not self.series
                    else translate("PerformanceView", "No samples in this window (the virtual machine was not "
                                                      "running)."))
        stamp = time.strftime("%H:%M:%S", time.localtime(when))
        latest = "" if x is not None else " " + escape(translate("PerformanceView", "(latest)"))
        head = f"<b>{stamp}</b>{latest} &nbsp; "
        if len(values) == 1:
            target, vals = next(iter(values.items()))
            phrases = readout(vals, host=target == HOST)
            return head + f"<b>{escape(self.target_name(target))}</b>: " + " &middot; ".join(
                escape(p) for p in phrases)
        index = next((i for i, key in enumerate(self.plots) if key == self._hover_panel), 0)
        parts = []
        for target, vals in values.items():
            color = COLORS[self.targets.index(target) % len(COLORS)]
            phrases = readout(vals, host=target == HOST)
            parts.append(f"<span style='color:{color}'>\u25a0</span> <b>{escape(self.target_name(target))}</b> "
                         f"{escape(phrases[min(index, len(phrases) - 1)])}")
        return head + " &middot; ".join(parts)

