"""Names of threads as the operating system shows them (``top -H``, ``ps -L``, /proc/PID/task/TID/comm), so a host
service with a thousand VMs can be read thread by thread: ``vcpu0:web1``, ``vmbus:web1``. Python (before 3.14)
names its threads for itself only."""

from __future__ import annotations

import ctypes
import sys

_PR_SET_NAME = 15
_libc = None


def name_this_thread(name: str) -> None:
    """Give the calling thread ``name`` (its first 15 bytes) at the OS level; nothing where that is not possible."""
    global _libc
    if not sys.platform.startswith("linux"):
        return
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
        _libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name.encode("utf-8", "replace")[:15]), 0, 0, 0)
    except (OSError, AttributeError):
        pass
