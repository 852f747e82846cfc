"""Checkpoints through a Connection (docs/checkpoints.md): the tree of a VM, take, apply, revert, rename, delete;
and the tree as lines a person reads (the command line prints them)."""

from __future__ import annotations

import time


class CheckpointMethods:
    """Mixin of ``core.api.Connection``."""

    def checkpoints(self, vm: str) -> dict:
        """The VM's tree: {"checkpoints": [{id, name, parent, created, memory, children: [ids]}], "now": id or
        None (the checkpoint the VM's current state descends from)}."""
        return self.call("vm.checkpoint.list", vm=vm)

    def checkpoint(self, vm: str, name: str = ""):
        """Take a checkpoint (a running VM's memory too); the job's result has ``checkpoint`` and ``pause_s``."""
        return self._job("vm.checkpoint.new", vm=vm, **({"name": name} if name else {}))

    def apply_checkpoint(self, vm: str, checkpoint: str):
        """The VM goes back to ``checkpoint`` (an id or a unique name): its current state is lost (ask first)."""
        return self._job("vm.checkpoint.apply", vm=vm, checkpoint=checkpoint)

    def revert_checkpoint(self, vm: str):
        """Apply the checkpoint the VM's current state descends from."""
        return self._job("vm.checkpoint.revert", vm=vm)

    def rename_checkpoint(self, vm: str, checkpoint: str, name: str):
        return self._job("vm.checkpoint.rename", vm=vm, checkpoint=checkpoint, name=name)

    def remove_checkpoint(self, vm: str, checkpoint: str, subtree: bool = False):
        """Delete a checkpoint (its disk data merged where it belongs), or with ``subtree`` it and its descendants."""
        return self._job("vm.checkpoint.remove", vm=vm, checkpoint=checkpoint,
                         **({"subtree": True} if subtree else {}))


def tree_lines(tree: dict, vm: str = "") -> list[str]:
    """The tree indented, children under their parent, "Now" where the VM's current state hangs."""
    items = {c["id"]: c for c in tree.get("checkpoints") or ()}
    now = tree.get("now")
    lines: list[str] = []

    def show(cid: str, depth: int) -> None:
        c = items[cid]
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(c.get("created") or 0))
        kind = "with memory" if c.get("memory") else "configuration and disk"
        lines.append(f"{'  ' * depth}{c.get('name', '')}  ({when}, {kind}, {cid[:8]})")
        for child in c.get("children") or ():
            if child in items:
                show(child, depth + 1)
        if cid == now:
            lines.append(f"{'  ' * (depth + 1)}Now")

    for c in items.values():
        if c.get("parent") not in items:
            show(c["id"], 0)
    if now is None:
        lines.append("Now")
    return lines
