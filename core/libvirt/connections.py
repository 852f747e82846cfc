"""The saved libvirt connections: a JSON list in the Bulkhead data folder, written atomically.

    store = ConnectionStore(HostPaths.resolve().data)
    store.add("qemu+ssh://admin@rack1/system", name="rack1", group="Lab")
    store.list()  ->  [{"uri": ..., "name": "rack1", "group": "Lab", "added": 1700000000.0}]
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from core.model.errors import NotFound, UsageError

FILE_NAME = "libvirt-connections.json"
FORMAT = 1
URI_MAX = 1024
NAME_MAX = 64
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


def _check_name(name: str) -> str:
    if not isinstance(name, str):
        raise UsageError("a connection name must be text")
    name = name.strip()
    if not name:
        raise UsageError("a connection name cannot be empty")
    if len(name) > NAME_MAX:
        raise UsageError(f"a connection name can have at most {NAME_MAX} characters")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in name):
        raise UsageError("a connection name cannot contain control characters")
    return name


class ConnectionStore:
    """Saved connections by URI with a display name and a host group. Thread-safe within a process; every change
    rereads the file first, so two processes adding at different moments keep each other's entries."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self._lock = threading.Lock()

    def _read(self) -> list[dict]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as e:
            raise UsageError(f"{self.path} is damaged ({e}); fix or remove it (nothing was changed)") from None
        items = data.get("connections") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise UsageError(f"{self.path} is damaged (no connections list); fix or remove it")
        out = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("uri"), str):
                out.append({"uri": item["uri"], "name": str(item.get("name") or default_name(item["uri"])),
                            "group": str(item.get("group") or ""), "added": float(item.get("added") or 0.0)})
        return out

    def _write(self, items: list[dict]) -> None:
        from core.model.files import write_json_atomic

        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json_atomic(self.path, {"format": FORMAT, "connections": items})

    def list(self) -> list[dict]:
        with self._lock:
            return self._read()

    def get(self, ref: str) -> dict:
        """A saved connection by URI or display name."""
        for item in self.list():
            if ref in (item["uri"], item["name"]):
                return item
        raise NotFound(f"no saved connection '{ref}' (see: bulkhead host list)")

    def add(self, uri: str, name: str = "", group: str = "") -> dict:
        uri = validate_uri(uri)
        name = _check_name(name) if name else default_name(uri)
        group = _check_name(group) if group else ""
        with self._lock:
            items = self._read()
            for item in items:
                if item["uri"] == uri:
                    raise UsageError(f"{uri} is already saved as '{item['name']}'")
                if item["name"].lower() == name.lower():
                    raise UsageError(f"a connection named '{item['name']}' already exists ({item['uri']})")
            entry = {"uri": uri, "name": name, "group": group, "added": time.time()}
            self._write(items + [entry])
        return entry

    def remove(self, ref: str) -> dict:
        with self._lock:
            items = self._read()
            for i, item in enumerate(items):
                if ref in (item["uri"], item["name"]):
                    self._write(items[:i] + items[i + 1:])
                    return item
        raise NotFound(f"no saved connection '{ref}' (see: bulkhead host list)")
