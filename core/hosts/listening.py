"""Accepting connections on a listening socket until told to stop: what every host's server loop does."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any


def accepted(sock: socket.socket, stop: threading.Event, interval: float = 0.5) -> Iterator[tuple[socket.socket, Any]]:
    """Each (connection, address) ``sock`` accepts, until ``stop`` is set (looked at every ``interval`` seconds) or
    the socket is closed."""
    sock.settimeout(interval)
    while not stop.is_set():
        try:
            conn = sock.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        yield conn
