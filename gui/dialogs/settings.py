"""A VM's Settings dialog, laid out like Hyper-V Manager's: a hardware list and a management list on the left, the
chosen item's page on the right. What cannot change while the VM runs (core.model.spec.FROZEN_WHILE_RUNNING) is
read-only then, with the reason. Apply sends only what changed (``operations.vm.set_settings``)."""

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
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
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

from core import api
from core.model.limits import HostLimits
from core.model.spec import DISK_CONTROLLERS
from core.model.spec import START_ACTIONS as START_KEYS
from core.model.spec import STOP_ACTIONS as STOP_KEYS
from gui import operations as ops
from gui import validation as val
from gui import vmstates
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.tasks import describe
from gui.widgets.details import INTEGRATION_SERVICES, _services
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named
from gui.wizards.memory_field import MemoryField

_CONTEXT = "SettingsDialog"
NEW_DISK_HINT = QT_TRANSLATE_NOOP("SettingsDialog", "No disk yet? New... makes one on the host and puts it here (the "
                                                    "New Virtual Machine wizard can create one with the VM too).")
# the automatic start and stop actions of core.model.spec, as the radio buttons say them
_ACTION_TEXT = {
    "nothing": QT_TRANSLATE_NOOP("SettingsDialog", "Nothing"),
    "start_if_running": QT_TRANSLATE_NOOP("SettingsDialog", "Automatically start if it was running when the host "
                                                            "service stopped"),
    "always_start": QT_TRANSLATE_NOOP("SettingsDialog", "Always start this virtual machine automatically"),
    "save": QT_TRANSLATE_NOOP("SettingsDialog", "Save the virtual machine state"),
    "turn_off": QT_TRANSLATE_NOOP("SettingsDialog", "Turn off the virtual machine"),
    "shut_down": QT_TRANSLATE_NOOP("SettingsDialog", "Shut down the guest operating system"),
}
START_ACTIONS = [(key, _ACTION_TEXT.get(key, key)) for key in START_KEYS]
STOP_ACTIONS = [(key, _ACTION_TEXT.get(key, key)) for key in STOP_KEYS]
CONTROLLER_TEXT = {"synthetic": QT_TRANSLATE_NOOP("SettingsDialog", "Synthetic SCSI over VMBus"),
                   "emulated": QT_TRANSLATE_NOOP("SettingsDialog", "Emulated IDE")}


def _t(text: str) -> str:
    return translate(_CONTEXT, text)


