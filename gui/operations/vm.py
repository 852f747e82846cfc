"""Operations on virtual machines: the lifecycle (start, the stop modes, pause, resume, reset, delete), settings,
key-value pairs, migration, the serial console, and View Script of a change. ``vm`` is a VM dict as the list has it
(its id is sent, its name is shown); each call returns a HostOp to ``run()``."""

from __future__ import annotations

from collections.abc import Callable

from core.model.spec import STOP_MODES
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.operations import HostOp

# the title of the error dialog when an operation fails
FAILED = {
    "start": QT_TRANSLATE_NOOP("VmOperations", "Cannot start"),
    "shut_down": QT_TRANSLATE_NOOP("VmOperations", "Cannot shut down"),
    "turn_off": QT_TRANSLATE_NOOP("VmOperations", "Cannot turn off"),
    "save": QT_TRANSLATE_NOOP("VmOperations", "Cannot save"),
    "pause": QT_TRANSLATE_NOOP("VmOperations", "Cannot pause"),
    "resume": QT_TRANSLATE_NOOP("VmOperations", "Cannot resume"),
    "reset": QT_TRANSLATE_NOOP("VmOperations", "Cannot reset"),
    "remove": QT_TRANSLATE_NOOP("VmOperations", "Cannot delete"),
    "set_vm": QT_TRANSLATE_NOOP("VmOperations", "Settings not applied"),
    "kvp": QT_TRANSLATE_NOOP("VmOperations", "Key-value pair not set"),
    "migrate": QT_TRANSLATE_NOOP("VmOperations", "Cannot migrate"),
    "console": QT_TRANSLATE_NOOP("VmOperations", "Console unavailable"),
    "new_vm": QT_TRANSLATE_NOOP("VmOperations", "Virtual machine not created"),
    "script": QT_TRANSLATE_NOOP("VmOperations", "No script"),
}


def failed_title(key: str) -> str:
    return translate("VmOperations", FAILED[key]) if key in FAILED else translate("VmOperations", "Cannot {what}"
                                                                                   ).format(what=key)


def _op(session, key: str, fn, vm: dict, *args, owner=None) -> HostOp:
    return HostOp(session, fn, vm["id"], *args, title=failed_title(key), target=vm.get("name", ""), owner=owner)


# --- the lifecycle ---------------------------------------------------------------------------------------------
def start(session, vm: dict, owner=None) -> HostOp:
    return _op(session, "start", lambda conn, vm_id: conn.start_vm(vm_id), vm, owner=owner)


def stop(session, vm: dict, mode: str, owner=None) -> HostOp:
    """Shut down, turn off or save (``mode`` one of core.model.spec.STOP_MODES)."""
    if mode not in STOP_MODES:
        raise ValueError(f"stop mode {mode!r} is none of {STOP_MODES}")
    return _op(session, mode, lambda conn, vm_id: conn.stop_vm(vm_id, mode=mode), vm, owner=owner)


def shut_down(session, vm: dict, owner=None) -> HostOp:
    return stop(session, vm, "shut_down", owner)


def turn_off(session, vm: dict, owner=None) -> HostOp:
    return stop(session, vm, "turn_off", owner)


def save(session, vm: dict, owner=None) -> HostOp:
    return stop(session, vm, "save", owner)


def pause(session, vm: dict, owner=None) -> HostOp:
    return _op(session, "pause", lambda conn, vm_id: conn.pause_vm(vm_id), vm, owner=owner)


def resume(session, vm: dict, owner=None) -> HostOp:
    return _op(session, "resume", lambda conn, vm_id: conn.resume_vm(vm_id), vm, owner=owner)


def reset(session, vm: dict, owner=None) -> HostOp:
    return _op(session, "reset", lambda conn, vm_id: conn.restart_vm(vm_id), vm, owner=owner)


def remove(session, vm: dict, delete_storage: bool = False, owner=None) -> HostOp:
    """Delete the VM; ``delete_storage`` deletes its virtual hard disks too."""
    return _op(session, "remove", lambda conn, vm_id: conn.remove_vm(vm_id, delete_storage=delete_storage), vm,
               owner=owner)


LIFECYCLE: dict[str, Callable[..., HostOp]] = {"start": start, "shut_down": shut_down, "turn_off": turn_off,
                                               "save": save, "pause": pause, "resume": resume, "reset": reset}


def lifecycle(session, key: str, vms: list[dict], delete_storage: bool = False,
              on_job: Callable[[dict], None] | None = None) -> list[HostOp]:
    """Run one lifecycle operation (a key of core.model.states.OPERATIONS) on each VM, each as its own job;
    failures gather into one dialog."""
    ops = []
    for vm in vms:
        op = remove(session, vm, delete_storage) if key == "remove" else LIFECYCLE[key](session, vm)
        if on_job is not None:
            op.success(on_job)
        op.run()
        ops.append(op)
    return ops


# --- settings, key-value pairs, migration ------------------------------------------------------------------------
def set_settings(session, vm_id: str, changes: dict, owner=None) -> HostOp:
    """Change settings (only those in ``changes``), as a job."""
    return HostOp(session, lambda conn: conn.set_vm(vm_id, **changes), title=failed_title("set_vm"), owner=owner)


def settings_script(session, vm_name: str, changes: dict, owner=None) -> HostOp:
    """The command line and Python script that make these changes (a core.api Script), without making them."""
    return HostOp(session, lambda conn: conn.script("vm.set", vm=vm_name, **changes), title=failed_title("script"),
                  owner=owner)


def new_vm(session, params: dict, owner=None) -> HostOp:
    """Create a VM (core.model.spec.VmSpec's parameters), as a job."""
    return HostOp(session, lambda conn: conn.new_vm(**params), title=failed_title("new_vm"),
                  target=params.get("name", ""), owner=owner)


def script(session, steps: list[tuple[str, dict]], owner=None) -> HostOp:
    """View Script of several operations in order (e.g. disk.new, then vm.new)."""
    return HostOp(session, lambda conn: conn.script_steps(steps) if len(steps) != 1 else
                  conn.script(steps[0][0], **steps[0][1]), title=failed_title("script"), owner=owner)


def kvp_set(session, vm: dict, key: str, value: str | None, owner=None) -> HostOp:
    """Push a key-value pair the guest can read (None deletes it), as a job."""
    return _op(session, "kvp", lambda conn, vm_id: conn.kvp_set(vm_id, key, value), vm, owner=owner)


def migrate(session, vm: dict, destination: str, owner=None, **options) -> HostOp:
    """Live migration to another libvirt host, as a job (options: live, persistent, undefine_source,
    copy_storage, migrate_uri)."""
    return _op(session, "migrate", lambda conn, vm_id: conn.migrate_vm(vm_id, destination=destination, **options),
               vm, owner=owner)


# --- the serial console ----------------------------------------------------------------------------------------
def console_history(session, vm_id: str, owner=None) -> HostOp:
    return HostOp(session, lambda conn: conn.console_history(vm_id), title=failed_title("console"), owner=owner)


def console_send(session, vm_id: str, data: str, owner=None) -> HostOp:
    return HostOp(session, lambda conn: conn.console_send(vm_id, data), title=failed_title("console"), owner=owner)
