"""Every operation a host offers, declared once: its protocol name, its parameters with their types and ranges, the
capability it needs, whether it runs as a job, and its title. The registry (core/hosts/registry.py) dispatches,
checks arguments, reports capabilities and refuses with reasons from these declarations; View Script and the
console name operations by their titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .params import Param
from .spec import NEW_VM_PARAMS, SET_VM_PARAMS, STOP_MODES

TIMEOUT_MAX = 24 * 3600.0
JOB_ID = Param("job", "int", min=1, max=(1 << 63) - 1)
VM = Param("vm", "str", max_length=256)


@dataclass(frozen=True)
class Method:
    name: str  # "vm.new"
    params: tuple[Param, ...] = ()
    capability: str | Callable[[dict], str] | None = None  # None: every host has it
    job: bool = False  # answers with a job at once
    title: str = ""  # "Create a virtual machine"; a job's name is its title
    doing: str = ""  # "creating a VM", for refusals of parameters a host kind does not take

    def capability_for(self, params: dict) -> str | None:
        cap = self.capability
        return cap(params) if callable(cap) else cap


def _m(name: str, *params: Param, capability=None, job: bool = False, title: str = "", doing: str = "") -> Method:
    return Method(name, tuple(params), capability, job, title, doing)


_WAIT = Param("timeout", "float", None, min=0.0, max=TIMEOUT_MAX, nullable=True)
_LIMIT = Param("limit", "int", 50, min=1, max=10_000)
_ALERT = Param("alert", "int", min=1, max=(1 << 63) - 1)
_SECONDS = Param("seconds", "float", 3600.0, min=1.0, max=30 * 24 * 3600.0)

METHODS: dict[str, Method] = {m.name: m for m in (
    # the host
    _m("host.info", title="Host information"),
    _m("host.capabilities", title="What this host can do"),
    _m("host.limits", title="This host's limits"),
    _m("host.stop", capability="host_stop", title="Stop the host service"),
    _m("connection.status", title="Connection status"),
    _m("host.browse", Param("path", "path", ""), Param("kinds", "list", None, nullable=True),
       Param("limit", "int", 2000, min=1, max=10_000), capability="browse", title="Browse the host's folders"),
    # VMs
    _m("vm.list", title="List virtual machines"),
    _m("vm.show", VM, title="Show a virtual machine"),
    _m("vm.new", *NEW_VM_PARAMS, capability="new_vm", job=True, title="New VM", doing="creating a VM"),
    _m("vm.set", VM, *SET_VM_PARAMS, capability="set_vm", job=True, title="Change VM settings",
       doing="changing a VM"),
    _m("vm.start", VM, capability="start", job=True, title="Start VM"),
    _m("vm.stop", VM, Param("mode", "str", "shut_down", max_length=32),
       Param("timeout", "float", 60.0, min=0.0, max=TIMEOUT_MAX),
       capability=lambda p: p.get("mode") if p.get("mode") in STOP_MODES else "shut_down", job=True,
       title="Stop VM"),
    _m("vm.pause", VM, capability="pause", job=True, title="Pause VM"),
    _m("vm.resume", VM, capability="resume", job=True, title="Resume VM"),
    _m("vm.restart", VM, capability="reset", job=True, title="Reset VM"),
    _m("vm.remove", VM, Param("delete_storage", "bool", False), capability="remove", job=True, title="Remove VM"),
    _m("vm.kvp.set", VM, Param("key", "str", max_length=255), Param("value", "str", None, max_length=1024,
                                                                     nullable=True),
       capability="kvp", job=True, title="Set a key-value pair"),
    _m("vm.migrate", VM, Param("destination", "str", max_length=1024), Param("live", "bool", True),
       Param("persistent", "bool", True), Param("undefine_source", "bool", True), Param("copy_storage", "bool", False),
       Param("migrate_uri", "str", "", max_length=1024), Param("bandwidth_mib_s", "int", 0, min=0, max=1 << 40),
       capability="migrate", job=True, title="Migrate VM"),
    _m("vm.measure", VM, _SECONDS, capability="metrics", title="Measure a virtual machine"),
    _m("vm.console.history", VM, title="Console history"),  # an empty history is an answer too
    _m("vm.console.send", VM, Param("data", "raw", max_length=65536), capability="console",
       title="Type into the console"),
    # metrics and alerts
    _m("metrics.history", Param("target", "str", "host", max_length=256),
       Param("seconds", "float", 60.0, min=1.0, max=30 * 24 * 3600.0), Param("metrics", "list", None, nullable=True),
       capability="metrics", title="Metrics history"),
    _m("alert.list", Param("all", "bool", False), Param("limit", "int", 200, min=1, max=10_000),
       Param("vm", "str", None, max_length=256, nullable=True), title="List alerts"),
    _m("alert.ack", _ALERT, title="Acknowledge an alert"),
    _m("alert.clear", _ALERT, title="Clear an alert"),
    _m("alert.rules", title="Alert rules"),
    _m("alert.rules.set", Param("rules", "list"), title="Change alert rules"),
    # virtual switches, disks, pools
    _m("switch.list", title="List virtual switches"),
    _m("switch.new", Param("name", "str", max_length=256), Param("type", "str", "private", max_length=32),
       capability="switches", job=True, title="New virtual switch"),
    _m("switch.remove", Param("name", "str", max_length=256), capability="switches", job=True,
       title="Remove virtual switch"),
    _m("switch.rename", Param("name", "str", max_length=256), Param("new_name", "str", max_length=256),
       capability="switches", job=True, title="Rename virtual switch"),
    _m("disk.new", Param("path", "path"), Param("size", "size"), Param("kind", "str", "dynamic", max_length=32),
       capability="new_disk", job=True, title="New virtual hard disk"),
    _m("pool.list", capability="pools", title="List storage pools"),
    # jobs
    _m("job.list", _LIMIT, Param("vm", "str", None, max_length=256, nullable=True), Param("active", "bool", False),
       title="List jobs"),
    _m("job.show", JOB_ID, title="Show a job"),
    _m("job.wait", JOB_ID, _WAIT, title="Wait for a job"),
    _m("job.cancel", JOB_ID, title="Cancel a job"),
)}

# the capability keys the console and the command line ask about, with the operation they stand for
CAPABILITIES = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset", "remove", "new_vm", "set_vm",
                "console", "migrate", "metrics", "new_disk", "kvp", "switches", "pools", "host_stop", "browse")
