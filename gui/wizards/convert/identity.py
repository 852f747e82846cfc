"""Specify Virtual Machine Identity: the new VM's name (the source's own unless changed; checked as the New VM
wizard checks names, against the destination host's VMs) and the notes it gets: the source's description, then
where it came from and where its conversion report is kept. The notes are the source's description at first and
may be changed; the host adds where the VM came from."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from gui import validation as val
from gui.widgets.named import named

from .common import Page

NOTES_MAX = 10_000  # vm.convert's notes


class NamingPage(Page):
    """A page that names the new VM (``self.name``, filled from the source until it is edited; checked against the
    destination host's VMs as the New VM wizard checks names). A subclass gives ``created_text()`` (translated, with
    {name} and {host}): what the message says of a valid name."""

    def name_field(self, accessible: str) -> QLineEdit:
        """``self.name``: the name's field (``accessible``: its name for a screen reader, translated)."""
        self.name = named(QLineEdit(), "name", accessible)
        self.name.setMaxLength(200)
        self._edited = False  # the name was typed: the source no longer fills it
        self.name.textEdited.connect(lambda _t: setattr(self, "_edited", True))
        self.name.textChanged.connect(self.changed)
        return self.name

    def vm_name(self) -> str:
        return self.name.text().strip()

    def problem(self) -> str | None:
        return val.name_problem(self.name.text(), self.wiz.destination.vm_model.names())

    def update_messages(self) -> None:
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        else:
            self.message.set_info(self.created_text().format(
                name=self.vm_name(), host=self.wiz.destination.host_label))


class ConvertIdentityPage(NamingPage):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Specify Virtual Machine Identity"),
                         self.tr("Name the new virtual machine; its notes will say where it came from."),
                         self.tr("VM Identity"))
        self.name_field(self.tr("Name"))
        self.notes = named(QPlainTextEdit(), "notes", self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setToolTip(self.tr("The source's description at first; the host adds where the VM came from and "
                                      "where its conversion report is kept"))
        self.notes.setMaximumHeight(90)
        self.notes.textChanged.connect(self.changed)
        self._source_notes = ""  # the source's own notes (the field's text at first)
        self.field_form((self.tr("&Name:"), self.name), (self.tr("N&otes:"), self.notes))
        self._filled_from = ""  # the source whose name and notes fill the fields (until they are edited)
        self.name.setWhatsThis(self.tr("The new virtual machine's name on the host that converts it; the source's "
                                       "name at first (--name)."))
        self.notes.setWhatsThis(self.tr("The new virtual machine's notes; the source's description at first. The host "
                                        "adds where the VM came from (--notes)."))

    def initializePage(self) -> None:
        answer = self.wiz.source_page.answer() or {}
        src = answer.get("source") or {}
        source = self.wiz.source_page.source()
        if source != self._filled_from:
            self._filled_from = source
            if not self._edited:
                self.name.setText(src.get("name") or "")
            if not self.notes.document().isModified():
                self.notes.setPlainText(src.get("notes") or "")
            self._source_notes = src.get("notes") or ""
        self.changed()

    def vm_notes(self) -> str:
        """The notes to give the host: "" while they are the source's own (the host keeps those)."""
        text = self.notes.toPlainText()
        return "" if text == self._source_notes else text

    def problem(self) -> str | None:
        if len(self.notes.toPlainText()) > NOTES_MAX:
            return self.tr("The notes can have at most {max} characters.").format(max=NOTES_MAX)
        return super().problem()

    def created_text(self) -> str:
        return self.tr("{name} will be created on {host}, Off.")
