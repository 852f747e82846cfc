"""Attach the terminal to a partition's serial console. Ctrl+] detaches."""

from __future__ import annotations

import os
import select
import sys
import termios
import time
import tty

DETACH = b"\x1d"  # Ctrl+]


def attach(partition, *, stop_states=("Off", "Critical", "Saved")) -> str:
    """Relay keyboard to the guest and its output to the terminal until detach or the VM stops. Returns why."""
    out = sys.stdout.buffer

    def show(_p, data: bytes) -> None:
        out.write(data.replace(b"\n", b"\r\n") if interactive else data)
        out.flush()

    interactive = sys.stdin.isatty()
    history = partition.serial_history()
    partition.on_serial.append(show)
    show(partition, history)
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if interactive else None
    eof_at = None
    try:
        if interactive:
            tty.setraw(fd)
        while True:
            if partition.state.value in stop_states:
                return partition.state.value
            if eof_at is not None:
                if time.monotonic() - eof_at > 1.0:
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
                partition.send_serial(data.split(DETACH, 1)[0])
                return "detached"
            partition.send_serial(data.replace(b"\n", b"\r") if not interactive else data)
    finally:
        partition.on_serial.remove(show)
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
