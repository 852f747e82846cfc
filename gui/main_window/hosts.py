"""The hosts of the main window and the host groups they sit in: the local (or embedded) host, the saved
connections - remote Bulkhead hosts over SSH or TLS ("remote:URI") and libvirt hosts ("libvirt:URI"), each its own
Session connecting in the background - which host the list shows, and the navigation tree of groups, hosts and VMs
(groups kept client-side in ``gui.groups``).

A remote host's link is shown as its connection says (``conn.status()``, read in a worker each second while the
window has remote hosts, and ``connection.status`` events): "Disconnected: reason", "Reconnecting in N s", and the
link's latency when connected. A remote host that could not be reached at all when the console started is tried
again after 1, 2, 4 ... 30 s (Reconnect tries at once). Nothing here waits on a link."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer

from core import api
from gui import format as fmt
from gui import libvirt_hosts
from gui import operations as ops
from gui.dialogs import messages
from gui.dialogs.add_connection import AddConnectionDialog
from gui.groups import ROOT, GroupError, HostGroups
from gui.i18n import QT_TRANSLATE_NOOP
from gui.main_window.layout import PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST
from gui.operations import HostOp
from gui.session import Session

# a libvirt connection's link state: as a word, and as the tree shows it under the host's name
LINK_STATE = {"connecting": QT_TRANSLATE_NOOP("HostsMixin", "connecting"),
              "connected": QT_TRANSLATE_NOOP("HostsMixin", "connected"),
              "disconnected": QT_TRANSLATE_NOOP("HostsMixin", "disconnected")}
LINK_TEXT = {**LINK_STATE, "connecting": QT_TRANSLATE_NOOP("HostsMixin", "connecting...")}
RETRY_FIRST_S, RETRY_MAX_S = 1.0, 30.0  # a remote host never reached: tried again after 1, 2, 4 ... 30 s
STATUS_MS = 1000


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _link_of(conn) -> dict:
    """Worker: the connection's status with the link's latency (its own probe's, else one hello's round trip: a
    busy link is never idle long enough to be probed)."""
    status = conn.status()
    if status.get("state") == "connected" and status.get("latency_ms") is None:
        started = time.monotonic()
        try:
            conn.call("host.hello")
        except api.BulkheadError:
            return conn.status()
        status["latency_ms"] = round((time.monotonic() - started) * 1000, 2)
    return status


def _uptime(seconds: float) -> str:
    seconds = int(max(0, seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return f"{days} d {hours} h" if days else f"{hours} h {minutes} min" if hours else f"{minutes} min"


class HostsMixin:
    """Part of MainWindow: its sessions (hosts), the saved libvirt connections and the host groups."""

    # --- sessions (hosts) ----------------------------------------------------------------------------------------
    def _connect_session(self, s: Session) -> None:
        if s is self.session:
            s.connected.connect(self._connected)
            s.connection_failed.connect(self._connection_failed)
        else:
            s.connection_failed.connect(lambda _msg, s=s: self._other_failed(s))
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
        if s.host_key.startswith("remote:"):
            return self._remote_entry(s)
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
        described = fmt.backend(info.get("backend_description")) or backend
        tip = self.tr("Parent partition of {host}: {cpus} logical processors, {memory} memory, {backend}").format(
            host=s.host_label, cpus=cpus, memory=memory, backend=described)
        label = self.tr("{host}\n{cpus} CPUs, {memory}, {backend}").format(host=s.host_label, cpus=cpus,
                                                                           memory=memory, backend=backend)
        return (label, tip)

    def _hosts_changed(self) -> None:
        hosts = {s.host_key: self._host_entry(s) for s in self.sessions if s.host_key}
        old = self._hosts
        if hosts.keys() == old.keys() and all(h[2:] == old[k][2:] for k, h in hosts.items()):
            for key, entry in hosts.items():  # only words changed (a countdown, a latency): the items in place
                if entry != old[key]:
                    old[key] = entry  # the tree reads the same dict (tooltips with alert marks)
                    item = self.nav.item_for("host", key)
                    if item is not None:
                        item.setText(0, entry[0])
                        if not self.nav.alert_of(key):
                            item.setToolTip(0, entry[1])
        elif hosts != old:  # hosts are polled every few seconds: rebuild the tree only when it changed
            self._hosts = hosts
            self._rebuild_tree()
        info = self.session.host
        if info:
            self.status_host.setText(f"{self.session.host_label}: {fmt.backend(info.get('backend_description'))}")
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
                                            self.tr("Connections to other hosts are made in the background."),
                                            "")
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
            key = libvirt_hosts.host_key(entry["uri"])
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
            self.open_saved(entry)
        if changed:
            self._save_groups()
            self._rebuild_tree()

    @property
    def remote(self) -> dict[str, Session]:
        """URI -> session of the saved remote Bulkhead hosts (libvirt hosts are in ``self.libvirt``)."""
        return self.__dict__.setdefault("_remote_sessions", {})

    def open_saved(self, entry: dict) -> Session:
        """A session for a saved connection of any kind; it connects in the background."""
        if libvirt_hosts.is_remote(entry["uri"]):
            return self.open_remote(entry)
        return self.open_libvirt(entry)

    def _open_session(self, entry: dict, sessions: dict[str, Session]) -> Session:
        uri = entry["uri"]
        if uri in sessions:
            return sessions[uri]
        home = self.home
        s = Session(lambda: api.connect(home, uri=uri), self, key=libvirt_hosts.host_key(uri),
                    label=entry.get("name") or libvirt_hosts.default_name(uri))
        sessions[uri] = s
        self.sessions.append(s)
        self._connect_session(s)
        self.alerts.add_session(s)
        self._hosts_changed()
        s.start()
        return s

    def open_libvirt(self, entry: dict) -> Session:
        """A session for a saved libvirt connection; it connects in the background."""
        return self._open_session(entry, self.libvirt)

    def open_remote(self, entry: dict) -> Session:
        """A session for a saved remote Bulkhead host (bulkhead+ssh://, bulkhead+tls://); it connects in a worker
        within the URI's timeout, and its link is watched each second."""
        s = self._open_session(entry, self.remote)
        self._status_timer().start()
        return s

    def add_connection(self, group: str = ROOT) -> AddConnectionDialog:
        groups = [(gid, " > ".join(self.groups.path(gid))) for gid in self.nav.group_ids_in_tree_order()]
        tasks = self.session.tasks

        def save(uri, name, on_done, on_error):
            ops.connections.add(tasks, uri, name, self.home, owner=self).success(on_done).failure(
                on_error).run()

        def test(uri, on_done, on_error):
            tasks.run(libvirt_hosts.test, uri, on_done=on_done, on_error=on_error, owner=dialog)

        def identity(uri, on_done):
            tasks.run(libvirt_hosts.tls_identity, uri, on_done=on_done, on_error=lambda _e: None, owner=dialog)

        dialog = AddConnectionDialog(groups, group, save, self, test=test, identity=identity)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._connection_added)
        dialog.open()
        return dialog

    def _connection_added(self, entry: dict, group: str) -> None:
        key = libvirt_hosts.host_key(entry["uri"])
        if group:
            self._change_groups(self.groups.assign, key, group)
        s = self.open_saved(entry)
        self.nav.select_node("host", key)
        self.set_active(s)
        self.statusBar().showMessage(self.tr("Added {name} ({uri}); connecting in the background").format(
            name=entry["name"], uri=entry["uri"]), 8000)

    def remove_connection(self, key: str, confirm: bool = True) -> None:
        s = self.session_for(key)
        if s is None or not (s.is_libvirt or key.startswith("remote:")):
            return
        uri = key.split(":", 1)[1]

        def forget() -> None:
            ops.connections.remove(self.session.tasks, uri, self.home, owner=self, report=self.show_error).success(
                lambda _e: self._drop_saved(s)).run()

        if not confirm:
            forget()
            return
        messages.confirm(self, self.tr("Remove connection"),
                         self.tr("Remove the connection to {host}?").format(host=s.host_label),
                         self.tr("The console and the command line forget {uri}. Nothing on that host changes: its "
                                 "virtual machines keep running.").format(uri=uri), self.tr("Remove"), forget)

    def _drop_saved(self, s: Session) -> None:
        if self.scope == [s]:
            self.set_active(self.session)
            self.nav.select_node("host", self.session.host_key)
        self.sessions.remove(s)
        if s in self.scope or s is self.active:
            self.set_scope([h for h in self.scope if h is not s], self.session if s is self.active else None)
        uri = s.host_key.split(":", 1)[1]
        self.libvirt.pop(uri, None)
        self.remote.pop(uri, None)
        self._link_status().pop(s.host_key, None)
        self.alerts.remove_session(s)
        self.nav.forget_host(s.host_key)
        self.groups.hosts.pop(s.host_key, None)
        self._save_groups()
        s.closed_async.connect(s.deleteLater)
        s.close_async()
        self._hosts_changed()

    _drop_libvirt = _drop_saved

    def reconnect(self, key: str) -> None:
        s = self.session_for(key)
        if s is None:
            return
        if s.conn is None:
            link = self._link_status().get(key)
            if link:
                link["retry_at"] = float("inf")
            s.start()
        else:
            ops.host.reconnect(s).run()

    # --- remote hosts' links ---------------------------------------------------------------------------------------
    def _link_status(self) -> dict[str, dict]:
        """host key -> what the tree knows of a remote host's link: its last conn.status() ("retry_at" in monotonic
        seconds while disconnected), or the console's own retry of a host never reached."""
        return self.__dict__.setdefault("_remote_links", {})

    def _status_timer(self) -> QTimer:
        timer = self.__dict__.get("_remote_timer")
        if timer is None:
            timer = self.__dict__["_remote_timer"] = QTimer(self, interval=STATUS_MS, timeout=self._watch_remote)
        return timer

    def _other_failed(self, s: Session) -> None:
        """A host other than the local one could not be reached: a remote one is tried again later."""
        if s.host_key.startswith("remote:") and not s.closed and s.conn is None:
            link = self._link_status().get(s.host_key) or {}
            delay = min(RETRY_MAX_S, link.get("delay", RETRY_FIRST_S / 2) * 2)
            self._link_status()[s.host_key] = {"state": "disconnected", "reason": s.last_error, "delay": delay,
                                               "retry_at": time.monotonic() + delay, "own": True}
        self._hosts_changed()

    def _watch_remote(self) -> None:
        """Each second: read the link of every connected remote host (in its worker) and start the console's own
        retries that are due; the tree follows (countdowns included)."""
        now = time.monotonic()
        links = self._link_status()
        for s in list(self.remote.values()):
            if s.closed:
                continue
            if s.conn is None:
                link = links.get(s.host_key) or {}
                if link.get("own") and now >= link.get("retry_at", now) and s.link.get("state") != "connecting":
                    link["retry_at"] = float("inf")  # until this attempt ends
                    s.start()
                continue
            HostOp(s, _link_of, key="link-status", owner=self).success(
                lambda status, s=s: self._remote_status(s, status)).failure(lambda _e: None).run()
        self._hosts_changed()
        if not self.remote:
            self._status_timer().stop()

    def _remote_status(self, s: Session, status: dict) -> None:
        if not isinstance(status, dict):
            return
        status = dict(status)
        if status.get("state") == "disconnected" and status.get("retry_in") is not None:
            status["retry_at"] = time.monotonic() + float(status["retry_in"])
        self._link_status()[s.host_key] = status
        self._hosts_changed()

    def link_text(self, s: Session) -> tuple[str, str]:
        """(state, the words under a remote host's name): "Connected, 0.8 ms", "Disconnected: reason" (and a line
        "Reconnecting in 4 s" while a retry waits), "Connecting..."."""
        own = self._link_status().get(s.host_key) or {}
        if own.get("own") and s.conn is not None:
            own = {}  # the console's retry of a host never reached is over: the connection speaks now
        state = s.link.get("state") or "connecting"
        if s.conn is None and own.get("own") and state != "connecting":
            state = "disconnected"
        elif s.conn is not None and own.get("state") in ("connected", "disconnected"):
            state = own["state"]  # the connection's own word is newer than the session's last host read
        reason = (own.get("reason") if s.conn is None or own.get("state") == state else "") or s.link.get(
            "reason") or s.last_error or ""
        if state == "connecting":
            return state, self.tr("Connecting...")
        if state == "connected":
            ms = own.get("latency_ms")
            return state, self.tr("Connected, {ms} ms").format(ms=f"{ms:.1f}") if ms is not None else \
                self.tr("Connected")
        lost = self.tr("Disconnected: {reason}").format(reason=_short(reason)) if reason else \
            self.tr("Disconnected")
        wait = own.get("retry_at", 0) - time.monotonic()
        if 0.5 <= wait < float("inf"):
            return state, lost + "\n" + self.tr("Reconnecting in {seconds} s").format(seconds=int(wait + 0.5))
        if wait == float("inf") or (wait < 0.5 and own.get("retry_at")):
            return "connecting", lost + "\n" + self.tr("Reconnecting...")
        return state, lost

    def _remote_entry(self, s: Session) -> tuple:
        state, text = self.link_text(s)
        own = self._link_status().get(s.host_key) or {}
        if own.get("own") and s.conn is not None:
            own = {}
        uri = s.host_key.removeprefix("remote:")
        info = s.host if s.conn is not None else {}
        caps = info.get("capabilities") or {}
        reason = own.get("reason") or s.link.get("reason") or s.last_error or ""
        tip = self.tr("Bulkhead host {uri}: {state}").format(uri=uri, state=text)
        if state != "connected" and reason:
            tip += "\n" + reason
        facts = []
        if info:
            backend = "KVM" if info.get("backend") == "kvm" else (info.get("backend") or "?").capitalize()
            cpus, memory = caps.get("logical_processors", "?"), fmt.size(caps.get("memory_bytes"))
            facts.append(self.tr("{cpus} CPUs, {memory}, {backend}").format(cpus=cpus, memory=memory,
                                                                            backend=backend))
            tip += "\n" + self.tr("{backend}; version {version}").format(
                backend=fmt.backend(info.get("backend_description")) or backend, version=info.get("version", "?"))
            if info.get("started"):
                tip += self.tr("; up {uptime}").format(uptime=_uptime(time.time() - float(info["started"])))
            if caps.get("cpu_model"):
                tip += "\n" + self.tr("{cpus} logical processors ({model}), {memory} memory").format(
                    cpus=cpus, model=caps["cpu_model"], memory=memory)
        if own.get("latency_ms") is not None:
            tip += "\n" + self.tr("Link latency {ms} ms, connected in {connect} ms").format(
                ms=f"{own['latency_ms']:.1f}", connect=f"{own.get('connect_ms', 0):.0f}")
        if state == "disconnected":
            tip += "\n" + self.tr("Reconnecting on its own (Reconnect tries now)")
        lines = [s.host_label, text] if state != "connected" or not facts else [s.host_label, facts[0], text]
        return ("\n".join(lines), tip, state)

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
