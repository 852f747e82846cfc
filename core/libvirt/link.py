"""The link to the libvirt host: connecting in the background with a timeout, the connection state (connecting,
connected, disconnected with the reason), reconnecting with a growing pause when it is lost, and the folder this
URI's job history, metrics and alerts are kept in."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.model.errors import ServiceUnavailable

from .domxml import caps_domain_types, caps_host
from .errors import one_line

log = logging.getLogger(__name__)


class LinkMixin:
    """Connecting, reconnecting and the state folder of a LibvirtTransport."""

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

    # --- the connection's state --------------------------------------------------------------------------------
    def status(self) -> dict:
        with self._lock:
            return dict(self._status)

    def reconnect(self) -> None:
        """Try to connect now instead of after the pause."""
        self._wake.set()

    def _offline(self) -> str:
        """Why this connection cannot reach its host now ("qemu:///system is disconnected: ..."); "" if it can."""
        if self._closed.is_set():
            return f"the connection to {self.uri} is closed"
        status = self._status
        if status["state"] == "connected" and self._conn is not None:
            return ""
        return f"{self.uri} is {status['state']}" + (f": {status['reason']}" if status["reason"] else "")

    def _settle(self, wait: float | None = None) -> None:
        """While connecting, wait up to ``wait`` (connect_timeout) for the outcome."""
        wait = self.connect_timeout if wait is None else wait
        deadline = time.monotonic() + wait
        with self._status_cond:
            while self._conn is None and self._status["state"] == "connecting" and time.monotonic() < deadline:
                self._status_cond.wait(deadline - time.monotonic())

    def _set_status(self, state: str, reason: str = "") -> None:
        with self._status_cond:
            if self._status["state"] == state and self._status["reason"] == reason:
                return
            self._status = {"state": state, "reason": one_line(reason), "uri": self.uri, "since": time.time()}
            snapshot = dict(self._status)
            self._status_cond.notify_all()
        self._emit("connection.status", snapshot)

    # --- connecting --------------------------------------------------------------------------------------------
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
        types = facts["domain_types"]
        facts["domain_type"] = "kvm" if "kvm" in types else (types[0] if types else "qemu")
        try:  # the most vCPUs a domain of the default type may have (host.limits)
            facts["max_vcpus"] = int(conn.getMaxVcpus(facts["domain_type"]))
        except (lv.libvirtError, TypeError, ValueError):
            facts["max_vcpus"] = 0
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
        self._settle(wait)
        with self._status_cond:
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
