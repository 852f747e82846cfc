"""What Export... (export_vm.py) and Export as OVA (export_ova.py) share: the action's availability for the selected
VMs, opening the dialog for the one selected, and the dialog itself - a path on the VM's host (Browse... lists that
host's folders, never this machine's), View Script, Export starting the host's job whose progress the dialog follows
from the session's jobs, Cancel Export cancelling it, and closing the dialog leaving it running in the jobs strip.

A dialog gives its texts (``texts``, translated in its own context), the checks of its path (``problem``), what it
shows when nothing is wrong (``show_hint``), the host calls (``start_export``, ``script_task``) and the line a
completed job leaves (``done_text``). The texts both say alike are translated here, in the context "ExportDialog"."""

from __future__ import annotations

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

from gui import operations as ops
from gui import vmstates
from gui.dialogs.script import ScriptDialog
from gui.i18n import translate
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel
from gui.widgets.named import named

FINISHED = ("Completed", "Failed", "Cancelled")


def availability(selected: list[dict], connected: bool, can, capability: str, exportable: tuple, *, refused: str,
                 one: str, needs: str, able: str) -> tuple[bool, str]:
    """(enabled, tooltip) of an export action for the selected VMs: one VM, in a state of ``exportable``, on a host
    that has ``capability``. The tooltips, translated by the caller: ``refused`` ({why}), ``one`` (not one VM
    selected), ``needs`` ({states}, {name}, {state}) and ``able`` ({name})."""
    if not connected:
        return False, translate("ExportDialog", "Not connected to a host")
    can_do, why = can(capability)
    if not can_do:
        return False, refused.format(why=why)
    if len(selected) != 1:
        return False, one
    vm = selected[0]
    if vm.get("state") not in exportable:
        return False, needs.format(states=", ".join(vmstates.state_text(s) for s in exportable),
                                   name=vm.get("name", ""), state=vmstates.state_text(vm.get("state", "")))
    return True, able.format(name=vm["name"])


