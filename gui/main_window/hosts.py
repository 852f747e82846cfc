"""The hosts of the main window and the host groups they sit in: the local (or embedded) host, the saved libvirt
connections (each its own Session, connecting in the background), which host the list shows, and the navigation
tree of groups, hosts and VMs (groups kept client-side in ``gui.groups``)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core import api
from gui import format as fmt
from gui import libvirt_hosts
from gui import operations as ops
from gui.dialogs import messages
from gui.dialogs.add_connection import AddConnectionDialog
from gui.groups import ROOT, GroupError, HostGroups
from gui.i18n import QT_TRANSLATE_NOOP
from gui.main_window.layout import PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST
from gui.session import Session

# a libvirt connection's link state: as a word, and as the tree shows it under the host's name
LINK_STATE = {"connecting": QT_TRANSLATE_NOOP("HostsMixin", "connecting"),
              "connected": QT_TRANSLATE_NOOP("HostsMixin", "connected"),
              "disconnected": QT_TRANSLATE_NOOP("HostsMixin", "disconnected")}
LINK_TEXT = {**LINK_STATE, "connecting": QT_TRANSLATE_NOOP("HostsMixin", "connecting...")}


class HostsMixin:
    """Part of MainWindow: its sessions (hosts), the saved libvirt connections and the host groups."""

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
        s.job_done.connect(lambda job, s=s: self._job_done(s, job))
        s.vms_changed.connect(self._select_new_vm)

    def _connected(self) -> None:
        self.status_host.setText(self.session.conn.description if self.session.conn else "")
        self.statusBar().showMessage(self.tr("Connected"), 3000)

    def _connection_failed(self, message: str) -> None:
        self.connecting.set(self.tr("Cannot connect to the host service"), message, self.tr("Try Again"))
        if self.scope == [self.session]:
            self.list_stack.setCurrentIndex(PAGE_CONNECTING)
        self._update_ui()

    def _retry(self) -> None:
        s = self.scope[0] if len(self.scope) == 1 else self.active
        if s is not self.session:
            self.reconnect(s.host_key)
            return
        self.connecting.set(self.tr("Connecting to the host service..."), "", "")
        self.session.start()

    def _link_changed(self, s: Session) -> None:
        self._hosts_changed()
        if s in self.scope:
            self._show_list_page()

    def session_for(self, host_key: str | None) -> Session | None:
        return next((s for s in self.sessions if s.host_key == host_key), None) if host_key else None

    def _host_entry(self, s: Session) -> tuple:
        """What the tree shows for a host: (label, tooltip[, link state])."""
        if s.is_libvirt:
            uri = s.host_key.removeprefix("libvirt:")
            link = s.link
            state = link.get("state", "connecting")
            reason = link.get("reason") or ""
            text = self.tr(LINK_TEXT[state]) if state in LINK_TEXT else state
            if state == "disconnected" and reason:
                short = reason if len(reason) <= 48 else reason[:47] + "\u2026"
                text = f"{text}: {short}"
            caps = s.host.get("capabilities") or {}
            word = self.tr(LINK_STATE[state]) if state in LINK_STATE else state
            tip = self.tr("libvirt connection {uri}: {state}").format(uri=uri, state=word)
            if reason:
                tip += f" ({reason})"
            if state == "connected" and caps.get("logical_processors"):
                tip += self.tr("; {hypervisor} host, {cpus} CPUs, {memory}").format(
                    hypervisor=caps.get("hypervisor", ""), cpus=caps.get("logical_processors"),
                    memory=fmt.size(caps.get("memory_bytes")))
            if state == "disconnected":
                tip += self.tr("; reconnecting on its own")
            return (f"{s.host_label}\n{text}", tip, state)
        info = s.host
        caps = info.get("capabilities") or {}
        backend = "KVM" if info.get("backend") == "kvm" else (info.get("backend") or "?").capitalize()
        cpus, memory = caps.get("logical_processors", "?"), fmt.size(caps.get("memory_bytes"))
        tip = self.tr("Parent partition of {host}: {cpus} logical processors, {memory} memory, {backend}").format(
            host=s.host_label, cpus=cpus, memory=memory, backend=info.get("backend_description", backend))
        label = self.tr("{host}\n{cpus} CPUs, {memory}, {backend}").format(host=s.host_label, cpus=cpus,
                                                                           memory=memory, backend=backend)
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

    def _show_list_page(self) -> None:
        if self.spans_hosts:
            rows = self.proxy.sourceModel().rowCount() if self.proxy.sourceModel() is not None else 0
            loaded = any(h.loaded for h in self.scope) or not self.scope
            page = PAGE_LIST if rows else PAGE_EMPTY if loaded else PAGE_CONNECTING
            if page == PAGE_CONNECTING:
                self.connecting.set(self.tr("Connecting to the hosts..."), "", "")
        else:
            s = self.scope[0]
            if s.loaded:
                page = PAGE_LIST if s.vm_model.rowCount() else PAGE_EMPTY
            else:
                page = PAGE_CONNECTING
                if s is not self.session:
                    link = s.link
                    if link.get("state") == "disconnected" or s.last_error:
                        self.connecting.set(self.tr("Cannot connect to {host}").format(host=s.host_label),
                                            link.get("reason") or s.last_error, self.tr("Try Again"))
                    else:
                        self.connecting.set(self.tr("Connecting to {host}...").format(host=s.host_label),
                                            self.tr("libvirt connections are made in the background."), "")
        if self.list_stack.currentIndex() != page:
            self.list_stack.setCurrentIndex(page)

    def add_host(self, s: Session) -> Session:
        """Another host beside the local one (e.g. a second host service); it shows in the tree once it answers."""
        if s not in self.sessions:
            if s.parent() is None:
                s.setParent(self)  # it lives as long as the window (closed with it)
            self.sessions.append(s)
            self._connect_session(s)
            self.alerts.add_session(s)
            self._hosts_changed()
            if s.conn is None or not s.loaded:
                s.start()
        return s

    # --- libvirt connections -------------------------------------------------------------------------------------
    def _status_report(self, title: str, message: str) -> None:
        self.statusBar().showMessage(self.tr("{title}: {message}").format(title=title, message=message), 15000)

    def _load_connections(self) -> None:
        if not self.want_libvirt:
            return
        ops.connections.saved(self.session.tasks, self.home, owner=self, report=self._status_report).success(
            self._connections_loaded).run()

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
            ops.connections.add(self.session.tasks, uri, name, self.home, owner=self).success(on_done).failure(
                on_error).run()

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
        self.statusBar().showMessage(self.tr("Added {name} ({uri}); connecting in the background").format(
            name=entry["name"], uri=entry["uri"]), 8000)

    def remove_connection(self, key: str, confirm: bool = True) -> None:
        s = self.session_for(key)
        if s is None or not s.is_libvirt:
            return
        uri = key.removeprefix("libvirt:")

        def forget() -> None:
            ops.connections.remove(self.session.tasks, uri, self.home, owner=self, report=self.show_error).success(
                lambda _e: self._drop_libvirt(s)).run()

        if not confirm:
            forget()
            return
        messages.confirm(self, self.tr("Remove connection"),
                         self.tr("Remove the connection to {host}?").format(host=s.host_label),
                         self.tr("The console and the command line forget {uri}. Nothing on that host changes: its "
                                 "virtual machines keep running.").format(uri=uri), self.tr("Remove"), forget)

    def _drop_libvirt(self, s: Session) -> None:
        if self.scope == [s]:
            self.set_active(self.session)
            self.nav.select_node("host", self.session.host_key)
        self.sessions.remove(s)
        if s in self.scope or s is self.active:
            self.set_scope([h for h in self.scope if h is not s], self.session if s is self.active else None)
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
            ops.host.reconnect(s).run()

    # --- host groups ---------------------------------------------------------------------------------------------
    def _load_groups(self) -> None:
        ops.connections.load_groups(self.session.tasks, self.groups_path, owner=self,
                                    report=self._status_report).success(self._groups_loaded).run()

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
        self._refresh_scope()
        self._alerts_changed()

    def _save_groups(self) -> None:
        ops.connections.save_groups(self.session.tasks, self.groups.to_dict(), self.groups_path, owner=self,
                                    report=self.show_error).run()

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
            name, n = self.tr("New Group"), 2
            while name.lower() in existing:
                name, n = self.tr("New Group {number}").format(number=n), n + 1
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
