"""The console's main window, after Hyper-V Manager and SCVMM: navigation tree on the left (host groups, hosts,
VMs), the VM list with search and the details pane in the middle, the Actions pane on the right and the jobs strip
at the bottom. Menus, toolbar, context menus and the Actions pane share one set of QActions."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gui import format as fmt
from gui import groups as host_groups
from gui import persist, vmstates
from gui.actions import LIFECYCLE, VmActions
from gui.connection_window import ConnectionWindow
from gui.dialogs import messages
from gui.dialogs.job_details import JobDetailsDialog
from gui.dialogs.settings import SettingsDialog
from gui.groups import ROOT, GroupError, HostGroups
from gui.models.vm_table import HEADERS, ID_ROLE, Col, VmFilterProxy
from gui.session import Session
from gui.tasks import describe
from gui.widgets.actions_pane import ActionsPane
from gui.widgets.delegates import ProgressDelegate, SparklineDelegate
from gui.widgets.details import DetailsPane
from gui.widgets.empty_state import EmptyState
from gui.widgets.jobs_strip import JobsStrip
from gui.widgets.navigation import NavigationTree
from gui.wizards.new_vm import NewVmWizard

LAYOUT_VERSION = 1
PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST = range(3)
DEFAULT_WIDTHS = {Col.NAME: 120, Col.STATE: 70, Col.CPU: 60, Col.MEMORY: 90, Col.UPTIME: 70, Col.STATUS: 100,
                  Col.OPERATION: 120, Col.CPU_GRAPH: 90}


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None, groups_path: Path | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings if settings is not None else persist.settings()
        self.groups_path = groups_path or host_groups.default_path()
        self.groups = HostGroups()
        self.connections: dict[str, ConnectionWindow] = {}
        self.settings_dialogs: dict[str, SettingsDialog] = {}
        self.wizard: NewVmWizard | None = None
        self._hosts: dict[str, tuple[str, str]] = {}
        self.job_dialogs: list[JobDetailsDialog] = []
        self.last_error: tuple[str, str] | None = None
        self.setObjectName("main_window")
        self.setWindowTitle("Bulkhead - Virtual Machine Manager")
        self.vm_actions = VmActions(self, self.run_action)
        # data-driven updates (refreshes, event bursts) at most ten times a second; selection changes at once
        self._ui_timer = QTimer(self, singleShot=True, interval=100, timeout=self._update_ui)
        self._build()
        self._connect_session()
        self._restore_layout()
        self._update_ui()
        session.tasks.run(host_groups.load, self.groups_path, owner=self, on_done=self._groups_loaded)

    # --- building ------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        a = self.vm_actions
        # the VM list
        self.proxy = VmFilterProxy(self)
        self.proxy.setSourceModel(self.session.vm_model)
        self.table = QTableView()
        self.table.setObjectName("vm_table")
        self.table.setAccessibleName("Virtual machines")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setItemDelegateForColumn(Col.CPU_GRAPH, SparklineDelegate(self.table))
        self.table.setItemDelegateForColumn(Col.OPERATION, ProgressDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Col.STATUS, QHeaderView.ResizeMode.Stretch)  # takes what the others leave
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._default_widths()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda pos: self.vm_menu(self.table.viewport().mapToGlobal(pos)))
        self.table.activated.connect(lambda _index: self.run_action("connect"))
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search virtual machines by name or state (Ctrl+F)")
        self.search.setAccessibleName("Search virtual machines")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.returnPressed.connect(self.table.setFocus)
        find = QAction("&Find", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)
        self.find_action = find

        self.connecting = EmptyState("Connecting to the host service...",
                                     "Bulkhead starts the host service on first use; this takes a moment.", "")
        self.connecting.action.connect(self._retry)
        self.empty = EmptyState("No virtual machines yet",
                                "A virtual machine runs the bundled guest (or your own image) on this host's "
                                "hardware virtualization. Create one to get started: the wizard shows the command "
                                "line and script that do the same.", "New Virtual Machine...")
        self.empty.setObjectName("empty_state")
        self.empty.action.connect(lambda: self.run_action("new_vm"))
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.connecting)
        self.list_stack.addWidget(self.empty)
        self.list_stack.addWidget(self.table)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        self.list_title = QLabel("<b>Virtual Machines</b>")
        search_row.addWidget(self.list_title)
        search_row.addStretch(1)
        search_row.addWidget(self.search, 2)
        top_layout.addLayout(search_row)
        top_layout.addWidget(self.list_stack, 1)
        self.details = DetailsPane()
        self.details.setObjectName("details")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("center_splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(4, 4, 4, 4)
        central_layout.addWidget(self.splitter)
        self.setCentralWidget(central)

        # docks: navigation, actions, jobs
        self.nav = NavigationTree()
        self.nav.setObjectName("navigation")
        self.nav.currentItemChanged.connect(self._nav_changed)
        self.nav.itemClicked.connect(self._nav_changed)  # also when the clicked item was current already
        self.nav.host_moved.connect(self.move_host)
        self.nav.group_moved.connect(self.move_group)
        self.nav.group_renamed.connect(self.rename_group)
        self.nav.new_group_requested.connect(self.new_group)
        self.nav.delete_group_requested.connect(self.delete_group)
        self.nav.vm_menu_requested.connect(self.vm_menu)
        self.nav.new_vm_requested.connect(lambda: self.run_action("new_vm"))
        self.nav_dock = self._dock("Navigation", "navigation_dock", self.nav, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.actions_pane = ActionsPane([a["new_vm"], a["refresh"]],
                                        [a["connect"], a["settings"], None, *[a[k] for k in LIFECYCLE], None,
                                         a["remove"]])
        self.actions_pane.setObjectName("actions_pane")
        self.actions_dock = self._dock("Actions", "actions_dock", self.actions_pane,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.jobs = JobsStrip(self.session.jobs_model)
        self.jobs.job_activated.connect(self.show_job)
        self.jobs_dock = self._dock("Jobs", "jobs_dock", self.jobs, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.nav_dock, self.actions_dock], [225, 190], Qt.Orientation.Horizontal)
        self.resizeDocks([self.jobs_dock], [130], Qt.Orientation.Vertical)

        # menus and toolbar
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(a["new_vm"])
        new_group = file_menu.addAction("New Host &Group...", lambda: self.new_group(self._selected_group()))
        new_group.setObjectName("action_new_group")
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        action_menu = menu.addMenu("&Action")
        action_menu.setToolTipsVisible(True)
        self._fill_vm_menu(action_menu)
        view = menu.addMenu("&View")
        view.addAction(find)
        view.addAction(a["refresh"])
        view.addSeparator()
        for dock in (self.nav_dock, self.actions_dock, self.jobs_dock):
            view.addAction(dock.toggleViewAction())
        self.columns_menu = view.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(self.columns_menu))
        view.addSeparator()
        view.addAction("Reset &Layout", self.reset_layout)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction("&Keyboard Shortcuts", self.show_shortcuts)
        help_menu.addAction("&About Bulkhead", self.show_about)

        bar = QToolBar("Main toolbar")
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addAction(a["new_vm"])
        bar.addSeparator()
        bar.addAction(a["connect"])
        bar.addAction(a["settings"])
        bar.addSeparator()
        for key in LIFECYCLE:
            bar.addAction(a[key])
        bar.addSeparator()
        bar.addAction(a["remove"])
        bar.addSeparator()
        bar.addAction(a["refresh"])
        self.addToolBar(bar)
        self.toolbar = bar

        self.status_counts = QLabel()
        self.status_counts.setAccessibleName("Virtual machine counts")
        self.status_host = QLabel()
        self.status_host.setAccessibleName("Host")
        self.statusBar().addPermanentWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_host)

    def _default_widths(self) -> None:
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for col, width in DEFAULT_WIDTHS.items():
            # wide enough for the header text and the sort arrow, whatever the font size
            self.table.setColumnWidth(col, max(width, metrics.horizontalAdvance(HEADERS[col]) + 28))

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _fill_vm_menu(self, menu: QMenu) -> None:
        a = self.vm_actions
        for key in ("connect", "settings"):
            menu.addAction(a[key])
        menu.addSeparator()
        for key in LIFECYCLE:
            menu.addAction(a[key])
        menu.addSeparator()
        menu.addAction(a["remove"])

    def vm_menu(self, global_pos) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("vm_context_menu")
        menu.setToolTipsVisible(True)
        self._fill_vm_menu(menu)
        menu.addSeparator()
        menu.addAction(self.vm_actions["new_vm"])
        menu.popup(global_pos)
        return menu

    def _header_menu(self, pos) -> None:
        menu = QMenu(self)
        self._fill_columns_menu(menu)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        header = self.table.horizontalHeader()
        for col in Col:
            action = menu.addAction(HEADERS[col])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.setEnabled(col != Col.NAME)
            action.toggled.connect(lambda on, c=col: self.set_column_visible(c, on))

    def set_column_visible(self, col: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(col, not visible)

    # --- session -------------------------------------------------------------------------------------------------
    def _connect_session(self) -> None:
        s = self.session
        s.connected.connect(self._connected)
        s.connection_failed.connect(self._connection_failed)
        s.host_changed.connect(self._host_changed)
        s.vms_loaded.connect(self._schedule_ui)
        s.vms_changed.connect(self._schedule_ui)
        s.error.connect(self.show_error)
        s.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        s.vm_model.rowsInserted.connect(self._schedule_ui)
        s.vm_model.rowsRemoved.connect(self._schedule_ui)

    def _connected(self) -> None:
        self.status_host.setText(self.session.conn.description if self.session.conn else "")
        self.statusBar().showMessage("Connected", 3000)

    def _connection_failed(self, message: str) -> None:
        self.connecting.set("Cannot connect to the host service", message, "Try Again")
        self.list_stack.setCurrentIndex(PAGE_CONNECTING)
        self._update_ui()

    def _retry(self) -> None:
        self.connecting.set("Connecting to the host service...", "", "")
        self.session.start()

    def _host_changed(self, info: dict) -> None:
        caps = info.get("capabilities") or {}
        backend = "KVM" if info.get("backend") == "kvm" else (info.get("backend") or "?").capitalize()
        tip = (f"Parent partition of {self.session.host_label}: {caps.get('logical_processors', '?')} logical "
               f"processors, {fmt.size(caps.get('memory_bytes'))} memory, {info.get('backend_description', backend)}")
        label = (f"{self.session.host_label}\n{caps.get('logical_processors', '?')} CPUs, "
                 f"{fmt.size(caps.get('memory_bytes'))}, {backend}")
        hosts = {self.session.host_key: (label, tip)}
        if hosts != self._hosts:  # the host is polled every few seconds: rebuild the tree only when it changed
            self._hosts = hosts
            self._rebuild_tree()
        self.status_host.setText(f"{self.session.host_label}: {info.get('backend_description', '')}")
        if info.get("notice"):
            self.status_host.setToolTip(info["notice"])
        self._schedule_ui()

    # --- host groups ---------------------------------------------------------------------------------------------
    def _groups_loaded(self, value: tuple[HostGroups, str | None]) -> None:
        self.groups, warning = value
        if warning:
            self.statusBar().showMessage(warning, 15000)
        self._rebuild_tree()

    def _rebuild_tree(self) -> None:
        self.nav.rebuild(self.groups, self._hosts)
        self.nav.set_vms(self.session.host_key, self.session.vm_model.vms())
        if self.nav.currentItem() is None and self.session.host_key:
            self.nav.select_node("host", self.session.host_key)

    def _save_groups(self) -> None:
        self.session.tasks.run_latest("groups", host_groups.save, self.groups.to_dict(), self.groups_path,
                                      owner=self, on_error=lambda e: self.show_error(
                                          "Host groups not saved", describe(e)))

    def _change_groups(self, change, *args) -> bool:
        try:
            change(*args)
        except GroupError as e:
            self.statusBar().showMessage(str(e), 8000)
            self._rebuild_tree()
            return False
        self._save_groups()
        self._rebuild_tree()
        return True

    def new_group(self, parent: str = ROOT, name: str | None = None) -> str | None:
        if name is None:
            existing = {g.name.lower() for g in self.groups.children(parent)}
            name, n = "New Group", 2
            while name.lower() in existing:
                name, n = f"New Group {n}", n + 1
            edit = True
        else:
            edit = False
        created: list[str] = []
        if not self._change_groups(lambda: created.append(self.groups.create(name, parent).id)):
            return None
        if edit:
            self.nav.rename_group(created[0])
        return created[0]

    def rename_group(self, gid: str, name: str) -> bool:
        return self._change_groups(self.groups.rename, gid, name)

    def move_group(self, gid: str, parent: str) -> bool:
        return self._change_groups(self.groups.move, gid, parent)

    def delete_group(self, gid: str) -> bool:
        return self._change_groups(self.groups.delete, gid)

    def move_host(self, host: str, group: str) -> bool:
        return self._change_groups(self.groups.assign, host, group)

    def _selected_group(self) -> str:
        node = self.nav.current_node()
        return node[1] if node and node[0] == "group" else ROOT

    # --- selection -----------------------------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.mapToSource(i).data(ID_ROLE) for i in sorted(rows, key=lambda i: i.row())]

    def selected_vms(self) -> list[dict]:
        model = self.session.vm_model
        return [vm for vm in (model.vm(i) for i in self.selected_ids()) if vm is not None]

    def select_vms(self, names_or_ids: list[str]) -> None:
        """Select these VMs in the list (by name or id)."""
        model = self.session.vm_model
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
            self.nav.select_node("vm", ids[0])
            self.nav.blockSignals(False)
        self._update_ui()

    def _nav_changed(self, item, _previous) -> None:
        node = self.nav.current_node()
        if node is None:
            return
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
        s = self.session
        vms = s.vm_model.vms()
        if s.loaded:
            page = PAGE_LIST if vms else PAGE_EMPTY
            if self.list_stack.currentIndex() != page:
                self.list_stack.setCurrentIndex(page)
        selected = self.selected_vms()
        self.vm_actions.update(selected, connected=s.conn is not None)
        if s.host_key:
            self.nav.set_vms(s.host_key, vms)
            if len(selected) == 1 and self.nav.current_node() != ("vm", selected[0]["id"]):
                self.nav.blockSignals(True)  # follow the list's selection without feeding it back
                self.nav.select_node("vm", selected[0]["id"])
                self.nav.blockSignals(False)
        names = ", ".join(vm["name"] for vm in selected[:3]) + ("..." if len(selected) > 3 else "")
        self.actions_pane.set_titles(s.host_label or "Host", names or "Virtual machine")
        if len(selected) == 1:
            row = s.vm_model.row_of(selected[0]["id"])
            self.details.show_vm(selected[0], row.cpu if row else None, row.status(time.monotonic()) if row else "")
        elif selected:
            self.details.show_message(f"{len(selected)} virtual machines selected: {names}")
        elif s.host and self.nav.current_node() and self.nav.current_node()[0] != "vm":
            self.details.show_host(s.host, s.host_label, vms)
        elif not s.loaded:
            self.details.show_message("Connecting...")
        else:
            self.details.show_message("Select a virtual machine to see its details." if vms else
                                      "No virtual machines on this host yet.")
        running = sum(1 for vm in vms if vm["state"] == "Running")
        self.status_counts.setText(f"{len(vms)} virtual machine{'s' if len(vms) != 1 else ''}, {running} running")
        for vm_id, dialog in list(self.settings_dialogs.items()):
            vm = s.vm_model.vm(vm_id)
            if vm is not None:
                dialog.update_vm(vm)

    # --- actions -------------------------------------------------------------------------------------------------
    def run_action(self, key: str) -> None:
        if key == "new_vm":
            self.open_wizard()
        elif key == "connect":
            for vm in [vm for vm in self.selected_vms() if vm["state"] != vmstates.CONFIG_ERROR][:4]:
                self.open_connection(vm["id"])
        elif key == "settings":
            selected = self.selected_vms()
            if len(selected) == 1:
                self.open_settings(selected[0]["id"])
        elif key == "refresh":
            self.session.refresh()
            self.session.refresh_host()
        else:
            self.run_operation(key, self.selected_vms(), self)

    def run_operation(self, key: str, vms: list[dict], parent: QWidget | None = None) -> None:
        """Run a lifecycle operation on the VMs whose state allows it, asking first when something will be lost."""
        av = vmstates.availability(key, vms)
        if not av.enabled:
            self.statusBar().showMessage(av.tooltip, 8000)
            return
        op = vmstates.OPERATIONS[key]
        question = vmstates.confirmation(key, av.targets) if op.confirm else None
        if question is None:
            self.session.operate(key, av.targets)
            return
        title, text, lost = question
        messages.confirm(parent or self, title, text, lost, op.label, lambda: self.session.operate(key, av.targets))

    def open_wizard(self) -> NewVmWizard:
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        self.wizard = NewVmWizard(self.session, self)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.created.connect(lambda job: self.statusBar().showMessage(
            f"Creating {job.get('target_name') or 'the virtual machine'} (job {job.get('id')})", 5000))
        self.wizard.destroyed.connect(lambda *_: setattr(self, "wizard", None))
        self.wizard.finished.connect(lambda _r: setattr(self, "wizard", None))
        self.wizard.open()
        return self.wizard

    def open_connection(self, vm_id: str) -> ConnectionWindow:
        window = self.connections.get(vm_id)
        if window is None:
            window = ConnectionWindow(self.session, vm_id, self.run_operation)
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
            vm = self.session.vm_model.vm(vm_id)
            if vm is None:
                return None
            dialog = SettingsDialog(vm, self.session, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r, i=vm_id: self.settings_dialogs.pop(i, None))
            self.settings_dialogs[vm_id] = dialog
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_job(self, job: dict) -> JobDetailsDialog:
        dialog = JobDetailsDialog(job, self.session.jobs_model.target_name(job), self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.job_dialogs.remove(dialog) if dialog in self.job_dialogs else None)
        self.job_dialogs.append(dialog)
        dialog.show()
        return dialog

    def show_error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        self.statusBar().showMessage(f"{title}: {message.splitlines()[0]}", 10_000)
        messages.error(self, title, message)

    def show_about(self) -> None:
        info = self.session.host
        box = QMessageBox(QMessageBox.Icon.Information, "About Bulkhead",
                          "<b>Bulkhead</b> - virtual machines on an embedded hypervisor.",
                          QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(f"Host service version {info.get('version', '?')}; "
                               f"{info.get('backend_description', 'not connected')}.")
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()

    def show_shortcuts(self) -> None:
        rows = [(a.text().replace("&", "").rstrip("."), a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
                for a in self.vm_actions.actions.values() if not a.shortcut().isEmpty()]
        rows.append(("Find", self.find_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        from html import escape

        text = "<table>" + "".join(f"<tr><td>{escape(n)}</td><td>&nbsp;&nbsp;<b>{escape(k)}</b></td></tr>"
                                   for n, k in rows) + "</table>"
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", text, QMessageBox.StandardButton.Ok, self)
        box.setInformativeText("In a VM connection window keys go to the guest; its toolbar uses Ctrl+Alt+S (Start), "
                               "Ctrl+Alt+O (Turn Off), Ctrl+Alt+D (Shut Down), Ctrl+Alt+A (Save), "
                               "Ctrl+Alt+P (Pause/Resume), Ctrl+Alt+E (Reset).")
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()

    # --- layout persistence --------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = self.settings
        if s.value("main/version", 0, int) != LAYOUT_VERSION:
            self.resize(1280, 800)
            self.table.horizontalHeader().setSectionHidden(Col.OPERATION, False)
            return
        if (geometry := s.value("main/geometry")) is not None:
            self.restoreGeometry(geometry)
        if (state := s.value("main/state")) is not None:
            self.restoreState(state, LAYOUT_VERSION)
        if (splitter := s.value("main/splitter")) is not None:
            self.splitter.restoreState(splitter)
        if (header := s.value("main/header")) is not None:
            self.table.horizontalHeader().restoreState(header)
            self.table.horizontalHeader().setSectionHidden(Col.NAME, False)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("main/version", LAYOUT_VERSION)
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState(LAYOUT_VERSION))
        s.setValue("main/splitter", self.splitter.saveState())
        s.setValue("main/header", self.table.horizontalHeader().saveState())
        s.sync()

    def reset_layout(self) -> None:
        self.settings.remove("main")
        header = self.table.horizontalHeader()
        for col in Col:
            header.setSectionHidden(col, False)
            header.moveSection(header.visualIndex(col), col)
        self._default_widths()
        for dock in (self.nav_dock, self.actions_dock, self.jobs_dock):
            dock.setFloating(False)
            dock.show()
        self.splitter.setSizes([500, 300])

    def closeEvent(self, event) -> None:
        self.save_layout()
        for window in list(self.connections.values()):
            window.close()
        for dialog in list(self.settings_dialogs.values()):
            dialog.close()
        super().closeEvent(event)
