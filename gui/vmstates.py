"""Which VM operation each state allows, and the reason shown when it does not (no widgets here).

The table is the one every host checks (``core.model.states.OPERATIONS``), so the console disables an action
before anyone clicks it for exactly the reason the host would give; the host still has the last word and its
refusal is shown if a VM changed state meanwhile. The words shown are translated here; the keys stay the model's.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model.spec import FROZEN_WHILE_RUNNING, LIVE_SETTINGS
from core.model.states import BULK, CONFIG_ERROR, OPERATIONS, STATE_ORDER, Operation
from gui.i18n import QT_TRANSLATE_NOOP, translate

__all__ = ["BULK", "CONFIG_ERROR", "FROZEN_WHILE_RUNNING", "LIVE_SETTINGS", "OPERATIONS", "SETTINGS_EDITABLE_STATES",
           "STATE_ORDER", "Availability", "Operation", "availability", "confirmation", "label", "needs",
           "settings_frozen_reason", "state_text", "storage_option"]

# Turning off a Saved VM is allowed (the host discards the saved state; the confirmation names it), as is turning
# off a VM that is shutting down (it is forced off).
SETTINGS_EDITABLE_STATES = frozenset({"Off", "Critical"})  # settings can be opened in any usable state
_CONTEXT = "VmStates"
# markers for the translation tools: the labels of core.model.states.OPERATIONS and the state names (a test checks
# that none is missing)
_LABELS = (QT_TRANSLATE_NOOP("VmStates", "Start"), QT_TRANSLATE_NOOP("VmStates", "Shut Down"),
           QT_TRANSLATE_NOOP("VmStates", "Turn Off"), QT_TRANSLATE_NOOP("VmStates", "Save"),
           QT_TRANSLATE_NOOP("VmStates", "Pause"), QT_TRANSLATE_NOOP("VmStates", "Resume"),
           QT_TRANSLATE_NOOP("VmStates", "Reset"), QT_TRANSLATE_NOOP("VmStates", "Delete"),
           QT_TRANSLATE_NOOP("VmStates", "Delete Saved State"), QT_TRANSLATE_NOOP("VmStates", "Migrate"))
_STATES = (QT_TRANSLATE_NOOP("VmStates", "Off"), QT_TRANSLATE_NOOP("VmStates", "Starting"),
           QT_TRANSLATE_NOOP("VmStates", "Running"), QT_TRANSLATE_NOOP("VmStates", "Pausing"),
           QT_TRANSLATE_NOOP("VmStates", "Paused"), QT_TRANSLATE_NOOP("VmStates", "Resuming"),
           QT_TRANSLATE_NOOP("VmStates", "Saving"), QT_TRANSLATE_NOOP("VmStates", "Saved"),
           QT_TRANSLATE_NOOP("VmStates", "Stopping"), QT_TRANSLATE_NOOP("VmStates", "Critical"),
           QT_TRANSLATE_NOOP("VmStates", "Configuration error"), QT_TRANSLATE_NOOP("VmStates", "Removed"))


def _t(text: str) -> str:
    return translate(_CONTEXT, text)


def label(key: str) -> str:
    """The operation's name as menus show it, without "...", in the console's language."""
    return _t(OPERATIONS[key].label)


def state_text(state: str) -> str:
    """A state's name in the console's language."""
    return _t(state) if state in _STATES else state


def needs(key: str | Operation) -> str:
    """The states an operation needs, in words: "Off, Saved or Critical"."""
    op = OPERATIONS[key] if isinstance(key, str) else key
    states = [state_text(s) for s in sorted(op.states, key=lambda s: STATE_ORDER.index(s) if s in STATE_ORDER
                                             else len(STATE_ORDER))]
    if len(states) == 1:
        return states[0]
    return translate("VmStates", "{states} or {last}").format(states=", ".join(states[:-1]), last=states[-1])


def _more(names: list[str], count: int, limit: int) -> str:
    shown = ", ".join(names[:limit])
    if count > limit:
        return translate("VmStates", "{names} and {count} more").format(names=shown, count=count - limit)
    return shown


def _names_and_states(vms: list[dict], limit: int = 3) -> str:
    parts = [translate("VmStates", "{name} is {state}").format(name=vm["name"], state=state_text(vm["state"]))
             for vm in vms[:limit]]
    if len(vms) > limit:
        parts.append(translate("VmStates", "{count} more cannot").format(count=len(vms) - limit))
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
    name = label(key)
    if not vms:
        return Availability(False, [], translate("VmStates", "{operation}: select a virtual machine first").format(
            operation=name))
    ok = [vm for vm in vms if op.allows(vm["state"])]
    refused = [vm for vm in vms if not op.allows(vm["state"])]
    if not ok:
        return Availability(False, [], translate("VmStates", "{operation} needs {states}; {why}").format(
            operation=name, states=needs(op), why=_names_and_states(refused)))
    tip = translate("VmStates", "{operation} {names}").format(operation=name,
                                                            names=_more([vm["name"] for vm in ok], len(ok), 3))
    if refused:
        tip += translate("VmStates", " (skipped: {why}; {operation} needs {states})").format(
            why=_names_and_states(refused), operation=name, states=needs(op))
    return Availability(True, ok, tip)


def settings_frozen_reason(vm: dict) -> str | None:
    """Why processor, memory and the guest image cannot change now, or None if they can."""
    if vm["state"] in SETTINGS_EDITABLE_STATES:
        return None
    return translate("VmStates", "{name} is {state}: processors, memory, the guest image and devices can change only "
                               "while it is Off").format(name=vm["name"], state=state_text(vm["state"]))


def confirmation(key: str, vms: list[dict]) -> tuple[str, str, str] | None:
    """(title, question, what will be lost) for operations that lose something, else None."""
    names = _more([vm["name"] for vm in vms], len(vms), 5)
    several = len(vms) > 1
    saved = [vm["name"] for vm in vms if vm["state"] == "Saved"]
    if key == "turn_off":
        lost = translate("VmStates", "Turning off is like pulling the power cord: everything in the guest's memory "
                                   "that it has not written elsewhere - running programs, unsaved work, the console "
                                   "session - is lost.")
        if saved:
            lost += " " + translate("VmStates", "The saved state of {names} is deleted.").format(names=", ".join(saved))
        title = (translate("VmStates", "Turn off virtual machines") if several
                 else translate("VmStates", "Turn off virtual machine"))
        return title, translate("VmStates", "Turn off {names}?").format(names=names), lost
    if key == "reset":
        title = (translate("VmStates", "Reset virtual machines") if several
                 else translate("VmStates", "Reset virtual machine"))
        return (title, translate("VmStates", "Reset {names}?").format(names=names),
                translate("VmStates", "Reset restarts the guest at once, without asking it: its running programs and "
                                    "everything in its memory are lost."))
    if key == "remove":
        folders = "; ".join(vm.get("folder") or "?" for vm in vms[:3])
        if several:
            text = (translate("VmStates", "Their configurations and saved states ({folders}{more}) will be deleted. "
                                        "Guest image files are not touched.") if saved else
                    translate("VmStates", "Their configurations ({folders}{more}) will be deleted. Guest image files "
                                        "are not touched."))
            lost = text.format(folders=folders, more=", ..." if len(vms) > 3 else "")
        else:
            text = (translate("VmStates", "Its configuration and saved state in {folders} will be deleted. The guest "
                                        "image file is not touched.") if saved else
                    translate("VmStates", "Its configuration in {folders} will be deleted. The guest image file is not "
                                        "touched."))
            lost = text.format(folders=folders)
        if storage_option(vms):
            lost += " " + translate("VmStates", "Virtual hard disks are kept unless you tick the box below.")
        title = (translate("VmStates", "Delete virtual machines") if several
                 else translate("VmStates", "Delete virtual machine"))
        return title, translate("VmStates", "Delete {names}?").format(names=names), lost
    return None


def storage_option(vms: list[dict]) -> str | None:
    """The check box of the delete confirmation that deletes the VMs' disks too, naming them; None if none."""
    disks = [vm["disk"] for vm in vms if vm.get("disk")]
    if not disks:
        return None
    shown = _more(disks, len(disks), 3)
    if len(disks) > 1:
        return translate("VmStates", "Also delete the virtual hard disks ({disks})").format(disks=shown)
    return translate("VmStates", "Also delete the virtual hard disk ({disks})").format(disks=shown)
