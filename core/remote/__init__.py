"""Remote Bulkhead hosts: the host protocol carried by OpenSSH (``bulkhead+ssh://``) or by TLS with client
certificates (``bulkhead+tls://``), reached through the same ``core.api.Connection`` as the local host service.

    from core import api
    with api.connect(uri="bulkhead+ssh://admin@rack1") as conn:
        print([vm.name for vm in conn.vms()])

- uri.py: the URIs and their options, checked before anything connects;
- links.py: the ssh client and the TLS client; transport.py: the protocol over them, with timeouts, probes,
  reconnection with backoff and the connection's state;
- proxy.py: ``bulkhead host proxy``, what ssh runs on the far side (stdin/stdout bridged to the user's host
  service socket, the service started on first use).
The TLS listener of a host service is core/local/tls.py, the certificates core/hosts/certs.py.
"""

from __future__ import annotations

from .uri import SCHEMES, RemoteTarget, is_remote_uri, parse_uri

__all__ = ["SCHEMES", "RemoteTarget", "connect_remote", "is_remote_uri", "parse_uri"]


def connect_remote(uri: str, **options):
    """A RemoteTransport connected to ``uri`` (within its timeout, else a one-line error saying why)."""
    from .transport import RemoteTransport

    return RemoteTransport(parse_uri(uri), **options)
