"""A job in full: what it did, when, its progress and its error, with Cancel while a cancellable job runs."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout

from gui import format as fmt
from gui import operations as ops
from gui.i18n import QT_TRANSLATE_NOOP
from gui.models.jobs import FINISHED, job_message, job_state_text
from gui.tasks import describe
from gui.widgets.builders import close_buttons, push_button

# the rows, known by their English names and shown translated
FIELDS = (QT_TRANSLATE_NOOP("JobDetailsDialog", "Job"), QT_TRANSLATE_NOOP("JobDetailsDialog", "Target"),
          QT_TRANSLATE_NOOP("JobDetailsDialog", "Status"), QT_TRANSLATE_NOOP("JobDetailsDialog", "Message"),
          QT_TRANSLATE_NOOP("JobDetailsDialog", "Created"), QT_TRANSLATE_NOOP("JobDetailsDialog", "Started"),
          QT_TRANSLATE_NOOP("JobDetailsDialog", "Ended"), QT_TRANSLATE_NOOP("JobDetailsDialog", "Duration"))


def _when(t: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else "-"


class JobDetailsDialog(QDialog):
    def __init__(self, job: dict, vm_name: str, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.job_id = job["id"]
        self.setWindowTitle(self.tr("Job {id}: {name}").format(id=job["id"], name=job.get("name", "")))
        self.setObjectName("job_details")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key in FIELDS:
            label = QLabel()
            label.setObjectName(f"job_{key.lower()}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(self.tr(key))
            label.setWordWrap(True)
            form.addRow(self.tr("{field}:").format(field=self.tr(key)), label)
            self.fields[key] = label
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        form.addRow(self.tr("Progress:"), self.progress)
        layout.addLayout(form)
        self.error_label = QLabel(self.tr("Error:"))
        self.error = QPlainTextEdit()
        self.error.setObjectName("job_error")
        self.error.setReadOnly(True)
        self.error.setAccessibleName(self.tr("Error"))
        self.error.setMaximumHeight(90)
        self.error_label.setBuddy(self.error)
        layout.addWidget(self.error_label)
        layout.addWidget(self.error)
        self.cancel_button = push_button(self.tr("Cancel Job"), "cancel_job", self._cancel)
        close_buttons(self, layout, self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.vm_name = vm_name
        self.show_job(job)
        model = session.jobs_model
        for signal in (model.dataChanged, model.rowsInserted, model.modelReset):
            signal.connect(self._model_changed)
        self.resize(460, 0)

    def show_job(self, job: dict) -> None:
        f = self.fields
        f["Job"].setText(self.tr("{name} (id {id})").format(name=job.get("name", ""), id=job["id"]))
        f["Target"].setText(self.vm_name)
        f["Status"].setText(job_state_text(job.get("state", "")))
        if job.get("state") == "Failed":  # the error is below; the message says where it stopped
            step = job.get("message") or ""
            f["Message"].setText(self.tr("Stopped at: {step}").format(step=step) if step else "-")
        else:
            f["Message"].setText(job_message(job) or "-")
        f["Created"].setText(_when(job.get("created")))
        f["Started"].setText(_when(job.get("started")))
        f["Ended"].setText(_when(job.get("ended")))
        if job.get("started") and job.get("ended"):
            f["Duration"].setText(self.tr("{seconds} s").format(seconds=fmt.decimal(job['ended'] - job['started'], 2)))
        else:
            f["Duration"].setText("-")
        self.progress.setValue(100 if job.get("state") == "Completed" else int(job.get("progress") or 0))
        error = job.get("error") or ""
        self.error.setPlainText(error)
        self.error.setVisible(bool(error))
        self.error_label.setVisible(bool(error))
        running = job.get("state") not in FINISHED
        self.cancel_button.setVisible(bool(job.get("cancellable")) and running)

    def _model_changed(self, *_args) -> None:
        job = self.session.jobs_model.job(self.job_id)
        if job is not None:
            self.show_job(job)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        ops.jobs.cancel(self.session, self.job_id, owner=self).success(self._cancelled).failure(
            self._cancel_failed).run()

    def _cancelled(self, job: dict) -> None:
        self.session.jobs_model.upsert(job)
        self.cancel_button.setEnabled(True)

    def _cancel_failed(self, error: BaseException) -> None:
        self.cancel_button.setEnabled(True)
        self.fields["Message"].setText(self.tr("Cannot cancel: {error}").format(error=describe(error)))
