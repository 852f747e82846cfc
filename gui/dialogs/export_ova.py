"""Export as OVA: an Off or Saved VM written by its host as an OVA package (an OVF 1.x descriptor, its disk as a
streamOptimized VMDK and a SHA256 manifest) that other platforms import and Convert Virtual Machine reads back
(vm.export.ova, docs/conversion.md).

The file is a path on the VM's host: Browse... lists that host's folders (host.browse, gui/dialogs/host_browser.py),
never this machine's. Export starts the host's job (gui/operations/export_ova.py, off the GUI thread); the dialog
follows its progress from the session's jobs, Cancel Export cancels it (the host removes what it wrote), and closing
the dialog leaves it running in the jobs strip. A host without the capability (libvirt) says why, in the action's
tooltip and here."""

from __future__ import annotations

import posixpath

from gui import format as fmt
from gui import vmstates
from gui.dialogs import export_base
from gui.dialogs.export_base import ExportJobDialog
from gui.i18n import translate
from gui.operations import export_ova as ova_ops

CAPABILITY = "export_ova"
EXPORTABLE = ("Off", "Saved")  # the states vm.export.ova takes


def availability(selected: list[dict], connected: bool, can) -> tuple[bool, str]:
    """(enabled, tooltip) of Export as OVA for the selected VMs: one VM, Off or Saved, on a host that can."""
    return export_base.availability(
        selected, connected, can, CAPABILITY, EXPORTABLE,
        refused=translate("ExportOva", "Export as OVA: {why}"),
        one=translate("ExportOva", "Export as OVA: select one virtual machine"),
        needs=translate("ExportOva", "Export as OVA needs {states}; {name} is {state}"),
        able=translate("ExportOva", "Write {name} as an OVA package that other platforms import"))


def open_dialog(window) -> ExportOvaDialog | None:
    """The dialog for the window's one selected VM (on its own host); None when the action does not apply (the
    status bar says why)."""
    return export_base.open_for_selection(window, availability, ExportOvaDialog, "export_ova_dialog")


class ExportOvaDialog(ExportJobDialog):
    prefix = "export_ova"
    capability = CAPABILITY
    exportable = EXPORTABLE

    def __init__(self, session, vm: dict, parent=None) -> None:
        super().__init__(session, vm, parent)
        self._edited = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_edited", True))
        ova_ops.default_folder(session, owner=self).success(self._default_folder).failure(lambda _e: None).run()

    def texts(self, host: str) -> dict[str, str]:
        return {
            "title": self.tr("Export as OVA - {name}").format(name=self.vm_name),
            "intro": self.tr("{host} writes {name} as an OVA package: an OVF descriptor, its virtual hard disk as a "
                             "VMDK and a SHA256 manifest, which VMware, VirtualBox and others import (Convert Virtual "
                             "Machine reads it back).").format(host=host, name=self.vm_name),
            "path": self.tr("OVA file on the host"),
            "placeholder": self.tr("/path/on/the/host/{name}.ova").format(name=self.vm_name),
            "browse": self.tr("Choose the folder on the host"),
            "label": self.tr("&File on {host}:").format(host=host),
        }

    def fit(self) -> None:
        self.setMinimumSize(560, 260)  # the wrapped texts' rows: a dialog does not ask its labels for their height
        self.resize(660, 280)

    # --- what is asked -------------------------------------------------------------------------------------------
    def file(self) -> str:
        return self.where()

    def _default_folder(self, folder: str) -> None:
        if folder and not self._edited and not self.file():
            self.path.setText(posixpath.join(folder, f"{self.vm_name}.ova"))

    def problem(self) -> str | None:
        able, why = self.session.can(CAPABILITY)
        if not able:
            return self.tr("{host} cannot export as OVA: {why}").format(host=self.session.host_label, why=why)
        vm = self.vm()
        if self.vm_problem(vm):
            return self.tr("{name} is {state}: shut it down or save it first.").format(
                name=vm.get("name", self.vm_name), state=vmstates.state_text(vm.get("state", "")))
        path = self.file()
        if not path:
            return self.tr("Type the .ova file the host writes (a path on the host).")
        if not path.startswith("/"):
            return self.tr("Give the full path on the host (starting with /).")
        if not path.lower().endswith(".ova") or posixpath.basename(path).lower() == ".ova":
            return self.tr("An OVA's file name ends in .ova.")
        return None

    def show_hint(self, vm: dict, problem: str | None) -> None:
        if problem or self.error:
            self.message.set_error(problem or self.error)
        else:
            self.message.set_info(self.tr("The host writes the package under a temporary name and renames it once "
                                          "whole; an existing file is never overwritten. {name} cannot start while "
                                          "it is exported.").format(name=self.vm_name))

    # --- Browse..., View Script, Export --------------------------------------------------------------------------
    def browse_start(self) -> str:
        path = self.file()
        return posixpath.dirname(path) if path.startswith("/") else ""

    def browse_title(self) -> str:
        return self.tr("Folder for the OVA on {host}").format(host=self.session.host_label)

    def folder_chosen(self, folder: str) -> None:
        name = posixpath.basename(self.file()) if self.file().lower().endswith(".ova") else f"{self.vm_name}.ova"
        self._edited = True
        self.path.setText(posixpath.join(folder, name))

    def script_task(self):
        return ova_ops.script(self.session, self.vm(), self.file(), owner=self)

    def start_export(self):
        return ova_ops.export_ova(self.session, self.vm(), self.file(), owner=self)

    def done_text(self, result: dict) -> str:
        return self.tr("{name} is written to {path} ({size}).").format(
            name=self.vm_name, path=result.get("path") or self.file(), size=fmt.size(int(result.get("bytes") or 0)))
