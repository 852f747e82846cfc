"""A running partition's virtual disk: the blocks its guest writes (the disk is a ``TrackingDisk`` from the start of
every run, see ``partition_devices``), keeping its disk I/O still for a moment, and switching it to another image
under the running guest. Storage migration is these together (``move_disk``); live migration uses the pieces.

    result = move_disk(partition, DiskWriter(new_disk), switch=lambda: reopened_new_disk, cancel=event)

Functions of a ``Partition`` rather than a mixin: they use its operation lock, parking and VMBus as its own
methods do, and change nothing else about it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager

from core.model.states import TransitionError, VmState

from .storage.livecopy import CONVERGE_BYTES, CopyCancelled, DiskCopy
from .storage.tracking import TrackingDisk

log = logging.getLogger(__name__)

STORAGE_CONSUMER = "storage-move"
_LIVE = (VmState.RUNNING, VmState.PAUSED)


def tracked_disk(partition) -> TrackingDisk:
    """The running (or paused) partition's disk, whose written blocks consumers can ``register`` for."""
    with partition._op_lock:
        _check_live(partition)
        disk = partition.disk
        if disk is None:
            raise TransitionError(f"VM '{partition.name}' has no virtual hard disk")
        if not isinstance(disk, TrackingDisk):
            raise TransitionError(f"VM '{partition.name}': its disk does not record written blocks")
        return disk


def _check_live(partition, disk=None) -> None:
    if partition.state not in _LIVE:
        raise TransitionError(f"VM '{partition.name}' is {partition.state.value}, not running or paused")
    if partition._pending is not None:
        raise TransitionError(f"VM '{partition.name}': {partition._pending[1]}")
    if disk is not None and partition.disk is not disk:
        raise TransitionError(f"VM '{partition.name}' was stopped and started again meanwhile")


@contextmanager
def quiesced(partition, disk=None):
    """No disk I/O of the guest until the block ends: quiesced as a pause quiesces it (vCPUs parked, VMBus
    suspended, guest clock stopped, so the moment counts toward no timeout of the guest), without a change of state;
    a Paused VM is still already. The partition's operation lock is held throughout, so no pause, save, reset or
    stop runs meanwhile. ``disk``: the tracked disk the caller has been copying (refused if the VM was restarted
    since)."""
    with partition._op_lock:
        _check_live(partition, disk)
        parked = partition.state is VmState.RUNNING
        if parked:
            partition._quiesce()  # raises if the VM failed meanwhile (it is Critical then)
        try:
            yield
        finally:
            if parked:
                partition._unquiesce()


def switch_disk(partition, new_disk):
    """Put ``new_disk`` (opened for writing, the same virtual size) under the guest in place of its disk; returns
    the old one, still open. Only inside ``quiesced``: no request may be half-way through the old one."""
    old = partition.disk.swap(new_disk)
    partition.config.disk = new_disk.path
    partition.config.disk_format = new_disk.format
    return old


def move_disk(partition, writer: Callable[[list], None], switch: Callable[[], object], *, cancel=None,
              progress=None, bandwidth: int = 0, converge_bytes: int = CONVERGE_BYTES) -> dict:
    """Storage migration of a running (or paused) partition's disk: pre-copy rounds into ``writer`` while the guest
    writes, then, with its I/O still, the last blocks and ``switch()``, which makes the copy durable and returns
    it opened for writing (or raises: the guest then goes on with its old disk). The old disk is closed after the
    guest runs again. Returns the copy's figures (``DiskCopy.summary``) with ``pause_s`` (how long the guest was
    kept still) and ``final_bytes``. Cancel (``cancel.set()`` or a callable returning True) or an error before the
    switch leave the guest on its old disk: CopyCancelled, DiskError or TransitionError."""
    disk = tracked_disk(partition)
    copy = DiskCopy(disk, writer, cancel=cancel, progress=progress, bandwidth=bandwidth, consumer=STORAGE_CONSUMER,
                    converge_bytes=converge_bytes)
    old = None
    try:
        copy.precopy()
        if copy.cancelled():
            raise CopyCancelled("cancelled")
        t0 = time.monotonic()
        with quiesced(partition, disk):
            t0 = time.monotonic()
            last = copy.final()
            new_disk = switch()
            old = switch_disk(partition, new_disk)
            pause = time.monotonic() - t0
    finally:
        copy.close()
    try:
        old.close()
    except Exception as e:  # the copy is what the guest uses now; the old image was flushed as it was written
        log.warning("VM %s: closing its old disk %s failed: %s", partition.name, old.path, e)
    return copy.summary() | {"final_bytes": last["bytes"], "pause_s": round(pause, 4)}


__all__ = ["STORAGE_CONSUMER", "move_disk", "quiesced", "switch_disk", "tracked_disk"]
