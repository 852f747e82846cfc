"""A VM's Settings dialog, laid out like Hyper-V Manager's: a hardware list and a management list on the left, the
chosen item's page on the right. What cannot change while the VM runs is read-only then, with the reason.
Apply sends only what changed, through ``conn.set_vm``."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import validation as val
from gui import vmstates
from gui.tasks import describe
from gui.widgets.details import INTEGRATION_SERVICES, _services
from gui.widgets.field_message import FieldMessage

NEW_DISK_HINT = ("A new disk: `bulkhead disk new FILE.vhd --size 16G` (or the New Virtual Machine wizard, which "
                 "creates one with the VM); then choose it here.")

START_ACTIONS = [("nothing", "Nothing"), ("start_if_running", "Automatically start if it was running when the "
                 "host service stopped"), ("always_start", "Always start this virtual machine automatically")]
STOP_ACTIONS = [("save", "Save the virtual machine state"), ("turn_off", "Turn off the virtual machine"),
                ("shut_down", "Shut down the guest operating system")]


class _SettingsPage(QWidget):
    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.outer = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        self.outer.addWidget(heading)
        if text:
            intro = QLabel(text)
            intro.setWordWrap(True)
            self.outer.addWidget(intro)
        self.frozen = FieldMessage()
        self.outer.addWidget(self.frozen)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.message = FieldMessage()
        self.outer.addWidget(self.message)

    def finish(self) -> None:
        self.outer.addStretch(1)


class SettingsDialog(QDialog):
    applied = Signal(object)  # the settings job (a dict; object: no conversion to a QVariantMap)

    def __init__(self, vm: dict, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.vm = dict(vm)
        self.vm_id = vm["id"]
        self.setObjectName("settings_dialog")
        self.setWindowTitle(f"Settings for {vm['name']}")
        layout = QVBoxLayout(self)
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setObjectName("settings_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Settings")
        self.pages = QStackedWidget()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 490])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.error = FieldMessage()
        self.error.setObjectName("settings_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Apply)
        self.buttons.accepted.connect(lambda: self.apply(close=True))
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(lambda: self.apply(close=False))
        self.view_script = self.buttons.addButton("View &Script...", QDialogButtonBox.ButtonRole.HelpRole)
        self.view_script.setObjectName("settings_view_script")
        self.view_script.clicked.connect(self.show_script)
        self.script_dialog = None
        layout.addWidget(self.buttons)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._build()
        self.tree.currentItemChanged.connect(self._show_page)
        self.tree.setCurrentItem(self._items["processor"])
        self.load(vm)
        self._changed()
        self.load_switches()
        self.resize(780, 500)

    # --- pages ---------------------------------------------------------------------------------------------------
    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setData(0, Qt.ItemDataRole.UserRole, -1)  # a heading, no page
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setExpanded(True)
        return item

    def _add(self, section: QTreeWidgetItem, key: str, label: str, page: _SettingsPage, icon=None) -> None:
        item = QTreeWidgetItem(section, [label])
        item.setData(0, Qt.ItemDataRole.UserRole, self.pages.count())
        if icon is not None:
            item.setIcon(0, self.style().standardIcon(icon))
        page.finish()
        self.pages.addWidget(page)
        self._items[key] = item
        section.setExpanded(True)

    def _build(self) -> None:
        sp = QStyle.StandardPixmap
        hw = self._section("Hardware")
        # Processor
        p = _SettingsPage("Processor", "Each virtual processor is a thread of the host service.")
        self.vcpus = QSpinBox()
        self.vcpus.setObjectName("settings_vcpus")
        self.vcpus.setAccessibleName("Number of virtual processors")
        limit = val.vcpu_limit((self.session.host.get("capabilities") or {}).get("logical_processors"))
        self.vcpus.setRange(1, limit)
        self.vcpus.setMaximumWidth(120)
        p.form.addRow("Number of virtual &processors:", self.vcpus)
        p.form.labelForField(self.vcpus).setBuddy(self.vcpus)
        self.processor_page = p
        self._add(hw, "processor", "Processor", p, sp.SP_ComputerIcon)
        # Memory
        p = _SettingsPage("Memory", "The guest's startup memory; pages are mapped when the guest first touches them.")
        self.memory = QSpinBox()
        self.memory.setObjectName("settings_memory")
        self.memory.setAccessibleName("Startup memory in MiB")
        self.memory.setSuffix(" MiB")
        self.memory.setSingleStep(2)
        host_mem = (self.session.host.get("capabilities") or {}).get("memory_bytes")
        self.memory.setRange(1, val.memory_limit_mib(host_mem) + 2)
        self.memory.setMaximumWidth(160)
        p.form.addRow("Startup &memory:", self.memory)
        p.form.labelForField(self.memory).setBuddy(self.memory)
        self.memory_page = p
        self._add(hw, "memory", "Memory", p, sp.SP_DriveFDIcon)
        # Guest image
        p = _SettingsPage("Guest image", "What the VM boots, and the workload the bundled guest runs.")
        self.image_bundled = QRadioButton("The bundled Bulkhead guest")
        self.image_other = QRadioButton("Another guest image file:")
        group = QButtonGroup(self)
        group.addButton(self.image_bundled)
        group.addButton(self.image_other)
        self.image_path = QLineEdit()
        self.image_path.setAccessibleName("Guest image file")
        p.form.addRow(self.image_bundled)
        row = QHBoxLayout()
        row.addWidget(self.image_other)
        row.addWidget(self.image_path, 1)
        p.form.addRow(row)
        self.workload = QComboBox()
        self.workload.setAccessibleName("Workload profile")
        for kind, label, _unit in val.WORKLOADS:
            self.workload.addItem(label, kind)
        self.amount = QSpinBox()
        self.amount.setAccessibleName("Workload amount")
        self.amount.setRange(0, 10_000)
        self.cmdline = QLineEdit()
        self.cmdline.setAccessibleName("Extra guest command line")
        p.form.addRow("&Workload:", self.workload)
        p.form.addRow("Amount:", self.amount)
        p.form.addRow("Extra guest &command line:", self.cmdline)
        self.image_page = p
        self._add(hw, "image", "Guest Image", p, sp.SP_DriveHDIcon)
        # Disks
        p = _SettingsPage("Hard Drive", "One virtual hard disk, on the synthetic SCSI controller (VMBus: requests "
                          "are batched) or the emulated IDE controller (every register access traps).")
        self.disk = QLineEdit()
        self.disk.setObjectName("settings_disk")
        self.disk.setAccessibleName("Virtual hard disk file")
        self.disk.setPlaceholderText("none - type the path of a .vhd or raw image to attach one")
        self.disk_controller = QComboBox()
        self.disk_controller.setAccessibleName("Disk controller")
        self.disk_controller.addItem("Synthetic SCSI over VMBus", "synthetic")
        self.disk_controller.addItem("Emulated IDE", "emulated")
        p.form.addRow("Virtual hard &disk:", self.disk)
        p.form.labelForField(self.disk).setBuddy(self.disk)
        p.form.addRow("Controller:", self.disk_controller)
        p.message.set_info(NEW_DISK_HINT)
        self.disk_page = p
        self._add(hw, "disks", "Hard Drive", p, sp.SP_DriveHDIcon)
        # Network
        p = _SettingsPage("Network Adapter", "A synthetic network adapter on a virtual switch of this host.")
        self.switch = QComboBox()
        self.switch.setObjectName("settings_switch")
        self.switch.setAccessibleName("Virtual switch")
        self.switch.addItem("Not connected", "")
        self.ip = QLineEdit()
        self.ip.setAccessibleName("IPv4 address")
        self.ip.setPlaceholderText("automatic")
        p.form.addRow("Virtual &switch:", self.switch)
        p.form.labelForField(self.switch).setBuddy(self.switch)
        p.form.addRow("IPv4 address:", self.ip)
        self.network_page = p
        self._add(hw, "network", "Network Adapter", p, sp.SP_DriveNetIcon)
        # COM 1
        p = _SettingsPage("COM 1", "An emulated 8250 UART: the guest's serial console.")
        com = QLabel("Connected to the VM connection window (and to `bulkhead vm connect`). Always present; the "
                     "bundled guest's shell runs on it.")
        com.setWordWrap(True)
        p.form.addRow(com)
        self._add(hw, "com1", "COM 1", p, sp.SP_CommandLink)

        mg = self._section("Management")
        p = _SettingsPage("Name", "The name shows in the console and the command line; the VM's folder does not "
                          "change when it is renamed.")
        self.name = QLineEdit()
        self.name.setObjectName("settings_name")
        self.name.setAccessibleName("Name")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        p.form.addRow("&Name:", self.name)
        p.form.labelForField(self.name).setBuddy(self.name)
        p.form.addRow("N&otes:", self.notes)
        p.form.labelForField(self.notes).setBuddy(self.notes)
        self.name_page = p
        self._add(mg, "name", "Name", p, sp.SP_FileDialogInfoView)
        p = _SettingsPage("Integration Services", "Services the guest and the host offer each other over VMBus. "
                          "They are turned on or off together.")
        self.integration = QCheckBox("&Offer integration services to the guest")
        self.integration.setObjectName("settings_integration")
        p.form.addRow(self.integration)
        self.services = QTreeWidget()
        self.services.setHeaderLabels(["Service", "Status"])
        self.services.setRootIsDecorated(False)
        self.services.setAccessibleName("Integration services status")
        p.form.addRow(self.services)
        self.integration_page = p
        self._add(mg, "integration", "Integration Services", p, sp.SP_DialogApplyButton)
        p = _SettingsPage("Automatic Start Action", "What the VM does when the host service starts.")
        self.start_actions = self._radios(p, START_ACTIONS, "Automatic start action")
        self._add(mg, "start_action", "Automatic Start Action", p, sp.SP_MediaPlay)
        p = _SettingsPage("Automatic Stop Action", "What happens to the VM when the host service stops.")
        self.stop_actions = self._radios(p, STOP_ACTIONS, "Automatic stop action")
        self._add(mg, "stop_action", "Automatic Stop Action", p, sp.SP_MediaStop)
        self.tree.expandAll()
        self.tree.setMinimumWidth(self.tree.sizeHintForColumn(0) + 2 * self.tree.indentation())

        for w in (self.vcpus, self.memory, self.amount):
            w.valueChanged.connect(self._changed)
        for w in (self.image_path, self.cmdline, self.name, self.disk, self.ip):
            w.textChanged.connect(self._changed)
        for w in (self.disk_controller, self.switch):
            w.currentIndexChanged.connect(self._changed)
        self.integration.toggled.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.workload.currentIndexChanged.connect(self._changed)
        self.image_bundled.toggled.connect(self._changed)
        for g in (self.start_actions, self.stop_actions):
            g.buttonToggled.connect(self._changed)

    def _radios(self, page: _SettingsPage, choices, name: str) -> QButtonGroup:
        group = QButtonGroup(self)
        for key, label in choices:
            b = QRadioButton(label)
            b.setProperty("choice", key)
            b.setAccessibleName(label)
            group.addButton(b)
            page.form.addRow(b)
        return group

    def _show_page(self, item: QTreeWidgetItem | None) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else -1
        if isinstance(page, int) and page >= 0:
            self.pages.setCurrentIndex(page)

    def show_item(self, key: str) -> None:
        self.tree.setCurrentItem(self._items[key])

    # --- values --------------------------------------------------------------------------------------------------
    def load(self, vm: dict) -> None:
        """Fill every field from ``vm`` (at open)."""
        self.vm = dict(vm)
        self.vcpus.setValue(int(vm.get("vcpus") or 1))
        self.memory.setValue(int(vm.get("memory") or 0) >> 20)
        bundled = vm.get("image") in ("", "bundled", None)
        self.image_bundled.setChecked(bundled)
        self.image_other.setChecked(not bundled)
        self.image_path.setText("" if bundled else vm.get("image", ""))
        kind, n = val.parse_workload(vm.get("workload", "idle"))
        i = self.workload.findData(kind)
        self.workload.setCurrentIndex(max(0, i))
        self.amount.setValue(n or 0)
        self.cmdline.setText(vm.get("cmdline", ""))
        self.name.setText(vm.get("name", ""))
        self.notes.setPlainText(vm.get("notes", ""))
        self.disk.setText(vm.get("disk", ""))
        self.disk_controller.setCurrentIndex(max(0, self.disk_controller.findData(vm.get("disk_controller"))))
        self._set_switch(vm.get("network", ""))
        self.ip.setText(vm.get("ip", ""))
        self.integration.setChecked(bool(vm.get("integration_services", True)))
        for group, value in ((self.start_actions, vm.get("automatic_start_action")),
                             (self.stop_actions, vm.get("automatic_stop_action"))):
            for b in group.buttons():
                b.setChecked(b.property("choice") == value)
        self.update_vm(vm)

    def update_vm(self, vm: dict) -> None:
        """The VM changed on the host (state, uptime): refresh what may be edited, keep the user's edits."""
        self.vm = {**self.vm, **vm}
        self.setWindowTitle(f"Settings for {self.vm['name']} ({self.vm['state']})")
        reason = vmstates.settings_frozen_reason(self.vm)
        for page, widgets in ((self.processor_page, [self.vcpus]), (self.memory_page, [self.memory]),
                              (self.image_page, [self.image_bundled, self.image_other, self.image_path, self.workload,
                                                 self.amount, self.cmdline]),
                              (self.disk_page, [self.disk, self.disk_controller]),
                              (self.network_page, [self.switch, self.ip]),
                              (self.integration_page, [self.integration])):
            for w in widgets:
                w.setEnabled(reason is None)
                w.setToolTip(reason or "")
            if reason:
                page.frozen.set_info(f"Read-only: {reason}. Turn it off to change this.")
            else:
                page.frozen.clear()
        if not reason:
            self.image_path.setEnabled(self.image_other.isChecked())
            kind = self.workload.currentData()
            self.amount.setEnabled(kind in val.WORKLOAD_LIMITS and self.image_bundled.isChecked())
            self.workload.setEnabled(self.image_bundled.isChecked())
        _fill_services(self.services, _services(self.vm))
        self._changed()

    def _set_switch(self, name: str) -> None:
        if name and self.switch.findData(name) < 0:
            self.switch.addItem(name, name)
        self.switch.setCurrentIndex(max(0, self.switch.findData(name)))

    def load_switches(self) -> None:
        """Ask the host for its virtual switches (in a worker) and offer them."""
        def done(switches: list[dict]) -> None:
            current = self.switch.currentData() or ""
            self.switch.blockSignals(True)
            self.switch.clear()
            self.switch.addItem("Not connected", "")
            for sw in switches:
                self.switch.addItem(f"{sw['name']} ({sw.get('type', '')}, {sw.get('subnet', '')})", sw["name"])
            self.switch.blockSignals(False)
            self._set_switch(current)

        self.session.call(lambda conn: conn.switches(), owner=self, on_done=done,
                          on_error=lambda e: self.network_page.message.set_error(
                              f"Cannot list virtual switches: {describe(e)}"))

    def _choice(self, group: QButtonGroup) -> str | None:
        b = group.checkedButton()
        return None if b is None else b.property("choice")

    def current(self) -> dict:
        kind = self.workload.currentData()
        return {
            "name": self.name.text().strip(),
            "notes": self.notes.toPlainText(),
            "vcpus": self.vcpus.value(),
            "memory": self.memory.value() << 20,
            "image": "" if self.image_bundled.isChecked() else os.path.expanduser(self.image_path.text().strip()),
            "workload": val.workload_string(kind, self.amount.value()) if self.image_bundled.isChecked() else "idle",
            "cmdline": self.cmdline.text().strip(),
            "automatic_start_action": self._choice(self.start_actions),
            "automatic_stop_action": self._choice(self.stop_actions),
            "disk": os.path.expanduser(self.disk.text().strip()),
            "disk_controller": self.disk_controller.currentData(),
            "network": self.switch.currentData() or "",
            "ip": self.ip.text().strip() if self.switch.currentData() else "",
            "integration_services": self.integration.isChecked(),
        }

    def changes(self) -> dict:
        current, vm = self.current(), self.vm
        base = {**vm, "image": "" if vm.get("image") in ("bundled", None) else vm.get("image")}
        out = {}
        for key, value in current.items():
            if value is None:
                continue
            if key in vmstates.FROZEN_WHILE_RUNNING and vmstates.settings_frozen_reason(vm):
                continue
            if value != base.get(key):
                out[key] = value
        return out

    def problems(self) -> dict[str, str]:
        c = self.current()
        others = [n for n in self.session.vm_model.names()]
        found = {}
        if p := val.name_problem(c["name"], others, current=self.vm.get("name")):
            found["name"] = p
        elif p := val.notes_problem(c["notes"]):
            found["name"] = p
        host_mem = (self.session.host.get("capabilities") or {}).get("memory_bytes")
        if p := val.memory_problem(self.memory.value(), host_mem):
            found["memory"] = p
        if self.image_other.isChecked() and not self.image_path.text().strip():
            found["image"] = "Choose a guest image file."
        elif p := val.cmdline_problem(c["cmdline"], c["name"], c["workload"]):
            found["image"] = p
        if c["network"] and (p := val.ip_problem(c["ip"])):
            found["network"] = p
        return found

    def _changed(self, *_args) -> None:
        if not hasattr(self, "buttons"):
            return
        if self.image_bundled.isChecked() or not self.image_bundled.isEnabled():
            self.image_path.setEnabled(False)
        elif vmstates.settings_frozen_reason(self.vm) is None:
            self.image_path.setEnabled(True)
        problems = self.problems()
        for key, page in (("name", self.name_page), ("memory", self.memory_page), ("image", self.image_page),
                          ("network", self.network_page)):
            page.message.set_error(problems.get(key, ""))
        changes = self.changes()
        ok = not problems
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(ok and bool(changes))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.view_script.setEnabled(ok and bool(changes))
        self.view_script.setToolTip("The command line and Python script that make these changes" if changes
                                    else "Change something first")
        summary = ", ".join(sorted(changes)) if changes else ""
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setToolTip(
            f"Change {summary}" if summary else "Nothing changed yet")

    def show_script(self) -> None:
        changes, name = self.changes(), self.vm["name"]

        def shown(script) -> None:
            from gui.dialogs.script import ScriptDialog

            self.script_dialog = ScriptDialog(script.title, script.command_line, script.python, self)
            self.script_dialog.open()

        self.session.call(lambda conn: conn.script("vm.set", vm=name, **changes), owner=self, on_done=shown,
                          on_error=lambda e: self.error.set_error(describe(e)))

    # --- applying ------------------------------------------------------------------------------------------------
    def apply(self, close: bool) -> None:
        changes = self.changes()
        if not changes:
            if close:
                self.accept()
            return
        self.buttons.setEnabled(False)
        self.error.set_info("Applying...")

        def done(job: dict) -> None:
            self.buttons.setEnabled(True)
            self.session.track_job(job)
            self.applied.emit(job)
            self.error.set_info(f"Applied: {', '.join(sorted(changes))} ({job.get('name', 'job')} {job.get('id')})")
            self.vm = {**self.vm, **changes, "image": changes.get("image", self.vm.get("image"))}
            self._changed()
            if close:
                self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.set_error(f"Not applied: {describe(error)}")
            self._changed()

        self.session.call(lambda conn: conn.set_vm(self.vm_id, **changes), owner=self, on_done=done,
                          on_error=failed)


def _fill_services(tree: QTreeWidget, services: dict[str, str] | None) -> None:
    rows = [(name, (services or {}).get(name, "")) for name in INTEGRATION_SERVICES]
    current = [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1)) for i in range(tree.topLevelItemCount())]
    if current != rows:
        tree.clear()
        for name, status in rows:
            QTreeWidgetItem(tree, [name, status])
        tree.resizeColumnToContents(0)
