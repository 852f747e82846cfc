"""Assign Memory: the startup memory, within the target host's limits (``HostLimits``: least, most, step, and why
the most is what it is). The field keeps what is typed (512 MB, 4 GB, a number of MiB) and says beside it what it
understood; what does not fit is said under it, with the amount understood."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from gui import format as fmt
from gui import validation as val
from gui.widgets.named import named
from gui.wizards.memory_field import MemoryField

from .common import LimitsPage, MiB


class MemoryPage(LimitsPage):
    """The startup memory (``memory``: what is typed, understood with its unit), checked against the host's
    limits."""

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Assign Memory"),
                         self.tr("Specify how much memory the virtual machine gets. The guest's memory is mapped on "
                                 "first touch, so what it never uses costs the host nothing."))
        self.memory = named(MemoryField(), "memory", self.tr("Startup memory (MiB, or with a unit: MB, GB)"))
        self.memory.setMaximumWidth(self.memory.fontMetrics().horizontalAdvance("00000000 MiB") + 48)
        self.memory.setValue(64)
        self.understood = named(QLabel(), "memory_understood", self.tr("Memory understood"))
        fields = QHBoxLayout()
        fields.addWidget(self.memory, 1)
        fields.addWidget(self.understood)
        fields.addStretch(1)
        self.limits_form((self.tr("Startup &memory:"), fields, self.memory))
        self.memory.textChanged.connect(self.changed)
        self.apply_limits()
        self.memory.setWhatsThis(self.tr("The memory the guest gets when it starts, in MiB; type a size with a unit "
                                         "(512M, 2G) to have it converted. The host must have this much free to start "
                                         "it (--memory)."))

    def apply_limits(self) -> None:
        limits = self.facts.limits
        low, high = limits.memory_min // MiB, limits.memory_max // MiB
        step = max(1, limits.memory_step // MiB)
        self.memory.set_limits(limits)  # the arrows go one step beyond the most, so stepping there says why
        text = self.tr("Between {low} MiB and {high} MiB, in steps of {step} MiB: type a number of MiB, or one with "
                       "its unit (512 MB, 4 GB).").format(low=val.count(low), high=val.count(high), step=step)
        if limits.memory_reason:
            text += " " + self.tr("At most {high} MiB because {why}.").format(high=val.count(high),
                                                                             why=limits.memory_reason)
        memory = (self.wiz.host.get("capabilities") or {}).get("memory_bytes")
        if memory:
            text += " " + self.tr("This host has {size}.").format(size=fmt.size(memory))
        if self.facts.takes("workload"):
            text += " " + self.tr("The bundled guest runs in 4 MiB; 64 MiB leaves room for its memory workloads.")
        self.limits.setText(text)

    def problem(self) -> str | None:
        return self.memory.reading().problem

    def update_messages(self) -> None:
        reading = self.memory.reading()
        # what was understood beside the field; under it, what does not fit (starting with the same amount)
        self.understood.setText("" if reading.problem else reading.understood)
        self.message.set_error(reading.problem or "")
