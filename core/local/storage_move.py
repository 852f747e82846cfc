"""vm.move.storage: a VM's virtual hard disk moved to another folder of this host while the VM runs (Hyper-V's
Move-VMStorage). The copy is a new image of the same format and size, written through the disk API under a
temporary name beside its final one; the guest keeps writing while blocks are copied in rounds, then it is kept
still for a moment (the last blocks, the copy renamed into place, vm.json switched, the guest on the copy) and goes
on. An Off or Saved VM's disk is copied, then its configuration switched.

Faults leave the VM on its old disk: a cancel, a full destination, the VM stopped or restarted meanwhile. The
partial copy is removed; one that a killed service left (``.<name>.<hex8>.tmp``) is swept at the next start (the
targets are written down first, as disk.new does). The old disk is deleted only when it lay in the VM's own folder
or ``delete_source`` asks; otherwise the result says where it was left. Inside the pause the copy is renamed into
place before vm.json names it: a kill between the two leaves an extra copy beside the old configuration, never a
configuration naming a file that is not there.

A VM with checkpoints is refused (its disk is the top of a differencing chain, core/engine/storage/differencing.py,
whose parents a storage move does not carry yet), so the disk moved is one file.
"""

from __future__ import annotations

import errno
import os
import time
from dataclasses import replace
from pathlib import Path

from core.hosts.registry import implements
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.files import fsync_dir, temp_name
from core.model.states import VmState
from core.model.units import format_size

from .disks import FOLDER_MODE, _missing_folders
from .record import host_path

_KINDS = {"vhd-dynamic": "dynamic", "vhd-fixed": "fixed", "raw": "raw"}
_MOVABLE = ("Running", "Paused", "Off", "Saved")
SPACE_MARGIN = 16 << 20  # metadata, and what the guest may add while the copy runs


