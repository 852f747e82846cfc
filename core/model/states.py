"""VM states as Hyper-V names them, the transitions between them, and the ONE table of which operation a state
allows: the engine checks it, every kind of host refuses with it, the console greys out actions with it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class VmState(str, Enum):
    OFF = "Off"
    STARTING = "Starting"
    RUNNING = "Running"
    PAUSING = "Pausing"
    PAUSED = "Paused"
    RESUMING = "Resuming"
    SAVING = "Saving"
    SAVED = "Saved"
    STOPPING = "Stopping"
    CRITICAL = "Critical"

    def __str__(self) -> str:
        return self.value


# not a state of a partition: a VM whose stored configuration cannot be read is listed with this "state"
CONFIG_ERROR = "Configuration error"

S = VmState
TRANSITIONS: dict[VmState, frozenset[VmState]] = {
    S.OFF: frozenset({S.STARTING}),
    S.STARTING: frozenset({S.RUNNING, S.OFF, S.SAVED, S.CRITICAL}),  # failed starts fall back where they came from
    S.RUNNING: frozenset({S.PAUSING, S.SAVING, S.STOPPING, S.CRITICAL}),
    S.PAUSING: frozenset({S.PAUSED, S.CRITICAL}),
    S.PAUSED: frozenset({S.RESUMING, S.SAVING, S.STOPPING, S.CRITICAL}),
    S.RESUMING: frozenset({S.RUNNING, S.CRITICAL}),
    S.SAVING: frozenset({S.SAVED, S.RUNNING, S.PAUSED, S.CRITICAL}),  # a failed save leaves the VM as it was
    S.SAVED: frozenset({S.STARTING, S.OFF}),
    S.STOPPING: frozenset({S.OFF, S.CRITICAL}),
    S.CRITICAL: frozenset({S.STARTING, S.STOPPING, S.OFF}),
}
STABLE = frozenset({S.OFF, S.RUNNING, S.PAUSED, S.SAVED, S.CRITICAL})
ACTIVE = frozenset({S.RUNNING, S.PAUSED, S.PAUSING, S.RESUMING, S.SAVING, S.STARTING, S.STOPPING})


@dataclass(frozen=True)
class Operation:
    key: str
    label: str  # as a menu shows it, without "..."
    states: frozenset[str]  # the state names it may start from
    confirm: bool = False  # loses something: the console asks first

    def allows(self, state: str) -> bool:
        return str(state) in self.states


def _op(key: str, label: str, *states: str, confirm: bool = False) -> Operation:
    return Operation(key, label, frozenset(states), confirm)


# operation -> the states it may start from. Turning off a Saved VM discards its saved state; turning off a VM that
# is shutting down forces it off.
OPERATIONS: dict[str, Operation] = {o.key: o for o in (
    _op("start", "Start", "Off", "Saved", "Critical"),
    _op("shut_down", "Shut Down", "Running"),
    _op("turn_off", "Turn Off", "Running", "Paused", "Critical", "Saved", "Stopping", confirm=True),
    _op("save", "Save", "Running", "Paused"),
    _op("pause", "Pause", "Running"),
    _op("resume", "Resume", "Paused"),
    _op("reset", "Reset", "Running", "Paused", confirm=True),
    _op("remove", "Delete", "Off", "Saved", CONFIG_ERROR, confirm=True),
    _op("delete_saved_state", "Delete Saved State", "Saved", confirm=True),
    _op("migrate", "Migrate", "Running", "Paused"),
)}
BULK = ("start", "shut_down", "save", "turn_off")
STATE_ORDER = ("Off", "Saved", "Critical", "Running", "Paused", CONFIG_ERROR)


class TransitionError(Exception):
    """An operation the VM's present state does not allow; the message says what would."""


def needs(operation: str) -> str:
    """The states an operation needs, in words: "Running or Paused"."""
    states = sorted(OPERATIONS[operation].states,
                    key=lambda s: STATE_ORDER.index(s) if s in STATE_ORDER else len(STATE_ORDER))
    return states[0] if len(states) == 1 else ", ".join(states[:-1]) + " or " + states[-1]


def check_operation(vm_name: str, operation: str, state) -> None:
    """TransitionError unless ``operation`` may start from ``state`` (a VmState or a state name)."""
    if not OPERATIONS[operation].allows(state):
        verb = operation.replace("_", " ")
        raise TransitionError(f"cannot {verb} VM '{vm_name}': it is {state} ({verb} needs {needs(operation)})")


def check_transition(old: VmState, new: VmState) -> None:
    if new not in TRANSITIONS[old]:
        raise TransitionError(f"state change {old.value} -> {new.value} is not allowed")
