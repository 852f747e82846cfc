"""Virtual Switch Manager, as in Hyper-V Manager: a host's virtual switches on the left (with "New virtual switch"
first), the chosen one's properties on the right: its name (renamed in place), type, subnet and the virtual machines
that use it; a switch is removed only once no VM uses it, and the reason is shown while one does. Everything goes
through ``gui.operations.switch`` and runs as the host's jobs; the list follows their ends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.model.errors import UsageError
from core.model.names import same_name, validate_name
from gui import operations as ops
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named

NEW = ""  # the list item "New virtual switch"
SWITCH_JOBS = ("New virtual switch", "Rename virtual switch", "Remove virtual switch")
VM_JOBS = ("New VM", "Change VM settings", "Remove VM")  # jobs that may connect or disconnect a VM
TYPES = {"private": (QT_TRANSLATE_NOOP("SwitchManager", "Private"),
                     QT_TRANSLATE_NOOP("SwitchManager", "Only the virtual machines connected to it reach each other.")),
         "internal": (QT_TRANSLATE_NOOP("SwitchManager", "Internal"),
                      QT_TRANSLATE_NOOP("SwitchManager", "The virtual machines and this host reach each other (the "
                                                         "host answers at the subnet's first address)."))}


def type_text(kind: str) -> str:
    return translate("SwitchManager", TYPES[kind][0]) if kind in TYPES else kind


class SwitchManagerDialog(QDialog):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("switch_manager")
        self.setWindowTitle(self.tr("Virtual Switch Manager for {host}").format(host=session.host_label or
                                                                                  self.tr("this host")))
        self.switches: list[dict] = []
        self.pending: dict[int, tuple[str | None, FieldMessage]] = {}  # job id -> (what to show after, where to say)
        self.loads = 0  # answers taken (tests wait for them)
        self.able, self.why = session.can("switches")

        self.list = named(QListWidget(), "switch_list", self.tr("Virtual switches"))
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.pages = QStackedWidget()
        self.pages.addWidget(self._new_page())
        self.pages.addWidget(self._switch_page())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(self.pages)
        split.setSizes([220, 420])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        session.job_done.connect(self._job_done)
        self.resize(680, 420)
        self._fill([])
        self.load(None)

    # --- the two pages ---------------------------------------------------------------------------------------------
    def _new_page(self) -> QWidget:
        page = QGroupBox(self.tr("Create virtual switch"))
        form = QFormLayout(page)
        self.new_name = named(QLineEdit(), "new_switch_name", self.tr("Name of the new virtual switch"))
        self.new_name.textChanged.connect(lambda _t: self._check_new())
        self.new_name.returnPressed.connect(self.create)
        form.addRow(self.tr("&Name:"), self.new_name)
        self.new_type = QButtonGroup(page)
        box = QVBoxLayout()
        self.type_buttons: dict[str, QRadioButton] = {}
        for i, (kind, (label, text)) in enumerate(TYPES.items()):
            button = QRadioButton(translate("SwitchManager", label))
            button.setObjectName(f"switch_type_{kind}")
            button.setToolTip(translate("SwitchManager", text))
            note = QLabel(translate("SwitchManager", text))
            note.setWordWrap(True)
            note.setContentsMargins(22, 0, 0, 6)
            self.new_type.addButton(button, i)
            self.type_buttons[kind] = button
            box.addWidget(button)
            box.addWidget(note)
        self.type_buttons["private"].setChecked(True)
        form.addRow(self.tr("Connection type:"), box)
        self.new_message = FieldMessage()
        self.new_message.setObjectName("new_switch_message")
        form.addRow(self.new_message)
        self.create_button = QPushButton(self.tr("&Create Virtual Switch"))
        self.create_button.setObjectName("create_switch")
        self.create_button.clicked.connect(self.create)
        form.addRow("", self.create_button)
        return page

    def _switch_page(self) -> QWidget:
        page = QGroupBox(self.tr("Virtual switch properties"))
        form = QFormLayout(page)
        row = QHBoxLayout()
        self.name = named(QLineEdit(), "switch_name", self.tr("Virtual switch name"))
        self.name.textChanged.connect(lambda _t: self._check_rename())
        self.name.returnPressed.connect(self.rename)
        self.rename_button = QPushButton(self.tr("Re&name"))
        self.rename_button.setObjectName("rename_switch")
        self.rename_button.clicked.connect(self.rename)
        row.addWidget(self.name, 1)
        row.addWidget(self.rename_button)
        label = QLabel(self.tr("&Name:"))
        label.setBuddy(self.name)
        form.addRow(label, row)
        self.kind = QLabel()
        self.kind.setObjectName("switch_type")
        self.kind.setWordWrap(True)
        form.addRow(self.tr("Connection type:"), self.kind)
        self.subnet = QLabel()
        self.subnet.setObjectName("switch_subnet")
        form.addRow(self.tr("Subnet:"), self.subnet)
        self.users = named(QListWidget(), "switch_users", self.tr("Virtual machines connected to this switch"))
        self.users.setMaximumHeight(110)
        form.addRow(self.tr("Used by:"), self.users)
        self.message = FieldMessage()
        self.message.setObjectName("switch_message")
        form.addRow(self.message)
        self.remove_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon),
                                         self.tr("&Remove"))
        self.remove_button.setObjectName("remove_switch")
        self.remove_button.clicked.connect(self.remove)
        form.addRow("", self.remove_button)
        return page

    # --- the list ----------------------------------------------------------------------------------------------------
    def load(self, show: str | None = "") -> None:
        """Read the host's switches again; then show ``show`` (see _loaded)."""
        ops.switch.list_switches(self.session, owner=self).success(lambda sw: self._loaded(sw, show)).failure(
            lambda e: self.new_message.set_error(self.tr("Cannot list the virtual switches: {error}").format(
                error=describe(e)))).run()

    def _loaded(self, switches: list[dict], show: str | None = "") -> None:
        """The host's answer; ``show``: the switch to show then ("": the one shown before, None: the first)."""
        self._fill(switches, None if show is None else show or self.current_name())
        self.loads += 1

    def _fill(self, switches: list[dict], show: str | None = None) -> None:
        self.switches = sorted(switches, key=lambda s: s.get("name", "").lower())
        self.list.blockSignals(True)
        self.list.clear()
        new = QListWidgetItem(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder),
                              self.tr("New virtual switch"))
        font = QFont(new.font())
        font.setBold(True)
        new.setFont(font)
        new.setData(Qt.ItemDataRole.UserRole, NEW)
        self.list.addItem(new)
        for sw in self.switches:
            users = sw.get("vms") or []
            item = QListWidgetItem(self.style().standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon),
                                   f"{sw['name']}\n{type_text(sw.get('type', ''))}")
            item.setData(Qt.ItemDataRole.UserRole, sw["name"])
            item.setToolTip(self.tr("{name}: {type}, used by {vms}").format(
                name=sw["name"], type=type_text(sw.get("type", "")),
                vms=", ".join(users) if users else self.tr("no virtual machine")))
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [sw["name"] for sw in self.switches]
        self.select(show if show in (*names, NEW) else names[0] if names else NEW)

    def select(self, name: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(i)
                break
        else:
            self.list.setCurrentRow(0)
        self._show_current()

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def current(self) -> dict | None:
        name = self.current_name()
        return next((s for s in self.switches if s["name"] == name), None) if name else None

    def _show_current(self) -> None:
        sw = self.current()
        if sw is None:
            self.pages.setCurrentIndex(0)
            self._check_new()
            return
        self.pages.setCurrentIndex(1)
        self.name.blockSignals(True)
        self.name.setText(sw["name"])
        self.name.blockSignals(False)
        kind = sw.get("type", "")
        self.kind.setText(f"{type_text(kind)}: {translate('SwitchManager', TYPES[kind][1])}" if kind in TYPES
                          else kind)
        self.subnet.setText(sw.get("subnet") or "-")
        self.users.clear()
        for vm in sw.get("vms") or []:
            self.users.addItem(vm)
        if not sw.get("vms"):
            self.users.addItem(self.tr("(none)"))
        self._check_rename()

    # --- checks --------------------------------------------------------------------------------------------------
    def _name_problem(self, text: str, own: str | None = None) -> str:
        try:
            name = validate_name(text, "a switch name")
        except UsageError as e:
            return str(e)
        taken = next((s["name"] for s in self.switches if s["name"] != own and same_name(s["name"], name)), None)
        if taken is not None:
            return self.tr("a virtual switch named '{name}' already exists").format(name=taken)
        return ""

    def _check_new(self) -> None:
        if not self.able:
            self.new_message.set_error(self.tr("Cannot create virtual switches here: {why}").format(why=self.why))
            self.create_button.setEnabled(False)
            self.new_name.setEnabled(False)
            return
        text = self.new_name.text()
        problem = self._name_problem(text) if text.strip() else ""
        if problem:
            self.new_message.set_error(problem)
        else:
            self.new_message.set_info(self.tr("Connect virtual machines to it in their settings (Network "
                                              "Adapter) or in the New Virtual Machine wizard."))
        self.create_button.setEnabled(bool(text.strip()) and not problem)

    def _check_rename(self) -> None:
        sw = self.current()
        if sw is None:
            return
        users = sw.get("vms") or []
        if not self.able:
            self.message.set_error(self.tr("This host's switches cannot be changed here: {why}").format(why=self.why))
            for w in (self.name, self.rename_button, self.remove_button):
                w.setEnabled(False)
            return
        text = self.name.text()
        changed = text.strip() != sw["name"]
        problem = self._name_problem(text, own=sw["name"]) if changed else ""
        self.rename_button.setEnabled(changed and not problem)
        self.remove_button.setEnabled(not users)
        if problem:
            self.message.set_error(problem)
        elif users:
            why = self.tr("Used by {vms}: disconnect them first (Settings > Network Adapter) to remove it. A rename "
                          "keeps them connected.").format(vms=", ".join(users))
            self.message.set_info(why)
            self.remove_button.setToolTip(why)
        else:
            self.message.set_info(self.tr("No virtual machine uses {name}.").format(name=sw["name"]))
            self.remove_button.setToolTip(self.tr("Remove {name}").format(name=sw["name"]))

    # --- doing ---------------------------------------------------------------------------------------------------
    def create(self) -> None:
        if not self.create_button.isEnabled():
            return
        name = validate_name(self.new_name.text(), "a switch name")
        kind = next(k for k, b in self.type_buttons.items() if b.isChecked())
        self.create_button.setEnabled(False)
        self._submit(ops.switch.new_switch(self.session, name, kind, owner=self), name, self.new_message)

    def rename(self) -> None:
        sw = self.current()
        if sw is None or not self.rename_button.isEnabled():
            return
        new_name = validate_name(self.name.text(), "a switch name")
        self.rename_button.setEnabled(False)
        self._submit(ops.switch.rename_switch(self.session, sw["name"], new_name, owner=self), new_name, self.message)

    def remove(self) -> None:
        sw = self.current()
        if sw is None or not self.remove_button.isEnabled():
            return
        self.remove_button.setEnabled(False)
        self._submit(ops.switch.remove_switch(self.session, sw["name"], owner=self), None, self.message)

    def _submit(self, operation, show: str | None, message: FieldMessage) -> None:
        """Run a switch operation; its job, or its refusal, is told in ``message``."""
        operation.success(lambda job: self._started(job, show, message)).failure(
            lambda e: self._refused(e, message)).run()

    def _started(self, job: dict, show: str | None, message: FieldMessage) -> None:
        """A job began; once it ends the list is read again and ``show`` chosen (None: the first switch)."""
        self.pending[job["id"]] = (show, message)
        message.set_info(self.tr("{job} (job {id})...").format(job=job.get("name", ""), id=job["id"]))
        known = self.session.jobs_model.job(job["id"]) or job  # it may have ended before this answer came
        if known.get("state") in ("Completed", "Failed", "Cancelled"):
            self._job_done(known)

    def _refused(self, error: BaseException, message: FieldMessage) -> None:
        if message is self.message:
            self._show_current()  # the buttons as they were
        else:
            self._check_new()
        message.set_error(describe(error))

    def _job_done(self, job: dict) -> None:
        wanted = self.pending.pop(job.get("id"), None)
        if wanted is None:
            if job.get("name") in (*SWITCH_JOBS, *VM_JOBS):  # someone else's change: who uses what may differ
                self.load()
            return
        show, message = wanted
        if job.get("state") != "Completed":
            self.load()
            message.set_error(job.get("error") or self.tr("{job} did not complete").format(job=job.get("name")))
            return
        if show is not None and self.current_name() == NEW:
            self.new_name.clear()
        ops.switch.list_switches(self.session, owner=self).success(lambda switches: self._loaded(switches, show)).run()
