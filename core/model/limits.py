"""The limits of one host, as that host reports them (``host.limits``): the wizard and the command line check
what a user types against the host it is meant for, not against a table of their own."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from .errors import UsageError

MiB = 1 << 20


@dataclass(frozen=True)
class HostLimits:
    memory_min: int = 4 * MiB  # bytes
    memory_max: int = 64 << 30  # bytes: the smaller of what the platform allows and what the host has
    memory_step: int = 2 * MiB  # memory must be a multiple of this
    vcpus_max: int = 64
    cmdline_max: int = 255  # bytes of the guest command line (0: the host takes none)
    memory_reason: str = ""  # why memory_max is what it is ("this host has 24,104 MiB")
    vcpus_reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> HostLimits:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})

    def memory_problem(self, memory: int) -> str | None:
        """Why ``memory`` bytes do not fit this host, in one line; None if they do."""
        if memory < self.memory_min:
            return f"memory must be at least {self.memory_min // MiB} MiB (got {memory / MiB:g} MiB)"
        if memory > self.memory_max:
            why = f" ({self.memory_reason})" if self.memory_reason else ""
            return f"memory {memory / MiB:g} MiB is more than this host allows: at most {self.memory_max // MiB} " \
                   f"MiB{why}"
        if self.memory_step > 1 and memory % self.memory_step:
            return f"memory must be a multiple of {self.memory_step // MiB} MiB (got {memory / MiB:g} MiB)"
        return None

    def vcpus_problem(self, vcpus: int) -> str | None:
        if not 1 <= vcpus <= self.vcpus_max:
            why = f" ({self.vcpus_reason})" if self.vcpus_reason else ""
            return f"virtual processors must be between 1 and {self.vcpus_max}{why} (got {vcpus})"
        return None

    def check_memory(self, memory: int) -> None:
        problem = self.memory_problem(memory)
        if problem:
            raise UsageError(problem)

    def check_vcpus(self, vcpus: int) -> None:
        problem = self.vcpus_problem(vcpus)
        if problem:
            raise UsageError(problem)
