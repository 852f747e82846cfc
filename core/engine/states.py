"""Partition states as Hyper-V names them, the transitions between them, and which operation needs which state."""

from __future__ import annotations

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

# operation -> the states it may start from
OPERATIONS: dict[str, frozenset[VmState]] = {
    "start": frozenset({S.OFF, S.SAVED, S.CRITICAL}),
    "pause": frozenset({S.RUNNING}),
    "resume": frozenset({S.PAUSED}),
    "save": frozenset({S.RUNNING, S.PAUSED}),
    "reset": frozenset({S.RUNNING, S.PAUSED}),
    "turn_off": frozenset({S.RUNNING, S.PAUSED, S.CRITICAL}),
    "shut_down": frozenset({S.RUNNING}),
    "delete_saved_state": frozenset({S.SAVED}),
}

STABLE = frozenset({S.OFF, S.RUNNING, S.PAUSED, S.SAVED, S.CRITICAL})
ACTIVE = frozenset({S.RUNNING, S.PAUSED, S.PAUSING, S.RESUMING, S.SAVING, S.STARTING, S.STOPPING})


class TransitionError(Exception):
    """An operation the VM's present state does not allow; the message says what would."""


def check_operation(vm_name: str, operation: str, state: VmState) -> None:
    allowed = OPERATIONS[operation]
    if state not in allowed:
        verb = operation.replace("_", " ")
        needs = " or ".join(sorted(s.value for s in allowed))
        raise TransitionError(f"cannot {verb} VM '{vm_name}': it is {state.value} ({verb} needs {needs})")


def check_transition(old: VmState, new: VmState) -> None:
    if new not in TRANSITIONS[old]:
        raise TransitionError(f"state change {old.value} -> {new.value} is not allowed")
