"""The saved connections of every kind (remote Bulkhead hosts and libvirt hosts): a JSON list in the Bulkhead data
folder, written atomically. What a URI means is not this module's business: the store is given a ``check``
(core.api.describe_uri) that validates a URI and says its kind and default display name.

    store = ConnectionStore(HostPaths.resolve().data, check=describe_uri)
    store.add("bulkhead+ssh://admin@rack1", name="rack1", group="Lab")
    store.list()  ->  [{"uri": ..., "kind": "bulkhead", "name": "rack1", "group": "Lab", "added": 1700000000.0}]

The file is the one libvirt connections were always kept in (``libvirt-connections.json``, format 1): entries
written before remote hosts existed load as they are (their kind follows from the URI), and older consoles reading
a newer file ignore the ``kind`` they do not know.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from core.model.errors import BulkheadError, NotFound, UsageError
from core.model.files import read_json_list

FILE_NAME = "libvirt-connections.json"  # kept for every kind: existing saved files load as they are
FORMAT = 1
NAME_MAX = 64
REMOTE_PREFIXES = ("bulkhead+ssh:", "bulkhead+tls:")

# check(uri) -> (the URI as saved, its kind "bulkhead"|"libvirt", its default display name); UsageError if bad
Check = Callable[[str], tuple[str, str, str]]


def kind_of(uri: str) -> str:
    """"bulkhead" for a remote Bulkhead host's URI, "libvirt" for anything else a store holds."""
    return "bulkhead" if uri.strip().lower().startswith(REMOTE_PREFIXES) else "libvirt"


def check_name(name: str) -> str:
    if not isinstance(name, str):
        raise UsageError("a connection name must be text")
    name = name.strip()
    if not name:
        raise UsageError("a connection name cannot be empty")
    if len(name) > NAME_MAX:
        raise UsageError(f"a connection name can have at most {NAME_MAX} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise UsageError("a connection name cannot contain control or format characters")
    return name


def _neutral(uri: str) -> tuple[str, str, str]:
    if not isinstance(uri, str) or not uri.strip():
        raise UsageError("a connection URI cannot be empty")
    uri = uri.strip()
    return uri, kind_of(uri), uri


class ConnectionStore:
    """Saved connections by URI with a display name and a host group. Thread-safe within a process; every change
    rereads the file first, so two processes adding at different moments keep each other's entries."""

    def __init__(self, data_dir: str | Path, check: Check | None = None) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self.check: Check = check or _neutral
        self._lock = threading.Lock()

    def _default_name(self, uri: str) -> str:
        try:
            return self.check(uri)[2]
        except BulkheadError:  # a saved URI this version no longer takes: still listed (and removable) by its URI
            return uri

    def _read(self) -> list[dict]:
        items = read_json_list(self.path, "connections", "fix or remove it (nothing was changed)")
        out = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("uri"), str):
                uri = item["uri"]
                try:
                    added = float(item.get("added") or 0.0)
                except (TypeError, ValueError):
                    added = 0.0
                out.append({"uri": uri, "kind": kind_of(uri),
                            "name": str(item.get("name") or self._default_name(uri)),
                            "group": str(item.get("group") or ""), "added": added})
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
        uri, kind, default = self.check(uri)
        name = check_name(name) if name else default
        group = check_name(group) if group else ""
        with self._lock:
            items = self._read()
            for item in items:
                if item["uri"] == uri:
                    raise UsageError(f"{uri} is already saved as '{item['name']}'")
                if item["name"].lower() == name.lower():
                    raise UsageError(f"a connection named '{item['name']}' already exists ({item['uri']})")
            entry = {"uri": uri, "kind": kind, "name": name, "group": group, "added": time.time()}
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
