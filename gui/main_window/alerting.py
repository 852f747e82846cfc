"""New alerts where a person will see them: the Alerts tab is raised for a warning or worse, the desktop is notified
(or, without a system tray, the notice bar over the list tells it), and while an alert is active the VM's icon in
the list and in the tree, and its host's item, carry the alert mark with the message in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui.models.marks import worst

RAISE_FOR = ("warning", "critical")  # severities that bring the Alerts tab to the front


class AlertingMixin:
    """Part of MainWindow: what a new or active alert changes in the window."""

    def _build_alerting(self) -> None:
        self._marks_timer = QTimer(self, singleShot=True, interval=50, timeout=self._alerts_changed)
        model = self.alerts.model
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            signal.connect(lambda *_a: self._marks_timer.start())
        self.alerts.raised.connect(self._alert_raised)
        self.alert_notice.show_alerts.connect(self.show_alerts)

    def show_alerts(self) -> None:
        self.alerts_dock.show()
        self.alerts_dock.raise_()

    def _alert_raised(self, session, alert: dict) -> None:
        severity = alert.get("severity") or ""
        if severity in RAISE_FOR:
            self.show_alerts()
        shown = self.notifier.notify(alert, session.host_label)
        if self.notifier.enabled and not shown and self.notifier.last is not None:
            self.alert_notice.show_alert(*self.notifier.last, severity)
        if self.notifier.enabled:
            QApplication.alert(self, 0)  # the task bar asks for attention until the window is used

    def _alerts_changed(self) -> None:
        """Alert marks for every host: the worst active alert of each VM and of the host as a whole."""
        if not hasattr(self, "_marks_timer"):
            return  # still being built
        any_active = False
        for s in self.sessions:
            by_target: dict[str, list[dict]] = {}
            for alert in self.alerts.model.alerts(s):
                if alert.get("active", not alert.get("cleared")) and not alert.get("cleared"):
                    by_target.setdefault(alert.get("target") or "", []).append(alert)
            any_active = any_active or bool(by_target)
            vms = {target: (worst(a.get("severity") for a in alerts),
                            "; ".join(a.get("message", "") for a in alerts))
                   for target, alerts in by_target.items() if target != "host"}
            s.vm_model.set_alerts(vms)
            every = [a for alerts in by_target.values() for a in alerts]
            messages = "; ".join(self._alert_line(s, a) for a in every[:5]) + ("; ..." if len(every) > 5 else "")
            if s.host_key:
                self.nav.set_alerts(s.host_key, worst(a.get("severity") for a in every), messages,
                                    {vm_id: mark[0] for vm_id, mark in vms.items()})
        if not any_active:
            self.alert_notice.dismiss()

    @staticmethod
    def _alert_line(s, alert: dict) -> str:
        target = alert.get("target_name") or alert.get("target") or ""
        message = alert.get("message", "")
        return message if target in ("host", "") or target in message else f"{target}: {message}"
