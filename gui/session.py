"""The console's link to one host: the connection, the worker pool, the event bridge and the models over them.

Every controller call goes through ``self.tasks`` (never on the GUI thread); what a user asks for is a named
operation of ``gui.operations``. The VM list is refreshed about once a second (one request in flight at most) and
whenever an event says something changed; state changes, job progress and console output come in as events between
refreshes. What the host can do comes from its ``capabilities()`` and its limits from ``limits()``.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core import api
from core.model.limits import HostLimits
from gui import operations as ops
from gui.events import EventBridge
from gui.models.jobs import FINISHED, JobsModel
from gui.models.vm_table import HISTORY as HISTORY_SECONDS
from gui.models.vm_table import VmTableModel
from gui.tasks import Tasks, describe

log = logging.getLogger(__name__)

REFRESH_MS = 1000
HOST_REFRESH_MS = 5000
SOON_MS = 150
# A long list is fetched less often: events bring its state changes, metrics its CPU figures at once, and the list
# (uptime, heartbeat, health, counters) follows every second up to this many VMs, every N seconds for N times as many
# (at most 5): a thousand VMs' records cost the host and this console about 0.1 s each time (issue 17)
ROWS_PER_SECOND = 250
MAX_SLOWDOWN = 5
ERROR_GATHER_MS = 250
JOB_QUIET_S = 8.0  # a running job silent this long is asked about (its events may have been lost)

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
        self.tasks.failed.connect(lambda msg: self.error.emit(self.tr("Bulkhead"), msg))
        self.bridge = EventBridge(self)
        self.bridge.batch.connect(self._on_events)
        self.vm_model = VmTableModel(self)
        self.vm_model.set_host_label(label)
        self.jobs_model = JobsModel(self.vm_model.name_of, self)
        self.host: dict = {}
        self.host_key = key
        self.host_label = label
        self.capabilities: dict = {"reasons": {}}  # conn.capabilities(): CAPABILITIES keys -> bool, "reasons"
        self.limits: HostLimits | None = None  # conn.limits(), once the host has answered
        self.link: dict = {"state": "connecting", "reason": ""}
        self.last_sample: dict | None = None
        self.loaded = False
        self.closed = False
        self.refresh_count = 0
        self.last_error = ""
        self._unsubscribe: Callable[[], None] | None = None
        self._my_jobs: set[int] = set()
        self._job_heard: dict[int, float] = {}  # running job id -> when its last word came (monotonic)
        self._details_for: list[str] = []  # VMs whose details are shown: fetched in full with a brief list
        self._console_watchers: dict[str, int] = {}  # VM id -> open connection windows (console output goes only there)
        self._errors: list[str] = []
        self._error_title = ""
        self._refresh_ms = refresh_ms
        self._timer = QTimer(self, interval=refresh_ms, timeout=self.refresh)
        self._host_timer = QTimer(self, interval=HOST_REFRESH_MS, timeout=self.refresh_host)
        self._soon = QTimer(self, interval=SOON_MS, singleShot=True, timeout=self.refresh)
        self._error_timer = QTimer(self, interval=ERROR_GATHER_MS, singleShot=True, timeout=self._flush_errors)

    # --- connecting ----------------------------------------------------------------------------------------------
    @property
    def is_libvirt(self) -> bool:
        return self.host_key.startswith("libvirt:")

    @property
    def is_remote(self) -> bool:
        """A host reached over a link (libvirt or a remote Bulkhead host): it may be connecting or away."""
        return self.host_key.startswith(("libvirt:", "remote:"))

    def start(self) -> None:
        if not self.is_remote:
            self.status.emit(self.tr("Connecting to the host service..."))
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
        ops.jobs.recent(self).success(self._jobs_loaded).failure(
            lambda e: self.status.emit(self.tr("Job history unavailable: {error}").format(error=describe(e)))).run()
        self.refresh_limits()
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
            if was == "disconnected":
                self.refresh_limits()

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
        brief = self.vm_model.rowCount() > ROWS_PER_SECOND
        watched = list(self._details_for) if brief else []
        self.tasks.run_latest("refresh", lambda: self._fetch_vms(brief, watched), on_done=self._apply_vms,
                              on_error=self._refresh_failed)

    def refresh_soon(self) -> None:
        if not self._soon.isActive():
            self._soon.start()

    def _fetch_vms(self, brief: bool = False, watched: list[str] | None = None) -> tuple[list[dict], int]:
        """The VM list (in a worker). ``brief`` for a long one: without counters, but in full for the ``watched``
        VMs (those whose details are shown)."""
        t0 = time.monotonic_ns()
        vms = [vm.to_dict() for vm in self.conn.vms(brief=brief)]
        if watched:
            at = {vm["id"]: i for i, vm in enumerate(vms)}
            for vm_id in watched:
                if vm_id in at:
                    try:
                        vms[at[vm_id]] = self.conn.vm(vm_id).to_dict()
                    except api.BulkheadError:  # removed meanwhile: its brief entry stays until the next list
                        pass
        return vms, (t0 + time.monotonic_ns()) // 2

    def show_details_of(self, vm_ids: list[str]) -> None:
        """The VMs whose details the window shows: a long list fetches them in full (with their counters)."""
        ids = list(vm_ids)[:4]
        if ids != self._details_for:
            self._details_for = ids
            if ids and self.vm_model.rowCount() > ROWS_PER_SECOND:
                self.refresh_soon()  # their counters now, not at the next (slower) list

    def _apply_vms(self, value: tuple[list[dict], int]) -> None:
        vms, wall_ns = value
        self.vm_model.apply_list(vms, wall_ns)
        slowdown = min(MAX_SLOWDOWN, max(1, -(-len(vms) // ROWS_PER_SECOND)))
        if self._timer.interval() != self._refresh_ms * slowdown:
            self._timer.setInterval(self._refresh_ms * slowdown)
            self._soon.setInterval(SOON_MS * slowdown)
        self.refresh_count += 1
        if self.last_error:
            self.last_error = ""
            self.status.emit(self.tr("Connected again"))
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
        ops.metrics.cpu_history(self, vm_ids, HISTORY_SECONDS, owner=self).success(self.vm_model.seed_history).failure(
            lambda e: log.info("no CPU history for the sparklines: %s", describe(e))).run()

    def _refresh_failed(self, error: BaseException) -> None:
        message = describe(error)
        if message != self.last_error:
            self.last_error = message
            self.status.emit(self.tr("Cannot refresh the VM list: {error}").format(error=message))

    def refresh_host(self) -> None:
        if self.conn is None or self.closed:
            return
        self._reconcile_jobs()
        ops.host.read(self).success(self._apply_host).failure(lambda e: self.status.emit(
            self.tr("Host information unavailable: {error}").format(error=describe(e)))).run()

    def refresh_limits(self) -> None:
        """Ask for the host's limits (memory, processors, command line); they rarely change, so only on connecting."""
        if self.conn is None or self.closed:
            return
        ops.host.limits(self).success(self._apply_limits).failure(
            lambda e: log.info("no limits from %s: %s", self.host_label or "the host", describe(e))).run()

    def _apply_limits(self, limits: HostLimits) -> None:
        self.limits = limits if isinstance(limits, HostLimits) else None

    def _apply_host(self, value: tuple[dict, dict, dict]) -> None:
        info, caps, link = value
        self.host = info
        self.capabilities = caps if isinstance(caps, dict) else {"reasons": {}}
        if self.fixed_key:
            self.host_key, self.host_label = self.fixed_key, self.fixed_label or info.get("uri", "")
        else:
            self.host_key = f"local:{info.get('store', '')}"
            embedded = "embedded" in (self.conn.description if self.conn else "")
            self.host_label = (self.tr("{host} (embedded)") if embedded else self.tr("{host} (local)")).format(
                host=socket.gethostname())
        self.vm_model.set_host_label(self.host_label)
        self._set_link(link)
        self.host_changed.emit(info)

    def can(self, capability: str) -> tuple[bool, str]:
        """Whether this host can do ``capability`` (a key of core.model.methods.CAPABILITIES, as its
        capabilities() answer says), and why not."""
        caps = self.capabilities
        if self.is_remote and self.link.get("state") != "connected":
            state, reason = self.link.get("state") or "", self.link.get("reason")
            words = {"connecting": self.tr("{host} is connecting"), "disconnected": self.tr("{host} is disconnected")}
            text = words.get(state, self.tr("{host} is {state}")).format(host=self.host_label, state=state)
            return False, f"{text}: {reason}" if reason else text
        reason = (caps.get("reasons") or {}).get(capability)
        if reason:
            return False, reason
        if caps.get(capability) is False or (capability == "migrate" and capability not in caps):
            return False, self.tr("{host} does not offer this").format(host=self.host_label or self.tr("this host"))
        return True, ""

    def _jobs_loaded(self, jobs: list[dict]) -> None:
        known = {j["id"] for j in self.jobs_model.jobs()}
        self.jobs_model.reset_jobs([*self.jobs_model.jobs(), *(j for j in jobs if j["id"] not in known)])
        for job in self.jobs_model.active():
            self.vm_model.set_job(job)
            self._job_heard.setdefault(job["id"], time.monotonic())

    def _reconcile_jobs(self) -> None:
        """Ask the host about running jobs nothing was heard of for a while: their end may have been lost (a
        dropped connection, a subscriber that fell behind); the answer ends them in the list and the jobs strip."""
        now = time.monotonic()
        quiet = [jid for jid, t in self._job_heard.items() if now - t > JOB_QUIET_S]
        if not quiet or self.conn is None or self.closed:
            return
        for jid in quiet:
            self._job_heard[jid] = now  # one question per quiet spell
        ops.jobs.show(self, quiet, owner=self).success(lambda jobs: self._jobs_answered(quiet, jobs)).failure(
            lambda e: log.info("cannot ask about jobs: %s", describe(e))).run()

    def _jobs_answered(self, asked: list[int], jobs: list[dict]) -> None:
        for jid in set(asked) - {j.get("id") for j in jobs}:
            self._job_heard.pop(jid, None)  # the host does not know it (any more): nothing to ask again
        if jobs:
            self.vm_model.begin_batch()
            try:
                self._jobs_update(jobs)
            finally:
                self.vm_model.end_batch()

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
            model.begin_batch()
            try:
                self._jobs_update(jobs)
            finally:
                model.end_batch()
        if vms_touched:
            self.vms_changed.emit()
            if self.vm_model.rowCount() <= ROWS_PER_SECOND:
                self.refresh_soon()  # what events do not carry (uptime, heartbeat); a long list waits its turn

    def _jobs_update(self, jobs: list[dict]) -> None:
        """Jobs as the host last told of them (events, or an answer about them): the jobs strip, the Operation
        column, and the end of the jobs this console started."""
        self.jobs_model.upsert_many(jobs)
        now = time.monotonic()
        for job in jobs:
            jid = job.get("id")
            merged = self.jobs_model.job(jid) or job  # a late word about a job that has ended keeps it ended
            ended = merged.get("state") in FINISHED
            newly = ended and not self.vm_model.job_finished(jid)
            self.vm_model.set_job(merged)
            if not ended:
                self._job_heard[jid] = now
                continue
            self._job_heard.pop(jid, None)
            if newly:
                self._job_finished(merged)
                self.job_done.emit(merged)

    def _job_finished(self, job: dict) -> None:
        if job.get("id") not in self._my_jobs:
            return
        self._my_jobs.discard(job["id"])
        if job.get("state") == "Failed":
            name = self.jobs_model.target_name(job)
            self.report_error(self.tr("{job} failed").format(job=job.get("name") or self.tr("Job")),
                              f"{name}: {job.get('error') or self.tr('failed')}")

    def watch_console(self, vm_id: str, on: bool = True) -> None:
        """Deliver ``console`` signals for this VM (output of VMs nobody watches is dropped cheaply)."""
        n = self._console_watchers.get(vm_id, 0) + (1 if on else -1)
        if n > 0:
            self._console_watchers[vm_id] = n
        else:
            self._console_watchers.pop(vm_id, None)

    # --- doing ---------------------------------------------------------------------------------------------------
    def call(self, fn: Callable[..., Any], *args, on_done=None, on_error=None, owner=None, **kwargs):
        """Run ``fn(conn, *args, **kwargs)`` in a worker; Job results come back as dicts. Prefer a named operation
        of ``gui.operations``; this is the same machinery for work that has no name yet."""
        op = ops.HostOp(self, lambda conn, *a: fn(conn, *a, **kwargs), *args, owner=owner, track=False)
        if on_done is not None:
            op.success(on_done)
        if on_error is not None:
            op.failure(on_error)
        return op.run()

    def track_job(self, job: dict) -> None:
        self._job_started(job)

    def _job_started(self, job: dict) -> None:
        """The answer that started a job. Its events travel another way and may have come first, up to its end:
        then the job stays as they left it (the answer's "Queued, 0 %" is older news)."""
        if not isinstance(job, dict) or "id" not in job:
            return
        self.jobs_model.upsert(job)
        merged = self.jobs_model.job(job["id"]) or job
        self._my_jobs.add(job["id"])
        if merged.get("state") in FINISHED:
            self._job_finished(merged)  # its end came first: a failure is still reported
        else:
            self._job_heard.setdefault(job["id"], time.monotonic())
        self.vm_model.set_job(merged)

    def report_error(self, title: str, message: str) -> None:
        """Show a failure as an error dialog; failures that come together (a bulk action) share one."""
        if not self._errors:
            self._error_title = title
        elif title != self._error_title:
            self._error_title = self.tr("Some operations failed")
        self._errors.append(message)
        self._error_timer.start()

    def _flush_errors(self) -> None:
        errors, self._errors = self._errors, []
        if errors:
            self.error.emit(self._error_title, "\n".join(errors))
