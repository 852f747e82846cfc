"""Summary: what will be imported, from where, how and under which name; View Script shows the command line and
the Python script that do the same; Finish has the host start its "Import VM" job (the jobs strip shows its
progress)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from gui import format as fmt
from gui.widgets.builders import facts_table, rich_label

from .common import Page, mode_text


class ImportSummaryPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Summary"),
                         self.tr("Check what will be imported. Back changes it; Finish starts the import."),
                         layout=QVBoxLayout)
        self.summary = rich_label("import_summary", self.tr("Summary"))
        self.box.addWidget(self.summary)
        self.summary_foot(self.box, self.tr("&View Script..."),
                          self.tr("Show the command line and the Python script that make this import"),
                          "import_error")
        self.summary.setWhatsThis(self.tr("Everything the import will do, as chosen on the pages before; Back changes "
                                          "it, View Script shows it as a command line and a Python script."))

    def rows(self) -> list[tuple[str, str]]:
        w = self.wiz
        info = w.select_page.chosen() or {}
        mode = w.type_page.mode() or ""
        checkpoints = len(info.get("checkpoints") or [])
        rows = [(self.tr("Folder"), info.get("path", "")),
                (self.tr("Virtual machine"), self.tr("{name} ({id})").format(name=info.get("name", ""),
                                                                           id=info.get("id", ""))),
                (self.tr("Import type"), mode_text(mode) if mode else ""),
                (self.tr("Name"), w.type_page.vm_name()),
                (self.tr("Host"), w.destination.host_label),
                (self.tr("To copy"), self.tr("{files} files, {size}").format(
                    files=info.get("files", 0), size=fmt.size(info.get("bytes") or 0))),
                (self.tr("Checkpoints"), str(checkpoints)),
                (self.tr("After Finish"), self.tr("the host checks every file against export.json while it copies "
                                                  "them into its store in a job (the jobs strip shows it), then adds "
                                                  "the virtual machine, {state}; a changed or damaged file stops it "
                                                  "and nothing is kept").format(
                    state=self.tr("Saved") if info.get("saved_state") else self.tr("Off")))]
        if mode == "new_id":
            rows.insert(2, (self.tr("New ID"), self.tr("made by the host")))
        if info.get("network"):
            rows.append((self.tr("Virtual switch"), self.tr("{switch} (not connected if {host} has none of that "
                                                            "name)").format(switch=info["network"],
                                                                            host=w.destination.host_label)))
        return rows

    def initializePage(self) -> None:
        self.error.clear()
        self.changed()

    def problem(self) -> str | None:
        return self.wiz.type_page.problem()

    def update_messages(self) -> None:
        self.summary.setText(facts_table(self.rows(), spacing=4))
        problem = self.problem()
        if problem:
            self.error.set_error(self.tr("{problem} (go back to Choose Import Type)").format(problem=problem))
        elif not self.wiz.importing and not self.error.text():
            self.error.set_info(self.tr("Nothing is written until Finish."))
