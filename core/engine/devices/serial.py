"""An 8250/16550-style UART: the partition's serial console (COM1)."""

from __future__ import annotations

import threading
from collections import deque
from typing import Callable

from .bus import DeviceFault

LSR_DATA_READY = 0x01
LSR_THR_EMPTY = 0x20
LSR_TX_IDLE = 0x40
LCR_DLAB = 0x80
HISTORY_LIMIT = 64 * 1024
INPUT_LIMIT = 64 * 1024


class Uart8250:
    """Transmit is immediate (the transmitter is always empty); received bytes wait in a bounded queue."""

    name = "serial"

    def __init__(self, on_output: Callable[[bytes], None] | None = None,
                 on_input: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._rx: deque[int] = deque()
        self.history = bytearray()
        self.on_output = on_output
        self.on_input = on_input  # wakes the sleeping guest
        self.ier = self.lcr = self.mcr = self.scr = 0
        self.dll, self.dlm = 12, 0  # 9600 baud after reset
        self.tx_bytes = 0
        self.rx_bytes = 0

    # --- host side ---------------------------------------------------------------------------------------------
    def feed(self, data: bytes) -> int:
        """Queue keyboard input for the guest; returns how many bytes were accepted (the queue is bounded)."""
        with self._lock:
            room = INPUT_LIMIT - len(self._rx)
            accepted = data[: max(0, room)]
            self._rx.extend(accepted)
        if accepted and self.on_input:
            self.on_input()
        return len(accepted)

    def output_history(self) -> bytes:
        with self._lock:
            return bytes(self.history)

    # --- guest side --------------------------------------------------------------------------------------------
    def io_read(self, offset: int, size: int) -> int:
        if size != 1:
            raise DeviceFault(f"serial port read of {size} bytes at +{offset} (the UART is 8-bit)")
        dlab = self.lcr & LCR_DLAB
        if offset == 0:
            if dlab:
                return self.dll
            with self._lock:
                if self._rx:
                    self.rx_bytes += 1
                    return self._rx.popleft()
            return 0
        if offset == 1:
            return self.dlm if dlab else self.ier
        if offset == 2:
            return 0xC1  # FIFOs enabled, no interrupt pending
        if offset == 3:
            return self.lcr
        if offset == 4:
            return self.mcr
        if offset == 5:
            return LSR_THR_EMPTY | LSR_TX_IDLE | (LSR_DATA_READY if self._rx else 0)
        if offset == 6:
            return 0xB0  # CTS, DSR, DCD
        return self.scr

    def io_write(self, offset: int, size: int, value: int) -> None:
        if size != 1:
            raise DeviceFault(f"serial port write of {size} bytes at +{offset} (the UART is 8-bit)")
        value &= 0xFF
        dlab = self.lcr & LCR_DLAB
        if offset == 0:
            if dlab:
                self.dll = value
                return
            self._transmit(value)
        elif offset == 1:
            if dlab:
                self.dlm = value
            else:
                self.ier = value & 0x0F
        elif offset == 3:
            self.lcr = value
        elif offset == 4:
            self.mcr = value & 0x1F
        elif offset == 7:
            self.scr = value
        # +2 (FCR) and the read-only status registers ignore writes, as on the real part

    def _transmit(self, byte: int) -> None:
        out = bytes((byte,))
        with self._lock:
            self.tx_bytes += 1
            self.history += out
            if len(self.history) > HISTORY_LIMIT:
                del self.history[: len(self.history) - HISTORY_LIMIT]
        if self.on_output:
            self.on_output(out)

    # --- saved state (untrusted on load) -----------------------------------------------------------------------
    def get_state(self) -> dict:
        with self._lock:
            return {"ier": self.ier, "lcr": self.lcr, "mcr": self.mcr, "scr": self.scr, "dll": self.dll,
                    "dlm": self.dlm, "rx": bytes(self._rx).hex(), "history": self.history.decode("latin-1")}

    def set_state(self, state: dict) -> None:
        regs = {}
        for key in ("ier", "lcr", "mcr", "scr", "dll", "dlm"):
            value = state.get(key)
            if not isinstance(value, int) or not 0 <= value <= 0xFF:
                raise ValueError(f"saved serial register {key} is not a byte")
            regs[key] = value
        try:
            rx = bytes.fromhex(state.get("rx", ""))[:INPUT_LIMIT]
            history = str(state.get("history", "")).encode("latin-1")[-HISTORY_LIMIT:]
        except (ValueError, UnicodeEncodeError):
            raise ValueError("saved serial buffers are damaged") from None
        with self._lock:
            for key, value in regs.items():
                setattr(self, key, value)
            self._rx = deque(rx)
            self.history = bytearray(history)
