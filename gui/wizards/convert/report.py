"""Conversion Report: what cannot be carried over as it was (warnings) and what is said for information, as the
host plans the conversion with the name chosen, before anything is written; and the disks it will convert."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout

from gui.widgets.builders import add_message, rich_label
from gui.widgets.field_message import WrappedLabel

from .common import DryRun, Page, report_html


class ConvertReportPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Conversion Report"),
                         self.tr("What the host will make of the source. Nothing is written until Finish."),
                         self.tr("Conversion Report"), layout=QVBoxLayout)
        self.note = WrappedLabel(self.tr("The virtual machine's description and its disks are converted; the guest "
                                         "operating system is not (its drivers and boot configuration stay as they "
                                         "were). Networks are chosen two steps on."))
        self.box.addWidget(self.note)
        self.report = rich_label("conversion_report", self.tr("Conversion report"))
        self.report.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.report.setContentsMargins(6, 6, 6, 6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.report)
        self.box.addWidget(scroll, 1)
        self.message = add_message(self.box, "report_message")
        self.check = DryRun(self, self.wiz.planned, self.changed, delay=0)
        self.report.setWhatsThis(self.tr("What the host will make of the source: the disks it converts and every "
                                         "setting it cannot carry over, as a warning to read or for information."))

    def initializePage(self) -> None:
        self.check.run()
        self.changed()

    def problem(self) -> str | None:
        return self.check.problem(self.tr("Planning the conversion..."))

    def warnings(self) -> list[str]:
        answer = self.check.answer if self.check.ok else {}
        return [n.get("text", "") for n in (answer or {}).get("report") or () if n.get("severity") == "warning"]

    def update_messages(self) -> None:
        if self.check.checking:
            self.message.set_info(self.tr("Planning the conversion on {host}...").format(
                host=self.wiz.destination.host_label))
            return
        if self.check.error:
            self.message.set_error(self.check.error)
            self.report.clear()
            return
        answer = self.check.answer or {}
        plan = answer.get("plan") or {}
        disks = "".join(f"<li>{escape(d.get('source', ''))} \u2192 {escape(d.get('target', ''))} "
                        f"({escape(d.get('target_format', ''))})"
                        + ("" if d.get("attach") else escape(self.tr(", not attached"))) + "</li>"
                        for d in plan.get("disks") or ())
        text = report_html(answer.get("report") or [])
        if disks:
            text += "<p><b>" + escape(self.tr("Disks to convert")) + "</b></p><ul>" + disks + "</ul>"
        self.report.setText(text)
        self.message.set_info(self.tr("Nothing is written until Finish."))
