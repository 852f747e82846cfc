"""Select Networks: each network the source's adapters were on, mapped to a virtual switch of the destination host
(its switches, looked up off the GUI thread), or left not connected. A switch named as the source network is
chosen at first. Adapters the host does not carry over (an engine with one adapter a VM) are said so."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout

from gui import operations as ops
from gui.tasks import describe
from gui.widgets.builders import add_message
from gui.widgets.named import named

from .common import Page


class ConvertNetworksPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Networks"),
                         self.tr("Connect each network of the source to a virtual switch of the host."),
                         self.tr("Networks"), layout=QVBoxLayout)
        self.form = QFormLayout()
        self.box.addLayout(self.form)
        self.message = add_message(self.box, "networks_message")
        self.box.addStretch(1)
        self.combos: dict[str, QComboBox] = {}  # source network -> its switch
        self.switches: list[dict] | None = None
        self._for: tuple | None = None  # (destination, source) the rows were made for
        self.setWhatsThis(self.tr("Connect each network of the source to a virtual switch of the host; an adapter "
                                  "left not connected can be connected later in the VM's settings (--network-map "
                                  "NETWORK=SWITCH)."))

    def networks(self) -> list[str]:
        """The source's networks in the order of its adapters (each once; adapters on no network are left out)."""
        src = (self.wiz.source_page.answer() or {}).get("source") or {}
        return list(dict.fromkeys(n.get("network") for n in src.get("nics") or () if n.get("network")))

    def initializePage(self) -> None:
        key = (self.wiz.destination, self.wiz.source_page.source())
        if key != self._for:
            self._for = key
            self.switches = None
            self._rows()
            self.message.set_info(self.tr("Looking up the virtual switches of {host}...").format(
                host=self.wiz.destination.host_label))
            ops.switch.list_switches(self.wiz.destination, owner=self).success(
                lambda switches, k=key: self._loaded(k, switches)).failure(
                lambda e: self.message.set_error(self.tr("Cannot list virtual switches: {why}").format(
                    why=describe(e)))).run()
        self.changed()

    def _loaded(self, key: tuple, switches: list[dict]) -> None:
        if key != self._for:
            return
        self.switches = switches
        self._rows()
        self.changed()

    def _rows(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        names = [sw["name"] for sw in self.switches or ()]
        nics = ((self.wiz.source_page.answer() or {}).get("source") or {}).get("nics") or []
        for network in self.networks():
            combo = named(QComboBox(), f"network_{network}", self.tr("Switch for {network}").format(network=network))
            combo.addItem(self.tr("Not connected"), "")
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(network)))
            combo.setEnabled(self.switches is not None)
            combo.currentIndexChanged.connect(self.changed)
            self.combos[network] = combo
            adapters = [i for i, n in enumerate(nics, 1) if n.get("network") == network]
            models = ", ".join(dict.fromkeys(n.get("model") or n.get("name") or n.get("mac") or "?"  # physical: MAC
                                             for n in nics if n.get("network") == network))
            label = QLabel(self.tr("Network '{network}' (adapter {adapters}: {models}):").format(
                network=network, adapters=", ".join(map(str, adapters)), models=models))
            label.setBuddy(combo)
            self.form.addRow(label, combo)

    def network_map(self) -> dict[str, str]:
        return {network: combo.currentData() for network, combo in self.combos.items() if combo.currentData()}

    def update_messages(self) -> None:
        if self.switches is None:
            return
        src = (self.wiz.source_page.answer() or {}).get("source") or {}
        nics = src.get("nics") or []
        plan = (self.wiz.report_page.check.answer or {}).get("plan") or {}
        taken = len(plan.get("nics") or ()) if plan else len(nics)
        if not nics:
            self.message.set_info(self.tr("The source has no network adapters."))
            return
        lines = []
        if taken < len(nics):
            lines.append(self.tr("{host} takes {taken} of the source's {count} network adapters; the others are "
                                 "not converted.").format(host=self.wiz.destination.host_label, taken=taken,
                                                          count=len(nics)))
        if not self.combos:
            lines.append(self.tr("The source's adapters are on no named network: the VM's adapter is left not "
                                 "connected."))
        elif not self.switches:
            lines.append(self.tr("{host} has no virtual switches yet: the adapter is left not connected (create a "
                                 "switch, then choose it in the VM's settings).").format(
                host=self.wiz.destination.host_label))
        elif len(self.network_map()) < len(self.combos):
            lines.append(self.tr("An adapter left not connected can be connected later in the VM's settings."))
        if lines:
            self.message.set_info(" ".join(lines))
        else:
            self.message.clear()
