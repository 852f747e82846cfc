"""Every operation as its command line and as a Python script ("View Script", as in SCVMM's wizards).

A script is a list of steps (make the disk, then the VM); each step is one host method with its parameters. The
command-line options come from the one list of VM settings (core/model/spec.py). Running the rendered command or
script does what the operation did: the tests run them against a fresh host.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from core.model.methods import METHODS
from core.model.spec import NEW_VM_PARAMS, SETTING

from . import export_import

MiB = 1 << 20

_PY_METHODS = {"vm.new": "new_vm", "vm.set": "set_vm", "vm.start": "start_vm", "vm.stop": "stop_vm",
               "vm.pause": "pause_vm", "vm.resume": "resume_vm", "vm.restart": "restart_vm", "vm.remove": "remove_vm",
               "disk.new": "new_disk", "switch.new": "new_switch", "switch.remove": "remove_switch",
               "switch.rename": "rename_switch", "vm.move": "move_vm", "vm.convert": "convert_vm",
               "vm.convert.physical": "convert_physical", "vm.checkpoint.new": "checkpoint",
               "vm.checkpoint.list": "checkpoints", "vm.checkpoint.apply": "apply_checkpoint",
               "vm.checkpoint.revert": "revert_checkpoint", "vm.checkpoint.rename": "rename_checkpoint",
               "vm.checkpoint.remove": "remove_checkpoint", "vm.export.ova": "export_ova",
               "vm.export": "export_vm", "vm.import": "import_vm"}
_TITLES = {
    "vm.new": "Create a virtual machine", "vm.set": "Change a virtual machine's settings",
    "vm.start": "Start a virtual machine", "vm.stop": "Stop a virtual machine", "vm.pause": "Pause a virtual machine",
    "vm.resume": "Resume a virtual machine", "vm.restart": "Reset a virtual machine",
    "vm.remove": "Remove a virtual machine", "disk.new": "Create a virtual hard disk",
    "switch.new": "Create a virtual switch", "switch.remove": "Remove a virtual switch",
    "switch.rename": "Rename a virtual switch", "vm.move": "Move a virtual machine to another host",
    "vm.convert": "Convert a virtual machine", "vm.convert.physical": "Convert a physical server",
    "vm.checkpoint.new": "Create a checkpoint", "vm.checkpoint.list": "List a virtual machine's checkpoints",
    "vm.checkpoint.apply": "Apply a checkpoint", "vm.checkpoint.revert": "Revert a virtual machine",
    "vm.checkpoint.rename": "Rename a checkpoint", "vm.checkpoint.remove": "Delete a checkpoint",
    "vm.export.ova": "Export a virtual machine as an OVA",
    "vm.export": "Export a virtual machine", "vm.import": "Import a virtual machine",
}
# the command line's verbs of the checkpoint methods (bulkhead checkpoint VERB VM ...; the same commands as
# bulkhead vm checkpoint|checkpoints|apply|revert|checkpoint-rename|checkpoint-remove)
_CHECKPOINT_VERBS = {"vm.checkpoint.new": "new", "vm.checkpoint.list": "list",
                     "vm.checkpoint.apply": "apply", "vm.checkpoint.revert": "revert",
                     "vm.checkpoint.rename": "rename", "vm.checkpoint.remove": "remove"}
_READS = {"vm.checkpoint.list"}  # answer at once: the script prints the answer instead of waiting for a job
# steps may be named by their command line
_ALIASES = {"convert vm": "vm.convert", "convert physical": "vm.convert.physical"}
_PHRASES = {"vm.new": "a virtual machine", "disk.new": "a virtual hard disk", "switch.new": "a virtual switch"}
# vm.new parameters only a libvirt host takes, with their defaults (left out of a call or script when at the default)
LIBVIRT_NEW_VM = {p.name: p.default for p in NEW_VM_PARAMS if p.kinds == ("libvirt",)}
_DEFAULTS = {p.name: p.default for p in NEW_VM_PARAMS if not p.required and p.name != "memory"}  # memory always shown
_SIZES = {p.name for p in NEW_VM_PARAMS if p.type == "size"}


@dataclass(frozen=True)
class Script:
    title: str
    command_line: str
    python: str


def _size(value) -> str:
    if isinstance(value, int) and value and value % (1024 * MiB) == 0:
        return f"{value // (1024 * MiB)}G"
    if isinstance(value, int) and value % MiB == 0:
        return f"{value // MiB}M"
    return str(value)


def _options(params: dict, words: list[str], py_args: list[str]) -> None:
    for key, value in params.items():
        p = SETTING[key]
        if p.type == "bool":
            if key == "integration_services":
                words.append("--integration-services" if value else "--no-integration-services")
            elif value:
                words.append(p.option)
            if value or key == "integration_services":
                py_args.append(f"{key}={value!r}")
            continue
        shown = _size(value) if key in _SIZES else value
        words += [p.option, str(shown)]
        py_args.append(f"{key}={shown!r}")


def _step(method: str, params: dict) -> tuple[list[str], list[str]]:
    """(command-line words after "bulkhead [--connect URI]", Python arguments) of one step."""
    if method not in _PY_METHODS:
        raise ValueError(f"no script form for '{method}'")
    params = dict(params)
    words = method.split(".")
    py_args: list[str] = []
    if method == "vm.convert":
        words = ["convert", "vm"]
        _convert_options(params, words, py_args)
    elif method == "vm.convert.physical":
        words = ["convert", "physical"]
        _physical_options(params, words, py_args)
    elif method in _CHECKPOINT_VERBS:
        _checkpoint_options(method, params, words, py_args)
    elif method in ("vm.export", "vm.import"):
        words, py_args = export_import.script_step(method, params)
    elif method == "vm.export.ova":
        words = ["vm", "export-ova", params["vm"], params["path"]]
        py_args += [repr(params["vm"]), repr(params["path"])]
    elif method == "vm.new":
        params = {k: v for k, v in params.items() if _DEFAULTS.get(k, object()) != v}
        words.append(params.pop("name"))
        py_args.append(f"name={words[-1]!r}")
        start = params.pop("start", False)
        _options(params, words, py_args)
        if start:
            words.append("--start")
            py_args.append("start=True")
    elif method == "disk.new":
        words.append(params["path"])
        words += ["--size", _size(params["size"])]
        py_args += [repr(params["path"]), repr(_size(params["size"]))]
        if params.get("kind", "dynamic") != "dynamic":
            words += ["--type", params["kind"]]
            py_args.append(f"kind={params['kind']!r}")
    elif method.startswith("switch."):
        words.append(params["name"])
        py_args.append(repr(params["name"]))
        if method == "switch.rename":
            words.append(params["new_name"])
            py_args.append(repr(params["new_name"]))
        if params.get("type", "private") != "private":
            words += ["--type", params["type"]]
            py_args.append(f"type={params['type']!r}")
    else:
        vm = params.pop("vm")
        words.append(vm)
        py_args.append(repr(vm))
        if method == "vm.set":
            _options(params, words, py_args)
        elif method == "vm.stop":
            mode = params.pop("mode", "shut_down")
            if mode == "turn_off":
                words.append("--turn-off")
            elif mode == "save":
                words.append("--save")
            if mode != "shut_down":
                py_args.append(f"mode={mode!r}")
        elif method == "vm.remove" and params.get("delete_storage"):
            words.append("--delete-storage")
            py_args.append("delete_storage=True")
        elif method == "vm.move":
            _move_options(params, words, py_args)
    return words, py_args


def _move_options(params: dict, words: list[str], py_args: list[str]) -> None:
    """vm move's options as conn.move_vm takes them: to (a URI), type, path, network_map, bandwidth (bytes/s),
    downtime_limit (seconds)."""
    to = params.get("to") or params.get("destination") or ""
    words += ["--to", to]
    py_args.append(f"to={to!r}")
    if params.get("type", "auto") != "auto":
        words += ["--type", params["type"]]
        py_args.append(f"type={params['type']!r}")
    _given_options(params, _TARGET[1:], words, py_args)
    if params.get("bandwidth"):
        words += ["--bandwidth", _size(params["bandwidth"])]
        py_args.append(f"bandwidth={_size(params['bandwidth'])!r}")
    limit = params.get("downtime_limit")
    if limit not in (None, 0.05):
        words += ["--downtime-limit", f"{limit * 1000:g}ms"]
        py_args.append(f"downtime_limit={limit!r}")


def _checkpoint_options(method: str, params: dict, words: list[str], py_args: list[str]) -> None:
    words[:] = ["checkpoint", _CHECKPOINT_VERBS[method], params["vm"]]
    py_args.append(repr(params["vm"]))
    for key in ("checkpoint", "name"):
        if key in params and not (method == "vm.checkpoint.new" and key == "name"):
            words.append(params[key])
            py_args.append(repr(params[key]))
    if method == "vm.checkpoint.new" and params.get("name"):
        words.append(params["name"])
        py_args.append(f"name={params['name']!r}")
    if method == "vm.checkpoint.remove" and params.get("subtree"):
        words.append("--subtree")
        py_args.append("subtree=True")


# (key, option, kind): "value" is --option VALUE, "map" --option A=B for each entry, "list" --option VALUE for each
# item, "flag" --option alone; each given only where the parameter is
_TARGET = (("name", "--name", "value"), ("path", "--path", "value"), ("network_map", "--network-map", "map"))
_PHYSICAL = (("from_", "--from", "value"), ("disks", "--disk", "list"), *_TARGET, ("freeze", "--freeze", "flag"),
             ("vhd_type", "--vhd-type", "value"), ("notes", "--notes", "value"))


def _given_options(params: dict, options, words: list[str], py_args: list[str]) -> None:
    """The ``options`` (a table as _TARGET) of ``params`` that are given, as words and keyword arguments."""
    for key, option, kind in options:
        value = params.get(key)
        if kind == "map":
            value = dict(value or {})
            for source, target in value.items():
                words += [option, f"{source}={target}"]
        elif kind == "list":
            value = [str(v) for v in value or ()]
            for item in value:
                words += [option, item]
        elif value:
            words += [option] if kind == "flag" else [option, value]
        if value:
            py_args.append(f"{key}={True if kind == 'flag' else value!r}")


def _convert_options(params: dict, words: list[str], py_args: list[str]) -> None:
    """convert vm's arguments as conn.convert_vm takes them: source, name, path, network_map, notes."""
    words.append(params["source"])
    py_args.append(repr(params["source"]))
    _given_options(params, (*_TARGET, ("notes", "--notes", "value")), words, py_args)


