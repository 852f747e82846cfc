"""libvirt URIs: which ones Bulkhead takes (validate_uri), their display names and whether one is this machine.
The saved connections themselves are kept by core/hosts/connections.py for every kind of host.

    store = ConnectionStore(HostPaths.resolve().data)          # libvirt URIs only
    store.add("qemu+ssh://admin@rack1/system", name="rack1", group="Lab")
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from core.hosts.connections import FILE_NAME  # noqa: F401 - FILE_NAME is public
from core.hosts.connections import ConnectionStore as _Store
from core.model.errors import UsageError

URI_MAX = 1024
# the transports libvirt's remote driver speaks, for the qemu driver
REMOTE_SCHEMES = ("qemu+ssh", "qemu+tls", "qemu+tcp", "qemu+libssh", "qemu+libssh2")
LOCAL_SCHEMES = ("qemu", "qemu+unix")
EXAMPLES = ("qemu:///system", "qemu:///session", "qemu+ssh://user@host/system", "qemu+tls://host/system",
            "test:///default", "test:///path/to/domains.xml")


def is_local_uri(uri: str) -> bool:
    """A QEMU URI whose host is this machine (qemu:///system, qemu+unix:///session): its files are this machine's
    files, so qemu-img can make a disk here and a path can be checked here."""
    parts = urlsplit(uri)
    return parts.scheme in ("qemu", "qemu+unix") and not parts.hostname


def validate_uri(uri: str) -> str:
    """The URI without surrounding spaces, or UsageError saying what is wrong with it (one line)."""
    if not isinstance(uri, str):
        raise UsageError(f"a libvirt URI must be text (got {type(uri).__name__})")
    uri = uri.strip()
    hint = f" (for example {', '.join(EXAMPLES[:5])})"
    if not uri:
        raise UsageError("a libvirt URI cannot be empty" + hint)
    if len(uri) > URI_MAX:
        raise UsageError(f"a libvirt URI can have at most {URI_MAX} characters")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Zs") for ch in uri):
        raise UsageError(f"a libvirt URI cannot contain spaces or control characters (got {uri!r})")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as e:
        raise UsageError(f"'{uri}' is not a valid libvirt URI: {e}") from None
    scheme = parts.scheme.lower()
    if "://" not in uri or not scheme:
        raise UsageError(f"'{uri}' is not a libvirt URI" + hint)
    if scheme == "test":
        if parts.netloc:
            raise UsageError(f"'{uri}': the test driver runs in this process and takes no host "
                             "(test:///default or test:///path/to/file.xml)")
        if parts.path != "/default" and not (parts.path.startswith("/") and parts.path.endswith(".xml")):
            raise UsageError(f"'{uri}': the test driver takes /default or the absolute path of an XML file")
        return uri
    if scheme in LOCAL_SCHEMES:
        if parts.hostname:
            raise UsageError(f"'{uri}': {scheme}:// is this machine; for another host use qemu+ssh://user@host/system")
    elif scheme in REMOTE_SCHEMES:
        if not parts.hostname:
            raise UsageError(f"'{uri}': {scheme}:// needs a host, e.g. {scheme}://user@host/system")
    else:
        raise UsageError(f"'{uri}': unsupported scheme '{parts.scheme}' (Bulkhead manages QEMU/KVM through "
                         f"qemu://, {', '.join(s + '://' for s in REMOTE_SCHEMES[:3])} and test://)")
    if parts.path not in ("/system", "/session"):
        raise UsageError(f"'{uri}': a QEMU URI ends in /system or /session (got '{parts.path or '/'}')")
    return uri


def default_name(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme == "test":
        return "test " + (parts.path.rsplit("/", 1)[-1] or "default")
    host = parts.hostname or "localhost"
    return f"{host} ({parts.path.strip('/')})"


def describe(uri: str) -> tuple[str, str, str]:
    """(the URI as saved, "libvirt", its default display name), or UsageError: the check a ConnectionStore takes."""
    uri = validate_uri(uri)
    return uri, "libvirt", default_name(uri)


class ConnectionStore(_Store):
    """The saved connections (core/hosts/connections.py), taking libvirt URIs only: what core.libvirt offers on its
    own. core.api's store takes every kind."""

    def __init__(self, data_dir: str | Path) -> None:
        super().__init__(data_dir, check=describe)
