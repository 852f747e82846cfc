"""Select Source: the physical machine to convert, the host's own machine or another one the host reaches over SSH
(ssh://user@host[:port], with a key: the host runs ``ssh -o BatchMode=yes``, so nothing asks for a password)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton

from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

from ..convert.common import Page

SSH = re.compile(r"^ssh://[A-Za-z0-9._-]+@[A-Za-z0-9.:_\[\]-]+?(:[0-9]{1,5})?$")


class PhysicalSourcePage(Page):
    """The machine to capture: this host's own or another it reaches over SSH (``from_()``); the scan itself is the
    next page's."""

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Source"),
                         self.tr("Choose the physical machine to convert. Nothing is read until the next page, and "
                                 "nothing is written until Finish."))
        self.here = named(QRadioButton(), "source_here", self.tr("This machine"))
        self.remote = named(QRadioButton(self.tr("&Another machine, over SSH:")), "source_ssh",
                            self.tr("Another machine over SSH"))
        self.address = named(QLineEdit(), "ssh_address", self.tr("SSH address"))
        self.address.setPlaceholderText("ssh://user@host[:port]")
        self.group = QButtonGroup(self)
        self.group.addButton(self.here)
        self.group.addButton(self.remote)
        self.here.setChecked(True)
        self.address.setEnabled(False)
        layout = self.field_form((self.tr("&Machine:"), self.here))
        layout.insertRow(1, "", self.remote)
        layout.insertRow(2, "", self.address)
        note = WrappedLabel(self.tr("The host runs the scan and the capture: over SSH it logs in with its own key "
                                    "(no password is asked), as root or a user that reads the disks."))
        layout.addRow("", note)
        self.here.toggled.connect(self._toggled)
        self.address.textChanged.connect(self.changed)
        self.here.setWhatsThis(self.tr("Capture the disks of the machine that the chosen host runs on."))
        self.remote.setWhatsThis(self.tr("Capture another machine, which the host reaches over SSH with its keys (no "
                                         "password prompt)."))
        self.address.setWhatsThis(self.tr("The machine's SSH address: ssh://user@host[:port] (--from)."))

    def initializePage(self) -> None:
        self.here.setText(self.tr("&This machine: the machine of {host}").format(host=self.wiz.destination.host_label))
        self.changed()

    def _toggled(self, _checked: bool) -> None:
        self.address.setEnabled(self.remote.isChecked())
        if self.remote.isChecked():
            self.address.setFocus()
        self.changed()

    def from_(self) -> str:
        """conn.scan_physical's ``from_``: "" for the host's own machine."""
        return self.address.text().strip() if self.remote.isChecked() else ""

    def source(self) -> str:
        """The machine in words (the Networks page and the summary name it)."""
        return self.from_() or self.tr("the machine of {host}").format(host=self.wiz.destination.host_label)

    def answer(self) -> dict | None:
        """The scan ({source, scan}) once the System Information page has it."""
        return self.wiz.system_page.answer()

    def problem(self) -> str | None:
        if self.here.isChecked():
            return None
        address = self.from_()
        if not address:
            return self.tr("Give the machine's SSH address: ssh://user@host[:port].")
        if not SSH.match(address):
            return self.tr("{address} is not an SSH address: write ssh://user@host[:port].").format(address=address)
        return None

    def update_messages(self) -> None:
        problem = self.problem()
        if problem and self.address.text().strip():
            self.message.set_error(problem)
        elif problem:
            self.message.set_info(problem)
        else:
            self.message.set_info(self.tr("Next scans {machine}: its disks, adapters, processors and memory.").format(
                machine=self.source()))
