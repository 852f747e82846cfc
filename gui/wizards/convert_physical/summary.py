"""Summary: what will be captured, where, into what; the host plans it once more with everything chosen (a dry
run) and its report is shown; View Script shows the command line and the Python script that do the same; Finish
starts the host's job."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout

from gui import format as fmt
from gui.widgets.builders import rich_label

from ..convert.common import DryRun, report_html
from ..convert.summary import SummaryBase


class PhysicalSummaryPage(SummaryBase):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Summary"),
                         self.tr("Check what will be captured. Back changes it; Finish starts the conversion."),
                         layout=QVBoxLayout)
        self.summary = rich_label("summary", self.tr("Summary"))
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        self.box.addWidget(scroll, 1)
        self.summary_foot(self.box, self.tr("&View Script..."),
                          self.tr("Show the command line and the Python script that make this conversion"),
                          "convert_error")
        self.box.setStretch(self.box.count() - 1, 0)  # the summary takes the room the foot's stretch would
        self.check = DryRun(self, self.wiz.planned, self.changed, delay=0)
        self.summary.setWhatsThis(self.tr("Everything the capture will do, as chosen on the pages before; Back "
                                          "changes it, View Script shows it as a command line and a Python script."))

    def rows(self) -> list[tuple[str, str]]:
        w = self.wiz
        answer = self.check.answer if self.check.ok else {}
        plan = (answer or {}).get("plan") or {}
        config = w.config_page
        network_map = w.networks_page.network_map()
        rows = [(self.tr("Machine"), w.source_page.source()),
                (self.tr("Name"), config.vm_name()),
                (self.tr("Host"), w.destination.host_label),
                (self.tr("Folder"), w.path_page.path() or plan.get("folder") or self.tr("the host's store")),
                (self.tr("Memory"), fmt.size(config.memory.value() << 20)),
                (self.tr("Processors"), str(config.vcpus.value()))]
        notes = " ".join(config.vm_notes().split())
        if notes:
            rows.append((self.tr("Notes"), notes if len(notes) <= 200 else notes[:199] + "\u2026"))
        targets = {d.get("source"): d for d in plan.get("disks") or ()}
        for path in w.volumes_page.chosen():
            d = targets.get(path) or {}
            rows.append((self.tr("Disk"), f"{path} \u2192 {d.get('target', '?')} ({d.get('target_format', '?')})"))
        rows.append((self.tr("Virtual hard disk type"), self.tr("Fixed size") if w.volumes_page.vhd_type() == "fixed"
                     else self.tr("Dynamically expanding")))
        if w.volumes_page.mounted_chosen():
            rows.append((self.tr("Freeze file systems"), self.tr("yes") if w.volumes_page.frozen() else self.tr("no")))
        for network in w.networks_page.networks():
            rows.append((self.tr("Network '{network}'").format(network=network),
                         network_map.get(network) or self.tr("Not connected")))
        rows.append((self.tr("After Finish"), self.tr("the host captures the disks in a job (the jobs strip shows "
                                                      "it), then creates the VM, Off")))
        return rows

    def summary_text(self) -> str:
        text = super().summary_text()
        if self.check.ok:
            text += report_html((self.check.answer or {}).get("report") or [])
        return text

    def naming(self):
        return self.wiz.config_page

    def texts(self) -> dict:
        return {"planning": self.tr("Planning the capture..."),
                "go back": self.tr("{problem} (on {host}: go back to VM Configuration)"),
                "nothing": self.tr("Nothing is written until Finish.")}
