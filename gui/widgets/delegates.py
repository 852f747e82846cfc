"""Painted cells: the CPU sparkline and progress bars. Colours come from the palette, so dark themes work."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar

from gui.models.vm_table import HISTORY, HISTORY_ROLE, PROGRESS_ROLE


class SparklineDelegate(QStyledItemDelegate):
    """The last minute of CPU usage (0-100 %) as a small filled line. Each picture is drawn once into a pixmap and
    kept by what it shows (each point's height in whole pixels, the size, the colour): idle VMs' flat lines are one
    picture, and a repaint of many rows copies pixmaps instead of filling antialiased paths (about 0.5 ms a cell)."""

    CACHE = 512  # pictures kept (least recently used dropped first)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[tuple, QPixmap] = OrderedDict()

    def paint(self, painter: QPainter, option, index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        history = index.data(HISTORY_ROLE)
        if not history:
            return
        rect = option.rect.adjusted(3, 3, -3, -3)
        if rect.width() < 4 or rect.height() < 4:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        line = option.palette.color(role)
        h = rect.height()
        heights = tuple(round(h * max(0.0, min(100.0, v)) / 100.0) for v in list(history)[-HISTORY:])
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        key = (heights, rect.width(), h, line.rgba(), ratio)
        pixmap = self._cache.get(key)
        if pixmap is None:
            pixmap = self._draw(heights, rect.width(), h, line, ratio)
            self._cache[key] = pixmap
            if len(self._cache) > self.CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    @staticmethod
    def _draw(heights: tuple, width: int, height: int, line: QColor, ratio: float) -> QPixmap:
        pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        fill = QColor(line)
        fill.setAlpha(70)
        step = width / max(1, HISTORY - 1)
        x0 = (width - 1) - step * (len(heights) - 1)
        bottom = height - 1
        path = QPainterPath()
        for i, y in enumerate(heights):
            point = QPointF(x0 + i * step, bottom - y)
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        area = QPainterPath(path)
        area.lineTo(QPointF(width - 1, bottom))
        area.lineTo(QPointF(x0, bottom))
        area.closeSubpath()
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillPath(area, fill)
        p.setPen(QPen(line, 1.2))
        p.drawPath(path)
        p.end()
        return pixmap

    def sizeHint(self, option, index) -> QSize:
        return QSize(90, super().sizeHint(option, index).height())


class ProgressDelegate(QStyledItemDelegate):
    """A progress bar where the model gives PROGRESS_ROLE 0-100, plain text where it gives -1."""

    def paint(self, painter: QPainter, option, index) -> None:
        progress = index.data(PROGRESS_ROLE)
        if not isinstance(progress, int) or progress < 0:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        text = option.text
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(option.rect.adjusted(2, 3, -2, -3))
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(progress)
        bar.text = text
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        bar.direction = option.direction
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


