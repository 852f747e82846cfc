"""The saved libvirt connections the console shows as hosts (the same list as ``bulkhead host list``).

The console reaches them through ``core.api`` (``saved_connections``, ``add_connection``, ``remove_connection``,
``check_uri``). Every function here does file I/O: call them through ``session.tasks``, never on the GUI thread
(``check_uri`` excepted: it only parses text).
"""

from __future__ import annotations

import importlib.util

from core import api

# what a user runs to make libvirt connections possible in their own install (the package's "libvirt" extra)
INSTALL_COMMAND = "pip install 'bulkhead[libvirt]'"


def libvirt_installed() -> bool:
    """Whether libvirt-python can be imported here (looked up, not imported: importing it starts nothing, but its
    event loop belongs to core.libvirt)."""
    return importlib.util.find_spec("libvirt") is not None


def saved(home: str | None = None) -> list[dict]:
    """[{"uri", "name", "group", "added"}]"""
    return api.saved_connections(home)


def add(uri: str, name: str = "", group: str = "", home: str | None = None) -> dict:
    return api.add_connection(uri, name=name, group=group, home=home)


def remove(ref: str, home: str | None = None) -> dict:
    return api.remove_connection(ref, home=home)


def check_uri(uri: str) -> str | None:
    """What is wrong with a libvirt URI (one line), or None."""
    try:
        api.check_uri(uri)
    except api.UsageError as e:
        return str(e)
    return None


def default_name(uri: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(uri.strip())
    if parts.scheme == "test":
        return "test " + (parts.path.rsplit("/", 1)[-1] or "default")
    return f"{parts.hostname or 'localhost'} ({parts.path.strip('/')})"

