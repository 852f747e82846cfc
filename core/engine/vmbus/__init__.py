"""The VMBus: channels offered by the parent partition, rings in guest memory, and the VSPs behind them."""

from .bus import VmBus
from .ring import RingError

__all__ = ["RingError", "VmBus"]
