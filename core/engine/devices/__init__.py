"""Emulated devices of a child partition. Every register access the guest makes is an exit served here."""

from .bus import DeviceFault, IoBus
from .serial import Uart8250

__all__ = ["DeviceFault", "IoBus", "Uart8250"]
