"""Summary: what will be converted, where, into what; the host plans it once more with everything chosen (a dry
run) and says how many warnings its conversion report has; View Script shows the command line and the Python script
that do the same; Finish starts the host's job."""

from __future__ import annotations

import posixpath

from PySide6.QtWidgets import QVBoxLayout

from gui import format as fmt
from gui.widgets.builders import facts_table, rich_label

from .common import DryRun, Page, format_name


class SummaryBase(Page):
    """The last page of a Convert wizard: the host plans the conversion once more (``self.check``) when it is shown;
    Finish waits for that plan and a valid name. A subclass gives ``rows()``, ``naming()`` (the page whose
    ``problem()`` is the name's) and ``texts()`` (its translated messages: "planning", "go back" with {problem} and
    {host}, "nothing")."""

    def summary_text(self) -> str:
        return facts_table(self.rows(), spacing=4)

    def initializePage(self) -> None:
        self.error.clear()
        self.check.run()
        self.changed()

    def problem(self) -> str | None:
        named = self.naming().problem()
        if named:
            return named
        return self.check.problem(self.texts()["planning"])

    def update_messages(self) -> None:
        self.summary.setText(self.summary_text())
        named = self.naming().problem()
        if named:
            self.error.set_error(self.texts()["go back"].format(problem=named, host=self.wiz.destination.host_label))
        elif self.check.checking:
            self.error.set_info(self.texts()["planning"])
        elif self.check.error:
            self.error.set_error(self.check.error)
        elif not self.wiz.converting:
            self.error.set_info(self.texts()["nothing"])


class ConvertSummaryPage(SummaryBase):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Summary"),
                         self.tr("Check what will be converted. Back changes it; Finish starts the conversion."),
                         self.tr("Summary"), layout=QVBoxLayout)
        self.summary = rich_label("summary", self.tr("Summary"))
        self.box.addWidget(self.summary)
        self.summary_foot(self.box, self.tr("&View Script..."),
                          self.tr("Show the command line and the Python script that make this conversion"),
                          "convert_error")
        self.check = DryRun(self, self.wiz.planned, self.changed, delay=0)
        self.summary.setWhatsThis(self.tr("Everything the conversion will do, as chosen on the pages before; Back "
                                          "changes it, View Script shows it as a command line and a Python script."))

    def rows(self) -> list[tuple[str, str]]:
        w = self.wiz
        answer = self.check.answer if self.check.ok else (w.source_page.answer() or {})
        src, plan = answer.get("source") or {}, answer.get("plan") or {}
        settings = plan.get("settings") or {}
        report = answer.get("report") or []
        warnings = sum(1 for n in report if n.get("severity") == "warning")
        network_map = w.networks_page.network_map()
        rows = [(self.tr("Source"), w.source_page.source()),
                (self.tr("Format"), format_name(src.get("format", ""))),
                (self.tr("Name"), w.identity_page.vm_name()),
                (self.tr("Host"), w.destination.host_label),
                (self.tr("Folder"), w.path_page.path() or (self.tr("a folder of its own under {root}").format(
                    root=posixpath.dirname(plan["folder"])) if plan.get("folder") else self.tr("the host's store"))),
                (self.tr("Memory"), fmt.size(settings.get("memory")) if settings.get("memory") else ""),
                (self.tr("Virtual processors"), str(settings.get("vcpus") or ""))]
        for d in plan.get("disks") or ():
            rows.append((self.tr("Disk"), f"{d.get('source', '')} \u2192 {d.get('target', '')} "
                                          f"({d.get('target_format', '')})"))
        for network in w.networks_page.networks():
            rows.append((self.tr("Network '{network}'").format(network=network),
                         network_map.get(network) or self.tr("Not connected")))
        rows.append((self.tr("Conversion report"), self.tr("{warnings} warnings, {infos} for information").format(
            warnings=warnings, infos=len(report) - warnings)))
        rows.append((self.tr("After Finish"), self.tr("the host converts the disks in a job (the jobs strip shows "
                                                      "it), then creates the VM, Off")))
        return rows

    def naming(self):
        return self.wiz.identity_page  # the name against the VMs of the host chosen since

    def texts(self) -> dict:
        return {"planning": self.tr("Planning the conversion..."),
                "go back": self.tr("{problem} (on {host}: go back to VM Identity)"),
                "nothing": self.tr("Nothing is written until Finish.")}
