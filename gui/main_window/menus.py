"""The main window's menus, toolbar, context menus and Actions pane, which share one set of QActions, and what
happens when one is triggered: lifecycle operations ask first when something will be lost, then run as named
operations (``gui.operations.vm``)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QStyle, QToolBar, QWidget

from gui import format as fmt
from gui import help as guide
from gui import operations as ops
from gui import vmstates
from gui.actions import LIFECYCLE
from gui.dialogs import export_ova, messages
from gui.dialogs.export_vm import open_dialog as open_export_dialog
from gui.i18n import QT_TRANSLATE_NOOP
from gui.main_window.language_menu import add_language_menu
from gui.widgets.actions_pane import ActionsPane
from gui.widgets.named import named
from gui.wizards import import_vm

# the VM connection window's own shortcuts (keys there go to the guest)
_CONNECTION_KEYS = ((QT_TRANSLATE_NOOP("MenusMixin", "Start"), "Ctrl+Alt+S"),
                    (QT_TRANSLATE_NOOP("MenusMixin", "Turn Off"), "Ctrl+Alt+O"),
                    (QT_TRANSLATE_NOOP("MenusMixin", "Shut Down"), "Ctrl+Alt+D"),
                    (QT_TRANSLATE_NOOP("MenusMixin", "Save"), "Ctrl+Alt+A"),
                    (QT_TRANSLATE_NOOP("MenusMixin", "Pause/Resume"), "Ctrl+Alt+P"),
                    (QT_TRANSLATE_NOOP("MenusMixin", "Reset"), "Ctrl+Alt+E"))


def _add_groups(widget: QMenu | QToolBar, actions: dict[str, QAction], groups) -> None:
    """The actions named in each group in turn, a separator between groups."""
    for i, group in enumerate(groups):
        if i:
            widget.addSeparator()
        for key in group:
            widget.addAction(actions[key])


class MenusMixin:
    """Part of MainWindow: the menus, toolbar, context menus and Actions pane, and running their actions."""

    def _actions_pane(self) -> ActionsPane:
        a = self.vm_actions
        style = self.style()
        self.add_connection_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon),
                                             self.tr("Add &Host..."), self)
        self.add_connection_action.setObjectName("action_add_connection")
        self.add_connection_action.setToolTip(self.tr("Add a host: another Bulkhead host over SSH or TLS, or an "
                                                      "existing QEMU/KVM host through libvirt"))
        self.add_connection_action.triggered.connect(lambda: self.add_connection(self._selected_group()))
        self.rules_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                                    self.tr("Alert &Rules..."), self)
        self.rules_action.setObjectName("action_alert_rules")
        self.rules_action.triggered.connect(self.open_alert_rules)
        self.switches_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon),
                                       self.tr("Virtual &Switch Manager..."), self)
        self.switches_action.setObjectName("action_switch_manager")
        self.switches_action.setToolTip(self.tr("The host's virtual switches: create, rename and remove them, and "
                                                "see which virtual machines use each"))
        self.switches_action.triggered.connect(self.open_switch_manager)
        return ActionsPane([a["new_vm"], a["convert_vm"], a["convert_physical"], a["import_vm"], self.switches_action,
                            self.add_connection_action, self.rules_action, a["refresh"]],
                           [a["connect"], a["settings"], a["performance"], None,
                            *[a[k] for k in LIFECYCLE], None, a["checkpoint"], a["revert"], None, a["migrate"],
                            a["export_vm"], a["move_storage"], a["export_ova"], a["remove"]])

    def _build_menus(self) -> None:
        a = self.vm_actions
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.setObjectName("menu_file")
        file_menu.addAction(a["new_vm"])
        file_menu.addAction(a["convert_vm"])
        file_menu.addAction(a["convert_physical"])
        new_group = file_menu.addAction(self.tr("New Host &Group..."), lambda: self.new_group(self._selected_group()))
        new_group.setObjectName("action_new_group")
        file_menu.addAction(self.add_connection_action)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        quit_action.setObjectName("action_quit")
        action_menu = menu.addMenu(self.tr("&Action"))
        action_menu.setObjectName("menu_action")
        action_menu.setToolTipsVisible(True)
        action_menu.addAction(self.switches_action)
        action_menu.addAction(a["import_vm"])
        action_menu.addSeparator()
        self._fill_vm_menu(action_menu)
        view = menu.addMenu(self.tr("&View"))
        view.setObjectName("menu_view")
        view.addAction(self.find_action)
        view.addAction(a["refresh"])
        view.addSeparator()
        view.addAction(a["performance"])
        view.addAction(self.rules_action)
        view.addSeparator()
        for dock in self.docks():
            view.addAction(dock.toggleViewAction())
        self.columns_menu = view.addMenu(self.tr("&Columns"))
        self.columns_menu.setObjectName("menu_columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(self.columns_menu))
        view.addSeparator()
        add_language_menu(self, view)
        view.addAction(self.tr("Reset &Layout"), self.reset_layout).setObjectName("action_reset_layout")
        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.setObjectName("menu_help")
        help_menu.addAction(guide.guide_action(self))  # F1: the chapter of what has focus
        help_menu.addAction(self.tr("&Keyboard Shortcuts"), self.show_shortcuts).setObjectName("action_shortcuts")
        help_menu.addAction(self.tr("&About Bulkhead"), self.show_about).setObjectName("action_about")

        bar = QToolBar(self.tr("Main toolbar"))
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        _add_groups(bar, a, (("new_vm",), ("connect", "settings"), LIFECYCLE, ("checkpoint", "revert"),
                             ("migrate", "remove"), ("performance", "refresh")))
        self.addToolBar(bar)
        self.toolbar = bar

        self.status_counts = named(QLabel(), "status_counts", self.tr("Virtual machine counts"))
        self.status_host = named(QLabel(), "status_host", self.tr("Host"))
        self.statusBar().addPermanentWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_host)

    def _fill_vm_menu(self, menu: QMenu) -> None:
        _add_groups(menu, self.vm_actions, (("connect", "settings", "performance"), LIFECYCLE, ("export_vm",),
                                            ("checkpoint", "revert"), ("migrate", "move_storage", "export_ova",
                                                                       "remove")))

    def vm_menu(self, global_pos) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("vm_context_menu")
        menu.setToolTipsVisible(True)
        self._fill_vm_menu(menu)
        menu.addSeparator()
        menu.addAction(self.vm_actions["new_vm"])
        menu.addAction(self.vm_actions["convert_vm"])
        menu.addAction(self.vm_actions["convert_physical"])
        menu.popup(global_pos)
        return menu

    # --- running actions -----------------------------------------------------------------------------------------
    def run_action(self, key: str) -> None:
        windows = {"new_vm": self.open_wizard, "convert_vm": self.open_convert,
                   "convert_physical": self.open_convert_physical, "performance": self.show_performance,
                   "export_vm": lambda: open_export_dialog(self), "import_vm": lambda: import_vm.open_wizard(self),
                   "migrate": self.open_migrate, "move_storage": lambda: self.open_migrate(storage=True),
                   "checkpoint": self.checkpoints.take, "revert": self.checkpoints.revert,
                   "export_ova": lambda: export_ova.open_dialog(self)}
        if key in windows:  # the actions that open a window of their own
            windows[key]()
        elif key == "connect":
            for s, vm in [(s, vm) for s, vm in self.selected_items() if vm["state"] != vmstates.CONFIG_ERROR][:4]:
                self.open_connection(vm["id"], s)
        elif key == "settings":
            items = self.selected_items()
            if len(items) == 1:
                self.open_settings(items[0][1]["id"], items[0][0])
        elif key == "refresh":
            for s in self.scope or [self.active]:
                s.refresh()
                s.refresh_host()
        else:
            self.run_operation(key, self.selected_items(), self)

    def run_operation(self, key: str, vms: list, parent: QWidget | None = None, session=None) -> None:
        """Run a lifecycle operation on the VMs whose state allows it, asking first when something will be lost.
        ``vms``: VM dicts (of ``session``, else each of the host whose list has it) or (session, VM) pairs; each VM
        is acted on by its own host."""
        pairs = [v if isinstance(v, tuple) else (session or self.owner_of(v), v) for v in vms]
        av = vmstates.availability(key, [vm for _s, vm in pairs])
        if not av.enabled:
            self.statusBar().showMessage(av.tooltip, 8000)
            return
        op = vmstates.OPERATIONS[key]
        targets = {id(vm) for vm in av.targets}
        by_host: dict = {}
        refused = []
        for s, vm in pairs:
            if id(vm) not in targets:
                continue
            able, why = s.can(key)
            if able:
                by_host.setdefault(s, []).append(vm)
            else:
                refused.append(self.tr("{host}: {why}").format(host=s.host_label, why=why))
        if refused:
            self.statusBar().showMessage(self.tr("{operation}: {why}").format(operation=vmstates.label(key),
                                                                              why="; ".join(refused)), 8000)
        if not by_host:
            return
        chosen = [vm for vms_of in by_host.values() for vm in vms_of]

        def run(delete: bool = False) -> None:
            for s, vms_of in by_host.items():
                ops.vm.lifecycle(s, key, vms_of, delete_storage=delete)

        question = vmstates.confirmation(key, chosen) if op.confirm else None
        if question is None:
            run()
            return
        title, text, lost = question
        option = vmstates.storage_option(chosen) if key == "remove" else None
        messages.confirm(parent or self, title, text, lost, vmstates.label(key),
                         lambda delete=False: run(delete), option=option)

    # --- help ----------------------------------------------------------------------------------------------------
    def show_about(self) -> QMessageBox:
        info = self.session.host
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About Bulkhead"),
                          self.tr("<b>Bulkhead</b> - virtual machines on an embedded hypervisor."),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("about")
        backend = fmt.backend(info.get("backend_description")) or self.tr("not connected")
        box.setInformativeText(self.tr("Host service version {version}; {backend}.").format(
            version=info.get("version", "?"), backend=backend))
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()
        return box

    def show_shortcuts(self) -> QMessageBox:
        native = QKeySequence.SequenceFormat.NativeText
        rows = [(a.text().replace("&", "").rstrip("."), a.shortcut().toString(native))
                for a in self.vm_actions.actions.values() if not a.shortcut().isEmpty()]
        rows.append((self.find_action.text().replace("&", ""), self.find_action.shortcut().toString(native)))
        text = "<table>" + "".join(f"<tr><td>{escape(n)}</td><td>&nbsp;&nbsp;<b>{escape(k)}</b></td></tr>"
                                   for n, k in rows) + "</table>"
        box = QMessageBox(QMessageBox.Icon.NoIcon, self.tr("Keyboard Shortcuts"), text, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("shortcuts")
        keys = ", ".join(self.tr("{keys} ({action})").format(keys=keys, action=self.tr(name))
                         for name, keys in _CONNECTION_KEYS)
        box.setInformativeText(self.tr("In a VM connection window keys go to the guest; its toolbar uses {keys}.")
                               .format(keys=keys))
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()
        return box
