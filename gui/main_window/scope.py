"""Which hosts the VM list shows, as in SCVMM: a host shows its own VMs; "All Hosts" or a host group shows every VM
of every host in it, with a Host column. The list then sits over one table of rows made of each host's own model
(QConcatenateTablesProxyModel), so events still touch only their rows; the jobs strip shows those hosts' jobs,
newest first. A selection may span hosts: each VM is acted on by its own host."""

from __future__ import annotations

from PySide6.QtCore import (
    QConcatenateTablesProxyModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from gui.groups import ROOT
from gui.models.jobs import JOB_SORT_ROLE, JobsModel
from gui.models.vm_table import ID_ROLE, VmTableModel


class ScopeMixin:
    """Part of MainWindow: the hosts the list spans (``scope``), the selection as (host, VM) pairs."""

    def _build_scope(self) -> None:
        self.scope = [self.session]  # the sessions whose VMs the list shows
        self.vm_union = QConcatenateTablesProxyModel(self)
        self.jobs_union = QConcatenateTablesProxyModel(self)
        self.jobs_sorted = QSortFilterProxyModel(self)
        self.jobs_sorted.setSourceModel(self.jobs_union)
        self.jobs_sorted.setSortRole(JOB_SORT_ROLE)
        self.jobs_sorted.setDynamicSortFilter(True)
        self.jobs_sorted.sort(0, Qt.SortOrder.DescendingOrder)
        self._no_vms = VmTableModel(self)  # what a group without hosts lists
        self._no_jobs = JobsModel(parent=self)

    @property
    def spans_hosts(self) -> bool:
        return len(self.scope) != 1

    # --- the hosts the list shows -----------------------------------------------------------------------------
    def sessions_in_group(self, gid: str) -> list:
        """The hosts in a group and its subgroups, in the order they were added ("All Hosts": every host)."""
        if gid == ROOT:
            return list(self.sessions)
        inside = {gid}
        grew = True
        while grew:
            more = {g.id for g in self.groups.groups.values() if g.parent in inside} - inside
            grew = bool(more)
            inside |= more
        return [s for s in self.sessions if s.host_key and self.groups.group_of(s.host_key) in inside]

    def set_scope(self, sessions: list, active=None) -> None:
        """List the VMs of these hosts; ``active`` is the host the host actions (New VM, Refresh ...) act on."""
        sessions = [s for s in sessions if s in self.sessions]
        if active is not None and active in self.sessions:
            self.active = active
        elif sessions and self.active not in sessions:
            self.active = sessions[0]
        if self.active not in self.sessions:
            self.active = self.session
        if sessions == self.scope and self._scope_models_current():
            self._show_list_page()
            return
        self.scope = sessions
        if len(sessions) == 1:
            self._set_source(sessions[0].vm_model)
            self.jobs.setModel(sessions[0].jobs_model)
            self._fill(self.vm_union, [])
            self._fill(self.jobs_union, [])
        else:
            self._fill(self.vm_union, [s.vm_model for s in sessions] or [self._no_vms])
            self._fill(self.jobs_union, [s.jobs_model for s in sessions] or [self._no_jobs])
            self._set_source(self.vm_union)
            self.jobs.setModel(self.jobs_sorted)
        self.proxy.match_host = self.spans_hosts
        self._columns_for_scope(self.spans_hosts)
        self._show_list_page()
        self._schedule_ui()

    def set_active(self, s) -> None:
        """Show this host's VMs in the list; the actions act on them."""
        if s in self.sessions:
            self.set_scope([s], s)
            self._update_ui()

    def _scope_models_current(self) -> bool:
        if len(self.scope) == 1:
            return self.proxy.sourceModel() is self.scope[0].vm_model
        wanted = [s.vm_model for s in self.scope] or [self._no_vms]
        return self.proxy.sourceModel() is self.vm_union and list(self.vm_union.sourceModels()) == wanted

    def _set_source(self, model) -> None:
        if self.proxy.sourceModel() is model:
            return
        header = self.table.horizontalHeader()
        state = header.saveState()  # the columns' order, widths and hidden ones stay as the user left them
        self.proxy.setSourceModel(model)
        header.restoreState(state)

    @staticmethod
    def _fill(union: QConcatenateTablesProxyModel, models: list) -> None:
        """Make ``union`` the rows of ``models`` without ever leaving it empty of models while it is shown
        (an empty one has no columns, and the header would forget its sections)."""
        have = list(union.sourceModels())
        for model in models:
            if model not in have:
                union.addSourceModel(model)
        for model in have:
            if model not in models:
                union.removeSourceModel(model)

    def _refresh_scope(self) -> None:
        """Hosts came, went or moved between groups: a selected group lists what it holds now."""
        node = self.nav.current_node()
        if node is not None and node[0] == "group":
            self.set_scope(self.sessions_in_group(node[1]))
        elif any(s not in self.sessions for s in self.scope):
            self.set_scope([s for s in self.scope if s in self.sessions] or [self.session])

    # --- rows and selection ---------------------------------------------------------------------------------------
    def _row_owner(self, index: QModelIndex) -> tuple[object, str]:
        """(session, VM id) of a row of the list (an index of ``self.proxy``)."""
        source = self.proxy.mapToSource(index)
        if source.model() is self.vm_union:
            source = self.vm_union.mapToSource(source)
        return self.session_of_model(source.model()), source.data(ID_ROLE)

    def session_of_model(self, model):
        return next((s for s in self.sessions if s.vm_model is model or s.jobs_model is model), None)

    def view_index(self, session, vm_id: str, column: int = 0) -> QModelIndex:
        """Where a host's VM is in the list (invalid if the list does not show it)."""
        source = session.vm_model.index_of(vm_id, column)
        if not source.isValid():
            return QModelIndex()
        if self.proxy.sourceModel() is self.vm_union:
            source = self.vm_union.mapFromSource(source)
        elif self.proxy.sourceModel() is not session.vm_model:
            return QModelIndex()
        return self.proxy.mapFromSource(source)

    def selected_items(self) -> list[tuple[object, dict]]:
        """The selected VMs with their hosts, in list order."""
        out = []
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row()):
            s, vm_id = self._row_owner(index)
            vm = s.vm_model.vm(vm_id) if s is not None else None
            if vm is not None:
                out.append((s, vm))
        return out

    def selected_ids(self) -> list[str]:
        return [vm["id"] for _s, vm in self.selected_items()]

    def selected_vms(self) -> list[dict]:
        return [vm for _s, vm in self.selected_items()]

    def selected_hosts(self) -> list:
        """The hosts of the selected VMs, each once."""
        return list(dict.fromkeys(s for s, _vm in self.selected_items()))

    def select_vms(self, names_or_ids: list[str], session=None) -> None:
        """Select these VMs in the list (by name or id; of one host, or of every host the list shows)."""
        wanted = set(names_or_ids)
        selection = QItemSelection()
        for s in [session] if session is not None else self.scope:
            for vm in s.vm_model.vms():
                if vm["id"] in wanted or vm["name"] in wanted:
                    index = self.view_index(s, vm["id"])
                    if index.isValid():
                        selection.select(index, index.siblingAtColumn(self.proxy.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        if not selection.isEmpty():
            self.table.selectionModel().setCurrentIndex(selection.indexes()[0],
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self._update_ui()

    def owner_of(self, vm: dict):
        """The host a VM dict belongs to: the one whose list has its id (the list's hosts first)."""
        for s in [*self.scope, *(s for s in self.sessions if s not in self.scope)]:
            if s.vm_model.vm(vm.get("id", "")) is not None:
                return s
        return self.active
