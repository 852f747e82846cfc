"""Live migration of a VM between two libvirt connections, as a job with progress (``operations.vm.migrate``).

The destination is a libvirt URI as the *source* host reaches it (peer to peer); the saved connections are offered.
The dialog follows the job through the host's job events and ends with the time and downtime libvirt measured.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from gui import libvirt_hosts
from gui import operations as ops
from gui.dialogs.buttons import button_row
from gui.models.jobs import FINISHED, job_state_text
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel


class MigrateDialog(QDialog):
    def __init__(self, session, vm: dict, destinations: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        """``destinations``: [(label, uri)] of the other saved libvirt connections."""
        super().__init__(parent)
        self.session = session
        self.vm = vm
        self.job: dict | None = None
        self.setObjectName("migrate_dialog")
        self.setWindowTitle(self.tr("Migrate {name}").format(name=vm["name"]))
        layout = QVBoxLayout(self)
        layout.addWidget(WrappedLabel(self.tr("Move <b>{name}</b> from {host} to another libvirt host. A live "
                                              "migration copies its memory while it runs and pauses it only for the "
                                              "last pass (the downtime).").format(name=vm["name"],
                                                                                 host=session.host_label)))
        form = QFormLayout()
        self.destination = QComboBox()
        self.destination.setObjectName("migrate_destination")
        self.destination.setEditable(True)
        self.destination.setAccessibleName(self.tr("Destination URI"))
        for label, uri in destinations:
            self.destination.addItem(f"{uri}", uri)
            self.destination.setItemData(self.destination.count() - 1, label)
        self.destination.setCurrentText(destinations[0][1] if destinations else "")
        self.destination.lineEdit().setPlaceholderText("qemu+ssh://otherhost/system")
        form.addRow(self.tr("&Destination:"), self.destination)
        self.destination_message = FieldMessage()
        form.addRow("", self.destination_message)
        self.live = QCheckBox(self.tr("&Live (the VM keeps running)"))
        self.live.setObjectName("migrate_live")
        self.live.setChecked(True)
        self.persistent = QCheckBox(self.tr("&Persistent at the destination"))
        self.persistent.setObjectName("migrate_persistent")
        self.persistent.setChecked(True)
        self.undefine = QCheckBox(self.tr("&Undefine at the source"))
        self.undefine.setObjectName("migrate_undefine_source")
        self.undefine.setChecked(True)
        self.copy_storage = QCheckBox(self.tr("&Copy storage (disks not shared between the hosts)"))
        self.copy_storage.setObjectName("migrate_copy_storage")
        for w in (self.live, self.persistent, self.undefine, self.copy_storage):
            form.addRow("", w)
        self.migrate_uri = QLineEdit()
        self.migrate_uri.setObjectName("migrate_uri")
        self.migrate_uri.setPlaceholderText(self.tr("optional: tcp://ADDRESS for the memory stream"))
        form.addRow(self.tr("&Network:"), self.migrate_uri)
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = FieldMessage()
        self.message.setObjectName("migrate_message")
        layout.addWidget(self.message)
        self.buttons, self.start_button = button_row(self, self.tr("&Migrate"), self.start,
                                                     QDialogButtonBox.StandardButton.Close)
        self.start_button.setObjectName("migrate_start")
        layout.addWidget(self.buttons)
        self.destination.editTextChanged.connect(self._changed)
        session.jobs_model.dataChanged.connect(self._follow)
        session.jobs_model.rowsInserted.connect(self._follow)
        can, why = session.can("migrate")
        self._refused = None if can else why
        self._changed()
        self.resize(560, 380)

    def problem(self) -> str | None:
        if self._refused:
            return self.tr("This connection cannot migrate: {why}").format(why=self._refused)
        uri = self.destination.currentText().strip()
        if not uri:
            return self.tr("Choose or type the destination's libvirt URI.")
        if uri == self.session.host_key.removeprefix("libvirt:"):
            return self.tr("The destination is this same host.")
        return libvirt_hosts.check_uri(uri)

    def _changed(self, *_args) -> None:
        problem = self.problem()
        self.destination_message.set_error(problem or "")
        self.start_button.setEnabled(problem is None and self.job is None)

    def params(self) -> dict:
        return {"destination": self.destination.currentText().strip(), "live": self.live.isChecked(),
                "persistent": self.persistent.isChecked(), "undefine_source": self.undefine.isChecked(),
                "copy_storage": self.copy_storage.isChecked(), "migrate_uri": self.migrate_uri.text().strip()}

    def start(self) -> None:
        if self.problem() or self.job is not None:
            return
        params = self.params()
        self.start_button.setEnabled(False)
        self.message.set_info(self.tr("Starting the migration..."))
        ops.vm.migrate(self.session, self.vm, owner=self, **params).success(self._started).failure(
            self._failed).run()

    def _started(self, job: dict) -> None:
        self.job = job  # the operation hands the job to the session, which follows it
        self.progress.show()
        self._show(job)

    def _failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.message.set_error(self.tr("The host did not start the migration: {error}").format(error=describe(error)))

    def _follow(self, *_args) -> None:
        if self.job is None:
            return
        job = next((j for j in self.session.jobs_model.jobs() if j.get("id") == self.job.get("id")), None)
        if job is not None:
            self._show(job)

    def _show(self, job: dict) -> None:
        self.job = job
        self.progress.setValue(int(job.get("progress") or 0))
        state = job.get("state")
        if state == "Completed":
            result = job.get("result") or {}
            self.message.set_info(result.get("message") or self.tr("Migrated."))
        elif state in FINISHED:
            self.message.set_error(self.tr("Migration {state}: {error}").format(
                state=job_state_text(state).lower(), error=job.get("error") or "").strip())
        else:
            self.message.set_info(job.get("message") or self.tr("Migrating..."))
