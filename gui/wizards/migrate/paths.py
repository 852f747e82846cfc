"""Path and Networks: the destination's folder for the VM's files that are copied (browsing that host's folders
through the API, Browse <host>, with the free space there), where each disk and the guest image go, and the
destination switch each network adapter connects to. For a storage move: the folder of the VM's own host its disk
moves to. Every change is checked again off the GUI thread (the precheck with this folder and network map); what it
still finds wrong about them disables Next."""

from __future__ import annotations

import posixpath

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from gui import format as fmt
from gui import operations as ops
from gui.operations import browse as browse_ops
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named

from ..new_vm.common import Page

TOPICS = ("network", "space")  # what this page's choices fix (their errors stop Next here)
CHECK_MS = 400


class PathsPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Path and Networks"),
                         self.tr("Where the VM's files go on the destination, and which switch each network adapter "
                                 "connects to there."), layout=QVBoxLayout)
        folder = QGroupBox(self.tr("Folder"))
        form = QFormLayout(folder)
        row = QHBoxLayout()
        self.path = named(QLineEdit(), "move_path", self.tr("Destination folder"))
        self.path.setPlaceholderText(self.tr("the destination's own folder for VMs"))
        row.addWidget(self.path, 1)
        self.browse = named(QPushButton(self.tr("&Browse...")), "move_browse")
        self.browse.clicked.connect(self.open_browser)
        row.addWidget(self.browse)
        self.path_label = QLabel(self.tr("&Folder:"))
        self.path_label.setBuddy(self.path)
        form.addRow(self.path_label, row)
        self.space = QLabel()
        self.space.setObjectName("move_space")
        form.addRow("", self.space)
        self.box.addWidget(folder)
        self.files = QTreeWidget()
        self.files.setObjectName("move_files")
        self.files.setAccessibleName(self.tr("The VM's files"))
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Goes")])
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.files.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.files.setMaximumHeight(110)
        self.box.addWidget(self.files)
        self.networks_box = QGroupBox(self.tr("Network adapters"))
        self.networks = QFormLayout(self.networks_box)
        self.box.addWidget(self.networks_box)
        self.message = FieldMessage()
        self.message.setObjectName("paths_message")
        self.box.addWidget(self.message)
        self.box.addStretch(1)
        self.maps: dict[str, QComboBox] = {}
        self.switches: list[str] | None = None
        self._switches_of = None
        self.result: dict | None = None  # the precheck with this page's choices
        self.checking = False
        self.listing: dict | None = None
        self.host_browser = None
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_MS, timeout=self.check)
        self._space_timer = QTimer(self, singleShot=True, interval=CHECK_MS, timeout=self._ask_space)
        self.path.textChanged.connect(self._edited)
        self.path.setWhatsThis(self.tr("The folder on the destination for the VM's files; empty: the destination's "
                                       "own folder for VMs. A folder that does not exist is made (--path)."))
        self.files.setWhatsThis(self.tr("The VM's files and what the move does with each: moved, copied, or left "
                                        "where it is because both hosts reach it."))

    # --- the flow ------------------------------------------------------------------------------------------------
    @property
    def storage(self) -> bool:
        return self.wiz.transfer_page.chosen() == "storage"

    def step_name(self) -> str:
        return self.tr("Storage Path") if self.storage else self.step

    @property
    def host(self):
        """The host whose folders are chosen: the destination (the VM's own host for a storage move)."""
        return self.wiz.destination

    def initializePage(self) -> None:
        storage = self.storage
        self.setTitle(self.tr("Storage Path") if storage else self.tr("Path and Networks"))
        self.setSubTitle(self.tr("The folder of {host} that the VM's virtual hard disk moves to while it runs.")
                         .format(host=self.host.host_label) if storage else
                         self.tr("Where the VM's files go on {host}, and which switch each network adapter connects "
                                 "to there.").format(host=self.host.host_label))
        self.path.setPlaceholderText(self.tr("a folder of {host}, e.g. /srv/vhds").format(host=self.host.host_label)
                                     if storage else self.tr("the destination's own folder for VMs"))
        self.browse.setText(self.tr("&Browse {host}...").format(host=self.host.host_label))
        self.networks_box.setVisible(not storage)
        if not storage and self._switches_of is not self.host:
            self._switches_of = self.host
            self.switches = None
            ops.switch.list_switches(self.host, owner=self).success(self._got_switches).failure(
                lambda e: self.message.set_error(self.tr("Cannot list the destination's switches: {why}").format(
                    why=describe(e)))).run()
        self._fill_networks()
        self._fill_files()
        self._ask_space()
        self.check()

    def _edited(self, *_args) -> None:
        self.result = None
        self.checking = True
        self._check_timer.start()
        self._space_timer.start()
        self.changed()

    # --- browsing the destination --------------------------------------------------------------------------------
    def open_browser(self):
        from gui.dialogs.export_base import open_folder_browser

        return open_folder_browser(self, self.host, self.path.text().strip(),
                                   self.tr("Choose a folder of {host}").format(host=self.host.host_label),
                                   self.path.setText)

    def _ask_space(self) -> None:
        path = self.path.text().strip()
        if path and not path.startswith("/"):
            self.space.setText("")
            return
        browse_ops.list_folder(self.host, path, kinds=["dir"], owner=self, limit=1).success(
            lambda listing, p=path: self._space(p, listing)).failure(lambda e, p=path: self._no_space(p, e)).run()

    def _space(self, path: str, listing: dict) -> None:
        if path != self.path.text().strip():
            return
        self.listing = listing
        free, total = listing.get("free_bytes"), listing.get("total_bytes")
        where = listing.get("path") or path
        if free is None:
            self.space.setText(self.tr("{path}: free space not known").format(path=where))
        else:
            self.space.setText(self.tr("{path}: {free} free of {total}").format(path=where, free=fmt.size(free),
                                                                                total=fmt.size(total)))

    def _no_space(self, path: str, error: BaseException) -> None:
        if path == self.path.text().strip():
            self.listing = None
            self.space.setText(self.tr("{path}: {why} (a folder that does not exist is made)").format(
                path=path, why=describe(error)))

    # --- files and networks --------------------------------------------------------------------------------------
    def _fill_files(self) -> None:
        self.files.clear()
        rows = (self.result or self.wiz.check or {}).get("rows") or []
        folder = self.path.text().strip() or self.tr("the destination's folder")
        desc = self.wiz.description or {}
        disks = {r.get("path"): r for r in rows if r.get("topic") == "disk" and r.get("path")}
        for d in desc.get("disks") or []:
            r = disks.get(d.get("path")) or {}
            if self.storage:
                goes = self.tr("moves into {folder}").format(folder=folder)
            elif r.get("shared"):
                goes = self.tr("shared: stays where it is")
            else:
                goes = self.tr("copied into {folder}").format(folder=folder)
            item = QTreeWidgetItem([d.get("path", ""), fmt.size(d.get("size")) if d.get("size") else "", goes])
            item.setToolTip(0, d.get("path", ""))
            self.files.addTopLevelItem(item)
        image = next((r for r in rows if r.get("topic") == "image"), None)
        if image is not None and not self.storage:
            copied = bool(image.get("bytes"))
            item = QTreeWidgetItem([self.tr("Guest image"), fmt.size(image.get("bytes")) if copied else "",
                                    self.tr("copied into {folder}").format(folder=folder) if copied
                                    else self.tr("present there: not copied")])
            self.files.addTopLevelItem(item)
        if not self.files.topLevelItemCount():
            self.files.addTopLevelItem(QTreeWidgetItem([self.tr("No disks"), "", ""]))

    def _got_switches(self, switches: list[dict]) -> None:
        self.switches = [s["name"] for s in switches if isinstance(s, dict) and s.get("name")]
        self._fill_networks()
        self.check()

    def _fill_networks(self) -> None:
        adapters = [a.get("switch") for a in (self.wiz.description or {}).get("network_adapters") or []]
        adapters = [a for a in adapters if a]
        old = {name: combo.currentData() for name, combo in self.maps.items()}
        self.maps = {}
        while self.networks.rowCount():
            self.networks.removeRow(0)
        if not adapters:
            self.networks.addRow(QLabel(self.tr("The VM has no connected network adapter.")))
            return
        for source in adapters:
            combo = named(QComboBox(), f"map_{source}", self.tr("Switch for the adapter on {switch}").format(
                switch=source))
            if self.switches is None:
                combo.addItem(self.tr("Looking up the destination's switches..."), None)
            else:
                combo.addItem(self.tr("Choose a switch of the destination"), None)
                for name in self.switches:
                    combo.addItem(name, name)
                wanted = old.get(source) or next((n for n in self.switches if n.casefold() == source.casefold()), None)
                combo.setCurrentIndex(max(0, combo.findData(wanted)))
            combo.currentIndexChanged.connect(self._edited)
            self.networks.addRow(self.tr("Adapter on '{switch}':").format(switch=source), combo)
            self.maps[source] = combo

    def network_map(self) -> dict[str, str]:
        """{switch here: switch there} for the adapters whose switch is called otherwise there."""
        out = {}
        for source, combo in self.maps.items():
            target = combo.currentData()
            if target and target != source:
                out[source] = target
        return out

    def path_value(self) -> str:
        return self.path.text().strip()

    # --- checking ------------------------------------------------------------------------------------------------
    def check(self) -> None:
        if self.wiz.destination is None or self.wiz.currentPage() is not self:
            self.checking = False
            return
        self.checking = True
        path = self.path_value()
        self.wiz.precheck_op(self.host.conn, self, "paths-check").success(
            lambda r, p=path: self._checked(p, r)).failure(lambda e, p=path: self._failed(p, e)).run()
        self.changed()

    def _checked(self, path: str, result: dict) -> None:
        if path != self.path_value():
            return
        self.checking = False
        self.result = result
        self._fill_files()
        self.changed()

    def _failed(self, path: str, error: BaseException) -> None:
        if path != self.path_value():
            return
        self.checking = False
        self.result = {"rows": [{"severity": "error", "topic": "space", "text": describe(error), "hint": ""}]}
        self.changed()

    def errors(self) -> list[dict]:
        rows = (self.result or {}).get("rows") or []
        return [r for r in rows if r.get("severity") == "error" and r.get("topic") in TOPICS]

    def problem(self) -> str | None:
        path = self.path_value()
        if path and not path.startswith("/"):
            return self.tr("Give the folder as a full path on {host} (starting with /).").format(
                host=self.host.host_label if self.host else "")
        if self.storage:
            if not path:
                return self.tr("Choose the folder the disk moves to.")
            disks = [d.get("path", "") for d in (self.wiz.description or {}).get("disks") or []]
            if disks and all(posixpath.dirname(d) == posixpath.normpath(path) for d in disks):
                return self.tr("The disk is in {path} already: choose another folder.").format(path=path)
        missing = [s for s, combo in self.maps.items() if combo.currentData() is None]
        if self.switches is not None and missing:
            return self.tr("Choose a switch of the destination for the adapter on '{switch}'.").format(
                switch=missing[0])
        if self.checking or self.result is None:
            return self.tr("Checking the folder and the networks...")
        errors = self.errors()
        if errors:
            hint = errors[0].get("hint") or ""
            return errors[0].get("text", "") + (f" ({hint})" if hint else "")
        return None

    def update_messages(self) -> None:
        problem = self.problem()
        if problem and not (self.checking and problem.startswith(self.tr("Checking"))):
            self.message.set_error(problem)
        elif self.checking:
            self.message.set_info(self.tr("Checking the folder and the networks..."))
        else:
            self.message.clear()
