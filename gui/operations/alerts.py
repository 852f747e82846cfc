"""Operations on a host's alerts and alert rules. ``alert`` is an alert dict as the host sent it."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp

LIMIT = 500


def list_alerts(session, include_cleared: bool = False, limit: int = LIMIT, owner=None) -> HostOp:
    """The host's alerts (the cleared ones too if asked); at most one such read in flight per host."""
    return HostOp(session, lambda conn: conn.alerts(include_cleared=include_cleared, limit=limit),
                  title=translate("AlertOperations", "Alerts unavailable"), owner=owner, key="alerts")


def acknowledge(session, alert: dict, owner=None) -> HostOp:
    return HostOp(session, lambda conn: conn.acknowledge_alert(alert["id"]),
                  title=translate("AlertOperations", "Cannot acknowledge the alert"),
                  target=alert.get("message", ""), owner=owner)


def clear(session, alert: dict, owner=None) -> HostOp:
    return HostOp(session, lambda conn: conn.clear_alert(alert["id"]),
                  title=translate("AlertOperations", "Cannot clear the alert"), target=alert.get("message", ""),
                  owner=owner)


def rules(session, owner=None) -> HostOp:
    return HostOp(session, lambda conn: conn.alert_rules(),
                  title=translate("AlertOperations", "Cannot read the alert rules"), owner=owner)


def set_rules(session, changes: list[dict], owner=None) -> HostOp:
    """Change rules, all or nothing; the result is every rule as it is now."""
    return HostOp(session, lambda conn: conn.set_alert_rules(changes),
                  title=translate("AlertOperations", "Alert rules not changed"), owner=owner)
