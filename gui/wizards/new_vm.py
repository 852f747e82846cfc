"""The New Virtual Machine wizard (Hyper-V Manager's, with SCVMM's View Script).

Name and location -> Memory -> Processors -> Networking -> Virtual hard disk -> Installation options -> Summary.
Every page checks its fields as you type and says what is wrong next to them; Finish creates the VM through
``conn.new_vm`` in a worker, and if the host service refuses, its message appears on the summary page.
"""

from __future__ import annotations

import os
import shlex
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from core import api
from core.api import is_local_uri
from gui import format as fmt
from gui import validation as val
from gui.dialogs.script import ScriptDialog
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel

DISK_KINDS = (("Dynamically expanding (grows as the guest writes)", "dynamic"),
              ("Fixed size (takes its full size now)", "fixed"))
DISK_FORMATS = (("qcow2 (grows as the guest writes)", "qcow2"),  # a libvirt host's new disks
                ("raw (a plain image as big as its size)", "raw"))
DISK_PLACES = (("A volume in a storage pool of the host", "volume"),
               ("A file on this machine, made by qemu-img", "file"))
LIBVIRT_CONTROLLERS = {"synthetic": "virtio (paravirtual, fast)", "emulated": "IDE (emulated, slow)"}
MiB, GiB = 1 << 20, 1 << 30
VHD_MAX = 2040 * GiB
MAX_GIB = {False: 2040, True: 16 * 1024}  # is libvirt -> the largest new disk offered (a VHD holds 2040 GiB)


def images_folder(uri: str) -> str:
    """Where libvirt keeps disk images by default for this (local) URI."""
    if urlsplit(uri).path.rstrip("/") == "/session":
        return os.path.expanduser("~/.local/share/libvirt/images")
    return "/var/lib/libvirt/images"


def _form(page: QWidget) -> QFormLayout:
    """A form at the top of the page (the rest stays empty rather than spreading the rows apart)."""
    outer = QVBoxLayout(page)
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addLayout(form)
    outer.addStretch(1)
    return form


def _narrow(spin: QSpinBox) -> QSpinBox:
    spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000000 MiB") + 48)
    return spin


def _hint(text: str) -> QLabel:
    label = WrappedLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class _Page(QWizardPage):
    """A page whose fields are checked as you type: ``problem()`` returns what is wrong (or None)."""

    def __init__(self, title: str, subtitle: str, step: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.step = step

    def problem(self) -> str | None:
        return None

    def isComplete(self) -> bool:
        return self.problem() is None

    def changed(self) -> None:
        self.update_messages()
        self.completeChanged.emit()

    def update_messages(self) -> None:
        pass


class NamePage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Specify Name and Location", "Choose a name that helps you recognise this virtual machine.",
                         "Name and Location")
        self.wiz = wizard
        form = _form(self)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("for example web1")
        self.name.setMaxLength(200)
        self.name_message = FieldMessage()
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        self.notes_message = FieldMessage()
        self.location = WrappedLabel()
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setAccessibleName("Location")
        form.addRow("&Name:", self.name)
        form.addRow("", self.name_message)
        form.addRow("N&otes:", self.notes)
        form.addRow("", self.notes_message)
        form.addRow("Location:", self.location)
        for label_field in (self.name, self.notes):
            form.labelForField(label_field).setBuddy(label_field)
        self.name.textChanged.connect(self.changed)
        self.notes.textChanged.connect(self.changed)
        self.registerField("name*", self.name)

    def initializePage(self) -> None:
        store = self.wiz.host.get("store")
        where = f"{store}/vms" if store else "the host's store"
        self.location.setText(f"The host service keeps each virtual machine in its own folder under {where} "
                              "(the folder is named after the VM's id, so renaming never moves files).")

    def problem(self) -> str | None:
        return (val.name_problem(self.name.text(), self.wiz.existing_names)
                or val.notes_problem(self.notes.toPlainText()))

    def update_messages(self) -> None:
        text = self.name.text()
        # an empty name on a fresh page is not an error yet, just not finished
        self.name_message.set_error(val.name_problem(text, self.wiz.existing_names) if text else "")
        self.notes_message.set_error(val.notes_problem(self.notes.toPlainText()) or "")


class MemoryPage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Assign Memory", "Specify how much memory the virtual machine gets. The guest's memory is "
                         "mapped on first touch, so what it never uses costs the host nothing.", "Assign Memory")
        self.wiz = wizard
        form = _form(self)
        self.memory = QSpinBox()
        self.memory.setObjectName("memory")
        self.memory.setAccessibleName("Startup memory in MiB")
        self.memory.setSuffix(" MiB")
        self.memory.setSingleStep(2)
        self.memory.setRange(1, val.MAX_MEMORY_MIB)
        self.memory.setValue(64)
        self.memory.setKeyboardTracking(True)
        self.message = FieldMessage()
        self.limits = _hint("")
        form.addRow("Startup &memory:", _narrow(self.memory))
        form.labelForField(self.memory).setBuddy(self.memory)
        form.addRow("", self.message)
        form.addRow("", self.limits)
        self.memory.valueChanged.connect(self.changed)
        self.memory.textChanged.connect(self.changed)

    def host_memory(self) -> int:
        return (self.wiz.host.get("capabilities") or {}).get("memory_bytes") or 0

    def initializePage(self) -> None:
        limit = val.memory_limit_mib(self.host_memory())
        self.memory.setMaximum(limit + 2)  # one step beyond, so typing too much says why instead of clamping
        host = fmt.size(self.host_memory()) if self.host_memory() else "unknown"
        self.limits.setText(f"Between {val.MIN_MEMORY_MIB} MiB and {limit} MiB, in steps of 2 MiB. This host has "
                            f"{host}. The bundled guest runs in 4 MiB; 64 MiB leaves room for its memory workloads.")
        self.changed()

    def problem(self) -> str | None:
        return val.memory_problem(self.memory.value(), self.host_memory())

    def update_messages(self) -> None:
        self.message.set_error(self.problem() or "")


