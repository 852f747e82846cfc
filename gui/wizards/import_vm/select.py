"""Select Virtual Machine: the virtual machines the host found in the folder (one export, or the exports in its
subfolders), each with what it holds: name, id, memory, processors, disks, checkpoints, saved state, where and when
it was exported. Folders the host could not read as an export (a damaged or changed one) are listed greyed with
the reason."""

from __future__ import annotations

import posixpath

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from gui.widgets.builders import add_message, facts_table, rich_label
from gui.widgets.named import named

from .common import Page, export_rows, when

NAME, EXPORTED, FOLDER = range(3)
INFO = Qt.ItemDataRole.UserRole


class SelectVmPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Virtual Machine"), self.tr("Select the virtual machine to import."),
                         layout=QVBoxLayout)
        self.table = named(QTreeWidget(), "import_vms", self.tr("Virtual machines found"))
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Date Exported"), self.tr("Folder")])
        for column in (NAME, EXPORTED):
            self.table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.changed)
        self.box.addWidget(self.table, 1)
        self.details = rich_label("import_details", self.tr("What the export holds"))
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.box.addWidget(self.details, 1)
        self.message = add_message(self.box, "select_message")
        self._shown: int | None = None  # id() of the answer listed
        self.table.setWhatsThis(self.tr("The exported virtual machines found in the folder, with when each was "
                                        "exported. Choose the one to import."))
        self.details.setWhatsThis(self.tr("What the chosen export holds: its settings, disks, checkpoints and saved "
                                          "state, as export.json lists them."))

    def initializePage(self) -> None:
        found = self.wiz.locate_page.found() or {}
        if id(found) != self._shown:
            self._shown = id(found)
            self._fill(found)
        self.changed()

    def _fill(self, found: dict) -> None:
        self.table.blockSignals(True)
        self.table.clear()
        for info in found.get("found") or ():
            item = QTreeWidgetItem([info.get("name", ""), when(info.get("exported")),
                                    posixpath.basename(info.get("path", "").rstrip("/")) or info.get("path", "")])
            item.setData(NAME, INFO, info)
            item.setToolTip(FOLDER, info.get("path", ""))
            self.table.addTopLevelItem(item)
        for problem in found.get("problems") or ():
            item = QTreeWidgetItem(["\u26a0 " + posixpath.basename(problem["path"]), "", problem["error"]])
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
            for col in range(3):
                item.setToolTip(col, problem["error"])
            self.table.addTopLevelItem(item)
        first = self.table.topLevelItem(0)
        if first is not None and first.data(NAME, INFO):
            first.setSelected(True)
            self.table.setCurrentItem(first)
        self.table.blockSignals(False)

    def chosen(self) -> dict | None:
        """read_export's answer for the virtual machine selected."""
        items = self.table.selectedItems()
        return items[0].data(NAME, INFO) if items else None

    def problem(self) -> str | None:
        return None if self.chosen() else self.tr("Select the virtual machine to import.")

    def update_messages(self) -> None:
        info = self.chosen()
        if info is None:
            self.details.clear()
            self.message.set_info(self.problem())
            return
        self.details.setText(facts_table(export_rows(info)))
        self.message.set_info(self.tr("The host checks every file against export.json again when it imports."))
