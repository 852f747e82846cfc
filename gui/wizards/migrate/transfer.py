"""Transfer: how the VM moves - live (its memory in rounds while it runs), quick (saved, moved, restored), a network
copy (an Off or Saved VM's files), or its storage only (its disk to another folder of its own host) - with the
automatic choice preselected and why (the precheck's), the bandwidth and downtime limits and auto-converge.
A libvirt domain moves live or paused (libvirt's own migration), optionally copying its disks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QFormLayout, QGroupBox, QRadioButton, QSpinBox, QVBoxLayout

from gui import placement_words
from gui.widgets.field_message import FieldMessage, WrappedLabel
from gui.widgets.named import named

from ..new_vm.common import Page, hint, narrow
from .select_host import transfer_text

RUNNING = ("Running", "Paused")
MiB = 1 << 20
DOWNTIME_DEFAULT_MS = 50


class TransferPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Transfer"),
                         self.tr("How the VM moves, and how hard it may use the link."), layout=QVBoxLayout)
        box = QGroupBox(self.tr("Transfer type"))
        v = QVBoxLayout(box)
        libvirt = wizard.is_libvirt
        self.buttons = {
            "live": named(QRadioButton(self.tr("&Live")), "type_live"),
            "quick": named(QRadioButton(self.tr("&Paused") if libvirt else self.tr("&Quick")), "type_quick"),
            "network": named(QRadioButton(self.tr("&Network copy")), "type_network"),
            "storage": named(QRadioButton(self.tr("Move &storage only")), "type_storage"),
        }
        self.descriptions = {
            "live": self.tr("The VM keeps running while its memory moves; it pauses only for the last copy."),
            "quick": self.tr("libvirt pauses the VM while its memory moves.") if libvirt else
            self.tr("The VM is saved, moved and restored: it is down meanwhile."),
            "network": self.tr("The files of a VM that is off or saved are copied."),
            "storage": self.tr("Its disk moves to another folder of its own host while it runs."),
        }
        self.notes: dict[str, WrappedLabel] = {}
        self.group = QButtonGroup(self)
        for key, button in self.buttons.items():
            self.group.addButton(button)
            v.addWidget(button)
            note = WrappedLabel(self.descriptions[key])
            note.setObjectName(f"type_{key}_note")
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setContentsMargins(24, 0, 0, 4)
            v.addWidget(note)
            self.notes[key] = note
            button.toggled.connect(self.changed)
        self.why = WrappedLabel()
        self.why.setObjectName("transfer_why")
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        v.addWidget(self.why)
        self.per_vm = WrappedLabel()  # several VMs: each one's automatic type (their states may differ)
        self.per_vm.setObjectName("transfer_per_vm")
        self.per_vm.setTextFormat(Qt.TextFormat.PlainText)
        self.per_vm.setVisible(wizard.bulk)
        v.addWidget(self.per_vm)
        self.box.addWidget(box)
        limits = QGroupBox(self.tr("Limits"))
        form = QFormLayout(limits)
        self.bandwidth = named(QSpinBox(), "bandwidth", self.tr("Bandwidth limit"))
        self.bandwidth.setRange(0, 1 << 20)
        self.bandwidth.setSuffix(self.tr(" MiB/s"))
        self.bandwidth.setSpecialValueText(self.tr("No limit"))
        self.bandwidth.setToolTip(self.tr("At most this much of the link; 0: as fast as it goes"))
        narrow(self.bandwidth)
        form.addRow(self.tr("&Bandwidth limit:"), self.bandwidth)
        self.downtime = named(QSpinBox(), "downtime_limit", self.tr("Downtime limit"))
        self.downtime.setRange(1, 60_000)
        self.downtime.setSuffix(self.tr(" ms"))
        self.downtime.setValue(DOWNTIME_DEFAULT_MS)
        self.downtime.setToolTip(self.tr("Live: the last copy starts once what is left fits this pause"))
        narrow(self.downtime)
        form.addRow(self.tr("&Downtime limit:"), self.downtime)
        self.auto_converge = named(QCheckBox(self.tr("&Auto-converge")), "auto_converge")
        self.auto_converge.setChecked(True)
        self.auto_converge.setToolTip(self.tr("Slow the guest's processors down while it dirties memory faster "
                                              "than the link carries it, so the move can end"))
        form.addRow("", self.auto_converge)
        self.auto_hint = hint(self.tr("Slows the guest's processors down while it dirties memory faster than the "
                                      "link carries it, so that the move can end."))
        form.addRow("", self.auto_hint)
        self.copy_storage = named(QCheckBox(self.tr("&Copy the disks (they are not shared between the hosts)")),
                                  "copy_storage")
        form.addRow("", self.copy_storage)
        self.box.addWidget(limits)
        self.message = FieldMessage()
        self.message.setObjectName("transfer_message")
        self.box.addWidget(self.message)
        self.box.addStretch(1)
        for w in (self.bandwidth, self.downtime):
            w.valueChanged.connect(self.changed)
        self.auto_converge.toggled.connect(self.changed)
        form.setRowVisible(self.copy_storage, libvirt)
        for w in (self.bandwidth, self.downtime, self.auto_converge, self.auto_hint):
            form.setRowVisible(w, not libvirt)
        self._limits = form
        self._auto_for = None  # the (destination, automatic type) the buttons were set for
        self.buttons["live"].setWhatsThis(self.tr("Live: the VM keeps running while its memory is copied in rounds; "
                                                  "it pauses only for the last copy (--type live)."))
        self.buttons["quick"].setWhatsThis(self.tr("Quick: the VM is saved, moved and restored on the other host; it "
                                                   "is down meanwhile (--type quick)."))
        self.buttons["network"].setWhatsThis(self.tr("Network copy: the files of a VM that is Off or Saved are copied "
                                                     "to the other host (--type network)."))
        self.buttons["storage"].setWhatsThis(self.tr("Move storage only: the VM stays on its host while its virtual "
                                                     "hard disk moves to another folder (bulkhead vm move-storage)."))
        self.bandwidth.setWhatsThis(self.tr("At most this much of the link for the move, in MiB/s; 0 takes what the "
                                            "link gives. A lower limit leaves room for other traffic but makes the "
                                            "move take longer (--bandwidth)."))
        self.downtime.setWhatsThis(self.tr("For a live move: the last copy, while the VM is paused, starts once what "
                                           "is left can be sent within this time (--downtime-limit)."))
        self.auto_converge.setWhatsThis(self.tr("Slow the guest's processors down when it dirties memory faster than "
                                                "the link carries it, so that a live move can finish."))
        self.copy_storage.setWhatsThis(self.tr("Copy the VM's virtual hard disks along with it, for disks the "
                                               "destination cannot reach where they are."))

    # --- what can be chosen ----------------------------------------------------------------------------------------
    def offered(self) -> dict[str, str]:
        """type -> "" where it can be chosen, else why not (several VMs: where it fits every one)."""
        out: dict[str, str] = {}
        for vm in self.wiz.vms:
            for key, why in self._offered(vm.get("state", "")).items():
                out[key] = out.get(key) or (why if not self.wiz.bulk or not why else
                                            self.tr("{name}: {why}").format(name=vm["name"], why=why))
        return out

    def automatic_for(self, name: str) -> tuple[str, str]:
        """(type, why) one of several VMs would take by itself: its precheck's answer, else from its state."""
        kind, why = ((self.wiz.check or {}).get("types") or {}).get(name) or ("", "")
        if kind in self.buttons:
            return kind, why
        state = next((v.get("state", "") for v in self.wiz.vms if v["name"] == name), "")
        return ("live", "") if state in RUNNING else ("network", "")

    def type_for(self, name: str | None) -> str:
        """The type asked for the move of ``name`` (one of several): "auto" where the choice is its own automatic
        one, or where no choice fits them all."""
        if not self.wiz.bulk or name is None:
            return self.type_param()
        chosen = self.chosen()
        return "auto" if not chosen or chosen == self.automatic_for(name)[0] else chosen

    def _offered(self, state: str) -> dict[str, str]:
        wiz = self.wiz
        here = wiz.destination is wiz.session
        out = {}
        for key in self.buttons:
            why = ""
            if key == "storage":
                if not here:
                    why = self.tr("only on the VM's own host (choose it on Select Host)")
                elif wiz.is_libvirt:
                    why = self.tr("libvirt moves a domain's disks itself (virsh blockcopy)")
                else:
                    can, reason = wiz.session.can("move_storage")
                    why = "" if can else reason
            elif here:
                why = self.tr("the VM is on this host already")
            elif key in ("live", "quick") and state not in RUNNING:
                why = self.tr("the VM is {state}, not running").format(state=state)
            elif key == "network" and (state in RUNNING or wiz.is_libvirt):
                why = self.tr("a running VM moves live or quick") if not wiz.is_libvirt else \
                    self.tr("libvirt moves running domains")
            out[key] = why
        return out

    def automatic(self) -> tuple[str, str]:
        """(type, why) the move would take by itself: the precheck's answer, else from the VM's state."""
        wiz = self.wiz
        if wiz.destination is wiz.session:
            return "storage", self.tr("the VM stays on its host: only its disk moves to another folder")
        check = wiz.check or {}
        if check.get("type") in self.buttons and not wiz.is_libvirt:
            return check["type"], placement_words.text(check.get("type_reason") or "")
        if wiz.vm.get("state") in RUNNING:
            return "live", self.tr("the VM is {state}: it keeps running while its memory moves").format(
                state=wiz.vm.get("state"))
        return "network", self.tr("the VM is {state}: its files are copied").format(state=wiz.vm.get("state"))

    def initializePage(self) -> None:
        offered = self.offered()
        auto, why = self.automatic()
        for key, button in self.buttons.items():
            button.setEnabled(not offered[key])
            button.setToolTip(offered[key])
            note = self.notes[key]
            note.setText(self.tr("{what} Not here: {why}.").format(what=self.descriptions[key], why=offered[key])
                         if offered[key] else self.descriptions[key])
            note.setEnabled(not offered[key])
            shown = not (self.wiz.is_libvirt and key in ("network", "storage"))
            button.setVisible(shown)
            note.setVisible(shown)
        storage = auto == "storage"
        if not self.wiz.is_libvirt:
            for w in (self.downtime, self.auto_converge, self.auto_hint):
                self._limits.setRowVisible(w, not storage)
        self.wiz.flow_changed()
        if self._auto_for != (self.wiz.destination, auto) or not self.chosen():
            self._auto_for = (self.wiz.destination, auto)
            if not offered.get(auto, "x"):
                self.buttons[auto].setChecked(True)
        self.why.setText(self.tr("Recommended: {type}, because {why}.").format(type=transfer_text(auto), why=why)
                         if why else self.tr("Recommended: {type}.").format(type=transfer_text(auto)))
        if self.wiz.bulk:
            lines = []
            for name in self.wiz.names:
                kind, reason = self.automatic_for(name)
                lines.append(self.tr("{name}: {type} by itself ({why})").format(
                    name=name, type=transfer_text(kind), why=reason) if reason else
                    self.tr("{name}: {type} by itself").format(name=name, type=transfer_text(kind)))
            self.per_vm.setText(self.tr("Each VM moves by its own automatic type unless a type is chosen that "
                                        "fits them all:") + "\n" + "\n".join(lines))
        self.changed()

    def chosen(self) -> str:
        return next((k for k, b in self.buttons.items() if b.isChecked() and b.isEnabled()), "")

    def type_param(self) -> str:
        """The type the move is asked for: "auto" when it is the automatic choice (the host then decides the same
        way, and may still fall back from live to quick where files must be copied)."""
        chosen = self.chosen()
        return "auto" if chosen and chosen == self.automatic()[0] and chosen != "storage" else chosen or "auto"

    def options(self) -> dict:
        live = self.chosen() == "live"
        return {"bandwidth": self.bandwidth.value() * MiB, "downtime_limit": self.downtime.value() / 1000.0,
                "auto_converge": self.auto_converge.isChecked() if live else True,
                "copy_storage": self.copy_storage.isChecked()}

    def problem(self) -> str | None:
        if not self.chosen() and self.wiz.bulk and self.wiz.check is not None:
            return None  # no one type fits them all: each VM moves by its automatic type
        if not self.chosen():
            offered = self.offered()
            reasons = [why for why in offered.values() if why]
            return self.tr("No transfer type fits: {why}").format(why=reasons[0]) if len(reasons) == len(offered) \
                else self.tr("Choose a transfer type.")
        return None

    def update_messages(self) -> None:
        live = self.chosen() == "live"
        self.downtime.setEnabled(live)
        self.auto_converge.setEnabled(live)
        self.auto_hint.setEnabled(live)
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        else:
            self.message.clear()
