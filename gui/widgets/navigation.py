"""The navigation tree: All Hosts -> host groups (nested) -> hosts -> VMs, as in SCVMM.

The tree is a view of ``gui.groups.HostGroups``: dropping a host or a group on a group, or picking "Move to group"
from the context menu (the keyboard way), asks the main window to change the groups and the tree is rebuilt.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QMenu, QStyle, QTreeWidget, QTreeWidgetItem

from gui.groups import ROOT, HostGroups, root_name
from gui.models.marks import badged
from gui.vmstates import state_text

KIND_ROLE = Qt.ItemDataRole.UserRole + 20
KEY_ROLE = Qt.ItemDataRole.UserRole + 21
HOST_ROLE = Qt.ItemDataRole.UserRole + 22  # on a VM item: the key of its host
MIME = "application/x-bulkhead-node"


class NavigationTree(QTreeWidget):
    host_moved = Signal(str, str)  # host key, group id
    group_moved = Signal(str, str)  # group id, new parent id
    group_renamed = Signal(str, str)  # group id, new name
    new_group_requested = Signal(str)  # parent group id
    delete_group_requested = Signal(str)
    vm_menu_requested = Signal(object)  # global position
    new_vm_requested = Signal()
    import_vm_requested = Signal()
    add_connection_requested = Signal(str)  # the group to put it in
    remove_host_requested = Signal(str)  # host key (libvirt connections only)
    reconnect_requested = Signal(str)  # host key

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setAccessibleName(self.tr("Navigation: host groups, hosts and virtual machines"))
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.EditKeyPressed | triggers.SelectedClicked)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemChanged.connect(self._item_changed)
        self._groups = HostGroups()
        self._hosts: dict[str, tuple] = {}  # key -> (label, tooltip[, status: connecting|connected|disconnected])
        self._vm_items: dict[str, dict[str, QTreeWidgetItem]] = {}  # host key -> VM id -> item
        self._vm_shown: dict[str, dict[str, tuple[str, str]]] = {}  # what each VM item shows: (name, state)
        self._host_items: dict[str, QTreeWidgetItem] = {}
        self._group_items: dict[str, QTreeWidgetItem] = {}
        self._rebuilding = False
        self._vms: dict[str, list[dict]] = {}  # host key -> its VMs
        # host key -> (worst severity of its active alerts or None, their messages, {VM id: severity})
        self._marks: dict[str, tuple[str | None, str, dict[str, str]]] = {}
        self._badged: dict[tuple[int, str], object] = {}
        style = self.style()
        self._icon_group = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._icon_host = style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        self._icon_vm = style.standardIcon(QStyle.StandardPixmap.SP_DesktopIcon)
        self._icon_status = {"connecting": style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
                             "disconnected": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)}
        self.rebuild(self._groups, {})

    # --- building ------------------------------------------------------------------------------------------------
    def rebuild(self, groups: HostGroups, hosts: dict[str, tuple]) -> None:
        """Rebuild groups and hosts (VM children are kept in step by ``set_vms``)."""
        selected = self.current_node()
        expanded = {self._node(it) for it in self._all_items() if it.isExpanded()}
        self._groups, self._hosts = groups, hosts
        self._rebuilding = True
        try:
            self.clear()
            self._vm_items.clear()
            self._vm_shown.clear()
            self._host_items.clear()
            self._group_items.clear()
            root = self._group_item(None, ROOT, root_name())
            self.addTopLevelItem(root)
            self._add_children(root, ROOT)
            root.setExpanded(True)
            for item in self._all_items():
                if self._node(item) in expanded or item.data(0, KIND_ROLE) == "host":
                    item.setExpanded(True)
        finally:
            self._rebuilding = False
        for host, vms in list(self._vms.items()):
            self.set_vms(host, vms)
        if selected is not None:
            # the same node as before: nothing changed for listeners, so no currentItemChanged
            self.blockSignals(True)
            self.select_node(*selected)
            self.blockSignals(False)
        for item in self._group_items.values():
            if item.data(0, KEY_ROLE) == ROOT or item.childCount() == 0:
                continue
            parent = item.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()

    def _add_children(self, parent_item: QTreeWidgetItem, group: str) -> None:
        for child in self._groups.children(group):
            item = self._group_item(parent_item, child.id, child.name)
            self._add_children(item, child.id)
        for key in sorted(self._hosts):
            if self._groups.group_of(key) == group:
                item = QTreeWidgetItem(parent_item, [self._hosts[key][0]])
                item.setData(0, KIND_ROLE, "host")
                item.setData(0, KEY_ROLE, key)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                self._host_items[key] = item
                self._show_host(key)

    def _show_host(self, key: str) -> None:
        """A host item's icon and tooltip: its link state, and the alert mark while an alert of it is active."""
        item = self._host_items.get(key)
        if item is None or key not in self._hosts:
            return
        _label, tip, *rest = self._hosts[key]
        status = rest[0] if rest else "connected"
        icon = self._icon_status.get(status, self._icon_host)
        severity, messages, _vms = self._marks.get(key, (None, "", {}))
        if severity:
            icon = self._mark(icon, severity)
            tip = self.tr("{details}\nActive alerts: {messages}").format(details=tip, messages=messages)
        item.setIcon(0, icon)
        item.setToolTip(0, tip)
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("host, {details}").format(details=tip))

    def _mark(self, icon, severity: str):
        key = (icon.cacheKey(), severity)
        if key not in self._badged:
            self._badged[key] = badged(icon, severity)
        return self._badged[key]

    def set_alerts(self, host: str, severity: str | None, messages: str, vms: dict[str, str]) -> None:
        """The host's active alerts: the worst severity of all of them (None: no alert), their messages, and the
        worst severity of each VM that has one. The host's item and those VMs' items get the alert mark."""
        mark = (severity, messages, dict(vms))
        old = self._marks.get(host, (None, "", {}))
        if mark == old:
            return
        if severity is None and not vms:
            self._marks.pop(host, None)
        else:
            self._marks[host] = mark
        self._show_host(host)
        for vm_id in set(vms) | set(old[2]):
            item = self._vm_items.get(host, {}).get(vm_id)
            if item is not None:
                self._show_vm_icon(host, item, vm_id)

    def alert_of(self, host: str) -> str | None:
        """The worst severity of the host's active alerts (None: none)."""
        return self._marks.get(host, (None, "", {}))[0]

    def _show_vm_icon(self, host: str, item: QTreeWidgetItem, vm_id: str) -> None:
        severity = self._marks.get(host, (None, "", {}))[2].get(vm_id)
        item.setIcon(0, self._mark(self._icon_vm, severity) if severity else self._icon_vm)

    def _group_item(self, parent: QTreeWidgetItem | None, gid: str, name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([name]) if parent is None else QTreeWidgetItem(parent, [name])
        item.setIcon(0, self._icon_group)
        item.setData(0, KIND_ROLE, "group")
        item.setData(0, KEY_ROLE, gid)
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("host group"))
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if gid != ROOT:
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
            item.setToolTip(0, " > ".join(self._groups.path(gid)))
        else:
            item.setToolTip(0, self.tr("Every host this console knows"))
        item.setFlags(flags)
        self._group_items[gid] = item
        return item

    def forget_host(self, host: str) -> None:
        self._marks.pop(host, None)
        self._vms.pop(host, None)
        self._vm_items.pop(host, None)
        self._vm_shown.pop(host, None)

    def set_vms(self, host: str, vms: list[dict]) -> None:
        """Keep the host's VM children in step with its VM list; only VMs whose name or state changed are touched."""
        self._vms[host] = vms
        host_item = self._host_items.get(host)
        if host_item is None:
            return
        items = self._vm_items.setdefault(host, {})
        shown_now = self._vm_shown.setdefault(host, {})
        wanted = {vm["id"]: vm for vm in vms}
        for vm_id in [i for i in items if i not in wanted]:
            host_item.removeChild(items.pop(vm_id))
            shown_now.pop(vm_id, None)
        resort = False
        for vm in vms:
            shown = (vm["name"], vm["state"])
            if shown_now.get(vm["id"]) == shown:
                continue
            item = items.get(vm["id"])
            if item is None:
                item = QTreeWidgetItem(host_item, [vm["name"]])
                self._show_vm_icon(host, item, vm["id"])
                item.setData(0, KIND_ROLE, "vm")
                item.setData(0, KEY_ROLE, vm["id"])
                item.setData(0, HOST_ROLE, host)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                items[vm["id"]] = item
                resort = True
            elif item.text(0) != vm["name"]:
                item.setText(0, vm["name"])
                resort = True
            state = state_text(vm["state"])
            item.setToolTip(0, f"{vm['name']}: {state}")
            item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("virtual machine, {state}").format(
                state=state))
            shown_now[vm["id"]] = shown
        if resort:
            host_item.sortChildren(0, Qt.SortOrder.AscendingOrder)

    def vm_names(self, host: str) -> list[str]:
        """The VM names shown under a host, in tree order."""
        item = self._host_items.get(host)
        return [] if item is None else [item.child(i).text(0) for i in range(item.childCount())]

    # --- reading -------------------------------------------------------------------------------------------------
    def _all_items(self):
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    @staticmethod
    def _node(item: QTreeWidgetItem) -> tuple[str, str]:
        return item.data(0, KIND_ROLE), item.data(0, KEY_ROLE)

    def current_node(self) -> tuple[str, str] | None:
        item = self.currentItem()
        return None if item is None else self._node(item)

    def item_for(self, kind: str, key: str, host: str | None = None) -> QTreeWidgetItem | None:
        if kind == "vm":
            if host is not None:
                return self._vm_items.get(host, {}).get(key)
            return next((items[key] for items in self._vm_items.values() if key in items), None)
        return {"host": self._host_items, "group": self._group_items}[kind].get(key)

    def host_of(self, item: QTreeWidgetItem | None) -> str | None:
        """The host key of a host item or of a VM item's host."""
        if item is None:
            return None
        kind = item.data(0, KIND_ROLE)
        if kind == "host":
            return item.data(0, KEY_ROLE)
        if kind == "vm":
            return item.data(0, HOST_ROLE)
        return None

    def select_node(self, kind: str, key: str, host: str | None = None) -> None:
        item = self.item_for(kind, key, host)
        if item is not None:
            self.setCurrentItem(item)

    def group_ids_in_tree_order(self) -> list[str]:
        return [self._node(it)[1] for it in self._all_items() if self._node(it)[0] == "group"]

    # --- renaming ------------------------------------------------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._rebuilding or item.data(0, KIND_ROLE) != "group":
            return
        gid = item.data(0, KEY_ROLE)
        group = self._groups.groups.get(gid)
        if group is not None and item.text(0) != group.name:
            self.group_renamed.emit(gid, item.text(0))

    def rename_group(self, gid: str) -> None:
        item = self._group_items.get(gid)
        if item is not None and gid != ROOT:
            self.setCurrentItem(item)
            self.editItem(item, 0)

    # --- drag and drop -------------------------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        if items:
            kind, key = self._node(items[0])
            data.setData(MIME, f"{kind}\n{key}".encode())
        return data

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def _drop_target(self, event) -> str | None:
        item = self.itemAt(event.position().toPoint())
        while item is not None and item.data(0, KIND_ROLE) != "group":
            item = item.parent()
        return None if item is None else item.data(0, KEY_ROLE)

    @staticmethod
    def _dragged(event) -> tuple[str, str] | None:
        mime = event.mimeData()
        if not mime.hasFormat(MIME):
            return None
        kind, _, key = bytes(mime.data(MIME)).decode().partition("\n")
        return (kind, key) if kind in ("host", "group") else None

    def dragEnterEvent(self, event) -> None:
        if self._dragged(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        dragged, target = self._dragged(event), self._drop_target(event)
        if dragged and target is not None and not (dragged[0] == "group" and dragged[1] == target):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dragged, target = self._dragged(event), self._drop_target(event)
        # the tree is rebuilt from the groups: never let Qt move the items itself
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if not dragged or target is None:
            return
        kind, key = dragged
        if kind == "host":
            self.host_moved.emit(key, target)
        elif key != target:
            self.group_moved.emit(key, target)

    # --- context menu --------------------------------------------------------------------------------------------
    def _context_menu(self, pos) -> None:
        item = self.itemAt(pos)
        if item is None:
            return
        self.setCurrentItem(item)
        kind, key = self._node(item)
        if kind == "vm":
            self.vm_menu_requested.emit(self.viewport().mapToGlobal(pos))
            return
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        if kind == "group":
            self._item(menu, "nav_new_group", self.tr("New Host Group..."), lambda: self.new_group_requested.emit(key))
            self._item(menu, "nav_add_connection", self.tr("Add Host..."),
                       lambda: self.add_connection_requested.emit(key))
            if key != ROOT:
                self._item(menu, "nav_rename_group", self.tr("Rename"), lambda: self.rename_group(key))
                self._item(menu, "nav_delete_group", self.tr("Delete Host Group"),
                           lambda: self.delete_group_requested.emit(key))
                self._move_menu(menu, "group", key)
        elif kind == "host":
            self._item(menu, "nav_new_vm", self.tr("New Virtual Machine..."), self.new_vm_requested.emit)
            self._item(menu, "nav_import_vm", self.tr("Import Virtual Machine..."), self.import_vm_requested.emit)
            self._move_menu(menu, "host", key)
            if key.startswith(("libvirt:", "remote:")):
                menu.addSeparator()
                self._item(menu, "nav_reconnect", self.tr("Reconnect"), lambda: self.reconnect_requested.emit(key))
                self._item(menu, "nav_remove_connection", self.tr("Remove Connection..."),
                           lambda: self.remove_host_requested.emit(key))
        menu.popup(self.viewport().mapToGlobal(pos))

    @staticmethod
    def _item(menu: QMenu, name: str, text: str, slot) -> QAction:
        action = menu.addAction(text, slot)
        action.setObjectName(name)
        return action

    def _move_menu(self, menu: QMenu, kind: str, key: str) -> None:
        sub = menu.addMenu(self.tr("Move to Host Group"))
        sub.setObjectName("nav_move_menu")
        current = self._groups.group_of(key) if kind == "host" else self._groups.groups[key].parent
        for gid in self.group_ids_in_tree_order():
            path = " > ".join(self._groups.path(gid))
            action = QAction(path, sub)
            action.setEnabled(gid != current and not (kind == "group" and self._inside(gid, key)))
            if kind == "host":
                action.triggered.connect(lambda _=False, g=gid: self.host_moved.emit(key, g))
            else:
                action.triggered.connect(lambda _=False, g=gid: self.group_moved.emit(key, g))
            sub.addAction(action)

    def _inside(self, gid: str, ancestor: str) -> bool:
        while gid != ROOT:
            if gid == ancestor:
                return True
            gid = self._groups.groups[gid].parent
        return False
