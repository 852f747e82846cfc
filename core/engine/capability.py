"""Host capability check: what Hyper-V asks of a host (64-bit CPU with virtualization extensions), read here."""

from __future__ import annotations

import os
import platform as _platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import kvm


@dataclass
class HostCapabilities:
    kvm_present: bool = False
    kvm_permitted: bool = False
    kvm_api_version: int | None = None
    kvm_vm_create: bool = False
    kvm_module: str | None = None
    kvm_extensions: dict[str, int] = field(default_factory=dict)
    kvm_problem: str | None = None
    cpu_model: str = ""
    cpu_virtualization_flags: list[str] = field(default_factory=list)
    architecture: str = ""
    logical_processors: int = 0
    memory_bytes: int = 0

    @property
    def kvm_usable(self) -> bool:
        return self.kvm_vm_create

    def as_dict(self) -> dict:
        d = asdict(self)
        d["kvm_usable"] = self.kvm_usable
        return d


def _cpu_info() -> tuple[str, list[str]]:
    model, flags = "", []
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and not model:
                model = value.strip()
            elif key == "flags" and not flags:
                flags = [f for f in value.split() if f in ("vmx", "svm", "lm", "hypervisor")]
            if model and flags:
                break
    except OSError:
        pass
    return model, flags


def _kvm_module() -> str | None:
    for name in ("kvm_intel", "kvm_amd", "kvm_pvm"):
        if Path(f"/sys/module/{name}").exists():
            return name
    return "kvm" if Path("/sys/module/kvm").exists() else None


def probe(path: str = "/dev/kvm") -> HostCapabilities:
    caps = HostCapabilities()
    caps.cpu_model, caps.cpu_virtualization_flags = _cpu_info()
    caps.architecture = _platform.machine()
    caps.logical_processors = os.cpu_count() or 1
    try:
        caps.memory_bytes = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        caps.memory_bytes = 0
    caps.kvm_module = _kvm_module()
    if caps.architecture not in ("x86_64", "AMD64"):
        caps.kvm_problem = f"this is a {caps.architecture} host; the engine runs x86-64 guests on x86-64 KVM only"
    caps.kvm_present = os.path.exists(path)
    if not caps.kvm_present:
        caps.kvm_problem = caps.kvm_problem or f"{path} does not exist (no KVM module loaded, or no virtualization)"
        return caps
    try:
        system = kvm.Kvm(path)
    except OSError as e:
        caps.kvm_problem = f"{path} cannot be opened: {e.strerror}"
        return caps
    try:
        caps.kvm_permitted = True
        caps.kvm_api_version = system.api_version
        if system.api_version != kvm.KVM_API_VERSION:
            caps.kvm_problem = f"KVM API version {system.api_version}, the engine needs {kvm.KVM_API_VERSION}"
            return caps
        caps.kvm_extensions = system.extensions()
        try:
            system.create_vm().close()
            caps.kvm_vm_create = caps.kvm_problem is None
        except OSError as e:
            caps.kvm_problem = f"KVM refused to create a VM: {e.strerror}"
    finally:
        system.close()
    return caps
