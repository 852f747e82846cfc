"""The Alerts pane: every host's alerts with severity, time, target, message and state; acknowledge and clear
(several at once), the cleared history on request, the rules editor, and the tray notification setting."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.alerts.model import ALERT_ROLE, AlertCol, AlertsFilter, AlertsModel
from gui.alerts.notifier import AlertNotifier
from gui.tasks import describe
from gui.widgets.tables import list_table

LIMIT = 500


class AlertsPane(QWidget):
    counts_changed = Signal(int, int)  # active alerts, not yet acknowledged
    rules_requested = Signal()
    error = Signal(str, str)

    def __init__(self, notifier: AlertNotifier, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alerts_pane")
        self.setAccessibleName("Alerts")
        self.notifier = notifier
        self.sessions: list = []
        self.model = AlertsModel(self)
        self.proxy = AlertsFilter(self)
        self.proxy.setSourceModel(self.model)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.ack_button = QPushButton("&Acknowledge")
        self.ack_button.setObjectName("acknowledge_alerts")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setObjectName("clear_alerts")
        self.clear_button.clicked.connect(self.clear_selected)
        self.show_cleared = QCheckBox("Show &cleared")
        self.show_cleared.setObjectName("show_cleared_alerts")
        self.show_cleared.setToolTip("Also list alerts that have ended (the hosts keep their alert history)")
        self.show_cleared.toggled.connect(self.set_show_cleared)
        self.notify = QCheckBox("&Notify")
        self.notify.setObjectName("notify_alerts")
        self.notify.setChecked(notifier.enabled)
        self.notify.toggled.connect(notifier.set_enabled)
        self.notify.setToolTip("Show a desktop notification when an alert is raised" + (
            "" if notifier.available() else " (this desktop has no system tray: nothing will show)"))
        self.rules_button = QPushButton("Alert &Rules...")
        self.rules_button.setObjectName("alert_rules_button")
        self.rules_button.setToolTip("Thresholds, durations and severities of the selected host's alert rules")
        self.rules_button.clicked.connect(self.rules_requested.emit)
        self.summary = QLabel()
        self.summary.setAccessibleName("Alert counts")
        for w in (self.ack_button, self.clear_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.show_cleared)
        bar.addWidget(self.notify)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        bar.addSpacing(12)
        bar.addWidget(self.rules_button)

        self.table = list_table("alerts_table", "Alerts", self.proxy, AlertCol.TIME, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(AlertCol.MESSAGE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((AlertCol.SEVERITY, 90), (AlertCol.TIME, 80), (AlertCol.HOST, 150),
                           (AlertCol.TARGET, 100), (AlertCol.STATE, 190)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        for signal in (self.model.rowsInserted, self.model.modelReset, self.model.dataChanged):
            signal.connect(self._counts)
        self._counts()
        self._update_buttons()

    # --- hosts ---------------------------------------------------------------------------------------------------
    def add_session(self, session) -> None:
        if session in self.sessions:
            return
        self.sessions.append(session)
        session.alert_event.connect(lambda kind, alert, s=session: self._event(s, kind, alert))
        session.connected.connect(lambda s=session: self.load(s))
        session.link_changed.connect(lambda link, s=session: self.load(s) if link.get("state") == "connected"
                                     else None)
        if session.conn is not None:
            self.load(session)

    def remove_session(self, session) -> None:
        if session in self.sessions:
            self.sessions.remove(session)
        self.model.remove_host(session)

    def load(self, session) -> None:
        include = self.show_cleared.isChecked()
        session.tasks.run_latest("alerts", lambda: session.conn.alerts(include_cleared=include, limit=LIMIT),
                                 owner=self, on_done=lambda alerts, s=session: self.model.replace_host(s, alerts),
                                 on_error=lambda e: session.status.emit(f"Alerts unavailable: {describe(e)}"))

    def _event(self, session, kind: str, alert: dict) -> None:
        new = self.model.upsert(session, alert)
        if kind == "alert.raised" and new:
            self.notifier.notify(alert, session.host_label)

    def set_show_cleared(self, on: bool) -> None:
        self.proxy.set_show_cleared(on)
        if on:
            for session in self.sessions:
                if session.conn is not None:
                    self.load(session)

    # --- acting --------------------------------------------------------------------------------------------------
    def selected(self) -> list[tuple[object, dict]]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.mapToSource(i).data(ALERT_ROLE) for i in rows]

    def select_all(self) -> None:
        self.table.selectAll()

    def acknowledge_selected(self) -> None:
        self._each("acknowledge", [(s, a) for s, a in self.selected() if not a.get("acknowledged")])

    def clear_selected(self) -> None:
        self._each("clear", [(s, a) for s, a in self.selected() if not a.get("cleared")])

    def _each(self, verb: str, items: list[tuple[object, dict]]) -> None:
        for session, alert in items:
            fn = "acknowledge_alert" if verb == "acknowledge" else "clear_alert"
            session.call(lambda conn, f=fn, i=alert["id"]: getattr(conn, f)(i), owner=self,
                         on_done=lambda a, s=session: self.model.upsert(s, a),
                         on_error=lambda e, a=alert: self.error.emit(f"Cannot {verb} the alert",
                                                                      f"{a.get('message', '')}: {describe(e)}"))

    def _update_buttons(self, *_args) -> None:
        selected = self.selected()
        unacked = [a for _s, a in selected if not a.get("acknowledged") and not a.get("cleared")]
        active = [a for _s, a in selected if not a.get("cleared")]
        self.ack_button.setEnabled(bool(unacked))
        self.clear_button.setEnabled(bool(active))
        self.ack_button.setToolTip(f"Acknowledge {len(unacked)} alert(s): you have seen them; they stay until "
                                   "their condition ends" if unacked else "Select active alerts to acknowledge")
        self.clear_button.setToolTip(f"Clear {len(active)} alert(s) now; one whose condition persists is raised "
                                     "again after its rule's duration" if active else "Select active alerts to clear")

    def _counts(self, *_args) -> None:
        active, unacked = self.model.active_count(), self.model.unacknowledged_count()
        self.summary.setText(f"{active} active, {unacked} not acknowledged" if active else "No active alerts")
        self._update_buttons()
        self.counts_changed.emit(active, unacked)
