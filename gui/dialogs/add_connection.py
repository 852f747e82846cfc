"""File > Add Host...: a Bulkhead host over SSH (user, host, port, remote home) or over TLS (host, port), or a
libvirt host, shown as the URI it makes (which can also be typed: its scheme chooses the kind), a display name and
the host group it goes in. Test Connection asks the host once in a worker (its version, VMs and the link's
latency, or the reason it cannot be reached); saving happens in a worker too, and the store's refusal (already
saved, a damaged file) shows in the dialog. Nothing here waits on the network."""

from __future__ import annotations

import getpass
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
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui import libvirt_hosts as hosts
from gui.dialogs.buttons import button_row
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel
from gui.widgets.named import named

EXAMPLES = ("qemu:///system", "qemu:///session", "qemu+ssh://user@host/system", "qemu+tls://host/system",
            "test:///default")
KINDS = ("ssh", "tls", "libvirt")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class AddConnectionDialog(QDialog):
    saved = Signal(object, str)  # the saved entry {"uri", "kind", "name", "group", ...}, the host group id chosen

    def __init__(self, groups: list[tuple[str, str]], group: str, save: Callable,
                 parent: QWidget | None = None, test: Callable | None = None,
                 identity: Callable | None = None) -> None:
        """``groups``: [(group id, path text)]; ``save(uri, name, on_done, on_error)`` stores it in a worker;
        ``test(uri, on_done, on_error)`` tries it once in a worker (api.test_connection's answer);
        ``identity(uri, on_done)`` says in a worker whether a client certificate is here (api.tls_identity)."""
        super().__init__(parent)
        self.setObjectName("add_connection_dialog")
        self.setWindowTitle(self.tr("Add Host"))
        self._save, self._test, self._identity = save, test, identity
        self._extra: dict = {}  # options of a typed remote URI the fields do not show (pkipath, timeout ...)
        self._filling = False
        self._test_seq = 0
        self._tested_uri = ""
        self._identity_seq = 0
        layout = QVBoxLayout(self)
        layout.addWidget(WrappedLabel(self.tr("Manage another host: a Bulkhead host service over SSH or TLS, or an "
                                              "existing QEMU/KVM host through libvirt. The console connects in the "
                                              "background and reconnects on its own; nothing on the host changes.")))
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("connection_kind")
        self.kind.setAccessibleName(self.tr("Kind of host"))
        self.kind.addItem(self.tr("Bulkhead host over SSH"), "ssh")
        self.kind.addItem(self.tr("Bulkhead host over TLS (client certificate)"), "tls")
        self.kind.addItem(self.tr("libvirt host (QEMU/KVM)"), "libvirt")
        form.addRow(self.tr("&Kind:"), self.kind)
        layout.addLayout(form)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._ssh_page())
        self.pages.addWidget(self._tls_page())
        self.pages.addWidget(self._libvirt_page())
        layout.addWidget(self.pages)
        form = QFormLayout()
        self.uri = QComboBox()
        self.uri.setObjectName("connection_uri")
        self.uri.setEditable(True)
        self.uri.addItems(EXAMPLES)
        self.uri.setCurrentText("")
        self.uri.lineEdit().setPlaceholderText("bulkhead+ssh://user@host")
        self.uri.setAccessibleName(self.tr("Connection URI"))
        self.uri.setToolTip(self.tr("The URI the fields make; type one to choose the kind by its scheme"))
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
        row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("&Test Connection"))
        self.test_button.setObjectName("test_connection")
        self.test_button.setToolTip(self.tr("Connect once and show the host's version, VMs and the link's latency"))
        self.test_button.clicked.connect(self.run_test)
        self.test_result = FieldMessage()
        self.test_result.setObjectName("test_result")
        row.addWidget(self.test_button)
        row.addWidget(self.test_result, 1)
        layout.addLayout(row)
        self.install = FieldMessage()
        self.install.setObjectName("libvirt_install")
        self.copy_install = QPushButton(self.tr("&Copy Command"))
        self.copy_install.setObjectName("copy_install_command")
        self.copy_install.setToolTip(self.tr("Copy {command} to the clipboard").format(command=hosts.INSTALL_COMMAND))
        self.copy_install.clicked.connect(self._copy_install)
        row = QHBoxLayout()
        row.addWidget(self.install, 1)
        row.addWidget(self.copy_install)
        layout.addLayout(row)
        missing = not hosts.libvirt_installed()
        if missing:
            self.install.set_error(self.tr("This console cannot reach libvirt hosts yet: libvirt-python is not "
                                           "installed. Install it with {command}, then start the console again."
                                           ).format(command=hosts.INSTALL_COMMAND))
        self.copy_install.setVisible(missing)
        self.error = FieldMessage()
        self.error.setObjectName("connection_error")
        layout.addWidget(self.error)
        self.buttons, _ok = button_row(self, self.tr("&Add"), self.accept)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.uri.editTextChanged.connect(self._uri_typed)
        self.name.textChanged.connect(self._changed)
        self._kind_changed()
        self.resize(560, 420)

    # --- the pages ---------------------------------------------------------------------------------------------
    def _host_rows(self, form: QFormLayout, prefix: str, port: int) -> tuple[QLineEdit, QSpinBox]:
        """The Host and Port rows of a remote page (fields named ``<prefix>_host`` and ``<prefix>_port``)."""
        host = _line(f"{prefix}_host", "rack1.example.org", self.tr("Host name or address"))
        form.addRow(self.tr("&Host:"), host)
        spin = named(QSpinBox(), f"{prefix}_port")
        spin.setRange(1, 65535)
        spin.setValue(port)
        form.addRow(self.tr("&Port:"), spin)
        return host, spin

    def _ssh_page(self) -> QWidget:
        page, form = _form_page()
        self.ssh_user = _line("ssh_user", _user() or self.tr("as ssh decides"), self.tr("User on the host"))
        form.addRow(self.tr("U&ser:"), self.ssh_user)
        self.ssh_host, self.ssh_port = self._host_rows(form, "ssh", hosts.SSH_PORT)
        self.ssh_home = _line("ssh_home", self.tr("the remote user's default (optional)"),
                              self.tr("Bulkhead home on the host"))
        form.addRow(self.tr("Remote &home:"), self.ssh_home)
        form.addRow("", WrappedLabel(self.tr("ssh uses your keys, agent and ~/.ssh/config; the console never asks "
                                             "for a password. The host runs bulkhead host proxy.")))
        for w in (self.ssh_user, self.ssh_host, self.ssh_home):
            w.textChanged.connect(self._fields_changed)
        self.ssh_port.valueChanged.connect(self._fields_changed)
        return page

    def _tls_page(self) -> QWidget:
        page, form = _form_page()
        self.tls_host, self.tls_port = self._host_rows(form, "tls", hosts.TLS_PORT)
        self.tls_note = FieldMessage()
        self.tls_note.setObjectName("tls_identity")
        form.addRow("", self.tls_note)
        self.tls_host.textChanged.connect(self._fields_changed)
        self.tls_port.valueChanged.connect(self._fields_changed)
        return page

    def _libvirt_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(WrappedLabel(self.tr("Type the host's libvirt URI below, e.g. qemu+ssh://user@host/system.")))
        return page

    def current_kind(self) -> str:
        return self.kind.currentData() or "ssh"

    # --- keeping the URI and the fields in step ----------------------------------------------------------------
    def _kind_changed(self, *_args) -> None:
        self.pages.setCurrentIndex(KINDS.index(self.current_kind()))
        if not self._filling:
            self._fields_changed()
        if self.current_kind() == "tls":
            self._check_identity()

    def _fields_changed(self, *_args) -> None:
        if self._filling:
            return
        kind = self.current_kind()
        if kind == "ssh":
            text = hosts.ssh_uri(self.ssh_user.text(), self.ssh_host.text(), self.ssh_port.value(),
                                 self.ssh_home.text(), self._extra) if self.ssh_host.text().strip() else ""
        elif kind == "tls":
            text = hosts.tls_uri(self.tls_host.text(), self.tls_port.value(), self._extra) \
                if self.tls_host.text().strip() else ""
        else:
            text = self.uri.currentText() if hosts.scheme_of(self.uri.currentText()) == "libvirt" else ""
        self._filling = True
        try:
            self.uri.setCurrentText(text)
        finally:
            self._filling = False
        self._changed()

    def _uri_typed(self, text: str) -> None:
        """A URI typed by hand chooses the kind by its scheme and fills that kind's fields."""
        if self._filling:
            return
        kind = hosts.scheme_of(text) if text.strip() else self.current_kind()
        self._filling = True
        try:
            if kind != self.current_kind():
                self.kind.setCurrentIndex(KINDS.index(kind))
                self.pages.setCurrentIndex(KINDS.index(kind))
            if kind in ("ssh", "tls"):
                f = hosts.split_remote(text)
                self._extra = f["extra"]
                default = hosts.SSH_PORT if kind == "ssh" else hosts.TLS_PORT
                if kind == "ssh":
                    self.ssh_user.setText(f["user"])
                    self.ssh_host.setText(f["host"])
                    self.ssh_port.setValue(f["port"] or default)
                    self.ssh_home.setText(f["home"])
                else:
                    self.tls_host.setText(f["host"])
                    self.tls_port.setValue(f["port"] or default)
        finally:
            self._filling = False
        if kind == "tls":
            self._check_identity()
        self._changed()

    def _check_identity(self) -> None:
        if self._identity is None:
            return
        self._identity_seq += 1
        seq = self._identity_seq

        def shown(info: dict) -> None:
            if seq != self._identity_seq:
                return
            if info.get("present"):
                self.tls_note.set_info(self.tr("This machine's client certificate is in {folder}.").format(
                    folder=info.get("folder", "")))
            else:
                self.tls_note.set_error(self.tr(
                    "No client certificate here ({folder}). On the host run bulkhead host certs client NAME "
                    "--allow, copy the folder it makes to this machine and run {how} here.").format(
                    folder=info.get("folder", ""), how=info.get("how") or "bulkhead host certs import DIR"))

        self._identity(self.uri.currentText().strip(), shown)

    # --- checking, testing, saving -----------------------------------------------------------------------------
    def _copy_install(self) -> None:
        QGuiApplication.clipboard().setText(hosts.INSTALL_COMMAND)
        self.copy_install.setText(self.tr("Copied"))

    def problem(self) -> str | None:
        text = self.uri.currentText().strip()
        if not text:
            kind = self.current_kind()
            return self.tr("Type the URI of a libvirt host.") if kind == "libvirt" else \
                self.tr("Type the host's name or address.")
        return hosts.check_uri(text)

    def _changed(self, *_args) -> None:
        text = self.uri.currentText().strip()
        problem = self.problem()
        if text and problem:
            self.uri_message.set_error(problem)
        elif text:
            self.uri_message.set_info(self.tr("Shown as '{name}'.").format(
                name=self.name.text().strip() or hosts.default_name(text)))
        else:
            self.uri_message.clear()
        self.name.setPlaceholderText(hosts.default_name(text) if text and not problem else self.tr("from the URI"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
        self.test_button.setEnabled(problem is None and self._test is not None)
        if self._test_seq and self.test_result.text() and self._tested_uri != text:
            self.test_result.clear()  # a result for another URI says nothing about this one

    def run_test(self) -> None:
        """Try the URI once in a worker; the answer (or the reason) shows beside the button."""
        if self.problem() or self._test is None:
            return
        uri = self.uri.currentText().strip()
        self._test_seq += 1
        seq = self._test_seq
        self._tested_uri = uri
        self.test_result.set_info(self.tr("Testing {uri}...").format(uri=hosts.default_name(uri)))

        def done(status: dict) -> None:
            if seq != self._test_seq or self._tested_uri != self.uri.currentText().strip():
                return
            if status.get("state") == "connected":
                self.test_result.set_info(self.describe_status(status))
            else:
                self.test_result.set_error(self.tr("Cannot connect: {reason}").format(
                    reason=status.get("reason") or status.get("state", "")))

        def failed(error: BaseException) -> None:
            if seq == self._test_seq:
                self.test_result.set_error(self.tr("Cannot connect: {reason}").format(reason=describe(error)))

        self._test(uri, done, failed)

    def describe_status(self, s: dict) -> str:
        parts = [self.tr("Connected")]
        if s.get("hypervisor"):
            parts.append(s["hypervisor"])
        if s.get("version"):
            parts.append(self.tr("version {version}").format(version=s["version"]))
        if s.get("vms") is not None:
            parts.append(self.tr("{count} VMs").format(count=s["vms"]))
        if s.get("latency_ms") is not None:
            parts.append(self.tr("latency {ms:.1f} ms").format(ms=float(s["latency_ms"])))
        if s.get("connect_ms") is not None:
            parts.append(self.tr("connected in {ms:.0f} ms").format(ms=float(s["connect_ms"])))
        return ", ".join(parts)

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


def _line(name: str, placeholder: str, accessible: str) -> QLineEdit:
    edit = named(QLineEdit(), name, accessible)
    edit.setPlaceholderText(placeholder)
    return edit


def _form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    return page, form