class ProcessorsPage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Configure Processors", "Each virtual processor is a thread of the host service running "
                         "guest code on a host processor.", "Processors")
        self.wiz = wizard
        form = _form(self)
        self.vcpus = QSpinBox()
        self.vcpus.setObjectName("vcpus")
        self.vcpus.setAccessibleName("Number of virtual processors")
        self.vcpus.setRange(1, val.MAX_VCPUS)
        self.message = FieldMessage()
        self.limits = _hint("")
        form.addRow("Number of virtual &processors:", _narrow(self.vcpus))
        form.labelForField(self.vcpus).setBuddy(self.vcpus)
        form.addRow("", self.message)
        form.addRow("", self.limits)
        self.vcpus.valueChanged.connect(self.changed)

    def limit(self) -> int:
        return val.vcpu_limit((self.wiz.host.get("capabilities") or {}).get("logical_processors"))

    def initializePage(self) -> None:
        self.vcpus.setMaximum(self.limit() + 1)
        self.limits.setText(f"Up to {self.limit()}: this host has "
                            f"{(self.wiz.host.get('capabilities') or {}).get('logical_processors', '?')} "
                            "logical processors.")
        self.changed()

    def problem(self) -> str | None:
        if self.vcpus.value() > self.limit():
            return f"At most {self.limit()} virtual processors on this host."
        return None

    def update_messages(self) -> None:
        self.message.set_error(self.problem() or "")


class NetworkPage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Configure Networking", "Each VM has one synthetic network adapter; choose the virtual "
                         "switch it connects to, or leave it not connected.", "Networking")
        self.wiz = wizard
        form = _form(self)
        row = QHBoxLayout()
        self.switch = QComboBox()
        self.switch.setObjectName("switch")
        self.switch.setAccessibleName("Connection")
        self.switch.addItem("Not connected", "")
        self.new_switch = QPushButton("New Virtual &Switch...")
        self.new_switch.clicked.connect(self._ask_switch)
        row.addWidget(self.switch, 1)
        row.addWidget(self.new_switch)
        form.addRow("&Connection:", row)
        form.labelForField(row).setBuddy(self.switch)
        self.ip = QLineEdit()
        self.ip.setObjectName("ip")
        self.ip.setAccessibleName("IPv4 address")
        self.ip.setPlaceholderText("automatic: the next free address on the switch")
        form.addRow("&IPv4 address:", self.ip)
        form.labelForField(self.ip).setBuddy(self.ip)
        self.message = FieldMessage()
        form.addRow("", self.message)
        self.switches: list[dict] = []
        self._loaded = False
        self.switch.currentIndexChanged.connect(self.changed)
        self.ip.textChanged.connect(self.changed)

    def initializePage(self) -> None:
        if not self._loaded:
            self.load()
        self.changed()

    def load(self, select: str = "") -> None:
        self.message.set_info("Looking up the host's virtual switches...")
        self.wiz.session.call(lambda conn: conn.switches(), owner=self,
                              on_done=lambda switches: self._loaded_switches(switches, select),
                              on_error=lambda e: self.message.set_error(f"Cannot list virtual switches: "
                                                                         f"{describe(e)}"))

    def _loaded_switches(self, switches: list[dict], select: str) -> None:
        self._loaded = True
        self.switches = switches
        current = select or self.switch.currentData() or ""
        self.switch.blockSignals(True)
        self.switch.clear()
        self.switch.addItem("Not connected", "")
        for sw in switches:
            self.switch.addItem(f"{sw['name']} ({sw.get('type', '')}, {sw.get('subnet', '')})", sw["name"])
        self.switch.setCurrentIndex(max(0, self.switch.findData(current)))
        self.switch.blockSignals(False)
        self.changed()

    def _ask_switch(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self)
        dialog.setObjectName("new_switch_dialog")
        dialog.setWindowTitle("New Virtual Switch")
        dialog.setLabelText("Name of the new private virtual switch (VMs on it can reach each other):")
        dialog.textValueSelected.connect(self.create_switch)
        dialog.open()

    def create_switch(self, name: str) -> None:
        self.message.set_info(f"Creating virtual switch '{name}'...")
        self.wiz.session.call(lambda conn: conn.new_switch(name).wait(check=True).result, owner=self,
                              on_done=lambda sw: self.load(select=sw["name"]),
                              on_error=lambda e: self.message.set_error(describe(e)))

    def problem(self) -> str | None:
        if not self.switch.currentData():
            return None
        return val.ip_problem(self.ip.text())

    def update_messages(self) -> None:
        connected = bool(self.switch.currentData())
        self.ip.setEnabled(connected)
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        elif not self._loaded:
            return
        elif not connected:
            self.message.set_info("Not connected: the VM gets a network adapter once you choose a switch in its "
                                  "settings." + ("" if self.switches else " This host has no virtual switches yet."))
        else:
            self.message.clear()

    def network(self) -> str:
        return self.switch.currentData() or ""


