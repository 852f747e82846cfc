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
_TOKEN = Param("token", "str", "", max_length=64)
_MOVE_TYPE = Param("type", "str", "auto", choices=("auto", "live", "quick", "network"), max_length=16)
_MOVE_PATH = Param("path", "path", "")
_NETWORK_MAP = Param("network_map", "dict", None, nullable=True)
_CHECKPOINT = Param("checkpoint", "str", max_length=256)  # an id or a unique name
_MOVE_SEND = (_TOKEN, _MOVE_TYPE, Param("destination", "str", "", max_length=1024),
              Param("bandwidth", "int", 0, min=0, max=1 << 40), Param("downtime_limit", "float", 0.05, min=0.001,
                                                                        max=60.0),
              Param("auto_converge", "bool", True),
              Param("predicted", "dict", None, nullable=True))  # the client's prediction, kept beside the actual

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
    # brief: without each running VM's counters and guest KVP (vm.show has them), a third of the bytes, for long
    # lists; "activity" (exits plus CPU nanoseconds, which moves while the guest does anything) stands in for them
    _m("vm.list", Param("brief", "bool", False), title="List virtual machines"),
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
    # moving a Bulkhead VM to another Bulkhead host (docs/migration.md): begin on the source, prepare on the
    # destination, the stream (direct: vm.move; tunnelled: vm.move.send / vm.move.receive), status and resolve
    _m("vm.move", VM, *_MOVE_SEND, Param("direct", "dict", None, nullable=True), capability="move", job=True,
       title="Move VM to another Bulkhead host"),
    _m("vm.move.begin", VM, _MOVE_TYPE, title="Describe a VM for a move"),
    _m("vm.move.prepare", Param("description", "dict", None, nullable=True), _MOVE_TYPE, _MOVE_PATH, _NETWORK_MAP,
       Param("source", "str", "", max_length=256), title="Prepare an incoming VM"),
    _m("vm.move.send", VM, *_MOVE_SEND, capability="move", job=True, title="Move VM to another Bulkhead host"),
    _m("vm.move.receive", _TOKEN, title="Receive an incoming VM"),
    _m("vm.move.status", Param("vm", "str", "", max_length=256), _TOKEN, title="Status of a VM's move"),
    _m("vm.move.resolve", VM, Param("outcome", "str", "", max_length=32), job=True,
       title="Resolve an unconfirmed move"),
    _m("vm.move.abort", _TOKEN, title="Drop a prepared incoming VM"),
    # before a move (docs/migration.md): the source describes the VM, the destination checks it (rows)
    _m("vm.move.describe", VM, title="Describe a VM for a precheck"),
    _m("vm.move.check", Param("vm", "dict"), Param("type", "str", "live", max_length=16,
                                                   choices=("live", "quick", "storage", "network")),
       Param("path", "str", "", max_length=4096), Param("network_map", "dict", None, nullable=True),
       Param("bandwidth", "float", 0.0, min=0.0, max=float(1 << 50)), title="Check a move"),
    _m("vm.console.history", VM, title="Console history"),  # an empty history is an answer too
    _m("vm.console.send", VM, Param("data", "raw", max_length=65536), capability="console",
       title="Type into the console"),
    # checkpoints (docs/checkpoints.md): a tree per VM, "now" where the VM's current state descends from
    _m("vm.checkpoint.new", VM, Param("name", "str", "", max_length=256), capability="checkpoints", job=True,
       title="Create checkpoint"),
    _m("vm.checkpoint.list", VM, capability="checkpoints", title="List checkpoints"),
    _m("vm.checkpoint.apply", VM, _CHECKPOINT, capability="checkpoints", job=True, title="Apply checkpoint"),
    _m("vm.checkpoint.revert", VM, capability="checkpoints", job=True, title="Revert VM"),
    _m("vm.checkpoint.rename", VM, _CHECKPOINT, Param("name", "str", max_length=256), capability="checkpoints",
       job=True, title="Rename checkpoint"),
    _m("vm.checkpoint.remove", VM, _CHECKPOINT, Param("subtree", "bool", False), capability="checkpoints", job=True,
       title="Delete checkpoint"),
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
    _m("vm.move.storage", VM, Param("path", "path"), Param("delete_source", "bool", False),
       Param("bandwidth", "int", 0, min=0, max=1 << 40), capability="move_storage", job=True, title="Move VM storage"),
    _m("pool.list", capability="pools", title="List storage pools"),
    _m("vm.convert", Param("source", "path", ""), Param("name", "str", "", max_length=256), Param("path", "path", ""),
       _NETWORK_MAP, Param("dry_run", "bool", False), Param("notes", "text", "", max_length=10_000),
       capability="convert", job=True, title="Convert VM"),
    _m("host.scan", Param("from_", "str", "", max_length=2048), capability="convert_physical",
       title="Scan a physical machine"),
    _m("vm.convert.physical", Param("from_", "str", "", max_length=2048), Param("disks", "list", None, nullable=True),
       Param("name", "str", "", max_length=256), Param("path", "path", ""), _NETWORK_MAP,
       Param("dry_run", "bool", False), Param("freeze", "bool", False), Param("notes", "text", "", max_length=10_000),
       Param("vhd_type", "str", "dynamic", choices=("dynamic", "fixed"), max_length=16),
       capability="convert_physical", job=True, title="Convert physical server"),
    _m("vm.export.ova", VM, Param("path", "path"), capability="export_ova", job=True, title="Export VM as OVA"),
    _m("vm.export", VM, Param("path", "path"), capability="export", job=True, title="Export VM"),
    _m("vm.import", Param("path", "path"), Param("mode", "str", "copy", choices=("register", "copy", "new_id"),
                                                 max_length=16),
       Param("name", "str", "", max_length=256), capability="export", job=True, title="Import VM"),
    _m("vm.import.read", Param("path", "path"), capability="export", title="Read an exported VM folder"),
    # jobs
    _m("job.list", _LIMIT, Param("vm", "str", None, max_length=256, nullable=True), Param("active", "bool", False),
       title="List jobs"),
    _m("job.show", JOB_ID, title="Show a job"),
    _m("job.wait", JOB_ID, _WAIT, title="Wait for a job"),
    _m("job.cancel", JOB_ID, title="Cancel a job"),
)}

# the capability keys the console and the command line ask about, with the operation they stand for
CAPABILITIES = ("start", "shut_down", "turn_off", "save", "pause", "resume", "reset", "remove", "new_vm", "set_vm",
                "console", "migrate", "metrics", "new_disk", "kvp", "switches", "pools", "host_stop", "browse",
                "move", "move_storage", "convert", "convert_physical", "checkpoints", "export_ova",
                "export")
