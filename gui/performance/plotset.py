"""The Performance view's two sets of plots (a VM's and the host's), each built once, one plot per turn of the
event loop in idle time, and the curves of the targets shown (a mixin of PerformanceView: it keeps ``_layouts``,
``_building``, ``_step_timer``, ``graphics``, ``plots``, ``_panels``, ``scroll`` and ``targets``).

The plots are laid out in as many columns as their width allows (three at the default window, fewer when it is
narrower), in columns of equal width, each row at least ``MIN_ROW_HEIGHT`` high: where the view is lower than that
it scrolls instead of squeezing the graphs into slivers.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from gui.performance.panels import HOST_PANELS, VM_PANELS, Panel
from gui.performance.plot import COLORS, STYLES, Plot

MIN_PLOT_WIDTH = 240  # narrower, and the time axis' labels and the legend crowd: one column fewer
MIN_ROW_HEIGHT = 150  # a title with its legend, about 90 px of data, the time axis
MAX_COLUMNS = 3
SPACING = 4  # between rows
COLUMN_GAP = 24  # between columns: one plot's right axis label apart from the next one's left
MARGIN = 2


def places(columns: int, count: int) -> list[tuple[int, int, int]]:
    """(row, column, column span) of each of ``count`` plots in rows of ``columns``; the last plot spans what its
    row leaves (five plots in three columns: three, then two with the last one wide)."""
    out = [(i // columns, i % columns, 1) for i in range(count)]
    if out:
        row, col, _span = out[-1]
        out[-1] = (row, col, columns - col)
    return out


def columns_for(width: float) -> int:
    return max(1, min(MAX_COLUMNS, int((width + COLUMN_GAP) // (MIN_PLOT_WIDTH + COLUMN_GAP))))


class PlotSets:
    _columns = MAX_COLUMNS
    _arranged_width = -1

    def arrange(self, width: float | None = None) -> None:
        """Lay the plots out for ``width`` (the scroll area's, as if its scroll bar showed: no flip-flop when the
        bar comes and goes): the columns, their equal widths, the rows' least heights."""
        if width is None:
            width = self._plots_width()
        width = int(width)
        columns = columns_for(width - 2 * MARGIN)
        if width == self._arranged_width and columns == self._columns:
            return
        moved = columns != self._columns
        self._columns, self._arranged_width = columns, width
        for graphics, plots in self._layouts.values():
            self._arrange_layout(graphics, plots, columns, width, moved)

    def _plots_width(self) -> int:
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return max(MIN_PLOT_WIDTH, self.scroll.width() - 2 * self.scroll.frameWidth() - bar)

    def _arrange_layout(self, graphics, plots: dict[str, Plot], columns: int, width: int, moved: bool) -> None:
        grid = graphics.ci.layout
        spots = places(columns, len(plots))
        if moved:
            for plot in plots.values():
                grid.removeItem(plot.item)
            for plot, (row, col, span) in zip(plots.values(), spots):
                grid.addItem(plot.item, row, col, 1, span)
        column_width = max(1.0, (width - 2 * MARGIN - COLUMN_GAP * (columns - 1)) / columns)
        for col in range(MAX_COLUMNS):
            grid.setColumnFixedWidth(col, column_width if col < columns else 0.0)
        rows = spots[-1][0] + 1 if spots else 1
        for row in range(len(plots)):
            grid.setRowMinimumHeight(row, MIN_ROW_HEIGHT if row < rows else 0.0)
            grid.setRowStretchFactor(row, 1 if row < rows else 0)
        graphics.setMinimumHeight(rows * MIN_ROW_HEIGHT + (rows - 1) * SPACING + 2 * MARGIN)
        for plot in plots.values():
            plot.fit_title()

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
        graphics.ci.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        graphics.ci.setSpacing(SPACING)
        graphics.ci.layout.setHorizontalSpacing(COLUMN_GAP)
        plots: dict[str, Plot] = {}
        first = None
        for panel, (row, col, span) in zip(panels, places(self._columns, len(panels))):
            yield
            plot = Plot(graphics.ci, panel, row, col, span)
            if first is None:
                first = plot.item
            else:
                plot.item.setXLink(first)
            plots[panel.key] = plot
        graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        self._layouts[id(panels)] = (graphics, plots)
        self._arrange_layout(graphics, plots, self._columns, max(self._arranged_width, MIN_PLOT_WIDTH), False)
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

