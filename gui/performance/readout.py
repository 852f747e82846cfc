"""The readout under the Performance view's graphs: the cursor line across every plot, the crosshair in the plot
under the mouse, and the values of each target at that time (a mixin of PerformanceView)."""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QPointF

from gui.i18n import translate
from gui.performance.history import HOST
from gui.performance.panels import readout
from gui.performance.plot import COLORS


class Readout:
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
        if not self.targets:
            self.readout.setText("")
            return
        when, values = self.values_at(x)
        if when is None:
            self.readout.setText(translate("PerformanceView", "Waiting for samples...") if self.loading or not
                                 self.series else translate("PerformanceView", "No samples in this window (the "
                                                                               "virtual machine was not running)."))
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
        latest = "" if x is not None else " " + escape(translate("PerformanceView", "(latest)"))
        head = f"<b>{stamp}</b>{latest}" + ("<br>" if several else " &nbsp; ")
        self.readout.setText(head + "<br>".join(rows))

