"""Checkpoints of the embedded engine's VMs (docs/checkpoints.md): take, list, apply, revert, rename, delete.

A checkpoint keeps the VM's configuration, its disk as it was (the disk file the VM used becomes read-only history
and a new differencing child, in ``checkpoints/disks/``, becomes the VM's disk) and, for a running, paused or
saved VM, its memory and device state. A running VM is kept still only while its state is written and its disk is
switched (``pause_s`` in the job's result). The tree is in the VM's folder (checkpoints_tree.py).

Deleting a checkpoint hands its disk's data on: a disk nobody needs any more as its own content, with one
differencing child, takes that child's data (merged into it) and the child's place; with none it is deleted (if
Bulkhead made it). While the VM runs, a link inside its open chain is merged live through the chain (the guest
keeps writing to its top); the link right under the running top is merged once the VM is off or saved.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path

from core.hosts.registry import implements
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.files import fsync_dir
from core.model.names import validate_name
from core.model.states import VmState

from . import checkpoints_tree as ct
from .checkpoints_files import (
    CHILD_FORMAT,
    MemoryCopy,
    _format_of,
    _level,
    _link_or_copy,
    _unlink,
    left_behind,
    reconcile_parents,
)
from .checkpoints_tree import MAX_CHECKPOINTS, Checkpoint, Tree
from .crash_points import crash_point
from .store import ConfigError, VmConfig

log = logging.getLogger(__name__)

TAKEABLE = ("Off", "Saved", "Running", "Paused")
APPLICABLE = ("Off", "Saved", "Running", "Paused", "Critical")
_LIVE = (VmState.RUNNING, VmState.PAUSED)
KEPT = ("id", "name", "created", "last_running")  # what applying a checkpoint leaves as the VM has it now


class CheckpointMethods:
    # --- the tree of a VM ----------------------------------------------------------------------------------------
    def _tree(self, record) -> Tree:
        trees = self.__dict__.setdefault("_checkpoint_trees", {})
        tree = trees.get(record.id)
        if tree is None or tree.folder != record.stored.folder:
            tree = trees[record.id] = ct.load(record.stored.folder)
            changed = reconcile_parents(tree)
            config = record.config
            if config is not None and tree.top != config.disk:
                # a take or apply stopped between writing vm.json and the tree: the VM's disk is what vm.json
                # says (a child the tree knows: "now" is the checkpoint whose disk is its parent), or another disk
                # it was given (its old top is history)
                top = config.disk if config.disk in tree.files else ""
                owners = [c.id for c in tree.checkpoints.values() if top and c.disk == tree.files[top]]
                if top != tree.top or (len(owners) == 1 and tree.now != owners[0]):
                    tree.top, tree.now, changed = top, owners[0] if len(owners) == 1 else tree.now, True
            if config is not None:  # what a killed take or apply left (checkpoints_files.left_behind)
                adopt, stray = left_behind(tree, config.disk)
                for path in stray:
                    log.warning("removing %s, left by a checkpoint that was interrupted", path)
                    tree.files.pop(path, None)
                    _unlink(path)
                if adopt:  # written to, maybe: the VM's disk, its old one history (merged when nobody needs it)
                    log.warning("%s is VM '%s''s disk: a checkpoint was interrupted after the VM used it", adopt,
                                record.name)
                    tree.files[adopt] = config.disk
                    tree.top = adopt
                    tree.save()
                    self._set_disk(record, adopt, CHILD_FORMAT)
                changed = changed or bool(stray)
            if changed:
                tree.save()
        return tree

    def _forget_tree(self, record) -> None:
        """After a failed operation the tree is read again from the VM's folder, whose files are always whole."""
        self.__dict__.get("_checkpoint_trees", {}).pop(record.id, None)

    def _guarded(self, record, fn, *args):
        try:
            return fn(*args)
        except Exception:
            self._forget_tree(record)
            raise

    def _vm_dict(self, record, brief: bool = False) -> dict:
        tree = self._tree(record) if record.config is not None else None  # first: reading it may change the VM's disk
        d = super()._vm_dict(record, brief=brief)
        if tree is not None:
            d["checkpoints"] = len(tree.checkpoints)
            now = tree.checkpoints.get(tree.now) if tree.now else None
            d["checkpoint"] = now.name if now else ""
        return d

    def run_start_actions(self) -> list[int]:
        """Every VM's tree read (what a killed operation left tidied, checkpoints_files) before any VM starts."""
        for record in list(self.vms.values()):
            if record.config is not None:
                with record.lock:
                    self._tree(record)
        return super().run_start_actions()

    def _start(self, record) -> dict:
        with record.lock:  # a VM starts on the disk its tree says once read (a take cut after the switch)
            if record.config is not None:
                self._tree(record)
            return super()._start(record)

    def _unknown_files(self, record) -> list[str]:
        return [n for n in super()._unknown_files(record) if n not in ct.OWN_NAMES]

    def _not_busy(self, record) -> None:
        """A VM being moved, or whose storage is being moved, keeps its disk and state as they are until then."""
        self._refuse_moving(record)
        job = self._storage_moves().get(record.id)
        if job is not None and not self._move_finished(job):
            raise StateError(f"the storage of VM '{record.name}' is being moved (job {job}): try again once it is "
                             "done", code="vm.busy", vm=record.name)

    def _changed(self, record) -> None:
        self._emit("vm.changed", self._vm_dict(record))

    # --- reads ---------------------------------------------------------------------------------------------------
    @implements("vm.checkpoint.list")
    def list_checkpoints(self, vm: str) -> dict:
        record = self._usable(vm)
        with record.lock:
            return self._tree(record).listing()

    # --- take ----------------------------------------------------------------------------------------------------
    @implements("vm.checkpoint.new")
    def new_checkpoint(self, vm: str, name: str = "") -> dict:
        record = self._usable(vm)
        self._not_busy(record)
        tree = self._tree(record)
        if len(tree.checkpoints) >= MAX_CHECKPOINTS:
            raise StateError(f"VM '{record.name}' has {len(tree.checkpoints)} checkpoints, the most a VM can have: "
                             "delete one first", code="checkpoint.limit", vm=record.name, limit=MAX_CHECKPOINTS)
        if record.state not in TAKEABLE:
            raise StateError(f"cannot take a checkpoint of VM '{record.name}' while it is {record.state}",
                             code="vm.state", vm=record.name, operation="checkpoint", state=record.state)
        if not name:
            name = f"{record.name[:40]} - ({time.strftime('%Y-%m-%d %H:%M:%S')})"
        name = validate_name(name, "a checkpoint name", max_length=100)
        if record.config.disk and record.config.disk_format == "raw":
            raise UsageError(f"VM '{record.name}': its disk {record.config.disk} is a raw image, which cannot have "
                             "differencing children; convert it to a VHD first", code="checkpoint.raw_disk")
        return self._job("Create checkpoint", record, lambda ctx: self._take(ctx, record, name))

    def _take(self, ctx, record, name: str) -> dict:
        from core.engine.savestate import write_saved_state
        from core.engine.storage import DiskError
        from core.engine.storage.differencing import create_differencing

        with record.lock:
            tree = self._tree(record)
            if len(tree.checkpoints) >= MAX_CHECKPOINTS:
                raise StateError(f"VM '{record.name}' has {MAX_CHECKPOINTS} checkpoints, the most a VM can have: "
                                 "delete one first", code="checkpoint.limit")
            config, p, state = record.config, record.partition, record.state
            if state not in TAKEABLE:
                raise StateError(f"cannot take a checkpoint of VM '{record.name}' while it is {state}")
            if state in ("Off", "Saved") and self._collapse(record, tree):  # what waited for the VM to stop
                config = record.config
            cid = uuid.uuid4().hex
            memory = state != "Off"
            ck = Checkpoint(cid, name, tree.now, time.time(), memory, state, config.to_dict(), config.disk,
                            config.disk_format)
            child = str(tree.disks / f"{Path(config.disk).stem.split('_')[0]}_{cid[:12]}.avhd") if config.disk else ""
            tree.root.mkdir(mode=0o700, exist_ok=True)
            if child:
                tree.disks.mkdir(mode=0o700, exist_ok=True)
            staging = tree.root / f".{cid}.{uuid.uuid4().hex[:8]}.tmp"
            staging.mkdir(mode=0o700)
            switched = False
            pause = pages = header = None
            try:
                tree.write_meta(staging, ck)
                crash_point("checkpoint.meta")
                ctx.progress(20, "saving the VM's state" if memory else "keeping the configuration")
                if state == "Saved":
                    _link_or_copy(self.store.saved_state_path(record.id), staging / ct.STATE)
                    if child:
                        create_differencing(child, config.disk)
                elif state in ("Running", "Paused"):
                    header, pages, old, pause = self._capture(ctx, p, cid, child, config.disk)
                    switched = bool(child)
                    if old is not None:
                        old.close()
                elif child:
                    create_differencing(child, config.disk)
                crash_point("checkpoint.disk")
                if child:  # the VM's disk is the child from here on, checkpoint or not
                    tree.files[child] = config.disk
                    tree.save()  # known before vm.json names it, so nothing takes it for a leftover
                    self._set_disk(record, child, CHILD_FORMAT)
                    crash_point("checkpoint.config")
                    tree.top = child
                    switched = True
                    tree.save()
                crash_point("checkpoint.switched")
                if pages is not None:
                    ctx.progress(50, "writing the VM's memory")  # the guest runs on meanwhile
                    try:
                        write_saved_state(staging / ct.STATE, header, pages)
                    finally:
                        pages.close()
                        pages = None
                os.rename(staging, tree.path(cid))
                fsync_dir(tree.root)
                crash_point("checkpoint.folder")
                tree.checkpoints[cid] = ck
                tree.now = cid
                tree.save()
            except DiskError as e:
                self._abandon(staging, child, switched)
                self._forget_tree(record)
                raise OperationFailed(f"cannot take a checkpoint of VM '{record.name}': {e}") from None
            except OSError as e:
                self._abandon(staging, child, switched)
                self._forget_tree(record)
                raise OperationFailed(f"cannot take a checkpoint of VM '{record.name}': {e.strerror or e}") from None
            except Exception:
                self._abandon(staging, child, switched)
                self._forget_tree(record)
                raise
            finally:
                if pages is not None:
                    pages.close()
        self._changed(record)
        return {"name": record.name, "state": record.state, "checkpoint": {"id": cid, "name": name},
                "memory": memory, "disk": child, "pause_s": round(pause, 4) if pause is not None else None}

    @staticmethod
    def _capture(ctx, p, cid: str, child: str, parent: str):
        """A running (or paused) VM's state for its checkpoint: its memory copied aside while the guest runs, then,
        kept still, the pages it wrote since, its processors and devices, and its disk switched to ``child``.
        Returns (header, pages, the old disk still open or None, seconds the guest was kept still)."""
        from core.engine.partition_storage import quiesced, switch_disk
        from core.engine.storage import open_disk
        from core.engine.storage.differencing import create_differencing

        consumer = f"checkpoint-{cid}"
        with p._op_lock:  # no stop, save or reset of the VM until its state is in hand
            if p.state not in _LIVE or p.memory is None:
                raise StateError(f"VM '{p.name}' is {p.state.value}: take the checkpoint again")
            p.dirty.register(consumer)
            pages = MemoryCopy(p.config.memory)
            try:
                ctx.progress(10, "copying the VM's memory")
                pages.precopy(p.memory)
                old = None
                with quiesced(p):
                    t0 = time.monotonic()
                    header = p._state_header()
                    pages.finish(p.memory, p.dirty.collect(consumer))
                    if child:
                        p.disk.flush()
                        create_differencing(child, parent)
                        old = switch_disk(p, open_disk(child, format=CHILD_FORMAT))
                        p.config.disk_format = CHILD_FORMAT
                    pause = time.monotonic() - t0
            except BaseException:
                pages.close()
                raise
            finally:
                p.dirty.unregister(consumer)
        return header, pages, old, pause

    @staticmethod
    def _abandon(staging: Path, child: str, switched: bool) -> None:
        """What a failed take made goes: the staging folder, the child disk unless the VM uses it already."""
        shutil.rmtree(staging, ignore_errors=True)
        if child and not switched:
            try:
                os.unlink(child)
            except OSError:
                pass

    def _set_disk(self, record, path: str, disk_format: str) -> None:
        """The VM's configuration names ``path`` as its disk (and a Saved or Off partition restores from it)."""
        if record.config.disk != path or record.config.disk_format != disk_format:
            self._save_config(record, replace(record.config, disk=path, disk_format=disk_format if path else ""))
        p = record.partition
        if p is not None and p.state not in _LIVE:
            p.config.disk, p.config.disk_format = path, (disk_format or None) if path else None

    # --- apply and revert ----------------------------------------------------------------------------------------
    @implements("vm.checkpoint.apply")
    def apply_checkpoint(self, vm: str, checkpoint: str) -> dict:
        record = self._usable(vm)
        ck = self._tree(record).find(checkpoint, record.name)
        return self._apply_job(record, ck, "Apply checkpoint")

    @implements("vm.checkpoint.revert")
    def revert_checkpoint(self, vm: str) -> dict:
        record = self._usable(vm)
        tree = self._tree(record)
        if tree.now is None:
            raise StateError(f"VM '{record.name}' has no checkpoint to revert to", code="checkpoint.none",
                             vm=record.name)
        return self._apply_job(record, tree.checkpoints[tree.now], "Revert VM")

    def _apply_job(self, record, ck: Checkpoint, title: str) -> dict:
        self._not_busy(record)
        if record.state not in APPLICABLE:
            raise StateError(f"cannot apply a checkpoint to VM '{record.name}' while it is {record.state}",
                             code="vm.state", vm=record.name, operation="apply_checkpoint", state=record.state)
        config = self._checkpoint_config(record, ck)
        return self._job(title, record, lambda ctx: self._guarded(record, self._apply, ctx, record, ck.id, config))

    def _checkpoint_config(self, record, ck: Checkpoint) -> VmConfig:
        data = dict(ck.config) | {k: getattr(record.config, k) for k in KEPT}
        try:
            config = VmConfig.from_dict(data)
        except ConfigError as e:
            raise OperationFailed(f"checkpoint '{ck.name}' of VM '{record.name}' has a configuration this host "
                                  f"cannot use: {e}") from None
        if config.network and config.network not in self.switches:
            raise StateError(f"checkpoint '{ck.name}' connects VM '{record.name}' to virtual switch "
                             f"'{config.network}', which no longer exists: create it first (bulkhead switch new "
                             f"{config.network})", code="checkpoint.switch_missing")
        return config

    def _apply(self, ctx, record, cid: str, config: VmConfig) -> dict:
        from core.engine.storage import DiskError
        from core.engine.storage.differencing import create_differencing

        with record.lock:
            tree = self._tree(record)
            ck = tree.checkpoints.get(cid)
            if ck is None:
                raise StateError(f"the checkpoint of VM '{record.name}' was deleted meanwhile")
            child = str(tree.disks / f"{Path(ck.disk).stem.split('_')[0]}_{uuid.uuid4().hex[:12]}.avhd") \
                if ck.disk else ""
            if child:
                tree.disks.mkdir(mode=0o700, parents=True, exist_ok=True)
                try:
                    create_differencing(child, ck.disk)
                except DiskError as e:
                    raise OperationFailed(f"cannot apply checkpoint '{ck.name}': {e}") from None
            ctx.progress(30, "turning the VM off")
            p = record.partition
            if p is not None and p.state not in (VmState.OFF, VmState.SAVED):
                try:
                    p.turn_off()
                except Exception:
                    if p.state is not VmState.OFF:  # it went off by itself meanwhile (a guest's power off)
                        raise
            elif p is not None and p.state == VmState.SAVED:
                p.delete_saved_state()
            self._drop_partition(record)
            saved = self.store.saved_state_path(record.id)
            if child:
                tree.files[child] = ck.disk
                tree.save()  # known before vm.json names it, so nothing takes it for a leftover
            self._save_config(record, replace(config, disk=child, disk_format=CHILD_FORMAT if child else ""))
            if ck.memory:  # after vm.json: a saved state never meets the disk and configuration it was not made with
                _link_or_copy(tree.state_path(ck.id), saved)
            tree.top = child
            tree.now = ck.id
            tree.save()
            ctx.progress(70, "tidying the disks")
            self._collapse(record, tree)
            if ck.memory:
                try:
                    record.partition = self._make_partition(record)
                    record.partition.adopt_saved_state(saved)
                except Exception as e:
                    self._drop_partition(record)
                    raise OperationFailed(f"VM '{record.name}' has checkpoint '{ck.name}''s configuration and disk, "
                                          f"but its saved state cannot be used: {e}") from None
        self._changed(record)
        return {"name": record.name, "state": record.state, "checkpoint": {"id": ck.id, "name": ck.name},
                "disk": child}

    # --- rename --------------------------------------------------------------------------------------------------
    @implements("vm.checkpoint.rename")
    def rename_checkpoint(self, vm: str, checkpoint: str, name: str) -> dict:
        record = self._usable(vm)
        cid = self._tree(record).find(checkpoint, record.name).id
        name = validate_name(name, "a checkpoint name", max_length=100)

        def run(ctx):
            with record.lock:
                tree = self._tree(record)
                ck = tree.checkpoints.get(cid)
                if ck is None:
                    raise StateError(f"the checkpoint of VM '{record.name}' was deleted meanwhile")
                renamed = replace(ck, name=name)
                tree.write_meta(tree.path(cid), renamed)
                tree.checkpoints[cid] = renamed
            self._changed(record)
            return {"name": record.name, "state": record.state, "checkpoint": {"id": cid, "name": name}}

        return self._job("Rename checkpoint", record, run)

    # --- remove --------------------------------------------------------------------------------------------------
    @implements("vm.checkpoint.remove")
    def remove_checkpoint(self, vm: str, checkpoint: str, subtree: bool = False) -> dict:
        record = self._usable(vm)
        cid = self._tree(record).find(checkpoint, record.name).id
        self._not_busy(record)
        return self._job("Delete checkpoint subtree" if subtree else "Delete checkpoint", record,
                         lambda ctx: self._guarded(record, self._remove, ctx, record, cid, subtree))

    def _remove(self, ctx, record, cid: str, subtree: bool) -> dict:
        with record.lock:
            tree = self._tree(record)
            if cid not in tree.checkpoints:
                raise StateError(f"the checkpoint of VM '{record.name}' was deleted meanwhile")
            victims = tree.subtree(cid) if subtree else [tree.checkpoints[cid]]
            removed = self._drop_checkpoints(tree, victims)
            ctx.progress(40, "merging disks")
            merged = self._collapse(record, tree)
        self._changed(record)
        return {"name": record.name, "state": record.state, "removed": removed, "merged": merged}

    @staticmethod
    def _drop_checkpoints(tree: Tree, victims: list[Checkpoint]) -> list[str]:
        """Out of the tree (children re-parented to the parent, "now" moved up), then their folders deleted."""
        gone = {v.id for v in victims}
        for v in victims:
            parent = v.parent
            while parent in gone:
                parent = tree.checkpoints[parent].parent if parent in tree.checkpoints else None
            for child in tree.checkpoints.values():
                if child.parent == v.id:
                    child.parent = parent
            if tree.now == v.id:
                tree.now = parent
        for v in victims:
            tree.checkpoints.pop(v.id, None)
        if tree.now in gone:
            tree.now = None
        tree.save()
        for v in victims:
            shutil.rmtree(tree.path(v.id), ignore_errors=True)
        return [v.id for v in victims]

    # --- disks nobody needs as their own -------------------------------------------------------------------------
    def _collapse(self, record, tree: Tree) -> list[str]:
        """Hand on the data of every disk no checkpoint and not the VM holds as its content: with no differencing
        child it is deleted (if Bulkhead made it), with one its child is merged into it and it takes the child's
        place. Returns the files merged away."""
        from core.engine.storage.differencing import merge_into_parent, reparent

        merged: list[str] = []
        p = record.partition
        if p is not None and p.state not in (*_LIVE, VmState.OFF, VmState.SAVED, VmState.CRITICAL):
            raise StateError(f"VM '{record.name}' is {p.state.value}: try again once it is running, off or saved",
                             code="vm.state", vm=record.name, state=p.state.value)
        chain = None
        if p is not None and p.state in _LIVE and p.disk is not None:
            chain = p.disk.inner
        progress = True
        while progress:
            progress = False
            for disk in sorted(set(tree.files) | set(tree.files.values())):
                if not disk or tree.owners(disk):
                    continue
                deps = tree.dependants(disk)
                if not deps:
                    if tree.mine(disk):
                        del tree.files[disk]
                        tree.save()
                        _unlink(disk)
                        progress = True
                    continue
                if len(deps) > 1:
                    continue
                child = deps[0]
                level = _level(chain, child)
                if level == 0:
                    continue  # right under the running top: merged once the VM is off or saved
                if level is not None:
                    chain.merge_parent(level)  # live: the guest goes on writing to its top
                else:
                    merge_into_parent(child)
                for grandchild in tree.dependants(child):
                    if _level(chain, grandchild) is None or level is None or _level(chain, grandchild) != level - 1:
                        reparent(grandchild, disk)
                    tree.files[grandchild] = disk
                for owner in list(tree.checkpoints.values()):
                    if owner.disk == child:
                        moved = replace(owner, disk=disk)
                        tree.write_meta(tree.path(owner.id), moved)
                        tree.checkpoints[owner.id] = moved
                if tree.top == child:
                    tree.top = disk
                    fmt = CHILD_FORMAT if tree.mine(disk) else _format_of(disk)
                    self._set_disk(record, disk, fmt)
                del tree.files[child]
                tree.save()
                _unlink(child)
                merged.append(child)
                progress = True
        if tree.top and not tree.mine(tree.top):
            tree.top = ""  # the VM is back on a disk Bulkhead did not make
            tree.save()
        return merged

    # --- what moves do not carry (yet) ---------------------------------------------------------------------------
    def _describe_for_move(self, vm: str, type: str) -> dict:
        self._no_chain(self._usable(vm), "move")
        return super()._describe_for_move(vm, type)

    def move_storage(self, vm: str, path: str, delete_source: bool = False, bandwidth: int = 0) -> dict:
        self._no_chain(self._usable(vm), "move the storage of")
        return super().move_storage(vm, path, delete_source, bandwidth)

    def _no_chain(self, record, what: str) -> None:
        """A move copies one disk file: a VM whose disk is a chain of its checkpoints' differencing disks is
        refused, saying what to do; one whose checkpoints are gone is merged back onto its own disk first."""
        with record.lock:
            tree = self._tree(record)
            if tree.checkpoints:
                n = len(tree.checkpoints)
                raise StateError(f"cannot {what} VM '{record.name}': it has {n} checkpoint{'s' if n != 1 else ''}, "
                                 "which a move does not carry; delete them first (bulkhead vm checkpoint-remove "
                                 f"{record.name} CHECKPOINT --subtree)", code="vm.checkpoints", vm=record.name)
            if record.config.disk and tree.mine(record.config.disk):
                p = record.partition
                if p is not None and p.state in _LIVE:
                    raise StateError(f"cannot {what} VM '{record.name}' while it runs: its disk is still a "
                                     "differencing disk of its deleted checkpoints, merged once it is off or saved",
                                     code="vm.checkpoints", vm=record.name)
                self._collapse(record, tree)

    # --- the VM removed with its checkpoints ---------------------------------------------------------------------
    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        """vm.remove (vms.py) with the VM's checkpoints: without ``delete_storage`` the disks are merged back into
        the VM's first disk, which stays; with it every differencing disk goes and the first disk with the VM."""
        record = self._find(vm)
        with record.lock:
            job = super().remove_vm(vm, delete_storage)  # checks first; its job waits for this lock
            if record.config is not None:
                self._forget_checkpoints(record, delete_storage)
        return job

    def _forget_checkpoints(self, record, delete_storage: bool) -> None:
        tree = self._tree(record)
        if not tree.checkpoints and not tree.files and not (tree.folder / ct.TREE).exists() \
                and not tree.root.exists():
            return
        if delete_storage:
            disk = record.config.disk
            while disk in tree.files:
                disk = tree.files[disk]
            for f in list(tree.files):
                _unlink(f)
            tree.files.clear()
            if disk != record.config.disk:
                self._set_disk(record, disk, _format_of(disk))
        else:
            self._drop_checkpoints(tree, list(tree.checkpoints.values()))
            self._collapse(record, tree)
        shutil.rmtree(tree.root, ignore_errors=True)
        _unlink(str(tree.folder / ct.TREE))
        self.__dict__.get("_checkpoint_trees", {}).pop(record.id, None)
