"""Select Host: the console's hosts that could take the converted VM, each with its kind, free memory and its rating
for the VM (0 to 5 stars, as the Migrate wizard rates hosts: core.api.convert.rate_host; the reasons in the
tooltip); those refusing conversions (capability "convert") or not connected are greyed with the reason. A host
other than the one the source was read on reads it again (the source's path is a path on the host that converts
it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from gui import format as fmt
from gui import placement_words
from gui.operations import convert as convert_ops
from gui.widgets.builders import add_message
from gui.widgets.named import named

from ..migrate.stars import STARS_ROLE, StarDelegate
from .common import DryRun, Page

HOST, KIND, MEMORY, STATUS, RATING = range(5)
INDEX = Qt.ItemDataRole.UserRole
MiB = 1 << 20


class ConvertHostPage(Page):
    def __init__(self, wizard) -> None:
        own = getattr(wizard, "host_subtitle", None)  # the Convert Physical Server wizard's own words
        super().__init__(wizard, self.tr("Select Host"),
                         own() if own else self.tr("Choose the host that converts the virtual machine and keeps it. "
                                                   "The source's path is read on that host."),
                         self.tr("Select Host"), layout=QVBoxLayout)
        self.table = named(QTreeWidget(), "convert_hosts", self.tr("Hosts"))
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([self.tr("Host"), self.tr("Kind"), self.tr("Free memory"), self.tr("Status"),
                                    self.tr("Rating")])
        self.table.header().setSectionResizeMode(HOST, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Stretch)
        self.table.header().setSectionResizeMode(RATING, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(False)
        self.table.setItemDelegateForColumn(RATING, StarDelegate(self.table))
        self.table.itemSelectionChanged.connect(self._selected)
        self.box.addWidget(self.table, 1)
        self.message = add_message(self.box, "host_message")
        self.answers: dict[int, dict] = {}  # index in the wizard's hosts -> what that host said
        self.check = DryRun(self, self._wanted, self.changed, delay=0)
        self._asked = False
        self.table.setWhatsThis(self.tr("The hosts that could keep the new virtual machine, with their kind and free "
                                        "memory; a host that cannot take it says why (--to)."))

    @property
    def hosts(self) -> list:
        return self.wiz.hosts

    def able(self, host) -> tuple[bool, str]:
        if host.conn is None:
            return False, self.tr("not connected: {why}").format(why=host.last_error or self.tr("connecting"))
        return host.can(getattr(self.wiz, "capability", "convert"))  # Convert Physical Server's: convert_physical

    def initializePage(self) -> None:
        if not self._asked:
            self._asked = True
            for i, host in enumerate(self.hosts):
                if host.conn is not None:
                    convert_ops.host_facts(host, owner=self, load=self.load()).success(
                        lambda facts, i=i: self._facts(i, facts)).failure(lambda _e: None).run()
        self._fill()
        self.check.run()
        self.changed()

    def load(self) -> dict | None:
        """What the rating weighs: the VM's memory, processors and disks as planned (the Convert Physical Server
        wizard's: as chosen on VM Configuration); None before anything is read."""
        page = getattr(self.wiz, "report_page", None)
        check = getattr(page, "check", None)
        answer = (check.answer if check is not None and check.ok else None) or self.wiz.source_page.answer() or {}
        plan, src = answer.get("plan") or {}, answer.get("source") or {}
        settings = plan.get("settings") or {}
        memory = int(settings.get("memory") or src.get("memory") or 0)
        vcpus = int(settings.get("vcpus") or src.get("vcpus") or 1)
        config = getattr(self.wiz, "config_page", None)
        if config is not None and getattr(config, "_filled_from", None) is not None:
            memory, vcpus = config.memory.value() * MiB, config.vcpus.value()
        if not memory:
            return None
        disks = sum(int(d.get("capacity") or 0) for d in plan.get("disks") or src.get("disks") or ())
        return {"memory": memory, "vcpus": vcpus, "disk_bytes": disks}

    def _facts(self, i: int, facts: dict) -> None:
        self.answers[i] = facts
        self._fill()

    def _fill(self) -> None:
        chosen = self.wiz.destination
        self.table.blockSignals(True)
        self.table.clear()
        for i, host in enumerate(self.hosts):
            facts = self.answers.get(i) or {}
            able, why = self.able(host)
            kind = facts.get("kind") or (host.capabilities or {}).get("kind") or \
                ("libvirt" if host.is_libvirt else "bulkhead")
            free = facts.get("memory_free")
            if free is not None:
                memory = fmt.size(free)
            elif facts.get("memory_total"):
                memory = self.tr("not measured ({total} in all)").format(total=fmt.size(facts["memory_total"]))
            else:
                memory = ""
            label = host.host_label or self.tr("this host")
            if host is self.wiz.session:
                label = self.tr("{host} (source read here)").format(host=label)
            rated = facts.get("rating") if able else None
            stars = float(rated.get("stars") or 0.0) if rated else None
            item = QTreeWidgetItem([label, kind, memory, self.tr("Can convert") if able else why,
                                    self.tr("{stars} stars").format(stars=f"{stars:g}") if stars is not None
                                    else ""])
            item.setData(HOST, INDEX, i)
            if rated:
                item.setData(RATING, STARS_ROLE, stars)
                lines = rated.get("explanation") or ()
                item.setToolTip(RATING, "\n".join(placement_words.text(line) for line in lines))
            if not able:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
                for col in range(5):
                    item.setToolTip(col, self.tr("{host} cannot take it: {why}").format(host=label, why=why))
            self.table.addTopLevelItem(item)
            if host is chosen and able:
                item.setSelected(True)
                self.table.setCurrentItem(item)
        self.table.blockSignals(False)

    def _selected(self) -> None:
        items = self.table.selectedItems()
        if items:
            host = self.hosts[items[0].data(HOST, INDEX)]
            if host is not self.wiz.destination:
                self.wiz.set_destination(host)
        self.check.run()
        self.changed()

    def _wanted(self):
        if self.wiz.destination is self.wiz.session:
            return None  # read there already
        return self.wiz.planned()

    def scanning(self) -> str | None:
        """The Convert Physical Server wizard's scan of the machine on the host chosen, while it is asked or if it
        failed (None: no scan, or scanned)."""
        system = getattr(self.wiz, "system_page", None)
        return system.problem() if system is not None else None

    def problem(self) -> str | None:
        able, why = self.able(self.wiz.destination)
        if not able:
            return self.tr("{host} cannot take it: {why}").format(host=self.wiz.destination.host_label, why=why)
        scan = self.scanning()
        if scan:
            return scan
        if self.check.checking:
            return self.tr("Reading the source on {host}...").format(host=self.wiz.destination.host_label)
        if self.check.current and self.check.error:
            return self.tr("{host} cannot convert it: {why}").format(host=self.wiz.destination.host_label,
                                                                    why=self.check.error)
        return None

    def update_messages(self) -> None:
        problem = self.problem()
        system = getattr(self.wiz, "system_page", None)
        waiting = self.check.checking or (system is not None and not system.current)
        if problem and not waiting:
            self.message.set_error(problem)
        elif problem:
            self.message.set_info(problem)
        else:
            self.message.set_info(self.tr("{host} converts the disks and creates the virtual machine, Off.").format(
                host=self.wiz.destination.host_label))
