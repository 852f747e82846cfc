"""A TCP port on 127.0.0.1 for tests to stand in for a host: each connection it accepts goes to ``connected``."""

from __future__ import annotations

import socket
import threading

from core.hosts.listening import accepted


class Listener:
    """Accepts connections on ``port`` until closed; by default it holds each one and never says a word.
    ``held`` is every connection kept (closed with the listener)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port = self.sock.getsockname()[1]
        self.closed = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        for conn, _ in accepted(self.sock, self.closed, 0.2):
            self.connected(conn)

    def connected(self, conn: socket.socket) -> None:
        self.held.append(conn)

    def close(self) -> None:
        self.closed.set()
        self.sock.close()
        for conn in self.held:
            conn.close()
