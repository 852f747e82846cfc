"""Named points where a test kills the host service process, as a power cut or ``kill -9`` would.

``BULKHEAD_CRASH_AT=source.precopy bulkhead host serve ...``: when the process reaches ``crash_point`` with that
name it SIGKILLs itself (no cleanup, no goodbye to its peers). The variable is read once, at import; without it a
crash point is one comparison. Used by tests/test_migration_kills.py at the phases of a move (the names are listed
in ``POINTS``).
"""

from __future__ import annotations

import os
import signal

POINTS = ("source.precopy", "source.stop_copy", "source.after_go",
          "destination.precopy", "destination.stop_copy", "destination.after_finish")

_AT = os.environ.get("BULKHEAD_CRASH_AT", "")


def crash_point(name: str) -> None:
    """Kill this process at once if ``BULKHEAD_CRASH_AT`` names this point."""
    if name == _AT:
        os.kill(os.getpid(), signal.SIGKILL)
