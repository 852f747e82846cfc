"""Browsing a host's folders (host.browse): what the host browser shows when the host is another machine. The
paths are the host's; the console's own file system is never looked at."""

from __future__ import annotations

from gui.i18n import translate
from gui.operations import HostOp


def list_folder(session, path: str = "", kinds: list[str] | None = None, owner=None, limit: int = 2000) -> HostOp:
    """{path, parent, free_bytes, total_bytes, entries: [{name, type, size, mtime}], truncated} of one folder of the
    host ("" for its default folder); ``kinds`` as Connection.browse takes it."""
    return HostOp(session, lambda conn: conn.browse(path, kinds=kinds, limit=limit),
                  title=translate("BrowseOperations", "Cannot list the folder"), target=path, owner=owner)
