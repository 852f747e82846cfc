"""Operations on virtual hard disks and a host's storage pools. Paths are the host's: the host makes the file (and
its folder), never the console's process."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def new_disk(session, path: str, size: int | str, kind: str = "dynamic", owner=None) -> HostOp:
    """Create a virtual hard disk on the host, as a job (VHD dynamic or fixed, or raw; never overwrites)."""
    return HostOp(session, lambda conn: conn.new_disk(path, size, kind),
                  title=translate("DiskOperations", "Virtual hard disk not created"), target=path, owner=owner)


def storage_pools(session, owner=None) -> HostOp:
    """A libvirt host's storage pools (name, active, capacity, allocation, available, path)."""
    return HostOp(session, lambda conn: conn.storage_pools(),
                  title=translate("DiskOperations", "Cannot list storage pools"), owner=owner)
