"""The console's VM actions: one QAction each, shared by the menu bar, toolbar, actions pane and context menus, so
all of them are enabled, disabled and explained (tooltip) together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from gui import vmstates
from gui.dialogs.export_ova import availability as export_ova_availability
from gui.dialogs.export_vm import availability as export_availability
from gui.i18n import QT_TRANSLATE_NOOP

SP = QStyle.StandardPixmap
# key: (text, shortcut, icon); the texts are translated when the actions are made
SPECS: dict[str, tuple[str, str, SP | None]] = {
    "new_vm": (QT_TRANSLATE_NOOP("VmActions", "&New Virtual Machine..."), "Ctrl+N", SP.SP_FileIcon),
    "convert_vm": (QT_TRANSLATE_NOOP("VmActions", "Con&vert Virtual Machine..."), "", SP.SP_FileLinkIcon),
    "convert_physical": (QT_TRANSLATE_NOOP("VmActions", "Convert &Physical Server..."), "", SP.SP_DriveHDIcon),
    "connect": (QT_TRANSLATE_NOOP("VmActions", "&Connect..."), "Ctrl+K", SP.SP_ComputerIcon),
    "settings": (QT_TRANSLATE_NOOP("VmActions", "Se&ttings..."), "Alt+Return", SP.SP_FileDialogDetailedView),
    "start": (QT_TRANSLATE_NOOP("VmActions", "&Start"), "Ctrl+S", SP.SP_MediaPlay),
    "shut_down": (QT_TRANSLATE_NOOP("VmActions", "Shut &Down..."), "Ctrl+D", SP.SP_MediaStop),
    "turn_off": (QT_TRANSLATE_NOOP("VmActions", "Turn &Off..."), "Ctrl+O", SP.SP_BrowserStop),
    "save": (QT_TRANSLATE_NOOP("VmActions", "Sa&ve"), "Ctrl+Shift+S", SP.SP_DialogSaveButton),
    "pause": (QT_TRANSLATE_NOOP("VmActions", "&Pause"), "Ctrl+P", SP.SP_MediaPause),
    "resume": (QT_TRANSLATE_NOOP("VmActions", "&Resume"), "Ctrl+R", SP.SP_MediaSeekForward),
    "reset": (QT_TRANSLATE_NOOP("VmActions", "R&eset..."), "Ctrl+E", SP.SP_BrowserReload),
    "remove": (QT_TRANSLATE_NOOP("VmActions", "De&lete..."), "Delete", SP.SP_TrashIcon),
    "migrate": (QT_TRANSLATE_NOOP("VmActions", "&Migrate..."), "Ctrl+M", SP.SP_ArrowRight),
    "move_storage": (QT_TRANSLATE_NOOP("VmActions", "Move VM S&torage..."), "", SP.SP_DriveHDIcon),
    "export_vm": (QT_TRANSLATE_NOOP("VmActions", "E&xport..."), "", SP.SP_DialogSaveButton),
    "import_vm": (QT_TRANSLATE_NOOP("VmActions", "&Import Virtual Machine..."), "", SP.SP_DialogOpenButton),
    "export_ova": (QT_TRANSLATE_NOOP("VmActions", "Export as OV&A..."), "", SP.SP_DialogSaveButton),
    "checkpoint": (QT_TRANSLATE_NOOP("VmActions", "Chec&kpoint"), "", SP.SP_DialogApplyButton),
    "revert": (QT_TRANSLATE_NOOP("VmActions", "Re&vert..."), "", SP.SP_DialogResetButton),
    "performance": (QT_TRANSLATE_NOOP("VmActions", "Per&formance"), "Ctrl+G", SP.SP_FileDialogInfoView),
    "refresh": (QT_TRANSLATE_NOOP("VmActions", "Re&fresh"), "F5", SP.SP_BrowserReload),
}
# the freedesktop icon theme's names (Icon Naming Specification) where one fits; the style's icon above stands in
# where the desktop has no theme (or no such icon)
THEME_ICONS = {
    "new_vm": "document-new", "connect": "video-display", "settings": "document-properties",
    "start": "media-playback-start", "shut_down": "system-shutdown", "turn_off": "process-stop",
    "save": "document-save", "pause": "media-playback-pause", "resume": "media-playback-start",
    "reset": "system-reboot", "remove": "edit-delete", "migrate": "go-next", "move_storage": "drive-harddisk",
    "export_vm": "document-save-as", "import_vm": "document-open", "export_ova": "document-save-as",
    "checkpoint": "camera-photo", "revert": "document-revert", "performance": "utilities-system-monitor",
    "refresh": "view-refresh",
}
# an action -> the capability (core.model.methods.CAPABILITIES) it needs when the names differ
CAPABILITY = {"connect": "console", "settings": "set_vm", "new_vm": "new_vm", "migrate": "migrate",
              "convert_vm": "convert", "convert_physical": "convert_physical"}
_ALWAYS = lambda _op: (True, "")  # a host that can do everything
# the lifecycle in menu order; with Delete, the operations of core.model.states.OPERATIONS the actions run
LIFECYCLE = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset")
VM_OPERATIONS = (*LIFECYCLE, "remove")
MOVE_STATES = ("Running", "Paused", "Off", "Saved")  # a Bulkhead VM moves (live, quick, a copy) in these states


class VmActions(QObject):
    def __init__(self, window: QWidget, trigger: Callable[[str], None]) -> None:
        super().__init__(window)
        self.actions: dict[str, QAction] = {}
        style = window.style()
        for key, (text, shortcut, icon) in SPECS.items():
            action = QAction(self.tr(text), window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                fallback = style.standardIcon(icon)
                action.setIcon(QIcon.fromTheme(THEME_ICONS[key], fallback) if key in THEME_ICONS else fallback)
            action.setObjectName(f"action_{key}")
            action.triggered.connect(lambda _=False, k=key: trigger(k))
            window.addAction(action)
            self.actions[key] = action
        self.targets: dict[str, list[dict]] = {}
        self.update([])

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def update(self, selected: list[dict], connected: bool = True,
               can: Callable[[str], tuple[bool, str]] = _ALWAYS, hosts: int | None = None) -> None:
        """Enable what the selection's states and the host's connection allow; the tooltip says why not (or on
        which VMs it will act). ``can(operation)`` is the host's capabilities() answer; ``hosts``: how many hosts
        the selection spans (when not given: one if ``can`` is a host's own Session.can, several otherwise - the
        window hands a selection on several hosts a ``can`` of its own)."""
        if hosts is None:
            hosts = 1 if can is _ALWAYS or getattr(can, "__self__", None) is not None or len(selected) < 2 else 2
        for key in VM_OPERATIONS:
            av = vmstates.availability(key, selected)
            able, why = can(key)
            if not connected:
                self._set(key, False, self.tr("Not connected to a host"))
            elif not able and selected:
                self._set(key, False, self.tr("{operation}: {why}").format(operation=vmstates.label(key), why=why))
            else:
                self._set(key, av.enabled, av.tooltip)
            self.targets[key] = av.targets if able else []
        usable = [vm for vm in selected if vm["state"] != vmstates.CONFIG_ERROR]
        if not selected:
            why = self.tr("select a virtual machine first")
        elif not usable:
            why = self.tr("{name} has a configuration error: {reason}").format(name=selected[0]["name"],
                                                                              reason=selected[0].get("reason", ""))
        else:
            why = ""
        able, cannot = can("console")
        if usable and not able:
            why, usable_console = cannot, False
        else:
            usable_console = bool(usable)
        self._set("connect", usable_console and connected,
                  self.tr("Open the console of {names}").format(names=", ".join(vm["name"] for vm in usable[:3]))
                  if usable_console else self.tr("Connect: {why}").format(why=why))
        one = len(usable) == 1 and len(selected) == 1
        if one:
            frozen = vmstates.settings_frozen_reason(usable[0])
            tip = (self.tr("Settings of {name} ({why}; only names, notes and automatic actions can change)")
                   if frozen else self.tr("Settings of {name}")).format(name=usable[0]["name"], why=frozen)
        elif len(selected) > 1:
            tip = self.tr("Settings: select one virtual machine")
        else:
            tip = self.tr("Settings: {why}").format(why=why)
        able, cannot = can("set_vm")
        if one and not able:
            one, tip = False, self.tr("Settings: {why}").format(why=cannot)
        self._set("settings", one and connected, tip)
        able, cannot = can("new_vm")
        self._set("new_vm", connected and able, self.tr("Create a virtual machine") if connected and able else
                  self.tr("New Virtual Machine: {why}").format(why=cannot) if connected
                  else self.tr("Not connected to a host"))
        able, cannot = can("convert")
        self._set("convert_vm", connected and able, self.tr("Convert a VMware, OVF, VirtualBox, libvirt or Hyper-V "
                                                            "virtual machine into one of this host's")
                  if connected and able else self.tr("Convert Virtual Machine: {why}").format(why=cannot) if connected
                  else self.tr("Not connected to a host"))
        able, cannot = can("convert_physical")
        self._set("convert_physical", connected and able, self.tr("Capture a physical machine's disks into a new "
                                                                  "virtual machine of this host")
                  if connected and able else self.tr("Convert Physical Server: {why}").format(why=cannot)
                  if connected else self.tr("Not connected to a host"))
        self._set("refresh", connected, self.tr("Refresh the VM list now"))
        self._update_checkpoints(usable if len(selected) == 1 else [], connected, can)
        self._update_migrate(selected, connected, can, hosts)
        self._set("export_vm", *export_availability(selected, connected, can))
        able, cannot = can("export")
        self._set("import_vm", connected and able, self.tr("Import a virtual machine that Export wrote into a folder "
                                                           "of this host") if connected and able else
                  self.tr("Import Virtual Machine: {why}").format(why=cannot) if connected
                  else self.tr("Not connected to a host"))
        self._set("export_ova", *export_ova_availability(selected, connected, can))
        self._set("performance", True, self.tr("Graphs of the selected virtual machines (several: overlaid), or of "
                                               "the host when none is selected"))

    def _update_migrate(self, selected: list[dict], connected: bool, can, hosts: int = 1) -> None:
        """Migrate...: a Bulkhead VM moves to another Bulkhead host (capability "move": live, quick or a copy of an
        Off VM), a libvirt domain by libvirt's migration ("migrate"); Move VM Storage...: its disk to another folder
        of its host ("move_storage")."""
        session = getattr(can, "__self__", None)  # one host's Session.can; several hosts: whichever can
        libvirt = bool(getattr(session, "is_libvirt", False))
        move, move_why = can("move")
        migrate, migrate_why = can("migrate")
        able = migrate if libvirt else move or migrate
        cannot = migrate_why if libvirt or not move_why else move_why
        states = ("Running", "Paused") if libvirt or not move else MOVE_STATES
        vm = selected[0] if len(selected) == 1 else None
        bulk = len(selected) > 1 and not libvirt and move  # several Bulkhead VMs: one after another (bulk moves)
        odd = next((v for v in selected if v["state"] not in states), None)
        if not connected:
            enabled, tip = False, self.tr("Not connected to a host")
        elif not able:
            enabled, tip = False, self.tr("Migrate: {why}").format(why=cannot)
        elif hosts > 1:  # the wizard moves several VMs of one host to one host
            enabled, tip = False, self.tr("Migrate: the selected VMs are on different hosts; several VMs move "
                                          "together only from one host (select the VMs of one host)")
        elif bulk and odd is None:
            enabled, tip = True, self.tr("Move {count} virtual machines to one host, one after another").format(
                count=len(selected))
        elif bulk:
            enabled, tip = False, self.tr("Migrate needs {states}; {name} is {state}").format(
                states=", ".join(vmstates.state_text(s) for s in states), name=odd["name"],
                state=vmstates.state_text(odd["state"]))
        elif vm is None:
            enabled, tip = False, self.tr("Migrate: select one virtual machine")
        elif vm["state"] not in states:
            enabled, tip = False, self.tr("Migrate needs {states}; {name} is {state}").format(
                states=vmstates.needs("migrate") if states != MOVE_STATES else ", ".join(
                    vmstates.state_text(s) for s in states), name=vm["name"],
                state=vmstates.state_text(vm["state"]))
        elif libvirt or not move:
            enabled, tip = True, self.tr("Move {name} to another libvirt host (live migration)").format(
                name=vm["name"])
        else:
            enabled, tip = True, self.tr("Move {name} to another host: the wizard rates the hosts, checks the move "
                                         "and predicts its time and downtime").format(name=vm["name"])
        self._set("migrate", enabled, tip)
        able, cannot = can("move_storage")
        if not connected:
            enabled, tip = False, self.tr("Not connected to a host")
        elif not able:
            enabled, tip = False, self.tr("Move VM Storage: {why}").format(why=cannot)
        elif vm is None:
            enabled, tip = False, self.tr("Move VM Storage: select one virtual machine")
        elif vm["state"] not in MOVE_STATES:
            enabled, tip = False, self.tr("Move VM Storage needs {states}; {name} is {state}").format(
                states=", ".join(vmstates.state_text(s) for s in MOVE_STATES), name=vm["name"],
                state=vmstates.state_text(vm["state"]))
        else:
            enabled, tip = True, self.tr("Move the virtual hard disk of {name} to another folder of its host while "
                                         "it runs").format(name=vm["name"])
        self._set("move_storage", enabled, tip)

    def _update_checkpoints(self, usable: list[dict], connected: bool, can) -> None:
        """Checkpoint (take one) and Revert... (back to the checkpoint "now" descends from) on one VM."""
        able, cannot = can("checkpoints")
        vm = usable[0] if len(usable) == 1 else None
        for key, label in (("checkpoint", self.tr("Checkpoint")), ("revert", self.tr("Revert"))):
            if not connected:
                enabled, tip = False, self.tr("Not connected to a host")
            elif not able:
                enabled, tip = False, self.tr("{operation}: {why}").format(operation=label, why=cannot)
            elif vm is None:
                enabled, tip = False, self.tr("{operation}: select one virtual machine").format(operation=label)
            elif key == "revert" and not vm.get("checkpoint"):
                enabled, tip = False, self.tr("Revert: {name} has no checkpoint to go back to").format(
                    name=vm["name"])
            elif key == "revert":
                enabled, tip = True, self.tr("Go back to {checkpoint}: the current state of {name} is lost").format(
                    checkpoint=vm["checkpoint"], name=vm["name"])
            else:
                enabled, tip = True, self.tr("Take a checkpoint of {name}").format(name=vm["name"])
            self._set(key, enabled, tip)

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
