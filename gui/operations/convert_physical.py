"""Converting a physical machine onto a host (host.scan and vm.convert.physical, docs/conversion.md): the scan of
the machine, the dry run that plans its capture without writing anything, the capture itself (a job the session
follows), its View Script, and the settings changed once the VM is made (memory and processors chosen in the
wizard)."""

from __future__ import annotations

from core.api.convert_physical import physical_params
from gui.i18n import translate
from gui.operations import HostOp


def scan(session, from_: str = "", owner=None) -> HostOp:
    """{source, scan}: the machine ("" the host's own, or ssh://user@host[:port]) as the host sees it."""
    return HostOp(session, lambda conn: conn.scan_physical(from_=from_),
                  title=translate("ConvertPhysicalOperations", "Cannot scan the machine"),
                  target=from_ or session.host_label, owner=owner)


def dry_run(session, owner=None, **chosen) -> HostOp:
    """{source, scan, plan, report, ok}: what the host would capture and make; nothing is written."""
    params = physical_params(**chosen)
    return HostOp(session, lambda conn: conn.convert_physical(dry_run=True, **params),
                  title=translate("ConvertPhysicalOperations", "Cannot plan the capture"),
                  target=params.get("from_", ""), owner=owner)


def convert(session, owner=None, **chosen) -> HostOp:
    """The host's "Convert physical server" job (its result is {vm, report, disks, folder})."""
    params = physical_params(**chosen)
    return HostOp(session, lambda conn: conn.convert_physical(**params),
                  title=translate("ConvertPhysicalOperations", "Physical server not converted"),
                  target=params.get("name", ""), owner=owner)


def steps(changes: dict | None = None, **chosen) -> list[tuple[str, dict]]:
    """The steps View Script renders: the capture, then the settings changed in the wizard (if any)."""
    params = physical_params(**chosen)
    made = [("convert physical", params)]
    if changes and params.get("name"):
        made.append(("vm.set", {"vm": params["name"], **changes}))
    return made


def script(session, owner=None, changes: dict | None = None, **chosen) -> HostOp:
    """The command line and Python script that make this conversion (a core.api Script)."""
    made = steps(changes, **chosen)
    return HostOp(session, lambda conn: conn.script_steps(made),
                  title=translate("ConvertPhysicalOperations", "No script"), owner=owner)


def adjust(session, vm: str, changes: dict, owner=None) -> HostOp:
    """The new VM's memory and processors as chosen in the wizard (a vm.set job)."""
    return HostOp(session, lambda conn: conn.set_vm(vm, **changes),
                  title=translate("ConvertPhysicalOperations", "Settings not changed"), target=vm, owner=owner)
