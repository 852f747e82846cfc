"""A Connection's transport to a libvirt host: the same methods, VM dicts, jobs, events and metric names as the
embedded host service (core/local), served from libvirt, through the one method registry (core/hosts/registry.py).

LibvirtTransport is composed of one part per seam:

- link.py: connecting in the background with a timeout (``status()``: connecting, connected or disconnected with
  the reason), reconnecting on its own with a growing pause, the state folder of the URI;
- events.py: libvirt's lifecycle events (one process-wide thread runs libvirt's event loop) and the event worker;
- console.py: the serial console through ``virDomainOpenConsole`` with a non-blocking stream;
- domains.py: host.info, VM dicts, networks and pools;
- stats.py: what the shared sampler (core/hosts/sampler.py) reads each tick: one ``getAllDomainStats``;
- operations.py: lifecycle jobs, checked against core.model.states.OPERATIONS first;
- provisioning.py: vm.new, vm.set, disk.new;  migration.py: vm.migrate;  errors.py: libvirt errors, state names.

What this connection cannot do is refused with the reason (``refusal``), and ``capabilities()`` says so.
"""

from __future__ import annotations

import collections
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.hosts.alerts import AlertManager
from core.hosts.base import HostBase
from core.hosts.jobs import JobManager
from core.hosts.metrics import MetricsStore
from core.hosts.registry import call_json, capabilities
from core.hosts.sampler import Sampler
from core.model.errors import BulkheadError, ServiceUnavailable, Unavailable
from core.model.limits import HostLimits
from core.model.methods import METHODS

from .browse import BrowseMixin
from .connections import is_local_uri, validate_uri
from .console import ConsoleMixin
from .convert import ConvertMixin
from .domains import Dom, DomainsMixin
from .errors import MiB, libvirt_error, load, one_line, state_name
from .events import EventsMixin
from .link import LinkMixin
from .migration import MigrationMixin
from .operations import OperationsMixin
from .provisioning import ProvisioningMixin
from .snapshots import SnapshotsMixin
from .stats import StatsMixin

__all__ = ["LibvirtTransport", "libvirt_error", "one_line", "state_name"]

# what no libvirt host does, and why
REFUSED = {
    "kvp": "libvirt domains have no Bulkhead key-value pairs",
    "switches": "networks of a libvirt host are libvirt networks (virsh net-define)",
    "host_stop": "a libvirt host's daemon is not Bulkhead's to stop",
    "move_storage": "libvirt moves a domain's disks itself: virsh blockcopy DOMAIN DISK DEST --pivot",
    "convert_physical": "capture the machine onto a Bulkhead host (bulkhead convert physical --to URI); its disks "
                        "then convert to this host with bulkhead convert vm",
    "export_ova": "export the domain's disks with qemu-img, or move it to a Bulkhead host first",
    "export": "export libvirt domains with virsh dumpxml and their disk files, or convert them to a Bulkhead host",
}
# what libvirt's test driver (test:///default) does not do
TEST_DRIVER_REFUSED = {"migrate": "the test driver cannot migrate", "console": "the test driver has no serial consoles"}
WORKS_OFFLINE = ("metrics",)  # the history is kept here


