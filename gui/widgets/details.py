"""The details pane under the VM list: summary, memory, networking, integration services and KVP of the selected VM,
or the host's (parent partition's) resources when a host is selected.

Networking, integration services and KVP come from the VM's VMBus devices (channel states, heartbeat, the guest's
key-value pairs); a VM without them says so plainly instead of showing empty tables.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import format as fmt
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.vmstates import state_text

_CONTEXT = "DetailsPane"
# Hyper-V's names -> the VMBus device that provides each (None: not offered by this engine); the names are keys,
# shown translated
INTEGRATION_SERVICES = {QT_TRANSLATE_NOOP("DetailsPane", "Operating system shutdown"): "shutdown",
                        QT_TRANSLATE_NOOP("DetailsPane", "Time synchronization"): "timesync",
                        QT_TRANSLATE_NOOP("DetailsPane", "Data exchange (KVP)"): "kvp",
                        QT_TRANSLATE_NOOP("DetailsPane", "Heartbeat"): "heartbeat",
                        QT_TRANSLATE_NOOP("DetailsPane", "Backup (volume snapshot)"): None}


def _t(text: str) -> str:
    return translate(_CONTEXT, text)
_RUNNING = ("Running", "Paused", "Saving", "Pausing", "Resuming")
# the rows of the summary, memory and host forms (their English names are the keys)
SUMMARY_ROWS = (
    QT_TRANSLATE_NOOP("DetailsPane", "Name"),
    QT_TRANSLATE_NOOP("DetailsPane", "State"),
    QT_TRANSLATE_NOOP("DetailsPane", "Health"),
    QT_TRANSLATE_NOOP("DetailsPane", "Heartbeat"),
    QT_TRANSLATE_NOOP("DetailsPane", "Uptime"),
    QT_TRANSLATE_NOOP("DetailsPane", "CPU usage"),
    QT_TRANSLATE_NOOP("DetailsPane", "Virtual processors"),
    QT_TRANSLATE_NOOP("DetailsPane", "Guest image"),
    QT_TRANSLATE_NOOP("DetailsPane", "Workload"),
    QT_TRANSLATE_NOOP("DetailsPane", "Guest command line"),
    QT_TRANSLATE_NOOP("DetailsPane", "Hard disk"),
    QT_TRANSLATE_NOOP("DetailsPane", "VM exits"),
    QT_TRANSLATE_NOOP("DetailsPane", "Automatic start"),
    QT_TRANSLATE_NOOP("DetailsPane", "Automatic stop"),
    QT_TRANSLATE_NOOP("DetailsPane", "Created"),
    QT_TRANSLATE_NOOP("DetailsPane", "Folder"),
    QT_TRANSLATE_NOOP("DetailsPane", "Notes"),
)
MEMORY_ROWS = (
    QT_TRANSLATE_NOOP("DetailsPane", "Startup memory"),
    QT_TRANSLATE_NOOP("DetailsPane", "Assigned memory"),
    QT_TRANSLATE_NOOP("DetailsPane", "Resident in the host"),
    QT_TRANSLATE_NOOP("DetailsPane", "Dynamic memory"),
)
HOST_ROWS = (
    QT_TRANSLATE_NOOP("DetailsPane", "Host"),
    QT_TRANSLATE_NOOP("DetailsPane", "Parent partition"),
    QT_TRANSLATE_NOOP("DetailsPane", "Hypervisor"),
    QT_TRANSLATE_NOOP("DetailsPane", "Processor"),
    QT_TRANSLATE_NOOP("DetailsPane", "Logical processors"),
    QT_TRANSLATE_NOOP("DetailsPane", "Memory"),
    QT_TRANSLATE_NOOP("DetailsPane", "Memory assigned to running VMs"),
    QT_TRANSLATE_NOOP("DetailsPane", "Virtual machines"),
    QT_TRANSLATE_NOOP("DetailsPane", "Host service"),
    QT_TRANSLATE_NOOP("DetailsPane", "Store"),
    QT_TRANSLATE_NOOP("DetailsPane", "Notice"),
)


class _Form(QWidget):
    """Label/value rows whose values can be selected and copied. Rows are known by their English names (marked for
    translation where they are listed) and shown translated."""

    def __init__(self, rows: list[str], parent=None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.values: dict[str, QLabel] = {}
        for row in rows:
            self.add(row)

    def add(self, row: str) -> QLabel:
        value = QLabel()
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setWordWrap(True)
        value.setAccessibleName(_t(row))
        label = QLabel(translate("DetailsPane", "{row}:").format(row=_t(row)))
        label.setBuddy(value)
        self._layout.addRow(label, value)
        self.values[row] = value
        return value

    def set(self, row: str, text: str) -> None:
        label = self.values[row]
        text = text if text not in (None, "") else "-"
        if label.text() != text:
            label.setText(text)
            label.setAccessibleDescription(text)


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class DetailsPane(QStackedWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Details"))
        self.message = QLabel(self.tr("Select a virtual machine to see its details."))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.addWidget(self.message)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Virtual machine details"))
        self.summary = _Form(SUMMARY_ROWS)
        self.memory = _Form(MEMORY_ROWS)
        self.resident_bar = QProgressBar()
        self.resident_bar.setAccessibleName(self.tr("Guest memory resident in the host"))
        self.resident_bar.setRange(0, 100)
        self.memory._layout.addRow(self.tr("Resident share:"), self.resident_bar)
        self.network = QWidget()
        net_layout = QVBoxLayout(self.network)
        self.adapters = QTreeWidget()
        self.adapters.setHeaderLabels([self.tr("Adapter"), self.tr("Virtual switch"), self.tr("Status"),
                                       self.tr("IP address"), self.tr("Received"), self.tr("Sent")])
        self.adapters.setRootIsDecorated(False)
        self.adapters.setAccessibleName(self.tr("Network adapters"))
        self.network_note = QLabel()
        self.network_note.setWordWrap(True)
        net_layout.addWidget(self.adapters)
        net_layout.addWidget(self.network_note)
        self.integration = QWidget()
        int_layout = QHBoxLayout(self.integration)
        self.services = QTreeWidget()
        self.services.setHeaderLabels([self.tr("Integration service"), self.tr("Status")])
        self.services.setRootIsDecorated(False)
        self.services.setAccessibleName(self.tr("Integration services"))
        self.kvp = QTreeWidget()
        self.kvp.setHeaderLabels([self.tr("Key (KVP)"), self.tr("Value"), self.tr("From")])
        self.kvp.setRootIsDecorated(False)
        self.kvp.setAccessibleName(self.tr("Key-value pairs from the guest"))
        self.kvp_note = QLabel()
        self.kvp_note.setWordWrap(True)
        kvp_box = QVBoxLayout()
        kvp_box.setContentsMargins(0, 0, 0, 0)
        kvp_title = QLabel(self.tr("Key-value pairs exchanged with the guest (data exchange):"))
        kvp_title.setWordWrap(True)
        kvp_box.addWidget(kvp_title)
        kvp_box.addWidget(self.kvp, 1)
        kvp_box.addWidget(self.kvp_note)
        int_layout.addWidget(self.services, 1)
        int_layout.addLayout(kvp_box, 1)
        self.tabs.addTab(_scroll(self.summary), self.tr("Summary"))
        self.tabs.addTab(_scroll(self.memory), self.tr("Memory"))
        self.tabs.addTab(self.network, self.tr("Networking"))
        self.tabs.addTab(self.integration, self.tr("Integration Services"))
        self.addWidget(self.tabs)

        self.host = _Form(HOST_ROWS)
        self.addWidget(_scroll(self.host))
        self._vm_id = ""
        self.set_network_adapters(None)
        self.set_integration_services(None)
        self.set_kvp(None)

    # --- what is shown -------------------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self._vm_id = ""
        self.message.setText(text)
        self.setCurrentIndex(0)

    def show_vm(self, vm: dict, cpu: float | None = None, status: str = "", libvirt: bool = False) -> None:
        """``libvirt``: a domain of a libvirt host (no Bulkhead guest image or workload profile)."""
        self._vm_id = vm.get("id", "")
        self.setCurrentIndex(1)
        s = self.summary
        counters = vm.get("counters") or {}
        s.set("Name", vm.get("name", ""))
        s.set("State", state_text(vm.get("state", "")) + (f": {vm['reason']}" if vm.get("reason") else ""))
        health = vm.get("health") or ""
        s.set("Health", f"{health}: {vm['health_reason']}" if vm.get("health_reason") else health)
        s.set("Heartbeat", vm.get("heartbeat") or (status if vm.get("state") == "Running" else ""))
        s.set("Uptime", fmt.uptime(vm.get("uptime")))
        s.set("CPU usage", "" if cpu is None else f"{fmt.decimal(cpu)} %")
        s.set("Virtual processors", str(vm.get("vcpus", "")))
        if libvirt:
            s.set("Guest image", self.tr("Boots from {image}").format(image=vm["image"]) if vm.get("image")
                  else self.tr("Its disks (libvirt domain)"))
            s.set("Workload", "")
        else:
            s.set("Guest image", self.tr("Bundled Bulkhead guest") if vm.get("image") in ("", "bundled") else
                  vm.get("image", ""))
            s.set("Workload", fmt.workload_text(vm.get("workload", "")))
        s.set("Guest command line", vm.get("cmdline", ""))
        disk = vm.get("disk") or ""
        controller = {"synthetic": self.tr("synthetic SCSI over VMBus"), "emulated": self.tr("emulated IDE")}.get(
            vm.get("disk_controller", ""), vm.get("disk_controller", ""))
        s.set("Hard disk", f"{disk} ({controller})" if disk else self.tr("None"))
        exits = counters.get("exits") or {}
        s.set("VM exits", f"{sum(exits.values()):,} (" + ", ".join(f"{k} {v:,}" for k, v in sorted(exits.items()))
              + ")" if exits else "")
        s.set("Automatic start", _action_text(vm.get("automatic_start_action", "")))
        s.set("Automatic stop", _action_text(vm.get("automatic_stop_action", "")))
        created = vm.get("created")
        s.set("Created", time.strftime("%Y-%m-%d %H:%M", time.localtime(created)) if created else "")
        s.set("Folder", vm.get("folder", ""))
        s.set("Notes", vm.get("notes", ""))
        m = self.memory
        memory = vm.get("memory") or 0
        m.set("Startup memory", fmt.size(memory))
        resident = counters.get("resident_bytes")
        m.set("Assigned memory", fmt.size(counters.get("memory_bytes")) if counters else self.tr("Not running"))
        m.set("Resident in the host", fmt.size(resident) if counters else "")
        m.set("Dynamic memory", self.tr("Not available"))
        share = int(100 * resident / memory) if counters and memory and resident is not None else 0
        self.resident_bar.setValue(max(0, min(100, share)))
        self.resident_bar.setFormat(self.tr("{share} % of startup memory touched by the guest").format(share=share)
                                    if counters else self.tr("Not running"))
        self.set_network_adapters(_adapters(vm))
        self.set_integration_services(_services(vm))
        self.set_kvp(_kvp(vm))

    def show_host(self, info: dict, label: str, vms: list[dict]) -> None:
        self._vm_id = ""
        self.setCurrentIndex(2)
        caps = info.get("capabilities") or {}
        h = self.host
        h.set("Host", label)
        if info.get("backend") == "libvirt":
            status = info.get("status") or {}
            state = status.get("state", "?") + (f": {status['reason']}" if status.get("reason") else "")
            h.set("Parent partition", self.tr("A libvirt host ({uri}), {state}. Its hypervisor and devices are "
                                              "QEMU/KVM's; the console manages them through libvirt.").format(
                uri=info.get("uri", ""), state=state))
        else:
            h.set("Parent partition", self.tr("This host service: it owns guest memory, runs the device providers and "
                                              "serves every device request of the child partitions"))
        h.set("Hypervisor", fmt.backend(info.get("backend_description")))
        h.set("Processor", caps.get("cpu_model", ""))
        h.set("Logical processors", str(caps.get("logical_processors", "")))
        h.set("Memory", fmt.size(caps.get("memory_bytes")))
        running = [vm for vm in vms if vm.get("state") in ("Running", "Paused", "Saving", "Pausing", "Resuming")]
        h.set("Memory assigned to running VMs", self.tr("{memory} ({count} running)").format(
            memory=fmt.size(sum(vm.get("memory", 0) for vm in running)) or "0 B", count=len(running)))
        states: dict[str, int] = {}
        for vm in vms:
            states[vm["state"]] = states.get(vm["state"], 0) + 1
        h.set("Virtual machines", ", ".join(f"{n} {state_text(s)}" for s, n in sorted(states.items()))
              or self.tr("none"))
        if not info:
            service = ""
        elif info.get("backend") == "libvirt":
            service = self.tr("pid {pid}, version {version} (this console's process: libvirt is reached from here)")
        else:
            service = self.tr("pid {pid}, version {version}")
        h.set("Host service", service.format(pid=info.get("pid", "?"), version=info.get("version", "?")))
        h.set("Store", info.get("store", ""))
        h.set("Notice", info.get("notice") or "")

    # --- devices ------------------------------------------------------------------------------------------------
    def set_network_adapters(self, adapters: list[dict] | None) -> None:
        """[{name, switch, status, ip, received, sent}]; None or [] for a VM without a network adapter."""
        rows = [[a.get("name", ""), a.get("switch") or self.tr("Not connected"), a.get("status", ""), a.get("ip", ""),
                 a.get("received", ""), a.get("sent", "")] for a in adapters or []]
        _fill(self.adapters, rows or [[self.tr("Network adapter"), self.tr("Not connected"), "-", "-", "", ""]])
        self.network_note.setText("" if adapters else
                                  self.tr("Not connected: the VM's network adapter is not attached to a virtual "
                                          "switch. Choose one in Settings > Network Adapter (with the VM off)."))

    def set_integration_services(self, services: dict[str, str] | None) -> None:
        """{service name: status}; None when the VM offers none."""
        rows = [[_t(name), (services or {}).get(name, self.tr("Not available"))] for name in INTEGRATION_SERVICES]
        _fill(self.services, rows)
        self.services.resizeColumnToContents(0)

    def set_kvp(self, pairs: list[tuple[str, str, str]] | None) -> None:
        """[(key, value, from)]; None when the data exchange service is off."""
        _fill(self.kvp, [list(p) for p in pairs or []])
        if pairs is None:
            self.kvp_note.setText(self.tr("Data exchange (KVP) is off for this VM: turn integration services on in "
                                          "Settings."))
        elif not pairs:
            self.kvp_note.setText(self.tr("No key-value pairs yet: the guest sends its own once it runs."))
        else:
            self.kvp_note.setText("")


def _fill(tree: QTreeWidget, rows: list[list[str]]) -> None:
    """Replace the rows only when they changed (the pane is refreshed every second)."""
    current = [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
               for i in range(tree.topLevelItemCount())]
    rows = [[str(v) for v in r] + [""] * (tree.columnCount() - len(r)) for r in rows]
    if current == rows:
        return
    tree.clear()
    for r in rows:
        QTreeWidgetItem(tree, r)
    for c in range(tree.columnCount() - 1):
        tree.resizeColumnToContents(c)


def _channel(vm: dict, device: str) -> dict | None:
    channels = (((vm.get("counters") or {}).get("devices") or {}).get("vmbus") or {}).get("channels") or []
    return next((c for c in channels if c.get("device") == device), None)


def _adapters(vm: dict) -> list[dict]:
    if not vm.get("network"):
        return []
    failure = (vm.get("device_failures") or {}).get("network")
    channel = _channel(vm, "network")
    if failure:
        status = translate("DetailsPane", "Failed: {reason}").format(reason=failure)
    elif vm.get("state") not in _RUNNING:
        status = state_text("Off")
    elif channel is None:
        status = translate("DetailsPane", "Waiting for the guest's driver")
    else:
        status = _channel_status(channel)
    stats = ((vm.get("counters") or {}).get("devices") or {}).get("network") or {}
    ip = vm.get("ip") or ""
    guest_ip = (vm.get("kvp_guest") or {}).get("IPAddresses")
    if guest_ip and guest_ip != ip:
        ip = (translate("DetailsPane", "{ip} (guest reports {guest_ip})").format(ip=ip, guest_ip=guest_ip) if ip
              else guest_ip)

    def traffic(direction: str) -> str:
        if not stats:
            return ""
        return translate("DetailsPane", "{frames} frames, {size}").format(
            frames=f"{stats.get(direction + '_frames', 0):,}", size=fmt.size(stats.get(direction + "_bytes", 0)))

    return [{"name": translate("DetailsPane", "Network adapter (synthetic)"), "switch": vm["network"],
             "status": status, "ip": ip, "received": traffic("rx"), "sent": traffic("tx")}]


def _channel_status(channel: dict) -> str:
    if channel.get("state") == "open":
        return translate("DetailsPane", "OK")
    return f"{channel.get('state')}: {channel.get('reason')}"


def _services(vm: dict) -> dict[str, str] | None:
    if not vm.get("integration_services", False):
        return {name: translate("DetailsPane", "Off (turned off in Settings)") for name in INTEGRATION_SERVICES}
    running = vm.get("state") in _RUNNING
    out = {}
    for name, device in INTEGRATION_SERVICES.items():
        if device is None:
            out[name] = translate("DetailsPane", "Not available")
            continue
        failure = (vm.get("device_failures") or {}).get(device)
        channel = _channel(vm, device)
        if failure:
            out[name] = translate("DetailsPane", "Failed: {reason}").format(reason=failure)
        elif not running:
            out[name] = translate("DetailsPane", "On (the VM is not running)")
        elif device == "heartbeat" and vm.get("heartbeat"):
            out[name] = vm["heartbeat"]
        elif channel is None:
            out[name] = translate("DetailsPane", "No contact: the guest has not opened it")
        else:
            out[name] = _channel_status(channel)
    return out


def _kvp(vm: dict) -> list[tuple[str, str, str]] | None:
    if not vm.get("integration_services", False):
        return None
    pairs = [(k, str(v), translate("DetailsPane", "guest")) for k, v in sorted((vm.get("kvp_guest") or {}).items())]
    pairs += [(k, str(v), translate("DetailsPane", "host")) for k, v in sorted((vm.get("kvp") or {}).items())]
    return pairs


# the automatic start and stop actions (core.model.spec.START_ACTIONS, STOP_ACTIONS) in a few words
ACTION_TEXT = {"nothing": QT_TRANSLATE_NOOP("DetailsPane", "Nothing"),
               "start_if_running": QT_TRANSLATE_NOOP("DetailsPane", "Start if it was running"),
               "always_start": QT_TRANSLATE_NOOP("DetailsPane", "Always start"),
               "save": QT_TRANSLATE_NOOP("DetailsPane", "Save"),
               "turn_off": QT_TRANSLATE_NOOP("DetailsPane", "Turn off"),
               "shut_down": QT_TRANSLATE_NOOP("DetailsPane", "Shut down")}


def _action_text(action: str) -> str:
    return _t(ACTION_TEXT[action]) if action in ACTION_TEXT else action