def _physical_options(params: dict, words: list[str], py_args: list[str]) -> None:
    """convert physical's arguments as conn.convert_physical takes them: from_, disks, name, path, network_map,
    freeze, vhd_type, notes."""
    _given_options(params, _PHYSICAL, words, py_args)


def _title(methods: list[str]) -> str:
    if len(methods) == 1:
        return _TITLES[methods[0]]
    made = [_PHRASES[m] for m in methods if m in _PHRASES]
    if len(made) == len(methods):
        return "Create " + " and ".join(made)
    return " / ".join(_TITLES[m] for m in methods)


def render_steps(steps: list[tuple[str, dict]], uri: str = "") -> Script:
    """The command lines (one per step) and one Python script that run ``steps`` in order, each waiting for the
    one before it. ``uri``: the host to connect to (a libvirt or remote host); empty for the local host."""
    if not steps:
        raise ValueError("a script needs at least one step")
    connect = ["--connect", uri] if uri else []
    steps = [(_ALIASES.get(method, method), params) for method, params in steps]
    lines, calls = [], []
    for i, (method, params) in enumerate(steps):
        words, py_args = _step(method, params)
        lines.append(shlex.join(["bulkhead", *connect, *words]))
        call = f"conn.{_PY_METHODS[method]}({', '.join(py_args)})"
        if method in _READS:
            calls.append(f"    print({call})\n")
            continue
        calls.append(f"    job = {call}\n    job.wait(check=True)\n" if i == len(steps) - 1
                     else f"    {call}.wait(check=True)\n")
    title = _title([m for m, _ in steps])
    python = (
        f"# {title} - generated by Bulkhead; run it with: bulkhead script run FILE.py\n"
        "from core import api\n\n"
        f"with api.connect({f'uri={uri!r}' if uri else ''}) as conn:\n"
        + "".join(calls)
    )
    return Script(title, "\n".join(lines), python)


def render(method: str, params: dict, uri: str = "") -> Script:
    """One operation as a script. ``uri``: a libvirt or remote host's URI; the command and the script then connect
    to it."""
    return render_steps([(method, params)], uri)


assert set(_PY_METHODS) <= set(METHODS), "every scripted operation is a declared host method"
