"""Exporting a VM into a folder of its host and importing such a folder (vm.export, vm.import, vm.import.read;
docs/checkpoints.md): what an export folder holds (or the exports in the folders under it), the jobs the session
follows in the jobs strip, and View Script of each. Paths are the host's; nothing here looks at this machine's
files, and nothing touches a widget."""

from __future__ import annotations

import posixpath

from core.model.errors import BulkheadError
from gui.i18n import translate
from gui.operations import HostOp

FOUND_MAX = 50  # the subfolders read when a folder holds exports rather than being one


def export(session, vm: dict, path: str, owner=None) -> HostOp:
    """The host's "Export VM" job: ``vm`` (a VM dict) into the folder ``path`` as ``path/<name>/``."""
    return HostOp(session, lambda conn: conn.export_vm(vm["id"], path),
                  title=translate("ExportOperations", "Virtual machine not exported"), target=vm.get("name", ""),
                  owner=owner)


def find_exports(session, path: str, owner=None) -> HostOp:
    """{folder, found: [what read_export answers], problems: [{path, error}]}: the export ``path`` is, or else the
    exports in its subfolders (at most FOUND_MAX read; a subfolder without export.json is no export and is passed
    over, a damaged one is a problem with its reason)."""
    def work(conn) -> dict:
        try:
            return {"folder": path, "found": [conn.read_export(path)], "problems": []}
        except BulkheadError as e:
            if not _no_export(e, path):
                raise
        listing = conn.browse(path, kinds=["dir"], limit=2000)
        found, problems = [], []
        folders = sorted(e["name"] for e in listing.get("entries") or () if e.get("type") == "dir")
        for name in folders[:FOUND_MAX]:
            sub = posixpath.join(listing.get("path") or path, name)
            try:
                found.append(conn.read_export(sub))
            except BulkheadError as e:
                if not _no_export(e, sub):
                    problems.append({"path": sub, "error": str(e)})
        return {"folder": listing.get("path") or path, "found": found, "problems": problems}

    return HostOp(session, work, title=translate("ExportOperations", "Cannot read the folder"), target=path,
                  owner=owner)


def _no_export(error: BulkheadError, folder: str) -> bool:
    """The host's answer says ``folder`` has no export.json (it is no export, rather than a damaged one)."""
    missing = str((getattr(error, "params", None) or {}).get("path") or "")
    return getattr(error, "code", "") == "import.missing" and posixpath.basename(missing) == "export.json" and \
        posixpath.dirname(missing) == posixpath.normpath(folder)


def import_params(path: str, mode: str, name: str = "") -> dict:
    return {"path": path, **({"mode": mode} if mode != "copy" else {}), **({"name": name} if name else {})}


def import_vm(session, path: str, mode: str, name: str = "", owner=None) -> HostOp:
    """The host's "Import VM" job (its result: {vm, name, id, state, mode, checkpoints, path, network_dropped})."""
    return HostOp(session, lambda conn: conn.import_vm(path, mode=mode, name=name),
                  title=translate("ExportOperations", "Virtual machine not imported"), target=name or path,
                  owner=owner)


def script(session, method: str, params: dict, owner=None) -> HostOp:
    """The command line and Python script of vm.export or vm.import with ``params`` (a core.api Script)."""
    return HostOp(session, lambda conn: conn.script(method, **params),
                  title=translate("ExportOperations", "No script"), owner=owner)
