"""Add a libvirt connection: its URI (checked as you type), a display name and the host group it goes in.
Saving happens in a worker; the store's refusal (already saved, a damaged file) shows in the dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import libvirt_hosts
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel

EXAMPLES = ("qemu:///system", "qemu:///session", "qemu+ssh://user@host/system", "qemu+tls://host/system",
            "test:///default")


class AddConnectionDialog(QDialog):
    saved = Signal(object, str)  # the saved entry {"uri", "name", "group", ...}, the host group id chosen

    def __init__(self, groups: list[tuple[str, str]], group: str, save: Callable,
                 parent: QWidget | None = None) -> None:
        """``groups``: [(group id, path text)]; ``save(uri, name, on_done, on_error)`` stores it in a worker."""
        super().__init__(parent)
        self.setObjectName("add_connection_dialog")
        self.setWindowTitle(self.tr("Add libvirt Connection"))
        self._save = save
        layout = QVBoxLayout(self)
        layout.addWidget(WrappedLabel(self.tr("Manage an existing QEMU/KVM host through libvirt. The console connects "
                                              "in the background and reconnects on its own; nothing on the host "
                                              "changes.")))
        form = QFormLayout()
        self.uri = QComboBox()
        self.uri.setObjectName("connection_uri")
        self.uri.setEditable(True)
        self.uri.addItems(EXAMPLES)
        self.uri.setCurrentText("")
        self.uri.lineEdit().setPlaceholderText("qemu+ssh://user@host/system")
        self.uri.setAccessibleName(self.tr("libvirt URI"))
        form.addRow(self.tr("&URI:"), self.uri)
        self.uri_message = FieldMessage()
        form.addRow("", self.uri_message)
        self.name = QLineEdit()
        self.name.setObjectName("connection_name")
        self.name.setAccessibleName(self.tr("Display name"))
        self.name.setMaxLength(64)
        form.addRow(self.tr("&Name:"), self.name)
        self.group = QComboBox()
        self.group.setObjectName("connection_group")
        self.group.setAccessibleName(self.tr("Host group"))
        for gid, path in groups:
            self.group.addItem(path, gid)
        self.group.setCurrentIndex(max(0, self.group.findData(group)))
        form.addRow(self.tr("Host &group:"), self.group)
        layout.addLayout(form)
        self.install = FieldMessage()
        self.install.setObjectName("libvirt_install")
        self.copy_install = QPushButton(self.tr("&Copy Command"))
        self.copy_install.setObjectName("copy_install_command")
        self.copy_install.setToolTip(self.tr("Copy {command} to the clipboard").format(
            command=libvirt_hosts.INSTALL_COMMAND))
        self.copy_install.clicked.connect(self._copy_install)
        row = QHBoxLayout()
        row.addWidget(self.install, 1)
        row.addWidget(self.copy_install)
        layout.addLayout(row)
        missing = not libvirt_hosts.libvirt_installed()
        if missing:
            self.install.set_error(self.tr("This console cannot reach libvirt hosts yet: libvirt-python is not "
                                           "installed. Install it with {command}, then start the console again."
                                           ).format(command=libvirt_hosts.INSTALL_COMMAND))
        self.copy_install.setVisible(missing)
        self.error = FieldMessage()
        self.error.setObjectName("connection_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.uri.editTextChanged.connect(self._changed)
        self._changed()
        self.resize(520, 260)

    def _copy_install(self) -> None:
        QGuiApplication.clipboard().setText(libvirt_hosts.INSTALL_COMMAND)
        self.copy_install.setText(self.tr("Copied"))

    def problem(self) -> str | None:
        text = self.uri.currentText().strip()
        if not text:
            return self.tr("Type the URI of a libvirt host.")
        return libvirt_hosts.check_uri(text)

    def _changed(self, *_args) -> None:
        text = self.uri.currentText().strip()
        problem = self.problem()
        if text and problem:
            self.uri_message.set_error(problem)
        elif text:
            self.uri_message.set_info(self.tr("Shown as '{name}'.").format(
                name=self.name.text().strip() or libvirt_hosts.default_name(text)))
        else:
            self.uri_message.clear()
        self.name.setPlaceholderText(libvirt_hosts.default_name(text) if text and not problem
                                     else self.tr("from the URI"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

    def accept(self) -> None:
        if self.problem():
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.error.set_info(self.tr("Saving..."))
        group = self.group.currentData() or ""

        def done(entry: dict) -> None:
            self.saved.emit(entry, group)
            super(AddConnectionDialog, self).accept()

        def failed(error: BaseException) -> None:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
            self.error.set_error(describe(error))

        self._save(self.uri.currentText().strip(), self.name.text().strip(), done, failed)
