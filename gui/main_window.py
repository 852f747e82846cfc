"""The console's main window, after Hyper-V Manager and SCVMM: navigation tree on the left (host groups, hosts,
VMs), the VM list with search and the details pane in the middle, the Actions pane on the right and the jobs strip
at the bottom. Menus, toolbar, context menus and the Actions pane share one set of QActions."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
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
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core import api
from gui import format as fmt
from gui import groups as host_groups
from gui import libvirt_hosts, persist, vmstates
from gui.actions import LIFECYCLE, VmActions
from gui.alerts.notifier import AlertNotifier
from gui.alerts.pane import AlertsPane
from gui.alerts.rules_dialog import AlertRulesDialog
from gui.connection_window import ConnectionWindow
from gui.dialogs import messages
from gui.dialogs.add_connection import AddConnectionDialog
from gui.dialogs.job_details import JobDetailsDialog
from gui.dialogs.migrate import MigrateDialog
from gui.dialogs.settings import SettingsDialog
from gui.groups import ROOT, GroupError, HostGroups
from gui.models.vm_table import HEADERS, ID_ROLE, Col, VmFilterProxy
from gui.performance.view import HOST, PerformanceView, PerformanceWindow
from gui.session import Session
from gui.tasks import describe
from gui.widgets.actions_pane import ActionsPane
from gui.widgets.delegates import ProgressDelegate, SparklineDelegate
from gui.widgets.details import DetailsPane
from gui.widgets.empty_state import EmptyState
from gui.widgets.jobs_strip import JobsStrip
from gui.widgets.navigation import NavigationTree
from gui.widgets.tables import list_table
from gui.wizards.new_vm import NewVmWizard

LAYOUT_VERSION = 2  # 2: the Performance tab and the Alerts dock
PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST = range(3)
TAB_DETAILS, TAB_PERFORMANCE = range(2)
DEFAULT_WIDTHS = {Col.NAME: 120, Col.STATE: 70, Col.CPU: 60, Col.MEMORY: 90, Col.UPTIME: 70, Col.STATUS: 100,
                  Col.OPERATION: 110, Col.CPU_GRAPH: 90}
LINK_TEXT = {"connecting": "connecting...", "connected": "connected", "disconnected": "disconnected"}


class MainWindow(QMainWindow):
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
        self._hosts: dict[str, tuple[str, str]] = {}
        self.job_dialogs: list[JobDetailsDialog] = []
        self.last_error: tuple[str, str] | None = None
        self.setObjectName("main_window")
        self.setWindowTitle("Bulkhead - Virtual Machine Manager")
        self.vm_actions = VmActions(self, self.run_action)
        # data-driven updates (refreshes, event bursts) at most ten times a second; selection changes at once
        self._ui_timer = QTimer(self, singleShot=True, interval=100, timeout=self._update_ui)
        self._build()
        self._connect_session(session)
        self.alerts.add_session(session)
        self._restore_layout()
        self._update_ui()
        session.tasks.run(host_groups.load, self.groups_path, owner=self, on_done=self._groups_loaded)

    # --- building ------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        a = self.vm_actions
        # the VM list
        self.proxy = VmFilterProxy(self)
        self.proxy.setSourceModel(self.session.vm_model)
        self.table = list_table("vm_table", "Virtual machines", self.proxy, Col.NAME, Qt.SortOrder.AscendingOrder,
                                row_padding=10)
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
        self.performance = PerformanceView(pop_out=self.pop_out_performance)
        self.lower = QTabWidget()
        self.lower.setObjectName("lower_tabs")
        self.lower.setDocumentMode(True)
        self.lower.addTab(self.details, "Details")
        self.lower.addTab(self.performance, "Performance")
        self.lower.currentChanged.connect(lambda _i: self._schedule_ui())
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("center_splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.lower)
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
        self.nav.add_connection_requested.connect(self.add_connection)
        self.nav.remove_host_requested.connect(self.remove_connection)
        self.nav.reconnect_requested.connect(self.reconnect)
        self.nav_dock = self._dock("Navigation", "navigation_dock", self.nav, Qt.DockWidgetArea.LeftDockWidgetArea)
        style = self.style()
        self.add_connection_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon),
                                             "Add libvirt &Host...", self)
        self.add_connection_action.setObjectName("action_add_connection")
        self.add_connection_action.setToolTip("Add a libvirt connection: manage an existing QEMU/KVM host")
        self.add_connection_action.triggered.connect(lambda: self.add_connection(self._selected_group()))
        self.rules_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning), "Alert &Rules...",
                                    self)
        self.rules_action.setObjectName("action_alert_rules")
        self.rules_action.triggered.connect(self.open_alert_rules)
        self.actions_pane = ActionsPane([a["new_vm"], self.add_connection_action, self.rules_action, a["refresh"]],
                                        [a["connect"], a["settings"], a["performance"], None,
                                         *[a[k] for k in LIFECYCLE], None, a["migrate"], a["remove"]])
        self.actions_pane.setObjectName("actions_pane")
        self.actions_dock = self._dock("Actions", "actions_dock", self.actions_pane,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.jobs = JobsStrip(self.session.jobs_model)
        self.jobs.job_activated.connect(self.show_job)
        self.jobs_dock = self._dock("Jobs", "jobs_dock", self.jobs, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.notifier = AlertNotifier(self, self.settings)
        self.alerts = AlertsPane(self.notifier)
        self.alerts.rules_requested.connect(self.open_alert_rules)
        self.alerts.error.connect(self.show_error)
        self.alerts.counts_changed.connect(self._alert_counts)
        self.alerts_dock = self._dock("Alerts", "alerts_dock", self.alerts, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.jobs_dock, self.alerts_dock)
        self.jobs_dock.raise_()
        self.resizeDocks([self.nav_dock, self.actions_dock], [225, 190], Qt.Orientation.Horizontal)
        self.resizeDocks([self.jobs_dock], [130], Qt.Orientation.Vertical)

        # menus and toolbar
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(a["new_vm"])
        new_group = file_menu.addAction("New Host &Group...", lambda: self.new_group(self._selected_group()))
        new_group.setObjectName("action_new_group")
        file_menu.addAction(self.add_connection_action)
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        action_menu = menu.addMenu("&Action")
        action_menu.setToolTipsVisible(True)
        self._fill_vm_menu(action_menu)
        view = menu.addMenu("&View")
        view.addAction(find)
        view.addAction(a["refresh"])
        view.addSeparator()
        view.addAction(a["performance"])
        view.addAction(self.rules_action)
        view.addSeparator()
        for dock in (self.nav_dock, self.actions_dock, self.jobs_dock, self.alerts_dock):
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
        bar.addAction(a["migrate"])
        bar.addAction(a["remove"])
        bar.addSeparator()
        bar.addAction(a["performance"])
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
        for key in ("connect", "settings", "performance"):
            menu.addAction(a[key])
        menu.addSeparator()
        for key in LIFECYCLE:
            menu.addAction(a[key])
        menu.addSeparator()
        menu.addAction(a["migrate"])
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

    # --- sessions (hosts) ----------------------------------------------------------------------------------------
    def _connect_session(self, s: Session) -> None:
        if s is self.session:
            s.connected.connect(self._connected)
            s.connection_failed.connect(self._connection_failed)
        else:
            s.connection_failed.connect(lambda _msg: self._hosts_changed())
        s.host_changed.connect(lambda _info: self._hosts_changed())
        s.link_changed.connect(lambda _link, s=s: self._link_changed(s))
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
        if self.active is self.session:
            self.list_stack.setCurrentIndex(PAGE_CONNECTING)
        self._update_ui()

    def _retry(self) -> None:
        if self.active is not self.session:
            self.reconnect(self.active.host_key)
            return
        self.connecting.set("Connecting to the host service...", "", "")
        self.session.start()

    def _link_changed(self, s: Session) -> None:
        self._hosts_changed()
        if s is self.active:
            self._show_list_page()

    def session_for(self, host_key: str | None) -> Session | None:
        return next((s for s in self.sessions if s.host_key == host_key), None) if host_key else None

    def _host_entry(self, s: Session) -> tuple:
        if s.is_libvirt:
            uri = s.host_key.removeprefix("libvirt:")
            link = s.link
            state = link.get("state", "connecting")
            reason = link.get("reason") or ""
            text = LINK_TEXT.get(state, state)
            if state == "disconnected" and reason:
                short = reason if len(reason) <= 48 else reason[:47] + "\u2026"
                text = f"{text}: {short}"
            caps = s.host.get("capabilities") or {}
            tip = f"libvirt connection {uri}: {state}" + (f" ({reason})" if reason else "")
            if state == "connected" and caps.get("logical_processors"):
                tip += (f"; {caps.get('hypervisor', '')} host, {caps.get('logical_processors')} CPUs, "
                        f"{fmt.size(caps.get('memory_bytes'))}")
            if state == "disconnected":
                tip += "; reconnecting on its own"
            return (f"{s.host_label}\n{text}", tip, state)
        info = s.host
        caps = info.get("capabilities") or {}
        backend = "KVM" if info.get("backend") == "kvm" else (info.get("backend") or "?").capitalize()
        tip = (f"Parent partition of {s.host_label}: {caps.get('logical_processors', '?')} logical "
               f"processors, {fmt.size(caps.get('memory_bytes'))} memory, {info.get('backend_description', backend)}")
        label = (f"{s.host_label}\n{caps.get('logical_processors', '?')} CPUs, "
                 f"{fmt.size(caps.get('memory_bytes'))}, {backend}")
        return (label, tip)

    def _hosts_changed(self) -> None:
        hosts = {s.host_key: self._host_entry(s) for s in self.sessions if s.host_key}
        if hosts != self._hosts:  # hosts are polled every few seconds: rebuild the tree only when it changed
            self._hosts = hosts
            self._rebuild_tree()
        info = self.session.host
        if info:
            self.status_host.setText(f"{self.session.host_label}: {info.get('backend_description', '')}")
            if info.get("notice"):
                self.status_host.setToolTip(info["notice"])
        self._schedule_ui()

    def set_active(self, s: Session) -> None:
        """Show this host's VMs in the list; the actions act on them."""
        if s is self.active or s not in self.sessions:
            return
        self.active = s
        self.proxy.setSourceModel(s.vm_model)
        self.jobs.setModel(s.jobs_model)
        self._show_list_page()
        self._update_ui()

    def _show_list_page(self) -> None:
        s = self.active
        if s.loaded:
            page = PAGE_LIST if s.vm_model.rowCount() else PAGE_EMPTY
        else:
            page = PAGE_CONNECTING
            if s is not self.session:
                link = s.link
                if link.get("state") == "disconnected" or s.last_error:
                    self.connecting.set(f"Cannot connect to {s.host_label}", link.get("reason") or s.last_error,
                                        "Try Again")
                else:
                    self.connecting.set(f"Connecting to {s.host_label}...",
                                        "libvirt connections are made in the background.", "")
        if self.list_stack.currentIndex() != page:
            self.list_stack.setCurrentIndex(page)

    # --- libvirt connections -------------------------------------------------------------------------------------
    def _load_connections(self) -> None:
        if not self.want_libvirt:
            return
        self.session.tasks.run(libvirt_hosts.saved, self.home, owner=self, on_done=self._connections_loaded,
                               on_error=lambda e: self.statusBar().showMessage(
                                   f"Saved libvirt connections unavailable: {describe(e)}", 15000))

    def _connections_loaded(self, entries: list[dict]) -> None:
        changed = False
        for entry in entries:
            key = f"libvirt:{entry['uri']}"
            if entry.get("group") and key not in self.groups.hosts:
                gid = next((g.id for g in self.groups.groups.values() if g.name.lower() == entry["group"].lower()),
                           None)
                try:
                    if gid is None:
                        gid = self.groups.create(entry["group"]).id
                    self.groups.assign(key, gid)
                    changed = True
                except GroupError:
                    pass
            self.open_libvirt(entry)
        if changed:
            self._save_groups()
            self._rebuild_tree()

    def open_libvirt(self, entry: dict) -> Session:
        """A session for a saved libvirt connection; it connects in the background."""
        uri = entry["uri"]
        if uri in self.libvirt:
            return self.libvirt[uri]
        home = self.home
        s = Session(lambda: api.connect(home, uri=uri), self, key=f"libvirt:{uri}",
                    label=entry.get("name") or libvirt_hosts.default_name(uri))
        self.libvirt[uri] = s
        self.sessions.append(s)
        self._connect_session(s)
        self.alerts.add_session(s)
        self._hosts_changed()
        s.start()
        return s

    def add_connection(self, group: str = ROOT) -> AddConnectionDialog:
        groups = [(gid, " > ".join(self.groups.path(gid))) for gid in self.nav.group_ids_in_tree_order()]

        def save(uri, name, on_done, on_error):
            self.session.tasks.run(libvirt_hosts.add, uri, name, "", self.home, owner=self, on_done=on_done,
                                   on_error=on_error)

        dialog = AddConnectionDialog(groups, group, save, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._connection_added)
        dialog.open()
        return dialog

    def _connection_added(self, entry: dict, group: str) -> None:
        key = f"libvirt:{entry['uri']}"
        if group:
            self._change_groups(self.groups.assign, key, group)
        s = self.open_libvirt(entry)
        self.nav.select_node("host", key)
        self.set_active(s)
        self.statusBar().showMessage(f"Added {entry['name']} ({entry['uri']}); connecting in the background", 8000)

    def remove_connection(self, key: str, confirm: bool = True) -> None:
        s = self.session_for(key)
        if s is None or not s.is_libvirt:
            return
        uri = key.removeprefix("libvirt:")

        def forget() -> None:
            self.session.tasks.run(libvirt_hosts.remove, uri, self.home, owner=self,
                                   on_done=lambda _e: self._drop_libvirt(s),
                                   on_error=lambda e: self.show_error("Connection not removed", describe(e)))

        if not confirm:
            forget()
            return
        messages.confirm(self, "Remove connection", f"Remove the connection to {s.host_label}?",
                         f"The console and the command line forget {uri}. Nothing on that host changes: its virtual "
                         "machines keep running.", "Remove", forget)

    def _drop_libvirt(self, s: Session) -> None:
        if s is self.active:
            self.set_active(self.session)
            self.nav.select_node("host", self.session.host_key)
        self.sessions.remove(s)
        self.libvirt.pop(s.host_key.removeprefix("libvirt:"), None)
        self.alerts.remove_session(s)
        self.nav.forget_host(s.host_key)
        self.groups.hosts.pop(s.host_key, None)
        self._save_groups()
        s.closed_async.connect(s.deleteLater)
        s.close_async()
        self._hosts_changed()

    def reconnect(self, key: str) -> None:
        s = self.session_for(key)
        if s is None:
            return
        if s.conn is None:
            s.start()
        else:
            s.call(lambda conn: conn.reconnect())

    # --- host groups ---------------------------------------------------------------------------------------------
    def _groups_loaded(self, value: tuple[HostGroups, str | None]) -> None:
        self.groups, warning = value
        if warning:
            self.statusBar().showMessage(warning, 15000)
        self._rebuild_tree()
        self._load_connections()

    def _rebuild_tree(self) -> None:
        self.nav.rebuild(self.groups, self._hosts)
        for s in self.sessions:
            if s.host_key:
                self.nav.set_vms(s.host_key, s.vm_model.vms())
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
        self.actions_pane.set_titles(s.host_label or "Host", names or "Virtual machine")
        self.list_title.setText(f"<b>Virtual Machines</b> on {s.host_label}" if s.host_label and len(self.sessions) > 1
                                else "<b>Virtual Machines</b>")
        node = self.nav.current_node()
        if len(selected) == 1:
            row = s.vm_model.row_of(selected[0]["id"])
            self.details.show_vm(selected[0], row.cpu if row else None, row.status(time.monotonic()) if row else "",
                                 libvirt=s.is_libvirt)
        elif selected:
            self.details.show_message(f"{len(selected)} virtual machines selected: {names}")
        elif s.host and node and node[0] != "vm":
            self.details.show_host(s.host, s.host_label, vms)
        elif not s.loaded:
            self.details.show_message("Connecting...")
        else:
            self.details.show_message("Select a virtual machine to see its details." if vms else
                                      "No virtual machines on this host yet.")
        if self.lower.currentIndex() == TAB_PERFORMANCE:
            self.performance.show_targets(s, self.performance_targets(selected))
        running = sum(1 for vm in vms if vm["state"] == "Running")
        self.status_counts.setText(f"{len(vms)} virtual machine{'s' if len(vms) != 1 else ''}, {running} running")
        for vm_id, dialog in list(self.settings_dialogs.items()):
            vm = s.vm_model.vm(vm_id)
            if vm is not None:
                dialog.update_vm(vm)

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

    def _alert_counts(self, active: int, unacknowledged: int) -> None:
        self.alerts_dock.setWindowTitle(f"Alerts ({active})" if active else "Alerts")
        self.alerts_dock.toggleViewAction().setText("Alerts")

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
            self.active.refresh()
            self.active.refresh_host()
        elif key == "performance":
            self.show_performance()
        elif key == "migrate":
            self.open_migrate()
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
        able, why = self.active.can(key)
        if not able:
            self.statusBar().showMessage(f"{op.label}: {why}", 8000)
            return
        session = self.active
        if question is None:
            session.operate(key, av.targets)
            return
        title, text, lost = question
        option = vmstates.storage_option(av.targets) if key == "remove" else None
        messages.confirm(parent or self, title, text, lost, op.label, lambda delete=False: session.operate(
            key, av.targets, delete_storage=delete), option=option)

    def open_wizard(self) -> NewVmWizard:
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        self.wizard = NewVmWizard(self.active, self)
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
            self.splitter.setSizes([330, 270])  # the list over the details and graphs (their size hints are tall)
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
        for dock in (self.nav_dock, self.actions_dock, self.jobs_dock, self.alerts_dock):
            dock.setFloating(False)
            dock.show()
        self.jobs_dock.raise_()
        self.splitter.setSizes([500, 300])

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
