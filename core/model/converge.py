"""Auto-converge, the one policy the engine runs (core/engine/partition_migration.py) and the prediction models
(core/hosts/prediction.py): how far a live move holds the guest's vCPUs when it dirties memory faster than the link
carries it away.

From round 1 on, a round that left more than half of what it sent raises the throttle: at least a step (20 %,
then 10 % more), and at once as far as the guest's measured dirty rate needs to fall to half the bandwidth (QEMU
creeps up by steps only; at 100 Mbit/s a guest dirtying 50 MiB/s then took 18 rounds and 234 s). The engine
measures the rate each second of a round (unique pages a second, as the metrics sampler counts them): the unique
pages of a whole long round stop growing once the guest has rewritten its working set.
"""

from __future__ import annotations

import math

THROTTLE_FIRST, THROTTLE_STEP, THROTTLE_MAX = 20, 10, 99  # percent of each period the vCPUs are held
TARGET_SHARE = 0.5  # the dirty rate the throttle aims at, as a share of the bandwidth


def next_throttle(percent: int, dirtied: float, seconds: float, bandwidth: float) -> int:
    """The throttle after a round that dirtied ``dirtied`` bytes in ``seconds`` with the vCPUs held ``percent``
    %, over a link of ``bandwidth`` bytes/s."""
    stepped = THROTTLE_FIRST if not percent else min(THROTTLE_MAX, percent + THROTTLE_STEP)
    if seconds <= 0 or bandwidth <= 0 or dirtied <= 0:
        return stepped
    free = dirtied / seconds / max(1.0 - percent / 100, 0.01)  # what the guest dirties unheld
    needed = math.ceil(100 * (1 - TARGET_SHARE * bandwidth / free))
    return max(stepped, min(THROTTLE_MAX, needed))
