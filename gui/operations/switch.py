"""Operations on a host's virtual switches."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def list_switches(session, owner=None) -> HostOp:
    """[{name, type, subnet, ...}] as the host lists them."""
    return HostOp(session, lambda conn: conn.switches(),
                  title=translate("SwitchOperations", "Cannot list virtual switches"), owner=owner)


def new_switch(session, name: str, type: str = "private", owner=None) -> HostOp:
    """Create a virtual switch, as a job (its result is the switch as list_switches shows it)."""
    return HostOp(session, lambda conn: conn.new_switch(name, type),
                  title=translate("SwitchOperations", "Virtual switch not created"), target=name, owner=owner)


def remove_switch(session, name: str, owner=None) -> HostOp:
    """Delete a virtual switch no VM uses, as a job."""
    return HostOp(session, lambda conn: conn.remove_switch(name),
                  title=translate("SwitchOperations", "Virtual switch not removed"), target=name, owner=owner)


def rename_switch(session, name: str, new_name: str, owner=None) -> HostOp:
    """Rename a virtual switch, as a job; the VMs on it stay connected under the new name."""
    return HostOp(session, lambda conn: conn.rename_switch(name, new_name),
                  title=translate("SwitchOperations", "Virtual switch not renamed"), target=name, owner=owner)
