"""An optional desktop notification for new alerts (QSystemTrayIcon, where the desktop has a tray).

The setting lives in the console's QSettings (``alerts/notify``, on by default). Many desktops have no system tray
(GNOME without an extension, a bare X server, Wayland compositors without the StatusNotifier protocol): ``notify``
then says it could not show the alert, and the main window shows it in its own notice bar instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QStyle, QSystemTrayIcon, QWidget

SETTING = "alerts/notify"


class AlertNotifier(QObject):
    def __init__(self, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.enabled = settings.value(SETTING, True, bool)
        self.tray: QSystemTrayIcon | None = None
        self.last: tuple[str, str] | None = None  # (title, message) of the last notification (tests read it)
        self.shown = 0

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        self.settings.setValue(SETTING, self.enabled)
        if not self.enabled and self.tray is not None:
            self.tray.hide()

    def _icon(self):
        return self.window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    @staticmethod
    def can_show() -> bool:
        """Whether the desktop can show a notification: a system tray that takes messages."""
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def notify(self, alert: dict, host: str) -> bool:
        """Notify the desktop of a new alert. True if it was shown there; False if it was not (notifications off, or
        no system tray): ``last`` then holds (title, message) for the window to show."""
        if not self.enabled:
            return False
        target = alert.get("target_name") or ""
        severity = alert.get("severity")
        words = {"critical": self.tr("Bulkhead critical: {target} on {host}"),
                 "warning": self.tr("Bulkhead warning: {target} on {host}")}
        title = words.get(severity, self.tr("Bulkhead alert: {target} on {host}")).format(
            target=self.tr("host") if target == "host" else target, host=host)
        message = alert.get("message", "")
        self.last = (title, message)
        if not self.can_show():
            return False
        if self.tray is None:
            self.tray = QSystemTrayIcon(self._icon(), self)
            self.tray.setToolTip(self.tr("Bulkhead alerts"))
            self.tray.messageClicked.connect(self._raise_window)
            self.tray.activated.connect(lambda _reason: self._raise_window())
        self.tray.show()
        icon = (QSystemTrayIcon.MessageIcon.Critical if alert.get("severity") == "critical"
                else QSystemTrayIcon.MessageIcon.Warning)
        self.tray.showMessage(title, message, icon, 8000)
        self.shown += 1
        return True

    def _raise_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
