"""Configure Networking: the virtual switch the VM's network adapter connects to (the host's switches, looked up
off the GUI thread), its IPv4 address, and a new private switch where the host makes switches."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLineEdit, QPushButton

from gui import operations as ops
from gui import validation as val
from gui.models.jobs import FINISHED
from gui.tasks import describe
from gui.widgets.named import named

from .common import Page


class NetworkPage(Page):
    """The switch the VM's adapter connects to (``network()``: "" for not connected) and its IPv4 address
    (``ip``, empty: the next free one); where the host makes switches, a new private one."""

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Configure Networking"),
                         self.tr("Each VM has one synthetic network adapter; choose the virtual switch it connects "
                                 "to, or leave it not connected."),
                         self.tr("Networking"))
        switch_row = QHBoxLayout()
        self.switch = named(QComboBox(), "switch", self.tr("Connection"))
        self.switch.addItem(self.tr("Not connected"), "")
        self.new_switch = QPushButton(self.tr("New Virtual &Switch..."))
        self.new_switch.clicked.connect(self._ask_switch)
        switch_row.addWidget(self.switch, 1)
        switch_row.addWidget(self.new_switch)
        self.ip = named(QLineEdit(), "ip", self.tr("IPv4 address"))
        self.ip.setPlaceholderText(self.tr("automatic: the next free address on the switch"))
        self.field_form((self.tr("&Connection:"), switch_row, self.switch), (self.tr("&IPv4 address:"), self.ip))
        self.switches: list[dict] = []
        self._loaded = False
        self._switch_job: tuple[int, str] | None = None  # (job id, name) of the switch being created
        self.switch.currentIndexChanged.connect(self.changed)
        self.ip.textChanged.connect(self.changed)
        self._offer_new_switch()
        self.switch.setWhatsThis(self.tr("The virtual switch the VM's network adapter connects to: VMs on one switch "
                                         "reach each other, and an internal switch also reaches this host. Not "
                                         "connected: the VM gets an adapter once you choose a switch in its settings "
                                         "(--switch)."))
        self.ip.setWhatsThis(self.tr("The guest's IPv4 address on the switch. Leave it empty for the next free "
                                     "address of the switch's subnet (--ip)."))

    def _offer_new_switch(self) -> None:
        """A new switch only where the host makes switches (it says why not otherwise)."""
        can = self.facts.can("switches")
        self.new_switch.setEnabled(can)
        self.new_switch.setToolTip(self.tr("Create a private virtual switch on this host") if can
                                   else self.facts.why_not("switches"))

    def host_changed(self) -> None:
        self._offer_new_switch()
        super().host_changed()

    def initializePage(self) -> None:
        if not self._loaded:
            self.load()
        self.changed()

    def load(self, select: str = "") -> None:
        self.message.set_info(self.tr("Looking up the host's virtual switches..."))
        ops.switch.list_switches(self.wiz.session, owner=self).success(
            lambda switches: self._loaded_switches(switches, select)).failure(
            lambda e: self.message.set_error(self.tr("Cannot list virtual switches: {why}").format(
                why=describe(e)))).run()

    def _loaded_switches(self, switches: list[dict], select: str) -> None:
        self._loaded = True
        self.switches = switches
        current = select or self.switch.currentData() or ""
        self.switch.blockSignals(True)
        self.switch.clear()
        self.switch.addItem(self.tr("Not connected"), "")
        for sw in switches:
            self.switch.addItem(f"{sw['name']} ({sw.get('type', '')}, {sw.get('subnet', '')})", sw["name"])
        self.switch.setCurrentIndex(max(0, self.switch.findData(current)))
        self.switch.blockSignals(False)
        self.changed()

    def _ask_switch(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("new_switch_dialog")
        dialog.setWindowTitle(self.tr("New Virtual Switch"))
        dialog.setLabelText(self.tr("Name of the new private virtual switch (VMs on it can reach each other):"))
        dialog.textValueSelected.connect(self.create_switch)
        dialog.open()

    def create_switch(self, name: str) -> None:
        """A private switch, as a job of the host (the jobs strip shows it); the list follows once it has ended."""
        self.message.set_info(self.tr("Creating virtual switch '{name}'...").format(name=name))
        ops.switch.new_switch(self.wiz.session, name, owner=self).success(
            lambda job: self._switch_started(job, name)).failure(
            lambda e: self.message.set_error(describe(e))).run()

    def _switch_started(self, job: dict, name: str) -> None:
        session = self.wiz.session
        self._switch_job = (job.get("id"), name)
        known = session.jobs_model.job(job.get("id")) or job  # it may have ended before this was called
        if known.get("state") in FINISHED:
            self._switch_ended(known)
        else:
            session.job_done.connect(self._switch_ended)

    def _switch_ended(self, job: dict) -> None:
        if self._switch_job is None or job.get("id") != self._switch_job[0]:
            return
        name = self._switch_job[1]
        self._switch_job = None
        try:
            self.wiz.session.job_done.disconnect(self._switch_ended)
        except (RuntimeError, TypeError):
            pass
        if job.get("state") == "Completed":
            self.load(select=(job.get("result") or {}).get("name") or name)
        else:
            self.message.set_error(self.tr("Virtual switch '{name}' not created: {why}").format(
                name=name, why=job.get("error") or job.get("state")))

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
            text = self.tr("Not connected: the VM gets a network adapter once you choose a switch in its settings.")
            if not self.switches:
                text += " " + self.tr("This host has no virtual switches yet.")
            self.message.set_info(text)
        else:
            self.message.clear()

    def network(self) -> str:
        return self.switch.currentData() or ""
