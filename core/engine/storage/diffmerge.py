"""Merging differencing VHDs into their parents and re-parenting them (the notes are in differencing.py).

    merge_into_parent("web1-2.vhd")              # its sectors into web1-1.vhd; the caller deletes web1-2.vhd after
    reparent("web1-3.vhd", "web1-1.vhd")         # web1-3.vhd's parent was web1-2.vhd
    chain.merge_parent(1)                        # both, live, in an open chain (merge_link)
"""

from __future__ import annotations

import dataclasses
import fcntl
import os

from . import DiskError
from .differencing import (
    LOCATOR_AREAS,
    SLOTS,
    TABLE_OFFSET,
    ChainDisk,
    Link,
    _identity,
    _mtime_stamp,
    _open_parent,
    _pack_header,
    _parent_fields,
    _parse_parent,
    open_parent_file,
)
from .raw import pwrite_all
from .vhd import Footer


def merge_link(chain: ChainDisk, level: int = 1) -> str:
    """Merge ``links[level]`` into ``links[level + 1]`` while the chain stays open and in use, then make
    ``links[level - 1]`` the child of ``links[level + 1]`` (on disk and here). Returns the path of the merged
    link, which the chain no longer uses: the caller deletes it. The copy goes one run of sectors at a time
    under the chain's lock, so reads and writes of the guest go on between runs (the writes go to the top,
    which the merge does not touch); the switch at the end holds the lock throughout."""
    if chain.read_only:
        raise DiskError(f"{chain.path}: opened read-only; a merge rewrites the chain")
    with chain._merging:
        if not isinstance(level, int) or not 1 <= level < len(chain.links) - 1:
            raise DiskError(f"{chain.path}: no link {level!r} to merge (the chain has {len(chain.links)} disks; "
                            f"1..{len(chain.links) - 2} can be merged)")
        src, dst = chain.links[level], chain.links[level + 1]
        target = open_parent_file(dst.path, read_only=False)
        try:
            for first, count in src.held_runs():
                with chain._lock:
                    _copy_run(src, target, first, count)
            target.flush()
        finally:
            target.close()
        with chain._lock:
            merged = open_parent_file(dst.path)
            try:
                if isinstance(merged, Link):
                    merged.parent_path = dst.parent_path
                above = chain.links[level - 1]
                if above is chain.top:
                    _reparent_link(above, dst.path, merged.footer)
                else:
                    writer = open_parent_file(above.path, read_only=False)
                    try:
                        _reparent_link(writer, dst.path, merged.footer)
                    finally:
                        writer.close()
                    above.footer, above.parent_info = writer.footer, writer.parent_info
            except BaseException:
                merged.close()
                raise
            above.parent_path = dst.path
            chain.links[level:level + 2] = [merged]
            src.close()
            dst.close()
        return src.path


def _copy_run(src: Link, dst, first: int, count: int) -> None:
    n = max(0, min(count, dst.sectors - first))
    if n:
        dst.write(first, src.read(first, n))


