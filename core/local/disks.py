"""Virtual hard disk files on the embedded engine's host: disk.new makes one (and its folder) as a job."""

from __future__ import annotations

from pathlib import Path

from core.hosts.registry import implements
from core.model.errors import OperationFailed, UsageError

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


class DiskMethods:
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

        return self.submit_job("New virtual hard disk", str(target), run)
