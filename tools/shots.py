"""What the screenshot tools (tools/screenshots.py, tools/guide_screenshots.py) share."""

from __future__ import annotations

import time


def wait(app, cond=lambda: False, timeout: float = 5.0) -> None:
    """Run the event loop until ``cond()`` holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if cond():
            return
        time.sleep(0.01)