class StorageMoveMethods:
    # --- vm.move.storage -----------------------------------------------------------------------------------------
    @implements("vm.move.storage")
    def move_storage(self, vm: str, path: str, delete_source: bool = False, bandwidth: int = 0) -> dict:
        """Move the VM's disk into the folder ``path`` (made if missing) as a job; ``bandwidth``: bytes/s, 0 for
        as fast as the disks go."""
        from core.engine.storage import DiskError, disk_size_for, open_disk

        record = self._usable(vm)
        old = record.config.disk
        if not old:
            raise UsageError(f"VM '{record.name}' has no virtual hard disk to move")
        if not path:
            raise UsageError("give the folder to move the disk to")
        folder = Path(host_path(path, "path"))
        target = folder / os.path.basename(old)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is not a folder")
        _missing_folders(folder)  # UsageError if a file is in the way
        if os.path.realpath(target) == os.path.realpath(old):
            raise UsageError(f"the disk of VM '{record.name}' is in {folder} already")
        if os.path.lexists(target):
            raise UsageError(f"{folder} already holds a file named {target.name}; choose another folder",
                             code="storage.exists", path=str(target))
        if record.state not in _MOVABLE:
            raise StateError(f"cannot move the storage of VM '{record.name}' while it is {record.state}",
                             code="vm.state", vm=record.name, operation="move_storage", state=record.state)
        try:
            with open_disk(old, read_only=True, format=record.config.disk_format or None) as src:
                fmt, size = src.format, src.size
                block = getattr(src, "block_size", None) if fmt == "vhd-dynamic" else None
                usage = src.info()["disk_usage"]
        except DiskError as e:
            raise UsageError(str(e)) from None
        kind = _KINDS[fmt]
        if disk_size_for(size, kind) != size:
            raise UsageError(f"{old}: its virtual size of {size} bytes is not one a new {kind} disk here can "
                             "have (made by another tool?); convert it first")
        self._check_space(folder, usage, old)
        with self._lock:
            moves = self._storage_moves()
            if record.id in moves and not self._move_finished(moves[record.id]):
                raise StateError(f"the storage of VM '{record.name}' is being moved already (job {moves[record.id]})",
                                 code="vm.busy", vm=record.name)
            moves[record.id] = 0
        try:
            tmp = temp_name(target)
            for leftover in (target, tmp):  # what a killed service leaves is swept at the next start
                self.pending_disks.add(str(leftover))
            plan = {"old": old, "folder": folder, "target": target, "tmp": tmp, "format": fmt, "kind": kind,
                    "size": size, "block": block, "delete_source": delete_source, "bandwidth": bandwidth}
            job = self.submit_job("Move VM storage", record.id, lambda ctx: self._move_storage(ctx, record, plan),
                                  cancellable=True)
        except BaseException:
            with self._lock:
                self._storage_moves().pop(record.id, None)
            raise
        with self._lock:
            if record.id in self._storage_moves():
                self._storage_moves()[record.id] = job["id"]
        return job

    # --- checks ------------------------------------------------------------------------------------------------
    def _storage_moves(self) -> dict:
        """VM id -> the job moving its storage (one at a time per VM)."""
        moves = getattr(self, "_moving_storage", None)
        if moves is None:
            moves = self._moving_storage = {}
        return moves

    def _move_finished(self, job_id: int) -> bool:
        """A move whose job ended without running (cancelled while queued) does not hold its VM."""
        if not job_id:
            return False
        try:
            return self.jobs.get(job_id).state.finished
        except Exception:
            return True

    @staticmethod
    def _check_space(folder: Path, usage: int, old: str) -> None:
        probe = folder
        while not probe.exists():
            probe = probe.parent
        try:
            st = os.statvfs(probe)
        except OSError:
            return
        free = st.f_bavail * st.f_frsize
        if free < usage + SPACE_MARGIN:
            raise UsageError(f"not enough free space in {folder} for {os.path.basename(old)}: it needs about "
                             f"{format_size(usage + SPACE_MARGIN)}, {format_size(free)} is free; choose another "
                             "folder or make room", code="storage.no_space", needed=usage + SPACE_MARGIN, free=free)

    # --- the job -----------------------------------------------------------------------------------------------
    def _move_storage(self, ctx, record, plan: dict) -> dict:
        from core.engine.partition_storage import quiesced, switch_disk, tracked_disk
        from core.engine.storage import DiskError, create_disk, open_disk
        from core.engine.storage.livecopy import CopyCancelled, DiskCopy, DiskWriter
        from core.hosts.jobs import JobCancelled
        from core.model.states import TransitionError

        old, target, tmp = plan["old"], plan["target"], plan["tmp"]
        name = record.name
        started = time.monotonic()
        made: list[Path] = []
        dst = opened = copy = None
        live = False
        try:
            for f in _missing_folders(plan["folder"]):
                f.mkdir(mode=FOLDER_MODE)
                made.append(f)
            ctx.progress(1, f"creating {target.name} in {plan['folder']}")
            dst = create_disk(tmp, plan["size"], plan["kind"], block_size=plan["block"])
            p = record.partition
            live = p is not None and p.state in (VmState.RUNNING, VmState.PAUSED)
            if p is not None and not live and p.state not in (VmState.OFF, VmState.SAVED):
                raise StateError(f"cannot move the storage of VM '{name}' while it is {p.state.value}; try again "
                                 "once it is running, off or saved")
            started_at = p.started_at if p is not None else None
            source = tracked_disk(p) if live else None
            if not live:
                source = opened = open_disk(old, read_only=True, format=plan["format"])
            copy = DiskCopy(source, DiskWriter(dst), cancel=lambda: ctx.cancelled, bandwidth=plan["bandwidth"],
                            progress=lambda info: _report(ctx, info), consumer="storage-move")
            copy.precopy()
            ctx.check_cancelled()

            def switch():
                dst.close()
                _into_place(tmp, target)
                new = open_disk(str(target), format=plan["format"])
                try:
                    self._save_config(record, replace(record.config, disk=str(target), disk_format=plan["format"]))
                except BaseException:
                    new.close()
                    os.unlink(target)
                    raise
                return new

            with record.lock:
                if self.vms.get(record.id) is not record or record.config is None or record.config.disk != old:
                    raise StateError(f"VM '{name}' was removed or its disk changed during the move")
                if live:
                    with quiesced(p, source):
                        t0 = time.monotonic()
                        last = copy.final()
                        old_disk = switch_disk(p, switch())
                        pause = time.monotonic() - t0
                    old_disk.close()
                else:
                    if record.partition is not p or (p is not None and (
                            p.state not in (VmState.OFF, VmState.SAVED) or p.started_at != started_at)):
                        raise StateError(f"VM '{name}' was started during the move")
                    last = copy.final()
                    switch().close()
                    if p is not None:  # a Saved VM restores from the new disk
                        p.config.disk, p.config.disk_format = str(target), plan["format"]
                    pause = 0.0
        except (CopyCancelled, JobCancelled):
            self._undo_move(dst, tmp, made)
            raise JobCancelled(f"cancelled; VM '{name}' goes on with its disk at {old}") from None
        except DiskError as e:
            self._undo_move(dst, tmp, made)
            raise OperationFailed(f"cannot move the storage of VM '{name}': {_reason(e)}; it goes on with {old}") \
                from None
        except TransitionError as e:
            self._undo_move(dst, tmp, made)
            raise StateError(f"cannot move the storage of VM '{name}': {e}; its disk stays at {old}") from None
        except OSError as e:
            self._undo_move(dst, tmp, made)
            raise OperationFailed(f"cannot move the storage of VM '{name}': {e.strerror or e}; it goes on with "
                                  f"{old}") from None
        except BaseException:
            self._undo_move(dst, tmp, made)
            raise
        finally:
            if copy is not None:
                copy.close()
            if opened is not None:
                opened.close()
            for leftover in (target, tmp):
                self.pending_disks.done(str(leftover))
            with self._lock:
                self._storage_moves().pop(record.id, None)
        kept = self._old_disk_fate(record, old, plan["delete_source"])
        self._emit("vm.changed", self._vm_dict(record))
        summary = copy.summary()
        return {"name": name, "state": record.state, "disk": str(target), "old_disk": old,
                "old_disk_deleted": kept is None, "message": kept or f"deleted the old disk {old}", "live": live,
                "rounds": summary["rounds"], "per_round": summary["per_round"], "sent_bytes": summary["sent_bytes"],
                "final_bytes": last["bytes"], "pause_s": round(pause, 4),
                "total_s": round(time.monotonic() - started, 3)}

    def _old_disk_fate(self, record, old: str, delete: bool) -> str | None:
        """Delete the old image if it was the VM's own (in its folder) or ``delete`` asks; None when deleted, else
        the sentence saying where it was left."""
        own = os.path.dirname(os.path.realpath(old)) == os.path.realpath(record.stored.folder)
        if not (own or delete):
            return f"left the old disk at {old}"
        try:
            os.unlink(old)
        except FileNotFoundError:
            return None
        except OSError as e:
            return f"left the old disk at {old} (it could not be deleted: {e.strerror or e})"
        return None

    @staticmethod
    def _undo_move(dst, tmp: Path, made: list[Path]) -> None:
        if dst is not None:
            try:
                dst.close()
            except Exception:
                pass
        try:
            os.unlink(tmp)
        except OSError:
            pass
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                break


def _into_place(tmp: Path, target: Path) -> None:
    """The copy under its real name, never over a file that appeared there meanwhile."""
    try:
        os.link(tmp, target)
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, f"{target} appeared during the move") from None
        os.rename(tmp, target)
    else:
        os.unlink(tmp)
    fsync_dir(target.parent)


def _reason(e: Exception) -> str:
    text = str(e)
    if "No space left" in text:
        return text.replace("No space left on device", "the destination is full")
    return text


def _report(ctx, info: dict) -> None:
    """Job progress from a copy's: round 0 is the bulk (to 85 %), later rounds and the final one the rest."""
    total = info["round_bytes"] or 1
    share = info["round_done"] / total
    if info["round"] == 0 and info["phase"] != "final":
        percent = 2 + int(83 * share)
    else:
        percent = min(99, 85 + 3 * info["round"])
    what = "final round" if info["phase"] == "final" else f"round {info['round']}"
    ctx.progress(percent, f"{what}: {format_size(info['round_done'])} of {format_size(info['round_bytes'])} "
                          f"copied, {format_size(info['dirty_bytes'])} written since, "
                          f"{format_size(info['bandwidth'])}/s")
