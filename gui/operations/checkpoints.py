"""Operations on a VM's checkpoints (docs/checkpoints.md): the tree, take, apply, revert, rename, delete."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def list_checkpoints(session, vm: str, owner=None) -> HostOp:
    """{"checkpoints": [{id, name, parent, created, memory, children}], "now": id or None}."""
    return HostOp(session, lambda conn: conn.checkpoints(vm),
                  title=translate("CheckpointOperations", "Cannot list checkpoints"), owner=owner,
                  key=f"checkpoints:{vm}")


def take(session, vm: str, name: str = "", owner=None, target: str = "") -> HostOp:
    """Take a checkpoint of the VM (a running VM's memory too), as a job."""
    return HostOp(session, lambda conn: conn.checkpoint(vm, name),
                  title=translate("CheckpointOperations", "Checkpoint not taken"), target=target or vm, owner=owner)


def apply(session, vm: str, checkpoint: str, owner=None, target: str = "") -> HostOp:
    """Apply a checkpoint, as a job: the VM's current state is lost (the caller asks first)."""
    return HostOp(session, lambda conn: conn.apply_checkpoint(vm, checkpoint),
                  title=translate("CheckpointOperations", "Checkpoint not applied"), target=target or vm, owner=owner)


def take_and_apply(session, vm: str, checkpoint: str, owner=None, target: str = "") -> HostOp:
    """Take a checkpoint of the current state, then apply ``checkpoint`` (one after the other, off the GUI
    thread); the apply job is the one handed back."""
    def work(conn):
        conn.checkpoint(vm).wait(check=True)
        return conn.apply_checkpoint(vm, checkpoint)

    return HostOp(session, work, title=translate("CheckpointOperations", "Checkpoint not applied"),
                  target=target or vm, owner=owner)


def revert(session, vm: str, owner=None, target: str = "") -> HostOp:
    """Apply the checkpoint the VM's current state descends from, as a job."""
    return HostOp(session, lambda conn: conn.revert_checkpoint(vm),
                  title=translate("CheckpointOperations", "VM not reverted"), target=target or vm, owner=owner)


def rename(session, vm: str, checkpoint: str, name: str, owner=None, target: str = "") -> HostOp:
    return HostOp(session, lambda conn: conn.rename_checkpoint(vm, checkpoint, name),
                  title=translate("CheckpointOperations", "Checkpoint not renamed"), target=target or vm, owner=owner)


def remove(session, vm: str, checkpoint: str, subtree: bool = False, owner=None, target: str = "") -> HostOp:
    """Delete a checkpoint (its disk data merged where it belongs), or with ``subtree`` its descendants too."""
    return HostOp(session, lambda conn: conn.remove_checkpoint(vm, checkpoint, subtree=subtree),
                  title=translate("CheckpointOperations", "Checkpoint not deleted"), target=target or vm, owner=owner)
