"""The main window's layout: the VM list with its search and empty states over the details, performance and
checkpoints tabs, the docks around them, the list's columns, and the layout remembered between runs (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.alerts.notice import AlertNotice
from gui.alerts.notifier import AlertNotifier
from gui.alerts.pane import AlertsPane
from gui.models.vm_table import Col, VmFilterProxy, column_width, header_text
from gui.performance.view import PerformanceView
from gui.widgets.checkpoints import CheckpointsPane
from gui.widgets.delegates import ProgressDelegate, SparklineDelegate
from gui.widgets.details import DetailsPane
from gui.widgets.empty_state import EmptyState
from gui.widgets.jobs_strip import JobsStrip
from gui.widgets.navigation import NavigationTree
from gui.widgets.tables import list_table

LAYOUT_VERSION = 2  # 2: the Performance tab and the Alerts dock
PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST = range(3)
TAB_DETAILS, TAB_PERFORMANCE, TAB_CHECKPOINTS = range(3)
STATUS_MIN = 150  # Heartbeat/Status when the list spans hosts (it would be squeezed by the Host column)
# at least; a column's title and usual content in the language shown may need more (vm_table.column_width)
DEFAULT_WIDTHS = {Col.NAME: 105, Col.STATE: 70, Col.CPU: 60, Col.MEMORY: 90, Col.UPTIME: 70, Col.STATUS: 100,
                  Col.OPERATION: 110, Col.CPU_GRAPH: 80, Col.HOST: 130}


class LayoutMixin:
    """Part of MainWindow: builds the central area and the docks, and keeps the layout."""

    def _build_center(self) -> None:
        # the VM list
        self.proxy = VmFilterProxy(self)
        self.proxy.setSourceModel(self.session.vm_model)
        self.table = list_table("vm_table", self.tr("Virtual machines"), self.proxy, Col.NAME,
                                Qt.SortOrder.AscendingOrder, row_padding=10)
        self.table.setItemDelegateForColumn(Col.CPU_GRAPH, SparklineDelegate(self.table))
        self.table.setItemDelegateForColumn(Col.OPERATION, ProgressDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the last column takes what the others leave
        header.moveSection(header.visualIndex(Col.HOST), 1)  # beside the name, as SCVMM shows it
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._default_widths()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda pos: self.vm_menu(self.table.viewport().mapToGlobal(pos)))
        self.table.activated.connect(lambda _index: self.run_action("connect"))
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search virtual machines by name or state (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search virtual machines"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.returnPressed.connect(self.table.setFocus)
        find = QAction(self.tr("&Find"), self)
        find.setObjectName("action_find")
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)
        self.find_action = find

        self.connecting = EmptyState(self.tr("Connecting to the host service..."),
                                     self.tr("Bulkhead starts the host service on first use; this takes a moment."),
                                     "")
        self.connecting.setObjectName("connecting_state")
        self.connecting.action.connect(self._retry)
        self.empty = EmptyState(self.tr("No virtual machines yet"),
                                self.tr("A virtual machine runs the bundled guest (or your own image) on this host's "
                                        "hardware virtualization. Create one to get started: the wizard shows the "
                                        "command line and script that do the same."),
                                self.tr("New Virtual Machine..."))
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
        self.list_title = QLabel(self._list_title())
        self.list_title.setObjectName("list_title")
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
        self.lower.addTab(self.details, self.tr("Details"))
        self.lower.addTab(self.performance, self.tr("Performance"))
        self.checkpoints = CheckpointsPane()  # the selected VM's checkpoint tree (Hyper-V Manager's Checkpoints pane)
        self.lower.addTab(self.checkpoints, self.tr("Checkpoints"))
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
        self.alert_notice = AlertNotice()
        central_layout.addWidget(self.alert_notice)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _list_title(self, host: str = "") -> str:
        if host:
            return self.tr("<b>Virtual Machines</b> on {host}").format(host=host)
        return self.tr("<b>Virtual Machines</b>")

    def _default_widths(self) -> None:
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for col, width in DEFAULT_WIDTHS.items():
            # wide enough for the header text and the sort arrow, whatever the font size
            self.table.setColumnWidth(col, max(width, column_width(col, metrics)))

    def _build_docks(self) -> None:
        # navigation on the left, actions on the right, jobs and alerts (tabbed) at the bottom
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
        self.nav.import_vm_requested.connect(lambda: self.run_action("import_vm"))
        self.nav.add_connection_requested.connect(self.add_connection)
        self.nav.remove_host_requested.connect(self.remove_connection)
        self.nav.reconnect_requested.connect(self.reconnect)
        self.nav_dock = self._dock(self.tr("Navigation"), "navigation_dock", self.nav,
                                   Qt.DockWidgetArea.LeftDockWidgetArea)
        self.actions_pane = self._actions_pane()
        self.actions_pane.setObjectName("actions_pane")
        self.actions_dock = self._dock(self.tr("Actions"), "actions_dock", self.actions_pane,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.jobs = JobsStrip(self.session.jobs_model)
        self.jobs.job_activated.connect(self.show_job)
        self.jobs_dock = self._dock(self.tr("Jobs"), "jobs_dock", self.jobs, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.notifier = AlertNotifier(self, self.settings)
        self.alerts = AlertsPane(self.notifier)
        self.alerts.open_migrate = self.open_migrate  # an alert's Migrate... suggestion opens the wizard
        self.alerts.rules_requested.connect(self.open_alert_rules)
        self.alerts.error.connect(self.show_error)
        self.alerts.counts_changed.connect(self._alert_counts)
        self.alerts_dock = self._dock(self.tr("Alerts"), "alerts_dock", self.alerts,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.jobs_dock, self.alerts_dock)
        self.jobs_dock.raise_()
        self._dock_widths()
        self.resizeDocks([self.jobs_dock], [130], Qt.Orientation.Vertical)

    def _dock_widths(self) -> None:
        """Navigation at its usual width, Actions as wide as its longest entry in this language (within bounds)."""
        self.resizeDocks([self.nav_dock, self.actions_dock], [225, self.actions_pane.fitting_width()],
                         Qt.Orientation.Horizontal)

    def _alert_counts(self, active: int, unacknowledged: int) -> None:
        self.alerts_dock.setWindowTitle(self.tr("Alerts ({count})").format(count=active) if active
                                        else self.tr("Alerts"))
        self.alerts_dock.toggleViewAction().setText(self.tr("Alerts"))

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    # --- columns -------------------------------------------------------------------------------------------------
    def _header_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.setObjectName("columns_context_menu")
        self._fill_columns_menu(menu)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        header = self.table.horizontalHeader()
        for col in Col:
            action = menu.addAction(header_text(col))
            action.setObjectName(f"column_{col.name.lower()}")
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.setEnabled(col != Col.NAME and (col != Col.HOST or self.spans_hosts))
            if col == Col.HOST and not self.spans_hosts:
                action.setToolTip(self.tr("Shown when the list spans several hosts (All Hosts or a host group)"))
            action.toggled.connect(lambda on, c=col: self.set_column_visible(c, on))

    def set_column_visible(self, col: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(col, not visible)

    def _columns_for_scope(self, spans_hosts: bool) -> None:
        """The Host column shows when the list spans hosts; Heartbeat/Status then keeps a readable width. The last
        column takes what the others leave; where they do not fit, the list scrolls sideways rather than squeezing
        Heartbeat/Status below its title (German's "Takt/Status" came out as "t/Sta")."""
        header = self.table.horizontalHeader()
        header.setSectionHidden(Col.HOST, not spans_hosts)
        if spans_hosts:
            header.resizeSection(Col.STATUS, max(header.sectionSize(Col.STATUS), STATUS_MIN))

    # --- layout persistence --------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = self.settings
        if s.value("main/version", 0, int) != LAYOUT_VERSION:
            self.resize(1280, 800)
            QTimer.singleShot(0, self._dock_widths)  # again once shown at this size (it was built smaller)
            self.table.horizontalHeader().setSectionHidden(Col.OPERATION, False)
            self.table.horizontalHeader().setSectionHidden(Col.HOST, not self.spans_hosts)
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
        self.table.horizontalHeader().setSectionHidden(Col.HOST, not self.spans_hosts)

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
            header.setSectionHidden(col, col == Col.HOST and not self.spans_hosts)
            header.moveSection(header.visualIndex(col), col)
        header.moveSection(header.visualIndex(Col.HOST), 1)
        self._default_widths()
        for dock in self.docks():
            dock.setFloating(False)
            dock.show()
        self.jobs_dock.raise_()
        self.splitter.setSizes([500, 300])

    def docks(self) -> tuple[QDockWidget, ...]:
        return (self.nav_dock, self.actions_dock, self.jobs_dock, self.alerts_dock)
