"""Assign Memory: the startup memory, within the target host's limits (``HostLimits``: least, most, step, and why
the most is what it is)."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

from gui import format as fmt
from gui import validation as val
from gui.widgets.field_message import FieldMessage

from .common import MiB, Page, form, hint, narrow


class MemoryPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Assign Memory"),
                         self.tr("Specify how much memory the virtual machine gets. The guest's memory is mapped on "
                                 "first touch, so what it never uses costs the host nothing."),
                         self.tr("Assign Memory"))
        layout = form(self)
        self.memory = QSpinBox()
        self.memory.setObjectName("memory")
        self.memory.setAccessibleName(self.tr("Startup memory in MiB"))
        self.memory.setSuffix(self.tr(" MiB"))
        self.memory.setRange(1, 1 << 30)
        self.memory.setValue(64)
        self.memory.setKeyboardTracking(True)
        self.message = FieldMessage()
        self.limits = hint("")
        layout.addRow(self.tr("Startup &memory:"), narrow(self.memory))
        layout.labelForField(self.memory).setBuddy(self.memory)
        layout.addRow("", self.message)
        layout.addRow("", self.limits)
        self.memory.valueChanged.connect(self.changed)
        self.memory.textChanged.connect(self.changed)
        self.apply_limits()

    def apply_limits(self) -> None:
        limits = self.facts.limits
        low, high = limits.memory_min // MiB, limits.memory_max // MiB
        step = max(1, limits.memory_step // MiB)
        self.memory.blockSignals(True)
        self.memory.setSingleStep(step)
        self.memory.setMaximum(high + step)  # one step beyond, so typing too much says why instead of clamping
        self.memory.blockSignals(False)
        text = self.tr("Between {low} MiB and {high} MiB, in steps of {step} MiB.").format(low=low, high=high,
                                                                                         step=step)
        if limits.memory_reason:
            text += " " + self.tr("At most {high} MiB because {why}.").format(high=high, why=limits.memory_reason)
        memory = (self.wiz.host.get("capabilities") or {}).get("memory_bytes")
        if memory:
            text += " " + self.tr("This host has {size}.").format(size=fmt.size(memory))
        if self.facts.takes("workload"):
            text += " " + self.tr("The bundled guest runs in 4 MiB; 64 MiB leaves room for its memory workloads.")
        self.limits.setText(text)

    def host_changed(self) -> None:
        self.apply_limits()
        super().host_changed()

    def initializePage(self) -> None:
        self.apply_limits()
        self.changed()

    def problem(self) -> str | None:
        return val.memory_problem(self.memory.value(), self.facts.limits)

    def update_messages(self) -> None:
        self.message.set_error(self.problem() or "")
