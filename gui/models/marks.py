"""The alert mark: a VM's or a host's icon with a warning sign in its corner while an alert of it is active."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

_ALERT_ICONS = {"critical": QStyle.StandardPixmap.SP_MessageBoxCritical,
                "warning": QStyle.StandardPixmap.SP_MessageBoxWarning}
SEVERITY_ORDER = {"critical": 0, "warning": 1}


def worst(severities) -> str | None:
    """The most severe of some alert severities ("critical" before "warning" before anything else)."""
    return min(severities, key=lambda s: SEVERITY_ORDER.get(s, 2), default=None)


def badged(base: QIcon, severity: str, size: int = 16) -> QIcon:
    """``base`` with the severity's warning sign in its lower right corner (an active alert's mark)."""
    app = QApplication.instance()
    if app is None:
        return base
    badge = app.style().standardIcon(_ALERT_ICONS.get(severity, QStyle.StandardPixmap.SP_MessageBoxWarning))
    icon = QIcon()
    for side in (size, size * 2):
        pix = QPixmap(side, side)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.drawPixmap(0, 0, base.pixmap(side, side))
        small = side * 5 // 8
        painter.drawPixmap(side - small, side - small, badge.pixmap(small, small))
        painter.end()
        icon.addPixmap(pix)
    return icon
