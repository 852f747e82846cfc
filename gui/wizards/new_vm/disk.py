"""Connect Virtual Hard Disk: a new disk, an existing one, or none yet.

What a new disk can be comes from the host (see host.py): a disk.new job before the VM's (a VHD), or made in the
VM's own job (vm.new takes disk_size): a volume in a storage pool (the "pools" capability) or a file made here by
qemu-img (a host whose paths are this machine's). A path is checked on this machine only when the host's paths are
this machine's; elsewhere it is a path on that host, checked there.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui import operations as ops
from gui import validation as val
from gui.widgets.field_message import FieldMessage

from .common import GiB, MiB, Page, PathCheck, browse, browses_host, can_browse, narrow
from .disk_text import (
    CHECKING_LOCATION,
    controller_labels,
    format_label,
    new_disk_note,
    place_label,
    pool_problem,
    size_max_gib,
)


class DiskPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Connect Virtual Hard Disk"),
                         self.tr("A virtual machine needs storage to keep what its guest writes."),
                         self.tr("Virtual Hard Disk"), layout=QVBoxLayout)
        self.group = QButtonGroup(self)
        self.create = QRadioButton(self.tr("&Create a virtual hard disk"))
        self.existing = QRadioButton(self.tr("&Use an existing virtual hard disk"))
        self.none = QRadioButton(self.tr("&Attach a virtual hard disk later"))
        for i, b in enumerate((self.create, self.existing, self.none)):
            self.group.addButton(b, i)
        self.none.setChecked(True)
        self.box.addWidget(self.create)
        self._build_new(self.box)
        self.box.addWidget(self.existing)
        self._build_existing(self.box)
        self.box.addWidget(self.none)
        self.box.addStretch(1)
        self._name_edited = False
        self._new_checked: tuple[tuple, dict] | None = None  # (what was checked, {"problem", "mkdir"})
        self._pools: dict[str, dict] | None = None  # the host's storage pools by name, once they arrived
        self._pools_asked = False
        self._pool_edited = False
        self._formats: tuple[str, ...] = ()
        self._places: tuple[str, ...] = ()
        self._new_timer = QTimer(self, singleShot=True, interval=250, timeout=self._check_new)
        self.path_check = PathCheck(self, self.path, self.existing, val.disk_problem,
                                    self.tr("Give the disk's full path on {host}, from /."))
        self.pool.textEdited.connect(lambda _t: setattr(self, "_pool_edited", True))
        self.disk_name.textEdited.connect(lambda _t: setattr(self, "_name_edited", True))
        self.disk_type.currentIndexChanged.connect(self._format_changed)
        self.disk_where.currentIndexChanged.connect(self._where_changed)
        for signal in (self.disk_name.textChanged, self.disk_folder.textChanged, self.disk_size.valueChanged,
                       self.size_unit.currentIndexChanged, self.disk_type.currentIndexChanged,
                       self.disk_where.currentIndexChanged, self.pool.textChanged):
            signal.connect(self._new_edited)
        self.size_unit.currentIndexChanged.connect(self._unit_changed)
        self.group.idToggled.connect(lambda *_: self._mode_changed())
        self.apply_host()
        self.create.setWhatsThis(self.tr("Make a new virtual hard disk for this VM: a dynamic VHD grows as the guest "
                                         "writes, a fixed one takes its whole size at once."))
        self.existing.setWhatsThis(self.tr("Attach a virtual hard disk file that exists already (VHD, raw image or "
                                           "qcow2), for example one made with bulkhead disk new (--disk)."))
        self.none.setWhatsThis(self.tr("No disk now: add one later in the VM's settings. The bundled guest runs "
                                       "without a disk."))
        self.disk_name.setWhatsThis(self.tr("The new disk's file name (on a libvirt host: the name of the new volume "
                                            "in its storage pool)."))
        self.disk_folder.setWhatsThis(self.tr("The folder on the host that the new disk file is created in."))
        self.disk_size.setWhatsThis(self.tr("The new disk's virtual size, as the guest sees it. A dynamic disk takes "
                                            "space on the host only as the guest writes."))
        self.disk_type.setWhatsThis(self.tr("Dynamic: the file grows as the guest writes (Hyper-V's dynamically "
                                            "expanding VHD). Fixed: all its space is taken at once, which is a little "
                                            "faster."))
        self.path.setWhatsThis(self.tr("The full path of the existing virtual hard disk on the host."))
        self.controller.setWhatsThis(self.tr("How the guest reaches the disk: the synthetic controller forwards "
                                             "requests over the VMBus (fast, for an enlightened guest); the emulated "
                                             "IDE controller works with any guest, but every register access traps to "
                                             "the host (--disk-controller)."))

    # --- building ------------------------------------------------------------------------------------------------
    def _build_new(self, layout: QVBoxLayout) -> None:
        grid = QGridLayout()
        grid.setContentsMargins(24, 0, 0, 0)
        self.disk_where = QComboBox()
        self.disk_where.setObjectName("new_disk_where")
        self.disk_name = QLineEdit()
        self.disk_name.setObjectName("new_disk_name")
        self.volume_name = QLabel()  # a new volume is named after the VM: shown, not chosen
        self.volume_name.setObjectName("new_volume_name")
        self.volume_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.volume_name.setAccessibleName(self.tr("New volume name"))
        self.volume_name.setToolTip(self.tr("A new volume is named after the virtual machine and its format"))
        name_row = QHBoxLayout()
        name_row.addWidget(self.disk_name, 1)
        name_row.addWidget(self.volume_name, 1)
        self.disk_folder = QLineEdit()
        self.disk_folder.setObjectName("new_disk_folder")
        self.folder_browse = QPushButton(self.tr("Bro&wse..."))
        self.folder_browse.clicked.connect(self._browse_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.disk_folder, 1)
        folder_row.addWidget(self.folder_browse)
        self.pool = QLineEdit("default")
        self.pool.setObjectName("new_disk_pool")
        self.pool.setPlaceholderText("default")
        self.pool.setToolTip(self.tr("A storage pool of the host (virsh pool-list --all shows them)"))
        self.disk_size = QSpinBox()
        self.disk_size.setObjectName("new_disk_size")
        self.disk_size.setRange(1, size_max_gib("dynamic"))
        self.disk_size.setValue(16)
        self.size_unit = QComboBox()
        self.size_unit.setObjectName("new_disk_unit")
        self.size_unit.addItem(self.tr("GiB"), GiB)
        self.size_unit.addItem(self.tr("MiB"), MiB)
        size_row = QHBoxLayout()
        size_row.addWidget(narrow(self.disk_size))
        size_row.addWidget(self.size_unit)
        size_row.addStretch(1)
        self.disk_type = QComboBox()
        self.disk_type.setObjectName("new_disk_type")
        self.row_labels: dict[str, QLabel] = {}
        rows = (("where", self.tr("Create as:"), self.disk_where, self.tr("New disk place")),
                ("name", self.tr("Name:"), name_row, ""), ("location", self.tr("Location:"), folder_row, ""),
                ("pool", self.tr("Storage pool:"), self.pool, self.tr("New disk storage pool")),
                ("size", self.tr("Size:"), size_row, ""), ("type", self.tr("Type:"), self.disk_type, ""))
        for row, (key, label, w, accessible) in enumerate(rows):
            self.row_labels[key] = QLabel(label)
            grid.addWidget(self.row_labels[key], row, 0)
            if isinstance(w, QWidget):
                grid.addWidget(w, row, 1)
                w.setAccessibleName(accessible)
            else:
                grid.addLayout(w, row, 1)
        self.disk_name.setAccessibleName(self.tr("New disk name"))
        self.disk_size.setAccessibleName(self.tr("New disk size"))
        self.disk_folder.setAccessibleName(self.tr("Folder of the new disk"))
        layout.addLayout(grid)
        self.new_message = FieldMessage()
        self.new_message.setIndent(24)
        layout.addWidget(self.new_message)

    def _build_existing(self, layout: QVBoxLayout) -> None:
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("disk_path")
        self.path.setAccessibleName(self.tr("Existing virtual hard disk file"))
        self.browse = QPushButton(self.tr("B&rowse..."))
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Location:"), row)
        self.controller = QComboBox()
        self.controller.setObjectName("disk_controller")
        self.controller.setAccessibleName(self.tr("Disk controller"))
        for controller in ("synthetic", "emulated"):
            self.controller.addItem(controller, controller)
        form.addRow(self.tr("Controller:"), self.controller)
        layout.addLayout(form)
        self.path_message = FieldMessage()
        self.path_message.setIndent(24)
        layout.addWidget(self.path_message)

    # --- what the host offers ------------------------------------------------------------------------------------
    def apply_host(self) -> None:
        """Offer what the host can make and how it names it (again when its capabilities arrive)."""
        facts = self.facts
        formats = facts.disk_formats
        if formats != self._formats:
            self._formats = formats
            self.disk_type.blockSignals(True)
            self.disk_type.clear()
            for kind in formats:
                self.disk_type.addItem(format_label(kind), kind)
            self.disk_type.blockSignals(False)
        vhd = formats[0] not in val.QEMU_IMG_FORMATS
        self.row_labels["type"].setText(self.tr("Type:") if vhd else self.tr("Format:"))
        self.disk_type.setAccessibleName(self.tr("New disk type") if vhd else self.tr("New disk format"))
        self.disk_name.setPlaceholderText(f"web1.{'vhd' if vhd else formats[0]}")
        self.path.setPlaceholderText("/path/to/disk.vhd" if vhd else "/var/lib/libvirt/images/disk.qcow2")
        places = tuple(p for p, offered in (("volume", facts.volumes), ("file", facts.qemu_file or facts.disk_job))
                       if offered)
        if places != self._places:
            self._places = places
            current = self.disk_where.currentData()
            self.disk_where.blockSignals(True)
            self.disk_where.clear()
            for place in places or ("file",):
                self.disk_where.addItem(place_label(place), place)
            self.disk_where.setCurrentIndex(max(0, self.disk_where.findData(current)))
            self.disk_where.blockSignals(False)
        for i, (label, _short) in enumerate(controller_labels(facts.kind)):
            self.controller.setItemText(i, label)
        self.create.setEnabled(facts.can_create_disk)
        if not facts.can_create_disk:
            self.create.setToolTip(facts.no_new_disk())
            if self.create.isChecked():
                self.none.setChecked(True)
        elif facts.disk_in_vm_job:
            self.create.setToolTip(self.tr("A new qcow2 or raw disk, made by the host in the job that creates the "
                                           "virtual machine"))
        else:
            self.create.setToolTip(self.tr("A new VHD file on the host, made by the host as a job before the "
                                           "virtual machine"))
        self.browse.setEnabled(self.existing.isChecked() and can_browse(self))
        if browses_host(self):
            tip = self.tr("Browse the folders of {host}").format(host=facts.machine)
        else:
            tip = "" if can_browse(self) else self.tr("The disk is a file on {host}: type its path there").format(
                host=facts.where)
        self.browse.setToolTip(tip)
        self._unit_changed()
        self._where_changed()

    def host_changed(self) -> None:
        self.apply_host()
        self._ask_pools()
        self._mode_changed()

    def _ask_pools(self) -> None:
        if self.facts.volumes and self._pools is None and not self._pools_asked:
            self._pools_asked = True
            ops.disk.storage_pools(self.wiz.session, owner=self).success(self._pools_loaded).failure(
                lambda _e: None).run()  # then the host names a missing pool at Finish

    def initializePage(self) -> None:
        self._ask_pools()
        if not self.disk_folder.text():
            store = self.wiz.host.get("store") or ""
            if self.facts.qemu_file:
                self.disk_folder.setText(self.facts.images_folder())
            elif self.facts.disk_job and store:
                self.disk_folder.setText(os.path.join(store, "disks"))
        self._name_defaults()
        self._mode_changed()

    def vm_name(self) -> str:
        return self.wiz.name_page.name.text().strip() or "disk0"

    def _extension(self) -> str:
        kind = self.disk_type.currentData() or "dynamic"
        return kind if kind in val.QEMU_IMG_FORMATS else "vhd"

    def _name_defaults(self) -> None:
        """The new disk is named after the VM (and its format) until the user names the file."""
        self.volume_name.setText(f"{self.vm_name()}.{self._extension()}")
        if not self._name_edited:
            self.disk_name.setText(f"{self.vm_name()}.{self._extension()}")

    def volume_mode(self) -> bool:
        return self.facts.volumes and self.disk_where.currentData() == "volume"

    def _where_changed(self) -> None:
        """A volume (named after the VM, in a pool) or a file (any name, in a folder), as the host offers."""
        several = len(self._places) > 1
        volume = self.volume_mode()
        self.disk_where.setVisible(several)
        self.row_labels["where"].setVisible(several)
        self.disk_name.setVisible(not volume)
        self.volume_name.setVisible(volume)
        for w in (self.disk_folder, self.folder_browse, self.row_labels["location"]):
            w.setVisible(not volume)
        self.folder_browse.setEnabled(self.create.isChecked() and can_browse(self))
        self.pool.setVisible(volume)
        self.row_labels["pool"].setVisible(volume)

    def _format_changed(self) -> None:
        self._name_defaults()
        self._unit_changed()

    def _mode_changed(self) -> None:
        existing = self.existing.isChecked()
        create = self.create.isChecked()
        for w in (self.path, self.controller):
            w.setEnabled(existing or (w is self.controller and create))
        self.browse.setEnabled(existing and can_browse(self))
        for w in (self.disk_name, self.volume_name, self.disk_folder, self.disk_size, self.size_unit, self.disk_type,
                  self.disk_where, self.pool):
            w.setEnabled(create)
        self.folder_browse.setEnabled(create and can_browse(self))
        if existing:
            self.path_check.edited()
        if create:
            self._new_edited()
        self.changed()

    def _unit_changed(self) -> None:
        gib = size_max_gib(self.disk_type.currentData() or "dynamic")
        self.disk_size.setMaximum(gib if self.size_unit.currentData() == GiB else gib * 1024)

    def _browse_folder(self) -> None:
        if browses_host(self):
            browse(self, self.tr("Folder for the new virtual hard disk"), [], self.disk_folder.setText,
                   start=self.disk_folder.text(), folders=True)
            return
        dialog = QFileDialog(self, self.tr("Folder for the new virtual hard disk"),
                             self.disk_folder.text() or os.path.expanduser("~"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.disk_folder.setText)
        dialog.open()

    # --- the new disk --------------------------------------------------------------------------------------------
    def new_disk(self) -> dict | None:
        """{"path", "folder", "name", "size", "kind", "mkdir", "where", "pool"} of the disk to create, or None.
        "where" is "file" (a VHD, or qemu-img's file at "path") or "volume" (a volume "name" in "pool"; "path" is
        empty). Where the VM's job makes the disk "kind" is its format, qcow2 or raw."""
        if not self.create.isChecked():
            return None
        size = self.disk_size.value() * self.size_unit.currentData()
        d = {"size": size, "kind": self.disk_type.currentData(), "where": "file", "pool": ""}
        if self.volume_mode():
            return {**d, "where": "volume", "path": "", "folder": "", "name": self.volume_name.text(),
                    "pool": self.pool.text().strip(), "mkdir": False}
        folder = os.path.expanduser(self.disk_folder.text().strip())
        name = self.disk_name.text().strip()
        return {**d, "path": os.path.join(folder, name), "folder": folder, "name": name,
                "mkdir": bool(self._new_checked and self._new_checked[1].get("mkdir"))}

    def vm_job_params(self) -> dict:
        """What vm.new takes to create the new disk in the VM's own job, where the host does that (disk is the
        file's path, or empty for a volume)."""
        d = self.new_disk()
        if d is None or not self.facts.disk_in_vm_job:
            return {}
        extra = {"disk_size": d["size"], "disk_format": d["kind"]}
        return {**extra, "pool": d["pool"]} if d["where"] == "volume" else extra

    def disk_step(self) -> tuple[str, dict] | None:
        """The disk.new step that comes before vm.new, where the host makes new disks as jobs of their own."""
        d = self.new_disk()
        if d is None or not self.facts.disk_job:
            return None
        return "disk.new", {"path": d["path"], "size": d["size"], "kind": d["kind"]}

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
        if d is None or d["where"] == "volume":  # the pool's name is checked as typed; the host says if it is missing
            return
        key = self._new_key()
        if not self.facts.files_here:  # a path on that host: only what can be told without looking
            problem = None if os.path.isabs(d["folder"]) else self.tr(
                "Give the folder's full path on {host}, from /.").format(host=self.facts.machine)
            self._new_done(key, {"problem": problem, "mkdir": False})
            return
        self.wiz.session.tasks.run(val.new_disk_problem, d["folder"], d["name"], d["size"], d["kind"], owner=self,
                                   on_done=lambda result, k=key: self._new_done(k, result))

    def _new_done(self, key: tuple, result: dict) -> None:
        if key == self._new_key():
            self._new_checked = (key, result)
            self.changed()

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

    # --- an existing disk ----------------------------------------------------------------------------------------
    def _browse(self) -> None:
        browse(self, self.tr("Choose a virtual hard disk"),
               [self.tr("Virtual hard disks (*.vhd *.img *.raw *.qcow2)"), self.tr("All files (*)")], self.path.setText,
               kinds=[".vhd", ".vhdx", ".img", ".raw", ".qcow2"], start=self.path.text())

    # --- checks --------------------------------------------------------------------------------------------------
    def problem(self) -> str | None:
        if self.create.isChecked():
            d = self.new_disk()
            if d["where"] == "volume":
                return pool_problem(d, self._pools, self.facts.where)
            quick = val.new_disk_name_problem(d["name"], d["kind"])
            if quick:
                return quick
            if self._new_checked is None or self._new_checked[0] != self._new_key():
                return CHECKING_LOCATION()
            return self._new_checked[1].get("problem")
        if not self.existing.isChecked():
            return None
        if not self.path.text().strip():
            return self.tr("Choose the virtual hard disk file.")
        if self.path_check.state is None or self.path_check.state[0] != self.path.text():
            return self.tr("Checking the disk...")
        return self.path_check.state[1]

    def update_messages(self) -> None:
        if self.create.isChecked():
            problem = self.problem()
            if problem and problem != CHECKING_LOCATION():
                self.new_message.set_error(problem)
            elif problem:
                self.new_message.set_info(problem)
            else:
                self.new_message.set_info(new_disk_note(self.facts, self.new_disk(), self._pools))
        else:
            self.new_message.clear()
        if not self.existing.isChecked() or not self.path.text().strip():
            self.path_message.clear()
        elif self.path_check.state is None:
            self.path_message.set_info(self.tr("Checking the disk..."))
        elif self.path_check.state[1]:
            self.path_message.set_error(self.path_check.state[1])
        elif self.facts.files_here:
            self.path_message.set_info(self.tr("Found. The host checks its format when it creates the VM."))
        else:
            self.path_message.set_info(self.tr("{host} opens it when it creates the VM (a path on that host).")
                                       .format(host=self.facts.where))

    def controller_text(self, controller: str) -> str:
        names = dict(zip(("synthetic", "emulated"), (short for _label, short in controller_labels(self.facts.kind))))
        return names.get(controller, controller)

    def disk(self) -> tuple[str, str]:
        if self.create.isChecked():
            return self.new_disk()["path"], self.controller.currentData()
        if not self.existing.isChecked():
            return "", "synthetic"
        return os.path.expanduser(self.path.text().strip()), self.controller.currentData()
