"""The thin controller: one typed Python API for the console, the command line and user scripts.

    from core import api
    with api.connect() as conn:                 # the local host service, started on first use
        job = conn.new_vm("web1", memory="256M", vcpus=2, workload="cpu:25", start=True)
        job.wait(check=True)
        for vm in conn.vms():
            print(vm.name, vm.state)

``api.connect(embedded=True)`` runs a host service inside this process instead (tests, single use). Every
state-changing call returns a Job at once; ``conn.script(method, **params)`` renders what a call would do as a
command line and a Python script without doing it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from core.model.errors import BulkheadError, NotFound, OperationFailed, StateError, UsageError
from core.model.limits import HostLimits
from core.model.spec import SETTING, VmSpec

from .checkpoints import CheckpointMethods
from .export_import import ExportImportMethods
from .export_ova import ExportOvaMethods
from .script import Script, render, render_steps  # noqa: F401 - render is public


def __getattr__(name: str):
    """``api.placement`` and ``api.rate_hosts(vm_conn, vm, candidates, goal, weights)`` load on first use: placement
    brings the move's ratings, prechecks and predictions (and TLS), which `bulkhead vm list` does without."""
    if name in ("placement", "rate_hosts"):
        import importlib

        placement = importlib.import_module(f"{__name__}.placement")  # sets api.placement: asked only once
        return placement if name == "placement" else placement.rate_hosts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["BulkheadError", "Connection", "HostLimits", "Job", "NotFound", "OperationFailed", "Script", "StateError",
           "UsageError", "Vm", "connect"]

FINISHED = ("Completed", "Failed", "Cancelled")


def _from_dict(cls, d: dict):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Vm:
    id: str
    name: str
    state: str
    folder: str = ""
    memory: int = 0
    vcpus: int = 0
    image: str = ""
    workload: str = ""
    cmdline: str = ""
    notes: str = ""
    automatic_start_action: str = ""
    automatic_stop_action: str = ""
    created: float = 0.0
    uptime: float = 0.0
    reason: str = ""
    counters: dict | None = None
    disk: str = ""
    disk_controller: str = ""
    disk_format: str = ""
    network: str = ""
    ip: str = ""
    integration_services: bool = True
    kvp: dict = field(default_factory=dict)
    kvp_guest: dict = field(default_factory=dict)
    heartbeat: str | None = None
    device_failures: dict = field(default_factory=dict)
    health: str = ""
    health_reason: str = ""
    cpu_percent: float | None = None
    saved_state_problem: str = ""  # a damaged saved state was set aside: why
    checkpoints: int = 0  # how many checkpoints the VM has
    checkpoint: str = ""  # the name of the one its current state descends from ("Now" hangs under it)
    activity: int | None = None  # a brief list's stand-in for the counters: moves while the guest does anything

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Job:
    id: int
    name: str
    target: str
    state: str
    progress: int = 0
    message: str = ""
    error: str | None = None
    result: Any = None
    created: float = 0.0
    started: float | None = None
    ended: float | None = None
    cancellable: bool = False
    target_name: str = ""
    _conn: Connection | None = field(default=None, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def wait(self, timeout: float | None = None, check: bool = False) -> Job:
        """Block until the job ends (or ``timeout``); with ``check``, a failed job raises OperationFailed."""
        job = self._conn.wait_job(self.id, timeout) if self._conn else self
        if check and job.state == "Failed":
            raise OperationFailed(job.error or f"job {job.id} failed")
        if check and job.state == "Cancelled":
            raise OperationFailed(f"job {job.id} was cancelled")
        return job

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}


def _bytes(value, what: str = "memory") -> int:
    """A size given as bytes or text such as "512M" or "16G"; ``what`` names it in the one-line error."""
    if isinstance(value, str):
        from core.model.units import parse_size

        try:
            return parse_size(value)
        except ValueError as e:
            raise UsageError(f"{what}: {e}") from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"{what} must be a size like '512M' or a number of bytes (got {value!r})")
    return value


