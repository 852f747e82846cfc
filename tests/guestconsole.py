"""Drive a partition's serial console from a test: send lines, wait for what the guest prints."""

from __future__ import annotations

import re
import threading
import time

PROMPT = "bulkhead$ "


class GuestConsole:
    def __init__(self, partition) -> None:
        self.partition = partition
        self._cond = threading.Condition()
        self.text = partition.serial_history().decode("latin-1")
        self._mark = 0
        partition.on_serial.append(self._on_output)

    def _on_output(self, _p, data: bytes) -> None:
        with self._cond:
            self.text += data.decode("latin-1")
            self._cond.notify_all()

    def expect(self, pattern: str, timeout: float = 10.0) -> re.Match:
        """Wait for ``pattern`` (a regex) in output after the last match; return the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self.text, self._mark)
                if m:
                    self._mark = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"guest never printed {pattern!r}; output so far:\n{self.text[-2000:]}")
                self._cond.wait(left)

    def command(self, line: str, timeout: float = 10.0) -> str:
        """Run a shell command and return its reply (the text between the echoed line and the next prompt)."""
        self.partition.send_serial(line.encode() + b"\r")
        m = self.expect("(?s)" + re.escape(line) + r"\r?\n(.*?)" + re.escape(PROMPT), timeout)
        return m.group(1).strip()

    def close(self) -> None:
        if self._on_output in self.partition.on_serial:
            self.partition.on_serial.remove(self._on_output)
