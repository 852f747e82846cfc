"""Opening a regular file, its failures said in the caller's words (a disk image, a VM's settings file ...)."""

from __future__ import annotations

import os

from .files import open_regular


def open_regular_as(path: str | os.PathLike, flags: int, error: type[Exception], reasons: dict[type, str],
                    cannot: str) -> tuple[int, os.stat_result]:
    """``open_regular(path, flags)``; where it fails, ``error(message)``: the message of the first of ``reasons``
    (an exception class -> its message) that the failure is, else ``cannot`` with the system's reason after it."""
    try:
        return open_regular(path, flags)
    except OSError as e:
        message = next((text for cls, text in reasons.items() if isinstance(e, cls)), None)
        raise error(message or f"{cannot} ({e.strerror})") from None
