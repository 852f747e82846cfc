"""Painted cells: the CPU sparkline and progress bars. Colours come from the palette, so dark themes work."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar

from gui.models.vm_table import HISTORY, HISTORY_ROLE, PROGRESS_ROLE


class SparklineDelegate(QStyledItemDelegate):
    """The last minute of CPU usage (0-100 %) as a small filled line."""

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
        fill = QColor(line)
        fill.setAlpha(70)
        values = list(history)[-HISTORY:]
        step = rect.width() / max(1, HISTORY - 1)
        x0 = rect.right() - step * (len(values) - 1)
        path = QPainterPath()
        for i, v in enumerate(values):
            point = QPointF(x0 + i * step, rect.bottom() - rect.height() * max(0.0, min(100.0, v)) / 100.0)
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        area = QPainterPath(path)
        area.lineTo(QPointF(rect.right(), rect.bottom()))
        area.lineTo(QPointF(x0, rect.bottom()))
        area.closeSubpath()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(area, fill)
        pen = QPen(line, 1.2)
        painter.setPen(pen)
        painter.drawPath(path)
        painter.restore()

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


