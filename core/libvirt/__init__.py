"""libvirt connections: existing QEMU/KVM hosts managed through the same controller API as the embedded engine.

    from core.api import Connection
    from core.libvirt import connect_libvirt
    conn = Connection(connect_libvirt("qemu:///system", data_dir), "libvirt qemu:///system")

libvirt-python is imported when a connection is made, not when this package is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

from .connections import ConnectionStore, default_name, is_local_uri, validate_uri

__all__ = ["ConnectionStore", "LibvirtTransport", "connect_libvirt", "default_name", "is_local_uri", "validate_uri"]


def connect_libvirt(uri: str, data_dir: str | os.PathLike | None = None, **options):
    """A LibvirtTransport for ``uri``. It returns within a few seconds whatever the host does: connecting goes on
    in the background (see ``status()``). Job history, metrics and alerts are kept under
    ``<data_dir>/libvirt/``; without ``data_dir`` in a temporary folder removed at ``close()``."""
    from .transport import LibvirtTransport

    return LibvirtTransport(uri, Path(data_dir) if data_dir is not None else None, **options)


def __getattr__(name: str):
    if name == "LibvirtTransport":
        from .transport import LibvirtTransport

        return LibvirtTransport
    raise AttributeError(name)
