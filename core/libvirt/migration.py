"""Live migration of a domain to another libvirt host (peer to peer), as a cancellable job with progress from the
migration job's statistics and the time and downtime libvirt measured in its result."""

from __future__ import annotations

import re
import threading
import time
from urllib.parse import urlsplit

from core.hosts.jobs import JobCancelled
from core.hosts.registry import implements, require
from core.model.errors import OperationFailed, UsageError

from .connections import validate_uri
from .errors import MiB, libvirt_error


class MigrationMixin:
    """vm.migrate of a LibvirtTransport."""

    @implements("vm.migrate")
    def migrate_vm(self, vm: str, destination: str, live: bool = True, persistent: bool = True,
                   undefine_source: bool = True, copy_storage: bool = False, migrate_uri: str = "",
                   bandwidth_mib_s: int = 0) -> dict:
        """Peer-to-peer migration: this host's libvirtd connects to ``destination`` (a libvirt URI as seen from
        this host, e.g. qemu+ssh://host2/system or qemu+tcp://10.0.0.2/system); ``migrate_uri`` (tcp://ADDRESS)
        chooses the network the memory goes over. Progress comes from the migration job's statistics; the result
        has the time and the downtime libvirt measured."""
        require(self, "migrate")
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
