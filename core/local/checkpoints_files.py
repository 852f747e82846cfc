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
