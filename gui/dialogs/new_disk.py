"""New Virtual Hard Disk: a file on the host (VHD dynamic or fixed, or raw) made by the host's job, for the settings
dialog's Hard Drive page. The path is the host's; Browse... is offered where the host is this machine."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from core.model.units import parse_size
from gui import operations as ops
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named

KINDS = (("dynamic", QT_TRANSLATE_NOOP("NewDiskDialog", "Dynamically expanding VHD (grows as it is written)")),
         ("fixed", QT_TRANSLATE_NOOP("NewDiskDialog", "Fixed-size VHD (all of it allocated now)")),
         ("raw", QT_TRANSLATE_NOOP("NewDiskDialog", "Raw image")))


class NewDiskDialog(QDialog):
    created = Signal(str)  # the new disk's path, once the host's job has made it

    def __init__(self, session, folder: str = "", local: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.job_id: int | None = None
        self.setObjectName("new_disk_dialog")
        self.setWindowTitle(self.tr("New Virtual Hard Disk"))
        form = QFormLayout()
        self.path = named(QLineEdit(), "new_disk_path", self.tr("Path of the new disk on the host"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host/disk.vhd"))
        if folder:
            self.path.setText(folder.rstrip("/") + "/disk.vhd")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        browse = QPushButton(self.tr("&Browse..."))
        browse.setObjectName("new_disk_browse")
        browse.clicked.connect(self._browse)
        browse.setVisible(local)
        row.addWidget(browse)
        form.addRow(self.tr("&File:"), row)
        self.size = named(QLineEdit("16G"), "new_disk_size", self.tr("Size"))
        form.addRow(self.tr("&Size:"), self.size)
        self.kind = QComboBox()
        self.kind.setObjectName("new_disk_kind")
        for key, text in KINDS:
            self.kind.addItem(translate("NewDiskDialog", text), key)
        form.addRow(self.tr("&Type:"), self.kind)
        self.message = FieldMessage()
        self.message.setObjectName("new_disk_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Create"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for field in (self.path, self.size):
            field.textChanged.connect(lambda _t: self._check())
        session.job_done.connect(self._job_done)
        self._check()
        self.resize(520, 0)

    def problem(self) -> str | None:
        path = self.path.text().strip()
        if not path:
            return self.tr("Type where the host puts the disk (a path on the host).")
        if not path.startswith("/"):
            return self.tr("Give the full path on the host (starting with /).")
        try:
            parse_size(self.size.text())
        except ValueError as e:
            return str(e)
        return None

    def _check(self) -> None:
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        else:
            self.message.set_info(self.tr("The host makes the file (and its folder); an existing file is never "
                                          "overwritten."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None and self.job_id is None)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("New Virtual Hard Disk"), self.path.text(),
                                                    self.tr("Virtual hard disks (*.vhd *.img);;All files (*)"))
        if path:
            self.path.setText(path)

    def accept(self) -> None:
        if self.problem() or self.job_id is not None:
            return
        path, size = self.path.text().strip(), parse_size(self.size.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.message.set_info(self.tr("Creating {path}...").format(path=path))
        ops.disk.new_disk(self.session, path, size, self.kind.currentData(), owner=self).success(
            self._started).failure(self._failed).run()

    def _started(self, job: dict) -> None:
        self.job_id = job["id"]
        known = self.session.jobs_model.job(job["id"])
        if known is not None and known.get("state") in ("Completed", "Failed", "Cancelled"):
            self._job_done(known)

    def _failed(self, error: BaseException | str) -> None:
        self.job_id = None
        self._check()
        self.message.set_error(error if isinstance(error, str) else describe(error))

    def _job_done(self, job: dict) -> None:
        if self.job_id is None or job.get("id") != self.job_id:
            return
        if job.get("state") == "Completed":
            self.created.emit(self.path.text().strip())
            super().accept()
            return
        self._failed(job.get("error") or self.tr("the job ended {state}").format(state=job.get("state", "")))