class Connection(CheckpointMethods, ExportOvaMethods, ExportImportMethods):  # checkpoints.py, export_*.py
    def __init__(self, transport, description: str) -> None:
        self._transport = transport
        self.description = description

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def call(self, method: str, **params) -> Any:
        """The raw protocol call (every typed method below goes through it)."""
        return self._transport.call(method, params)

    # --- host --------------------------------------------------------------------------------------------------
    def host_info(self) -> dict:
        return self.call("host.info")

    def browse(self, path: str = "", kinds: list[str] | None = None, limit: int = 2000) -> dict:
        """One folder of the host (``path`` is the host's, absolute; "" for its default folder): {"path", "parent",
        "free_bytes", "total_bytes", "entries": [{"name", "type": dir|file|link|other, "size", "mtime"}],
        "truncated"}. Folders are always listed; ``kinds`` keeps the files ending in one of its extensions
        ([".vhd", ".iso"]), or none with ["dir"]."""
        return self.call("host.browse", path=path, kinds=kinds, limit=limit)

    # --- VMs ---------------------------------------------------------------------------------------------------
    def vms(self, brief: bool = False) -> list[Vm]:
        """Every VM. ``brief``: without the running VMs' counters and guest KVP (``vm()`` has them), a third of the
        bytes for a long list; ``activity`` stands in for the counters."""
        return [_from_dict(Vm, d) for d in (self.call("vm.list", brief=True) if brief else self.call("vm.list"))]

    def vm(self, name: str) -> Vm:
        return _from_dict(Vm, self.call("vm.show", vm=name))

    def new_vm(self, name: str, memory: int | str = "64M", vcpus: int = 1, start: bool = False, **settings) -> Job:
        """Create a VM from the settings of core.model.spec.SETTINGS: ``workload``, ``image``, ``cmdline``,
        ``notes``, the automatic actions, ``disk`` (a virtual hard disk, see ``bulkhead disk new``) on the
        ``synthetic`` (VMBus) or ``emulated`` (IDE) ``disk_controller``, ``network`` (a virtual switch), ``ip``,
        ``integration_services``; ``start`` starts it once created.

        On a libvirt host also: ``disk_size`` (a new disk made in the VM's job: a volume in ``pool``, or with
        ``disk`` a qemu-img file on this machine), ``disk_format`` (qcow2 or raw), ``pool``, ``boot`` (hd, cdrom
        or network), ``disk_readonly``, ``domain_type`` (kvm or qemu), ``arch``; ``image`` may be an ISO."""
        unknown = sorted(set(settings) - set(SETTING))
        if unknown:
            raise UsageError(f"new_vm: unknown parameter {', '.join(unknown)}")
        values = {k: _bytes(v, k) if SETTING[k].type == "size" else v for k, v in settings.items()}
        spec = VmSpec(name=name, memory=_bytes(memory), vcpus=vcpus, start=start, **values)
        return self._job("vm.new", **spec.params())

    def set_vm(self, vm: str, **changes) -> Job:
        """Change settings (names as in core.model.spec.SETTINGS); what needs the VM off is refused while it runs."""
        for key in changes:
            if key in SETTING and SETTING[key].type == "size" and changes[key] is not None:
                changes[key] = _bytes(changes[key], key)
        return self._job("vm.set", vm=vm, **changes)

    def start_vm(self, vm: str) -> Job:
        return self._job("vm.start", vm=vm)

    def stop_vm(self, vm: str, mode: str = "shut_down") -> Job:
        """mode: shut_down (ask the guest), turn_off (pull the plug) or save (as Stop-VM -Save)."""
        return self._job("vm.stop", vm=vm, mode=mode)

    def pause_vm(self, vm: str) -> Job:
        return self._job("vm.pause", vm=vm)

    def resume_vm(self, vm: str) -> Job:
        return self._job("vm.resume", vm=vm)

    def restart_vm(self, vm: str) -> Job:
        return self._job("vm.restart", vm=vm)

    def remove_vm(self, vm: str, delete_storage: bool = False) -> Job:
        """delete_storage: also delete the VM's virtual hard disks (on libvirt, its writable volumes and files)."""
        return self._job("vm.remove", vm=vm, **({"delete_storage": True} if delete_storage else {}))

    def migrate_vm(self, vm: str, destination: str, live: bool = True, persistent: bool = True,
                   undefine_source: bool = True, copy_storage: bool = False, migrate_uri: str = "") -> Job:
        """Live migration between libvirt connections; the job's result states time and downtime."""
        return self._job("vm.migrate", vm=vm, destination=destination, live=live, persistent=persistent,
                         undefine_source=undefine_source, copy_storage=copy_storage, migrate_uri=migrate_uri)

    def move_storage(self, vm: str, path: str, delete_source: bool = False, bandwidth: int | str = 0) -> Job:
        """Move the VM's virtual hard disk into the host's folder ``path`` while it runs (Move-VMStorage); the old
        file is kept (the job's result says where) unless it was in the VM's own folder or ``delete_source``."""
        return self._job("vm.move.storage", vm=vm, path=path, delete_source=delete_source,
                         bandwidth=_bytes(bandwidth, "bandwidth") if bandwidth else 0)

    def move_vm(self, vm: str, to, type: str = "auto", path: str = "", network_map: dict | None = None,
                bandwidth: int | str = 0, downtime_limit: float = 0.05, auto_converge: bool = True,
                via: str = "auto", predict: bool = True) -> Job:
        """Move a VM to another Bulkhead host (``to``: a Connection or URI): live, quick or (an Off VM) a network
        copy; the source's job ("Migrate VM"), its result with the downtime (and the prediction beside it):
        core/api/move.py."""
        from . import move

        return move.move_vm(self, vm, to, type=type, path=path, network_map=network_map,
                            bandwidth=_bytes(bandwidth, "bandwidth") if bandwidth else 0,
                            downtime_limit=downtime_limit, auto_converge=auto_converge, via=via, predict=predict)

    def resolve_move(self, vm: str, to) -> Job:
        """End a move to ``to`` that was not confirmed: released here if the VM is there, else resumed here."""
        from . import move

        return move.resolve_move(self, vm, to)

    def convert_vm(self, source: str, name: str = "", path: str = "", network_map: dict | None = None,
                   dry_run: bool = False, notes: str = "") -> Job | dict:
        """Convert a VM of another platform (a .vmx, .ovf/.ova, .vbox, libvirt or Hyper-V XML on the host): with
        ``dry_run`` the parsed source, the plan and the report (nothing written), else the "Convert VM" job.
        ``notes``: the new VM's notes ("" keeps the source's)."""
        from . import convert

        return convert.convert_vm(self, source, name=name, path=path, network_map=network_map, dry_run=dry_run,
                                  notes=notes)

    def scan_physical(self, from_: str = "") -> dict:
        """Scan a physical machine (this host's own "", or ``ssh://user@host[:port]`` from the host): {source,
        scan} (core/api/convert_physical.py)."""
        from . import convert_physical

        return convert_physical.scan_physical(self, from_)

    def convert_physical(self, from_: str = "", disks=(), name: str = "", path: str = "",
                         network_map: dict | None = None, dry_run: bool = False, freeze: bool = False,
                         notes: str = "", vhd_type: str = "dynamic") -> Job | dict:
        """Convert a physical machine: capture ``disks`` (device paths or image files on it) into a VM, Off; with
        ``dry_run`` the scan, the plan and the report (nothing written), else the "Convert physical server" job.
        ``notes``: the new VM's notes; ``vhd_type``: "dynamic" or "fixed" virtual hard disks."""
        from . import convert_physical

        return convert_physical.convert_physical(self, from_, disks=disks, name=name, path=path,
                                                 network_map=network_map, dry_run=dry_run, freeze=freeze, notes=notes,
                                                 vhd_type=vhd_type)

    def capabilities(self) -> dict:
        """What this host can do: {capability: bool, ..., "reasons": {capability: why not}} (keys in
        core.model.methods.CAPABILITIES)."""
        return self.call("host.capabilities")

    def limits(self) -> HostLimits:
        """This host's limits (memory, processors, command line), for checking input before sending it."""
        return HostLimits.from_dict(self.call("host.limits"))

    def reconnect(self) -> None:
        """Ask a connection that lost its host to try again now (libvirt connections retry on their own too)."""
        fn = getattr(self._transport, "reconnect", None)
        if fn:
            fn()

    def status(self) -> dict:
        """{"state": "connecting" | "connected" | "disconnected", "reason": ...}"""
        return self.call("connection.status")

    def kvp_set(self, vm: str, key: str, value: str | None) -> Job:
        """Push a key-value pair the guest can read (None deletes it)."""
        return self._job("vm.kvp.set", vm=vm, key=key, value=value)

    # --- metrics, health and alerts ----------------------------------------------------------------------------
    def metrics_history(self, target: str = "host", seconds: float = 60, metrics: list[str] | None = None) -> dict:
        """{"t": [...], "series": {metric: [...]}, "markers": [...], "resolution": ...} for a VM (name) or "host"."""
        return self.call("metrics.history", target=target, seconds=seconds, metrics=metrics)

    def measure_vm(self, vm: str, seconds: float = 3600) -> dict:
        """Averages and totals of a VM's resource use over a window, like Measure-VM."""
        return self.call("vm.measure", vm=vm, seconds=seconds)

    def move_precheck(self, vm: str, to, **options) -> dict:
        """The precheck's rows of moving ``vm`` to ``to`` (a Connection or URI): core/api/placement.py."""
        from . import placement
        return placement.move_precheck(self, vm, to, **options)

    def move_precheck_many(self, params: dict, to) -> dict:
        """The precheck of moving several VMs (name -> move_precheck's options) to one host ``to``, with their
        combined memory checked against its free memory: core/api/placement.py ``bulk_precheck``."""
        from . import placement
        return placement.bulk_precheck(self, params, to)

    def move_predict(self, vm: str, to, **options) -> dict:
        """The predicted time, data, rounds and downtime of moving ``vm`` to ``to``: core/api/placement.py."""
        from . import placement
        return placement.move_predict(self, vm, to, **options)

    def alerts(self, include_cleared: bool = False, vm: str | None = None, limit: int = 200) -> list[dict]:
        return self.call("alert.list", all=include_cleared, vm=vm, limit=limit)

    def acknowledge_alert(self, alert_id: int) -> dict:
        return self.call("alert.ack", alert=alert_id)

    def clear_alert(self, alert_id: int) -> dict:
        return self.call("alert.clear", alert=alert_id)

    def alert_rules(self) -> list[dict]:
        return self.call("alert.rules")

    def set_alert_rules(self, rules: list[dict]) -> list[dict]:
        """Change rules, e.g. [{"id": "cpu_high", "threshold": 80, "duration": 30}]; all or nothing."""
        return self.call("alert.rules.set", rules=rules)

    def new_disk(self, path: str, size: int | str, kind: str = "dynamic") -> Job:
        """Create a virtual hard disk on the host: VHD dynamic (default) or fixed, or raw. Never overwrites."""
        return self._job("disk.new", path=path, size=_bytes(size, "size"), kind=kind)

    # --- virtual switches --------------------------------------------------------------------------------------
    def switches(self) -> list[dict]:
        return self.call("switch.list")

    def storage_pools(self) -> list[dict]:
        """A libvirt host's storage pools (name, active, capacity, allocation, available, path): where
        new_vm(disk_size=...) makes a volume. The embedded host has none: its disks are files."""
        return self.call("pool.list")

    def new_switch(self, name: str, type: str = "private") -> Job:
        """Create a virtual switch, as a job. type: private (VMs only) or internal (VMs and the parent
        partition); the job's result is the switch as switches() lists it."""
        return self._job("switch.new", name=name, type=type)

    def remove_switch(self, name: str) -> Job:
        """Delete a virtual switch no VM uses, as a job."""
        return self._job("switch.remove", name=name)

    def rename_switch(self, name: str, new_name: str) -> Job:
        """Rename a virtual switch, as a job; the VMs connected to it stay connected under the new name."""
        return self._job("switch.rename", name=name, new_name=new_name)

    def console_history(self, vm: str) -> str:
        return self.call("vm.console.history", vm=vm)

    def console_send(self, vm: str, data: str) -> int:
        return self.call("vm.console.send", vm=vm, data=data)

    # --- jobs --------------------------------------------------------------------------------------------------
    def jobs(self, limit: int = 50, vm: str | None = None, active: bool = False) -> list[Job]:
        return [self._wrap(d) for d in self.call("job.list", limit=limit, vm=vm, active=active)]

    def job(self, job_id: int) -> Job:
        return self._wrap(self.call("job.show", job=job_id))

    def wait_job(self, job_id: int, timeout: float | None = None) -> Job:
        # long waits go in slices so one request never holds the connection for minutes
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = 5.0 if deadline is None else max(0.0, min(5.0, deadline - time.monotonic()))
            job = self._wrap(self.call("job.wait", job=job_id, timeout=step))
            if job.finished or (deadline is not None and time.monotonic() >= deadline):
                return job

    def cancel_job(self, job_id: int) -> Job:
        return self._wrap(self.call("job.cancel", job=job_id))

    # --- events and scripts ------------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        """callback(kind, data) on a background thread for vm.added, vm.removed, vm.state, vm.changed,
        vm.console and job.* events; returns the function that unsubscribes."""
        return self._transport.subscribe(callback)

    def script(self, method: str, **params) -> Script:
        """The command line and Python script that do what ``method`` with ``params`` would do."""
        return self.script_steps([(method, params)])

    def script_steps(self, steps: list[tuple[str, dict]]) -> Script:
        """View Script of several operations in order (e.g. disk.new, then vm.new): one command line per step
        and one Python script."""
        return render_steps([(method, self._sizes(dict(params))) for method, params in steps], uri=self.uri)

    @property
    def uri(self) -> str:
        """The URI that reaches this host from another process ("" for the local host service)."""
        return getattr(self._transport, "uri", "") or ""

    @staticmethod
    def _sizes(params: dict) -> dict:
        for key, what in (("memory", "memory"), ("disk_size", "disk_size"), ("size", "size")):
            if params.get(key):
                params[key] = _bytes(params[key], what)
        return params

    def _job(self, method: str, **params) -> Job:
        job = self._wrap(self.call(method, **params))
        return job

    def _wrap(self, d: dict) -> Job:
        job = _from_dict(Job, d)
        job._conn = self
        return job


def connect(home: str | None = None, *, embedded: bool = False, backend: str | None = None,
            autostart: bool = True, uri: str | None = None) -> Connection:
    """Connect to the local host service (started on first use), or with ``embedded`` run one in this process, or
    with ``uri`` to a remote Bulkhead host (bulkhead+ssh://user@host, bulkhead+tls://host:16600; see
    core/remote/uri.py) or a libvirt host (qemu:///system, qemu+ssh://user@host/system, test:///default ...).
    ``home`` (or BULKHEAD_HOME) chooses the store and socket folder."""
    from core.hosts.paths import HostPaths

    if uri and uri.strip().lower().startswith(("bulkhead+ssh:", "bulkhead+tls:")):
        from core.remote import connect_remote

        transport = connect_remote(uri)
        return Connection(transport, f"Bulkhead host {transport.target.display}")
    paths = HostPaths.resolve(home)
    if uri:
        from core.libvirt import connect_libvirt

        return Connection(connect_libvirt(uri, paths.data), f"libvirt {uri}")
    if embedded:
        from core.local.host import HostService

        from .transport import EmbeddedTransport

        return Connection(EmbeddedTransport(HostService(paths, backend)), f"embedded host ({paths.data})")
    from .transport import open_socket

    return Connection(open_socket(paths, autostart=autostart), f"local host service ({paths.socket})")


# --- saved connections of every kind (the hosts `bulkhead host add|remove|list` keeps) ----------------------------
def _is_remote(uri: object) -> bool:
    return isinstance(uri, str) and uri.strip().lower().startswith(("bulkhead+ssh:", "bulkhead+tls:"))


def describe_uri(uri: str) -> tuple[str, str, str]:
    """(the URI as saved, its kind "bulkhead"|"libvirt", its default display name), or UsageError (one line). A
    bulkhead+ssh:// or bulkhead+tls:// URI is checked by core.remote (core.libvirt is not imported for it)."""
    if _is_remote(uri):
        from core.remote import parse_uri

        target = parse_uri(uri)
        return target.uri, "bulkhead", target.display.split("://", 1)[1]
    from core.libvirt.connections import describe

    return describe(uri)


def _connection_store(home: str | None):
    from core.hosts.connections import ConnectionStore
    from core.hosts.paths import HostPaths

    return ConnectionStore(HostPaths.resolve(home).data, check=describe_uri)


def saved_connections(home: str | None = None) -> list[dict]:
    """[{"uri", "kind", "name", "group", "added"}] for every saved connection (remote Bulkhead hosts, libvirt)."""
    return _connection_store(home).list()


def add_connection(uri: str, name: str = "", group: str = "", home: str | None = None) -> dict:
    """Save a connection (bulkhead+ssh://, bulkhead+tls:// or a libvirt URI); UsageError if the URI is bad, already
    saved, or the name is taken. Nothing connects."""
    return _connection_store(home).add(uri, name=name, group=group)


def remove_connection(ref: str, home: str | None = None) -> dict:
    return _connection_store(home).remove(ref)


def is_local_uri(uri: str) -> bool:
    """A libvirt URI whose host is this machine (its disk files are files here); never a remote Bulkhead host."""
    if _is_remote(uri):
        return False
    from core.libvirt.connections import is_local_uri as local

    return local(uri)


def check_uri(uri: str) -> str:
    """The URI if Bulkhead can connect with it (a remote Bulkhead host or a libvirt host); UsageError (one line)
    saying what is wrong otherwise."""
    return describe_uri(uri)[0]


def test_connection(uri: str, timeout: float = 10.0) -> dict:
    """Connect once, wait up to ``timeout`` s for an answer, close: {"state": "connected"|"disconnected", "reason",
    "uri", "kind", "hypervisor", "vms", "version", "connect_ms", "latency_ms"} (the facts where the host gave them).
    A bad URI is a UsageError; a host that cannot be reached is a "disconnected" answer with the reason. What a
    connection test before saving shows; it blocks, so call it off a GUI thread."""
    uri = check_uri(uri)
    started = time.monotonic()
    if _is_remote(uri):
        status = _test_remote(uri, timeout)
    else:
        status = _test_libvirt(uri, timeout)
    status.setdefault("uri", uri)
    status["kind"] = "bulkhead" if _is_remote(uri) else "libvirt"
    status.setdefault("connect_ms", round((time.monotonic() - started) * 1000, 1))
    return status


def _test_remote(uri: str, timeout: float) -> dict:
    from core.remote import connect_remote

    try:
        t = connect_remote(uri, connect_timeout=timeout)
    except BulkheadError as e:
        return {"state": "disconnected", "reason": str(e)}
    try:
        started = time.monotonic()
        info = t.call("host.info")
        status = t.status()
        status.setdefault("latency_ms", round((time.monotonic() - started) * 1000, 2))
        status.update(hypervisor=info.get("backend_description", ""), vms=info.get("vms"),
                      version=info.get("version", ""), connect_ms=round(t.connect_seconds * 1000, 1))
        return status
    except BulkheadError as e:
        return {"state": "disconnected", "reason": str(e)}
    finally:
        t.close()


def _test_libvirt(uri: str, timeout: float) -> dict:
    from core.libvirt import connect_libvirt

    try:  # no data folder: its job history and metrics go to a temporary folder removed at close()
        t = connect_libvirt(uri, None, connect_timeout=timeout, wait=0.0, tick=3600)
    except BulkheadError as e:
        return {"state": "disconnected", "reason": str(e)}
    try:
        deadline = time.monotonic() + timeout
        while t.status()["state"] == "connecting" and time.monotonic() < deadline:
            time.sleep(0.05)
        status = t.status()
        if status["state"] == "connected":
            started = time.monotonic()
            info = t.host_info()
            status.update(hypervisor=info["backend_description"], vms=info["vms"], version=info.get("version", ""),
                          latency_ms=round((time.monotonic() - started) * 1000, 2))
        elif status["state"] == "connecting":
            status = {"state": "disconnected", "reason": f"no answer from {uri} within {timeout:g} s"}
        return status
    finally:
        t.close()


test_connection.__test__ = False  # a function of the API, not a test for pytest to collect from an import


def tls_identity(pkipath: str | None = None, home: str | None = None) -> dict:
    """This machine's client certificate for bulkhead+tls:// (in ``pkipath``, else the default certificate folder):
    {"present": bool, "folder": str, "how": the command that makes one present}. Reads the file system only."""
    from core.hosts.certs import Pki, pki_dir

    pki = Pki(pkipath or pki_dir(home))
    present = pki.client_cert.exists() and pki.client_key.exists() and pki.ca_cert.exists()
    return {"present": present, "folder": str(pki.folder), "how": "bulkhead host certs import DIR"}
