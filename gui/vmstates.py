"""Which VM operation each state allows, and the reason shown when it does not (Qt-free).

The table mirrors the host service's own checks so the console can disable an action before anyone clicks it; the
service still has the last word and its refusal is shown if the two ever disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIG_ERROR = "Configuration error"
# The service refuses "turn off" on a Saved VM today (no way to discard a saved state through the API yet); flip this
# when it accepts it and the console offers Turn Off on Saved VMs, with a confirmation that names the lost state.
TURN_OFF_DISCARDS_SAVED = True


@dataclass(frozen=True)
class Operation:
    key: str
    label: str  # as the menu shows it, without "..."
    states: frozenset[str]
    confirm: bool = False


def _op(key: str, label: str, *states: str, confirm: bool = False) -> Operation:
    return Operation(key, label, frozenset(states), confirm)


OPERATIONS: dict[str, Operation] = {o.key: o for o in (
    _op("start", "Start", "Off", "Saved", "Critical"),
    _op("shut_down", "Shut Down", "Running"),
    _op("turn_off", "Turn Off", "Running", "Paused", "Critical", *(("Saved",) if TURN_OFF_DISCARDS_SAVED else ()),
        confirm=True),
    _op("save", "Save", "Running", "Paused"),
    _op("pause", "Pause", "Running"),
    _op("resume", "Resume", "Paused"),
    _op("reset", "Reset", "Running", "Paused", confirm=True),
    _op("remove", "Delete", "Off", "Saved", CONFIG_ERROR, confirm=True),
)}
# settings can be opened in any usable state; what needs the VM off is read-only while it runs
FROZEN_WHILE_RUNNING = ("memory", "vcpus", "image", "workload", "cmdline", "disk", "disk_controller", "network", "ip",
                        "integration_services")
SETTINGS_EDITABLE_STATES = frozenset({"Off", "Critical"})
BULK = ("start", "shut_down", "save", "turn_off")
_STATE_ORDER = ["Off", "Saved", "Critical", "Running", "Paused", CONFIG_ERROR]


def needs(op: Operation) -> str:
    states = sorted(op.states, key=lambda s: _STATE_ORDER.index(s) if s in _STATE_ORDER else 99)
    if len(states) == 1:
        return states[0]
    return ", ".join(states[:-1]) + " or " + states[-1]


def _names_and_states(vms: list[dict], limit: int = 3) -> str:
    parts = [f"{vm['name']} is {vm['state']}" for vm in vms[:limit]]
    if len(vms) > limit:
        parts.append(f"{len(vms) - limit} more cannot")
    return ", ".join(parts)


@dataclass(frozen=True)
class Availability:
    enabled: bool
    targets: list[dict]  # the selected VMs the operation applies to
    tooltip: str


def availability(key: str, vms: list[dict]) -> Availability:
    """Whether ``key`` applies to the selected ``vms`` (dicts with name and state) and the tooltip that says why
    (e.g. "Pause needs Running; web1 is Off"). With several VMs it applies to those whose state allows it."""
    op = OPERATIONS[key]
    if not vms:
        return Availability(False, [], f"{op.label}: select a virtual machine first")
    ok = [vm for vm in vms if vm["state"] in op.states]
    refused = [vm for vm in vms if vm["state"] not in op.states]
    if not ok:
        return Availability(False, [], f"{op.label} needs {needs(op)}; {_names_and_states(refused)}")
    names = ", ".join(vm["name"] for vm in ok[:3]) + (f" and {len(ok) - 3} more" if len(ok) > 3 else "")
    tip = f"{op.label} {names}"
    if refused:
        tip += f" (skipped: {_names_and_states(refused)}; {op.label} needs {needs(op)})"
    return Availability(True, ok, tip)


def settings_frozen_reason(vm: dict) -> str | None:
    """Why processor, memory and the guest image cannot change now, or None if they can."""
    if vm["state"] in SETTINGS_EDITABLE_STATES:
        return None
    return (f"{vm['name']} is {vm['state']}: processors, memory, the guest image and devices can change only while "
            "it is Off")


def confirmation(key: str, vms: list[dict]) -> tuple[str, str, str] | None:
    """(title, question, what will be lost) for operations that lose something, else None."""
    names = ", ".join(vm["name"] for vm in vms[:5]) + (f" and {len(vms) - 5} more" if len(vms) > 5 else "")
    several = len(vms) > 1
    if key == "turn_off":
        saved = [vm["name"] for vm in vms if vm["state"] == "Saved"]
        lost = ("Turning off is like pulling the power cord: everything in the guest's memory that it has not "
                "written elsewhere - running programs, unsaved work, the console session - is lost.")
        if saved:
            lost += f" The saved state of {', '.join(saved)} is deleted."
        return (f"Turn off {'virtual machines' if several else 'virtual machine'}",
                f"Turn off {names}?", lost)
    if key == "reset":
        return ("Reset virtual machine" + ("s" if several else ""), f"Reset {names}?",
                "Reset restarts the guest at once, without asking it: its running programs and everything in its "
                "memory are lost.")
    if key == "remove":
        folders = "; ".join(vm.get("folder") or "?" for vm in vms[:3])
        saved = [vm["name"] for vm in vms if vm["state"] == "Saved"]
        lost = (f"Its configuration{' and saved state' if saved else ''} in {folders} "
                "will be deleted. The guest image file is not touched.")
        if several:
            lost = (f"Their configurations{' and saved states' if saved else ''} ({folders}"
                    f"{', ...' if len(vms) > 3 else ''}) will be deleted. Guest image files are not touched.")
        if storage_option(vms):
            lost += " Virtual hard disks are kept unless you tick the box below."
        return (f"Delete {'virtual machines' if several else 'virtual machine'}", f"Delete {names}?", lost)
    return None


def storage_option(vms: list[dict]) -> str | None:
    """The check box of the delete confirmation that deletes the VMs' disks too, naming them; None if none."""
    disks = [vm["disk"] for vm in vms if vm.get("disk")]
    if not disks:
        return None
    shown = ", ".join(disks[:3]) + (f" and {len(disks) - 3} more" if len(disks) > 3 else "")
    return f"Also delete the virtual hard disk{'s' if len(disks) > 1 else ''} ({shown})"