# --- merging and re-parenting files -----------------------------------------------------------------------------
def _open_alone(path: str) -> Link:
    """A differencing VHD alone, read-only, with a shared lock so that no writer has it open meanwhile."""
    path = os.fspath(path)
    link = open_parent_file(path)
    try:
        if not isinstance(link, Link):
            raise DiskError(f"{path}: not a differencing VHD (it has no parent)")
        try:
            fcntl.flock(link._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DiskError(f"{path}: in use (opened for writing elsewhere)") from None
    except BaseException:
        link.close()
        raise
    return link


def merge_into_parent(child_path: str | os.PathLike) -> str:
    """Write every sector ``child_path`` holds into its parent (opened read-write; its id is checked first) and
    flush it. The child is not modified: after a crash, run it again. Returns the parent's path; the caller then
    deletes the child (after re-parenting the child's own children to that parent)."""
    child = _open_alone(child_path)
    try:
        parent = _open_parent(child, {_identity(child._fd)}, read_only=False)
        try:
            for first, count in child.held_runs():
                _copy_run(child, parent, first, count)
            parent.flush()
        finally:
            parent.close()
        return child.parent_path
    finally:
        child.close()


def reparent(child_path: str | os.PathLike, new_parent_path: str | os.PathLike) -> None:
    """Make ``child_path`` name ``new_parent_path`` as its parent (its unique id, modification time, name and
    locators), atomically (see the module's notes). The new parent must be a VHD of the child's virtual size."""
    child_path, new_parent_path = os.fspath(child_path), os.fspath(new_parent_path)
    parent = open_parent_file(new_parent_path)
    try:
        footer = getattr(parent, "footer", None)
        size = parent.size
    finally:
        parent.close()
    child = open_parent_file(child_path, read_only=False)
    try:
        if not isinstance(child, Link):
            raise DiskError(f"{child_path}: not a differencing VHD (it has no parent)")
        if size != child.size:
            raise DiskError(f"{child_path}: {child.size} bytes, its new parent {new_parent_path} {size}")
        _reparent_link(child, new_parent_path, footer)
    finally:
        child.close()


def _reparent_link(link: Link, parent_path: str, parent_footer: Footer | None) -> None:
    """Point ``link`` (open for writing) at ``parent_path``: new locators and header in the spare slot, synced,
    then the end footer, synced, then the footer copy at offset 0."""
    if parent_footer is None:
        raise DiskError(f"{parent_path}: a differencing disk's parent must be a VHD")
    layout = link._layout
    if layout.header_offset not in SLOTS or layout.header.table_offset != TABLE_OFFSET:
        raise DiskError(f"{link.path}: not laid out with a spare header slot (made by another tool?); its parent "
                        "cannot be changed safely in place")
    spare = 1 - SLOTS.index(layout.header_offset)
    stamp = _mtime_stamp(os.stat(parent_path))
    name, table, writes = _parent_fields(link.path, parent_path, parent_footer.unique_id, stamp,
                                         LOCATOR_AREAS[spare])
    header = _pack_header(TABLE_OFFSET, layout.header.max_table_entries, layout.header.block_size,
                          parent_footer.unique_id, stamp, name, table)
    footer = dataclasses.replace(link.footer, data_offset=SLOTS[spare])
    footer_raw = footer.pack()
    with link._lock:
        link._check_usable()
        fd = link._fd
        try:
            for offset, data in writes:
                pwrite_all(fd, data, offset)
            pwrite_all(fd, header, SLOTS[spare])
            os.fdatasync(fd)
            link._crash_point("reparent-header")
            pwrite_all(fd, footer_raw, link._alloc_at)
            os.fdatasync(fd)
            link._crash_point("reparent-end-footer")
            pwrite_all(fd, footer_raw, 0)
            os.fsync(fd)
        except OSError as e:
            raise link._fail(f"changing its parent failed ({e.strerror}); reopen the disk") from None
        link.footer, link._footer_raw = footer, footer_raw
        link._layout = dataclasses.replace(layout, header_offset=SLOTS[spare])
        link.parent_info = _parse_parent(link.path, fd, header, os.fstat(fd).st_size)
        link.parent_path = parent_path


def repair_footer_copy(path: str | os.PathLike) -> bool:
    """A differencing VHD whose footer copy at offset 0 is whole but differs from its whole end footer was cut
    between the two footer writes of a re-parenting (``_reparent_link`` writes the end one first, and readers trust
    it): the copy is rewritten from the end footer, so that ``disk check`` finds the file clean again. Returns
    whether it was; anything else (a torn footer, another kind of disk) is left to the readers and ``check``."""
    from .differencing import _open_fd
    from .vhd import DIFFERENCING, FOOTER_SIZE

    path = os.fspath(path)
    fd, st = _open_fd(path, read_only=False)
    try:
        if st.st_size < 2 * FOOTER_SIZE:
            return False
        end_raw = os.pread(fd, FOOTER_SIZE, st.st_size - FOOTER_SIZE)
        start_raw = os.pread(fd, FOOTER_SIZE, 0)
        if end_raw == start_raw:
            return False
        try:
            end = Footer.parse(end_raw, path, "at the end of the file")
            Footer.parse(start_raw, path, "at offset 0")
        except DiskError:
            return False
        if end.disk_type != DIFFERENCING:
            return False
        pwrite_all(fd, end_raw, 0)
        os.fsync(fd)
        return True
    finally:
        os.close(fd)


__all__ = ["merge_into_parent", "merge_link", "reparent", "repair_footer_copy"]
