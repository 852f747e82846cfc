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
from gui.operations import export_import as export_ops
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel
from gui.widgets.named import named

CAPABILITY = "export"
AS_IT_IS = ("Off", "Saved")  # exported as they are
THROUGH_CHECKPOINT = ("Running", "Paused")  # exported through a checkpoint taken and deleted again
EXPORTABLE = AS_IT_IS + THROUGH_CHECKPOINT
FINISHED = ("Completed", "Failed", "Cancelled")


def availability(selected: list[dict], connected: bool, can) -> tuple[bool, str]:
    """(enabled, tooltip) of Export... for the selected VMs: one VM, in a state the host exports, on a host that
    can."""
    if not connected:
        return False, translate("ExportVm", "Not connected to a host")
    able, why = can(CAPABILITY)
    if not able:
        return False, translate("ExportVm", "Export: {why}").format(why=why)
    if len(selected) != 1:
        return False, translate("ExportVm", "Export: select one virtual machine")
    vm = selected[0]
    if vm.get("state") not in EXPORTABLE:
        return False, translate("ExportVm", "Export needs {states}; {name} is {state}").format(
            states=", ".join(vmstates.state_text(s) for s in EXPORTABLE), name=vm.get("name", ""),
            state=vmstates.state_text(vm.get("state", "")))
    return True, translate("ExportVm", "Export {name} with its disks, checkpoints and saved state into a folder of "
                                       "its host").format(name=vm["name"])


def open_dialog(window) -> ExportVmDialog | None:
    """The dialog for the window's one selected VM (on its own host); None when the action does not apply (the
    status bar says why)."""
    items = window.selected_items()
    session = items[0][0] if len(items) == 1 else window.active
    enabled, why = availability([vm for _s, vm in items], session.conn is not None, session.can)
    if not enabled:
        window.statusBar().showMessage(why, 8000)
        return None
    dialog = ExportVmDialog(session, items[0][1], window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.export_dialog = dialog
    dialog.finished.connect(lambda _r: setattr(window, "export_dialog", None))
    dialog.open()
    return dialog


class ExportVmDialog(QDialog):
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
        host = session.host_label or self.tr("the host")
        self.setObjectName("export_dialog")
        self.setWindowTitle(self.tr("Export Virtual Machine - {name}").format(name=self.vm_name))
        intro = WrappedLabel(self.tr("Specify where you want to save the files. {host} writes a folder named after "
                                     "the virtual machine there, with its configuration, virtual hard disks, "
                                     "checkpoints and saved state, which Import Virtual Machine reads back here or "
                                     "on another Bulkhead host.").format(host=host))
        self.vm_label = named(QLabel(), "export_vm", self.tr("Virtual machine"))
        self.path = named(QLineEdit(), "export_path", self.tr("Folder on the host"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host"))
        self.path.textChanged.connect(lambda _t: self._check())
        self.browse = named(QPushButton(self.tr("&Browse...")), "export_browse", self.tr("Choose the folder on the "
                                                                                          "host"))
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("Virtual machine:"), self.vm_label)
        label = QLabel(self.tr("&Location on {host}:").format(host=host))
        label.setBuddy(self.path)
        form.addRow(label, row)
        self.target = named(QLabel(), "export_target", self.tr("What is written"))
        self.target.setWordWrap(True)
        form.addRow("", self.target)
        self.progress = named(QProgressBar(), "export_progress", self.tr("Export progress"))
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = named(FieldMessage(), "export_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Export"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.view_script = self.buttons.addButton(self.tr("View &Script..."), QDialogButtonBox.ButtonRole.HelpRole)
        self.view_script.setObjectName("export_view_script")
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
        hint = self.sizeHint()
        self.resize(max(640, hint.width()), hint.height() + 24)  # the form's rows whole on a first show
        self._check()

    # --- what is asked -------------------------------------------------------------------------------------------
    def vm(self) -> dict:
        return self.session.vm_model.vm(self.vm_id) or {"id": self.vm_id, "name": self.vm_name, "state": ""}

    def folder(self) -> str:
        return self.path.text().strip()

    def problem(self) -> str | None:
        able, why = self.session.can(CAPABILITY)
        if not able:
            return self.tr("{host} cannot export virtual machines: {why}").format(host=self.session.host_label,
                                                                                   why=why)
        vm = self.vm()
        if self.state != "running" and vm.get("state") not in EXPORTABLE:
            return self.tr("{name} is {state}: wait until it is off, saved or running.").format(
                name=vm.get("name", self.vm_name), state=vmstates.state_text(vm.get("state", "")))
        path = self.folder()
        if not path:
            return self.tr("Choose the folder on the host to export into.")
        if not path.startswith("/"):
            return self.tr("Give the full path on the host (starting with /).")
        return None

    def _check(self) -> None:
        vm = self.vm()
        self.vm_label.setText(self.tr("{name} ({state})").format(name=vm.get("name", self.vm_name),
                                                                 state=vmstates.state_text(vm.get("state", ""))))
        busy = self.state in ("starting", "running")
        self.path.setReadOnly(busy or self.state == "done")
        self.browse.setEnabled(not busy and self.state != "done")
        problem = self.problem()
        self.ok.setEnabled(self.state == "done" or (problem is None and not busy))  # done: Close
        self.view_script.setEnabled(problem is None)
        folder = self.folder()
        self.target.setText(self.tr("Writes {path}").format(path=posixpath.join(folder, self.vm_name))
                            if folder.startswith("/") else "")
        if busy or self.state == "done":
            return
        if problem and not folder:
            self.message.set_info(problem)  # nothing typed yet: a hint, not an error
        elif problem:
            self.message.set_error(problem)
        elif vm.get("state") in THROUGH_CHECKPOINT:
            self.message.set_info(self.tr("{name} is {state}: it is exported as it is at that moment, through a "
                                          "checkpoint the host takes and deletes again (Saved in the export); it "
                                          "keeps running.").format(name=self.vm_name,
                                                                   state=vmstates.state_text(vm.get("state", ""))))
        else:
            self.message.set_info(self.tr("The host writes the folder under a temporary name and renames it once "
                                          "whole; an existing folder is never overwritten. {name} cannot start "
                                          "while it is exported.").format(name=self.vm_name))

    # --- Browse... and View Script -------------------------------------------------------------------------------
    def _browse(self) -> None:
        from gui.dialogs.host_browser import HostBrowserDialog

        path = self.folder()
        dialog = HostBrowserDialog(self.session, path if path.startswith("/") else "", folders=True, parent=self,
                                   title=self.tr("Export location on {host}").format(host=self.session.host_label))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.path.setText)
        self.host_browser = dialog
        dialog.open()

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

        export_ops.script(self.session, "vm.export", {"vm": self.vm_name, "path": self.folder()}, owner=self).success(
            shown).failure(failed).run()

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
        export_ops.export(self.session, self.vm(), self.folder(), owner=self).success(self._started).failure(
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
        self._check()
        self.message.set_error(error if isinstance(error, str) else describe(error))

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
            count = int(self.result.get("checkpoints") or 0)
            self.message.set_info(self.tr("{name} is written to {path}: {size} in {files} files, checkpoints: "
                                          "{count}.").format(
                name=self.vm_name, path=self.result.get("path") or self.folder(),
                size=fmt.size(int(self.result.get("bytes") or 0)), files=int(self.result.get("files") or 0),
                count=count))
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
