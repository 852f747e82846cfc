"""A Connection's transport to a libvirt host: the same methods, VM dicts, jobs, events and metric names as the
embedded host service (core/service/host.py), served from libvirt.

- Connecting runs in the background with a timeout; ``status()`` says connecting, connected or disconnected (with
  the reason), and a lost connection is re-established on its own with a growing pause between attempts.
- State changes come from libvirt's lifecycle events: one process-wide thread runs libvirt's default event loop.
- Every state-changing operation is validated first and then runs as a job (core/service/jobs.py JobManager).
- Metrics: one ``getAllDomainStats`` (active domains) per tick into a MetricsStore under the VM_METRICS names,
  so graphs, ``vm measure`` and alerts work unchanged.
- The serial console is read through ``virDomainOpenConsole`` with a non-blocking stream.
- What this connection cannot do is listed by ``capabilities()`` and refused with the reason (StateError).
"""

from __future__ import annotations

import collections
import fcntl
import hashlib
import inspect
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from core import __version__
from core.hosts.base import HostBase
from core.model.errors import BulkheadError, NotFound, OperationFailed, ServiceUnavailable, StateError, UsageError

from .connections import is_local_uri, validate_uri
from .domxml import BUSES, DomainConfig, caps_domain_types, caps_host, new_domain_xml, volume_xml

log = logging.getLogger(__name__)

MiB = 1 << 20
CONSOLE_HISTORY = 64 * 1024
GONE_MEMORY = 120.0  # seconds a removed domain's UUID is remembered, to drop late lifecycle events about it
SHUTDOWN_TIMEOUT = 60.0
STOP_MODES = ("shut_down", "turn_off", "save")
START_ACTIONS = ("nothing", "start_if_running", "always_start")
# operation -> the Bulkhead states it may start from (as core/engine/states.py OPERATIONS)
OPERATIONS = {
    "start": ("Off", "Saved", "Critical"),
    "pause": ("Running",),
    "resume": ("Paused",),
    "save": ("Running", "Paused"),
    "reset": ("Running", "Paused"),
    "turn_off": ("Running", "Paused", "Critical", "Saved", "Stopping"),
    "shut_down": ("Running",),
    "migrate": ("Running", "Paused"),
}
MARKERS = {"Running": "running", "Paused": "paused", "Saved": "saved", "Off": "off", "Critical": "critical"}

_libvirt = None
_loop_lock = threading.Lock()
_loop_thread: threading.Thread | None = None


def _lv():
    """libvirt-python, with its default event loop registered and running in one daemon thread (once per process).
    The event implementation must be registered before the first connection is opened."""
    global _libvirt, _loop_thread
    with _loop_lock:
        if _libvirt is not None:
            return _libvirt
        try:
            import libvirt
        except ImportError:
            raise OperationFailed("libvirt connections need libvirt-python (tools/ci-libvirt.sh install, or "
                                  "apt-get install libvirt-dev pkg-config gcc; pip install libvirt-python)") from None
        libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # errors are raised, not printed
        libvirt.virEventRegisterDefaultImpl()

        def run() -> None:
            while True:
                try:
                    libvirt.virEventRunDefaultImpl()
                except Exception:  # never let one bad callback end the loop
                    log.exception("libvirt event loop")
                    time.sleep(0.1)

        _loop_thread = threading.Thread(target=run, name="libvirt-events", daemon=True)
        _loop_thread.start()
        _libvirt = libvirt
        return libvirt


