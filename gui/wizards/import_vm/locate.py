"""Locate Folder: the host that imports, and the folder on it holding the exported virtual machine (or folders of
exports: its subfolders are read). Browse... lists that host's folders (host.browse), never this machine's. A
moment after each edit the host reads the folder (vm.import.read: export.json and the configurations checked,
nothing written) and the page says what it found, or the host's one-line refusal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit

from gui.widgets.builders import push_button
from gui.widgets.named import named

from .common import DryRun, Page, browse_on


class LocateFolderPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Locate Folder"),
                         self.tr("Specify the folder containing the virtual machine to import."))
        self.host = named(QComboBox(), "import_host", self.tr("Host"))
        self.path = named(QLineEdit(), "import_path", self.tr("Folder"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host"))
        self.browse = push_button(self.tr("&Browse..."), "import_browse", self._browse,
                                  self.tr("Choose the folder on the host"))
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.browse)
        self.field_form((self.tr("&Host:"), self.host), (self.tr("&Folder:"), line, self.path))
        self.message.setObjectName("locate_message")
        self.check = DryRun(self, self._wanted, self.changed)
        self.host_browser = None
        self._fill_hosts()
        self.host.currentIndexChanged.connect(self._host_chosen)
        self.path.textChanged.connect(self._edited)
        self.host.setWhatsThis(self.tr("The host that imports the virtual machine; the folder is read on that host, "
                                       "never on this machine."))
        self.path.setWhatsThis(self.tr("The folder on the host that Export wrote (holding export.json), or a folder "
                                       "above it: its subfolders are read (bulkhead vm import FOLDER)."))

    def _fill_hosts(self) -> None:
        self.host.blockSignals(True)
        self.host.clear()
        for i, session in enumerate(self.wiz.hosts):
            able, why = self.wiz.able(session)
            label = session.host_label or self.tr("this host")
            self.host.addItem(label if able else self.tr("{host} (cannot import)").format(host=label), i)
            if not able:
                item = self.host.model().item(i)
                item.setEnabled(False)
                item.setToolTip(why)
            self.host.setItemData(i, why or label, Qt.ItemDataRole.ToolTipRole)
            if session is self.wiz.destination:
                self.host.setCurrentIndex(i)
        self.host.blockSignals(False)

    def initializePage(self) -> None:
        self._fill_hosts()
        self.changed()

    def _host_chosen(self, index: int) -> None:
        if 0 <= index < len(self.wiz.hosts):
            self.wiz.set_destination(self.wiz.hosts[index])
        self.check.run()
        self.changed()

    def _edited(self, *_args) -> None:
        self.check.schedule()
        self.changed()

    def _browse(self) -> None:
        browse_on(self, self.wiz.destination, self.path.setText, folders=True, start=self.folder())

    def folder(self) -> str:
        return self.path.text().strip()

    def _wanted(self):
        path = self.folder()
        able, _why = self.wiz.able(self.wiz.destination)
        return (self.wiz.destination, {"path": path}) if path.startswith("/") and able else None

    def found(self) -> dict | None:
        """The host's {folder, found, problems} for the folder as typed now (None until it has answered)."""
        return self.check.answer if self.check.ok else None

    def problem(self) -> str | None:
        able, why = self.wiz.able(self.wiz.destination)
        if not able:
            return self.tr("{host} cannot import virtual machines: {why}").format(
                host=self.wiz.destination.host_label, why=why)
        path = self.folder()
        if not path:
            return self.tr("Give the folder on the host that holds the exported virtual machine.")
        if not path.startswith("/"):
            return self.tr("Give the full path on the host (starting with /).")
        problem = self.check.problem(self.tr("Reading the folder..."))
        if problem:
            return problem
        found = self.found() or {}
        if not found.get("found"):
            problems = found.get("problems") or []
            if problems:
                return self.tr("{folder} holds no virtual machine that can be imported: {why}").format(
                    folder=found.get("folder") or path, why=problems[0]["error"])
            return self.tr("{folder} holds no exported virtual machine (no export.json there or in its "
                           "subfolders).").format(folder=found.get("folder") or path)
        return None

    def update_messages(self) -> None:
        able = self.wiz.able(self.wiz.destination)[0]
        self.browse.setEnabled(able and self.wiz.destination.can("browse")[0])
        problem = self.problem()
        if problem is None:
            found = self.found() or {}
            count = len(found.get("found") or [])
            self.message.set_info(self.tr("Found {count} virtual machine(s); nothing is written until Finish.")
                                  .format(count=count))
        elif not self.folder() or self.check.checking:
            self.message.set_info(problem)
        else:
            self.message.set_error(problem)
