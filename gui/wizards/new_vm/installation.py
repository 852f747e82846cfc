"""Installation Options: the guest the VM boots (the bundled guest with a workload profile, or an image file), the
extra guest command line (within the host's ``HostLimits.cmdline_max``), integration services, and the settings
only some kinds of host take (from core.model.spec.SETTINGS, where ``Param.kinds`` says which)."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from core.model.params import KINDS
from core.model.spec import SETTINGS
from gui import validation as val
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named

from .common import Page, PathCheck, browse, can_browse, narrow, row, translate

# settings a page of their own shows: the disk page makes the new disk from these
SHOWN_ELSEWHERE = frozenset({"disk_size", "disk_format", "pool"})


def kind_settings(facts) -> list:
    """The settings of vm.new that only some kinds of host take, this host's kind among them."""
    return [p for p in SETTINGS if p.kinds != KINDS and facts.takes(p.name) and p.name not in SHOWN_ELSEWHERE]


def setting_label(p) -> str:
    return translate("VmSettings", p.label or p.name)


class InstallPage(Page):
    checked = Signal()

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Installation Options"), self.tr("Choose the guest the virtual machine "
                                                                           "boots."),
                         self.tr("Installation Options"), layout=QVBoxLayout)
        self.bundled = QRadioButton(self.tr("The &bundled Bulkhead guest, running a workload profile"))
        self.bundled.setChecked(True)
        self.other = QRadioButton(self.tr("&Another guest image file (ELF64)"))
        group = QButtonGroup(self)
        group.addButton(self.bundled)
        group.addButton(self.other)
        self.box.addWidget(self.bundled)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        self.workload = named(QComboBox(), "workload", self.tr("Workload profile"))
        for kind, label, _unit in val.WORKLOADS:
            self.workload.addItem(label, kind)
        self.amount = named(QSpinBox(), "amount", self.tr("Workload amount"))
        row(form, self.tr("&Workload:"), self.workload)
        form.addRow(self.tr("Amount:"), narrow(self.amount))
        self.amount_label = form.labelForField(self.amount)
        self.box.addLayout(form)
        self.box.addWidget(self.other)
        image_row = QHBoxLayout()
        image_row.setContentsMargins(24, 0, 0, 0)
        self.image = named(QLineEdit(), "image", self.tr("Guest image file"))
        self.image.setPlaceholderText("/path/to/guest.elf")
        self.browse = QPushButton(self.tr("B&rowse..."))
        self.browse.clicked.connect(self._browse)
        image_row.addWidget(self.image, 1)
        image_row.addWidget(self.browse)
        self.box.addLayout(image_row)
        self.image_message = FieldMessage()
        self.image_message.setIndent(24)
        self.box.addWidget(self.image_message)
        cmd_form = QFormLayout()
        self.cmdline = named(QLineEdit(), "cmdline", self.tr("Extra guest command line"))
        self.cmdline.setPlaceholderText(self.tr("optional: more words for the guest kernel's command line"))
        self.cmdline_label = row(cmd_form, self.tr("Extra guest &command line:"), self.cmdline)
        self.box.addLayout(cmd_form)
        self.cmdline_message = FieldMessage()
        self.box.addWidget(self.cmdline_message)
        self.integration = QCheckBox(self.tr("&Integration services (heartbeat, shutdown, time sync, data exchange)"))
        self.integration.setToolTip(self.tr("Offered to the guest over VMBus; the bundled guest uses all of them"))
        self.integration.setObjectName("integration_services")
        self.integration.setChecked(True)
        self.box.addWidget(self.integration)
        self.host_box = QGroupBox(self.tr("Settings of this host"))
        self.host_box.setObjectName("host_settings")
        self.host_form = QFormLayout(self.host_box)
        self.host_fields: dict[str, object] = {}
        self.box.addWidget(self.host_box)
        self.box.addStretch(1)
        self.image_check = PathCheck(self, self.image, self.other, val.image_problem,
                                     self.tr("Give the image's full path on {host}, from /."))
        self.workload.currentIndexChanged.connect(self._workload_changed)
        self.amount.valueChanged.connect(self.changed)
        self.bundled.toggled.connect(self._source_changed)
        self.cmdline.textChanged.connect(self.changed)
        self.apply_host()
        self._workload_changed()
        self._source_changed()
        self.bundled.setWhatsThis(self.tr("Bulkhead's own small guest kernel, running a workload you choose so that "
                                          "the graphs have something to show."))
        self.other.setWhatsThis(self.tr("A guest kernel of your own: an ELF64 image built for Bulkhead's guest "
                                        "interface (--image)."))
        self.workload.setWhatsThis(self.tr("What the bundled guest does once started: nothing, a steady CPU load, "
                                           "memory dirtied at a rate (to watch a live migration), or bursts "
                                           "(--workload)."))
        self.amount.setWhatsThis(self.tr("The workload's amount: the CPU load in percent, or the MiB of memory "
                                         "dirtied per second."))
        self.image.setWhatsThis(self.tr("The guest image file's full path on the host."))
        self.cmdline.setWhatsThis(self.tr("More words for the guest kernel's command line, after the ones Bulkhead "
                                          "gives it (--cmdline)."))
        self.integration.setWhatsThis(self.tr("Offer the integration services over the VMBus: the heartbeat (the "
                                              "Heartbeat column), shutdown through the guest, time synchronisation "
                                              "and key-value data exchange (--no-integration-services turns them "
                                              "off)."))

    # --- what the host takes -------------------------------------------------------------------------------------
    def apply_host(self) -> None:
        facts = self.facts
        takes_cmdline = facts.limits.cmdline_max > 0 and facts.takes("cmdline")
        self.cmdline.setVisible(takes_cmdline)
        self.cmdline_label.setVisible(takes_cmdline)
        self.integration.setVisible(facts.takes("integration_services"))
        wanted = [p.name for p in kind_settings(facts)]
        if wanted != list(self.host_fields):
            while self.host_form.rowCount():
                self.host_form.removeRow(0)
            self.host_fields = {}
            for p in kind_settings(facts):
                self.host_fields[p.name] = self._field(p)
                self.host_form.addRow(setting_label(p) + ":", self.host_fields[p.name])
        self.host_box.setVisible(bool(self.host_fields))

    def _field(self, p):
        """A field for setting ``p``: a list of its choices, a check box, or a line of text."""
        tip = translate("VmSettings", p.help) if p.help else ""
        if p.type == "bool":
            field = QCheckBox()
            field.setChecked(bool(p.default))
            field.toggled.connect(self.changed)
        elif p.choices:
            field = QComboBox()
            for choice in p.choices:
                field.addItem(choice or self.tr("Default"), choice)
            field.setCurrentIndex(max(0, field.findData(p.default)))
            field.currentIndexChanged.connect(self.changed)
        else:
            field = QLineEdit(str(p.default or ""))
            field.setMaxLength(p.max_length)
            field.setPlaceholderText(tip)
            field.textChanged.connect(self.changed)
        field.setObjectName(f"setting_{p.name}")
        field.setAccessibleName(setting_label(p))
        field.setToolTip(tip)
        return field

    def kind_values(self) -> dict:
        """The values of the settings only this kind of host takes, as vm.new takes them."""
        out = {}
        for name, field in self.host_fields.items():
            if isinstance(field, QCheckBox):
                out[name] = field.isChecked()
            elif isinstance(field, QComboBox):
                out[name] = field.currentData()
            else:
                out[name] = field.text().strip()
        return out

    def host_changed(self) -> None:
        self.apply_host()
        self.browse.setEnabled(not self.bundled.isChecked() and can_browse(self))  # where its files are is known now
        super().host_changed()

    # --- the guest -----------------------------------------------------------------------------------------------
    def _workload_changed(self) -> None:
        kind = self.workload.currentData()
        limits = val.WORKLOAD_LIMITS.get(kind)
        unit = {k: u for k, _l, u in val.WORKLOADS}.get(kind)
        self.amount.setVisible(limits is not None)
        self.amount_label.setVisible(limits is not None)
        if limits:
            lo, hi, default = limits
            self.amount.blockSignals(True)
            self.amount.setRange(lo, hi)
            self.amount.setValue(default)
            self.amount.setSuffix(f" {unit}")
            self.amount.blockSignals(False)
            self.amount.setAccessibleName(self.tr("CPU load in percent") if kind == "cpu"
                                          else self.tr("Memory dirtied per second, MiB"))
        self.changed()

    def _source_changed(self) -> None:
        bundled = self.bundled.isChecked()
        self.workload.setEnabled(bundled)
        self.amount.setEnabled(bundled)
        self.image.setEnabled(not bundled)
        self.browse.setEnabled(not bundled and can_browse(self))
        if not bundled:
            self.image_check.edited()
        self.changed()

    def _browse(self) -> None:
        browse(self, self.tr("Choose a guest image"), [self.tr("ELF images (*.elf)"), self.tr("All files (*)")],
               self.image.setText, kinds=[".elf"], start=self.image.text())

    def workload_value(self) -> str:
        if not self.bundled.isChecked():
            return "idle"
        return val.workload_string(self.workload.currentData(), self.amount.value())

    def image_value(self) -> str:
        return "" if self.bundled.isChecked() else os.path.expanduser(self.image.text().strip())

    def _cmdline_problem(self) -> str | None:
        return val.cmdline_problem(self.cmdline.text(), self.wiz.name_page.name.text().strip(), self.workload_value(),
                                   self.facts.limits)

    def problem(self) -> str | None:
        if self.other.isChecked():
            if not self.image.text().strip():
                return self.tr("Choose a guest image file.")
            if self.image_check.state is None or self.image_check.state[0] != self.image.text():
                return self.tr("Checking the image...")
            if self.image_check.state[1]:
                return self.image_check.state[1]
        return self._cmdline_problem()

    def update_messages(self) -> None:
        if self.other.isChecked() and self.image.text().strip():
            if self.image_check.state is None:
                self.image_message.set_info(self.tr("Checking the image..."))
            elif self.image_check.state[1]:
                self.image_message.set_error(self.image_check.state[1])
            elif self.facts.files_here:
                self.image_message.set_info(self.tr("An ELF64 image: the host checks it fits the memory when it "
                                                    "creates the VM."))
            else:
                self.image_message.set_info(self.tr("{host} reads it when it creates the VM (a path on that host).")
                                            .format(host=self.facts.where))
        else:
            self.image_message.clear()
        self.cmdline_message.set_error(self._cmdline_problem() or "")