class DiskPage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Connect Virtual Hard Disk", "A virtual machine needs storage to keep what its guest writes.",
                         "Virtual Hard Disk")
        self.wiz = wizard
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.create = QRadioButton("&Create a virtual hard disk")
        self.existing = QRadioButton("&Use an existing virtual hard disk")
        self.none = QRadioButton("&Attach a virtual hard disk later")
        for i, b in enumerate((self.create, self.existing, self.none)):
            self.group.addButton(b, i)
        self.none.setChecked(True)
        layout.addWidget(self.create)
        session = self.wiz.session
        self.libvirt = bool(getattr(session, "is_libvirt", False))
        self.uri = str(getattr(session, "host_key", "")).removeprefix("libvirt:") if self.libvirt else ""
        self.local = self.libvirt and is_local_uri(self.uri)
        grid = QGridLayout()
        grid.setContentsMargins(24, 0, 0, 0)
        self.disk_where = QComboBox()
        self.disk_where.setObjectName("new_disk_where")
        for label, where in DISK_PLACES:
            self.disk_where.addItem(label, where)
        self.disk_name = QLineEdit()
        self.disk_name.setObjectName("new_disk_name")
        self.disk_name.setPlaceholderText("web1.qcow2" if self.libvirt else "web1.vhd")
        self.volume_name = QLabel()  # libvirt names a new volume after the VM: shown, not chosen
        self.volume_name.setObjectName("new_volume_name")
        self.volume_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.volume_name.setAccessibleName("New volume name")
        self.volume_name.setToolTip("libvirt names a new volume after the virtual machine and its format")
        name_row = QHBoxLayout()
        name_row.addWidget(self.disk_name, 1)
        name_row.addWidget(self.volume_name, 1)
        self.disk_folder = QLineEdit()
        self.disk_folder.setObjectName("new_disk_folder")
        self.folder_browse = QPushButton("Bro&wse...")
        self.folder_browse.clicked.connect(self._browse_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.disk_folder, 1)
        folder_row.addWidget(self.folder_browse)
        self.pool = QLineEdit("default")
        self.pool.setObjectName("new_disk_pool")
        self.pool.setPlaceholderText("default")
        self.pool.setToolTip("A storage pool of the host (virsh pool-list --all shows them)")
        self.disk_size = QSpinBox()
        self.disk_size.setObjectName("new_disk_size")
        self.disk_size.setRange(1, MAX_GIB[self.libvirt])
        self.disk_size.setValue(16)
        self.size_unit = QComboBox()
        self.size_unit.setObjectName("new_disk_unit")
        self.size_unit.addItem("GiB", GiB)
        self.size_unit.addItem("MiB", MiB)
        size_row = QHBoxLayout()
        size_row.addWidget(_narrow(self.disk_size))
        size_row.addWidget(self.size_unit)
        size_row.addStretch(1)
        self.disk_type = QComboBox()
        self.disk_type.setObjectName("new_disk_type")
        for label, kind in DISK_FORMATS if self.libvirt else DISK_KINDS:
            self.disk_type.addItem(label, kind)
        self.row_labels: dict[str, QLabel] = {}
        rows = (("Create as:", self.disk_where), ("Name:", name_row), ("Location:", folder_row),
                ("Storage pool:", self.pool), ("Size:", size_row),
                ("Format:" if self.libvirt else "Type:", self.disk_type))
        for row, (label, w) in enumerate(rows):
            self.row_labels[label] = QLabel(label)
            grid.addWidget(self.row_labels[label], row, 0)
            if isinstance(w, QWidget):
                grid.addWidget(w, row, 1)
                w.setAccessibleName(f"New disk {label.rstrip(':').lower()}")
            else:
                grid.addLayout(w, row, 1)
        self.disk_name.setAccessibleName("New disk name")
        self.disk_size.setAccessibleName("New disk size")
        self.disk_folder.setAccessibleName("Folder of the new disk")
        layout.addLayout(grid)
        self.new_message = FieldMessage()
        self.new_message.setIndent(24)
        layout.addWidget(self.new_message)
        self._name_edited = False
        self._new_checked: tuple[tuple, dict] | None = None  # (what was checked, {"problem", "mkdir"})
        self._pools: dict[str, dict] | None = None  # a libvirt host's storage pools by name, once they arrived
        self._pool_edited = False
        self.pool.textEdited.connect(lambda _t: setattr(self, "_pool_edited", True))
        self._new_timer = QTimer(self, singleShot=True, interval=250, timeout=self._check_new)
        self.disk_name.textEdited.connect(lambda _t: setattr(self, "_name_edited", True))
        self.disk_type.currentIndexChanged.connect(self._format_changed)
        self.disk_where.currentIndexChanged.connect(self._where_changed)
        for signal in (self.disk_name.textChanged, self.disk_folder.textChanged, self.disk_size.valueChanged,
                       self.size_unit.currentIndexChanged, self.disk_type.currentIndexChanged,
                       self.disk_where.currentIndexChanged, self.pool.textChanged):
            signal.connect(self._new_edited)
        self.size_unit.currentIndexChanged.connect(self._unit_changed)
        layout.addWidget(self.existing)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("disk_path")
        self.path.setAccessibleName("Existing virtual hard disk file")
        self.path.setPlaceholderText("/var/lib/libvirt/images/disk.qcow2" if self.libvirt else "/path/to/disk.vhd")
        self.browse = QPushButton("B&rowse...")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form.addRow("Location:", row)
        self.controller = QComboBox()
        self.controller.setObjectName("disk_controller")
        self.controller.setAccessibleName("Disk controller")
        self.controller.addItem("Synthetic SCSI over VMBus (fast)", "synthetic")
        self.controller.addItem("Emulated IDE (every register access traps)", "emulated")
        if self.libvirt:  # the same choice, as libvirt names the buses
            for i in range(self.controller.count()):
                self.controller.setItemText(i, LIBVIRT_CONTROLLERS[self.controller.itemData(i)])
        form.addRow("Controller:", self.controller)
        layout.addLayout(form)
        self.path_message = FieldMessage()
        self.path_message.setIndent(24)
        layout.addWidget(self.path_message)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self._checked: tuple[str, str | None] | None = None
        self._timer = QTimer(self, singleShot=True, interval=250, timeout=self._check)
        self.group.idToggled.connect(lambda *_: self._mode_changed())
        self.path.textChanged.connect(self._edited)
        if self.libvirt:
            self.create.setToolTip("A new qcow2 or raw disk, made by libvirt in the job that creates the virtual "
                                   "machine")
        else:
            self.create.setToolTip("A new VHD file on the host, made by the host service as a job before the "
                                   "virtual machine")
        self._where_changed()
        self._mode_changed()

    def initializePage(self) -> None:
        if self.libvirt and self._pools is None:
            self.wiz.session.call(lambda conn: conn.storage_pools(), owner=self, on_done=self._pools_loaded,
                                  on_error=lambda _e: None)  # then libvirt names a missing pool at Finish
        if not self.disk_folder.text():
            store = self.wiz.host.get("store") or ""
            if self.libvirt:
                self.disk_folder.setText(images_folder(self.uri) if self.local else "")
            else:
                self.disk_folder.setText(os.path.join(store, "disks") if store else "")
        self._name_defaults()
        self._mode_changed()

    def vm_name(self) -> str:
        return self.wiz.name_page.name.text().strip() or "disk0"

    def _name_defaults(self) -> None:
        """The new disk is named after the VM (and its format on libvirt) until the user names the file."""
        ext = self.disk_type.currentData() if self.libvirt else "vhd"
        self.volume_name.setText(f"{self.vm_name()}.{ext}")
        if not self._name_edited:
            self.disk_name.setText(f"{self.vm_name()}.{ext}")

    def volume_mode(self) -> bool:
        return self.libvirt and self.disk_where.currentData() == "volume"

    def _where_changed(self) -> None:
        """On libvirt: a volume (named after the VM, in a pool) or a file here (any name, in a folder)."""
        if not self.local:
            self.disk_where.setCurrentIndex(self.disk_where.findData("volume"))
        volume = self.volume_mode()
        self.disk_where.setVisible(self.local)
        self.row_labels["Create as:"].setVisible(self.local)
        self.disk_name.setVisible(not volume)
        self.volume_name.setVisible(volume)
        for w in (self.disk_folder, self.folder_browse, self.row_labels["Location:"]):
            w.setVisible(not volume)
        self.pool.setVisible(volume)
        self.row_labels["Storage pool:"].setVisible(volume)

    def _format_changed(self) -> None:
        if self.libvirt:
            self._name_defaults()

    def _mode_changed(self) -> None:
        existing = self.existing.isChecked()
        create = self.create.isChecked()
        for w in (self.path, self.browse, self.controller):
            w.setEnabled(existing or (w is self.controller and create))
        if self.libvirt and not self.local:  # the files are on that host, not here
            self.browse.setEnabled(False)
            self.browse.setToolTip(f"The disk is a file on {self.uri}: type its path there")
        for w in (self.disk_name, self.volume_name, self.disk_folder, self.folder_browse, self.disk_size,
                  self.size_unit, self.disk_type, self.disk_where, self.pool):
            w.setEnabled(create)
        if existing:
            self._edited()
        if create:
            self._new_edited()
        self.changed()

    def _unit_changed(self) -> None:
        gib = MAX_GIB[self.libvirt]
        self.disk_size.setMaximum(gib if self.size_unit.currentData() == GiB else gib * 1024)

    def _browse_folder(self) -> None:
        dialog = QFileDialog(self, "Folder for the new virtual hard disk", self.disk_folder.text() or
                             os.path.expanduser("~"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.disk_folder.setText)
        dialog.open()

    def new_disk(self) -> dict | None:
        """{"path", "folder", "name", "size", "kind", "size_text", "mkdir", "where", "pool"} of the disk to create,
        or None. "where" is "file" (a VHD, or on libvirt qemu-img's file at "path") or "volume" (on libvirt, a volume
        "name" in "pool"; "path" is empty). On libvirt "kind" is the format, qcow2 or raw."""
        if not self.create.isChecked():
            return None
        unit = self.size_unit.currentData()
        size = self.disk_size.value() * unit
        d = {"size": size, "kind": self.disk_type.currentData(),
             "size_text": f"{self.disk_size.value()}{'G' if unit == GiB else 'M'}", "where": "file", "pool": ""}
        if self.volume_mode():
            return {**d, "where": "volume", "path": "", "folder": "", "name": self.volume_name.text(),
                    "pool": self.pool.text().strip(), "mkdir": False}
        folder = os.path.expanduser(self.disk_folder.text().strip())
        name = self.disk_name.text().strip()
        return {**d, "path": os.path.join(folder, name), "folder": folder, "name": name,
                "mkdir": bool(self._new_checked and self._new_checked[1].get("mkdir"))}

    def libvirt_params(self) -> dict:
        """What vm.new takes on a libvirt host to create the new disk in the VM's own job (disk is the file's path,
        or empty for a volume)."""
        d = self.new_disk()
        if d is None or not self.libvirt:
            return {}
        extra = {"disk_size": d["size"], "disk_format": d["kind"]}
        return {**extra, "pool": d["pool"]} if d["where"] == "volume" else extra

    def _new_key(self) -> tuple:
        d = self.new_disk() or {}
        return d.get("where"), d.get("path"), d.get("size"), d.get("kind"), d.get("pool")

    def _new_edited(self, *_args) -> None:
        self._new_checked = None
        if self.create.isChecked():
            self._new_timer.start()
        self.changed()

    def _check_new(self) -> None:
        d = self.new_disk()
        if d is None or d["where"] == "volume":  # the pool's name is checked as typed; libvirt says if it is missing
            return
        key = self._new_key()
        self.wiz.session.tasks.run(val.new_disk_problem, d["folder"], d["name"], d["size"], d["kind"], owner=self,
                                   on_done=lambda result, k=key: self._new_done(k, result))

    def _new_done(self, key: tuple, result: dict) -> None:
        if key == self._new_key():
            self._new_checked = (key, result)
            self.changed()

    def _edited(self) -> None:
        self._checked = None
        if self.existing.isChecked():
            self._timer.start()
        self.changed()

    def _check(self) -> None:
        path = self.path.text()
        if self.libvirt and not self.local:  # a path on that host: nothing here to look at; libvirt checks it
            self._done(path, None if path.strip().startswith("/") else
                       f"Give the disk's full path on {urlsplit(self.uri).hostname or self.uri}, from /.")
            return
        self.wiz.session.tasks.run(val.disk_problem, path, owner=self,
                                   on_done=lambda problem, p=path: self._done(p, problem))

    def _done(self, path: str, problem: str | None) -> None:
        if path == self.path.text():
            self._checked = (path, problem)
            self.changed()

    def _browse(self) -> None:
        dialog = QFileDialog(self, "Choose a virtual hard disk", os.path.expanduser("~"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["Virtual hard disks (*.vhd *.img *.raw)", "All files (*)"])
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _pools_loaded(self, pools: list[dict]) -> None:
        """The host's storage pools arrived: offer their names and check the typed one against them."""
        self._pools = {p["name"]: p for p in pools}
        completer = QCompleter(sorted(self._pools), self.pool)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)
        self.pool.setCompleter(completer)
        active = [p["name"] for p in pools if p["active"]]
        if not self._pool_edited and active and self.pool.text().strip() not in self._pools:
            self.pool.setText("default" if "default" in active else active[0])
        self.changed()

    def problem(self) -> str | None:
        if self.create.isChecked():
            d = self.new_disk()
            if d["where"] == "volume":
                quick = val.pool_problem(d["pool"])
                if quick or self._pools is None:
                    return quick
                pool = self._pools.get(d["pool"])
                if pool is None:
                    names = ", ".join(sorted(self._pools)) or "none"
                    return f"{self.uri} has no storage pool '{d['pool']}' (it has: {names})."
                if not pool["active"]:
                    return f"The storage pool '{d['pool']}' is not active (virsh pool-start {d['pool']})."
                if pool["available"] and d["size"] > pool["available"] and d["kind"] == "raw":
                    return (f"A raw volume takes its full size at once: {fmt.size(d['size'])} is more than the "
                            f"{fmt.size(pool['available'])} free in '{d['pool']}'.")
                return None
            quick = val.new_disk_name_problem(d["name"], d["kind"])
            if quick:
                return quick
            if self._new_checked is None or self._new_checked[0] != self._new_key():
                return "Checking the location..."
            return self._new_checked[1].get("problem")
        if not self.existing.isChecked():
            return None
        if not self.path.text().strip():
            return "Choose the virtual hard disk file."
        if self._checked is None or self._checked[0] != self.path.text():
            return "Checking the disk..."
        return self._checked[1]

    def update_messages(self) -> None:
        if self.create.isChecked():
            problem = self.problem()
            d = self.new_disk()
            if problem and problem != "Checking the location...":
                self.new_message.set_error(problem)
            elif problem:
                self.new_message.set_info(problem)
            else:
                self.new_message.set_info(self._new_note(d))
        else:
            self.new_message.clear()
        if not self.existing.isChecked() or not self.path.text().strip():
            self.path_message.clear()
        elif self._checked is None:
            self.path_message.set_info("Checking the disk...")
        elif self._checked[1]:
            self.path_message.set_error(self._checked[1])
        else:
            self.path_message.set_info(
                f"{self.uri} opens it when it creates the VM (a path on that host)." if self.libvirt and not self.local
                else "Found. The host checks its format when it creates the VM.")

    def _new_note(self, d: dict) -> str:
        if not self.libvirt:
            grows = "fixed: all of it now" if d["kind"] == "fixed" else "dynamic: it grows as the guest writes"
            note = (f"The host service creates {d['path']} ({fmt.size(d['size'])}, {grows}) as a job, then the "
                    "virtual machine with it.")
            if d["mkdir"]:
                note += f" The folder {d['folder']} is created first."
            return note
        what = f"{fmt.size(d['size'])}, {d['kind']}"
        if d["where"] == "volume":
            pool = (self._pools or {}).get(d["pool"])
            free = f", {fmt.size(pool['available'])} free" if pool and pool["available"] else ""
            return (f"The job that creates the virtual machine first creates the volume {d['name']} ({what}) in the "
                    f"storage pool '{d['pool']}' of {self.uri}{free}.")
        return (f"The job that creates the virtual machine first runs qemu-img on this machine to create "
                f"{d['path']} ({what}).")

    def controller_text(self, controller: str) -> str:
        return LIBVIRT_CONTROLLERS.get(controller, controller).split(" (")[0] if self.libvirt else controller

    def disk(self) -> tuple[str, str]:
        if self.create.isChecked():
            d = self.new_disk()
            return d["path"], self.controller.currentData()
        if not self.existing.isChecked():
            return "", "synthetic"
        return os.path.expanduser(self.path.text().strip()), self.controller.currentData()


class InstallPage(_Page):
    checked = Signal()

    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Installation Options", "Choose the guest the virtual machine boots.", "Installation Options")
        self.wiz = wizard
        layout = QVBoxLayout(self)
        self.bundled = QRadioButton("The &bundled Bulkhead guest, running a workload profile")
        self.bundled.setChecked(True)
        self.other = QRadioButton("&Another guest image file (ELF64)")
        group = QButtonGroup(self)
        group.addButton(self.bundled)
        group.addButton(self.other)
        layout.addWidget(self.bundled)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        self.workload = QComboBox()
        self.workload.setObjectName("workload")
        self.workload.setAccessibleName("Workload profile")
        for kind, label, _unit in val.WORKLOADS:
            self.workload.addItem(label, kind)
        self.amount = QSpinBox()
        self.amount.setObjectName("amount")
        self.amount.setAccessibleName("Workload amount")
        form.addRow("&Workload:", self.workload)
        form.labelForField(self.workload).setBuddy(self.workload)
        form.addRow("Amount:", _narrow(self.amount))
        self.amount_label = form.labelForField(self.amount)
        layout.addLayout(form)
        layout.addWidget(self.other)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        self.image = QLineEdit()
        self.image.setObjectName("image")
        self.image.setAccessibleName("Guest image file")
        self.image.setPlaceholderText("/path/to/guest.elf")
        self.browse = QPushButton("B&rowse...")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.image, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.image_message = FieldMessage()
        self.image_message.setIndent(24)
        layout.addWidget(self.image_message)
        cmd_form = QFormLayout()
        self.cmdline = QLineEdit()
        self.cmdline.setObjectName("cmdline")
        self.cmdline.setAccessibleName("Extra guest command line")
        self.cmdline.setPlaceholderText("optional: more words for the guest kernel's command line")
        cmd_form.addRow("Extra guest &command line:", self.cmdline)
        cmd_form.labelForField(self.cmdline).setBuddy(self.cmdline)
        layout.addLayout(cmd_form)
        self.cmdline_message = FieldMessage()
        layout.addWidget(self.cmdline_message)
        self.integration = QCheckBox("&Integration services (heartbeat, shutdown, time sync, data exchange)")
        self.integration.setToolTip("Offered to the guest over VMBus; the bundled guest uses all of them")
        self.integration.setObjectName("integration_services")
        self.integration.setChecked(True)
        layout.addWidget(self.integration)
        layout.addStretch(1)
        self._image_state: tuple[str, str | None] | None = None  # (path, problem) once checked
        self._check_timer = QTimer(self, singleShot=True, interval=250, timeout=self._check_image)
        self.workload.currentIndexChanged.connect(self._workload_changed)
        self.amount.valueChanged.connect(self.changed)
        self.bundled.toggled.connect(self._source_changed)
        self.image.textChanged.connect(self._image_edited)
        self.cmdline.textChanged.connect(self.changed)
        self._workload_changed()
        self._source_changed()

    def _workload_changed(self) -> None:
        kind = self.workload.currentData()
        limits = val.WORKLOAD_LIMITS.get(kind)
        unit = dict((k, u) for k, _l, u in val.WORKLOADS).get(kind)
        self.amount.setVisible(limits is not None)
        self.amount_label.setVisible(limits is not None)
        if limits:
            lo, hi, default = limits
            self.amount.blockSignals(True)
            self.amount.setRange(lo, hi)
            self.amount.setValue(default)
            self.amount.setSuffix(f" {unit}")
            self.amount.blockSignals(False)
            self.amount.setAccessibleName("CPU load in percent" if kind == "cpu" else "Memory dirtied per second, MiB")
        self.changed()

    def _source_changed(self) -> None:
        bundled = self.bundled.isChecked()
        self.workload.setEnabled(bundled)
        self.amount.setEnabled(bundled)
        self.image.setEnabled(not bundled)
        self.browse.setEnabled(not bundled)
        if not bundled:
            self._image_edited()
        self.changed()

    def _image_edited(self) -> None:
        self._image_state = None
        if self.other.isChecked():
            self._check_timer.start()
        self.changed()

    def _check_image(self) -> None:
        path = self.image.text()
        self.wiz.session.tasks.run(val.image_problem, path, owner=self,
                                   on_done=lambda problem, p=path: self._image_checked(p, problem))

    def _image_checked(self, path: str, problem: str | None) -> None:
        if path == self.image.text():
            self._image_state = (path, problem)
            self.changed()

    def _browse(self) -> None:
        dialog = QFileDialog(self, "Choose a guest image", os.path.expanduser("~"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["ELF images (*.elf)", "All files (*)"])
        dialog.fileSelected.connect(self.image.setText)
        dialog.open()

    def workload_value(self) -> str:
        if not self.bundled.isChecked():
            return "idle"
        kind = self.workload.currentData()
        return val.workload_string(kind, self.amount.value())

    def image_value(self) -> str:
        return "" if self.bundled.isChecked() else os.path.expanduser(self.image.text().strip())

    def problem(self) -> str | None:
        if self.other.isChecked():
            if not self.image.text().strip():
                return "Choose a guest image file."
            if self._image_state is None or self._image_state[0] != self.image.text():
                return "Checking the image..."
            if self._image_state[1]:
                return self._image_state[1]
        return val.cmdline_problem(self.cmdline.text(), self.wiz.name_page.name.text().strip(), self.workload_value())

    def update_messages(self) -> None:
        if self.other.isChecked() and self.image.text().strip():
            if self._image_state is None:
                self.image_message.set_info("Checking the image...")
            else:
                self.image_message.set_error(self._image_state[1] or "")
                if not self._image_state[1]:
                    self.image_message.set_info("An ELF64 image: the host service checks it fits the memory when "
                                                "it creates the VM.")
        else:
            self.image_message.clear()
        self.cmdline_message.set_error(val.cmdline_problem(self.cmdline.text(), self.wiz.name_page.name.text().strip(),
                                                           self.workload_value()) or "")


def create_with_disk(conn, disk: dict, params: dict) -> dict:
    """Worker: the new disk (a job the host runs; the jobs strip shows it), then the VM that uses it."""
    if disk.get("mkdir"):
        os.makedirs(disk["folder"], exist_ok=True)
    job = conn.new_disk(disk["path"], disk["size"], disk["kind"]).wait()
    if job.state != "Completed":
        raise api.OperationFailed(f"cannot create the virtual hard disk: {job.error or job.state}")
    try:
        return conn.new_vm(**params).to_dict()
    except api.BulkheadError as e:
        raise type(e)(f"{e} (the new disk {disk['path']} was kept: choose it as an existing disk)") from None


def with_new_disk(script, disk: dict) -> tuple[str, str, str]:
    """View Script for a VM with a new disk: the disk's step before the VM's, on the command line and in Python."""

    words = ["bulkhead", "disk", "new", disk["path"], "--size", disk["size_text"]]
    if disk["kind"] != "dynamic":
        words += ["--type", disk["kind"]]
    lines = [shlex.join(["mkdir", "-p", disk["folder"]])] if disk.get("mkdir") else []
    command = "\n".join([*lines, shlex.join(words), script.command_line])
    step = f"    conn.new_disk({disk['path']!r}, {disk['size_text']!r}, kind={disk['kind']!r}).wait(check=True)\n"
    if disk.get("mkdir"):
        step = f"    os.makedirs({disk['folder']!r}, exist_ok=True)\n" + step
    python = script.python.replace("    job = conn.new_vm(", step + "    job = conn.new_vm(", 1)
    if disk.get("mkdir"):
        python = python.replace("from core import api\n", "import os\n\nfrom core import api\n", 1)
    python = python.replace("# Create a virtual machine", "# Create a virtual hard disk and a virtual machine", 1)
    return "Create a virtual hard disk and a virtual machine", command, python


class SummaryPage(_Page):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__("Completing the New Virtual Machine Wizard",
                         "Check what will be created. Back changes it; Finish creates it.", "Summary")
        self.wiz = wizard
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.start = QCheckBox("&Start the virtual machine after creating it")
        self.start.setObjectName("start_after")
        layout.addWidget(self.start)
        row = QHBoxLayout()
        self.view_script = QPushButton("&View Script...")
        self.view_script.setObjectName("view_script_button")
        self.view_script.setToolTip("Show the command line and the Python script that create this VM")
        self.view_script.clicked.connect(wizard.show_script)
        row.addWidget(self.view_script)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = FieldMessage()
        self.error.setObjectName("create_error")
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        p = self.wiz.params()
        image = "Bundled Bulkhead guest" if not p["image"] else p["image"]
        network = p["network"] + (f" ({p['ip']})" if p["ip"] else "") if p["network"] else "Not connected"
        controller = f"({self.wiz.disk_page.controller_text(p['disk_controller'])} controller)"
        disk = f"{p['disk']} {controller}" if p["disk"] else "None"
        new_disk = self.wiz.disk_page.new_disk()
        if new_disk is not None:
            size = f"{fmt.size(new_disk['size'])} {new_disk['kind']}"
            if new_disk["where"] == "volume":
                disk = f"New: volume {new_disk['name']} in storage pool '{new_disk['pool']}', {size} {controller}"
            elif self.wiz.disk_page.libvirt:
                disk = f"New: {new_disk['path']}, {size}, made by qemu-img {controller}"
            else:
                disk = f"New: {new_disk['path']}, {size} {controller}"
        rows = [("Name", p["name"]), ("Memory", fmt.size(p["memory"])), ("Virtual processors", p["vcpus"]),
                ("Network", network), ("Virtual hard disk", disk), ("Guest image", image),
                ("Workload", fmt.workload_text(p["workload"])),
                ("Integration services", "On" if p["integration_services"] else "Off")]
        if p["cmdline"]:
            rows.append(("Extra command line", p["cmdline"]))
        if p["notes"]:
            rows.append(("Notes", p["notes"].splitlines()[0] + (" ..." if "\n" in p["notes"] else "")))
        from html import escape

        self.summary.setText("<table cellspacing='4'>" + "".join(
            f"<tr><td><b>{escape(k)}:</b></td><td>{escape(str(v))}</td></tr>" for k, v in rows) + "</table>")
        self.error.clear()


class NewVmWizard(QWizard):
    """Needs the console session (connection, tasks, host info, existing names)."""

    created = Signal(object)  # the creation job (a dict)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("new_vm_wizard")
        self.setWindowTitle("New Virtual Machine Wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.host = dict(session.host or {})
        self.existing_names = session.vm_model.names()
        self.name_page = NamePage(self)
        self.memory_page = MemoryPage(self)
        self.processors_page = ProcessorsPage(self)
        self.network_page = NetworkPage(self)
        self.disk_page = DiskPage(self)
        self.install_page = InstallPage(self)
        self.summary_page = SummaryPage(self)
        self.pages = [self.name_page, self.memory_page, self.processors_page, self.network_page, self.disk_page,
                      self.install_page, self.summary_page]
        for page in self.pages:
            self.addPage(page)
        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setAccessibleName("Wizard steps")
        self.steps.setFrameShape(QListWidget.Shape.NoFrame)
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.steps.addItems([p.step for p in self.pages])
        self.steps.setFixedWidth(max(self.steps.sizeHintForColumn(0) + 24, 170))
        # kept on self: PySide6's setSideWidget does not take ownership, the wrapper would delete the widget
        self.side = QWidget()
        side_layout = QVBoxLayout(self.side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.steps)
        self.setSideWidget(self.side)
        self.currentIdChanged.connect(self._page_changed)
        self._creating = False
        self.script_dialog: ScriptDialog | None = None
        self.resize(760, 500)
        self._page_changed(0)

    def _page_changed(self, current: int) -> None:
        for i in range(self.steps.count()):
            item = self.steps.item(i)
            font = QFont(self.steps.font())
            font.setBold(i == current)
            item.setFont(font)

    def params(self) -> dict:
        return {
            "name": self.name_page.name.text().strip(),
            "memory": self.memory_page.memory.value() << 20,
            "vcpus": self.processors_page.vcpus.value(),
            "workload": self.install_page.workload_value(),
            "image": self.install_page.image_value(),
            "cmdline": self.install_page.cmdline.text().strip(),
            "notes": self.name_page.notes.toPlainText(),
            "disk": self.disk_page.disk()[0],
            "disk_controller": self.disk_page.disk()[1],
            "network": self.network_page.network(),
            "ip": self.network_page.ip.text().strip() if self.network_page.network() else "",
            "integration_services": self.install_page.integration.isChecked(),
            "start": self.summary_page.start.isChecked(),
            **self.disk_page.libvirt_params(),
        }

    def show_script(self) -> None:
        params = self.params()
        new_disk = self.disk_page.new_disk()
        libvirt = self.disk_page.libvirt  # there the VM's own job makes the new disk: one command, one call
        button = self.summary_page.view_script
        button.setEnabled(False)

        def shown(script) -> None:
            button.setEnabled(True)
            title, command, python = script.title, script.command_line, script.python
            if new_disk is not None and not libvirt:
                title, command, python = with_new_disk(script, new_disk)
            self.script_dialog = ScriptDialog(title, command, python, self)
            self.script_dialog.open()

        def failed(error: BaseException) -> None:
            button.setEnabled(True)
            self.summary_page.error.set_error(describe(error))

        self.session.call(lambda conn: conn.script("vm.new", **params), owner=self, on_done=shown,
                          on_error=failed)

    def accept(self) -> None:
        """Finish: create the new disk (a job) and then the VM, in a worker (on libvirt one job does both); stay
        open with the service's message if it refuses."""
        if self._creating:
            return
        self._creating = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        params = self.params()
        new_disk = self.disk_page.new_disk()
        if new_disk is None or self.disk_page.libvirt:  # on libvirt the VM's job makes its new disk too
            self.summary_page.error.set_info(f"Creating the virtual machine and its new disk {new_disk['name']}..."
                                             if new_disk else "Creating the virtual machine...")
            self.session.call(lambda conn: conn.new_vm(**params).to_dict(), owner=self, on_done=self._created,
                              on_error=self._failed)
            return
        self.summary_page.error.set_info(f"Creating the virtual hard disk {new_disk['name']}, then the virtual "
                                         "machine...")
        self.session.call(create_with_disk, new_disk, params, owner=self, on_done=self._created,
                          on_error=self._failed)

    def _created(self, job: dict) -> None:
        self._creating = False
        self.session.track_job(job)
        self.created.emit(job)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._creating = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.summary_page.error.set_error(f"The host did not create the virtual machine: {describe(error)}")
