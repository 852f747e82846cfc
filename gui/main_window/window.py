"""The console's main window, after Hyper-V Manager and SCVMM: navigation tree on the left (host groups, hosts,
VMs), the VM list with search and the details pane in the middle, the Actions pane on the right and the jobs strip
at the bottom. Menus, toolbar, context menus and the Actions pane share one set of QActions.

The window is put together from its parts: ``layout`` (the central area, docks, columns, remembered layout),
``menus`` (menus, toolbar, Actions pane and running their actions), ``hosts`` (the hosts and host groups); this
module keeps it current and opens its dialogs and windows."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from gui import groups as host_groups
from gui import persist, vmstates
from gui.actions import VmActions
from gui.alerts.rules_dialog import AlertRulesDialog
from gui.connection_window import ConnectionWindow
from gui.dialogs import messages
from gui.dialogs.job_details import JobDetailsDialog
from gui.dialogs.settings import SettingsDialog
from gui.dialogs.switch_manager import SwitchManagerDialog
from gui.groups import HostGroups
from gui.main_window.alerting import AlertingMixin
from gui.main_window.hosts import HostsMixin
from gui.main_window.layout import TAB_PERFORMANCE, LayoutMixin
from gui.main_window.menus import MenusMixin
from gui.main_window.scope import ScopeMixin
from gui.performance.view import HOST, PerformanceView, PerformanceWindow
from gui.session import Session
from gui.wizards import migrate
from gui.wizards.convert import ConvertWizard
from gui.wizards.convert_physical import ConvertPhysicalWizard
from gui.wizards.new_vm import NewVmWizard


class MainWindow(AlertingMixin, ScopeMixin, HostsMixin, MenusMixin, LayoutMixin, QMainWindow):
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
        self.migrate_wizard: migrate.MigrateWizard | None = None
        self.switch_manager: SwitchManagerDialog | None = None
        self._new_vm_jobs: dict[tuple[Session, int], str] = {}  # New VM jobs whose VM is selected when they end
        self._select_new: tuple[Session, str] | None = None
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
        self._build_scope()
        self._build_alerting()
        self._build_menus()
        self.vm_drops = migrate.install_drops(self)  # a VM dropped on another host in the tree: the wizard
        self._connect_session(session)
        self.alerts.add_session(session)
        self._restore_layout()
        self._update_ui()
        self._load_groups()

    # --- selection -----------------------------------------------------------------------------------------------
    def _table_selection_changed(self, *_args) -> None:
        items = self.selected_items()
        hosts = list(dict.fromkeys(s for s, _vm in items))
        if self.spans_hosts:
            if len(hosts) == 1:
                self.active = hosts[0]  # the host actions follow the selection (the list stays on the group)
        elif len(items) == 1:
            self.nav.blockSignals(True)
            self.nav.select_node("vm", items[0][1]["id"], items[0][0].host_key)
            self.nav.blockSignals(False)
        self._update_ui()

    def _nav_changed(self, item, _previous=None) -> None:
        node = self.nav.current_node()
        if node is None:
            return
        kind, key = node
        s = None
        if kind == "group":
            self.set_scope(self.sessions_in_group(key))
        else:
            s = self.session_for(self.nav.host_of(self.nav.currentItem()))
            if s is not None:
                self.set_scope([s], s)
        if kind == "vm":
            if self.selected_ids() != [key]:
                self.select_vms([key], session=s)
        else:
            self.table.selectionModel().clearSelection()
        self._update_ui()

    # --- keeping the window current ------------------------------------------------------------------------------
    def _schedule_ui(self, *_args) -> None:
        if not self._ui_timer.isActive():
            self._ui_timer.start()

    def _update_ui(self) -> None:
        items = self.selected_items()
        selected = [vm for _s, vm in items]
        hosts = list(dict.fromkeys(o for o, _vm in items))
        s = hosts[0] if len(hosts) == 1 else self.active  # the host of the selection, else the host in charge
        self._show_list_page()
        if len(hosts) > 1:
            self.vm_actions.update(selected, connected=any(h.conn is not None for h in hosts),
                                   can=self._can_any(hosts), hosts=len(hosts))
        else:
            self.vm_actions.update(selected, connected=s.conn is not None, can=s.can, hosts=1)
        for other in self.sessions:
            other.show_details_of([vm["id"] for o, vm in items if o is other])
            if other.host_key:
                self.nav.set_vms(other.host_key, other.vm_model.vms())
        if (not self.spans_hosts and s.host_key and len(selected) == 1
                and self.nav.current_node() != ("vm", selected[0]["id"])):
            self.nav.blockSignals(True)  # follow the list's selection without feeding it back
            self.nav.select_node("vm", selected[0]["id"], s.host_key)
            self.nav.blockSignals(False)
        names = ", ".join(vm["name"] for vm in selected[:3]) + ("..." if len(selected) > 3 else "")
        node = self.nav.current_node()
        # a host group in the tree: its name heads the host actions, unless the selection is on one of its hosts
        title = self._group_name(node) if node and node[0] == "group" and len(hosts) != 1 else ""
        self.actions_pane.set_titles(title or self.active.host_label or self.tr("Host"),
                                     names or self.tr("Virtual machine"))
        self.switches_action.setEnabled(self.active.conn is not None)
        self.switches_action.setStatusTip(self.tr("Virtual switches of {host}").format(
            host=self.active.host_label or self.tr("this host")))
        self.list_title.setText(self._scope_title(node))
        vms = [vm for h in self.scope for vm in h.vm_model.vms()]
        if len(selected) == 1:
            row = s.vm_model.row_of(selected[0]["id"])
            self.details.show_vm(selected[0], row.cpu if row else None, row.status(time.monotonic()) if row else "",
                                 libvirt=s.is_libvirt)
        elif selected:
            self.details.show_message(self.tr("{count} virtual machines selected: {names}").format(
                count=len(selected), names=names))
        elif self.spans_hosts:
            self.details.show_message(self._scope_summary(node, vms))
        elif s.host and node and node[0] != "vm":
            self.details.show_host(s.host, s.host_label, s.vm_model.vms())
        elif not s.loaded:
            self.details.show_message(self.tr("Connecting..."))
        else:
            self.details.show_message(self.tr("Select a virtual machine to see its details.") if vms else
                                      self.tr("No virtual machines on this host yet."))
        self.checkpoints.show_vm(s if len(selected) == 1 else None, selected[0] if len(selected) == 1 else None,
                                 count=len(selected))
        if self.lower.currentIndex() == TAB_PERFORMANCE:
            self.performance.show_targets(s, self.performance_targets([vm for o, vm in items if o is s]))
        running = sum(1 for vm in vms if vm["state"] == "Running")
        counts = (self.tr("{count} virtual machine, {running} running") if len(vms) == 1
                  else self.tr("{count} virtual machines, {running} running"))
        self.status_counts.setText(counts.format(count=len(vms), running=running))
        for vm_id, dialog in list(self.settings_dialogs.items()):
            vm = dialog.session.vm_model.vm(vm_id)
            if vm is not None:
                dialog.update_vm(vm)

    def _can_any(self, hosts: list[Session]):
        """A selection on several hosts: an action is offered if one of them can do it (run_operation skips and
        names those that cannot)."""
        def can(capability: str) -> tuple[bool, str]:
            answers = [h.can(capability) for h in hosts]
            return next(((True, "") for able, _why in answers if able), answers[0] if answers else (True, ""))
        return can

    def _group_name(self, node) -> str:
        """The name of the group the tree shows as ``node`` ("All Hosts" for anything else)."""
        item = self.nav.currentItem() if node and node[0] == "group" else None
        return item.text(0) if item is not None else self.tr("All Hosts")

    def _scope_title(self, node) -> str:
        if self.spans_hosts:
            name = self._group_name(node)
            return self.tr("<b>Virtual Machines</b> in {group} ({hosts} hosts)").format(group=name,
                                                                                       hosts=len(self.scope))
        s = self.scope[0]
        return self._list_title(s.host_label if s.host_label and len(self.sessions) > 1 else "")

    def _scope_summary(self, node, vms: list[dict]) -> str:
        name = self._group_name(node)
        if not self.scope:
            return self.tr("{group} has no hosts yet: move a host here, or add a libvirt host.").format(group=name)
        running = sum(1 for vm in vms if vm["state"] == "Running")
        return self.tr("{group}: {hosts} hosts, {count} virtual machines ({running} running). Select virtual "
                       "machines to act on them; each is acted on by its own host.").format(
            group=name, hosts=len(self.scope), count=len(vms), running=running)

    # --- performance ---------------------------------------------------------------------------------------------
    def performance_targets(self, selected: list[dict] | None = None) -> list[str]:
        """What the Performance tab graphs: the selected VMs (overlaid), else the host."""
        selected = self.selected_vms() if selected is None else selected
        return [vm["id"] for vm in selected if vm["state"] != vmstates.CONFIG_ERROR][:8] or [HOST]

    def show_performance(self) -> PerformanceView:
        self.lower.setCurrentIndex(TAB_PERFORMANCE)
        hosts = self.selected_hosts()
        s = hosts[0] if len(hosts) == 1 else self.active
        self.performance.show_targets(s, self.performance_targets([vm for o, vm in self.selected_items()
                                                                   if o is s]))
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

    def open_switch_manager(self, session: Session | None = None) -> SwitchManagerDialog:
        s = session or self.active
        dialog = self.switch_manager
        if dialog is not None and dialog.session is s:
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        if dialog is not None:
            dialog.close()
        dialog = SwitchManagerDialog(s, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: setattr(self, "switch_manager", None)
                                if self.switch_manager is d else None)
        self.switch_manager = dialog
        dialog.show()
        return dialog

    def open_migrate(self, item: tuple | None = None, destination: Session | None = None,
                     storage: bool = False) -> migrate.MigrateWizard | None:
        """The Migrate Virtual Machine wizard for the selected VM (or ``item``: (host, VM)); ``destination``: a host
        chosen already (a drop in the tree); ``storage``: Move VM Storage, from the Transfer step."""
        return migrate.open_wizard(self, item, destination=destination, storage=storage)

    def open_wizard(self) -> NewVmWizard:
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        host = self.active
        self.wizard = NewVmWizard(host, self)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.created.connect(lambda job: self.statusBar().showMessage(
            self.tr("Creating {name} (job {job})").format(name=job.get("target_name") or self.tr(
                "the virtual machine"), job=job.get("id")), 5000))
        self.wizard.created.connect(lambda job, s=host: self.follow_new_vm(s, job))
        self.wizard.destroyed.connect(lambda *_: setattr(self, "wizard", None))
        self.wizard.finished.connect(lambda _r: setattr(self, "wizard", None))
        self.wizard.open()
        return self.wizard

    def open_convert(self) -> ConvertWizard:
        """The Convert Virtual Machine wizard; the VM its job makes is selected once the job completes."""
        if getattr(self, "convert_wizard", None) is not None:
            self.convert_wizard.raise_()
            return self.convert_wizard
        wizard = self.convert_wizard = ConvertWizard(self.active, [s for s in self.sessions if s.host_key], self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.created.connect(lambda job, host: self.follow_new_vm(host, job))
        wizard.finished.connect(lambda _r: setattr(self, "convert_wizard", None))
        wizard.open()
        return wizard

    def open_convert_physical(self) -> ConvertPhysicalWizard:
        """The Convert Physical Server wizard; the VM its job makes is selected once the job completes."""
        if getattr(self, "convert_physical_wizard", None) is not None:
            self.convert_physical_wizard.raise_()
            return self.convert_physical_wizard
        wizard = ConvertPhysicalWizard(self.active, [s for s in self.sessions if s.host_key], self)
        self.convert_physical_wizard = wizard
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.created.connect(lambda job, host: self.follow_new_vm(host, job))
        wizard.finished.connect(lambda _r: setattr(self, "convert_physical_wizard", None))
        wizard.open()
        return wizard

    def follow_new_vm(self, session: Session, job: dict) -> None:
        """Select the VM a New VM job makes once the job has completed (as Hyper-V Manager does after Finish)."""
        if not isinstance(job, dict) or "id" not in job:
            return
        self._new_vm_jobs[(session, job["id"])] = job.get("target") or ""
        known = session.jobs_model.job(job["id"])
        if known is not None and known.get("state") in ("Completed", "Failed", "Cancelled"):
            self._job_done(session, known)  # its end came before the wizard handed it over

    def _job_done(self, session: Session, job: dict) -> None:
        target = self._new_vm_jobs.pop((session, job.get("id")), None)
        if target is None or job.get("state") != "Completed":
            return
        result = job.get("result") if isinstance(job.get("result"), dict) else {}
        result = result["vm"] if isinstance(result.get("vm"), dict) else result  # a conversion's: {vm, report...}
        self._select_new = (session, result.get("id") or target)
        self._select_new_vm()

    def _select_new_vm(self, *_args) -> None:
        if self._select_new is None:
            return
        session, vm_id = self._select_new
        if session.vm_model.vm(vm_id) is None:
            return  # not listed yet: the next refresh brings it (vms_changed calls again)
        self._select_new = None
        if not self.view_index(session, vm_id).isValid():
            self.set_active(session)
            if session.host_key:
                self.nav.blockSignals(True)
                self.nav.select_node("host", session.host_key)
                self.nav.blockSignals(False)
        self.select_vms([vm_id], session=session)
        self.table.scrollTo(self.view_index(session, vm_id))

    def open_connection(self, vm_id: str, session: Session | None = None) -> ConnectionWindow:
        window = self.connections.get(vm_id)
        if window is None:
            s = session or self.owner_of({"id": vm_id})
            window = ConnectionWindow(s, vm_id, self.run_operation)
            window.closed.connect(lambda i: self.connections.pop(i, None))
            self.connections[vm_id] = window
            window.place_on_screen(self)
            window.show()
        window.raise_()
        window.activateWindow()
        window.terminal.setFocus()
        return window

    def open_settings(self, vm_id: str, session: Session | None = None) -> SettingsDialog | None:
        dialog = self.settings_dialogs.get(vm_id)
        if dialog is None:
            s = session or self.owner_of({"id": vm_id})
            vm = s.vm_model.vm(vm_id)
            if vm is None:
                return None
            dialog = SettingsDialog(vm, s, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r, i=vm_id: self.settings_dialogs.pop(i, None))
            self.settings_dialogs[vm_id] = dialog
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_job(self, job: dict, model=None):
        """The job's details (a move: its migration view, gui/dialogs/migration_view.py)."""
        s = self.session_of_model(model) if model is not None else None
        s = s or next((h for h in self.scope if any(j is job for j in h.jobs_model.jobs())), self.active)
        view = migrate.show_job(self, s, job)
        if view is not None:
            return view
        dialog = JobDetailsDialog(job, s.jobs_model.target_name(job), s, self)
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
        for s in self.sessions[1:]:  # the other hosts; the console is closing: waiting here is fine
            s.close()
        super().closeEvent(event)
