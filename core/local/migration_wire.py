"""The migration stream as the host side speaks it: the engine's framed records (core/engine/migration_stream.py:
``type u8 | flags u8 | reserved u16 | length u32 | crc32 u32 | payload``, checked on the way in) with what the host
needs on top: the other side's ``ERROR`` / ``ABORT`` raised as ``PeerError``, records that come out of order
refused, one error type (``WireError``, with a reason and a code) for everything the stream can do wrong.
"""

from __future__ import annotations

from core.engine import migration_stream as ms
from core.engine.migration_stream import (  # noqa: F401 - the record types, for the host's modules
    ABORT,
    BLOCKS,
    ERROR,
    FILE_BEGIN,
    FILE_DATA,
    FILE_END,
    GO,
    HELLO,
    PREPARED,
    READY,
    RUNNING,
    Channel,
    MigrationError,
)
from core.model.forward import Forward

FORMAT = ms.FORMAT_VERSION


class WireError(Exception):
    """The stream broke or carried something it must not; ``code``: closed, timeout, crc, length, type, json,
    order, checksum, size, nospace, io, cancelled, ..."""

    def __init__(self, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class PeerError(WireError):
    """The other side said ERROR or ABORT, with its reason."""


def name(rtype: int) -> str:
    return ms.NAMES.get(rtype, f"type {rtype}")


class Wire:
    """Records over a connected socket, used from one thread. ``cancel`` (has ``is_set()``) stops any wait."""

    def __init__(self, sock, leftover: bytes = b"", peer: str = "the other host", *, bandwidth: float = 0,
                 timeout: float = 30.0, cancel=None) -> None:
        if leftover:
            raise WireError("the stream began before its answer was read", "order")
        self.sock = sock
        self.peer = peer
        self.channel = Channel(sock, bandwidth=bandwidth, timeout=timeout, cancel=cancel)

    sent = Forward("channel", "bytes_sent")
    received = Forward("channel", "bytes_received")

    def send(self, rtype: int, *parts) -> None:
        try:
            self.channel.send(rtype, *parts)
        except MigrationError as e:
            raise WireError(f"the stream to {self.peer} broke: {e.reason}", e.code) from None

    def send_json(self, rtype: int, data: dict) -> None:
        try:
            self.channel.send_json(rtype, data)
        except MigrationError as e:
            raise WireError(f"the stream to {self.peer} broke: {e.reason}", e.code) from None

    def tell_error(self, reason: str, code: str = "failed", rtype: int = ERROR) -> None:
        """Say why this side stops, if the stream still carries it (never raises)."""
        self.channel.tell(rtype, reason, code)

    def recv(self, timeout: float | None = 60.0) -> tuple[int, bytes]:
        """The next record (type, payload); ERROR and ABORT are raised as PeerError."""
        try:
            rec = self.channel.recv(timeout)
        except MigrationError as e:
            raise WireError(f"the stream from {self.peer}: {e.reason}", e.code) from None
        if rec.type in (ERROR, ABORT):
            try:
                data = rec.json()
            except MigrationError:
                data = {}
            what = "stopped the move" if rec.type == ABORT else "refused the move"
            reason = str(data.get("reason") or "no reason given")[:500]
            raise PeerError(f"{self.peer} {what}: {reason}", str(data.get("code") or "peer")[:64])
        return rec.type, rec.payload

    def expect(self, *types: int, timeout: float | None = 60.0) -> tuple[int, bytes]:
        rtype, payload = self.recv(timeout)
        if rtype not in types:
            wanted = " or ".join(name(t) for t in types)
            raise WireError(f"{self.peer} sent {name(rtype)} where {wanted} was due", "order")
        return rtype, payload

    def expect_json(self, rtype: int, timeout: float | None = 60.0) -> dict:
        _, payload = self.expect(rtype, timeout=timeout)
        try:
            return ms.decode_json(rtype, payload)
        except MigrationError as e:
            raise WireError(f"{self.peer}: {e.reason}", e.code) from None
