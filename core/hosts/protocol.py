"""The contract every kind of host keeps (typing.Protocol), and the optional features a host may have.

A host is an object the registry can dispatch to (core/hosts/registry.py): its methods are marked with
``@implements("...")``, it has a ``kind`` ("bulkhead" or "libvirt") and it answers the calls below. Optional
features are further protocols; ``core.hosts.registry.capabilities`` says which a host has, with reasons.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable

from core.model.limits import HostLimits


@runtime_checkable
class HostBackend(Protocol):
    """What every kind of host does: VMs and their lifecycle, jobs, events, metrics, alerts."""

    kind: str  # "bulkhead" (the embedded engine's host service) or "libvirt"

    def refusal(self, capability: str) -> str | None:
        """Why this host cannot do ``capability`` (a key of core.model.methods.CAPABILITIES), or None."""

    def limits(self) -> HostLimits: ...

    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]: ...

    def list_vms(self) -> list[dict]: ...

    def get_vm(self, vm: str) -> dict: ...

    def new_vm(self, **spec) -> dict: ...

    def set_vm(self, vm: str, **changes) -> dict: ...

    def start_vm(self, vm: str) -> dict: ...

    def stop_vm(self, vm: str, mode: str = "shut_down", timeout: float = 60.0) -> dict: ...

    def pause_vm(self, vm: str) -> dict: ...

    def resume_vm(self, vm: str) -> dict: ...

    def restart_vm(self, vm: str) -> dict: ...

    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict: ...

    def list_jobs(self, limit: int = 50, vm: str | None = None, active: bool = False) -> list[dict]: ...

    def get_job(self, job: int) -> dict: ...

    def wait_job(self, job: int, timeout: float | None = None) -> dict: ...

    def cancel_job(self, job: int) -> dict: ...


@runtime_checkable
class SwitchHost(Protocol):
    def list_switches(self) -> list[dict]: ...

    def new_switch(self, name: str, type: str = "private") -> dict: ...

    def remove_switch(self, name: str) -> dict: ...


@runtime_checkable
class DiskFileHost(Protocol):
    def new_disk(self, path: str, size: int, kind: str = "dynamic") -> dict: ...


@runtime_checkable
class PoolHost(Protocol):
    def list_pools(self) -> list[dict]: ...


@runtime_checkable
class SerialConsoleHost(Protocol):
    def console_history(self, vm: str) -> str: ...

    def console_send(self, vm: str, data: str) -> int: ...


@runtime_checkable
class MigrationHost(Protocol):
    def migrate_vm(self, vm: str, destination: str, **options: Any) -> dict: ...


@runtime_checkable
class CheckpointHost(Protocol):
    """Checkpoints (snapshots): filled in by the checkpoint work."""

    def list_checkpoints(self, vm: str) -> list[dict]: ...


@runtime_checkable
class ImportHost(Protocol):
    """Import of exported or converted VMs: filled in by the export/import and conversion work."""

    def import_vm(self, path: str, **options: Any) -> dict: ...


FEATURES = {"switches": SwitchHost, "new_disk": DiskFileHost, "pools": PoolHost, "console": SerialConsoleHost,
            "migrate": MigrationHost, "checkpoints": CheckpointHost, "import": ImportHost}
