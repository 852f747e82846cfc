"""Exporting a VM as an OVA (vm.export.ova, docs/conversion.md): the host's folder the dialog proposes, the export
itself (a job the session follows, with progress) and its View Script. Each is a HostOp: the work runs off the GUI
thread."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def default_folder(session, owner=None) -> HostOp:
    """The host's default folder for files a user picks (host.browse's "": the host's home), as a path."""
    return HostOp(session, lambda conn: conn.browse("", kinds=["dir"], limit=1).get("path", ""),
                  title=translate("ExportOvaOperations", "Cannot list the folder"), owner=owner)


def export_ova(session, vm: dict, path: str, owner=None) -> HostOp:
    """The host's "Export VM as OVA" job of ``vm`` (Off or Saved) into the file ``path`` (absolute, on the VM's
    host, not existing); its result is {vm, path, bytes, members, disks}."""
    return HostOp(session, lambda conn, name: conn.export_ova(name, path), vm["name"],
                  title=translate("ExportOvaOperations", "Virtual machine not exported"), target=vm.get("name", ""),
                  owner=owner)


def steps(vm: dict, path: str) -> list[tuple[str, dict]]:
    """The one step View Script renders."""
    return [("vm.export.ova", {"vm": vm["name"], "path": path})]


def script(session, vm: dict, path: str, owner=None) -> HostOp:
    """The command line and Python script that export ``vm`` as ``path`` (a core.api Script)."""
    chosen = steps(vm, path)
    return HostOp(session, lambda conn: conn.script_steps(chosen),
                  title=translate("ExportOvaOperations", "No script"), owner=owner)

