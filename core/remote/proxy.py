"""``bulkhead host proxy``: what ssh runs on the far side of a ``bulkhead+ssh://`` connection, as virt-ssh-helper
serves qemu+ssh. It bridges its stdin and stdout to this user's host-service socket, starting the service first
if none answers (as any local client does), and ends when either side ends. Nothing but the service's bytes is
written to stdout; a problem is one line on stderr (which ssh hands to the client) and exit code 1."""

from __future__ import annotations

import os
import select
import socket
import struct
import sys


def run(home: str | None = None) -> int:
    from core.api.transport import check_socket, open_socket
    from core.hosts.paths import HostPaths
    from core.model.errors import BulkheadError

    paths = HostPaths.resolve(home)
    try:
        open_socket(paths).close()  # starts the service on first use; its problems are said here
        check_socket(paths.socket)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(10.0)
        sock.connect(str(paths.socket))
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        if struct.unpack("3i", creds)[1] != os.getuid():
            raise BulkheadError(f"the host service at {paths.socket} runs as another user")
        sock.settimeout(None)
    except (BulkheadError, OSError) as e:
        print(f"bulkhead: {' '.join(str(e).split())}", file=sys.stderr, flush=True)
        return 1
    try:
        bridge(sys.stdin.fileno(), sys.stdout.fileno(), sock)
    finally:
        sock.close()
    return 0


def bridge(fd_in: int, fd_out: int, sock: socket.socket) -> None:
    """Copy ``fd_in`` to ``sock`` and ``sock`` to ``fd_out`` until the service ends the connection; the end of
    ``fd_in`` is passed on as a half-close, so the service still answers what it was sent."""
    poll = select.poll()
    poll.register(fd_in, select.POLLIN)
    poll.register(sock, select.POLLIN)
    while True:
        for fd, _events in poll.poll():
            if fd == fd_in:
                data = os.read(fd_in, 1 << 16)
                if data:
                    sock.sendall(data)
                    continue
                poll.unregister(fd_in)
                try:
                    sock.shutdown(socket.SHUT_WR)
                except OSError:
                    return
            else:
                try:
                    data = sock.recv(1 << 16)
                except OSError:
                    data = b""
                if not data:
                    return
                view = memoryview(data)
                while view:
                    try:
                        n = os.write(fd_out, view)
                    except BrokenPipeError:
                        return
                    view = view[n:]
