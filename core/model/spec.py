"""The ONE list of a VM's settings: what ``vm.new`` and ``vm.set`` take, their types, defaults, which kinds of host
take which, the command-line option of each, and the console's label. ``VmSpec`` (a new VM) and ``VmChanges`` (what
``vm.set`` changes) are built from it; the API, the CLI, the wizard, View Script and every host use them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any

from .errors import UsageError
from .limits import HostLimits
from .names import validate_name
from .params import Param, check_params

MiB = 1 << 20
START_ACTIONS = ("nothing", "start_if_running", "always_start")
STOP_ACTIONS = ("save", "turn_off", "shut_down")
STOP_MODES = ("shut_down", "turn_off", "save")
DISK_CONTROLLERS = ("synthetic", "emulated")
_DISK_HINT = " (make the disk first: bulkhead disk new PATH --size SIZE, then give --disk PATH)"
_LV = ("libvirt",)

SETTINGS: tuple[Param, ...] = (
    Param("name", "str", max_length=256, option="--name", label="Name", help="new name"),
    Param("memory", "size", 64 * MiB, option="--memory", label="Startup memory",
          help="guest memory, e.g. 512M or 2G"),
    # the range a request may carry; the host's own limit (host.limits) is checked by the host and named in its refusal
    Param("vcpus", "int", 1, min=1, max=1 << 16, option="--vcpus", label="Virtual processors",
          help="virtual processors"),
    Param("image", "path", "", option="--image", label="Guest image",
          help="guest image (ELF64); default: the bundled guest kernel"),
    Param("workload", "str", "idle", max_length=32, option="--workload", label="Workload",
          help="idle, cpu:N, dirty:N or bursty (bundled guest)"),
    Param("cmdline", "str", "", max_length=1024, option="--cmdline", label="Command line",
          help="extra guest command-line words"),
    Param("notes", "text", "", max_length=10_000, option="--notes", label="Notes", help="free text"),
    Param("automatic_start_action", "str", "start_if_running", choices=START_ACTIONS, option="--start-action",
          label="Automatic start action", help="what the host does when it starts"),
    Param("automatic_stop_action", "str", "save", choices=STOP_ACTIONS, option="--stop-action",
          label="Automatic stop action", help="what the host does when it stops"),
    Param("disk", "path", "", option="--disk", label="Virtual hard disk",
          help="a virtual hard disk to attach (bulkhead disk new makes one)"),
    Param("disk_controller", "str", "synthetic", choices=DISK_CONTROLLERS + ("virtio", "ide", "sata", "scsi", "usb"),
          option="--disk-controller", label="Controller",
          help="synthetic (VMBus storage, fast) or emulated (IDE with PIO, slow); a libvirt host also takes virtio, "
               "ide, sata, scsi or usb"),
    Param("network", "str", "", max_length=256, option="--switch", label="Connection",
          help="connect the network adapter to this virtual switch"),
    Param("ip", "str", "", max_length=64, option="--ip", label="IP address",
          help="the guest's IPv4 address on its switch (default: the next free one)"),
    Param("integration_services", "bool", True, option="--integration-services", label="Integration services",
          help="heartbeat, shutdown, time sync and KVP over the VMBus (the default)"),
    # a libvirt host's own: the disk made in the VM's job, boot order, domain type
    Param("disk_size", "size", 0, min=0, kinds=_LV, option="--disk-size", hint=_DISK_HINT, label="Size",
          help="create a new disk of this size in the VM's job: a volume in --pool, or with --disk PATH a qemu-img "
               "file on this machine"),
    Param("disk_format", "str", "", choices=("", "qcow2", "raw"), kinds=_LV, option="--disk-format",
          label="Format", help="format of the new disk (default: qcow2)"),
    Param("pool", "str", "", max_length=256, kinds=_LV, option="--pool", label="Storage pool",
          help="storage pool of the new disk (default: default)"),
    Param("iso", "path", "", kinds=_LV, option="--iso", label="CD/DVD image",
          help="an ISO image to boot from as a CD (an --image ending in .iso does the same)"),
    Param("boot", "str", "", choices=("", "hd", "cdrom", "network"), kinds=_LV, option="--boot",
          label="Boot device", help="boot device (default: the ISO if any)"),
    Param("disk_readonly", "bool", False, kinds=_LV, option="--disk-readonly", label="Read-only",
          help="attach --disk read-only"),
    Param("domain_type", "str", "", choices=("", "kvm", "qemu"), kinds=_LV, option="--domain-type",
          label="Domain type", help="kvm (hardware) or qemu (emulation)"),
    Param("arch", "str", "", max_length=32, kinds=_LV, option="--arch", label="Architecture",
          help="guest architecture (default: the host's)"),
)
SETTING = {p.name: p for p in SETTINGS}
NEW_ONLY = ("disk_size", "disk_format", "pool", "iso", "boot", "disk_readonly", "domain_type", "arch")
# vm.new: every setting plus "start"; vm.set: every setting but the new-disk ones, all optional
NEW_VM_PARAMS: tuple[Param, ...] = (*SETTINGS, Param("start", "bool", False, option="--start",
                                                     help="start the VM once it is created"))
SET_VM_PARAMS: tuple[Param, ...] = tuple(
    Param(p.name, p.type, None, min=p.min, max=p.max, max_length=p.max_length, choices=p.choices, kinds=p.kinds,
          option=p.option, label=p.label, help=p.help) for p in SETTINGS if p.name not in NEW_ONLY)
# what may change while the VM runs (everything else needs it Off)
LIVE_SETTINGS = frozenset({"name", "notes", "automatic_start_action", "automatic_stop_action"})
FROZEN_WHILE_RUNNING = tuple(p.name for p in SET_VM_PARAMS if p.name not in LIVE_SETTINGS)


def _check_limits(memory: int | None, vcpus: int | None, limits: HostLimits | None) -> None:
    if limits is None:
        return
    if memory is not None:
        limits.check_memory(memory)
    if vcpus is not None:
        limits.check_vcpus(vcpus)


class _VmSpec:
    """A new VM as ``vm.new`` takes it: one field per parameter of NEW_VM_PARAMS, at its default.
    ``validate(kind, limits)`` checks every field; ``params(kind)`` is the request (parameters at their default left
    out)."""

    @classmethod
    def from_params(cls, params: dict) -> VmSpec:
        given = check_params("vm.new", NEW_VM_PARAMS, dict(params))
        return cls(**given)

    def validate(self, kind: str | None = None, limits: HostLimits | None = None) -> VmSpec:
        """The spec with its name trimmed, or UsageError (one line) for the first setting that is wrong."""
        check_params("vm.new", NEW_VM_PARAMS, self.to_dict(), kind=kind, doing="creating a VM")
        self.name = validate_name(self.name)
        _check_limits(self.memory, self.vcpus, limits)
        return self

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def params(self, kind: str | None = None) -> dict:
        """The request's parameters: the name, and every other one not at its default."""
        out: dict[str, Any] = {}
        for p in NEW_VM_PARAMS:
            value = getattr(self, p.name)
            if p.name == "name" or value != p.default:
                out[p.name] = value
        return out


