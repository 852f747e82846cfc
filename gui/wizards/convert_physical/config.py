"""VM Configuration: the new VM's name (the machine's host name at first; checked as the New VM wizard checks
names, against the destination host's VMs), its memory and processors (the scan's, capped to what the host gives a
VM) and its notes (the host adds where the VM came from). The host makes the VM with the scan's memory and
processors; other values are set once the VM is made (a vm.set job)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QSpinBox

from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

from ..convert.identity import NOTES_MAX, NamingPage
from ..new_vm.common import MiB, narrow


class PhysicalConfigPage(NamingPage):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("VM Configuration"),
                         self.tr("Name the new virtual machine and give it memory and processors."))
        self.name_field(self.tr("Name"))
        self.memory = narrow(named(QSpinBox(), "memory", self.tr("Memory")))
        self.memory.setSuffix(" MiB")
        self.memory.setRange(4, 64 << 10)
        self.memory.setSingleStep(256)
        self.vcpus = narrow(named(QSpinBox(), "vcpus", self.tr("Processors")))
        self.vcpus.setRange(1, 64)
        self.notes = named(QPlainTextEdit(), "notes", self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setToolTip(self.tr("The new virtual machine's notes; the host adds the machine it was captured "
                                      "from and where its conversion report is kept"))
        self.notes.setMaximumHeight(90)
        self.notes.textChanged.connect(self.changed)
        layout = self.field_form((self.tr("&Name:"), self.name), (self.tr("&Memory:"), self.memory),
                                 (self.tr("&Processors:"), self.vcpus), (self.tr("N&otes:"), self.notes))
        layout.addRow("", WrappedLabel(self.tr("The host makes the virtual machine with the scanned memory and "
                                               "processors (capped to what it gives a VM); other values chosen here "
                                               "are set once it is made.")))
        self._filled_from: object = None
        self.memory.valueChanged.connect(self.changed)
        self.vcpus.valueChanged.connect(self.changed)
        self.name.setWhatsThis(self.tr("The new virtual machine's name; the machine's host name at first (--name)."))
        self.memory.setWhatsThis(self.tr("The new virtual machine's memory; the machine's at first."))
        self.vcpus.setWhatsThis(self.tr("The new virtual machine's virtual processors; the machine's at first."))
        self.notes.setWhatsThis(self.tr("The new virtual machine's notes; the host adds where it came from (--notes)."))

    def initializePage(self) -> None:
        limits = getattr(self.wiz.destination, "limits", None)
        if limits is not None:
            self.memory.setRange(max(1, limits.memory_min // MiB), max(1, limits.memory_max // MiB))
            self.vcpus.setMaximum(max(1, limits.vcpus_max))
        answer = self.wiz.system_page.answer()
        if answer is not None and answer is not self._filled_from:
            self._filled_from = answer
            scan = answer.get("scan") or {}
            if not self._edited:
                self.name.setText(scan.get("host_name") or (answer.get("source") or {}).get("name") or "")
            self.memory.setValue(self.scanned_memory() // MiB)
            self.vcpus.setValue(self.scanned_vcpus())
        self.changed()

    def scanned_memory(self) -> int:
        """The machine's memory (bytes) as the host makes the VM with it: capped to what it gives a VM."""
        memory = int(((self.wiz.system_page.answer() or {}).get("scan") or {}).get("memory") or 0)
        step = 2 * MiB
        limits = getattr(self.wiz.destination, "limits", None)
        if limits is not None:
            memory, step = min(memory, limits.memory_max), max(step, limits.memory_step)
        return memory // step * step

    def scanned_vcpus(self) -> int:
        vcpus = int(((self.wiz.system_page.answer() or {}).get("scan") or {}).get("processors") or 1)
        limits = getattr(self.wiz.destination, "limits", None)
        return min(vcpus, limits.vcpus_max) if limits is not None else vcpus

    def vm_notes(self) -> str:
        """The notes to give the host ("" for none: the host's note of where the VM came from only)."""
        return self.notes.toPlainText()

    def problem(self) -> str | None:
        if len(self.notes.toPlainText()) > NOTES_MAX:
            return self.tr("The notes can have at most {max} characters.").format(max=NOTES_MAX)
        return super().problem()

    def changes(self) -> dict:
        """The settings set once the VM is made: those chosen other than the scan's."""
        made: dict = {}
        if self._filled_from is None:
            return made
        if self.memory.value() != self.scanned_memory() // MiB:
            made["memory"] = self.memory.value() * MiB
        if self.vcpus.value() != self.scanned_vcpus():
            made["vcpus"] = self.vcpus.value()
        return made

    def created_text(self) -> str:
        return self.tr("{name} will be created on {host}, Off.")
