"""host.browse on this host service: its folders, listed for a person choosing a file or folder on it (the New VM
wizard of a console on another machine, ``bulkhead host browse``). The listing itself is shared with every kind of
host whose files are its machine's (core/hosts/browse.py); without a path it starts in the store."""

from __future__ import annotations

import os

from core.hosts.browse import DEFAULT_LIMIT, home_folder, host_name, list_folder
from core.hosts.registry import implements


class BrowseMethods:
    """Mixed into HostService (host.py), which has ``paths``."""

    @implements("host.browse")
    def browse_folder(self, path: str = "", kinds: list | None = None, limit: int = DEFAULT_LIMIT) -> dict:
        """One folder of this host (``path``, absolute; "" for the store's folder)."""
        return list_folder(path or self.browse_default(), kinds, limit, where=host_name())

    def browse_default(self) -> str:
        store = str(self.paths.data)
        return store if os.path.isdir(store) else home_folder()
