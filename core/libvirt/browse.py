"""host.browse on a libvirt connection: where the host is this machine (qemu:///system, qemu:///session, the test
driver in this process) its folders are this machine's and are listed as every such host lists them
(core/hosts/browse.py); a host on another machine is refused with the reason, since libvirt lists no folders."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from core.hosts.browse import DEFAULT_LIMIT, home_folder, host_name, list_folder
from core.hosts.registry import implements
from core.model.errors import Unavailable

from .connections import is_local_uri

REMOTE = "browsing folders needs a local libvirt connection; type the path on {uri}"


class BrowseMixin:
    """Mixed into LibvirtTransport (transport.py), which has ``uri``."""

    def files_here(self) -> bool:
        """The host's files are this machine's: a local QEMU URI, or the test driver (it runs in this process)."""
        return is_local_uri(self.uri) or urlsplit(self.uri).scheme == "test"

    def browse_refusal(self) -> str | None:
        return None if self.files_here() else REMOTE.format(uri=self.uri)

    @implements("host.browse")
    def browse_folder(self, path: str = "", kinds: list | None = None, limit: int = DEFAULT_LIMIT) -> dict:
        """One folder of this machine (``path``, absolute; "" for libvirt's images folder of this URI, else the
        home folder). Works while the daemon is away: the file system answers, not libvirt."""
        why = self.browse_refusal()
        if why:
            raise Unavailable(why, capability="browse")
        return list_folder(path or self.browse_default(), kinds, limit, where=host_name())

    def browse_default(self) -> str:
        parts = urlsplit(self.uri)
        if parts.scheme != "test":
            images = (os.path.expanduser("~/.local/share/libvirt/images") if parts.path.rstrip("/") == "/session"
                      else "/var/lib/libvirt/images")
            if os.path.isdir(images) and os.access(images, os.R_OK | os.X_OK):
                return images
        return home_folder()
