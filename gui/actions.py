"""The console's VM actions: one QAction each, shared by the menu bar, toolbar, actions pane and context menus, so
all of them are enabled, disabled and explained (tooltip) together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from gui import vmstates

SP = QStyle.StandardPixmap
# key: (text, shortcut, icon)
SPECS: dict[str, tuple[str, str, SP | None]] = {
    "new_vm": ("&New Virtual Machine...", "Ctrl+N", SP.SP_FileIcon),
    "connect": ("&Connect...", "Ctrl+K", SP.SP_ComputerIcon),
    "settings": ("Se&ttings...", "Alt+Return", SP.SP_FileDialogDetailedView),
    "start": ("&Start", "Ctrl+S", SP.SP_MediaPlay),
    "shut_down": ("Shut &Down...", "Ctrl+D", SP.SP_MediaStop),
    "turn_off": ("Turn &Off...", "Ctrl+O", SP.SP_BrowserStop),
    "save": ("Sa&ve", "Ctrl+Shift+S", SP.SP_DialogSaveButton),
    "pause": ("&Pause", "Ctrl+P", SP.SP_MediaPause),
    "resume": ("&Resume", "Ctrl+R", SP.SP_MediaSeekForward),
    "reset": ("R&eset...", "Ctrl+E", SP.SP_BrowserReload),
    "remove": ("De&lete...", "Delete", SP.SP_TrashIcon),
    "migrate": ("&Migrate...", "Ctrl+M", SP.SP_ArrowRight),
    "performance": ("Per&formance", "Ctrl+G", SP.SP_FileDialogInfoView),
    "refresh": ("Re&fresh", "F5", SP.SP_BrowserReload),
}
# an action -> the operation name in a connection's capabilities() when they differ
CAPABILITY = {"connect": "console", "settings": "set_vm", "new_vm": "new_vm", "migrate": "migrate"}
MIGRATABLE = ("Running", "Paused")
_ALWAYS = lambda _op: (True, "")  # a host that can do everything
VM_OPERATIONS = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset", "remove")
LIFECYCLE = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset")


class VmActions(QObject):
    def __init__(self, window: QWidget, trigger: Callable[[str], None]) -> None:
        super().__init__(window)
        self.actions: dict[str, QAction] = {}
        style = window.style()
        for key, (text, shortcut, icon) in SPECS.items():
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            action.setObjectName(f"action_{key}")
            action.triggered.connect(lambda _=False, k=key: trigger(k))
            window.addAction(action)
            self.actions[key] = action
        self.targets: dict[str, list[dict]] = {}
        self.update([])

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def update(self, selected: list[dict], connected: bool = True,
               can: Callable[[str], tuple[bool, str]] = _ALWAYS) -> None:
        """Enable what the selection's states and the host's connection allow; the tooltip says why not (or on
        which VMs it will act). ``can(operation)`` is the host's capabilities() answer."""
        for key in VM_OPERATIONS:
            av = vmstates.availability(key, selected)
            able, why = can(key)
            if not connected:
                self._set(key, False, "Not connected to a host")
            elif not able and selected:
                self._set(key, False, f"{vmstates.OPERATIONS[key].label}: {why}")
            else:
                self._set(key, av.enabled, av.tooltip)
            self.targets[key] = av.targets if able else []
        usable = [vm for vm in selected if vm["state"] != vmstates.CONFIG_ERROR]
        if not selected:
            why = "select a virtual machine first"
        elif not usable:
            why = f"{selected[0]['name']} has a configuration error: {selected[0].get('reason', '')}"
        else:
            why = ""
        able, cannot = can("console")
        if usable and not able:
            why, usable_console = cannot, False
        else:
            usable_console = bool(usable)
        self._set("connect", usable_console and connected,
                  f"Open the console of {', '.join(vm['name'] for vm in usable[:3])}" if usable_console
                  else f"Connect: {why}")
        one = len(usable) == 1 and len(selected) == 1
        if one:
            frozen = vmstates.settings_frozen_reason(usable[0])
            tip = f"Settings of {usable[0]['name']}" + (f" ({frozen}; only names, notes and automatic actions "
                                                          "can change)" if frozen else "")
        elif len(selected) > 1:
            tip = "Settings: select one virtual machine"
        else:
            tip = f"Settings: {why}"
        able, cannot = can("set_vm")
        if one and not able:
            one, tip = False, f"Settings: {cannot}"
        self._set("settings", one and connected, tip)
        able, cannot = can("new_vm")
        self._set("new_vm", connected and able, "Create a virtual machine" if connected and able else
                  f"New Virtual Machine: {cannot}" if connected else "Not connected to a host")
        self._set("refresh", connected, "Refresh the VM list now")
        self._update_migrate(selected, connected, can)
        self._set("performance", True, "Graphs of the selected virtual machines (several: overlaid), or of the "
                  "host when none is selected")

    def _update_migrate(self, selected: list[dict], connected: bool, can) -> None:
        able, cannot = can("migrate")
        if not connected:
            enabled, tip = False, "Not connected to a host"
        elif not able:
            enabled, tip = False, f"Migrate: {cannot}"
        elif len(selected) != 1:
            enabled, tip = False, "Migrate: select one virtual machine"
        elif selected[0]["state"] not in MIGRATABLE:
            enabled, tip = False, f"Migrate needs Running or Paused; {selected[0]['name']} is {selected[0]['state']}"
        else:
            enabled, tip = True, f"Move {selected[0]['name']} to another libvirt host (live migration)"
        self._set("migrate", enabled, tip)

    def _set(self, key: str, enabled: bool, tooltip: str) -> None:
        action = self.actions[key]
        if action.isEnabled() != enabled:
            action.setEnabled(enabled)
        text = action.text().replace("&", "").rstrip(".")
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        full = f"{tooltip} ({shortcut})" if shortcut else tooltip
        if action.toolTip() != full:
            action.setToolTip(full)
            action.setStatusTip(tooltip)
            action.setWhatsThis(f"{text}: {tooltip}")
