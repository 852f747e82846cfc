"""Moving a VM (the Migrate Virtual Machine wizard and its migration view): the hosts' ratings, the VM's measured
load and description, the precheck, the prediction, the move itself (a job on the source) and the storage move on
one host (a libvirt domain's migration is ``vm.migrate``). Each is a HostOp against the *source* host's session;
the destination is a host's connection (another session's ``conn``), taken on the GUI thread when the operation is
made and used only in the worker. Every call blocks on both hosts, so none of it ever runs on the GUI thread."""

from __future__ import annotations

from core import api
from gui.i18n import translate
from gui.operations import HostOp


def _destination(dst):
    if dst is None:
        raise api.BulkheadError(translate("MoveOperations", "the destination host is not connected"))
    return dst


def rate(session, vm: str, candidates: list[tuple[str, object]], goal: str = "balance",
         weights: dict | None = None, load: dict | None = None, owner=None) -> HostOp:
    """Ratings of ``candidates`` ([(name, connection)]) for moving ``vm`` from the session's host, best first (the
    shape of core.api.rate_hosts: stars, explanation, transfer_type, memory_free, cpu_history, "index" into
    ``candidates``). ``load`` overrides the VM's measured load (Customize Ratings)."""
    names = [name for name, _c in candidates]
    conns = [c for _n, c in candidates]

    def work(conn):
        return api.rate_hosts(conn, vm, conns, goal=goal, weights=weights, load=load or None, names=names)

    return HostOp(session, work, title=translate("MoveOperations", "Cannot rate the hosts"), target=vm, owner=owner,
                  key=f"rate:{vm}")


def vm_load(session, vm: str, owner=None) -> HostOp:
    """The VM's measured load as the ratings use it ({memory_bytes, vcpus, cpu_percent, disk_bytes, disk_iops,
    network_mbps}; None where nothing was measured)."""
    return HostOp(session, lambda conn: api.placement.vm_load(conn, vm),
                  title=translate("MoveOperations", "Cannot read the VM's load"), target=vm, owner=owner)


def describe(session, vm: str, owner=None) -> HostOp:
    """The VM as a move sees it: {name, state, memory, vcpus, disks: [{path, size, ...}], network_adapters:
    [{switch}], image, kind}."""
    return HostOp(session, lambda conn: api.placement.describe(conn, vm),
                  title=translate("MoveOperations", "Cannot describe the VM"), target=vm, owner=owner)


def precheck(session, vm: str, dst, type: str = "auto", path: str = "", network_map: dict | None = None,
             bandwidth: float | None = None, owner=None, key: str | None = None) -> HostOp:
    """{"type", "type_reason", "rows": [{severity, topic, text, hint}], "ok", "errors", "warnings", "bandwidth",
    "bandwidth_source"} of moving ``vm`` to the host of ``dst``. ``key``: at most one in flight (a page that
    checks again as its fields change)."""
    def work(conn):
        return conn.move_precheck(vm, _destination(dst), type=type, path=path, network_map=network_map or None,
                                  bandwidth=bandwidth or None)

    return HostOp(session, work, title=translate("MoveOperations", "Cannot check the move"), target=vm, owner=owner,
                  key=key)


def predict(session, vm: str, dst, type: str = "auto", bandwidth: float | None = None, downtime_limit: float = 0.05,
            copy_bytes: int | None = None, owner=None, key: str | None = None) -> HostOp:
    """The predicted total time, data sent, rounds and downtime of the move, and whether it converges
    (Connection.move_predict), from the VM's dirty rate now; ``key`` keeps one in flight (the summary asks each
    second)."""
    def work(conn):
        return conn.move_predict(vm, _destination(dst), type=type, bandwidth=bandwidth or None,
                                 downtime_limit=downtime_limit, copy_bytes=copy_bytes)

    return HostOp(session, work, title=translate("MoveOperations", "Cannot predict the move"), target=vm,
                  owner=owner, key=key)


def move(session, vm: dict, dst, type: str = "auto", path: str = "", network_map: dict | None = None,
         bandwidth: int = 0, downtime_limit: float = 0.05, auto_converge: bool = True, owner=None) -> HostOp:
    """Move ``vm`` to the host of ``dst``: the source's job ("Migrate VM"), followed by the session."""
    def work(conn, name):
        return conn.move_vm(name, _destination(dst), type=type, path=path, network_map=network_map or None,
                            bandwidth=int(bandwidth), downtime_limit=float(downtime_limit),
                            auto_converge=bool(auto_converge))

    return HostOp(session, work, vm["name"], title=translate("MoveOperations", "Cannot migrate"),
                  target=vm.get("name", ""), owner=owner)


def move_storage(session, vm: dict, path: str, bandwidth: int = 0, owner=None) -> HostOp:
    """Move the VM's virtual hard disk to the folder ``path`` of its own host while it runs, as a job."""
    return HostOp(session, lambda conn, name: conn.move_storage(name, path, bandwidth=int(bandwidth)), vm["name"],
                  title=translate("MoveOperations", "Cannot move the storage"), target=vm.get("name", ""),
                  owner=owner)
