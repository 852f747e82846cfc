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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from gui import format as fmt
from gui import operations as ops
from gui import vmstates
from gui.dialogs.script import ScriptDialog
from gui.i18n import translate
from gui.operations import export_ova as ova_ops
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel
from gui.widgets.named import named

CAPABILITY = "export_ova"
EXPORTABLE = ("Off", "Saved")  # the states vm.export.ova takes
FINISHED = ("Completed", "Failed", "Cancelled")


def availability(selected: list[dict], connected: bool, can) -> tuple[bool, str]:
    """(enabled, tooltip) of Export as OVA for the selected VMs: one VM, Off or Saved, on a host that can."""
    if not connected:
        return False, translate("ExportOva", "Not connected to a host")
    able, why = can(CAPABILITY)
    if not able:
        return False, translate("ExportOva", "Export as OVA: {why}").format(why=why)
    if len(selected) != 1:
        return False, translate("ExportOva", "Export as OVA: select one virtual machine")
    vm = selected[0]
    if vm.get("state") not in EXPORTABLE:
        return False, translate("ExportOva", "Export as OVA needs {states}; {name} is {state}").format(
            states=", ".join(vmstates.state_text(s) for s in EXPORTABLE), name=vm.get("name", ""),
            state=vmstates.state_text(vm.get("state", "")))
    return True, translate("ExportOva", "Write {name} as an OVA package that other platforms import").format(
        name=vm["name"])


