"""The console's link to one host: the connection, the worker pool, the event bridge and the models over them.

Every controller call goes through ``self.tasks`` (never on the GUI thread). The VM list is refreshed about once a
second (one request in flight at most) and whenever an event says something changed; state changes, job progress
and console output come in as events between refreshes.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core import api
from gui.events import EventBridge
from gui.models.jobs import FINISHED, JobsModel
from gui.models.vm_table import HISTORY as HISTORY_SECONDS
from gui.models.vm_table import VmTableModel
from gui.tasks import Tasks, describe

log = logging.getLogger(__name__)

REFRESH_MS = 1000
HOST_REFRESH_MS = 5000
SOON_MS = 150
ERROR_GATHER_MS = 250

OPERATION_TITLES = {"start": "start", "shut_down": "shut down", "turn_off": "turn off", "save": "save",
                    "pause": "pause", "resume": "resume", "reset": "reset", "remove": "delete"}


def _operation(conn: api.Connection, key: str, vm: str, delete_storage: bool = False) -> api.Job:
    if key == "start":
        return conn.start_vm(vm)
    if key in ("shut_down", "turn_off", "save"):
        return conn.stop_vm(vm, mode=key)
    if key == "pause":
        return conn.pause_vm(vm)
    if key == "resume":
        return conn.resume_vm(vm)
    if key == "reset":
        return conn.restart_vm(vm)
    if key == "remove":
        return conn.remove_vm(vm, delete_storage=delete_storage)
    raise api.UsageError(f"unknown operation '{key}'")


class Session(QObject):
    """One host: the local host service (or an embedded one), or a libvirt connection (``key`` "libvirt:URI")."""

    connected = Signal()
    connection_failed = Signal(str)
    host_changed = Signal(object)  # host_info() dict; object passes it through without converting it
    vms_changed = Signal()  # after a refresh or a batch of VM events
    vms_loaded = Signal()  # the first VM list arrived
    console = Signal(str, str)  # VM id, guest output
    error = Signal(str, str)  # title, message: something the user asked for failed
    status = Signal(str)  # a passing message for the status bar
    metrics = Signal(object)  # one ``metrics`` event (a tick's bulk sample) as the host sent it
    state_changed = Signal(str, str)  # VM id, new state (for markers on the graphs)
    job_done = Signal(object)  # any job that finished (not only this console's)
    alert_event = Signal(str, object)  # "alert.raised" | "alert.cleared" | "alert.acknowledged", the alert
    rules_changed = Signal(object)  # the alert rules after someone changed them
    link_changed = Signal(object)  # {"state": connecting|connected|disconnected, "reason": ...}
    closed_async = Signal()  # close_async finished: the connection is closed

    def __init__(self, connection: api.Connection | Callable[[], api.Connection], parent: QObject | None = None,
                 refresh_ms: int = REFRESH_MS, key: str = "", label: str = "") -> None:
        super().__init__(parent)
        self.fixed_key, self.fixed_label = key, label  # libvirt hosts are known by their URI and saved name
        self._connect = connection if callable(connection) and not isinstance(connection, api.Connection) else None
        self.conn: api.Connection | None = None if self._connect else connection  # type: ignore[assignment]
        self.owns_connection = self._connect is not None
        self.tasks = Tasks(self)
        self.tasks.failed.connect(lambda msg: self.error.emit("Bulkhead", msg))
        self.bridge = EventBridge(self)
        self.bridge.batch.connect(self._on_events)
        self.vm_model = VmTableModel(self)
        self.jobs_model = JobsModel(self.vm_model.name_of, self)
        self.host: dict = {}
        self.host_key = key
        self.host_label = label
        self.capabilities: dict = {"reasons": {}}
        self.link: dict = {"state": "connecting", "reason": ""}
        self.last_sample: dict | None = None
        self.loaded = False
        self.closed = False
        self.refresh_count = 0
        self.last_error = ""
        self._unsubscribe: Callable[[], None] | None = None
        self._my_jobs: set[int] = set()
        self._console_watchers: dict[str, int] = {}  # VM id -> open connection windows (console output goes only there)
        self._errors: list[str] = []
        self._error_title = ""
        self._timer = QTimer(self, interval=refresh_ms, timeout=self.refresh)
        self._host_timer = QTimer(self, interval=HOST_REFRESH_MS, timeout=self.refresh_host)
        self._soon = QTimer(self, interval=SOON_MS, singleShot=True, timeout=self.refresh)
        self._error_timer = QTimer(self, interval=ERROR_GATHER_MS, singleShot=True, timeout=self._flush_errors)

    # --- connecting ----------------------------------------------------------------------------------------------
    @property
    def is_libvirt(self) -> bool:
        return self.host_key.startswith("libvirt:")

    def start(self) -> None:
        if not self.is_libvirt:
            self.status.emit("Connecting to the host service...")
        self._set_link({"state": "connecting", "reason": ""})
        self.tasks.run(self._open, on_done=self._opened, on_error=self._open_failed)

    def _open(self) -> tuple[api.Connection, Callable[[], None]]:
        conn = self.conn if self.conn is not None else self._connect()  # type: ignore[misc]
        try:
            return conn, conn.subscribe(self.bridge.post)
        except BaseException:
            if self._connect is not None:
                conn.close()
            raise

    def _opened(self, value: tuple[api.Connection, Callable[[], None]]) -> None:
        self.conn, self._unsubscribe = value
        if self.closed:
            return
        self.connected.emit()
        self.refresh_host()
        self.refresh()
        self.tasks.run(lambda: [j.to_dict() for j in self.conn.jobs(limit=30)], on_done=self._jobs_loaded,
                       on_error=lambda e: self.status.emit(f"Job history unavailable: {describe(e)}"))
        self._timer.start()
        self._host_timer.start()

    def _open_failed(self, error: BaseException) -> None:
        self.last_error = describe(error)
        self._set_link({"state": "disconnected", "reason": self.last_error})
        self.connection_failed.emit(self.last_error)

    def _set_link(self, link: dict) -> None:
        link = {"state": link.get("state", ""), "reason": link.get("reason") or ""}
        if link == self.link:
            return
        was = self.link.get("state")
        self.link = link
        self.link_changed.emit(link)
        if link["state"] == "connected" and was != "connected" and self.conn is not None and not self.closed:
            self.refresh()
            self.refresh_host()

    def close(self, wait_ms: int = 10_000) -> None:
        """Stop refreshing and unsubscribe; close the connection if this session opened it. Used when the console
        quits (the event loop is no longer serving the user then)."""
        if self.closed:
            return
        self.closed = True
        for t in (self._timer, self._host_timer, self._soon, self._error_timer):
            t.stop()
        if self._unsubscribe is not None:
            unsubscribe, self._unsubscribe = self._unsubscribe, None
            self.tasks.run(unsubscribe)
        self.tasks.wait(wait_ms)
        if self.owns_connection and self.conn is not None:
            self.conn.close()

    def close_async(self) -> None:
        """Stop and close the connection in a worker (removing a host while the console runs: nothing waits on
        the GUI thread). ``closed_async`` follows; keep this object until then."""
        if self.closed:
            return
        self.closed = True
        for t in (self._timer, self._host_timer, self._soon, self._error_timer):
            t.stop()
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        conn = self.conn if self.owns_connection else None

        def work() -> None:
            if unsubscribe is not None:
                unsubscribe()
            if conn is not None:
                conn.close()

        self.tasks.run(work, on_done=lambda _r: self.closed_async.emit(),
                       on_error=lambda _e: self.closed_async.emit())

    # --- reading -------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.conn is None or self.closed:
            return
        self.tasks.run_latest("refresh", self._fetch_vms, on_done=self._apply_vms, on_error=self._refresh_failed)

    def refresh_soon(self) -> None:
        if not self._soon.isActive():
            self._soon.start()

    def _fetch_vms(self) -> tuple[list[dict], int]:
        t0 = time.monotonic_ns()
        vms = [vm.to_dict() for vm in self.conn.vms()]
        return vms, (t0 + time.monotonic_ns()) // 2

    def _apply_vms(self, value: tuple[list[dict], int]) -> None:
        vms, wall_ns = value
        self.vm_model.apply_list(vms, wall_ns)
        self.refresh_count += 1
        if self.last_error:
            self.last_error = ""
            self.status.emit("Connected again")
        if not self.loaded:
            self.loaded = True
            self._seed_sparklines([vm["id"] for vm in vms if vm.get("cpu_percent") is not None
                                   or vm.get("state") in ("Running", "Paused")])
            self.vms_loaded.emit()
        self.vms_changed.emit()

    def _seed_sparklines(self, vm_ids: list[str]) -> None:
        """The CPU column's sparklines start with the host's own last minute (the same samples the Performance view
        shows), then follow the ``metrics`` events."""
        if not vm_ids:
            return
        conn = self.conn

        def fetch() -> dict[str, tuple[list, list]]:
            out = {}
            for vm_id in vm_ids:
                try:
                    h = conn.metrics_history(vm_id, HISTORY_SECONDS, ["cpu_percent"])
                except api.BulkheadError:
                    continue
                out[vm_id] = (h.get("t") or [], (h.get("series") or {}).get("cpu_percent") or [])
            return out

        self.tasks.run(fetch, owner=self, on_done=self.vm_model.seed_history,
                       on_error=lambda e: log.info("no CPU history for the sparklines: %s", describe(e)))

    def _refresh_failed(self, error: BaseException) -> None:
        message = describe(error)
        if message != self.last_error:
            self.last_error = message
            self.status.emit(f"Cannot refresh the VM list: {message}")

    def refresh_host(self) -> None:
        if self.conn is None or self.closed:
            return
        conn = self.conn
        self.tasks.run_latest("host", lambda: (conn.host_info(), conn.capabilities(), conn.status()),
                              on_done=self._apply_host,
                              on_error=lambda e: self.status.emit(f"Host information unavailable: {describe(e)}"))

    def _apply_host(self, value: tuple[dict, dict, dict]) -> None:
        info, caps, link = value
        self.host = info
        self.capabilities = caps if isinstance(caps, dict) else {"reasons": {}}
        if self.fixed_key:
            self.host_key, self.host_label = self.fixed_key, self.fixed_label or info.get("uri", "")
        else:
            self.host_key = f"local:{info.get('store', '')}"
            where = "embedded" if "embedded" in (self.conn.description if self.conn else "") else "local"
            self.host_label = f"{socket.gethostname()} ({where})"
        self._set_link(link)
        self.host_changed.emit(info)

    def can(self, operation: str) -> tuple[bool, str]:
        """Whether this host's connection can do ``operation`` (capabilities()), and why not."""
        caps = self.capabilities
        if self.is_libvirt and self.link.get("state") != "connected":
            reason = self.link.get("reason")
            return False, f"{self.host_label} is {self.link.get('state')}" + (f": {reason}" if reason else "")
        reason = (caps.get("reasons") or {}).get(operation)
        if reason:
            return False, reason
        if operation == "migrate" and not caps.get("migrate"):
            return False, ("live migration moves VMs between libvirt hosts; this host's own engine cannot migrate "
                           "yet")
        return True, ""

    def _jobs_loaded(self, jobs: list[dict]) -> None:
        known = {j["id"] for j in self.jobs_model.jobs()}
        self.jobs_model.reset_jobs([*self.jobs_model.jobs(), *(j for j in jobs if j["id"] not in known)])
        for job in self.jobs_model.active():
            self.vm_model.set_job(job)

    # --- events --------------------------------------------------------------------------------------------------
    def _on_events(self, batch: list[tuple[str, dict]]) -> None:
        vms_touched = False
        jobs: list[dict] = []
        samples: list[dict] = []
        model = self.vm_model
        model.begin_batch()
        try:
            for kind, data in batch:
                if kind == "metrics":
                    samples.append(data)
                elif kind == "vm.console":
                    if data.get("id") in self._console_watchers:
                        self.console.emit(data.get("id", ""), data.get("data", ""))
                elif kind == "vm.state":
                    model.set_state(data.get("id", ""), data.get("state", ""), data.get("reason", ""))
                    self.state_changed.emit(data.get("id", ""), data.get("state", ""))
                    vms_touched = True
                elif kind == "vm.added":
                    model.add(data)
                    vms_touched = True
                elif kind == "vm.removed":
                    model.remove(data.get("id", ""))
                    vms_touched = True
                elif kind == "vm.changed":
                    model.update_vm(data)
                    vms_touched = True
                elif kind.startswith("job."):
                    jobs.append(data)
                    model.set_job(data)
                    vms_touched = True
                elif kind.startswith("alert."):
                    if kind == "alert.rules":
                        self.rules_changed.emit(data.get("rules") or [])
                    else:
                        self.alert_event.emit(kind, data)
                elif kind == "connection.status":
                    self._set_link(data)
        finally:
            model.end_batch()
        for data in samples:  # after the batch: a tick changes two columns, not whole rows
            self.last_sample = data
            model.apply_metrics(data)
            self.metrics.emit(data)
        if jobs:
            self.jobs_model.upsert_many(jobs)
            for job in jobs:
                if job.get("state") in FINISHED:
                    self._job_finished(job)
                    self.job_done.emit(job)
        if vms_touched:
            self.vms_changed.emit()
            self.refresh_soon()

    def _job_finished(self, job: dict) -> None:
        if job.get("id") not in self._my_jobs:
            return
        self._my_jobs.discard(job["id"])
        if job.get("state") == "Failed":
            name = self.jobs_model.target_name(job)
            self._gather_error(f"{job.get('name', 'Job')} failed", f"{name}: {job.get('error') or 'failed'}")

    def watch_console(self, vm_id: str, on: bool = True) -> None:
        """Deliver ``console`` signals for this VM (output of VMs nobody watches is dropped cheaply)."""
        n = self._console_watchers.get(vm_id, 0) + (1 if on else -1)
        if n > 0:
            self._console_watchers[vm_id] = n
        else:
            self._console_watchers.pop(vm_id, None)

    # --- doing ---------------------------------------------------------------------------------------------------
    def operate(self, key: str, vms: list[dict], on_job: Callable[[dict], None] | None = None,
                delete_storage: bool = False) -> None:
        """Run one operation on each VM (by id), each as its own job; failures gather into one message.
        ``delete_storage``: removing also deletes the VMs' virtual hard disks."""
        for vm in vms:
            self.call(_operation, key, vm["id"], delete_storage, on_done=self._job_started if on_job is None else
                      (lambda job, f=on_job: (self._job_started(job), f(job))),
                      on_error=lambda e, vm=vm: self._gather_error(
                          f"Cannot {OPERATION_TITLES.get(key, key)}", f"{vm['name']}: {describe(e)}"))

    def call(self, fn: Callable[..., Any], *args, on_done=None, on_error=None, owner=None, **kwargs):
        """Run ``fn(conn, *args, **kwargs)`` in a worker; Job results come back as dicts."""
        if self.conn is None:
            if on_error is not None:
                on_error(api.BulkheadError("not connected to a host"))
            return None

        def work():
            result = fn(self.conn, *args, **kwargs)
            return result.to_dict() if isinstance(result, api.Job) else result

        return self.tasks.run(work, on_done=on_done, on_error=on_error, owner=owner)

    def track_job(self, job: dict) -> None:
        self._job_started(job)

    def _job_started(self, job: dict) -> None:
        if not isinstance(job, dict) or "id" not in job:
            return
        if job.get("state") not in FINISHED:
            self._my_jobs.add(job["id"])
        self.jobs_model.upsert(job)
        self.vm_model.set_job(job)

    def _gather_error(self, title: str, message: str) -> None:
        if not self._errors:
            self._error_title = title
        elif title != self._error_title:
            self._error_title = "Some operations failed"
        self._errors.append(message)
        self._error_timer.start()

    def _flush_errors(self) -> None:
        errors, self._errors = self._errors, []
        if errors:
            self.error.emit(self._error_title, "\n".join(errors))