class _SettingsPage(QWidget):
    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.outer = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")  # title: translated by the dialog
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

    def row(self, label: str, field: QWidget | QLayout, buddy: QWidget | None = None) -> None:
        """A labelled row; the label's shortcut moves the focus to ``buddy`` (default: the field itself)."""
        self.form.addRow(label, field)
        self.form.labelForField(field).setBuddy(buddy or field)

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
        self.setWindowTitle(self.tr("Settings for {name}").format(name=vm["name"]))
        layout = QVBoxLayout(self)
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setObjectName("settings_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Settings"))
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
        self.view_script = self.buttons.addButton(self.tr("View &Script..."), QDialogButtonBox.ButtonRole.HelpRole)
        self.view_script.setObjectName("settings_view_script")
        self.view_script.clicked.connect(self.show_script)
        self.script_dialog = None
        self.new_disk_dialog = None
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

    def _add(self, section: QTreeWidgetItem, key: str, label: str, page: _SettingsPage, icon=None) -> _SettingsPage:
        """``page`` listed under ``section`` as ``label``; the page, finished."""
        item = QTreeWidgetItem(section, [label])
        item.setData(0, Qt.ItemDataRole.UserRole, self.pages.count())
        if icon is not None:
            item.setIcon(0, self.style().standardIcon(icon))
        page.finish()
        self.pages.addWidget(page)
        self._items[key] = item
        section.setExpanded(True)
        return page

    def _build(self) -> None:
        sp = QStyle.StandardPixmap
        hw = self._section(self.tr("Hardware"))
        # Processor
        p = _SettingsPage(self.tr("Processor"), self.tr("Each virtual processor is a thread of the host service."))
        self.vcpus = named(QSpinBox(), "settings_vcpus", self.tr("Number of virtual processors"))
        limit = val.vcpu_limit(self.limits())
        self.vcpus.setRange(1, limit)
        self.vcpus.setMaximumWidth(120)
        p.row(self.tr("Number of virtual &processors:"), self.vcpus)
        self.processor_page = self._add(hw, "processor", self.tr("Processor"), p, sp.SP_ComputerIcon)
        # Memory
        p = _SettingsPage(self.tr("Memory"), self.tr("The guest's startup memory; pages are mapped when the guest "
                                                     "first touches them."))
        # keeps what is typed ("9999 GB", "4G", every digit) and says what it understood, as the wizard's field
        self.memory = named(MemoryField(), "settings_memory", self.tr("Startup memory in MiB"))
        self.memory.set_limits(self.limits())
        self.memory.setMaximumWidth(160)
        p.row(self.tr("Startup &memory:"), self.memory)
        self.memory_understood = named(QLabel(), "settings_memory_understood", self.tr("Memory understood as"))
        self.memory.textChanged.connect(lambda _t: self.memory_understood.setText(self.memory.reading().understood))
        p.form.addRow("", self.memory_understood)
        self.memory_page = self._add(hw, "memory", self.tr("Memory"), p, sp.SP_DriveFDIcon)
        # Guest image
        p = _SettingsPage(self.tr("Guest image"), self.tr("What the VM boots, and the workload the bundled guest "
                                                          "runs."))
        self.image_bundled = QRadioButton(self.tr("The bundled Bulkhead guest"))
        self.image_bundled.setObjectName("settings_image_bundled")
        self.image_other = QRadioButton(self.tr("Another guest image file:"))
        self.image_other.setObjectName("settings_image_other")
        group = QButtonGroup(self)
        group.addButton(self.image_bundled)
        group.addButton(self.image_other)
        self.image_path = named(QLineEdit(), "settings_image", self.tr("Guest image file"))
        p.form.addRow(self.image_bundled)
        row = QHBoxLayout()
        row.addWidget(self.image_other)
        row.addWidget(self.image_path, 1)
        p.form.addRow(row)
        self.workload = named(QComboBox(), "settings_workload", self.tr("Workload profile"))
        for kind, label, _unit in val.WORKLOADS:
            self.workload.addItem(label, kind)
        self.amount = named(QSpinBox(), "settings_workload_amount", self.tr("Workload amount"))
        self.amount.setRange(0, 10_000)
        self.cmdline = named(QLineEdit(), "settings_cmdline", self.tr("Extra guest command line"))
        p.form.addRow(self.tr("&Workload:"), self.workload)
        p.form.addRow(self.tr("Amount:"), self.amount)
        p.form.addRow(self.tr("Extra guest &command line:"), self.cmdline)
        self.image_page = self._add(hw, "image", self.tr("Guest Image"), p, sp.SP_DriveHDIcon)
        # Disks
        p = _SettingsPage(self.tr("Hard Drive"), self.tr("One virtual hard disk, on the synthetic SCSI controller "
                                                         "(VMBus: requests are batched) or the emulated IDE controller "
                                                         "(every register access traps)."))
        self.disk = named(QLineEdit(), "settings_disk", self.tr("Virtual hard disk file"))
        self.disk.setPlaceholderText(self.tr("none - type the path of a .vhd or raw image to attach one"))
        self.disk_controller = named(QComboBox(), "settings_disk_controller", self.tr("Disk controller"))
        for key in DISK_CONTROLLERS:
            self.disk_controller.addItem(_t(CONTROLLER_TEXT[key]) if key in CONTROLLER_TEXT else key, key)
        disk_row = QHBoxLayout()
        disk_row.addWidget(self.disk, 1)
        self.new_disk_button = QPushButton(self.tr("&New..."))
        self.new_disk_button.setObjectName("settings_new_disk")
        self.new_disk_button.setToolTip(self.tr("Create a virtual hard disk on the host and attach it here"))
        self.new_disk_button.clicked.connect(self.new_disk)
        disk_row.addWidget(self.new_disk_button)
        p.row(self.tr("Virtual hard &disk:"), disk_row, buddy=self.disk)
        p.form.addRow(self.tr("Controller:"), self.disk_controller)
        p.message.set_info(_t(NEW_DISK_HINT))
        self.disk_page = self._add(hw, "disks", self.tr("Hard Drive"), p, sp.SP_DriveHDIcon)
        # Network
        p = _SettingsPage(self.tr("Network Adapter"), self.tr("A synthetic network adapter on a virtual switch of "
                                                              "this host."))
        self.switch = named(QComboBox(), "settings_switch", self.tr("Virtual switch"))
        self.switch.addItem(self.tr("Not connected"), "")
        self.ip = named(QLineEdit(), "settings_ip", self.tr("IPv4 address"))
        self.ip.setPlaceholderText(self.tr("automatic"))
        p.row(self.tr("Virtual &switch:"), self.switch)
        p.form.addRow(self.tr("IPv4 address:"), self.ip)
        self.network_page = self._add(hw, "network", self.tr("Network Adapter"), p, sp.SP_DriveNetIcon)
        # COM 1
        p = _SettingsPage(self.tr("COM 1"), self.tr("An emulated 8250 UART: the guest's serial console."))
        com = QLabel(self.tr("Connected to the VM connection window (and to `bulkhead vm connect`). Always present; "
                             "the bundled guest's shell runs on it."))
        com.setWordWrap(True)
        p.form.addRow(com)
        self._add(hw, "com1", self.tr("COM 1"), p, sp.SP_CommandLink)

        mg = self._section(self.tr("Management"))
        p = _SettingsPage(self.tr("Name"), self.tr("The name shows in the console and the command line; the VM's "
                                                   "folder does not change when it is renamed."))
        self.name = named(QLineEdit(), "settings_name", self.tr("Name"))
        self.notes = named(QPlainTextEdit(), "settings_notes", self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        p.row(self.tr("&Name:"), self.name)
        p.row(self.tr("N&otes:"), self.notes)
        self.name_page = self._add(mg, "name", self.tr("Name"), p, sp.SP_FileDialogInfoView)
        p = _SettingsPage(self.tr("Integration Services"), self.tr("Services the guest and the host offer each other "
                                                                   "over VMBus. They are turned on or off together."))
        self.integration = QCheckBox(self.tr("&Offer integration services to the guest"))
        self.integration.setObjectName("settings_integration")
        p.form.addRow(self.integration)
        self.services = QTreeWidget()
        self.services.setObjectName("settings_services")
        self.services.setHeaderLabels([self.tr("Service"), self.tr("Status")])
        self.services.setRootIsDecorated(False)
        self.services.setAccessibleName(self.tr("Integration services status"))
        p.form.addRow(self.services)
        self.integration_page = self._add(mg, "integration", self.tr("Integration Services"), p,
                                          sp.SP_DialogApplyButton)
        p = _SettingsPage(self.tr("Automatic Start Action"), self.tr("What the VM does when the host service starts."))
        self.start_actions = self._radios(p, START_ACTIONS, self.tr("Automatic start action"))
        self._add(mg, "start_action", self.tr("Automatic Start Action"), p, sp.SP_MediaPlay)
        p = _SettingsPage(self.tr("Automatic Stop Action"), self.tr("What happens to the VM when the host service "
                                                                    "stops."))
        self.stop_actions = self._radios(p, STOP_ACTIONS, self.tr("Automatic stop action"))
        self._add(mg, "stop_action", self.tr("Automatic Stop Action"), p, sp.SP_MediaStop)
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
            b = QRadioButton(_t(label))
            b.setObjectName(f"settings_action_{key}")
            b.setProperty("choice", key)
            b.setAccessibleName(_t(label))
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
    def limits(self) -> HostLimits:
        """The host's limits (conn.limits()), or what host.info says until the host has answered."""
        limits = self.session.limits
        return limits if isinstance(limits, HostLimits) else val.provisional_limits(self.session.host)

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
        self.setWindowTitle(self.tr("Settings for {name} ({state})").format(
            name=self.vm["name"], state=vmstates.state_text(self.vm["state"])))
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
                page.frozen.set_info(self.tr("Read-only: {why}. Turn it off to change this.").format(why=reason))
            else:
                page.frozen.clear()
        able, why = self.session.can("new_disk")
        self.new_disk_button.setEnabled(reason is None and able)
        self.new_disk_button.setToolTip(reason or (self.tr("Create a virtual hard disk on the host and attach it "
                                                           "here") if able else why))
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
            self.switch.addItem(self.tr("Not connected"), "")
            for sw in switches:
                self.switch.addItem(f"{sw['name']} ({sw.get('type', '')}, {sw.get('subnet', '')})", sw["name"])
            self.switch.blockSignals(False)
            self._set_switch(current)

        ops.switch.list_switches(self.session, owner=self).success(done).failure(
            lambda e: self.network_page.message.set_error(self.tr("Cannot list virtual switches: {error}").format(
                error=describe(e)))).run()

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
        reading = self.memory.reading()
        if reading.problem:
            found["memory"] = reading.problem
        elif p := val.memory_problem(self.memory.value(), self.limits()):
            found["memory"] = p
        if self.image_other.isChecked() and not self.image_path.text().strip():
            found["image"] = self.tr("Choose a guest image file.")
        elif p := val.cmdline_problem(c["cmdline"], c["name"], c["workload"], self.limits()):
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
        self.view_script.setToolTip(self.tr("The command line and Python script that make these changes") if changes
                                    else self.tr("Change something first"))
        summary = ", ".join(sorted(changes)) if changes else ""
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setToolTip(
            self.tr("Change {settings}").format(settings=summary) if summary else self.tr("Nothing changed yet"))

    def new_disk(self) -> None:
        """New Virtual Hard Disk on the host; once made, its path is the disk to attach (Apply attaches it)."""
        from gui.dialogs.new_disk import NewDiskDialog

        folder = os.path.dirname(self.vm.get("disk") or "") or self.vm.get("folder") or ""
        local = not self.session.is_remote or api.is_local_uri(self.session.host_key.removeprefix("libvirt:"))
        dialog = NewDiskDialog(self.session, folder, local, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self.disk.setText)
        self.new_disk_dialog = dialog
        dialog.open()

    def show_script(self) -> None:
        changes, name = self.changes(), self.vm["name"]

        def shown(script) -> None:
            from gui.dialogs.script import ScriptDialog

            self.script_dialog = ScriptDialog(script.title, script.command_line, script.python, self)
            self.script_dialog.open()

        ops.vm.settings_script(self.session, name, changes, owner=self).success(shown).failure(
            lambda e: self.error.set_error(describe(e))).run()

    # --- applying ------------------------------------------------------------------------------------------------
    def apply(self, close: bool) -> None:
        changes = self.changes()
        if not changes:
            if close:
                self.accept()
            return
        self.buttons.setEnabled(False)
        self.error.set_info(self.tr("Applying..."))

        def done(job: dict) -> None:  # the operation hands the job to the session, which follows it
            self.buttons.setEnabled(True)
            self.applied.emit(job)
            self.error.set_info(self.tr("Applied: {settings} ({job} {id})").format(
                settings=", ".join(sorted(changes)), job=job.get("name") or self.tr("job"), id=job.get("id")))
            self.vm = {**self.vm, **changes, "image": changes.get("image", self.vm.get("image"))}
            self._changed()
            if close:
                self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.set_error(self.tr("Not applied: {error}").format(error=describe(error)))
            self._changed()

        ops.vm.set_settings(self.session, self.vm_id, changes, owner=self).success(done).failure(failed).run()


def _fill_services(tree: QTreeWidget, services: dict[str, str] | None) -> None:
    rows = [(translate("DetailsPane", name), (services or {}).get(name, "")) for name in INTEGRATION_SERVICES]
    current = [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1)) for i in range(tree.topLevelItemCount())]
    if current != rows:
        tree.clear()
        for name, status in rows:
            QTreeWidgetItem(tree, [name, status])
        tree.resizeColumnToContents(0)
