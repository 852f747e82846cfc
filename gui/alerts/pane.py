"""The Alerts pane: every host's alerts with severity, time, target, message and state; acknowledge and clear
(several at once), the cleared history on request, the rules editor, the tray notification setting, and for a
selected host CPU or memory pressure alert the suggested moves (gui/alerts/suggestions.py), whose Migrate...
opens the Migrate wizard with that VM and that host chosen."""

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

from gui import operations as ops
from gui.alerts.model import ALERT_ROLE, AlertCol, AlertsFilter, AlertsModel
from gui.alerts.notifier import AlertNotifier
from gui.alerts.suggestions import SuggestionsPanel
from gui.operations.alerts import LIMIT
from gui.tasks import describe
from gui.widgets.named import named
from gui.widgets.tables import list_table

__all__ = ["LIMIT", "AlertsPane"]


class AlertsPane(QWidget):
    counts_changed = Signal(int, int)  # active alerts, not yet acknowledged
    raised = Signal(object, object)  # a new alert: the host's session, the alert
    rules_requested = Signal()
    error = Signal(str, str)
    migrate_requested = Signal(object, object, object)  # a suggestion's Migrate...: source session, VM, destination

    def __init__(self, notifier: AlertNotifier, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alerts_pane")
        self.setAccessibleName(self.tr("Alerts"))
        self.notifier = notifier
        self.sessions: list = []
        self.model = AlertsModel(self)
        self.proxy = AlertsFilter(self)
        self.proxy.setSourceModel(self.model)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.ack_button = QPushButton(self.tr("&Acknowledge"))
        self.ack_button.setObjectName("acknowledge_alerts")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.clear_button = QPushButton(self.tr("C&lear"))
        self.clear_button.setObjectName("clear_alerts")
        self.clear_button.clicked.connect(self.clear_selected)
        self.show_cleared = QCheckBox(self.tr("Show &cleared"))
        self.show_cleared.setObjectName("show_cleared_alerts")
        self.show_cleared.setToolTip(self.tr("Also list alerts that have ended (the hosts keep their alert history)"))
        self.show_cleared.toggled.connect(self.set_show_cleared)
        self.notify = QCheckBox(self.tr("&Notify"))
        self.notify.setObjectName("notify_alerts")
        self.notify.setChecked(notifier.enabled)
        self.notify.toggled.connect(notifier.set_enabled)
        self.notify.setToolTip(self.tr("Show a desktop notification when an alert is raised") if notifier.can_show()
                               else self.tr("Tell of new alerts: this desktop has no system tray, so they show in a "
                                            "notice at the top of the window"))
        self.rules_button = QPushButton(self.tr("Alert &Rules..."))
        self.rules_button.setObjectName("alert_rules_button")
        self.rules_button.setToolTip(self.tr("Thresholds, durations and severities of the selected host's alert "
                                             "rules"))
        self.rules_button.clicked.connect(self.rules_requested.emit)
        self.summary = named(QLabel(), "alert_counts", self.tr("Alert counts"))
        for w in (self.ack_button, self.clear_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.show_cleared)
        bar.addWidget(self.notify)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        bar.addSpacing(12)
        bar.addWidget(self.rules_button)

        self.table = list_table("alerts_table", self.tr("Alerts"), self.proxy, AlertCol.TIME,
                                Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(AlertCol.MESSAGE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((AlertCol.SEVERITY, 90), (AlertCol.TIME, 80), (AlertCol.HOST, 150),
                           (AlertCol.TARGET, 100), (AlertCol.STATE, 190)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.suggestions = SuggestionsPanel(self)
        self.suggestions.migrate_requested.connect(self._migrate)
        # how Migrate... opens the wizard: the window's open_migrate((session, vm), destination=...) unless set
        self.open_migrate = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.suggestions)
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
        ops.alerts.list_alerts(session, self.show_cleared.isChecked(), owner=self).success(
            lambda alerts, s=session: self.model.replace_host(s, alerts)).failure(
            lambda e: session.status.emit(self.tr("Alerts unavailable: {error}").format(error=describe(e)))).run()

    def _event(self, session, kind: str, alert: dict) -> None:
        new = self.model.upsert(session, alert)
        if kind == "alert.raised" and new:
            self.raised.emit(session, alert)

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

    def acknowledge_selected(self) -> None:
        self._each("acknowledge", [(s, a) for s, a in self.selected() if not a.get("acknowledged")])

    def clear_selected(self) -> None:
        self._each("clear", [(s, a) for s, a in self.selected() if not a.get("cleared")])

    def _each(self, verb: str, items: list[tuple[object, dict]]) -> None:
        operation = ops.alerts.acknowledge if verb == "acknowledge" else ops.alerts.clear
        for session, alert in items:
            op = operation(session, alert, owner=self)
            op.success(lambda a, s=session: self.model.upsert(s, a)).failure(
                lambda e, op=op: self.error.emit(op.title, op.message(e))).run()

    def _show_suggestions(self, selected: list[tuple[object, dict]]) -> None:
        if len(selected) != 1:
            self.suggestions.clear()
            return
        session, alert = selected[0]
        others = [s for s in self.sessions if s is not session and s.conn is not None and not s.closed]
        self.suggestions.show_for(session, alert, others)

    def _migrate(self, source, vm: dict, destination) -> None:
        self.migrate_requested.emit(source, vm, destination)
        opener = self.open_migrate or getattr(self.window(), "open_migrate", None)
        if callable(opener):
            opener((source, vm), destination=destination)

    def _update_buttons(self, *_args) -> None:
        selected = self.selected()
        self._show_suggestions(selected)
        unacked = [a for _s, a in selected if not a.get("acknowledged") and not a.get("cleared")]
        active = [a for _s, a in selected if not a.get("cleared")]
        self.ack_button.setEnabled(bool(unacked))
        self.clear_button.setEnabled(bool(active))
        self.ack_button.setToolTip(self.tr("Acknowledge {count} alert(s): you have seen them; they stay until their "
                                           "condition ends").format(count=len(unacked)) if unacked
                                   else self.tr("Select active alerts to acknowledge"))
        self.clear_button.setToolTip(self.tr("Clear {count} alert(s) now; one whose condition persists is raised again "
                                             "after its rule's duration").format(count=len(active)) if active
                                     else self.tr("Select active alerts to clear"))

    def _counts(self, *_args) -> None:
        active, unacked = self.model.active_count(), self.model.unacknowledged_count()
        self.summary.setText(self.tr("{active} active, {unacknowledged} not acknowledged").format(
            active=active, unacknowledged=unacked) if active else self.tr("No active alerts"))
        self._update_buttons()
        self.counts_changed.emit(active, unacked)
