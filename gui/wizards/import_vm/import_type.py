"""Choose Import Type: register in place, restore (a copy that keeps the unique ID) or copy with a new unique ID,
each offered as the host would take it (read_export's modes: a mode it refuses is greyed with the reason under
it), and the imported virtual machine's name, checked against the host's virtual machines as it is typed."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout

from core.model.errors import UsageError
from core.model.names import same_name, validate_name
from gui.widgets.builders import add_message
from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

from .common import MODES, Page, mode_text, refusal_text


class ImportTypePage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Choose Import Type"), self.tr("Choose the type of import to perform."),
                         layout=QVBoxLayout)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.reasons: dict[str, QLabel] = {}
        for i, mode in enumerate(MODES):
            radio = named(QRadioButton(mode_text(mode)), f"import_mode_{mode}")
            self.group.addButton(radio, i)
            reason = WrappedLabel("")
            reason.setObjectName(f"import_reason_{mode}")
            reason.setContentsMargins(24, 0, 0, 6)
            reason.setEnabled(False)
            self.box.addWidget(radio)
            self.box.addWidget(reason)
            self.radios[mode], self.reasons[mode] = radio, reason
        self.group.idToggled.connect(lambda _i, on: self.changed() if on else None)
        form = QFormLayout()
        self.name = named(QLineEdit(), "import_name", self.tr("Name"))
        form.addRow(self.tr("&Name:"), self.name)
        form.labelForField(self.name).setBuddy(self.name)
        self.box.addSpacing(8)
        self.box.addLayout(form)
        self.message = add_message(self.box, "import_type_message")
        self.box.addStretch(1)
        self.name.textChanged.connect(self.changed)
        self._for: tuple | None = None  # the export (and host) the choices were set for
        self.radios["register"].setWhatsThis(self.tr("Register the virtual machine where its files are. This host "
                                                     "keeps every virtual machine in its own store, so it refuses "
                                                     "this (--register)."))
        self.radios["copy"].setWhatsThis(self.tr("Copy the files into the host's store and keep the virtual machine's "
                                                 "unique ID: refused if a virtual machine with that ID exists here "
                                                 "(--copy)."))
        self.radios["new_id"].setWhatsThis(self.tr("Copy the files into the host's store under a new unique ID, so "
                                                   "that the same export can be imported again (--new-id)."))
        self.name.setWhatsThis(self.tr("The imported virtual machine's name; the exported name at first (--name)."))

    def info(self) -> dict:
        return self.wiz.select_page.chosen() or {}

    def offered(self, mode: str) -> dict:
        return ((self.info().get("modes") or {}).get(mode)) or {"ok": mode != "register"}

    def initializePage(self) -> None:
        info = self.info()
        key = (info.get("path"), info.get("id"), id(self.wiz.destination))
        host = self.wiz.destination.host_label
        for mode in MODES:
            answer = self.offered(mode)
            self.radios[mode].setEnabled(bool(answer.get("ok")))
            why = "" if answer.get("ok") else refusal_text(answer, host)
            self.reasons[mode].setText(why)
            self.reasons[mode].setVisible(bool(why))
            self.radios[mode].setToolTip(why)
        if key != self._for:
            self._for = key
            first = next((m for m in ("copy", "new_id") if self.offered(m).get("ok")), None)
            if first:
                self.radios[first].setChecked(True)
            self.name.setText(info.get("name", ""))
        self.changed()

    def mode(self) -> str | None:
        checked = self.group.checkedButton()
        return next((m for m, r in self.radios.items() if r is checked and r.isEnabled()), None)

    def vm_name(self) -> str:
        return self.name.text().strip()

    def name_param(self) -> str:
        """The name to send ("" when it is the export's own)."""
        name = self.vm_name()
        return "" if name == self.info().get("name") else name

    def name_problem(self) -> str | None:
        name = self.vm_name()
        if not name:
            return self.tr("Give the virtual machine a name.")
        try:
            validate_name(name)
        except UsageError as e:
            return str(e)
        taken = next((vm["name"] for vm in self.wiz.destination.vm_model.vms() if same_name(vm["name"], name)), None)
        if taken is not None:
            return self.tr("A virtual machine named {name} already exists on {host}: give another name.").format(
                name=taken, host=self.wiz.destination.host_label)
        return None

    def problem(self) -> str | None:
        if self.mode() is None:
            return self.tr("Choose the type of import.")
        return self.name_problem()

    def update_messages(self) -> None:
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        elif self.mode() == "copy":
            self.message.set_info(self.tr("The files are copied into the host's store; the virtual machine keeps its "
                                          "unique ID, so this export cannot be restored here a second time."))
        else:
            self.message.set_info(self.tr("The files are copied into the host's store under a new unique ID: the same "
                                          "export can be imported again."))
