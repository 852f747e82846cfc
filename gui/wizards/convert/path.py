"""Select Path: the folder on the destination host that keeps the converted VM's disks and its conversion report.
Optional: left empty, the host keeps them in a folder of their own beside its VM store. Browse... lists that host's
folders; the host checks the folder (a dry run) a moment after each edit."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit

from gui.widgets.builders import push_button
from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

from .common import DryRun, Page, browse_on


class ConvertPathPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Path"),
                         self.tr("Choose where the converted virtual hard disks are kept, or leave it to the host."),
                         self.tr("Path"))
        self.folder = named(QLineEdit(), "convert_folder", self.tr("Folder"))
        self.browse = push_button(self.tr("&Browse..."), "browse_folder", self._browse)
        line = QHBoxLayout()
        line.addWidget(self.folder, 1)
        line.addWidget(self.browse)
        layout = self.field_form((self.tr("&Folder:"), line, self.folder))
        self.where = WrappedLabel()
        self.where.setObjectName("default_folder")
        layout.addRow("", self.where)
        self.check = DryRun(self, self._wanted, self.changed)
        self.folder.textChanged.connect(self._edited)
        self.host_browser = None
        self.folder.setWhatsThis(self.tr("The folder on the host for the converted virtual hard disks; empty: a "
                                         "folder of their own beside the host's store (--path)."))

    def initializePage(self) -> None:
        host = self.wiz.destination
        self.folder.setPlaceholderText(self.tr("the host's store (default)"))
        store = (host.host or {}).get("store", "")
        self.where.setText(self.tr("Left empty, {host} keeps them in a folder of their own under {store}.").format(
            host=host.host_label, store=f"{store}/converted" if store else self.tr("its store")))
        able, why = host.can("browse")
        self.browse.setEnabled(able)
        self.browse.setToolTip("" if able else self.tr("Browse: {why}").format(why=why))
        self.check.run()
        self.changed()

    def _wanted(self):
        return self.wiz.planned() if self.path() else None

    def _edited(self, *_args) -> None:
        self.check.schedule()
        self.changed()

    def _browse(self) -> None:
        browse_on(self, self.wiz.destination, self.folder.setText, folders=True, start=self.folder.text())

    def path(self) -> str:
        return self.folder.text().strip()

    def problem(self) -> str | None:
        if not self.path():
            return None
        if not self.path().startswith("/"):
            return self.tr("Give the folder's full path on {host}, from /.").format(
                host=self.wiz.destination.host_label)
        return self.check.problem(self.tr("Checking the folder..."))

    def update_messages(self) -> None:
        problem = self.problem()
        if not self.path():
            self.message.clear()
        elif problem and not self.check.checking:
            self.message.set_error(problem)
        elif problem:
            self.message.set_info(problem)
        else:
            self.message.set_info(self.tr("The disks are written into {folder}.").format(folder=self.path()))
