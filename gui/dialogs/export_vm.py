"""Export... (Hyper-V's Export Virtual Machine): a VM with its configuration, disks, checkpoints and saved state
written by its host into ``<folder>/<name>/`` (vm.export, docs/checkpoints.md), which Import Virtual Machine reads
back here or on another Bulkhead host. An Off or Saved VM is exported as it is; a running or paused one through a
checkpoint the host takes for the purpose and deletes again (Saved in the export).

The folder is a path on the VM's host: Browse... lists that host's folders (host.browse), never this machine's.
Export starts the host's job (gui/operations/export_import.py, off the GUI thread); the dialog follows its progress
from the session's jobs, Cancel Export cancels it (the host leaves nothing), and closing the dialog leaves the job
running in the jobs strip."""

from __future__ import annotations

import posixpath

from PySide6.QtWidgets import QFormLayout, QLabel

from gui import format as fmt
from gui import vmstates
from gui.dialogs import export_base
from gui.dialogs.export_base import ExportJobDialog
from gui.i18n import translate
from gui.operations import export_import as export_ops
from gui.widgets.named import named

CAPABILITY = "export"
AS_IT_IS = ("Off", "Saved")  # exported as they are
THROUGH_CHECKPOINT = ("Running", "Paused")  # exported through a checkpoint taken and deleted again
EXPORTABLE = AS_IT_IS + THROUGH_CHECKPOINT


def availability(selected: list[dict], connected: bool, can) -> tuple[bool, str]:
    """(enabled, tooltip) of Export... for the selected VMs: one VM, in a state the host exports, on a host that
    can."""
    return export_base.availability(
        selected, connected, can, CAPABILITY, EXPORTABLE,
        refused=translate("ExportVm", "Export: {why}"),
        one=translate("ExportVm", "Export: select one virtual machine"),
        needs=translate("ExportVm", "Export needs {states}; {name} is {state}"),
        able=translate("ExportVm", "Export {name} with its disks, checkpoints and saved state into a folder of its "
                                   "host"))


def open_dialog(window) -> ExportVmDialog | None:
    """The dialog for the window's one selected VM (on its own host); None when the action does not apply (the
    status bar says why)."""
    return export_base.open_for_selection(window, availability, ExportVmDialog, "export_dialog")


class ExportVmDialog(ExportJobDialog):
    prefix = "export"
    capability = CAPABILITY
    exportable = EXPORTABLE

    def texts(self, host: str) -> dict[str, str]:
        return {
            "title": self.tr("Export Virtual Machine - {name}").format(name=self.vm_name),
            "intro": self.tr("Specify where you want to save the files. {host} writes a folder named after the "
                             "virtual machine there, with its configuration, virtual hard disks, checkpoints and "
                             "saved state, which Import Virtual Machine reads back here or on another Bulkhead "
                             "host.").format(host=host),
            "path": self.tr("Folder on the host"),
            "placeholder": self.tr("/path/on/the/host"),
            "browse": self.tr("Choose the folder on the host"),
            "label": self.tr("&Location on {host}:").format(host=host),
        }

    def add_rows(self, form: QFormLayout) -> None:
        self.target = named(QLabel(), "export_target", self.tr("What is written"))
        self.target.setWordWrap(True)
        form.addRow("", self.target)

    def fit(self) -> None:
        hint = self.sizeHint()
        self.resize(max(640, hint.width()), hint.height() + 24)  # the form's rows whole on a first show

    # --- what is asked -------------------------------------------------------------------------------------------
    def folder(self) -> str:
        return self.where()

    def problem(self) -> str | None:
        able, why = self.session.can(CAPABILITY)
        if not able:
            return self.tr("{host} cannot export virtual machines: {why}").format(host=self.session.host_label,
                                                                                   why=why)
        vm = self.vm()
        if self.vm_problem(vm):
            return self.tr("{name} is {state}: wait until it is off, saved or running.").format(
                name=vm.get("name", self.vm_name), state=vmstates.state_text(vm.get("state", "")))
        path = self.folder()
        if not path:
            return self.tr("Choose the folder on the host to export into.")
        if not path.startswith("/"):
            return self.tr("Give the full path on the host (starting with /).")
        return None

    def _check(self) -> None:
        folder = self.folder()
        self.target.setText(self.tr("Writes {path}").format(path=posixpath.join(folder, self.vm_name))
                            if folder.startswith("/") else "")
        super()._check()

    def show_hint(self, vm: dict, problem: str | None) -> None:
        if problem and not self.folder():
            self.message.set_info(problem)  # nothing typed yet: a hint, not an error
        elif problem or self.error:
            self.message.set_error(problem or self.error)
        elif vm.get("state") in THROUGH_CHECKPOINT:
            self.message.set_info(self.tr("{name} is {state}: it is exported as it is at that moment, through a "
                                          "checkpoint the host takes and deletes again (Saved in the export); it "
                                          "keeps running.").format(name=self.vm_name,
                                                                   state=vmstates.state_text(vm.get("state", ""))))
        else:
            self.message.set_info(self.tr("The host writes the folder under a temporary name and renames it once "
                                          "whole; an existing folder is never overwritten. {name} cannot start "
                                          "while it is exported.").format(name=self.vm_name))

    # --- Browse..., View Script, Export --------------------------------------------------------------------------
    def browse_title(self) -> str:
        return self.tr("Export location on {host}").format(host=self.session.host_label)

    def script_task(self):
        return export_ops.script(self.session, "vm.export", {"vm": self.vm_name, "path": self.folder()}, owner=self)

    def start_export(self):
        return export_ops.export(self.session, self.vm(), self.folder(), owner=self)

    def done_text(self, result: dict) -> str:
        return self.tr("{name} is written to {path}: {size} in {files} files, checkpoints: {count}.").format(
            name=self.vm_name, path=result.get("path") or self.folder(), size=fmt.size(int(result.get("bytes") or 0)),
            files=int(result.get("files") or 0), count=int(result.get("checkpoints") or 0))
