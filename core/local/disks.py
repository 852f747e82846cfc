"""Virtual hard disk files on the embedded engine's host: disk.new makes one (and its folder) as a job."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from core.hosts.registry import implements
from core.model.errors import OperationFailed, UsageError
from core.model.files import is_temp_name, write_json_atomic

from .record import host_path

DISK_KINDS = ("dynamic", "fixed", "raw")
FOLDER_MODE = 0o755  # a folder made for a disk, as a user's own folders are


def _missing_folders(folder: Path) -> list[Path]:
    """The folders of ``folder``'s chain that do not exist yet, outermost first; UsageError if a file is in the
    way."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    return missing[::-1]


class PendingDisks:
    """The disks being created, written down before their job starts, so what a killed host left beside a disk (its
    hidden ``.<name>.<hex8>.tmp``) is found and removed at the next start. The folder is the user's, so only those
    temporary files of the disks listed are touched."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        return [p for p in data if isinstance(p, str)] if isinstance(data, list) else []

    def add(self, target: str) -> None:
        with self._lock:
            write_json_atomic(self.path, sorted({*self._read(), target}))

    def done(self, target: str) -> None:
        with self._lock:
            write_json_atomic(self.path, [p for p in self._read() if p != target])

    def sweep(self) -> list[str]:
        """Remove the leftovers of interrupted disk creations; returns the files removed."""
        removed = []
        with self._lock:
            for target in self._read():
                folder, name = os.path.split(target)
                try:
                    entries = list(os.scandir(folder))
                except OSError:
                    continue
                for entry in entries:
                    if entry.name.startswith(f".{name}.") and is_temp_name(entry.name) and \
                            entry.is_file(follow_symlinks=False):
                        try:
                            os.unlink(entry.path)
                            removed.append(entry.path)
                        except OSError:
                            pass
            if self.path.exists():
                write_json_atomic(self.path, [])
        return removed


class DiskMethods:
    pending_disks: PendingDisks
    @implements("disk.new")
    def new_disk(self, path: str, size: int, kind: str = "dynamic") -> dict:
        """Create a virtual hard disk file (VHD dynamic or fixed, or raw) as a job; never overwrites a file. A
        missing folder is made in the job (it belongs to the host, wherever the caller is)."""
        from core.engine.storage import DiskError, create_disk, disk_size_for

        if kind not in DISK_KINDS:
            raise UsageError(f"unknown disk type '{kind}' (choose dynamic, fixed or raw)")
        if not path:
            raise UsageError("give the new disk's path")
        target = Path(host_path(path, "disk"))
        if target.exists():
            raise UsageError(f"{target} already exists (a new disk never overwrites a file)")
        _missing_folders(target.parent)
        try:
            disk_size_for(size, kind)
        except DiskError as e:
            raise UsageError(str(e)) from None

        self.pending_disks.add(str(target))

        def run(ctx):
            made = []
            try:
                for folder in _missing_folders(target.parent):
                    ctx.progress(5, f"making the folder {folder}")
                    folder.mkdir(mode=FOLDER_MODE)
                    made.append(folder)
                ctx.progress(10, f"creating {target.name}")
                with create_disk(str(target), size, kind) as disk:
                    return disk.info() | {"path": str(target)}
            except (DiskError, OSError, UsageError) as e:
                for folder in reversed(made):  # leave no empty folder behind a failed disk
                    try:
                        folder.rmdir()
                    except OSError:
                        break
                raise OperationFailed(f"cannot create {target}: {e}") from None
            finally:
                self.pending_disks.done(str(target))

        return self.submit_job("New virtual hard disk", str(target), run)
