"""Operations on a host as a whole: what it is and can do, its VM list, and asking a lost connection to try again."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def read(session, owner=None) -> HostOp:
    """(host_info, capabilities, connection status) in one request round; at most one in flight."""
    return HostOp(session, lambda conn: (conn.host_info(), conn.capabilities(), conn.status()),
                  title=translate("HostOperations", "Host information unavailable"), owner=owner, key="host")


def limits(session, owner=None) -> HostOp:
    """The host's limits (memory, processors, command line) as a core.model.limits.HostLimits."""
    return HostOp(session, lambda conn: conn.limits(), title=translate("HostOperations", "Host limits unavailable"),
                  owner=owner, key="limits")


def reconnect(session, owner=None) -> HostOp:
    """Ask a connection that lost its host to try again now (libvirt connections also retry on their own)."""
    return HostOp(session, lambda conn: conn.reconnect(), title=translate("HostOperations", "Cannot reconnect"),
                  target=session.host_label, owner=owner)
