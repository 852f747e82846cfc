"""The alerts of every connected host as a table: severity, time, host, target, message, state.

Loaded with ``conn.alerts()`` and kept current by ``alert.raised``, ``alert.cleared`` and ``alert.acknowledged``
events; rows are keyed by (host session, alert id), since each host numbers its own alerts.
"""

from __future__ import annotations

import time
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.models.base import ListTable, SortFilter

ALERT_ROLE = Qt.ItemDataRole.UserRole + 30
SORT_ROLE = Qt.ItemDataRole.UserRole + 31
KEEP = 1000  # rows kept (newest); the hosts keep the full history


class AlertCol(IntEnum):
    SEVERITY = 0
    TIME = 1
    HOST = 2
    TARGET = 3
    MESSAGE = 4
    STATE = 5


_CONTEXT = "Alerts"
HEADERS = {AlertCol.SEVERITY: QT_TRANSLATE_NOOP("Alerts", "Severity"),
           AlertCol.TIME: QT_TRANSLATE_NOOP("Alerts", "Time"),
           AlertCol.HOST: QT_TRANSLATE_NOOP("Alerts", "Host"),
           AlertCol.TARGET: QT_TRANSLATE_NOOP("Alerts", "Target"),
           AlertCol.MESSAGE: QT_TRANSLATE_NOOP("Alerts", "Message"),
           AlertCol.STATE: QT_TRANSLATE_NOOP("Alerts", "State")}
SEVERITIES = {"critical": QT_TRANSLATE_NOOP("Alerts", "Critical"), "warning": QT_TRANSLATE_NOOP("Alerts", "Warning")}


def severity_text(severity: str) -> str:
    """"Critical" or "Warning" in the console's language."""
    return translate(_CONTEXT, SEVERITIES[severity]) if severity in SEVERITIES else (severity or "").capitalize()
_SEVERITY_ICONS = {"critical": QStyle.StandardPixmap.SP_MessageBoxCritical,
                   "warning": QStyle.StandardPixmap.SP_MessageBoxWarning}


def state_text(alert: dict) -> str:
    if alert.get("cleared"):
        by = alert.get("cleared_by") or ""
        when = time.strftime("%H:%M:%S", time.localtime(alert["cleared"]))
        if by == "condition ended":
            return translate("Alerts", "Cleared {time} (condition ended)").format(time=when)
        if by == "operator":
            return translate("Alerts", "Cleared {time} (by an operator)").format(time=when)
        return translate("Alerts", "Cleared {time}").format(time=when)
    if alert.get("acknowledged"):
        return translate("Alerts", "Acknowledged")
    return translate("Alerts", "Active")


def when_text(t: float | None) -> str:
    if not t:
        return ""
    local = time.localtime(t)
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M:%S", local)
    return time.strftime("%Y-%m-%d %H:%M", local)


class AlertsModel(ListTable):
    COLUMNS = AlertCol

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[object, dict]] = []  # (session, alert)
        self._index: dict[tuple[int, int], int] = {}
        self._icons: dict[str, object] = {}

    # --- reading ------------------------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate(_CONTEXT, HEADERS[AlertCol(section)])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        session, alert = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(session, alert, col)
        if role == SORT_ROLE:
            if col == AlertCol.TIME:
                return float(alert.get("raised") or 0)
            if col == AlertCol.SEVERITY:
                return {"critical": 0, "warning": 1}.get(alert.get("severity"), 2)
            return self._display(session, alert, col).lower()
        if role == ALERT_ROLE:
            return session, alert
        if role == Qt.ItemDataRole.DecorationRole and col == AlertCol.SEVERITY:
            return self._icon(alert.get("severity", ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            raised = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(alert.get("raised") or 0))
            return translate("Alerts", "{message}\nRaised {time} by rule {rule}; {state}").format(
                message=alert.get("message", ""), time=raised, rule=alert.get("rule", ""), state=state_text(alert))
        if role == Qt.ItemDataRole.FontRole and not alert.get("active", True):
            return None
        return None

    def _display(self, session, alert: dict, col: int) -> str:
        if col == AlertCol.SEVERITY:
            return severity_text(alert.get("severity") or "")
        if col == AlertCol.TIME:
            return when_text(alert.get("raised"))
        if col == AlertCol.HOST:
            return getattr(session, "host_label", "") or ""
        if col == AlertCol.TARGET:
            name = alert.get("target_name") or alert.get("target") or ""
            return translate("Alerts", "Host") if name == "host" else name
        if col == AlertCol.MESSAGE:
            return alert.get("message", "")
        if col == AlertCol.STATE:
            return state_text(alert)
        return ""

    def _icon(self, severity: str):
        if severity not in self._icons:
            app = QApplication.instance()
            pix = _SEVERITY_ICONS.get(severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
            self._icons[severity] = app.style().standardIcon(pix) if app is not None else None
        return self._icons[severity]

    def alerts(self, session=None) -> list[dict]:
        return [a for s, a in self._rows if session is None or s is session]

    def active_count(self) -> int:
        return sum(1 for _s, a in self._rows if a.get("active", not a.get("cleared")))

    def unacknowledged_count(self) -> int:
        return sum(1 for _s, a in self._rows if not a.get("cleared") and not a.get("acknowledged"))

    # --- changes ------------------------------------------------------------------------------------------------
    def replace_host(self, session, alerts: list[dict]) -> None:
        """All alerts the host listed (a fresh load); others of that host are kept if they were cleared meanwhile."""
        listed = {a["id"] for a in alerts}
        keep = [(s, a) for s, a in self._rows if s is not session or (a["id"] not in listed and a.get("cleared"))]
        self.beginResetModel()
        self._rows = keep + [(session, a) for a in alerts]
        self._trim()
        self._reindex()
        self.endResetModel()

    def upsert(self, session, alert: dict) -> bool:
        """An alert event; True if the alert is new to this model."""
        key = (id(session), alert.get("id"))
        i = self._index.get(key)
        if i is not None:
            self._rows[i] = (session, {**self._rows[i][1], **alert})
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(AlertCol) - 1))
            return False
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append((session, alert))
        self._index[key] = n
        self.endInsertRows()
        if len(self._rows) > KEEP:
            self.beginResetModel()
            self._trim()
            self._reindex()
            self.endResetModel()
        return True

    def remove_host(self, session) -> None:
        if any(s is session for s, _a in self._rows):
            self.beginResetModel()
            self._rows = [(s, a) for s, a in self._rows if s is not session]
            self._reindex()
            self.endResetModel()

    def _trim(self) -> None:
        if len(self._rows) > KEEP:
            self._rows.sort(key=lambda r: r[1].get("raised") or 0)
            self._rows = self._rows[-KEEP:]

    def _reindex(self) -> None:
        self._index = {(id(s), a.get("id")): i for i, (s, a) in enumerate(self._rows)}


class AlertsFilter(SortFilter):
    """Hides cleared alerts unless the cleared history is wanted; sorts by each column's natural value."""

    def __init__(self, parent=None) -> None:
        super().__init__(SORT_ROLE, parent)
        self.show_cleared = False

    def set_show_cleared(self, on: bool) -> None:
        if on == self.show_cleared:
            return
        with self.filter_change():
            self.show_cleared = on

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if self.show_cleared:
            return True
        _session, alert = self.sourceModel().index(source_row, 0, source_parent).data(ALERT_ROLE)
        return not alert.get("cleared")
