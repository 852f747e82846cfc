"""The console's main window, after Hyper-V Manager and SCVMM: navigation tree on the left (host groups, hosts,
VMs), the VM list with search and the details pane in the middle, the Actions pane on the right and the jobs strip
at the bottom. Menus, toolbar, context menus and the Actions pane share one set of QActions.

The window is put together from its parts: ``layout`` (the central area, docks, columns, remembered layout),
``menus`` (menus, toolbar, Actions pane and running their actions), ``hosts`` (the hosts and host groups); this
module keeps it current and opens its dialogs and windows."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from gui import groups as host_groups
from gui import persist, vmstates
from gui.actions import VmActions
from gui.alerts.rules_dialog import AlertRulesDialog
from gui.connection_window import ConnectionWindow
from gui.dialogs import messages
from gui.dialogs.job_details import JobDetailsDialog
from gui.dialogs.migrate import MigrateDialog
from gui.dialogs.settings import SettingsDialog
from gui.groups import HostGroups
from gui.main_window.hosts import HostsMixin
from gui.main_window.layout import TAB_PERFORMANCE, LayoutMixin
from gui.main_window.menus import MenusMixin
from gui.models.vm_table import ID_ROLE, Col
from gui.performance.view import HOST, PerformanceView, PerformanceWindow
from gui.session import Session
from gui.wizards.new_vm import NewVmWizard


class MainWindow(HostsMixin, MenusMixin, LayoutMixin, QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None, groups_path: Path | None = None,
                 parent=None, home: str | None = None, libvirt: bool = True) -> None:
        """``session``: the local (or embedded) host. ``home`` is its BULKHEAD_HOME, where the saved libvirt
        connections are (``libvirt=False`` leaves them out)."""
        super().__init__(parent)
        self.session = session
        self.active = session  # the host whose VMs the list shows and the actions act on
        self.sessions: list[Session] = [session]
        self.libvirt: dict[str, Session] = {}  # URI -> session
        self.home = home
        self.want_libvirt = libvirt
        self.performance_windows: list[PerformanceWindow] = []
        self.rules_dialog: AlertRulesDialog | None = None
        self.migrate_dialog: MigrateDialog | None = None
        self.settings = settings if settings is not None else persist.settings()
        self.groups_path = groups_path or host_groups.default_path()
        self.groups = HostGroups()
        self.connections: dict[str, ConnectionWindow] = {}
        self.settings_dialogs: dict[str, SettingsDialog] = {}
        self.wizard: NewVmWizard | None = None
        self._hosts: dict[str, tuple] = {}
        self.job_dialogs: list[JobDetailsDialog] = []
        self.last_error: tuple[str, str] | None = None
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("Bulkhead - Virtual Machine Manager"))
        self.vm_actions = VmActions(self, self.run_action)
        # data-driven updates (refreshes, event bursts) at most ten times a second; selection changes at once
        self._ui_timer = QTimer(self, singleShot=True, interval=100, timeout=self._update_ui)
        self._build_center()
        self._build_docks()
        self._build_menus()
        self._connect_session(session)
        self.alerts.add_session(session)
        self._restore_layout()
        self._update_ui()
        self._load_groups()

    # --- selection -----------------------------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.mapToSource(i).data(ID_ROLE) for i in sorted(rows, key=lambda i: i.row())]

    def selected_vms(self) -> list[dict]:
        model = self.active.vm_model
        return [vm for vm in (model.vm(i) for i in self.selected_ids()) if vm is not None]

    def select_vms(self, names_or_ids: list[str]) -> None:
        """Select these VMs in the list (by name or id)."""
        model = self.active.vm_model
        wanted = set(names_or_ids)
        selection = QItemSelection()
        for vm in model.vms():
            if vm["id"] in wanted or vm["name"] in wanted:
                index = self.proxy.mapFromSource(model.index_of(vm["id"]))
                if index.isValid():
                    selection.select(index, index.siblingAtColumn(len(Col) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        if not selection.isEmpty():
            self.table.selectionModel().setCurrentIndex(selection.indexes()[0],
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self._update_ui()

    def _table_selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.nav.blockSignals(True)
            self.nav.select_node("vm", ids[0], self.active.host_key)
            self.nav.blockSignals(False)
        self._update_ui()

    def _nav_changed(self, item, _previous) -> None:
        node = self.nav.current_node()
        if node is None:
            return
        s = self.session_for(self.nav.host_of(self.nav.currentItem()))
        if s is not None:
            self.set_active(s)
        kind, key = node
        if kind == "vm":
            if self.selected_ids() != [key]:
                self.select_vms([key])
        else:
            self.table.selectionModel().clearSelection()
        self._update_ui()

    # --- keeping the window current ------------------------------------------------------------------------------
    def _schedule_ui(self, *_args) -> None:
        if not self._ui_timer.isActive():
            self._ui_timer.start()

    def _update_ui(self) -> None:
        s = self.active
        vms = s.vm_model.vms()
        if s.loaded or s is not self.session:
            self._show_list_page()
        selected = self.selected_vms()
        self.vm_actions.update(selected, connected=s.conn is not None, can=s.can)
        for other in self.sessions:
            if other.host_key:
                self.nav.set_vms(other.host_key, other.vm_model.vms())
        if s.host_key and len(selected) == 1 and self.nav.current_node() != ("vm", selected[0]["id"]):
            self.nav.blockSignals(True)  # follow the list's selection without feeding it back
            self.nav.select_node("vm", selected[0]["id"], s.host_key)
            self.nav.blockSignals(False)
        names = ", ".join(vm["name"] for vm in selected[:3]) + ("..." if len(selected) > 3 else "")
        self.actions_pane.set_titles(s.host_label or self.tr("Host"), names or self.tr("Virtual machine"))
        self.list_title.setText(self._list_title(s.host_label if s.host_label and len(self.sessions) > 1 else ""))
        node = self.nav.current_node()
        if len(selected) == 1:
            row = s.vm_model.row_of(selected[0]["id"])
            self.details.show_vm(selected[0], row.cpu if row else None, row.status(time.monotonic()) if row else "",
                                 libvirt=s.is_libvirt)
        elif selected:
            self.details.show_message(self.tr("{count} virtual machines selected: {names}").format(
                count=len(selected), names=names))
        elif s.host and node and node[0] != "vm":
            self.details.show_host(s.host, s.host_label, vms)
        elif not s.loaded:
            self.details.show_message(self.tr("Connecting..."))
        else:
            self.details.show_message(self.tr("Select a virtual machine to see its details.") if vms else
                                      self.tr("No virtual machines on this host yet."))
        if self.lower.currentIndex() == TAB_PERFORMANCE:
            self.performance.show_targets(s, self.performance_targets(selected))
        running = sum(1 for vm in vms if vm["state"] == "Running")
        counts = (self.tr("{count} virtual machine, {running} running") if len(vms) == 1
                  else self.tr("{count} virtual machines, {running} running"))
        self.status_counts.setText(counts.format(count=len(vms), running=running))
        for vm_id, dialog in list(self.settings_dialogs.items()):
            vm = s.vm_model.vm(vm_id)
            if vm is not None:
                dialog.update_vm(vm)

    # --- performance ---------------------------------------------------------------------------------------------
    def performance_targets(self, selected: list[dict] | None = None) -> list[str]:
        """What the Performance tab graphs: the selected VMs (overlaid), else the host."""
        selected = self.selected_vms() if selected is None else selected
        return [vm["id"] for vm in selected if vm["state"] != vmstates.CONFIG_ERROR][:8] or [HOST]

    def show_performance(self) -> PerformanceView:
        self.lower.setCurrentIndex(TAB_PERFORMANCE)
        self.performance.show_targets(self.active, self.performance_targets())
        return self.performance

    def pop_out_performance(self, view: PerformanceView) -> PerformanceWindow:
        window = PerformanceWindow(view.session or self.active, view.targets or [HOST], view.window_seconds)
        window.destroyed.connect(lambda *_: self.performance_windows.remove(window)
                                 if window in self.performance_windows else None)
        self.performance_windows.append(window)
        window.show()
        return window

    # --- dialogs and windows -------------------------------------------------------------------------------------
    def open_alert_rules(self) -> AlertRulesDialog:
        if self.rules_dialog is not None and self.rules_dialog.session is self.active:
            self.rules_dialog.raise_()
            return self.rules_dialog
        dialog = AlertRulesDialog(self.active, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "rules_dialog", None))
        self.rules_dialog = dialog
        dialog.open()
        return dialog

    def open_migrate(self) -> MigrateDialog | None:
        selected = self.selected_vms()
        if len(selected) != 1:
            return None
        destinations = [(s.host_label, uri) for uri, s in self.libvirt.items() if s is not self.active]
        dialog = MigrateDialog(self.active, selected[0], destinations, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "migrate_dialog", None))
        self.migrate_dialog = dialog
        dialog.open()
        return dialog

    def open_wizard(self) -> NewVmWizard:
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        self.wizard = NewVmWizard(self.active, self)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.created.connect(lambda job: self.statusBar().showMessage(
            self.tr("Creating {name} (job {job})").format(name=job.get("target_name") or self.tr(
                "the virtual machine"), job=job.get("id")), 5000))
        self.wizard.destroyed.connect(lambda *_: setattr(self, "wizard", None))
        self.wizard.finished.connect(lambda _r: setattr(self, "wizard", None))
        self.wizard.open()
        return self.wizard

    def open_connection(self, vm_id: str) -> ConnectionWindow:
        window = self.connections.get(vm_id)
        if window is None:
            window = ConnectionWindow(self.active, vm_id, self.run_operation)
            window.closed.connect(lambda i: self.connections.pop(i, None))
            self.connections[vm_id] = window
            window.show()
        window.raise_()
        window.activateWindow()
        window.terminal.setFocus()
        return window

    def open_settings(self, vm_id: str) -> SettingsDialog | None:
        dialog = self.settings_dialogs.get(vm_id)
        if dialog is None:
            vm = self.active.vm_model.vm(vm_id)
            if vm is None:
                return None
            dialog = SettingsDialog(vm, self.active, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r, i=vm_id: self.settings_dialogs.pop(i, None))
            self.settings_dialogs[vm_id] = dialog
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_job(self, job: dict) -> JobDetailsDialog:
        dialog = JobDetailsDialog(job, self.active.jobs_model.target_name(job), self.active, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.job_dialogs.remove(dialog) if dialog in self.job_dialogs else None)
        self.job_dialogs.append(dialog)
        dialog.show()
        return dialog

    def show_error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        self.statusBar().showMessage(f"{title}: {(message.splitlines() or [''])[0]}", 10_000)
        messages.error(self, title, message)

    def closeEvent(self, event) -> None:
        self.save_layout()
        for window in list(self.connections.values()):
            window.close()
        for dialog in list(self.settings_dialogs.values()):
            dialog.close()
        for window in list(self.performance_windows):
            window.close()
        for s in list(self.libvirt.values()):  # the console is closing: waiting here is fine
            s.close()
        super().closeEvent(event)
