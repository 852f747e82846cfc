"""Drag a VM onto another host in the navigation tree to move it there (SCVMM does this): the wizard opens with that
host chosen. A VM is dragged from the VM list or from its item in the tree; dropping it on a host (or on one of that
host's VMs) other than its own opens the wizard. Host and group drags of the tree itself are left alone.

Installed on the views' viewports as event filters, so the list and the tree keep their own mouse handling."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication

MIME = "application/x-bulkhead-vm"


def mime_for(host_key: str, vm_id: str) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, json.dumps({"host": host_key, "vm": vm_id}).encode())
    data.setText(vm_id)
    return data


def payload(mime: QMimeData) -> dict | None:
    if not mime.hasFormat(MIME):
        return None
    try:
        value = json.loads(bytes(mime.data(MIME)).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("host"), str) \
        and isinstance(value.get("vm"), str) else None


class VmDrops(QObject):
    """The drag source (the VM list, the tree's VM items) and the drop target (the tree's hosts)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._pressed: tuple | None = None  # (viewport, position, (host key, VM id))
        self.opened = None  # the wizard the last drop opened
        self.table_port, self.nav_port = window.table.viewport(), window.nav.viewport()
        for port in (self.table_port, self.nav_port):
            port.installEventFilter(self)
        self.nav_port.setAcceptDrops(True)

    # --- what is under the mouse -----------------------------------------------------------------------------------
    def _vm_at(self, viewport, pos) -> tuple[str, str] | None:
        w = self.window
        if viewport is self.table_port:
            index = w.table.indexAt(pos)
            if not index.isValid() or not w.table.selectionModel().isRowSelected(index.row(), index.parent()):
                return None
            items = w.selected_items()
            if len(items) != 1:
                return None
            s, vm = items[0]
            return (s.host_key, vm["id"]) if s.host_key else None
        item = w.nav.itemAt(pos)
        if item is None or w.nav._node(item)[0] != "vm":
            return None
        return w.nav.host_of(item), w.nav._node(item)[1]

    def host_at(self, pos) -> str | None:
        """The key of the host whose item (or VM item) is at ``pos`` of the tree's viewport."""
        nav = self.window.nav
        item = nav.itemAt(pos)
        return nav.host_of(item) if item is not None else None

    def target(self, data: dict | None, pos) -> str | None:
        """The host a drop at ``pos`` moves the VM to (None: not a place to drop it)."""
        if data is None:
            return None
        host = self.host_at(pos)
        if host is None or host == data["host"] or self.window.session_for(host) is None:
            return None
        return host

    # --- the events ------------------------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if obj is not self.table_port and obj is not self.nav_port:
            return False
        nav_port = self.nav_port
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            found = self._vm_at(obj, pos)
            self._pressed = (obj, pos, found) if found else None
        elif kind == QEvent.Type.MouseButtonRelease:
            self._pressed = None
        elif kind == QEvent.Type.MouseMove and self._pressed and event.buttons() & Qt.MouseButton.LeftButton:
            viewport, start, found = self._pressed
            if viewport is obj and (event.position().toPoint() - start).manhattanLength() >= \
                    QApplication.startDragDistance():
                self._pressed = None
                self.start_drag(obj, *found)
                return True
        elif obj is nav_port and kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            data = payload(event.mimeData())
            if data is None:
                return False  # a host or a group of the tree: its own drag
            if kind == QEvent.Type.DragEnter or self.target(data, event.position().toPoint()):
                event.setDropAction(Qt.DropAction.MoveAction)
                event.accept()
            else:
                event.ignore()
            return True
        elif obj is nav_port and kind == QEvent.Type.Drop:
            data = payload(event.mimeData())
            if data is None:
                return False
            event.setDropAction(Qt.DropAction.IgnoreAction)  # nothing of the tree moves: the wizard does the move
            event.accept()
            host = self.target(data, event.position().toPoint())
            if host is not None:
                self.dropped(data, host)
            return True
        return False

    def start_drag(self, source, host_key: str, vm_id: str) -> None:
        drag = QDrag(source)
        drag.setMimeData(mime_for(host_key, vm_id))
        drag.exec(Qt.DropAction.MoveAction)

    def dropped(self, data: dict, host: str):
        """Open the wizard for the dropped VM with ``host`` chosen."""
        w = self.window
        source, destination = w.session_for(data["host"]), w.session_for(host)
        vm = source.vm_model.vm(data["vm"]) if source is not None else None
        if vm is None or destination is None:
            return None
        from .console import open_wizard

        self.opened = open_wizard(w, (source, vm), destination=destination)
        return self.opened


def install(window) -> VmDrops:
    return VmDrops(window)
