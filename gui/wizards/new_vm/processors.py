"""Configure Processors: the number of virtual processors, up to the target host's ``HostLimits.vcpus_max``."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

from gui import validation as val
from gui.widgets.named import named

from .common import LimitsPage, narrow


class ProcessorsPage(LimitsPage):
    """The number of virtual processors (``vcpus``), at most the host's ``limit()``."""

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Configure Processors"),
                         self.tr("Each virtual processor is a thread of the host running guest code on a host "
                                 "processor."),
                         self.tr("Processors"))
        self.vcpus = named(QSpinBox(), "vcpus", self.tr("Number of virtual processors"))
        self.vcpus.setMinimum(1)
        self.limits_form((self.tr("Number of virtual &processors:"), narrow(self.vcpus)))
        self.vcpus.valueChanged.connect(self.changed)
        self.apply_limits()
        self.vcpus.setWhatsThis(self.tr("How many virtual processors the guest sees. Each runs as a thread on the "
                                        "host; more than the host's logical processors only makes the guests wait "
                                        "(--vcpus)."))

    def limit(self) -> int:
        return self.facts.limits.vcpus_max

    def apply_limits(self) -> None:
        limits = self.facts.limits
        self.vcpus.blockSignals(True)
        self.vcpus.setMaximum(limits.vcpus_max + 1)  # one beyond, so asking for too many says why
        self.vcpus.blockSignals(False)
        if limits.vcpus_reason:
            self.limits.setText(self.tr("Up to {n}: {why}.").format(n=limits.vcpus_max, why=limits.vcpus_reason))
        else:
            self.limits.setText(self.tr("Up to {n} on this host.").format(n=limits.vcpus_max))

    def problem(self) -> str | None:
        return val.vcpus_problem(self.vcpus.value(), self.facts.limits)

    def update_messages(self) -> None:
        self.message.set_error(self.problem() or "")
