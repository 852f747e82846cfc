"""Several VMs of one host moved in one go to one host (the wizard opened on a multi-selection): their combined
load for the ratings, the precheck and the prediction of each VM, and the moves run one after another (each its
own job on the source, so that no two share the link). Every question to a host is a HostOp (off the GUI thread);
the run follows each job in the session's job model (no waiting on the GUI thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from core import api
from gui import operations as ops
from gui.i18n import translate
from gui.operations import HostOp
from gui.tasks import describe

from .ratings import DEFAULTS

ENDED = ("Completed", "Failed", "Cancelled")
FOLLOW_MS = 200


def combined_load(loads: list[dict]) -> dict:
    """The load of several VMs placed together, as rate_hosts' ``load`` takes it: memory, disk space, disk I/O and
    network summed (SCVMM's default where a VM's was not measured); CPU as the busy processors summed, given on the
    widest VM's processor count (a host's per-VM processor limit is not the VMs' total)."""
    def value(load: dict, key: str) -> float:
        v = load.get(key)
        return float(v) if isinstance(v, (int, float)) else float(DEFAULTS[key])

    vcpus = max((int(load.get("vcpus") or 1) for load in loads), default=1)
    busy = sum(value(load, "cpu_percent") * int(load.get("vcpus") or 1) for load in loads)
    return {"memory_bytes": int(sum(int(load.get("memory_bytes") or 0) for load in loads)), "vcpus": vcpus,
            "cpu_percent": min(100.0, busy / vcpus),
            "disk_bytes": int(sum(value(load, "disk_bytes") for load in loads)),
            "disk_iops": sum(value(load, "disk_iops") for load in loads),
            "network_mbps": sum(value(load, "network_mbps") for load in loads)}


def load(session, names: list[str], owner=None) -> HostOp:
    """The VMs' combined measured load (combined_load)."""
    return HostOp(session, lambda conn: combined_load([api.placement.vm_load(conn, n) for n in names]),
                  title=translate("BulkMove", "Cannot read the VMs' load"), owner=owner)


def rate(session, names: list[str], candidates: list[tuple[str, object]], goal: str = "balance",
         weights: dict | None = None, given: dict | None = None, owner=None) -> HostOp:
    """One rate_hosts call for all the VMs: their combined load (or ``given``, Customize Ratings) placed at once."""
    labels = [name for name, _c in candidates]
    conns = [c for _n, c in candidates]

    def work(conn):
        combined = given or combined_load([api.placement.vm_load(conn, n) for n in names])
        return api.rate_hosts(conn, names[0], conns, goal=goal, weights=weights, load=combined, names=labels)

    return HostOp(session, work, title=translate("BulkMove", "Cannot rate the hosts"), owner=owner,
                  key="rate:bulk")


def describe_all(session, names: list[str], owner=None) -> HostOp:
    """The VMs as one move sees them: every disk, and their network adapters' switches (the union, once each)."""
    def work(conn):
        out = {"name": names[0], "disks": [], "network_adapters": [], "vms": {}}
        seen = set()
        for n in names:
            d = api.placement.describe(conn, n)
            out["vms"][n] = d
            out["disks"] += list(d.get("disks") or [])
            for a in d.get("network_adapters") or []:
                if a.get("switch") and a["switch"] not in seen:
                    seen.add(a["switch"])
                    out["network_adapters"].append(a)
        return out

    return HostOp(session, work, title=translate("BulkMove", "Cannot describe the VMs"), owner=owner)


def precheck(session, params: dict[str, dict], dst, owner=None, key: str | None = None) -> HostOp:
    """The precheck of each VM (``params``: name -> move_precheck's parameters), as one answer: every row with its
    VM's name before its text ("vm": the name), "types": name -> (type, reason), "ok" only if all are."""
    def work(conn):
        if dst is None:
            raise api.BulkheadError(translate("MoveOperations", "the destination host is not connected"))
        return conn.move_precheck_many(params, dst)  # each VM's rows, then their combined memory

    return HostOp(session, work, title=translate("BulkMove", "Cannot check the moves"), owner=owner, key=key)


