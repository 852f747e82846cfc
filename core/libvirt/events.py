"""State from libvirt's events: lifecycle, reboot and job-completed callbacks are queued by libvirt's event loop
thread and handled by one worker thread, which keeps each domain's state and tells the listeners (vm.added,
vm.state, vm.changed, vm.removed exactly once each)."""

from __future__ import annotations

import logging
import time
from typing import Any

from .domains import Dom
from .errors import state_name

log = logging.getLogger(__name__)

GONE_MEMORY = 120.0  # seconds a removed domain's UUID is remembered, to drop late lifecycle events about it
MARKERS = {"Running": "running", "Paused": "paused", "Saved": "saved", "Off": "off", "Critical": "critical"}
# what changes by itself in a VM dict: not a reason to tell vm.changed again
VOLATILE = ("uptime", "cpu_percent", "counters", "health", "health_reason")


class EventsMixin:
    """Lifecycle events and the event worker of a LibvirtTransport."""

    def _tell(self, kind: str, dom) -> None:
        self._tell_dict(kind, self._vm_dict_safe(dom))

    def _tell_dict(self, kind: str, data: dict) -> None:
        """vm.added or vm.changed; a vm.changed that says nothing new is not told again (libvirt tells each step
        of a change, a rename as undefined and defined, and the operation that made the change tells its outcome)."""
        uid = data.get("id", "")
        seen = {k: v for k, v in data.items() if k not in VOLATILE}
        with self._lock:
            if kind == "vm.changed" and self._told.get(uid) == seen:
                return
            self._told[uid] = seen
        self._emit(kind, data)

    def _job_event(self, kind: str, job: dict) -> None:
        self._emit(kind, self.named_job(dict(job)))

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
            if detail == getattr(E, "VIR_DOMAIN_EVENT_UNDEFINED_RENAMED", -1):
                return  # the same domain, renamed: its DEFINED (renamed) event follows
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
                self._tell("vm.changed", dom)
            return
        if event == E.VIR_DOMAIN_EVENT_DEFINED:
            is_new = uid not in self._doms
            d = self._known(uid, name)
            d.config, d.name, d.persistent = None, name, True
            if is_new:
                d.state, d.reason = self._live_state(dom)
                self._tell("vm.added", dom)
            elif uid not in self._changing:  # vm.set tells its outcome once
                self._tell("vm.changed", dom)
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
                self._tell("vm.added", dom)
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

    def _known(self, uid: str, name: str) -> Dom:
        with self._lock:
            d = self._doms.get(uid)
            if d is None:
                d = self._doms[uid] = Dom(uid, name)
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
            self._told.pop(uid, None)
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

    def _set_state(self, d: Dom, state: str, reason: str = "") -> None:
        with d.state_changed:
            if d.state == state and d.reason == reason:
                return
            changed = d.state != state
            d.state, d.reason = state, reason
            d.state_changed.notify_all()
        if changed and state in MARKERS:
            self.metrics.marker(d.uuid, MARKERS[state])
        self._emit("vm.state", {"id": d.uuid, "name": d.name, "state": state, "reason": reason})

    def _await_state(self, d: Dom, states: tuple[str, ...], dom, timeout: float = 5.0) -> None:
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
        return state_name(self._lv, state, reason, saved)

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
                    self._tell("vm.added", dom)
            else:
                self._set_state(d, *state)
            if uid in self._console_wanted and d.state in ("Running", "Paused"):
                self._open_console(d, dom)

