"""Clients of a host service's Unix socket: one raw request, and a program that holds connections open."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

# holds connections to a socket: argv = path, idle count, half-sent count; prints "ready", waits for stdin to close
HOLDER = r"""
import socket, sys
path, idle, half = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held = []
for i in range(idle + half):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    if i >= idle:
        s.sendall(b'{"v": 1, "id": 1, "method": "vm.li')
    held.append(s)
print("ready", flush=True)
sys.stdin.read()
"""


def start_holder(path, idle: int, half: int) -> subprocess.Popen:
    """A program holding ``idle`` idle and ``half`` half-sent connections to ``path``; it prints "ready" once it
    holds them all and lets them go when its stdin is closed."""
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(idle), str(half)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def raw(path, payload: bytes) -> dict:
    """Send ``payload`` as it is to the socket at ``path`` and return the first line of the answer, read as JSON."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(path))
        s.sendall(payload)
        return json.loads(s.makefile("rb").readline())
