"""URIs of remote Bulkhead hosts, checked before anything connects:

    bulkhead+ssh://[user@]host[:port][/][?home=PATH&command=CMD&keyfile=PATH&known_hosts=PATH&timeout=S]
    bulkhead+tls://host[:16600][/][?pkipath=DIR&timeout=S]

- ``home``: the far side's BULKHEAD_HOME (its store and socket); ``command``: the ``bulkhead`` command the far side
  runs (default: BULKHEAD_REMOTE_COMMAND, else ``bulkhead``), e.g. /opt/bulkhead/.venv/bin/bulkhead;
  ``keyfile`` and ``known_hosts``: ssh's identity and known-hosts files (as libvirt's qemu+ssh takes them;
  otherwise ssh's own configuration decides).
- ``pkipath``: the folder with this machine's client certificate and the CA (default: core.hosts.certs.pki_dir()).
- ``timeout``: seconds to connect (default 10).
"""

from __future__ import annotations

import ipaddress
import os
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from core.model.errors import UsageError

SSH, TLS = "bulkhead+ssh", "bulkhead+tls"
SCHEMES = (SSH, TLS)
TLS_PORT = 16600
URI_MAX = 1024
CONNECT_TIMEOUT = 10.0
OPTIONS = {SSH: ("home", "command", "keyfile", "known_hosts", "timeout"), TLS: ("pkipath", "timeout")}
EXAMPLES = "bulkhead+ssh://admin@rack1 or bulkhead+tls://rack1:16600"
_USER = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._-]{0,63}")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


@dataclass(frozen=True)
class RemoteTarget:
    uri: str
    scheme: str  # bulkhead+ssh or bulkhead+tls
    host: str
    port: int | None = None
    user: str = ""
    options: dict = field(default_factory=dict)

    @property
    def display(self) -> str:
        """The URI without its options, as messages name the host."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = self.user + "@" if self.user else ""
        return f"{self.scheme}://{user}{host}{':' + str(self.port) if self.port else ''}"

    @property
    def timeout(self) -> float:
        return float(self.options.get("timeout", CONNECT_TIMEOUT))


def is_remote_uri(uri: object) -> bool:
    """Whether ``uri`` names a remote Bulkhead host (whatever else is wrong with it)."""
    return isinstance(uri, str) and uri.strip().lower().split("://", 1)[0] in SCHEMES


def parse_uri(uri: object) -> RemoteTarget:
    """The RemoteTarget of a bulkhead+ssh:// or bulkhead+tls:// URI, or UsageError saying what is wrong (one line)."""
    if not isinstance(uri, str):
        raise UsageError(f"a host URI must be text (got {type(uri).__name__})")
    uri = uri.strip()
    if len(uri) > URI_MAX:
        raise UsageError(f"a host URI can have at most {URI_MAX} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs") for ch in uri):
        raise UsageError(f"a host URI cannot contain spaces or control characters (got {uri!r})")
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as e:
        raise UsageError(f"'{uri}' is not a valid host URI: {e}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or "://" not in uri:
        raise UsageError(f"'{uri}' is not a remote Bulkhead host URI (for example {EXAMPLES})")
    host = parts.hostname or ""
    if not host:
        raise UsageError(f"'{uri}': name the host, e.g. {scheme}://{'admin@' if scheme == SSH else ''}rack1")
    try:
        host = str(ipaddress.ip_address(host))
    except ValueError:
        if not _HOST.fullmatch(host):
            raise UsageError(f"'{uri}': {host!r} is not a host name or an IP address") from None
    if port == 0:
        raise UsageError(f"'{uri}': the port must be from 1 to 65535")
    user = parts.username or ""
    if parts.password is not None:
        raise UsageError(f"'{uri}': a URI carries no password (ssh uses keys and its agent; TLS uses certificates)")
    if scheme == TLS and user:
        raise UsageError(f"'{uri}': bulkhead+tls:// takes no user name (the client certificate says who connects)")
    if user and not _USER.fullmatch(user):
        raise UsageError(f"'{uri}': {user!r} is not a user name")
    if parts.path not in ("", "/"):
        raise UsageError(f"'{uri}': a host URI has no path (options go after '?', e.g. ?home=/srv/bulkhead)")
    if parts.fragment:
        raise UsageError(f"'{uri}': a host URI has no '#' part")
    options = _options(uri, scheme, parts.query)
    return RemoteTarget(uri, scheme, host, port if port else (TLS_PORT if scheme == TLS else None), user, options)


def _options(uri: str, scheme: str, query: str) -> dict:
    known = OPTIONS[scheme]
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise UsageError(f"'{uri}': the options after '?' must be NAME=VALUE joined by '&'") from None
    for key, value in pairs:
        if key not in known:
            raise UsageError(f"'{uri}': unknown option {key!r} (a {scheme} URI takes {', '.join(known)})")
        if key in options:
            raise UsageError(f"'{uri}': the option {key!r} is given twice")
        if not value:
            raise UsageError(f"'{uri}': the option {key!r} needs a value")
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            raise UsageError(f"'{uri}': the option {key!r} contains control characters")
        options[key] = value
    if "home" in options and not options["home"].startswith("/"):
        raise UsageError(f"'{uri}': home must be an absolute path on the remote host")
    for key in ("keyfile", "known_hosts", "pkipath"):
        if key in options:
            options[key] = os.path.abspath(os.path.expanduser(options[key]))
    if "timeout" in options:
        try:
            seconds = float(options["timeout"])
        except ValueError:
            seconds = float("nan")
        if not 0.1 <= seconds <= 600:  # NaN is refused here too
            raise UsageError(f"'{uri}': timeout must be a number of seconds from 0.1 to 600")
    return options
