"""Attach the terminal to a VM's serial console. Ctrl+] detaches."""

from __future__ import annotations

import os
import select
import sys
import termios
import threading
import time
import tty
from typing import Callable

DETACH = b"\x1d"  # Ctrl+]
QUIET_AFTER_INPUT = 1.5


def attach(history: bytes, send: Callable[[bytes], object], subscribe: Callable[[Callable[[bytes], None]], Callable],
           stopped: Callable[[], str | None]) -> str:
    """Relay keyboard to the guest and its output to the terminal until detach or the VM stops. Returns why.

    ``subscribe(show)`` must call ``show(data)`` for each chunk of guest output and return an unsubscribe function;
    ``stopped()`` returns the VM's state when it no longer runs, else None."""
    out = sys.stdout.buffer
    interactive = sys.stdin.isatty()
    lock = threading.Lock()

    last_output = [time.monotonic()]

    def show(data: bytes) -> None:
        last_output[0] = time.monotonic()
        with lock:
            out.write(data.replace(b"\n", b"\r\n") if interactive else data)
            out.flush()

    show(history)
    unsubscribe = subscribe(show)
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if interactive else None
    eof_at = None
    last_check = 0.0
    try:
        if interactive:
            tty.setraw(fd)
        while True:
            now = time.monotonic()
            if now - last_check > 0.25:
                last_check = now
                state = stopped()
                if state:
                    return state
            if eof_at is not None:
                # piped input ended: leave once the guest has been quiet for a while (it may still be answering)
                if now - max(eof_at, last_output[0]) > QUIET_AFTER_INPUT or now - eof_at > 60:
                    return "end of input"
                time.sleep(0.05)
                continue
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            data = os.read(fd, 1024)
            if not data:
                eof_at = time.monotonic()  # piped input ended: give the guest a moment to answer
                continue
            if DETACH in data:
                if data.split(DETACH, 1)[0]:
                    send(data.split(DETACH, 1)[0])
                return "detached"
            send(data if interactive else data.replace(b"\n", b"\r"))
    finally:
        unsubscribe()
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