def one_line(text: str, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def libvirt_error(e: Exception, what: str = "") -> BulkheadError:
    """A libvirt error as one clear line, of the kind the command line maps to an exit code."""
    lv = _libvirt
    msg = e.get_error_message() if hasattr(e, "get_error_message") and e.get_error_message() else str(e)
    msg = one_line(msg)
    text = f"{what}: {msg}" if what else msg
    code = e.get_error_code() if hasattr(e, "get_error_code") else None
    if lv is None or code is None:
        return OperationFailed(text)
    if code in (lv.VIR_ERR_NO_DOMAIN, lv.VIR_ERR_NO_NETWORK, lv.VIR_ERR_NO_STORAGE_POOL,
                lv.VIR_ERR_NO_STORAGE_VOL):
        return NotFound(text)
    if code in (lv.VIR_ERR_OPERATION_INVALID, lv.VIR_ERR_NO_SUPPORT, lv.VIR_ERR_ARGUMENT_UNSUPPORTED,
                lv.VIR_ERR_OPERATION_UNSUPPORTED):
        return StateError(text)
    if code in (lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_XML_ERROR, lv.VIR_ERR_CONFIG_UNSUPPORTED, lv.VIR_ERR_XML_DETAIL,
                lv.VIR_ERR_DOM_EXIST):
        return UsageError(text)
    return OperationFailed(text)


def _state_name(lv, state: int, reason: int, managed_save: bool) -> tuple[str, str]:
    """libvirt's (state, reason) as Bulkhead's state name and a reason to show."""
    if state in (lv.VIR_DOMAIN_RUNNING, lv.VIR_DOMAIN_BLOCKED):
        return "Running", ""
    if state == lv.VIR_DOMAIN_PAUSED:
        why = {lv.VIR_DOMAIN_PAUSED_MIGRATION: "migrating", lv.VIR_DOMAIN_PAUSED_IOERROR: "disk I/O error",
               lv.VIR_DOMAIN_PAUSED_WATCHDOG: "watchdog fired", lv.VIR_DOMAIN_PAUSED_SAVE: "saving",
               lv.VIR_DOMAIN_PAUSED_SHUTTING_DOWN: "shutting down", lv.VIR_DOMAIN_PAUSED_STARTING_UP: "starting",
               lv.VIR_DOMAIN_PAUSED_CRASHED: "the guest crashed",
               lv.VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: "post-copy migration failed"}.get(reason, "")
        if reason == lv.VIR_DOMAIN_PAUSED_SAVE:
            return "Saving", ""
        if reason == lv.VIR_DOMAIN_PAUSED_STARTING_UP:
            return "Starting", ""
        return "Paused", why
    if state == lv.VIR_DOMAIN_SHUTDOWN:
        return "Stopping", "the guest is shutting down"
    if state == lv.VIR_DOMAIN_CRASHED:
        return "Critical", "the guest crashed"
    if state == lv.VIR_DOMAIN_PMSUSPENDED:
        return "Paused", "suspended by the guest (power management)"
    if managed_save:
        return "Saved", ""
    why = {lv.VIR_DOMAIN_SHUTOFF_CRASHED: "the guest crashed", lv.VIR_DOMAIN_SHUTOFF_FAILED: "failed to start",
           lv.VIR_DOMAIN_SHUTOFF_MIGRATED: "migrated away"}.get(reason, "") if state == lv.VIR_DOMAIN_SHUTOFF else ""
    return "Off", why


class _Dom:
    """What the transport keeps of one domain between events."""

    def __init__(self, uuid: str, name: str) -> None:
        self.uuid = uuid
        self.name = name
        self.state = ""
        self.reason = ""
        self.started_at: float | None = None
        self.config: DomainConfig | None = None  # None: read the XML again
        self.persistent = True
        self.autostart = False
        self.stream = None
        self.console = bytearray()
        self.state_changed = threading.Condition()


class LibvirtTransport(HostBase):
    """``call(method, params)``, ``subscribe(callback)`` and ``close()`` like the other transports."""

    def __init__(self, uri: str, data_dir: str | os.PathLike | None = None, *, connect_timeout: float = 10.0,
                 wait: float = 3.0, tick: float | None = None, retry_max: float = 30.0) -> None:
        self.uri = validate_uri(uri)
        self.connect_timeout = connect_timeout
        self.retry_max = retry_max
        self.started_at = time.time()
        self._lv = _lv()
        self._init_events()
        self._lock = threading.RLock()
        self._doms: dict[str, _Dom] = {}
        self._completed: dict[str, dict] = {}  # uuid -> the last JOB_COMPLETED statistics
        self._console_wanted: set[str] = set()
        self._names: dict[str, str] = {}  # id -> the last name seen (job history outlives VMs)
        self._conn = None
        self._callbacks: list[int] = []
        self._status = {"state": "connecting", "reason": "", "uri": self.uri, "since": time.time()}
        self._status_cond = threading.Condition(self._lock)
        self._closed = threading.Event()
        self._wake = threading.Event()
        self._facts: dict = {}
        self._host_stats_ok = {"cpu": True, "memory": True}
        self._nowait = True
        self._prev_host_cpu: dict | None = None
        self._prev: dict[str, tuple[float, dict]] = {}
        self.tick_seconds: list[float] = []
        self._events: collections.deque = collections.deque()
        self._events_cond = threading.Condition()
        self._gone: dict[str, float] = {}  # uuid -> when it was forgotten (late events about it are dropped)
        self._state_dir, self._lockfile = self._open_state_dir(data_dir)
        from core.hosts.alerts import AlertManager
        from core.hosts.jobs import JobManager
        from core.hosts.metrics import MetricsStore

        self.jobs = JobManager(self._state_dir / "jobs.sqlite", on_event=self._job_event)
        self.metrics = MetricsStore(self._state_dir / "metrics.sqlite")
        self.alerts = AlertManager(self._state_dir, self._emit)
        self.interval = tick or float(os.environ.get("BULKHEAD_TICK", "1.0"))
        self._threads = [threading.Thread(target=self._supervise, name="libvirt-connect", daemon=True),
                         threading.Thread(target=self._event_worker, name="libvirt-event-worker", daemon=True),
                         threading.Thread(target=self._sampler, name="libvirt-metrics", daemon=True)]
        for t in self._threads:
            t.start()
        deadline = time.monotonic() + max(0.0, min(wait, 5.0))  # never freeze the caller for long
        with self._status_cond:
            while self._status["state"] == "connecting" and time.monotonic() < deadline:
                self._status_cond.wait(deadline - time.monotonic())

    # --- the transport interface -------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None) -> Any:
        name = METHODS.get(method)
        if name is None:
            if method in NOT_HERE:
                raise StateError(f"{method} is not available on libvirt connections: {NOT_HERE[method]}")
            raise UsageError(f"unknown method '{method}'")
        params = json.loads(json.dumps(params or {}))
        if not isinstance(params, dict):
            raise UsageError("params must be an object")
        fn = getattr(self, name)
        try:
            inspect.signature(fn).bind(**params)
        except TypeError as e:
            raise UsageError(f"{method}: {e}") from None
        try:
            result = fn(**params)
        except self._lv.libvirtError as e:
            raise libvirt_error(e) from None
        return json.loads(json.dumps(result))

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        self._wake.set()
        with self._events_cond:
            self._events_cond.notify_all()
        for t in self._threads:
            t.join(5)
        self.jobs.close(timeout=5)
        with self._lock:
            conn, self._conn = self._conn, None
            for d in self._doms.values():
                self._close_console(d)
        if conn is not None:
            self._drop(conn)
        self.metrics.close()
        self.alerts.close()
        if self._lockfile is not None:
            self._lockfile.close()
        if self._temp_state:
            shutil.rmtree(self._state_dir, ignore_errors=True)

    def status(self) -> dict:
        with self._lock:
            return dict(self._status)

    def reconnect(self) -> None:
        """Try to connect now instead of after the pause."""
        self._wake.set()

    def capabilities(self) -> dict:
        """What this connection can do: {operation: bool, ..., "reasons": {operation: why not}}."""
        scheme = urlsplit(self.uri).scheme
        driver = self._facts.get("driver", "TEST" if scheme == "test" else "QEMU")
        reasons: dict[str, str] = {}
        if driver.upper() == "TEST":
            reasons["migrate"] = "the test driver cannot migrate"
            reasons["console"] = "the test driver has no serial consoles"
        reasons["kvp"] = "libvirt domains have no Bulkhead key-value pairs"
        reasons["switches"] = "networks of a libvirt host are libvirt networks (virsh net-list)"
        state = self._status["state"]
        ops = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset", "remove", "new_vm", "set_vm",
               "console", "migrate", "metrics", "new_disk", "kvp", "switches")
        out: dict[str, Any] = {op: op not in reasons for op in ops}
        out["reasons"] = reasons
        out["connected"] = state == "connected"
        if state != "connected":
            out["reason"] = f"{self.uri} is {state}" + (f": {self._status['reason']}" if self._status["reason"] else "")
        return out

    def _refuse(self, operation: str) -> None:
        reason = self.capabilities()["reasons"].get(operation)
        if reason:
            raise StateError(reason)

    # --- state folder ------------------------------------------------------------------------------------------
    def _open_state_dir(self, data_dir) -> tuple[Path, Any]:
        """Job history, metrics and alerts of this URI live in <data>/libvirt/<uri-key>/. A second process using
        the same URI (the console and a command line at once) gets a private temporary folder instead, so neither
        marks the other's running jobs as failed."""
        self._temp_state = False
        if data_dir is not None:
            key = re.sub(r"[^A-Za-z0-9]+", "-", self.uri).strip("-")[:40]
            key += "-" + hashlib.sha1(self.uri.encode()).hexdigest()[:10]
            folder = Path(data_dir) / "libvirt" / key
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                lock = open(folder / "lock", "a")  # noqa: SIM115 - held for the transport's life
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    (folder / "uri").write_text(self.uri + "\n")
                    return folder, lock
                except OSError:
                    lock.close()
            except OSError as e:
                log.warning("cannot use %s for %s: %s", folder, self.uri, e)
        self._temp_state = True
        return Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-")), None

    # --- connecting --------------------------------------------------------------------------------------------
    def _set_status(self, state: str, reason: str = "") -> None:
        with self._status_cond:
            if self._status["state"] == state and self._status["reason"] == reason:
                return
            self._status = {"state": state, "reason": one_line(reason), "uri": self.uri, "since": time.time()}
            snapshot = dict(self._status)
            self._status_cond.notify_all()
        self._emit("connection.status", snapshot)

    def _open_uri(self) -> str:
        parts = urlsplit(self.uri)
        if parts.scheme in ("qemu+ssh", "qemu+libssh", "qemu+libssh2") and "no_tty" not in parts.query:
            # nobody can answer a password prompt on a background thread
            return self.uri + ("&" if parts.query else "?") + "no_tty=1"
        return self.uri

    def _supervise(self) -> None:
        delay = 1.0
        while not self._closed.is_set():
            if self._conn is None:
                result: dict = {}
                done = threading.Event()
                if self._status["state"] != "connecting":
                    self._set_status("connecting", self._status["reason"])
                threading.Thread(target=self._attempt, args=(result, done), name="libvirt-open", daemon=True).start()
                if not done.wait(self.connect_timeout):
                    self._set_status("disconnected", f"no answer from {self.uri} within {self.connect_timeout:g} s")
                    while not done.wait(0.5):  # one attempt at a time; adopt it should it still succeed
                        if self._closed.is_set():
                            return
                if self._closed.is_set():
                    if "conn" in result:
                        self._drop(result["conn"])
                    return
                if "conn" in result:
                    try:
                        self._adopt(result["conn"])
                        delay = 1.0
                        continue
                    except Exception as e:  # noqa: BLE001 - reported as the reason
                        with self._lock:
                            if self._conn is result["conn"]:
                                self._conn = None
                        self._drop(result["conn"])
                        msg = e.get_error_message() if isinstance(e, self._lv.libvirtError) else ""
                        result["error"] = one_line(msg or str(e) or type(e).__name__)
                self._set_status("disconnected", result.get("error", "unknown error"))
                self._wake.wait(delay)
                self._wake.clear()
                delay = min(delay * 2, self.retry_max)
            else:
                self._wake.wait(1.0)
                self._wake.clear()
                conn = self._conn
                if conn is not None:
                    try:
                        alive = conn.isAlive()
                    except self._lv.libvirtError:
                        alive = 0
                    if not alive:
                        self._lost(conn, "the connection is no longer alive")

    def _attempt(self, result: dict, done: threading.Event) -> None:
        try:
            result["conn"] = self._lv.open(self._open_uri())
        except self._lv.libvirtError as e:
            result["error"] = one_line(e.get_error_message() or str(e))
        except Exception as e:  # noqa: BLE001 - reported as the reason
            result["error"] = one_line(str(e) or type(e).__name__)
        done.set()

    def _adopt(self, conn) -> None:
        lv = self._lv
        try:
            conn.setKeepAlive(5, 3)
        except lv.libvirtError:
            pass  # drivers inside this process have no keepalive
        try:
            conn.registerCloseCallback(self._on_close, None)
        except lv.libvirtError:
            pass
        caps = conn.getCapabilities()
        info = conn.getInfo()
        host = caps_host(caps)
        arch = host["arch"] or info[0]
        facts = {"driver": conn.getType(), "hostname": "", "caps": caps, "arch": arch, "host": host,
                 "info": info, "libvirt_version": conn.getLibVersion(), "hv_version": conn.getVersion(),
                 "domain_types": caps_domain_types(caps, arch if arch in host["guest_arches"] else
                                                   (host["guest_arches"] or [arch])[0])}
        try:
            facts["hostname"] = conn.getHostname()
        except lv.libvirtError:
            facts["hostname"] = urlsplit(self.uri).hostname or ""
        with self._lock:
            self._conn = conn  # before the callbacks, so no event is dropped as coming from an old connection
        ids = [conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._on_lifecycle, None)]
        for event_id, cb in ((getattr(lv, "VIR_DOMAIN_EVENT_ID_JOB_COMPLETED", None), self._on_job_completed),
                             (lv.VIR_DOMAIN_EVENT_ID_REBOOT, self._on_reboot)):
            if event_id is None:
                continue
            try:
                ids.append(conn.domainEventRegisterAny(None, event_id, cb, None))
            except lv.libvirtError:
                pass
        with self._lock:
            self._conn = conn
            self._callbacks = ids
            self._facts = facts
            self._prev.clear()
            self._prev_host_cpu = None
        self._refresh(conn)
        self._set_status("connected", "")

    def _drop(self, conn) -> None:
        for cid in self._callbacks:
            try:
                conn.domainEventDeregisterAny(cid)
            except Exception:  # noqa: BLE001
                pass
        try:
            conn.unregisterCloseCallback()
        except Exception:  # noqa: BLE001
            pass
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass

    def _on_close(self, conn, reason, opaque) -> None:
        lv = self._lv
        why = {lv.VIR_CONNECT_CLOSE_REASON_ERROR: "connection error", lv.VIR_CONNECT_CLOSE_REASON_EOF:
               "the host closed the connection", lv.VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
               "the host stopped answering (keepalive)", lv.VIR_CONNECT_CLOSE_REASON_CLIENT: "closed"}.get(
            reason, f"closed ({reason})")
        self._push(("lost", conn, why))

    def _lost(self, conn, why: str) -> None:
        with self._lock:
            if self._conn is not conn:
                return
            self._conn = None
            for d in self._doms.values():
                d.stream = None
        self._set_status("disconnected", f"{why}; reconnecting")
        threading.Thread(target=self._drop, args=(conn,), daemon=True).start()
        self._wake.set()

    def _connection(self, wait: float | None = None):
        """The open connection, waiting up to ``wait`` (connect_timeout) while connecting."""
        wait = self.connect_timeout if wait is None else wait
        deadline = time.monotonic() + wait
        with self._status_cond:
            while self._conn is None and self._status["state"] == "connecting" and time.monotonic() < deadline:
                self._status_cond.wait(deadline - time.monotonic())
            conn = self._conn
            status = dict(self._status)
        if self._closed.is_set():
            raise ServiceUnavailable(f"the connection to {self.uri} is closed")
        if conn is None:
            reason = f": {status['reason']}" if status["reason"] else ""
            raise ServiceUnavailable(f"{self.uri} is {status['state']}{reason}")
        return conn

    def _call_lost(self, e) -> bool:
        """After a failed call: was it the connection that failed? Then mark it lost."""
        conn = self._conn
        if conn is None:
            return True
        try:
            if conn.isAlive():
                return False
        except self._lv.libvirtError:
            pass
        self._lost(conn, one_line(e.get_error_message() or str(e)))
        return True

    # --- events ------------------------------------------------------------------------------------------------
    def _job_event(self, kind: str, job: dict) -> None:
        job = dict(job)
        job["target_name"] = self._names.get(job.get("target", ""), job.get("target", ""))
        self._emit(kind, job)

    def _push(self, item: tuple) -> None:
        with self._events_cond:
            self._events.append(item)
            self._events_cond.notify()

    def _on_lifecycle(self, conn, dom, event, detail, opaque) -> None:  # libvirt's event loop thread
        self._push(("lifecycle", conn, dom, event, detail))

    def _on_reboot(self, conn, dom, opaque) -> None:
        self._push(("reboot", conn, dom))

    def _on_job_completed(self, conn, dom, params, opaque) -> None:
        self._completed[dom.UUIDString()] = dict(params)

    def _event_worker(self) -> None:
        while True:
            with self._events_cond:
                while not self._events and not self._closed.is_set():
                    self._events_cond.wait(0.5)
                if self._closed.is_set():
                    return
                item = self._events.popleft()
            try:
                if item[0] == "lifecycle":
                    self._lifecycle(*item[1:])
                elif item[0] == "lost":
                    self._lost(item[1], item[2])
                elif item[0] == "reboot":
                    d = self._doms.get(item[2].UUIDString())
                    if d is not None:
                        self.metrics.marker(d.uuid, "reset")
                elif item[0] == "console":
                    self._emit("vm.console", {"id": item[1], "name": item[2], "data": item[3]})
            except self._lv.libvirtError as e:
                log.info("event %s: %s", item[0], e)
            except Exception:
                log.exception("libvirt event %s", item[0])

    def _lifecycle(self, conn, dom, event, detail) -> None:
        lv = self._lv
        if conn is not self._conn:
            return
        uid, name = dom.UUIDString(), dom.name()
        E = lv
        with self._lock:
            if event in (E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_STARTED):
                self._gone.pop(uid, None)  # the same UUID again: defined anew, or migrated back in
            elif uid in self._gone and uid not in self._doms:
                return  # a late event about a domain already removed (an operation saw it go)
        if event == E.VIR_DOMAIN_EVENT_UNDEFINED:
            try:
                state, _ = dom.state()
                gone = state == lv.VIR_DOMAIN_SHUTOFF
            except lv.libvirtError:
                gone = True
            if gone:
                self._forget(uid, name)
            else:  # a running domain became transient
                d = self._known(uid, name)
                d.persistent, d.config = False, None
                self._emit("vm.changed", self._vm_dict_safe(dom))
            return
        if event == E.VIR_DOMAIN_EVENT_DEFINED:
            is_new = uid not in self._doms
            d = self._known(uid, name)
            d.config, d.name, d.persistent = None, name, True
            if is_new:
                d.state, d.reason = self._live_state(dom)
                self._emit("vm.added", self._vm_dict_safe(dom))
            else:
                self._emit("vm.changed", self._vm_dict_safe(dom))
            return
        is_new = uid not in self._doms
        d = self._known(uid, name)
        reason = ""
        if event in (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STOPPED):
            d.config = None  # the live XML differs from the inactive one
        if event == E.VIR_DOMAIN_EVENT_STARTED:
            state = "Running"
            d.started_at = time.time()
            d.console.clear()
            reason = {E.VIR_DOMAIN_EVENT_STARTED_MIGRATED: "migrated in",
                      E.VIR_DOMAIN_EVENT_STARTED_RESTORED: "restored from its saved state"}.get(detail, "")
            if is_new:
                self._emit("vm.added", self._vm_dict_safe(dom))
            if uid in self._console_wanted:
                self._open_console(d, dom)
        elif event == E.VIR_DOMAIN_EVENT_SUSPENDED:
            state = "Paused"
            reason = {E.VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED: "migrating",
                      E.VIR_DOMAIN_EVENT_SUSPENDED_IOERROR: "disk I/O error",
                      E.VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG: "watchdog fired",
                      E.VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR: "libvirt API error"}.get(detail, "")
        elif event == E.VIR_DOMAIN_EVENT_RESUMED:
            state = "Running"
        elif event == E.VIR_DOMAIN_EVENT_STOPPED:
            self._close_console(d)
            d.started_at = None
            self._prev.pop(uid, None)
            self.metrics.forget(uid)
            try:
                saved = bool(dom.hasManagedSaveImage(0))
            except lv.libvirtError:
                saved = False
            state = "Saved" if saved else "Off"
            reason = {E.VIR_DOMAIN_EVENT_STOPPED_CRASHED: "the guest crashed",
                      E.VIR_DOMAIN_EVENT_STOPPED_FAILED: "failed",
                      E.VIR_DOMAIN_EVENT_STOPPED_MIGRATED: "migrated away"}.get(detail, "")
            if not d.persistent or detail == E.VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
                try:
                    persistent = bool(dom.isPersistent())
                except lv.libvirtError:
                    persistent = False
                if not persistent:
                    self._set_state(d, state, reason)
                    self._forget(uid, name)
                    return
        elif event == E.VIR_DOMAIN_EVENT_PMSUSPENDED:
            state, reason = "Paused", "suspended by the guest (power management)"
        elif event == E.VIR_DOMAIN_EVENT_CRASHED:
            state, reason = "Critical", "the guest crashed"
        elif event == E.VIR_DOMAIN_EVENT_SHUTDOWN:
            return  # the guest finished shutting down; STOPPED follows
        else:
            return
        self._set_state(d, state, reason)

    def _known(self, uid: str, name: str) -> _Dom:
        with self._lock:
            d = self._doms.get(uid)
            if d is None:
                d = self._doms[uid] = _Dom(uid, name)
            d.name = name
            self._names[uid] = name
            return d

    def _forget(self, uid: str, name: str) -> None:
        """The domain is gone: drop it and tell the listeners once (an operation that saw it go and the
        lifecycle event that reports it may both call this)."""
        now = time.monotonic()
        with self._lock:
            d = self._doms.pop(uid, None)
            self._console_wanted.discard(uid)
            self._gone[uid] = now
            for old in [u for u, t in self._gone.items() if now - t > GONE_MEMORY]:
                del self._gone[old]
        self._prev.pop(uid, None)
        self.metrics.forget(uid)
        if d is None:
            return
        self._close_console(d)
        with d.state_changed:
            d.state = "Removed"
            d.state_changed.notify_all()
        self._emit("vm.removed", {"id": uid, "name": name})

    def _set_state(self, d: _Dom, state: str, reason: str = "") -> None:
        with d.state_changed:
            if d.state == state and d.reason == reason:
                return
            changed = d.state != state
            d.state, d.reason = state, reason
            d.state_changed.notify_all()
        if changed and state in MARKERS:
            self.metrics.marker(d.uuid, MARKERS[state])
        self._emit("vm.state", {"id": d.uuid, "name": d.name, "state": state, "reason": reason})

    def _await_state(self, d: _Dom, states: tuple[str, ...], dom, timeout: float = 5.0) -> None:
        """Wait until the lifecycle event of an operation arrived (so vm.state comes before job.finished); should
        it not arrive, take the state from libvirt."""
        deadline = time.monotonic() + timeout
        with d.state_changed:
            while d.state not in states and d.state != "Removed":
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                d.state_changed.wait(min(left, 0.2))
        if d.state not in states and d.state != "Removed":
            try:
                self._set_state(d, *self._live_state(dom))
            except self._lv.libvirtError as e:
                if e.get_error_code() == self._lv.VIR_ERR_NO_DOMAIN:
                    self._forget(d.uuid, d.name)

    def _live_state(self, dom) -> tuple[str, str]:
        state, reason = dom.state()
        saved = False
        if state == self._lv.VIR_DOMAIN_SHUTOFF:
            try:
                saved = bool(dom.hasManagedSaveImage(0))
            except self._lv.libvirtError:
                pass
        return _state_name(self._lv, state, reason, saved)

    def _refresh(self, conn) -> None:
        """Read every domain once (at connect); report what changed while we were away."""
        lv = self._lv
        seen: dict[str, Any] = {}
        for dom in conn.listAllDomains(0):
            seen[dom.UUIDString()] = dom
        for uid in [u for u in list(self._doms) if u not in seen]:
            self._forget(uid, self._doms[uid].name)
        for uid, dom in seen.items():
            is_new = uid not in self._doms
            d = self._known(uid, dom.name())
            d.config = None
            try:
                state = self._live_state(dom)
                d.persistent = bool(dom.isPersistent())
            except lv.libvirtError:
                continue
            if is_new:
                d.state, d.reason = state
                if self._listeners:
                    self._emit("vm.added", self._vm_dict_safe(dom))
            else:
                self._set_state(d, *state)
            if uid in self._console_wanted and d.state in ("Running", "Paused"):
                self._open_console(d, dom)

    # --- the serial console ------------------------------------------------------------------------------------
    def _open_console(self, d: _Dom, dom) -> None:
        lv = self._lv
        conn = self._conn
        if conn is None or d.stream is not None or not self.capabilities()["console"]:
            return
        try:
            stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
            dom.openConsole(None, stream, lv.VIR_DOMAIN_CONSOLE_FORCE)
        except lv.libvirtError as e:
            log.info("console of %s: %s", d.name, e)
            return
        d.stream = stream
        uid, name = d.uuid, d.name

        def readable(st, events, opaque) -> None:  # libvirt's event loop thread
            if events & lv.VIR_STREAM_EVENT_READABLE:
                while True:
                    try:
                        data = st.recv(4096)
                    except lv.libvirtError:
                        data = b""
                    if data == -2:  # nothing more for now
                        return
                    if not isinstance(data, bytes) or not data:
                        break
                    buf = d.console
                    buf.extend(data)
                    if len(buf) > CONSOLE_HISTORY:
                        del buf[: len(buf) - CONSOLE_HISTORY]
                    self._push(("console", uid, name, data.decode("latin-1")))
            # end of stream, error or hang-up: another client took the console, or the domain stopped
            if d.stream is st:
                d.stream = None
            try:
                st.eventRemoveCallback()
            except lv.libvirtError:
                pass

        try:
            stream.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE | lv.VIR_STREAM_EVENT_ERROR
                                    | lv.VIR_STREAM_EVENT_HANGUP, readable, None)
        except lv.libvirtError as e:
            log.info("console of %s: %s", d.name, e)
            d.stream = None

    def _close_console(self, d: _Dom) -> None:
        st, d.stream = d.stream, None
        if st is None:
            return
        for fn in (st.eventRemoveCallback, st.abort):
            try:
                fn()
            except Exception:  # noqa: BLE001
                pass

    def console_history(self, vm: str) -> str:
        d, dom = self._find(vm)
        if not self.capabilities()["console"]:
            return ""
        self._console_wanted.add(d.uuid)
        if d.stream is None and d.state in ("Running", "Paused"):
            self._open_console(d, dom)
        return bytes(d.console).decode("latin-1")

    def console_send(self, vm: str, data: str) -> int:
        self._refuse("console")
        self._connection()
        d, dom = self._find(vm)
        if d.state not in ("Running", "Paused"):
            raise StateError(f"VM '{d.name}' is {d.state}: its console takes no input")
        self._console_wanted.add(d.uuid)
        if d.stream is None:
            self._open_console(d, dom)
        st = d.stream
        if st is None:
            raise OperationFailed(f"cannot open the serial console of VM '{d.name}'")
        raw = data.encode("latin-1", "replace")
        sent, deadline = 0, time.monotonic() + 5
        while sent < len(raw):
            n = st.send(raw[sent:])
            if n == -2:
                if time.monotonic() > deadline:
                    raise OperationFailed(f"the serial console of VM '{d.name}' takes no input")
                time.sleep(0.01)
                continue
            if n < 0:
                raise OperationFailed(f"the serial console of VM '{d.name}' was closed")
            sent += n
        return sent

    # --- reads -------------------------------------------------------------------------------------------------
    def host_info(self) -> dict:
        status = self.status()
        f = self._facts
        info = f.get("info") or [None] * 8
        host = f.get("host") or {}
        states: dict[str, int] = {}
        for d in list(self._doms.values()):
            states[d.state] = states.get(d.state, 0) + 1

        def version(n):
            return f"{n // 1000000}.{n // 1000 % 1000}.{n % 1000}" if n else "?"

        if f:
            hv = f["driver"] + (f" {version(f['hv_version'])}" if f["driver"].upper() != "TEST" else "")
            desc = f"libvirt {version(f['libvirt_version'])}, {hv} on {f['hostname'] or self.uri} ({self.uri})"
        else:
            desc = f"libvirt {self.uri}"
        notice = "" if status["state"] == "connected" else (
            f"{self.uri} is {status['state']}" + (f": {status['reason']}" if status["reason"] else ""))
        kvm = "kvm" in f.get("domain_types", [])
        return {
            "version": __version__,
            "pid": os.getpid(),
            "started": self.started_at,
            "backend": "libvirt",
            "backend_description": desc,
            "notice": notice,
            "store": self.uri,
            "uri": self.uri,
            "hostname": f.get("hostname", ""),
            "status": status,
            "operations": self.capabilities(),
            "capabilities": {
                "logical_processors": info[2], "memory_bytes": info[1] * MiB if info[1] else None,
                "cpu_model": host.get("cpu_model") or info[0], "cpu_mhz": info[3], "numa_nodes": info[4],
                "sockets": info[5], "cores": info[6], "threads": info[7], "arch": f.get("arch"),
                "hypervisor": f.get("driver"), "domain_types": f.get("domain_types", []),
                "kvm_usable": kvm, "kvm_problem": "" if kvm or not f else "this libvirt host offers no kvm domains",
                "kvm_module": None, "kvm_api_version": None, "kvm_extensions": {},
            },
            "vms": len(self._doms),
            "vm_states": states,
        }

    def connection_status(self) -> dict:
        return self.status()

    def host_capabilities(self) -> dict:
        return self.capabilities()

    def list_vms(self) -> list[dict]:
        conn = self._connection()
        lv = self._lv
        try:
            stats = conn.getAllDomainStats(lv.VIR_DOMAIN_STATS_STATE, 0)
        except lv.libvirtError as e:
            if self._call_lost(e):
                raise ServiceUnavailable(f"{self.uri}: {one_line(e.get_error_message())}") from None
            raise
        out = []
        for dom, values in stats:
            uid = dom.UUIDString()
            d = self._known(uid, dom.name())
            out.append(self._vm_dict(dom, d, state=(values.get("state.state"), values.get("state.reason"))))
        return sorted(out, key=lambda v: (v["name"].lower(), v["id"]))

    def get_vm(self, vm: str) -> dict:
        d, dom = self._find(vm)
        return self._vm_dict(dom, d, detail=True)

    def _vm_dict_safe(self, dom) -> dict:
        uid = dom.UUIDString()
        d = self._doms.get(uid) or _Dom(uid, dom.name())
        try:
            return self._vm_dict(dom, d)
        except self._lv.libvirtError:
            return {"id": uid, "name": d.name, "state": d.state or "Off", "reason": d.reason}

    def _vm_dict(self, dom, d: _Dom, state: tuple | None = None, detail: bool = False) -> dict:
        lv = self._lv
        c = d.config  # events may drop it meanwhile (set to None): keep this one
        if c is None:
            c = d.config = DomainConfig.parse(dom.XMLDesc(0))
            try:
                d.autostart = bool(dom.autostart())
                d.persistent = bool(dom.isPersistent())
            except lv.libvirtError:
                pass
        if state is not None and state[0] is not None:
            saved = False
            if state[0] == lv.VIR_DOMAIN_SHUTOFF:
                saved = bool(dom.hasManagedSaveImage(0))
            name, reason = _state_name(lv, state[0], state[1], saved)
        else:
            name, reason = self._live_state(dom)
        if not d.state:
            d.state, d.reason = name, reason
        if not reason and d.state == name:
            reason = d.reason  # the event said why (migrated in, restored ...)
        disk = c.main_disk or {}
        nic = c.interfaces[0] if c.interfaces else {}
        active = name in ("Running", "Paused", "Stopping", "Saving", "Critical")
        latest = self.metrics.latest(d.uuid) if active else None
        health, health_reason = ("Critical", reason or "the guest crashed") if name == "Critical" else ("OK", "")
        alerts = [a["message"] for a in self.alerts.active_for(d.uuid)]
        if alerts and health == "OK":
            health, health_reason = "Degraded", "; ".join(dict.fromkeys(alerts))
        out = {
            "id": d.uuid, "name": c.name or d.name, "state": name, "folder": "",
            "memory": c.memory, "vcpus": c.vcpus, "image": c.iso, "workload": "", "cmdline": c.cmdline,
            "notes": c.description, "automatic_start_action": "always_start" if d.autostart else "nothing",
            "automatic_stop_action": "", "created": 0.0,
            "uptime": round(time.time() - d.started_at, 3) if active and d.started_at else 0.0,
            "reason": reason if name in ("Critical", "Paused", "Off", "Stopping") else "",
            "counters": None, "disk": disk.get("source", ""), "disk_controller": disk.get("bus", ""),
            "disk_format": disk.get("format", ""),
            "network": nic.get("source", ""), "ip": "", "integration_services": c.guest_agent, "kvp": {},
            "kvp_guest": {}, "heartbeat": None, "device_failures": {}, "health": health,
            "health_reason": health_reason, "cpu_percent": latest.get("cpu_percent") if latest else None,
            # libvirt's own view, beyond Bulkhead's VM model
            "uri": self.uri, "domain_type": c.type, "persistent": d.persistent, "max_memory": c.max_memory,
            "disks": c.disks, "interfaces": c.interfaces, "serial_console": c.serial,
            "managed_save": name == "Saved",
        }
        if detail and active:
            try:
                stats = self._conn.domainListGetStats(
                    [dom], lv.VIR_DOMAIN_STATS_CPU_TOTAL | lv.VIR_DOMAIN_STATS_VCPU | lv.VIR_DOMAIN_STATS_BALLOON, 0)
                s = stats[0][1] if stats else {}
            except lv.libvirtError:
                s = {}
            n = int(s.get("vcpu.current", 0) or 0)
            out["counters"] = {"backend": f"libvirt {c.type}", "cpu_ns": s.get("cpu.time", 0),
                               "vcpu_cpu_ns": [s.get(f"vcpu.{i}.time", 0) for i in range(n)],
                               "resident_bytes": s.get("balloon.rss", 0) * 1024, "exits": {}}
        return out

    def _find(self, ref: str) -> tuple[_Dom, Any]:
        if not isinstance(ref, str) or not ref:
            raise UsageError("name a VM")
        conn = self._connection()
        lv = self._lv
        dom = None
        try:
            if re.fullmatch(r"[0-9a-fA-F-]{32,36}", ref):
                try:
                    dom = conn.lookupByUUIDString(ref)
                except lv.libvirtError as e:
                    if e.get_error_code() != lv.VIR_ERR_NO_DOMAIN:
                        raise
            if dom is None:
                dom = conn.lookupByName(ref)
        except lv.libvirtError as e:
            if e.get_error_code() == lv.VIR_ERR_NO_DOMAIN:
                raise NotFound(f"no VM named '{ref}' on {self.uri}") from None
            if self._call_lost(e):
                raise ServiceUnavailable(f"{self.uri}: {one_line(e.get_error_message())}") from None
            raise libvirt_error(e, f"VM '{ref}'") from None
        d = self._known(dom.UUIDString(), dom.name())
        if not d.state:
            d.state, d.reason = self._live_state(dom)
        return d, dom

    # --- metrics, health and alerts ----------------------------------------------------------------------------
    def _sampler(self) -> None:
        next_at = time.monotonic()
        next_minute = time.time() + 60
        while not self._closed.is_set():
            next_at += self.interval
            if self._conn is not None:
                try:
                    self.tick()
                except Exception:  # one bad tick must not end sampling
                    log.exception("libvirt metrics tick failed")
            if time.time() >= next_minute:
                next_minute = time.time() + 60
                try:
                    self.metrics.roll_minute(time.time())
                except Exception:
                    log.exception("metrics minute roll-up failed")
            delay = next_at - time.monotonic()
            if delay < 0:
                next_at, delay = time.monotonic(), 0
            self._closed.wait(delay)

    STATS = ("STATE", "CPU_TOTAL", "BALLOON", "VCPU", "INTERFACE", "BLOCK")

    def tick(self, now: float | None = None) -> dict:
        """One sample: a single getAllDomainStats of the active domains, turned into rates."""
        lv = self._lv
        conn = self._conn
        if conn is None:
            return {}
        started = time.perf_counter()
        now = time.time() if now is None else now
        groups = 0
        for g in self.STATS:
            groups |= getattr(lv, "VIR_DOMAIN_STATS_" + g)
        flags = lv.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
        if self._nowait:  # a domain busy in a job (migrating, saving) must not hold up the tick
            flags |= getattr(lv, "VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT", 0)
        try:
            records = conn.getAllDomainStats(groups, flags)
        except lv.libvirtError as e:
            if self._nowait and e.get_error_code() in (lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_NO_SUPPORT):
                self._nowait = False
                return {}
            self._call_lost(e)
            return {}
        sample: dict = {"t": now, "vms": {}}
        active = set()
        for dom, raw in records:
            uid = dom.UUIDString()
            active.add(uid)
            d = self._doms.get(uid)
            values = self._rates(uid, now, raw, d)
            self.metrics.add(uid, now, values)
            sample["vms"][uid] = values
        for uid in [u for u in self._prev if u not in active]:
            self._prev.pop(uid, None)
        sample["host"] = self._host_sample(conn, now, len(records))
        self.metrics.add("host", now, sample["host"])
        self.tick_seconds.append(time.perf_counter() - started)
        del self.tick_seconds[:-600]
        self._emit("metrics", sample)
        try:
            self.alerts.evaluate(self._conditions(sample), now)
        except Exception:
            log.exception("alert evaluation failed")
        return sample

    def _rates(self, uid: str, now: float, raw: dict, d: _Dom | None) -> dict:
        prev = self._prev.get(uid)
        self._prev[uid] = (now, raw)
        values: dict[str, float | None] = {}
        if "balloon.current" in raw:
            values["memory_assigned"] = raw["balloon.current"] * 1024
        elif d is not None and d.config is not None:
            values["memory_assigned"] = getattr(d.config, "memory", None)
        if "balloon.rss" in raw:
            values["memory_resident"] = raw["balloon.rss"] * 1024
        if prev is None:
            return values
        t0, old = prev
        dt = max(now - t0, 1e-6)

        def rate(key: str) -> float | None:
            if key not in raw or key not in old:
                return None
            return max(0.0, (raw[key] - old[key]) / dt)

        config = d.config if d is not None else None
        vcpus = raw.get("vcpu.current") or (config.vcpus if config else 0) or 1
        cpu = rate("cpu.time")
        if cpu is not None:
            values["cpu_percent"] = min(100.0, 100 * cpu / 1e9 / vcpus)

        def total(prefix: str, count: str, suffix: str) -> float | None:
            n = int(raw.get(count, 0) or 0)
            rates = [rate(f"{prefix}.{i}.{suffix}") for i in range(n)]
            rates = [r for r in rates if r is not None]
            return sum(rates) if rates else None

        for metric, (prefix, suffix) in {
            "disk_read_bps": ("block", "rd.bytes"), "disk_write_bps": ("block", "wr.bytes"),
            "disk_read_iops": ("block", "rd.reqs"), "disk_write_iops": ("block", "wr.reqs"),
            "net_rx_bps": ("net", "rx.bytes"), "net_tx_bps": ("net", "tx.bytes"),
            "net_rx_fps": ("net", "rx.pkts"), "net_tx_fps": ("net", "tx.pkts"),
        }.items():
            v = total(prefix, prefix + ".count", suffix)
            if v is not None:
                values[metric] = v
        return values

    def _host_sample(self, conn, now: float, running: int) -> dict:
        lv = self._lv
        out: dict[str, float | None] = {"vms_running": running}
        if self._host_stats_ok["cpu"]:
            try:
                cpu = conn.getCPUStats(lv.VIR_NODE_CPU_STATS_ALL_CPUS, 0)
                prev, self._prev_host_cpu = self._prev_host_cpu, cpu
                if prev:
                    busy = sum(cpu.get(k, 0) - prev.get(k, 0) for k in ("kernel", "user"))
                    total = busy + cpu.get("idle", 0) - prev.get("idle", 0) + cpu.get("iowait", 0) - prev.get(
                        "iowait", 0)
                    if total > 0:
                        out["cpu_percent"] = max(0.0, min(100.0, 100 * busy / total))
            except lv.libvirtError:
                self._host_stats_ok["cpu"] = False
        if self._host_stats_ok["memory"]:
            try:
                mem = conn.getMemoryStats(lv.VIR_NODE_MEMORY_STATS_ALL_CELLS, 0)
                total = mem.get("total", 0) * 1024
                free = (mem.get("free", 0) + mem.get("buffers", 0) + mem.get("cached", 0)) * 1024
                if total:
                    out["memory_total"], out["memory_used"] = total, total - free
            except lv.libvirtError:
                self._host_stats_ok["memory"] = False
        return out

    def _conditions(self, sample: dict) -> dict:
        rules = self.alerts.rules
        out: dict = {}
        for uid, values in sample["vms"].items():
            d = self._doms.get(uid)
            name = d.name if d is not None else uid
            cpu = values.get("cpu_percent")
            if cpu is not None and cpu > rules["cpu_high"].threshold:
                out[("cpu_high", uid)] = (name, f"VM '{name}' CPU at {cpu:.0f}%", cpu)
            resident, assigned = values.get("memory_resident"), values.get("memory_assigned")
            if resident and assigned and 100 * resident / assigned > rules["vm_memory_pressure"].threshold:
                out[("vm_memory_pressure", uid)] = (name, f"VM '{name}' uses {100 * resident / assigned:.0f}% of "
                                                          "its memory", resident)
        for d in list(self._doms.values()):
            if d.state == "Critical":
                out[("vm_critical", d.uuid)] = (d.name, f"VM '{d.name}' is Critical: {d.reason}", None)
        host = sample.get("host", {})
        if host.get("memory_total"):
            used = 100 * host["memory_used"] / host["memory_total"]
            if used > rules["host_memory_pressure"].threshold:
                out[("host_memory_pressure", "host")] = ("host", f"{self.uri} memory {used:.0f}% in use", used)
        return out

    def metrics_history(self, target: str = "host", seconds: float = 60.0, metrics: list | None = None) -> dict:
        if not isinstance(seconds, (int, float)) or not 1 <= seconds <= 7 * 86400:
            raise UsageError("seconds must be between 1 and 604800")
        key = "host" if target == "host" else self._find(target)[0].uuid
        return self.metrics.history(key, float(seconds), metrics)

    def measure_vm(self, vm: str, seconds: float = 3600.0) -> dict:
        from core.hosts.metrics import measure

        d, dom = self._find(vm)
        vm_dict = self._vm_dict(dom, d)
        return {"vm": d.name, "id": d.uuid, "window_seconds": seconds,
                **measure(self.metrics_history(d.uuid, seconds)), "assigned_memory_bytes": vm_dict["memory"],
                "heartbeat": None, "health": vm_dict["health"]}

    def list_alerts(self, all: bool = False, limit: int = 200, vm: str | None = None) -> list[dict]:
        target = self._find(vm)[0].uuid if vm else None
        return self.alerts.list(include_cleared=bool(all), limit=limit, target=target)

    def list_switches(self) -> list[dict]:
        """libvirt networks, shown where the embedded host shows its virtual switches."""
        conn = self._connection()
        out = []
        try:
            nets = conn.listAllNetworks(0)
        except self._lv.libvirtError:
            return []
        users: dict[str, list[str]] = {}
        for d in list(self._doms.values()):
            for nic in (d.config.interfaces if d.config else []):
                users.setdefault(nic["source"], []).append(d.name)
        for net in nets:
            try:
                active = bool(net.isActive())
            except self._lv.libvirtError:
                active = False
            out.append({"name": net.name(), "type": "libvirt network", "active": active, "ports": [],
                        "mac_table": {}, "vms": sorted(users.get(net.name(), [])), "subnet": ""})
        return sorted(out, key=lambda n: n["name"].lower())

    def list_pools(self) -> list[dict]:
        """The host's storage pools (where vm.new's disk_size makes a volume): name, active, capacity, available
        bytes and the folder or device they keep volumes in."""
        conn = self._connection()
        lv = self._lv
        try:
            pools = conn.listAllStoragePools(0)
        except lv.libvirtError as e:
            raise libvirt_error(e, f"list the storage pools of {self.uri}") from None
        out = []
        for pool in pools:
            try:
                _state, capacity, allocation, available = pool.info()
                active = bool(pool.isActive())
                path = ET.fromstring(pool.XMLDesc(0)).findtext("target/path") or ""
            except lv.libvirtError:
                continue  # undefined while we looked
            out.append({"name": pool.name(), "active": active, "capacity": capacity, "allocation": allocation,
                        "available": available, "path": path})
        return sorted(out, key=lambda p: p["name"].lower())

    # --- jobs --------------------------------------------------------------------------------------------------
    def _job_dict(self, job) -> dict:
        d = job.to_dict()
        d["target_name"] = self._names.get(d["target"], d["target"])
        return d

    def list_jobs(self, limit: int = 50, vm: str | None = None, active: bool = False) -> list[dict]:
        target = self._find(vm)[0].uuid if vm else None
        return [self._job_dict(j) for j in self.jobs.list(limit=limit, target=target, active_only=active)]

    def get_job(self, job: int) -> dict:
        from core.hosts.jobs import JobError

        try:
            return self._job_dict(self.jobs.get(int(job)))
        except (JobError, ValueError, TypeError):
            raise NotFound(f"no job {job}") from None

    def wait_job(self, job: int, timeout: float | None = None) -> dict:
        self.get_job(job)
        return self._job_dict(self.jobs.wait(int(job), timeout))

    def cancel_job(self, job: int) -> dict:
        from core.hosts.jobs import JobError

        self.get_job(job)
        try:
            return self._job_dict(self.jobs.cancel(int(job)))
        except JobError as e:
            raise StateError(str(e)) from None

    def _job(self, title: str, d: _Dom, fn: Callable, cancellable: bool = False) -> dict:
        lv = self._lv

        def run(ctx):
            try:
                return fn(ctx)
            except lv.libvirtError as e:
                if self._call_lost(e):
                    raise OperationFailed(f"lost {self.uri}: {one_line(e.get_error_message())}") from None
                raise libvirt_error(e, f"{title} '{d.name}'") from None

        job = self.jobs.submit(title, d.uuid, run, cancellable=cancellable).to_dict()
        job["target_name"] = d.name
        return job

    def _precheck(self, d: _Dom, operation: str) -> None:
        allowed = OPERATIONS[operation]
        if d.state not in allowed:
            verb = operation.replace("_", " ")
            raise StateError(f"cannot {verb} VM '{d.name}': it is {d.state} ({verb} needs "
                             f"{' or '.join(sorted(set(allowed)))})")

    def _result(self, d: _Dom, dom) -> dict:
        d.config = None
        return self._vm_dict(dom, d)

    # --- operations (each returns a job) -----------------------------------------------------------------------
    def start_vm(self, vm: str) -> dict:
        d, dom = self._find(vm)
        self._refuse("start")
        self._precheck(d, "start")

        def run(ctx):
            dom.create()
            self._await_state(d, ("Running", "Paused"), dom)
            return self._result(d, dom)

        return self._job("Start VM", d, run)

    def stop_vm(self, vm: str, mode: str = "shut_down", timeout: float = SHUTDOWN_TIMEOUT) -> dict:
        if mode not in STOP_MODES:
            raise UsageError(f"unknown stop mode '{mode}' (choose {', '.join(STOP_MODES)})")
        d, dom = self._find(vm)
        self._precheck(d, mode)
        if mode == "turn_off":
            def turn_off(ctx):
                if d.state == "Saved":
                    dom.managedSaveRemove(0)
                    self._set_state(d, "Off", "saved state deleted")
                else:
                    dom.destroy()
                    self._await_state(d, ("Off", "Saved"), dom)
                return self._result(d, dom)

            return self._job("Turn off VM", d, turn_off)
        if mode == "save":
            def save(ctx):
                dom.managedSave(0)
                self._await_state(d, ("Saved",), dom)
                return self._result(d, dom)

            return self._job("Save VM", d, save)

        def shut_down(ctx):
            dom.shutdown()
            deadline = time.monotonic() + timeout
            while True:
                self._await_state(d, ("Off", "Saved", "Critical"), dom, timeout=0.25)
                if d.state in ("Off", "Saved", "Removed"):
                    break
                if d.state == "Critical":
                    raise OperationFailed(f"VM '{d.name}' went Critical while shutting down: {d.reason}")
                ctx.check_cancelled()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OperationFailed(f"VM '{d.name}' did not shut down within {timeout:g} s (turn it off to "
                                          "force it)")
                ctx.progress(int(100 * (1 - left / timeout)), "waiting for the guest to shut down")
            return self._result(d, dom)

        return self._job("Shut down VM", d, shut_down, cancellable=True)

    def _simple(self, vm: str, operation: str, title: str, action: Callable, expect: tuple[str, ...]) -> dict:
        d, dom = self._find(vm)
        self._precheck(d, operation)

        def run(ctx):
            action(dom)
            self._await_state(d, expect, dom)
            if operation == "reset":
                self.metrics.marker(d.uuid, "reset")
            return self._result(d, dom)

        return self._job(title, d, run)

    def pause_vm(self, vm: str) -> dict:
        return self._simple(vm, "pause", "Pause VM", lambda dom: dom.suspend(), ("Paused",))

    def resume_vm(self, vm: str) -> dict:
        return self._simple(vm, "resume", "Resume VM", lambda dom: dom.resume(), ("Running",))

    def restart_vm(self, vm: str) -> dict:
        return self._simple(vm, "reset", "Reset VM", lambda dom: dom.reset(0), ("Running", "Paused"))

    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        """Undefine a domain that is off or saved (its managed save, snapshot metadata and NVRAM go too); with
        ``delete_storage`` its writable disks are deleted as well (storage volumes through their pool)."""
        d, dom = self._find(vm)
        if d.state not in ("Off", "Saved"):
            raise StateError(f"cannot remove VM '{d.name}': it is {d.state} (turn it off first)")
        if not isinstance(delete_storage, bool):
            raise UsageError("delete_storage must be true or false")
        lv = self._lv

        def run(ctx):
            config = DomainConfig.parse(dom.XMLDesc(lv.VIR_DOMAIN_XML_INACTIVE)) if dom.isPersistent() else \
                DomainConfig.parse(dom.XMLDesc(0))
            flags = (lv.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | lv.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                     | lv.VIR_DOMAIN_UNDEFINE_NVRAM | getattr(lv, "VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA", 0))
            try:
                dom.undefineFlags(flags)
            except lv.libvirtError as e:
                if e.get_error_code() not in (lv.VIR_ERR_NO_SUPPORT, lv.VIR_ERR_INVALID_ARG,
                                              lv.VIR_ERR_ARGUMENT_UNSUPPORTED):
                    raise
                if d.state == "Saved":
                    dom.managedSaveRemove(0)
                dom.undefine()
            deleted, kept = [], []
            for disk in config.disks:
                if disk["device"] != "disk" or disk["readonly"] or not disk["source"]:
                    continue
                if delete_storage and self._delete_disk(disk["source"]):
                    deleted.append(disk["source"])
                else:
                    kept.append(disk["source"])
            self._await_state(d, ("Removed",), dom, timeout=2.0)
            if d.state != "Removed":
                self._forget(d.uuid, d.name)
            return {"id": d.uuid, "name": d.name, "deleted_files": deleted, "kept_files": kept}

        return self._job("Remove VM", d, run)

    def _delete_disk(self, path: str) -> bool:
        conn = self._conn
        lv = self._lv
        try:
            vol = conn.storageVolLookupByPath(path)
            vol.delete(0)
            return True
        except lv.libvirtError:
            pass
        if self._is_local() and os.path.isfile(path):
            try:
                os.unlink(path)
                return True
            except OSError as e:
                log.warning("cannot delete %s: %s", path, e)
        return False

    @property
    def libvirt_uri(self) -> str:
        """The URI rendered scripts connect to (bulkhead --connect URI, api.connect(uri=URI))."""
        return self.uri

    def _is_local(self) -> bool:
        return is_local_uri(self.uri)

    def set_vm(self, vm: str, **changes) -> dict:
        """Change a domain's persistent definition: name, memory and vcpus (while it is off), notes and the
        automatic start action (at any time)."""
        allowed = {"name", "memory", "vcpus", "notes", "automatic_start_action"}
        unknown = set(changes) - allowed
        if unknown:
            raise UsageError(f"'{sorted(unknown)[0]}' cannot be changed on a libvirt connection (settings: "
                             f"{', '.join(sorted(allowed))})")
        d, dom = self._find(vm)
        frozen = {k for k in changes if k in ("name", "memory", "vcpus")}
        if frozen and d.state not in ("Off",):
            raise StateError(f"cannot change {', '.join(sorted(frozen))} of VM '{d.name}' while it is {d.state}: "
                             "turn it off first")
        if "memory" in changes and (not isinstance(changes["memory"], int) or changes["memory"] < MiB):
            raise UsageError("memory must be a number of bytes, at least 1 MiB")
        if "vcpus" in changes and (not isinstance(changes["vcpus"], int) or changes["vcpus"] < 1):
            raise UsageError("vcpus must be a whole number, at least 1")
        if "automatic_start_action" in changes and changes["automatic_start_action"] not in START_ACTIONS:
            raise UsageError(f"automatic_start_action: choose {', '.join(START_ACTIONS)}")
        if "name" in changes:
            self._check_new_name(changes["name"])
        lv = self._lv

        def run(ctx):
            if "memory" in changes:
                kib = changes["memory"] // 1024
                dom.setMemoryFlags(kib, lv.VIR_DOMAIN_AFFECT_CONFIG | lv.VIR_DOMAIN_MEM_MAXIMUM)
                dom.setMemoryFlags(kib, lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "vcpus" in changes:
                dom.setVcpusFlags(changes["vcpus"], lv.VIR_DOMAIN_AFFECT_CONFIG | lv.VIR_DOMAIN_VCPU_MAXIMUM)
                dom.setVcpusFlags(changes["vcpus"], lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "notes" in changes:
                dom.setMetadata(lv.VIR_DOMAIN_METADATA_DESCRIPTION, str(changes["notes"]), None, None,
                                lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "automatic_start_action" in changes:
                dom.setAutostart(1 if changes["automatic_start_action"] == "always_start" else 0)
            if "name" in changes:
                dom.rename(changes["name"].strip(), 0)
                d.name = changes["name"].strip()
            result = self._result(d, dom)
            self._emit("vm.changed", result)
            return result

        return self._job("Change VM settings", d, run)

    def _check_new_name(self, name) -> str:
        from core.local.store import ConfigError, validate_name

        try:
            name = validate_name(name)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        try:
            self._connection().lookupByName(name)
        except self._lv.libvirtError as e:
            if e.get_error_code() == self._lv.VIR_ERR_NO_DOMAIN:
                return name
            raise
        raise UsageError(f"a VM named '{name}' already exists on {self.uri}")

    def new_vm(self, name: str, memory: int = 64 * MiB, vcpus: int = 1, image: str = "", workload: str = "idle",
               cmdline: str = "", notes: str = "", automatic_start_action: str = "start_if_running",
               automatic_stop_action: str = "save", disk: str = "", disk_controller: str = "synthetic",
               network: str = "", ip: str = "", integration_services: bool = True, start: bool = False,
               disk_size: int = 0, disk_format: str = "qcow2", pool: str = "", iso: str = "", boot: str = "",
               disk_readonly: bool = False, domain_type: str = "", arch: str = "") -> dict:
        """Define a domain from Bulkhead's settings. ``disk``: an existing disk image, or with ``disk_size`` a new
        one (a storage volume in ``pool``, default "default", when ``disk`` is empty; qemu-img at ``disk`` on this
        machine otherwise). ``iso`` (or an ``image`` ending in .iso) boots from a CD; ``boot`` is hd, cdrom or
        network. ``network``: a libvirt network name or bridge:NAME. Every VM gets a serial console."""
        conn = self._connection()
        lv = self._lv
        name = self._check_new_name(name)
        if not isinstance(memory, int) or isinstance(memory, bool) or memory < MiB:
            raise UsageError("memory must be a number of bytes, at least 1 MiB")
        if not isinstance(vcpus, int) or isinstance(vcpus, bool) or vcpus < 1:
            raise UsageError("vcpus must be a whole number, at least 1")
        info = self._facts.get("info") or conn.getInfo()
        if info[1] and memory > info[1] * MiB:
            raise UsageError(f"memory {memory // MiB} MiB is more than {self.uri} has ({info[1]} MiB)")
        if info[2] and vcpus > info[2]:
            raise UsageError(f"{vcpus} virtual processors is more than the {info[2]} logical processors of "
                             f"{self.uri}")
        if image:
            if image.lower().endswith(".iso") and not iso:
                iso = image
            else:
                raise UsageError("a libvirt VM boots what its disk or ISO holds: give iso= (or an image ending in "
                                 ".iso) or a disk; ELF images are for the embedded engine")
        if workload not in ("", "idle") or cmdline:
            raise UsageError("workload profiles and a command line are for the bundled guest of the embedded engine; "
                             "a libvirt VM runs what it boots")
        if ip:
            raise UsageError("on a libvirt connection the guest's address comes from its libvirt network")
        if automatic_start_action not in START_ACTIONS:
            raise UsageError(f"automatic_start_action: choose {', '.join(START_ACTIONS)}")
        bus = BUSES.get(disk_controller)
        if bus is None:
            raise UsageError(f"unknown disk controller '{disk_controller}' (choose {', '.join(BUSES)})")
        if boot not in ("", "hd", "cdrom", "network"):
            raise UsageError("boot must be hd, cdrom or network")
        if disk_format not in ("qcow2", "raw"):
            raise UsageError("disk_format must be qcow2 or raw")
        if not isinstance(disk_size, int) or disk_size < 0:
            raise UsageError("disk_size must be a number of bytes")
        test = str(self._facts.get("driver", "")).upper() == "TEST"
        local = self._is_local()
        new_disk = ""
        if disk and disk_size:
            if not local:
                raise UsageError("qemu-img makes new disks on this machine only; on a remote host leave disk empty "
                                 "to make a storage volume")
            if os.path.exists(disk):
                raise UsageError(f"{disk} already exists (leave disk_size out to attach it)")
            if not os.path.isdir(os.path.dirname(os.path.abspath(disk))):
                raise UsageError(f"the folder of {disk} does not exist")
            new_disk = "qemu-img"
        elif disk_size:
            pool_name = pool or "default"
            try:
                conn.storagePoolLookupByName(pool_name)
            except lv.libvirtError:
                raise UsageError(f"no storage pool '{pool_name}' on {self.uri} (define one with virsh pool-define-as, "
                                 "or give disk=PATH with disk_size to make the file with qemu-img)") from None
            new_disk = "volume"
        elif disk and local and not test and not os.path.exists(disk):
            raise UsageError(f"{disk}: no such disk image (add disk_size to create it)")
        for path, what in ((iso, "ISO"),):
            if path and local and not test and not os.path.exists(path):
                raise UsageError(f"{path}: no such {what} file")
        if network:
            if network.startswith("bridge:"):
                if len(network) == 7:
                    raise UsageError("bridge: needs the host bridge's name, e.g. bridge:br0")
            else:
                try:
                    conn.networkLookupByName(network)
                except lv.libvirtError:
                    raise UsageError(f"no libvirt network named '{network}' on {self.uri} (virsh net-list --all)") \
                        from None
        arch = arch or self._facts.get("arch") or "x86_64"
        types = self._facts.get("domain_types") or []
        if domain_type:
            if types and domain_type not in types:
                raise UsageError(f"{self.uri} offers no '{domain_type}' domains for {arch} (it offers "
                                 f"{', '.join(types)})")
        else:
            domain_type = "kvm" if "kvm" in types else (types[0] if types else "qemu")
        new_id = str(uuidlib.uuid4())
        self._names[new_id] = name

        def run(ctx):
            made = ""
            path = disk
            if new_disk == "volume":
                ctx.progress(10, "creating the disk volume")
                p = conn.storagePoolLookupByName(pool or "default")
                vol = p.createXML(volume_xml(f"{name}.{disk_format}", disk_size, disk_format), 0)
                path = made = vol.path()
            elif new_disk == "qemu-img":
                ctx.progress(10, "creating the disk with qemu-img")
                r = subprocess.run(["qemu-img", "create", "-q", "-f", disk_format, disk, str(disk_size)],
                                   capture_output=True, text=True, timeout=120)
                if r.returncode != 0:
                    raise OperationFailed(f"qemu-img: {one_line(r.stderr or r.stdout)}")
                made = disk
            fmt = disk_format if new_disk else self._disk_format(disk)
            xml = new_domain_xml(name=name, uuid=new_id, memory=memory, vcpus=vcpus, domain_type=domain_type,
                                 arch=arch, disk=path, disk_format=fmt, bus=bus, disk_readonly=disk_readonly,
                                 iso=iso, boot=boot, network=network, notes=notes,
                                 guest_agent=bool(integration_services) and domain_type in ("kvm", "qemu"))
            ctx.progress(40, "defining the domain")
            try:
                dom = conn.defineXML(xml)
            except lv.libvirtError:
                if made:
                    self._delete_disk(made)
                raise
            # the DEFINED event registers the VM and says vm.added; do it here should the event be late
            deadline = time.monotonic() + 2.0
            while new_id not in self._doms and time.monotonic() < deadline:
                time.sleep(0.01)
            if new_id not in self._doms:
                d = self._known(new_id, name)
                d.state = "Off"
                self._emit("vm.added", self._vm_dict_safe(dom))
            d = self._doms[new_id]
            if automatic_start_action == "always_start":
                dom.setAutostart(1)
            if start:
                ctx.progress(70, "starting")
                dom.create()
                self._await_state(d, ("Running", "Paused"), dom)
            return self._result(d, dom)

        job = self.jobs.submit("New VM", new_id, run).to_dict()
        job["target_name"] = name
        return job

    def _disk_format(self, path: str) -> str:
        """An existing disk's format: qemu-img's answer on this machine, else the file name's extension."""
        if self._is_local() and os.path.isfile(path) and shutil.which("qemu-img"):
            try:
                r = subprocess.run(["qemu-img", "info", "-U", "--output=json", path], capture_output=True,
                                   text=True, timeout=30)
                if r.returncode == 0:
                    fmt = json.loads(r.stdout).get("format", "")
                    if fmt in ("raw", "qcow2", "vmdk", "vpc", "vdi", "vhdx", "qed"):
                        return fmt
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        return "qcow2" if path.endswith(".qcow2") else "raw"

    # --- migration ---------------------------------------------------------------------------------------------
    def migrate_vm(self, vm: str, destination: str, live: bool = True, persistent: bool = True,
                   undefine_source: bool = True, copy_storage: bool = False, migrate_uri: str = "",
                   bandwidth_mib_s: int = 0) -> dict:
        """Peer-to-peer migration: this host's libvirtd connects to ``destination`` (a libvirt URI as seen from
        this host, e.g. qemu+ssh://host2/system or qemu+tcp://10.0.0.2/system); ``migrate_uri`` (tcp://ADDRESS)
        chooses the network the memory goes over. Progress comes from the migration job's statistics; the result
        has the time and the downtime libvirt measured."""
        self._refuse("migrate")
        destination = validate_uri(destination)
        if destination == self.uri and not urlsplit(destination).hostname:
            raise UsageError("the destination is a libvirt URI as the source host reaches it, e.g. "
                             "qemu+ssh://otherhost/system (qemu:///system would be this host again)")
        if urlsplit(destination).scheme == "test":
            raise UsageError("a test driver URI cannot be a migration destination")
        if migrate_uri and not re.fullmatch(r"(tcp|rdma|unix)://\S+", migrate_uri):
            raise UsageError("migrate_uri looks like tcp://ADDRESS[:PORT]")
        for key, v in (("live", live), ("persistent", persistent), ("undefine_source", undefine_source),
                       ("copy_storage", copy_storage)):
            if not isinstance(v, bool):
                raise UsageError(f"{key} must be true or false")
        if not isinstance(bandwidth_mib_s, int) or bandwidth_mib_s < 0:
            raise UsageError("bandwidth_mib_s must be a whole number of MiB/s")
        d, dom = self._find(vm)
        self._precheck(d, "migrate")
        lv = self._lv
        flags = lv.VIR_MIGRATE_PEER2PEER
        if live:
            flags |= lv.VIR_MIGRATE_LIVE
        if persistent:
            flags |= lv.VIR_MIGRATE_PERSIST_DEST
        if undefine_source:
            flags |= lv.VIR_MIGRATE_UNDEFINE_SOURCE
        if copy_storage:
            flags |= lv.VIR_MIGRATE_NON_SHARED_DISK
        params: dict = {}
        if migrate_uri:
            params[lv.VIR_MIGRATE_PARAM_URI] = migrate_uri
        if bandwidth_mib_s:
            params[lv.VIR_MIGRATE_PARAM_BANDWIDTH] = bandwidth_mib_s

        def run(ctx):
            self._completed.pop(d.uuid, None)
            outcome: dict = {}

            def go() -> None:
                try:
                    dom.migrateToURI3(destination, params, flags)
                except Exception as e:  # noqa: BLE001 - handed to the job thread
                    outcome["error"] = e

            started = time.monotonic()
            t = threading.Thread(target=go, name="libvirt-migrate", daemon=True)
            t.start()
            aborted = False
            last: dict = {}
            while t.is_alive():
                t.join(0.1)
                if ctx.cancelled and not aborted:
                    aborted = True
                    try:
                        dom.abortJob()
                    except lv.libvirtError:
                        pass
                try:
                    stats = dom.jobStats(0)
                except lv.libvirtError:
                    continue
                if stats.get("type", 0) in (lv.VIR_DOMAIN_JOB_NONE,):
                    continue
                last = stats
                total = stats.get("data_total") or stats.get("memory_total") or 0
                done = stats.get("data_processed") or stats.get("memory_processed") or 0
                if total:
                    pct = min(99, int(100 * done / total))
                    ctx.progress(pct, f"migrating: {done / MiB:.1f} of {total / MiB:.1f} MiB, pass "
                                      f"{stats.get('memory_iteration', 0) or 1}")
            elapsed = time.monotonic() - started
            if "error" in outcome:
                if aborted:
                    from core.hosts.jobs import JobCancelled

                    raise JobCancelled("cancelled")
                e = outcome["error"]
                if isinstance(e, lv.libvirtError):
                    raise libvirt_error(e, f"migrate VM '{d.name}' to {destination}")
                raise OperationFailed(f"migrate VM '{d.name}': {e}")
            deadline = time.monotonic() + 10.0  # the job-completed event can lag on a busy host
            while d.uuid not in self._completed and time.monotonic() < deadline:
                time.sleep(0.02)
            stats = self._completed.get(d.uuid)
            if stats is None:
                try:
                    stats = dom.jobStats(lv.VIR_DOMAIN_JOB_STATS_COMPLETED)
                except lv.libvirtError:
                    stats = last
            downtime = stats.get("downtime")
            result = {"vm": d.name, "id": d.uuid, "source": self.uri, "destination": destination,
                      "live": live, "persistent": persistent, "undefine_source": undefine_source,
                      "copy_storage": copy_storage, "time_seconds": round(elapsed, 3),
                      "job_time_ms": stats.get("time_elapsed"), "downtime_ms": downtime,
                      "downtime_net_ms": stats.get("downtime_net"), "setup_time_ms": stats.get("setup_time"),
                      "data_total_bytes": stats.get("data_total"), "data_processed_bytes": stats.get("data_processed"),
                      "memory_iterations": stats.get("memory_iteration"),
                      "downtime_source": "libvirt job statistics (downtime)" if downtime is not None else
                      "not reported"}
            result["message"] = (f"migrated to {destination} in {elapsed:.2f} s" +
                                 (f", downtime {downtime} ms" if downtime is not None else ""))
            # the VM has left this host (or stays defined here, off): shown before the job reports success,
            # from the lifecycle events or, should they lag, from libvirt itself
            gone = undefine_source or not d.persistent
            self._await_state(d, ("Removed",) if gone else ("Off",), dom, timeout=10.0)
            ctx.progress(100, result["message"])
            return result

        return self._job("Migrate VM", d, run, cancellable=True)


# what a client can call (the same names and parameters as core/service/host.py METHODS where they exist)
METHODS: dict[str, str] = {
    "host.info": "host_info",
    "host.capabilities": "host_capabilities",
    "connection.status": "connection_status",
    "vm.list": "list_vms",
    "vm.show": "get_vm",
    "vm.new": "new_vm",
    "vm.set": "set_vm",
    "vm.start": "start_vm",
    "vm.stop": "stop_vm",
    "vm.pause": "pause_vm",
    "vm.resume": "resume_vm",
    "vm.restart": "restart_vm",
    "vm.remove": "remove_vm",
    "vm.migrate": "migrate_vm",
    "vm.measure": "measure_vm",
    "metrics.history": "metrics_history",
    "alert.list": "list_alerts",
    "alert.ack": "ack_alert",
    "alert.clear": "clear_alert",
    "alert.rules": "alert_rules",
    "alert.rules.set": "set_alert_rules",
    "switch.list": "list_switches",
    "pool.list": "list_pools",
    "vm.console.history": "console_history",
    "vm.console.send": "console_send",
    "job.list": "list_jobs",
    "job.show": "get_job",
    "job.wait": "wait_job",
    "job.cancel": "cancel_job",
}
NOT_HERE = {
    "vm.kvp.set": "libvirt domains have no Bulkhead key-value pairs",
    "switch.new": "networks of a libvirt host are libvirt networks (virsh net-define)",
    "switch.remove": "networks of a libvirt host are libvirt networks (virsh net-undefine)",
    "host.stop": "a libvirt host's daemon is not Bulkhead's to stop",
}