def predict(session, params: dict[str, dict], dst, owner=None, key: str | None = None) -> HostOp:
    """Each VM's prediction (``params``: name -> move_predict's parameters) and their total: the moves run one
    after another, so their times and data add up; the longest downtime is the one a VM sees."""
    def work(conn):
        if dst is None:
            raise api.BulkheadError(translate("MoveOperations", "the destination host is not connected"))
        per = {name: conn.move_predict(name, dst, **p) for name, p in params.items()}

        def total(key):
            values = [p.get(key) for p in per.values()]
            return sum(values) if all(isinstance(v, (int, float)) for v in values) else None

        downtimes = [p.get("downtime_s") for p in per.values() if isinstance(p.get("downtime_s"), (int, float))]
        return {"per_vm": per, "total_s": total("total_s"), "data_bytes": total("data_bytes"),
                "rounds": total("rounds"), "downtime_s": max(downtimes) if downtimes else None,
                "converges": all(p.get("converges") is not False for p in per.values())}

    return HostOp(session, work, title=translate("BulkMove", "Cannot predict the moves"), owner=owner, key=key)


class BulkRun(QObject):
    """The moves, one after another: ``start(name)`` -> the HostOp that starts that VM's move; each job followed in
    the session's job model until it ends, then the next. ``cancel()`` cancels the running job and skips the
    rest."""

    changed = Signal()  # a VM's state in the run changed
    started_job = Signal(object, str)  # a move's job (dict) and its VM
    done = Signal()

    def __init__(self, session, names: list[str], start, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = list(names)
        self.start_op = start
        self.states = {n: "waiting" for n in names}  # waiting, starting, running, Completed, Failed, Cancelled, skipped
        self.errors: dict[str, str] = {}
        self.jobs: dict[str, int] = {}
        self.current: str | None = None
        self.cancelled = False
        self._timer = QTimer(self, interval=FOLLOW_MS, timeout=self._follow)

    def run(self) -> None:
        self._next()

    def finished(self) -> bool:
        return all(s not in ("waiting", "starting", "running") for s in self.states.values())

    def _next(self) -> None:
        name = next((n for n in self.names if self.states[n] == "waiting"), None)
        self.current = name
        if name is None or self.cancelled:
            self._timer.stop()
            for n in self.names:
                if self.states[n] == "waiting":
                    self.states[n] = "skipped"
            self.changed.emit()
            self.done.emit()
            return
        self.states[name] = "starting"
        self.changed.emit()
        self.start_op(name).success(lambda job, n=name: self._started(n, job)).failure(
            lambda e, n=name: self._ended(n, "Failed", describe(e))).run()

    def _started(self, name: str, job: dict) -> None:
        self.jobs[name] = job.get("id")
        self.states[name] = "running"
        self.started_job.emit(job, name)
        self.changed.emit()
        if self.cancelled:
            self._cancel_job(name)
        self._timer.start()

    def _follow(self) -> None:
        name = self.current
        if name is None or self.states.get(name) != "running":
            return
        job = self.session.jobs_model.job(self.jobs[name]) or {}
        if job.get("state") in ENDED:
            self._ended(name, job["state"], str(job.get("error") or ""))

    def _ended(self, name: str, state: str, error: str = "") -> None:
        self._timer.stop()
        self.states[name] = state
        if error:
            self.errors[name] = error
        self.changed.emit()
        self._next()

    def cancel(self) -> None:
        """Cancel the running move (its VM carries on at the source) and skip the ones not started."""
        self.cancelled = True
        if self.current is not None and self.states.get(self.current) == "running":
            self._cancel_job(self.current)
        elif self.current is None or self.states.get(self.current) != "starting":
            self._next()

    def _cancel_job(self, name: str) -> None:
        ops.jobs.cancel(self.session, self.jobs[name], owner=self).failure(lambda _e: None).run()