_PYTHON_TYPES = {"str": str, "text": str, "path": str, "int": int, "size": int, "bool": bool}
# the fields come from the one list of settings: the name first (required), then each parameter at its default
VmSpec = make_dataclass(
    "VmSpec", [(p.name, _PYTHON_TYPES[p.type]) if p.required else (p.name, _PYTHON_TYPES[p.type], p.default)
               for p in NEW_VM_PARAMS], bases=(_VmSpec,))
VmSpec.__module__, VmSpec.__doc__ = __name__, _VmSpec.__doc__


@dataclass
class VmChanges:
    """What ``vm.set`` changes: only the settings given (not None)."""

    values: dict = field(default_factory=dict)

    @classmethod
    def of(cls, **changes) -> VmChanges:
        return cls({k: v for k, v in changes.items() if v is not None})

    def validate(self, kind: str | None = None, limits: HostLimits | None = None) -> VmChanges:
        if not self.values:
            raise UsageError("nothing to change (give at least one setting)")
        check_params("vm.set", SET_VM_PARAMS, self.values, kind=kind, doing="changing a VM")
        if "name" in self.values:
            self.values["name"] = validate_name(self.values["name"])
        _check_limits(self.values.get("memory"), self.values.get("vcpus"), limits)
        return self

    def frozen(self) -> list[str]:
        """The settings given that need the VM Off."""
        return sorted(k for k in self.values if k not in LIVE_SETTINGS)