def open_dialog(window) -> ExportOvaDialog | None:
    """The dialog for the window's one selected VM (on its own host); None when the action does not apply (the
    status bar says why)."""
    items = window.selected_items()
    session = items[0][0] if len(items) == 1 else window.active
    enabled, why = availability([vm for _s, vm in items], session.conn is not None, session.can)
    if not enabled:
        window.statusBar().showMessage(why, 8000)
        return None
    dialog = ExportOvaDialog(session, items[0][1], window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.export_ova_dialog = dialog
    dialog.finished.connect(lambda _r: setattr(window, "export_ova_dialog", None))
    dialog.open()
    return dialog


class ExportOvaDialog(QDialog):
    def __init__(self, session, vm: dict, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.vm_id = vm["id"]
        self.vm_name = vm["name"]
        self.job_id: int | None = None
        self.state = ""  # "", "starting", "running", "done"
        self.result: dict | None = None
        self.script_dialog: ScriptDialog | None = None
        self.host_browser = None
        self._edited = False
        self.error = ""  # the host's refusal or the job's end, shown until the path changes
        host = session.host_label or self.tr("the host")
        self.setObjectName("export_ova_dialog")
        self.setWindowTitle(self.tr("Export as OVA - {name}").format(name=self.vm_name))
        intro = WrappedLabel(self.tr("{host} writes {name} as an OVA package: an OVF descriptor, its virtual hard "
                                     "disk as a VMDK and a SHA256 manifest, which VMware, VirtualBox and others "
                                     "import (Convert Virtual Machine reads it back).").format(host=host,
                                                                                             name=self.vm_name))
        self.vm_label = named(QLabel(), "export_ova_vm", self.tr("Virtual machine"))
        self.path = named(QLineEdit(), "export_ova_path", self.tr("OVA file on the host"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host/{name}.ova").format(name=self.vm_name))
        self.path.textEdited.connect(lambda _t: setattr(self, "_edited", True))
        self.path.textChanged.connect(self._path_changed)
        self.browse = named(QPushButton(self.tr("&Browse...")), "export_ova_browse",
                            self.tr("Choose the folder on the host"))
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("Virtual machine:"), self.vm_label)
        file_label = QLabel(self.tr("&File on {host}:").format(host=host))
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        self.progress = named(QProgressBar(), "export_ova_progress", self.tr("Export progress"))
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = named(FieldMessage(), "export_ova_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Export"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.view_script = self.buttons.addButton(self.tr("View &Script..."), QDialogButtonBox.ButtonRole.HelpRole)
        self.view_script.setObjectName("export_ova_view_script")
        self.view_script.setAutoDefault(False)
        self.view_script.clicked.connect(self.show_script)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        session.job_done.connect(self._job_done)
        session.jobs_model.dataChanged.connect(self._jobs_changed)
        session.vms_changed.connect(self._check)
        self.setMinimumSize(560, 260)  # the wrapped texts' rows: a dialog does not ask its labels for their height
        self.resize(660, 280)
        self._check()
        ova_ops.default_folder(session, owner=self).success(self._default_folder).failure(lambda _e: None).run()

    # --- what is asked -------------------------------------------------------------------------------------------
    def vm(self) -> dict:
        return self.session.vm_model.vm(self.vm_id) or {"id": self.vm_id, "name": self.vm_name, "state": ""}

    def file(self) -> str:
        return self.path.text().strip()

    def _path_changed(self, _text: str) -> None:
        self.error = ""
        self._check()

    def _default_folder(self, folder: str) -> None:
        if folder and not self._edited and not self.file():
            self.path.setText(posixpath.join(folder, f"{self.vm_name}.ova"))

    def problem(self) -> str | None:
        able, why = self.session.can(CAPABILITY)
        if not able:
            return self.tr("{host} cannot export as OVA: {why}").format(host=self.session.host_label, why=why)
        vm = self.vm()
        if self.state != "running" and vm.get("state") not in EXPORTABLE:
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

    def _check(self) -> None:
        vm = self.vm()
        self.vm_label.setText(self.tr("{name} ({state})").format(name=vm.get("name", self.vm_name),
                                                                 state=vmstates.state_text(vm.get("state", ""))))
        busy = self.state in ("starting", "running")
        self.path.setReadOnly(busy or self.state == "done")
        self.browse.setEnabled(not busy and self.state != "done")
        problem = self.problem()
        self.ok.setEnabled(self.state == "done" or (problem is None and not busy))
        self.view_script.setEnabled(problem is None or self.state == "done")
        if busy or self.state == "done":
            return
        if problem or self.error:
            self.message.set_error(problem or self.error)
        else:
            self.message.set_info(self.tr("The host writes the package under a temporary name and renames it once "
                                          "whole; an existing file is never overwritten. {name} cannot start while "
                                          "it is exported.").format(name=self.vm_name))

    # --- Browse... and View Script -------------------------------------------------------------------------------
    def _browse(self) -> None:
        from gui.dialogs.host_browser import HostBrowserDialog

        path = self.file()
        folder = posixpath.dirname(path) if path.startswith("/") else ""
        dialog = HostBrowserDialog(self.session, folder, folders=True, parent=self,
                                   title=self.tr("Folder for the OVA on {host}").format(host=self.session.host_label))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._folder_chosen)
        self.host_browser = dialog
        dialog.open()

    def _folder_chosen(self, folder: str) -> None:
        name = posixpath.basename(self.file()) if self.file().lower().endswith(".ova") else f"{self.vm_name}.ova"
        self._edited = True
        self.path.setText(posixpath.join(folder, name))

    def show_script(self) -> None:
        if self.problem():
            return
        self.view_script.setEnabled(False)

        def shown(script) -> None:
            self.view_script.setEnabled(True)
            self.script_dialog = ScriptDialog(script.title, script.command_line, script.python, self,
                                              tasks=self.session.tasks)
            self.script_dialog.open()

        def failed(error: BaseException) -> None:
            self.view_script.setEnabled(True)
            self.message.set_error(describe(error))

        ova_ops.script(self.session, self.vm(), self.file(), owner=self).success(shown).failure(failed).run()

    # --- Export, its progress, Cancel ----------------------------------------------------------------------------
    def accept(self) -> None:
        if self.state == "done":
            super().accept()
            return
        if self.problem() or self.state:
            return
        self.state = "starting"
        self.message.set_info(self.tr("Starting the export on {host}...").format(host=self.session.host_label))
        self._check()
        ova_ops.export_ova(self.session, self.vm(), self.file(), owner=self).success(self._started).failure(
            self._failed).run()

    def _started(self, job: dict) -> None:
        self.job_id = job["id"]
        self.state = "running"
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setText(self.tr("&Cancel Export"))
        self.cancel_button.setToolTip(self.tr("Stop the export; the host removes what it wrote"))
        self._check()
        known = self.session.jobs_model.job(job["id"]) or job
        self._show_job(known)
        if known.get("state") in FINISHED:
            self._job_done(known)

    def _failed(self, error: BaseException | str) -> None:
        self.state = ""
        self.job_id = None
        self.progress.setVisible(False)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip("")
        self.cancel_button.setEnabled(True)
        self.error = error if isinstance(error, str) else describe(error)
        self._check()

    def _jobs_changed(self, *_args) -> None:
        if self.job_id is not None and self.state == "running":
            job = self.session.jobs_model.job(self.job_id)
            if job is not None:
                self._show_job(job)

    def _show_job(self, job: dict) -> None:
        self.progress.setValue(int(job.get("progress") or 0))
        self.message.set_info(self.tr("Exporting {name}: {step}").format(
            name=self.vm_name, step=job.get("message") or self.tr("queued")))

    def _job_done(self, job: dict) -> None:
        if self.job_id is None or not isinstance(job, dict) or job.get("id") != self.job_id or self.state != "running":
            return
        state = job.get("state")
        if state == "Completed":
            self.state = "done"
            self.result = job.get("result") if isinstance(job.get("result"), dict) else {}
            self.progress.setValue(100)
            self.cancel_button.setVisible(False)
            self.ok.setText(self.tr("&Close"))
            self.ok.setEnabled(True)
            self.message.set_info(self.tr("{name} is written to {path} ({size}).").format(
                name=self.vm_name, path=self.result.get("path") or self.file(),
                size=fmt.size(int(self.result.get("bytes") or 0))))
            self._check()
            return
        if state == "Cancelled":
            self._failed(self.tr("The export was cancelled; nothing was kept."))
            return
        self._failed(job.get("error") or self.tr("the job ended {state}").format(state=state or ""))

    def reject(self) -> None:
        """Cancel: closes the dialog; while the job runs, Cancel Export asks the host to stop it first."""
        if self.state == "running" and self.job_id is not None:
            self.cancel_button.setEnabled(False)
            self.message.set_info(self.tr("Cancelling the export..."))
            ops.jobs.cancel(self.session, self.job_id, owner=self).failure(
                lambda e: (self.cancel_button.setEnabled(True), self.message.set_error(describe(e)))).run()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name: closing leaves a running job in the jobs strip
        super().done(QDialog.DialogCode.Rejected)
        event.accept()