class LibvirtTransport(LinkMixin, EventsMixin, ConsoleMixin, DomainsMixin, StatsMixin, OperationsMixin,
                       ProvisioningMixin, MigrationMixin, BrowseMixin, ConvertMixin, SnapshotsMixin, HostBase):
    """``call(method, params)``, ``subscribe(callback)`` and ``close()`` like the other transports."""

    kind = "libvirt"
    describe_kind = "libvirt connections"

    def __init__(self, uri: str, data_dir: str | os.PathLike | None = None, *, connect_timeout: float = 10.0,
                 wait: float = 3.0, tick: float | None = None, retry_max: float = 30.0) -> None:
        self.uri = validate_uri(uri)
        self.connect_timeout = connect_timeout
        self.retry_max = retry_max
        self.started_at = time.time()
        self._lv = load()
        self._init_events()
        self._lock = threading.RLock()
        self._doms: dict[str, Dom] = {}
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
        self._events: collections.deque = collections.deque()
        self._events_cond = threading.Condition()
        self._gone: dict[str, float] = {}  # uuid -> when it was forgotten (late events about it are dropped)
        self._told: dict[str, dict] = {}  # uuid -> what vm.added / vm.changed last told of it
        self._changing: set[str] = set()  # uuids a vm.set job is changing now
        self._state_dir, self._lockfile = self._open_state_dir(data_dir)
        self.jobs = JobManager(self._state_dir / "jobs.sqlite", on_event=self._job_event)
        self.metrics = MetricsStore(self._state_dir / "metrics.sqlite")
        self.alerts = AlertManager(self._state_dir, self._emit)
        # one getAllDomainStats per tick (stats.py), rates, history, the metrics event and alerts
        self.sampler = Sampler(self._read_stats, self.metrics, interval=tick, emit=self._emit, alerts=self.alerts,
                               name="libvirt-metrics")
        self._prev = self.sampler._previous  # the domains' last counters: events and reconnects forget them
        self._threads = [threading.Thread(target=self._supervise, name="libvirt-connect", daemon=True),
                         threading.Thread(target=self._event_worker, name="libvirt-event-worker", daemon=True)]
        for t in self._threads:
            t.start()
        self.sampler.start()
        deadline = time.monotonic() + max(0.0, min(wait, 5.0))  # never freeze the caller for long
        with self._status_cond:
            while self._status["state"] == "connecting" and time.monotonic() < deadline:
                self._status_cond.wait(deadline - time.monotonic())

    # --- the transport interface -------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None) -> Any:
        """A protocol call through the registry (argument checks, refusals with reasons, one-line errors)."""
        declared = METHODS.get(method) if isinstance(method, str) else None
        if declared is not None and declared.capability is not None:
            self._settle()  # while connecting, a capability is not refused as "connecting" before its time
        return self._dispatch(method, params)

    def _dispatch(self, method: str, params: dict | None) -> Any:
        try:
            return call_json(self, method, params)
        except Unavailable as e:
            offline = self._offline()
            if offline and str(e) == offline:  # not a usage error: the host is away
                raise ServiceUnavailable(offline, code="host.offline", uri=self.uri) from None
            raise

    def convert_error(self, e: Exception) -> BulkheadError | None:
        """libvirt's errors as one-line BulkheadErrors (the registry asks for every non-Bulkhead exception)."""
        if isinstance(e, self._lv.libvirtError):
            return libvirt_error(e)
        return None

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        self._wake.set()
        with self._events_cond:
            self._events_cond.notify_all()
        self.sampler.stop()
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

    # --- the host contract: refusals, capabilities, limits, targets ---------------------------------------------
    def _test_driver(self) -> bool:
        driver = self._facts.get("driver") or ("TEST" if urlsplit(self.uri).scheme == "test" else "QEMU")
        return driver.upper() == "TEST"

    def refusal(self, capability: str) -> str | None:
        """Why this connection cannot do ``capability`` (core.model.methods.CAPABILITIES) now, or None."""
        if capability == "browse":  # the local file system answers while the daemon is away
            return self.browse_refusal()
        why = REFUSED.get(capability)
        if why is None and capability in TEST_DRIVER_REFUSED and self._test_driver():
            why = TEST_DRIVER_REFUSED[capability]
        if why is None and capability == "new_disk":
            why = self._no_disk_files()
        if why is None and capability == "convert":
            why = self.convert_refusal()
        if why is None and capability == "checkpoints":
            why = self.checkpoints_refusal()
        if why is None and capability not in WORKS_OFFLINE:
            why = self._offline() or None
        return why

    def _no_disk_files(self) -> str | None:
        """Why disk.new cannot make a disk file for this host: it is not on this machine, or qemu-img is missing."""
        with_vm = "make the disk as a storage volume with its VM: vm new NAME --disk-size SIZE --pool POOL (host " \
                  "pools lists the pools)"
        if self._test_driver():
            return f"the test driver has no disk files: {with_vm}"
        if not self._is_local():
            return f"{self.uri} is another machine, where qemu-img cannot make a file: {with_vm}"
        if shutil.which("qemu-img") is None:
            return "qemu-img makes disks for libvirt hosts and it is not installed on this machine (apt-get install " \
                   "qemu-utils)"
        return None

    def capabilities(self) -> dict:
        """What this connection can do: {capability: bool, ..., "reasons": {capability: why not}}, with
        "connected" and, when it is not, the "reason"."""
        out = capabilities(self)
        offline = self._offline()
        out["connected"] = not offline
        if offline:
            out["reason"] = offline
        return out

    def limits(self) -> HostLimits:
        """The host's memory and logical processors (getInfo), and the most vCPUs of its default domain type;
        memory in whole MiB; libvirt domains take no guest command line."""
        if not self._facts:
            self._connection()
        f = self._facts
        info = f.get("info") or [None] * 8
        memory, cpus, most = info[1] or 0, info[2] or 0, f.get("max_vcpus") or 0
        vcpus = min(n for n in (cpus, most) if n) if (cpus or most) else HostLimits.vcpus_max
        if cpus and vcpus == cpus:
            vcpus_reason = f"{self.uri} has {cpus} logical processors"
        else:
            vcpus_reason = f"{f.get('domain_type', 'its')} domains of {self.uri} have at most {vcpus} vCPUs"
        return HostLimits(memory_min=MiB, memory_max=memory * MiB if memory else HostLimits.memory_max,
                          memory_step=MiB, vcpus_max=vcpus, cmdline_max=0,
                          memory_reason=f"{self.uri} has {memory:,} MiB" if memory else "",
                          vcpus_reason=vcpus_reason)

    def vm_target(self, ref: str) -> str:
        return self._find(ref)[0].uuid

    def target_name(self, target: str) -> str:
        """The last name seen of a VM (job history outlives VMs), a disk's file name."""
        name = self._names.get(target)
        if name:
            return name
        return Path(target).name if target.startswith("/") else target

    @property
    def libvirt_uri(self) -> str:
        """The URI rendered scripts connect to (bulkhead --connect URI, api.connect(uri=URI))."""
        return self.uri

    def _is_local(self) -> bool:
        return is_local_uri(self.uri)
