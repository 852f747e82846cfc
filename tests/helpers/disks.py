"""Sectors of virtual disks read and written through the engine's disk layer, as the checkpoint and export tests
check a VM's disk content."""

from __future__ import annotations

from core.engine.storage import open_disk

SECTOR = 512


def read_sector(path: str, sector: int = 0) -> bytes:
    """One sector of the disk (or the whole differencing chain) at ``path``."""
    with open_disk(path, read_only=True) as d:
        return d.read(sector, 1)


def fill_vm_sector(conn, vm: str, byte: bytes, sector: int = 0) -> None:
    """Sector ``sector`` of ``vm``'s current disk filled with ``byte`` (the VM Off)."""
    with open_disk(conn.vm(vm).disk) as d:
        d.write(sector, byte * SECTOR)
