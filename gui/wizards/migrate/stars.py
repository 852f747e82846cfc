"""The rating column's cells: 0 to 5 stars in half steps, painted (no font has a reliable half star), with the
number as text for screen readers and sorting. Colours come from the palette."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate

STARS_ROLE = Qt.ItemDataRole.UserRole + 40
STAR_COLOR = QColor("#e6a700")


def star_path(rect: QRectF) -> QPainterPath:
    """A five-pointed star filling ``rect``."""
    cx, cy = rect.center().x(), rect.center().y()
    outer = min(rect.width(), rect.height()) / 2
    inner = outer * 0.45
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(cx + r * math.cos(a), cy + r * math.sin(a)))
    path = QPainterPath()
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


def paint_stars(painter: QPainter, rect: QRectF, stars: float, palette: QPalette) -> None:
    size = min(rect.height(), rect.width() / 5)
    empty = QColor(palette.color(QPalette.ColorRole.Mid))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i in range(5):
        box = QRectF(rect.left() + i * size, rect.top() + (rect.height() - size) / 2, size, size).adjusted(1, 1, -1, -1)
        path = star_path(box)
        painter.fillPath(path, empty)
        filled = max(0.0, min(1.0, stars - i))
        if filled > 0:
            painter.save()
            painter.setClipRect(QRectF(box.left(), box.top(), box.width() * filled, box.height()))
            painter.fillPath(path, STAR_COLOR)
            painter.restore()
    painter.restore()


class StarDelegate(QStyledItemDelegate):
    """Paints STARS_ROLE (a float 0..5) as stars; the cell's own text (e.g. "3.5") is left for accessibility."""

    def paint(self, painter: QPainter, option, index) -> None:
        stars = index.data(STARS_ROLE)
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        if not isinstance(stars, (int, float)):
            return
        rect = QRectF(option.rect.adjusted(4, 3, -4, -3))
        paint_stars(painter, rect, float(stars), option.palette)

    def sizeHint(self, option, index) -> QSize:
        height = super().sizeHint(option, index).height()
        return QSize(5 * max(14, height - 6) + 12, height)
