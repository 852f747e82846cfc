"""What every kind of host answers the same way, mixed into each host class: jobs (with the name of their
target), alerts, capabilities and limits. The host class provides ``jobs`` (a JobManager), ``alerts`` (an
AlertManager), ``vm_target(ref)`` (the job and alert target of a VM reference) and ``target_name(target)``."""

from __future__ import annotations

from typing import Callable

from core.model.errors import NotFound, StateError
from core.model.limits import HostLimits

from .events import EventSource
from .jobs import JobError
from .registry import capabilities, implements


class HostBase(EventSource):
    kind = "bulkhead"
    describe_kind = ""

    # --- to be provided by the host --------------------------------------------------------------------------
    def vm_target(self, ref: str) -> str:
        raise NotImplementedError

    def target_name(self, target: str) -> str:
        return ""

    def refusal(self, capability: str) -> str | None:
        return None

    def limits(self) -> HostLimits:
        return HostLimits()

    # --- capabilities and limits ------------------------------------------------------------------------------
    @implements("host.capabilities")
    def host_capabilities(self) -> dict:
        return self.capabilities()

    def capabilities(self) -> dict:
        return capabilities(self)

    @implements("connection.status")
    def connection_status(self) -> dict:
        return self.status()

    def status(self) -> dict:
        """{"state": "connecting" | "connected" | "disconnected", "reason": ...}: a host in this process or
        reached over a socket that answers is connected."""
        return {"state": "connected", "reason": ""}

    @implements("host.limits")
    def host_limits(self) -> dict:
        return self.limits().to_dict()

    # --- jobs --------------------------------------------------------------------------------------------------
    def named_job(self, job: dict) -> dict:
        """A job as clients see it: with ``target_name``, the name of what it works on (a VM's current name, a
        switch's, a disk file's)."""
        if not job.get("target_name"):
            name = self.target_name(str(job.get("target", "")))
            if name:
                job = job | {"target_name": name}
        return job

    def submit_job(self, title: str, target: str, fn: Callable, cancellable: bool = False,
                   target_name: str = "") -> dict:
        job = self.jobs.submit(title, target, fn, cancellable=cancellable).to_dict()
        if target_name:
            job["target_name"] = target_name
        return self.named_job(job)

    @implements("job.list")
    def list_jobs(self, limit: int = 50, vm: str | None = None, active: bool = False) -> list[dict]:
        target = self.vm_target(vm) if vm else None
        return [self.named_job(j.to_dict()) for j in self.jobs.list(limit=limit, target=target, active_only=active)]

    @implements("job.show")
    def get_job(self, job: int) -> dict:
        try:
            return self.named_job(self.jobs.get(job).to_dict())
        except JobError:
            raise NotFound(f"no job {job}", code="job.not_found", job=job) from None

    @implements("job.wait")
    def wait_job(self, job: int, timeout: float | None = None) -> dict:
        self.get_job(job)
        return self.named_job(self.jobs.wait(job, timeout).to_dict())

    @implements("job.cancel")
    def cancel_job(self, job: int) -> dict:
        self.get_job(job)
        try:
            return self.named_job(self.jobs.cancel(job).to_dict())
        except JobError as e:
            raise StateError(str(e)) from None

    # --- alerts ------------------------------------------------------------------------------------------------
    @implements("alert.list")
    def list_alerts(self, all: bool = False, limit: int = 200, vm: str | None = None) -> list[dict]:
        target = self.vm_target(vm) if vm else None
        return self.alerts.list(include_cleared=all, limit=limit, target=target)

    @implements("alert.ack")
    def ack_alert(self, alert: int) -> dict:
        return self.alerts.acknowledge(alert)

    @implements("alert.clear")
    def clear_alert(self, alert: int) -> dict:
        return self.alerts.clear(alert)

    @implements("alert.rules")
    def alert_rules(self) -> list[dict]:
        return self.alerts.list_rules()

    @implements("alert.rules.set")
    def set_alert_rules(self, rules: list) -> list[dict]:
        return self.alerts.set_rules(rules)


