"""The Performance view's two sets of plots (a VM's and the host's), each built once, one plot per turn of the
event loop in idle time, and the curves of the targets shown (a mixin of PerformanceView: it keeps ``_layouts``,
``_building``, ``_step_timer``, ``graphics``, ``plots``, ``_panels`` and ``targets``)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from gui.performance.panels import HOST_PANELS, VM_PANELS, Panel
from gui.performance.plot import COLORS, STYLES, Plot


class PlotSets:
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
        plots: dict[str, Plot] = {}
        places = ((0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1), (1, 1, 2))
        first = None
        for panel, (row, col, span) in zip(panels, places):
            yield
            plot = Plot(graphics.ci, panel, row, col, span)
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
                        shown = color.name() if not several else "#808080"
                        legends[key].append((line.shown_label(), shown, line.style))
        for key, plot in self.plots.items():
            plot.set_legend(legends[key])

