"""System Information: the machine as the host's scan sees it, asked off the GUI thread when the page opens (and
again when the source changed): its disks with their partitions and file systems (mountpoints, sizes), its network
adapters, its operating system, processors and memory. The destination host scans ("this machine" is that host's):
choosing another host on Select Host scans again there. A machine the host cannot reach says why in one line and
keeps Next disabled."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from gui import format as fmt
from gui.operations import convert_physical as p2v_ops
from gui.tasks import describe
from gui.widgets.builders import add_message
from gui.widgets.named import named

from ..convert.common import Page

NAME, SIZE, DETAILS = range(3)


def children(node: dict) -> list[dict]:
    return list(node.get("partitions") or node.get("children") or ())


def filesystem(node: dict) -> dict:
    """{type, mountpoint, size} of a disk or partition (a scan gives it nested, or flat as fstype/mountpoint)."""
    fs = node.get("filesystem") or {}
    if not fs and (node.get("fstype") or node.get("mountpoint")):
        fs = {"type": node.get("fstype") or "", "mountpoint": node.get("mountpoint") or "", "size": node.get("size")}
    return fs


def mounted(node: dict) -> list[str]:
    """The mountpoints on a disk (its own file system's and its partitions')."""
    points = [filesystem(node).get("mountpoint")] + [m for c in children(node) for m in mounted(c)]
    return [m for m in points if m]


class PhysicalSystemPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("System Information"),
                         self.tr("What the host found on the machine. Nothing is written."), layout=QVBoxLayout)
        self.tree = named(QTreeWidget(), "system_tree", self.tr("System information"))
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Size"), self.tr("Details")])
        self.tree.header().setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.box.addWidget(self.tree, 1)
        self.message = add_message(self.box, "system_message")
        self._answer: dict | None = None
        self.error = ""
        self._for: tuple | None = None  # (host, source) the answer (or error) is for
        self._asked: tuple | None = None
        self.tree.setWhatsThis(self.tr("What the scan found on the machine: its disks with their partitions and file "
                                       "systems, network adapters, processors, memory and operating system (bulkhead "
                                       "convert scan)."))

    def initializePage(self) -> None:
        self.scan()
        self.changed()

    def _key(self) -> tuple:
        return (self.wiz.destination, self.wiz.source_page.from_())

    def scan(self) -> None:
        """Asks the destination host for the scan, unless it has it (or is asked it) already."""
        key = self._key()
        if (key == self._for and not self.error) or key == self._asked:
            return
        self._asked = key
        self._answer, self.error = None, ""
        self.tree.clear()
        host, from_ = key
        p2v_ops.scan(host, from_, owner=self).success(
            lambda answer, k=key: self._scanned(k, answer, "")).failure(
            lambda e, k=key: self._scanned(k, None, describe(e))).run()

    def _scanned(self, key: tuple, answer: dict | None, error: str) -> None:
        if key != self._asked:
            return
        self._asked = None
        self._for, self._answer, self.error = key, answer, error
        if answer is not None:
            self._fill(answer.get("scan") or {})
        self.changed()
        page = self.wiz.currentPage()
        if page is not None and page is not self:  # a later page waits for this scan (the host changed there)
            check = getattr(page, "check", None)
            if check is not None:
                check.run()
            page.changed()

    @property
    def current(self) -> bool:
        return self._for is not None and self._for == self._key()

    def answer(self) -> dict | None:
        return self._answer if self.current and not self.error else None

    def scan_facts(self) -> dict:
        return (self.answer() or {}).get("scan") or {}

    def _fill(self, scan: dict) -> None:
        self.tree.clear()
        disks = QTreeWidgetItem([self.tr("Disks")])
        for disk in scan.get("disks") or ():
            disks.addChild(self._node(disk))
        adapters = QTreeWidgetItem([self.tr("Network adapters")])
        for a in scan.get("adapters") or ():
            if a.get("loopback"):
                continue
            adapters.addChild(QTreeWidgetItem([a.get("name", ""), "", ", ".join(
                x for x in (a.get("mac"), a.get("state"), " ".join(a.get("addresses") or ()) or self.tr("no address"))
                if x)]))
        cpu = str(scan.get("processors") or "?") + (f" ({scan['processor_model']})" if scan.get("processor_model")
                                                    else "")
        facts = [QTreeWidgetItem([self.tr("Operating system"), "", scan.get("os") or self.tr("unknown")]),
                 QTreeWidgetItem([self.tr("Processors"), "", cpu]),
                 QTreeWidgetItem([self.tr("Memory"), fmt.size(scan.get("memory") or 0), ""]),
                 QTreeWidgetItem([self.tr("Firmware"), "", str(scan.get("firmware") or self.tr("unknown")).upper()]),
                 QTreeWidgetItem([self.tr("Host name"), "", scan.get("host_name") or ""])]
        self.tree.addTopLevelItems([disks, adapters, *facts])
        self.tree.expandAll()

    def _node(self, node: dict) -> QTreeWidgetItem:
        details = [x for x in (node.get("type"), node.get("model"), self.tr("read-only") if node.get("ro") else "",
                               self.tr("removable") if node.get("rm") else "", self.tr("LVM") if node.get("lvm")
                               else "") if x]
        item = QTreeWidgetItem([node.get("path", ""), fmt.size(node.get("size") or 0), ", ".join(details)])
        fs = filesystem(node)
        if fs.get("type") or fs.get("mountpoint"):
            where = self.tr("mounted at {mountpoint}").format(mountpoint=fs["mountpoint"]) if fs.get("mountpoint") \
                else self.tr("not mounted")
            item.addChild(QTreeWidgetItem([fs.get("type") or self.tr("file system"),
                                           fmt.size(fs.get("size") or node.get("size") or 0), where]))
        for child in children(node):
            item.addChild(self._node(child))
        return item

    def problem(self) -> str | None:
        if not self.current:
            return self.tr("Scanning the machine...")
        return self.error or None

    def update_messages(self) -> None:
        if not self.current:
            self.message.set_info(self.tr("Scanning {machine} on {host}...").format(
                machine=self.wiz.source_page.source(), host=self.wiz.destination.host_label))
        elif self.error:
            self.message.set_error(self.error)
        else:
            scan = self.scan_facts()
            warnings = "; ".join(scan.get("warnings") or ())
            text = self.tr("Scanned {machine}: {disks} disks, {adapters} network adapters.").format(
                machine=self.wiz.source_page.source(), disks=len(scan.get("disks") or ()),
                adapters=sum(1 for a in scan.get("adapters") or () if not a.get("loopback")))
            self.message.set_info(text + (" " + warnings if warnings else ""))
