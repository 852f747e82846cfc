"""Volume Configuration: the disks to capture (none at first: check them), and image files standing in for disks
(the host reads an image file as it reads a device); the type of the virtual hard disks (dynamically expanding or
fixed size; each the size of its disk); for a disk with a mounted file system, "Freeze file systems
during capture" and the report's words on crash-consistency. The host plans the capture (a dry run) a moment after
each change and says what it would refuse."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from gui import format as fmt
from gui.widgets.builders import add_message, push_button, rich_label
from gui.widgets.named import named

from ..convert.common import DryRun, Page
from .system import mounted

PATH, SIZE, MOUNTED = range(3)
# the report's lines about what a capture of a mounted file system is (docs/conversion.md, P2V)
CONSISTENCY = ("physical.online", "physical.unfrozen", "physical.frozen", "physical.no_fsfreeze", "physical.lvm")


class PhysicalVolumesPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Volume Configuration"),
                         self.tr("Check the disks to capture. Each becomes a virtual hard disk of the new virtual "
                                 "machine."), layout=QVBoxLayout)
        self.disks = named(QTreeWidget(), "capture_disks", self.tr("Disks to capture"))
        self.disks.setRootIsDecorated(False)
        self.disks.setHeaderLabels([self.tr("Disk"), self.tr("Size"), self.tr("Mounted file systems")])
        self.disks.header().setSectionResizeMode(PATH, QHeaderView.ResizeMode.ResizeToContents)
        self.disks.header().setStretchLastSection(True)
        self.disks.itemChanged.connect(self._edited)
        self.box.addWidget(self.disks, 1)
        line = QHBoxLayout()
        self.image = named(QLineEdit(), "image_path", self.tr("Image file"))
        self.image.setPlaceholderText(self.tr("/path/on/the/host/disk.img (an image file standing in for a disk)"))
        self.add = push_button(self.tr("&Add Image File"), "add_image", self.add_image,
                               self.tr("Capture an image file on the host as if it were one of the machine's disks"))
        self.image.returnPressed.connect(self.add_image)
        line.addWidget(self.image, 1)
        line.addWidget(self.add)
        self.box.addLayout(line)
        kind_line = QHBoxLayout()
        self.vhd_kind = named(QComboBox(), "vhd_type", self.tr("Virtual hard disk type"))
        self.vhd_kind.addItem(self.tr("Dynamically expanding (grows as it is written; zeroed space is skipped)"),
                              "dynamic")
        self.vhd_kind.addItem(self.tr("Fixed size (all of each disk's size allocated on the host now)"), "fixed")
        self.vhd_kind.currentIndexChanged.connect(self._edited)
        kind_label = QLabel(self.tr("Virtual hard disk &type:"))
        kind_label.setBuddy(self.vhd_kind)
        kind_line.addWidget(kind_label)
        kind_line.addWidget(self.vhd_kind, 1)
        self.box.addLayout(kind_line)
        self.freeze = named(QCheckBox(self.tr("&Freeze file systems during capture")), "freeze",
                            self.tr("Freeze file systems during capture"))
        self.freeze.setToolTip(self.tr("fsfreeze holds a mounted file system's writes while its disk is read, so the "
                                       "copy is consistent (never for / or the file system the copy is written to)"))
        self.freeze.toggled.connect(self._edited)
        self.box.addWidget(self.freeze)
        self.consistency = rich_label("consistency", self.tr("Crash-consistency"))
        self.box.addWidget(self.consistency)
        self.message = add_message(self.box, "volumes_message")
        self.check = DryRun(self, self.wiz.planned, self.changed)
        self._for: object = None  # the scan the rows were made for
        self.disks.setWhatsThis(self.tr("Check the disks or partitions to capture; each becomes a dynamic virtual "
                                        "hard disk, and zeroed space is skipped (--disk)."))
        self.image.setWhatsThis(self.tr("An image file on the host, captured as if it were one of the machine's disks "
                                        "(--disk PATH)."))
        self.freeze.setWhatsThis(self.tr("Freeze the mounted file systems (fsfreeze) while they are read, so that "
                                         "what is captured is consistent (--freeze)."))

    def initializePage(self) -> None:
        answer = self.wiz.system_page.answer()
        if answer is not self._for:
            self._for = answer
            images = [p for p, checked in self._rows() if p not in self._scanned()]
            chosen = {p for p, checked in self._rows() if checked}
            self.disks.blockSignals(True)
            self.disks.clear()
            for disk in ((answer or {}).get("scan") or {}).get("disks") or ():
                self._add_row(disk.get("path", ""), fmt.size(disk.get("size") or 0), ", ".join(mounted(disk)),
                              disk.get("path") in chosen)
            for path in images:
                self._add_row(path, "", self.tr("image file"), path in chosen)
            self.disks.blockSignals(False)
        self.check.run()
        self.changed()

    def _scanned(self) -> set[str]:
        return {d.get("path") for d in ((self._for or {}).get("scan") or {}).get("disks") or ()}

    def _add_row(self, path: str, size: str, where: str, checked: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([path, size, where])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(PATH, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.disks.addTopLevelItem(item)
        return item

    def _rows(self) -> list[tuple[str, bool]]:
        return [(self.disks.topLevelItem(i).text(PATH),
                 self.disks.topLevelItem(i).checkState(PATH) == Qt.CheckState.Checked)
                for i in range(self.disks.topLevelItemCount())]

    def add_image(self) -> None:
        """The path in the field as a checked row (the host checks it is a file in the dry run)."""
        path = self.image.text().strip()
        if not path:
            return
        for i in range(self.disks.topLevelItemCount()):
            if self.disks.topLevelItem(i).text(PATH) == path:
                self.disks.topLevelItem(i).setCheckState(PATH, Qt.CheckState.Checked)
                break
        else:
            self._add_row(path, "", self.tr("image file"), True)
        self.image.clear()
        self._edited()

    def _edited(self, *_args) -> None:
        self.check.schedule()
        self.changed()

    def chosen(self) -> list[str]:
        return [path for path, checked in self._rows() if checked]

    def mounted_chosen(self) -> list[str]:
        disks = {d.get("path"): d for d in ((self._for or {}).get("scan") or {}).get("disks") or ()}
        return [m for path in self.chosen() for m in mounted(disks.get(path) or {})]

    def vhd_type(self) -> str:
        """vm.convert.physical's ``vhd_type``: "dynamic" or "fixed"."""
        return self.vhd_kind.currentData() or "dynamic"

    def frozen(self) -> bool:
        return self.freeze.isChecked() and bool(self.mounted_chosen())

    def problem(self) -> str | None:
        if not self.chosen():
            return self.tr("Check at least one disk to capture (or add an image file).")
        return self.check.problem(self.tr("Planning the capture..."))

    def update_messages(self) -> None:
        self.freeze.setEnabled(bool(self.mounted_chosen()))
        planned = {d.get("source"): d.get("capacity") for d in
                   ((self.check.answer or {}).get("plan") or {}).get("disks") or ()} if self.check.ok else {}
        for i in range(self.disks.topLevelItemCount()):  # an image file's size, as the host's plan read it
            item = self.disks.topLevelItem(i)
            if not item.text(SIZE) and planned.get(item.text(PATH)):
                item.setText(SIZE, fmt.size(planned[item.text(PATH)]))
        report = (self.check.answer or {}).get("report") or [] if self.check.ok else []
        lines = [n.get("text", "") for n in report if n.get("code") in CONSISTENCY]
        if self.mounted_chosen() and not lines:
            lines = [self.tr("A mounted file system changes while its disk is read: the copy is not "
                             "crash-consistent unless it is frozen or captured from a snapshot.")]
        self.consistency.setText("".join(f"<p>\u26a0 {escape(t)}</p>" for t in lines))
        problem = self.problem()
        if problem and self.chosen() and not self.check.checking:
            self.message.set_error(problem)
        elif problem:
            self.message.set_info(problem)
        else:
            self.message.set_info(self.tr("Disks to capture: {count}. Nothing is written until Finish.").format(
                count=len(self.chosen())))
