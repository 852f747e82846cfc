"""The hypervisor layer: picks the backend (KVM, or emulation where KVM is unusable) and creates partitions."""

from __future__ import annotations

import itertools
import logging
import os
import threading

from .capability import HostCapabilities, probe
from .errors import BackendUnavailable
from .partition import Partition, PartitionConfig

log = logging.getLogger(__name__)

BACKENDS = ("auto", "kvm", "emulation")


class Hypervisor:
    """Owns the backend and the partitions of one host. ``backend`` is auto, kvm or emulation; the environment
    variable BULKHEAD_BACKEND sets the default."""

    def __init__(self, backend: str | None = None, kvm_path: str = "/dev/kvm") -> None:
        choice = (backend or os.environ.get("BULKHEAD_BACKEND") or "auto").lower()
        if choice not in BACKENDS:
            raise ValueError(f"unknown backend '{choice}' (choose {', '.join(BACKENDS)})")
        self.capabilities: HostCapabilities = probe(kvm_path)
        self.notice = ""
        if choice in ("auto", "kvm") and self.capabilities.kvm_usable:
            from .backend_kvm import KvmBackend

            self.backend = KvmBackend(kvm_path)
        elif choice == "kvm":
            raise BackendUnavailable(f"KVM is not usable: {self.capabilities.kvm_problem}")
        else:
            from .backend_unicorn import UnicornBackend

            self.backend = UnicornBackend()
            if choice == "auto":
                self.notice = (f"KVM is not usable ({self.capabilities.kvm_problem}); "
                               "partitions run under CPU emulation, much slower than hardware virtualization")
                log.warning(self.notice)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.partitions: dict[int, Partition] = {}

    def create_partition(self, config: PartitionConfig) -> Partition:
        with self._lock:
            partition = Partition(config, next(self._ids), self.backend)
            self.partitions[partition.id] = partition
            return partition

    def remove_partition(self, partition: Partition) -> None:
        partition.close()
        with self._lock:
            self.partitions.pop(partition.id, None)

    def shutdown(self) -> None:
        for partition in list(self.partitions.values()):
            partition.close()
        self.partitions.clear()
        self.backend.close()
