"""The saved connections the console shows as hosts beside the local one (the same list as ``bulkhead host list``):
remote Bulkhead hosts over SSH or TLS and libvirt hosts.

The console reaches them through ``core.api`` (``saved_connections``, ``add_connection``, ``remove_connection``,
``check_uri``, ``test_connection``, ``tls_identity``). Every function here that touches files or the network must
run through ``session.tasks``, never on the GUI thread (``check_uri``, ``default_name``, ``host_key`` and the URI
builders excepted: they only parse text).
"""

from __future__ import annotations

import importlib.util
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from core import api

# what a user runs to make libvirt connections possible in their own install (the package's "libvirt" extra)
INSTALL_COMMAND = "pip install 'bulkhead[libvirt]'"
SSH, TLS = "bulkhead+ssh", "bulkhead+tls"
SSH_PORT, TLS_PORT = 22, 16600
TEST_TIMEOUT = 8.0  # seconds a connection test in the console waits at most


def libvirt_installed() -> bool:
    """Whether libvirt-python can be imported here (looked up, not imported: importing it starts nothing, but its
    event loop belongs to core.libvirt)."""
    return importlib.util.find_spec("libvirt") is not None


def saved(home: str | None = None) -> list[dict]:
    """[{"uri", "kind", "name", "group", "added"}]"""
    return api.saved_connections(home)


def add(uri: str, name: str = "", group: str = "", home: str | None = None) -> dict:
    return api.add_connection(uri, name=name, group=group, home=home)


def remove(ref: str, home: str | None = None) -> dict:
    return api.remove_connection(ref, home=home)


def test(uri: str, timeout: float = TEST_TIMEOUT) -> dict:
    """One connection attempt (blocks up to ``timeout``: a worker's job). See api.test_connection."""
    return api.test_connection(uri, timeout=timeout)


def tls_identity(uri: str = "", home: str | None = None) -> dict:
    """Whether this machine has a client certificate for ``uri`` (its pkipath, else the default folder)."""
    pkipath = dict(parse_qsl(urlsplit(uri).query)).get("pkipath") if is_remote(uri) else None
    return api.tls_identity(pkipath, home)


def is_remote(uri: str) -> bool:
    return uri.strip().lower().startswith((SSH + ":", TLS + ":"))


def scheme_of(uri: str) -> str:
    """"ssh", "tls" or "libvirt": which kind of connection a URI is."""
    low = uri.strip().lower()
    return "ssh" if low.startswith(SSH + ":") else "tls" if low.startswith(TLS + ":") else "libvirt"


def host_key(uri: str) -> str:
    """How the console knows a saved host: "remote:URI" or "libvirt:URI"."""
    return f"remote:{uri}" if is_remote(uri) else f"libvirt:{uri}"


def check_uri(uri: str) -> str | None:
    """What is wrong with a connection URI (one line), or None."""
    try:
        api.check_uri(uri)
    except api.UsageError as e:
        return str(e)
    return None


def default_name(uri: str) -> str:
    uri = uri.strip()
    if is_remote(uri):
        try:
            return api.describe_uri(uri)[2]
        except api.UsageError:
            return urlsplit(uri).hostname or uri
    parts = urlsplit(uri)
    if parts.scheme == "test":
        return "test " + (parts.path.rsplit("/", 1)[-1] or "default")
    return f"{parts.hostname or 'localhost'} ({parts.path.strip('/')})"


def _host(host: str) -> str:
    host = host.strip()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def ssh_uri(user: str, host: str, port: int = SSH_PORT, home: str = "", extra: dict | None = None) -> str:
    """bulkhead+ssh://user@host[:port][/?home=PATH&...] from the dialog's fields."""
    query = dict(extra or {})
    query.pop("home", None)
    if home.strip():
        query = {"home": home.strip(), **query}
    user = user.strip()
    text = f"{SSH}://{quote(user, safe='') + '@' if user else ''}{_host(host)}{f':{port}' if port != SSH_PORT else ''}"
    return text + (f"/?{urlencode(query, safe='/')}" if query else "")


def tls_uri(host: str, port: int = TLS_PORT, extra: dict | None = None) -> str:
    """bulkhead+tls://host[:port][/?...] from the dialog's fields."""
    query = dict(extra or {})
    text = f"{TLS}://{_host(host)}{f':{port}' if port != TLS_PORT else ''}"
    return text + (f"/?{urlencode(query, safe='/')}" if query else "")


def split_remote(uri: str) -> dict:
    """The fields of a remote URI as the dialog shows them: {"user", "host", "port", "home", "extra"} (extra: the
    other options, kept when a field changes). Text that does not parse gives what it can."""
    try:
        parts = urlsplit(uri.strip())
        port = parts.port
    except ValueError:
        return {"user": "", "host": "", "port": None, "home": "", "extra": {}}
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    home = query.pop("home", "")
    return {"user": parts.username or "", "host": parts.hostname or "", "port": port, "home": home, "extra": query}
