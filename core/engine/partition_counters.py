"""A partition's counters: per-vCPU exits and port accesses, vCPU CPU time, the guest clock, and the raw numbers
the metrics sampler turns into rates; part of ``Partition``."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from core.model.states import VmState

SAMPLER = "metrics"  # the sampler's name among the dirty tracker's consumers
FEW_DIRTY_PAGES = 64  # written since the last sample: too few to have grown the resident memory much
RESIDENT_MAX_AGE = 10.0  # seconds a resident count stands while the guest writes only a few pages


@dataclass
class VcpuCounters:
    exits: Counter = field(default_factory=Counter)
    ports: Counter = field(default_factory=Counter)
    cpu_ns_done: int = 0  # CPU time of threads that have ended in this run


class PartitionCounters:
    """Mixin of ``Partition``: what it measures about itself."""

    def guest_clock_ns(self) -> int:
        origin = self._clock_origin
        return self._clock_frozen if origin is None else time.monotonic_ns() - origin

    def vcpu_cpu_ns(self) -> list[int]:
        """Measured CPU time of each vCPU thread in this run (guest execution plus its exit handling)."""
        out = []
        for i, c in enumerate(self.counters):
            live = 0
            t = self._threads[i] if i < len(self._threads) else None
            if t is not None and t.is_alive() and t.ident is not None:
                try:
                    live = time.clock_gettime_ns(time.pthread_getcpuclockid(t.ident))
                except (OSError, ProcessLookupError):
                    live = 0
            out.append(c.cpu_ns_done + live)
        return out

    def sample(self) -> dict | None:
        """The raw cumulative numbers the metrics sampler turns into rates; None when nothing runs. The dirty page
        count is the pages written since the previous sample (the sampler is one consumer of ``self.dirty``)."""
        machine, memory = self.machine, self.memory
        if machine is None or memory is None or not memory.address:
            return None
        ports: Counter = Counter()
        exits = 0
        for c in self.counters:
            ports.update(c.ports)
            exits += sum(c.exits.values())
        disk = dict(self.ide.stats) if self.ide is not None else {}
        net: dict = {}
        vmbus_packets = doorbells = 0
        if self.vmbus is not None:
            for ch in self.vmbus.channels.values():
                vmbus_packets += ch.counters["packets_in"] + ch.counters["packets_out"]
                doorbells += ch.counters["signals_in"]
            storage, network = self.vsp("storage"), self.vsp("network")
            if storage is not None:
                disk = dict(storage.stats)
            if network is not None:
                net = dict(network.stats)
        dirty = None
        if self.state is VmState.RUNNING and self.dirty.tracking:
            dirty = self.dirty.count(SAMPLER) if not self.dirty.register(SAMPLER, exist_ok=True) else 0
        # mincore() costs ~40 us per 32 MiB (a tenth of a thousand idle VMs' sampling): a guest that wrote only a
        # few pages since the last tick keeps its count, at most RESIDENT_MAX_AGE old (it rewrites the same pages)
        few = dirty is not None and dirty < FEW_DIRTY_PAGES
        resident = memory.resident_bytes(max_age=RESIDENT_MAX_AGE if few else 0.0)
        return {"cpu_ns": sum(self.vcpu_cpu_ns()), "vcpus": self.config.vcpus, "memory": self.config.memory,
                "resident": resident, "ports": dict(ports), "exits": exits, "disk": disk, "net": net,
                "vmbus_packets": vmbus_packets, "doorbells": doorbells, "dirty_pages": dirty,
                "heartbeat": self.heartbeat()}

    def activity(self) -> int:
        """A number that moves whenever the guest does anything (its exits and CPU time): what a list needs of the
        counters to tell a silent guest from a busy one."""
        return sum(sum(c.exits.values()) for c in self.counters) + sum(self.vcpu_cpu_ns())

    def snapshot_counters(self) -> dict:
        exits: Counter = Counter()
        ports: Counter = Counter()
        for c in self.counters:
            exits.update(c.exits)
            ports.update(c.ports)
        memory = self.memory
        return {
            "state": self.state.value,
            "backend": self.backend.name,
            "heartbeat": self.heartbeat(),
            "devices": self.devices(),
            "guest_clock_ns": self.guest_clock_ns(),
            "vcpu_cpu_ns": self.vcpu_cpu_ns(),
            "exits": dict(exits),
            "port_accesses": dict(ports),
            "resident_bytes": memory.resident_bytes(max_age=1.0) if memory is not None and memory.address else 0,
            "memory_bytes": self.config.memory,
            "serial_tx_bytes": self.serial.tx_bytes,
            "serial_rx_bytes": self.serial.rx_bytes,
        }
