"""What checkpoints of the embedded engine's VMs use beside their tree: a running VM's memory copied aside while it
runs (``MemoryCopy``), where a disk is in a running chain, a disk's format, saved states linked or copied."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path

from core.model.files import fsync_dir

log = logging.getLogger(__name__)
CHILD_FORMAT = "vhd-dynamic"  # a chain opens as a dynamic disk with a parent (core/engine/storage/differencing.py)


class MemoryCopy:
    """A VM's memory copied aside for its saved state, so that the file is written after the guest runs again:
    what ``write_saved_state`` reads (``resident_runs()`` and ``view``). ``precopy`` copies every resident page
    while the guest runs (a dirty-page consumer registered first); ``finish``, with the guest kept still, copies the
    pages written since and takes the resident runs of that moment. An anonymous mapping of the VM's size: pages
    never copied cost nothing and read as zeros, as they are in the guest."""

    def __init__(self, size: int) -> None:
        import mmap

        self._map = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.view = memoryview(self._map)
        self._runs: list[tuple[int, int]] = []

    def precopy(self, memory) -> None:
        for gpa, length in memory.resident_runs():
            self.view[gpa:gpa + length] = memory.view[gpa:gpa + length]

    def finish(self, memory, pages) -> None:
        import numpy as np

        from core.engine.memory import PAGE_SIZE

        pages = np.asarray(pages, dtype=np.int64)
        if len(pages):
            breaks = np.flatnonzero(np.diff(pages) != 1) + 1
            for run in np.split(pages, breaks):
                start, end = int(run[0]) * PAGE_SIZE, (int(run[-1]) + 1) * PAGE_SIZE
                self.view[start:end] = memory.view[start:end]
        self._runs = memory.resident_runs()

    def resident_runs(self) -> list[tuple[int, int]]:
        return self._runs

    def close(self) -> None:
        if self._map is not None:
            self.view.release()
            self._map.close()
            self._map = None


def _level(chain, path: str) -> int | None:
    """Where ``path`` is in the running chain (0: its top), or None."""
    if chain is None or not hasattr(chain, "links"):
        return None
    real = os.path.realpath(path)
    for i, link in enumerate(chain.links):
        if os.path.realpath(link.path) == real:
            return i
    return None


def _format_of(path: str) -> str:
    from core.engine.storage import DiskError, open_disk

    try:
        with open_disk(path, read_only=True) as disk:
            return CHILD_FORMAT if disk.format == "vhd-differencing" else disk.format
    except (DiskError, OSError):
        return ""


def _link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` holds what ``src`` holds: a hard link where the file system allows, else a copy (written atomically);
    saved states are replaced whole, never written in place, so the two never change each other."""
    from core.model.files import write_atomic

    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        os.link(src, tmp)
    except OSError:
        with open(src, "rb") as f:
            write_atomic(dst, lambda out: shutil.copyfileobj(f, out, 1 << 20))
        return
    os.replace(tmp, dst)
    fsync_dir(dst.parent)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        log.warning("%s could not be deleted: %s", path, e.strerror or e)


def reconcile_parents(tree) -> bool:
    """Each differencing disk of ``tree.files`` with its footer copy repaired where a re-parenting was cut (see
    diffmerge.repair_footer_copy), and with the parent its own header names where the tree says another: a kill
    between re-parenting a disk (a merge's step) and writing the tree down leaves the tree behind the files, and a
    later merge must follow the files (else a child's data goes into a checkpoint's disk). Returns whether the
    tree changed (the caller saves it)."""
    from core.engine.storage import DiskError
    from core.engine.storage.differencing import open_parent_file, parent_of
    from core.engine.storage.diffmerge import repair_footer_copy

    known = {os.path.realpath(p): p for p in (*tree.files, *tree.files.values()) if p}
    for disk in known.values():  # in use (a running VM's top, whose own writes keep it whole) or unreadable: left
        try:
            if repair_footer_copy(disk):
                log.warning("%s: its footer copy was rewritten (a re-parenting was interrupted)", disk)
            with open_parent_file(disk) as alone:
                problems = bool(getattr(alone, "problems", ()))
            if problems:  # an end footer a cut block allocation (a merge, the guest) left missing: rewritten
                # (opening it for writing does; what a crash of this code cannot leave is refused and left)
                with open_parent_file(disk, read_only=False) as alone:
                    log.warning("%s: %s", disk, "; ".join(getattr(alone, "repaired", None) or ["repaired"]))
        except (DiskError, OSError):
            pass
    changed = False
    for disk, parent in list(tree.files.items()):
        try:
            real = parent_of(disk)
        except (DiskError, OSError):
            continue  # missing or unreadable: the tree's word stands (disk check says what is wrong)
        if os.path.realpath(real) != os.path.realpath(parent):
            log.warning("%s: its header names %s as its parent, not %s: the tree follows the file", disk, real,
                        parent)
            tree.files[disk] = known.get(os.path.realpath(real), real)
            changed = True
    return changed


def left_behind(tree, disk: str) -> tuple[str | None, list[str]]:
    """The differencing disks in ``tree.disks`` nobody uses (not ``disk``, the VM's, nor a checkpoint's, nor any
    disk's parent), as a kill leaves them: (the newest whose header names ``disk`` as its parent, or None: a take
    cut after the VM went on writing to it, which is the VM's disk from then on; the others: made by a cut take or
    apply before anything used them, to be deleted)."""
    from core.engine.storage import DiskError
    from core.engine.storage.differencing import parent_of
    from core.model.files import folder_entries

    used = {disk, tree.top, *tree.files.values(), *(c.disk for c in tree.checkpoints.values())}
    used = {os.path.realpath(p) for p in used if p}
    adopt, stray = [], []
    for entry in folder_entries(tree.disks):
        if not entry.is_file(follow_symlinks=False) or os.path.realpath(entry.path) in used:
            continue
        try:
            child_of_disk = bool(disk) and os.path.realpath(parent_of(entry.path)) == os.path.realpath(disk)
        except (DiskError, OSError):
            child_of_disk = False
        (adopt if child_of_disk else stray).append(entry.path)
    adopt.sort(key=lambda p: os.stat(p).st_mtime_ns)
    return (adopt[-1] if adopt else None), stray + adopt[:-1]
