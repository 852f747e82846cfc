"""Exporting a VM into a folder and importing one through a Connection (docs/checkpoints.md): the host's "Export
VM" and "Import VM" jobs (Hyper-V's Export-VM / Import-VM)."""

from __future__ import annotations

IMPORT_MODES = ("copy", "new_id", "register")


class ExportImportMethods:
    """Mixin of ``core.api.Connection``."""

    def export_vm(self, vm: str, path: str):
        """Export ``vm`` with its disks, checkpoints and saved state into the folder ``path`` (absolute, on the
        host) as ``path/<vm name>/`` (a running VM through a checkpoint taken and deleted again: Saved in the
        export); the job's result has ``path``, ``files``, ``bytes`` and ``state``."""
        return self._job("vm.export", vm=vm, path=path)

    def read_export(self, path: str) -> dict:
        """What the exported folder ``path`` (absolute, on the host) holds: {path, id, name, memory, vcpus, state,
        saved_state, disks: [{path, size}], checkpoints: [{id, name, parent, created, memory}], now, files, bytes,
        host, version, exported, modes: {register|copy|new_id: {ok, code, reason}}, name_taken}; a folder that is
        not an export (or a damaged one) is refused with the reason (UsageError)."""
        return self.call("vm.import.read", path=path)

    def import_vm(self, path: str, mode: str = "copy", name: str = ""):
        """Import the exported folder ``path`` (absolute, on the host): ``copy`` keeps the VM's id, ``new_id``
        gives it a new one (so one export imports twice), ``register`` (in place) where the host can; ``name``: a
        new name. The job's result has ``vm``, ``name``, ``id`` and ``state``."""
        return self._job("vm.import", path=path, **({"mode": mode} if mode != "copy" else {}),
                         **({"name": name} if name else {}))


def script_step(method: str, params: dict) -> tuple[list[str], list[str]]:
    """The command-line words and Python arguments of vm.export / vm.import (core/api/script.py)."""
    if method == "vm.export":
        return ["vm", "export", params["vm"], params["path"]], [repr(params["vm"]), repr(params["path"])]
    words, py_args = ["vm", "import", params["path"]], [repr(params["path"])]
    mode = params.get("mode", "copy")
    if mode != "copy":
        words.append({"new_id": "--new-id", "register": "--register"}.get(mode, f"--{mode}"))
        py_args.append(f"mode={mode!r}")
    if params.get("name"):
        words += ["--name", params["name"]]
        py_args.append(f"name={params['name']!r}")
    return words, py_args
