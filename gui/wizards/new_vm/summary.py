"""Completing the wizard: what will be created, Start after creating, View Script, and the host's refusal if it
refuses. The VM's settings are checked as a VmSpec against the host's kind and limits before Finish."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QVBoxLayout

from gui import format as fmt
from gui.widgets.builders import facts_table, rich_label
from gui.widgets.named import named

from .common import Page
from .disk_text import kind_short
from .installation import kind_settings, setting_label


class SummaryPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Completing the New Virtual Machine Wizard"),
                         self.tr("Check what will be created. Back changes it; Finish creates it."), self.tr("Summary"),
                         layout=QVBoxLayout)
        self.summary = rich_label("summary", self.tr("Summary"))
        self.box.addWidget(self.summary)
        self.start = named(QCheckBox(self.tr("&Start the virtual machine after creating it")), "start_after")
        self.box.addWidget(self.start)
        self.summary_foot(self.box, self.tr("&View Script..."),
                          self.tr("Show the command line and the Python script that create this VM"), "create_error")
        self.start.setWhatsThis(self.tr("Start the virtual machine as soon as it is created (--start); otherwise it "
                                        "is created Off."))

    def _disk_text(self, p: dict) -> str:
        disk_page = self.wiz.disk_page
        controller = self.tr("({controller} controller)").format(
            controller=disk_page.controller_text(p["disk_controller"]))
        new_disk = disk_page.new_disk()
        if new_disk is None:
            return f"{p['disk']} {controller}" if p["disk"] else self.tr("None")
        size = f"{fmt.size(new_disk['size'])} {kind_short(new_disk['kind'])}"
        if new_disk["where"] == "volume":
            return self.tr("New: volume {name} in storage pool '{pool}', {size} {controller}").format(
                name=new_disk["name"], pool=new_disk["pool"], size=size, controller=controller)
        if self.facts.disk_in_vm_job:
            return self.tr("New: {path}, {size}, made by qemu-img {controller}").format(
                path=new_disk["path"], size=size, controller=controller)
        return self.tr("New: {path}, {size} {controller}").format(path=new_disk["path"], size=size,
                                                                  controller=controller)

    def rows(self) -> list[tuple[str, str]]:
        p = self.wiz.params()
        image = self.tr("Bundled Bulkhead guest") if not p["image"] else p["image"]
        if p["network"]:
            network = p["network"] + (f" ({p['ip']})" if p["ip"] else "")
        else:
            network = self.tr("Not connected")
        rows = [(self.tr("Name"), p["name"]), (self.tr("Memory"), fmt.size(p["memory"])),
                (self.tr("Virtual processors"), str(p["vcpus"])), (self.tr("Network"), network),
                (self.tr("Virtual hard disk"), self._disk_text(p)), (self.tr("Guest image"), image),
                (self.tr("Workload"), fmt.workload_text(p["workload"])),
                (self.tr("Integration services"), self.tr("On") if p["integration_services"] else self.tr("Off"))]
        if p["cmdline"]:
            rows.append((self.tr("Extra command line"), p["cmdline"]))
        if p["notes"]:
            rows.append((self.tr("Notes"), p["notes"].splitlines()[0] + (" ..." if "\n" in p["notes"] else "")))
        for setting in kind_settings(self.facts):
            value = p.get(setting.name, setting.default)
            if value != setting.default:
                shown = self.tr("Yes") if value is True else str(value)
                rows.append((setting_label(setting), shown))
        return rows

    def initializePage(self) -> None:
        self.summary.setText(facts_table(self.rows(), spacing=4))
        self.error.clear()
        problem = self.wiz.spec_problem()
        if problem:
            self.error.set_error(problem)
        self.completeChanged.emit()

    def host_changed(self) -> None:
        if self.wiz.currentPage() is self:
            self.initializePage()

    def problem(self) -> str | None:
        return self.wiz.spec_problem()
