"""Operations on a host's alerts and alert rules. ``alert`` is an alert dict as the host sent it."""

from __future__ import annotations

from core.api import suggestions as move_suggestions
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


def suggestions(session, alert: dict, others: list, owner=None) -> HostOp:
    """For a host CPU or memory pressure ``alert`` of ``session``'s host: the VMs whose move would relieve it most,
    each with its best-rated destination among ``others`` (sessions; a suggestion's "index" is its place there).
    One such answer in flight at a time."""
    conns = [s.conn for s in others]
    names = [s.host_label or getattr(s.conn, "description", "") for s in others]
    return HostOp(session, lambda conn: move_suggestions.for_alert(conn, alert, conns, names=names),
                  title=translate("AlertOperations", "Cannot suggest moves"), target=alert.get("message", ""),
                  owner=owner, key="alert-suggestions", track=False)
