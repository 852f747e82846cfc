"""Specify Name and Location: the VM's name (checked against the host's VMs as you type) and notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from gui import validation as val
from gui.widgets.field_message import FieldMessage, WrappedLabel

from .common import Page, form


class NamePage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Specify Name and Location"),
                         self.tr("Choose a name that helps you recognise this virtual machine."),
                         self.tr("Name and Location"))
        layout = form(self)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("for example web1"))
        self.name.setMaxLength(200)
        self.name_message = FieldMessage()
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        self.notes_message = FieldMessage()
        self.location = WrappedLabel()
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setAccessibleName(self.tr("Location"))
        layout.addRow(self.tr("&Name:"), self.name)
        layout.addRow("", self.name_message)
        layout.addRow(self.tr("N&otes:"), self.notes)
        layout.addRow("", self.notes_message)
        layout.addRow(self.tr("Location:"), self.location)
        for field in (self.name, self.notes):
            layout.labelForField(field).setBuddy(field)
        self.name.textChanged.connect(self.changed)
        self.notes.textChanged.connect(self.changed)
        self.registerField("name*", self.name)
        self.name.setWhatsThis(self.tr("The virtual machine's name, unique on this host (compared without regard to "
                                       "case). It names the VM in the list, on the command line and in scripts; "
                                       "renaming it later never moves its files."))
        self.notes.setWhatsThis(self.tr("Free text kept with the virtual machine, such as its purpose or owner. Shown "
                                        "in Details and exported with the VM (--notes)."))

    def initializePage(self) -> None:
        store = self.wiz.host.get("store")
        if self.facts.uri:
            self.location.setText(self.tr("{host} keeps the virtual machine where it keeps its others.").format(
                host=self.facts.uri))
            return
        where = f"{store}/vms" if store else self.tr("the host's store")
        self.location.setText(self.tr("The host service keeps each virtual machine in its own folder under {where} "
                                      "(the folder is named after the VM's id, so renaming never moves files).")
                              .format(where=where))

    def problem(self) -> str | None:
        return (val.name_problem(self.name.text(), self.wiz.existing_names)
                or val.notes_problem(self.notes.toPlainText()))

    def update_messages(self) -> None:
        text = self.name.text()
        # an empty name on a fresh page is not an error yet, just not finished
        self.name_message.set_error(val.name_problem(text, self.wiz.existing_names) if text else "")
        self.notes_message.set_error(val.notes_problem(self.notes.toPlainText()) or "")
