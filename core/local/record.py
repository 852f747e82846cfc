"""A VM as the host service holds it, and the checks every path in a request goes through."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from core.model.errors import UsageError
from core.model.names import short
from core.model.states import CONFIG_ERROR, VmState

from .store import StoredVm, VmConfig

RELATIVE_PATH = "give an absolute path; the command line resolves paths for you"
DAMAGED = ".damaged-"  # saved.vmstate.damaged-<time>: a saved state that could not be used, moved aside


def damaged_saved_states(folder: Path, saved_name: str) -> list[Path]:
    """The saved states of a VM folder that were moved aside as damaged (kept until the VM is removed)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(folder / n for n in names if n.startswith(saved_name + DAMAGED))


def bundled_image() -> str:
    from resources import GUEST_IMAGE

    return str(GUEST_IMAGE)


def host_path(value: str, what: str) -> str:
    """``value`` as the host keeps it (absolute, symbolic links resolved), or UsageError: a path in a request is a
    path on this host, so a relative one (or ``~``) would be resolved against the service's folder, not the
    caller's."""
    if not os.path.isabs(value):
        raise UsageError(f"{what} {short(value)}: {RELATIVE_PATH}", code="path.relative", path=value)
    try:
        return str(Path(value).resolve())
    except RuntimeError:  # a symbolic link loop
        raise UsageError(f"{what} {value}: a loop of symbolic links", code="path.loop", path=value) from None
    except OSError as e:
        raise UsageError(f"{what} {value}: {e.strerror or e}", code="path.invalid", path=value) from None


class VmRecord:
    """A VM as the service holds it: its stored folder and, once started, its partition."""

    def __init__(self, stored: StoredVm) -> None:
        self.stored = stored
        self.partition = None
        self.lock = threading.RLock()  # one operation on a VM at a time

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def config(self) -> VmConfig | None:
        return self.stored.config

    @property
    def name(self) -> str:
        return self.config.name if self.config else self.stored.id

    @property
    def state(self) -> str:
        if self.config is None:
            return CONFIG_ERROR
        return self.partition.state.value if self.partition is not None else VmState.OFF.value