def open_for_selection(window, availability, dialog_class, attribute: str):
    """A ``dialog_class`` for the window's one selected VM (on its own host), kept as ``window.<attribute>`` while
    it is open; None when ``availability`` says the action does not apply (the status bar says why)."""
    items = window.selected_items()
    session = items[0][0] if len(items) == 1 else window.active
    enabled, why = availability([vm for _s, vm in items], session.conn is not None, session.can)
    if not enabled:
        window.statusBar().showMessage(why, 8000)
        return None
    dialog = dialog_class(session, items[0][1], window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    setattr(window, attribute, dialog)
    dialog.finished.connect(lambda _r: setattr(window, attribute, None))
    dialog.open()
    return dialog


def open_folder_browser(owner, session, start: str, title: str, chosen):
    """The host's folder browser (host.browse) as ``owner.host_browser``, opened at ``start`` when that is a full
    path (else the host's own start), ``chosen`` called with the folder picked."""
    from gui.dialogs.host_browser import HostBrowserDialog

    dialog = HostBrowserDialog(session, start if start.startswith("/") else "", folders=True, parent=owner,
                               title=title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.chosen.connect(chosen)
    owner.host_browser = dialog
    dialog.open()
    return dialog


class ExportJobDialog(QDialog):
    """``prefix`` names the dialog (``<prefix>_dialog``) and its widgets (``<prefix>_path``, ...)."""

    prefix = "export"
    capability = "export"
    exportable: tuple = ()

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
        self.error = ""  # the host's refusal or the job's end, shown until the path changes
        p = self.prefix
        texts = self.texts(session.host_label or translate("ExportDialog", "the host"))
        self.setObjectName(f"{p}_dialog")
        self.setWindowTitle(texts["title"])
        intro = WrappedLabel(texts["intro"])
        self.vm_label = named(QLabel(), f"{p}_vm", translate("ExportDialog", "Virtual machine"))
        self.path = named(QLineEdit(), f"{p}_path", texts["path"])
        self.path.setPlaceholderText(texts["placeholder"])
        self.path.textChanged.connect(self._path_changed)
        self.browse = named(QPushButton(translate("ExportDialog", "&Browse...")), f"{p}_browse", texts["browse"])
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.form = QFormLayout()
        self.form.addRow(translate("ExportDialog", "Virtual machine:"), self.vm_label)
        label = QLabel(texts["label"])
        label.setBuddy(self.path)
        self.form.addRow(label, row)
        self.progress = named(QProgressBar(), f"{p}_progress", translate("ExportDialog", "Export progress"))
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = named(FieldMessage(), f"{p}_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(translate("ExportDialog", "&Export"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.view_script = self.buttons.addButton(translate("ExportDialog", "View &Script..."),
                                                  QDialogButtonBox.ButtonRole.HelpRole)
        self.view_script.setObjectName(f"{p}_view_script")
        self.view_script.setAutoDefault(False)
        self.view_script.clicked.connect(self.show_script)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.add_rows(self.form)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        session.job_done.connect(self._job_done)
        session.jobs_model.dataChanged.connect(self._jobs_changed)
        session.vms_changed.connect(self._check)
        self.fit()
        self._check()

    # --- what a dialog gives -------------------------------------------------------------------------------------
    def texts(self, host: str) -> dict[str, str]:
        """title, intro, path (its accessible name), placeholder, browse (the button's tooltip), label (the path's
        row, with its accelerator)."""
        raise NotImplementedError

    def add_rows(self, form: QFormLayout) -> None:
        """Rows of the dialog's own below the path's."""

    def fit(self) -> None:
        """The dialog's size on a first show."""

    def problem(self) -> str | None:
        raise NotImplementedError

    def show_hint(self, vm: dict, problem: str | None) -> None:
        """The message while nothing runs: what is wrong, or what Export will do."""
        raise NotImplementedError

    def start_export(self):
        """The host's call that starts the job (a task: ``.success(job)``)."""
        raise NotImplementedError

    def script_task(self):
        """The call that makes the View Script's script (a task: ``.success(script)``)."""
        raise NotImplementedError

    def done_text(self, result: dict) -> str:
        raise NotImplementedError

    def browse_start(self) -> str:
        return self.where()

    def browse_title(self) -> str:
        raise NotImplementedError

    def folder_chosen(self, folder: str) -> None:
        self.path.setText(folder)

    # --- what is asked -------------------------------------------------------------------------------------------
    def vm(self) -> dict:
        return self.session.vm_model.vm(self.vm_id) or {"id": self.vm_id, "name": self.vm_name, "state": ""}

    def where(self) -> str:
        """The path typed (a file or a folder on the host)."""
        return self.path.text().strip()

    def vm_problem(self, vm: dict) -> bool:
        """Whether ``vm``'s state keeps it from being exported (not while its export runs)."""
        return self.state != "running" and vm.get("state") not in self.exportable

    def _path_changed(self, _text: str) -> None:
        self.error = ""
        self._check()

    def _check(self) -> None:
        vm = self.vm()
        self.vm_label.setText(translate("ExportDialog", "{name} ({state})").format(
            name=vm.get("name", self.vm_name), state=vmstates.state_text(vm.get("state", ""))))
        busy = self.state in ("starting", "running")
        done = self.state == "done"
        self.path.setReadOnly(busy or done)
        self.browse.setEnabled(not busy and not done)
        problem = self.problem()
        self.ok.setEnabled(done or (problem is None and not busy))  # done: Close
        self.view_script.setEnabled(problem is None or done)
        if not busy and not done:
            self.show_hint(vm, problem)

    # --- Browse... and View Script -------------------------------------------------------------------------------
    def _browse(self) -> None:
        open_folder_browser(self, self.session, self.browse_start(), self.browse_title(), self.folder_chosen)

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

        self.script_task().success(shown).failure(failed).run()

    # --- Export, its progress, Cancel ----------------------------------------------------------------------------
    def accept(self) -> None:
        if self.state == "done":
            super().accept()
            return
        if self.problem() or self.state:
            return
        self.state = "starting"
        self.message.set_info(translate("ExportDialog", "Starting the export on {host}...").format(
            host=self.session.host_label))
        self._check()
        self.start_export().success(self._started).failure(self._failed).run()

    def _started(self, job: dict) -> None:
        self.job_id = job["id"]
        self.state = "running"
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setText(translate("ExportDialog", "&Cancel Export"))
        self.cancel_button.setToolTip(translate("ExportDialog", "Stop the export; the host removes what it wrote"))
        self._check()
        known = self.session.jobs_model.job(job["id"]) or job
        self._show_job(known)
        if known.get("state") in FINISHED:
            self._job_done(known)

    def _failed(self, error: BaseException | str) -> None:
        self.state = ""
        self.job_id = None
        self.progress.setVisible(False)
        self.cancel_button.setText(translate("ExportDialog", "Cancel"))
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
        self.message.set_info(translate("ExportDialog", "Exporting {name}: {step}").format(
            name=self.vm_name, step=job.get("message") or translate("ExportDialog", "queued")))

    def _job_done(self, job: dict) -> None:
        if self.job_id is None or not isinstance(job, dict) or job.get("id") != self.job_id or self.state != "running":
            return
        state = job.get("state")
        if state == "Completed":
            self.state = "done"
            self.result = job.get("result") if isinstance(job.get("result"), dict) else {}
            self.progress.setValue(100)
            self.cancel_button.setVisible(False)
            self.ok.setText(translate("ExportDialog", "&Close"))
            self.ok.setEnabled(True)
            self.message.set_info(self.done_text(self.result))
            self._check()
            return
        if state == "Cancelled":
            self._failed(translate("ExportDialog", "The export was cancelled; nothing was kept."))
            return
        self._failed(job.get("error") or translate("ExportDialog", "the job ended {state}").format(state=state or ""))

    def reject(self) -> None:
        """Cancel: closes the dialog; while the job runs, Cancel Export asks the host to stop it first."""
        if self.state == "running" and self.job_id is not None:
            self.cancel_button.setEnabled(False)
            self.message.set_info(translate("ExportDialog", "Cancelling the export..."))
            ops.jobs.cancel(self.session, self.job_id, owner=self).failure(
                lambda e: (self.cancel_button.setEnabled(True), self.message.set_error(describe(e)))).run()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name: closing leaves a running job in the jobs strip
        super().done(QDialog.DialogCode.Rejected)
        event.accept()
