"""The notice bar over the VM list: a new alert told in the window itself, where the desktop cannot show a
notification (no system tray). It stays until it is dismissed, the Alerts pane is opened from it, or no alert is
active any more."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QToolButton

_ICONS = {"critical": QStyle.StandardPixmap.SP_MessageBoxCritical,
          "warning": QStyle.StandardPixmap.SP_MessageBoxWarning}


class AlertNotice(QFrame):
    show_alerts = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alert_notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName(self.tr("New alert"))
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setObjectName("alert_notice_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Show &Alerts"))
        self.open_button.setObjectName("alert_notice_show")
        self.open_button.clicked.connect(self._open)
        self.close_button = QToolButton()
        self.close_button.setObjectName("alert_notice_dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setToolTip(self.tr("Dismiss (the alert stays in the Alerts pane)"))
        self.close_button.setAccessibleName(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.close_button)
        self.count = 0  # alerts told since the notice was last dismissed
        self.severity = ""
        self.hide()

    def show_alert(self, title: str, message: str, severity: str) -> None:
        self.count += 1
        if not self.severity or severity == "critical":
            self.severity = severity
        pix = _ICONS.get(self.severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.icon.setPixmap(self.style().standardIcon(pix).pixmap(22, 22))
        text = f"<b>{_escape(title)}</b>: {_escape(message)}"
        if self.count > 1:
            text += " " + self.tr("({count} new alerts)").format(count=self.count)
        self.text.setText(text)
        self.setToolTip(f"{title}: {message}")
        self.show()

    def dismiss(self) -> None:
        self.count = 0
        self.severity = ""
        self.hide()

    def _open(self) -> None:
        self.show_alerts.emit()
        self.dismiss()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
