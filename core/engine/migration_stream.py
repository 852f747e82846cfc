"""The migration stream: framed records over a connected socket, checked on the way in (docs/migration.md).

A record is ``type u8 | flags u8 | reserved u16 (0) | length u32 | crc32(payload) u32 | payload``. What comes in is
untrusted: an unknown type, flags or reserved bits set, a length over the limit, a bad crc, JSON that is too long,
not an object or not JSON at all is a ``StreamError`` naming what is wrong. ``Channel`` sends and receives records
over a blocking socket (a TCP, TLS or Unix socket: anything with ``send``, ``recv_into``, ``settimeout`` and
``fileno``), counts the bytes, optionally limits the bandwidth it sends at (a token bucket), gives up on a stream
that moves nothing for ``timeout`` seconds and notices ``cancel`` within a quarter of a second.
"""

from __future__ import annotations

import json
import math
import select
import socket
import struct
import time
import zlib

import numpy as np

FORMAT_VERSION = 1

(HELLO, READY, PAGES, ROUND, FILE_BEGIN, FILE_DATA, FILE_END, BLOCKS, STATE, PREPARED, GO, RUNNING, ERROR,
 ABORT) = range(1, 15)
NAMES = {HELLO: "HELLO", READY: "READY", PAGES: "PAGES", ROUND: "ROUND", FILE_BEGIN: "FILE_BEGIN",
         FILE_DATA: "FILE_DATA", FILE_END: "FILE_END", BLOCKS: "BLOCKS", STATE: "STATE", PREPARED: "PREPARED",
         GO: "GO", RUNNING: "RUNNING", ERROR: "ERROR", ABORT: "ABORT"}
JSON_RECORDS = frozenset({HELLO, READY, ROUND, FILE_BEGIN, FILE_END, STATE, PREPARED, RUNNING, ERROR, ABORT})
EMPTY_RECORDS = frozenset({GO})

HEADER = struct.Struct("<BBHII")  # 12 bytes
MAX_PAYLOAD = 16 * 1024 * 1024 + 64 * 1024
MAX_JSON = 1024 * 1024
PAGE_SIZE = 4096
PAGES_MAX = 4096  # pages in one PAGES record: 16 MiB of contents and their numbers fit MAX_PAYLOAD
PAGES_HEAD = struct.Struct("<II")  # round, count

_SLICE = 0.25  # how often a blocked send or receive looks at cancel and the stall deadline
_CHUNK = 256 * 1024


class MigrationError(RuntimeError):
    """A migration that did not happen; the VM is where it was (the source runs it). ``code`` is one word for the
    cause (closed, timeout, cancelled, crc, length, type, json, order, page, invalid, version, mismatch, refused,
    state, guest, ...); ``remote`` says the other side reported it; ``result`` holds the figures so far."""

    def __init__(self, reason: str, code: str = "failed", *, remote: bool = False, result: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.remote = remote
        self.result = result


class StreamError(MigrationError):
    """The stream broke or carried something it must not: closed, timed out, cancelled, or a bad record."""


class Record:
    __slots__ = ("type", "flags", "payload")

    def __init__(self, rtype: int, flags: int, payload: bytes) -> None:
        self.type, self.flags, self.payload = rtype, flags, payload

    @property
    def name(self) -> str:
        return NAMES.get(self.type, str(self.type))

    def json(self) -> dict:
        return decode_json(self.type, self.payload)


def decode_json(rtype: int, payload) -> dict:
    name = NAMES.get(rtype, str(rtype))
    if len(payload) > MAX_JSON:
        raise StreamError(f"a {name} record of {len(payload):,} bytes is over the {MAX_JSON:,}-byte JSON limit",
                          "length")
    try:
        value = json.loads(bytes(payload))
    except (ValueError, RecursionError):
        raise StreamError(f"a {name} record does not hold JSON", "json") from None
    if not isinstance(value, dict):
        raise StreamError(f"a {name} record holds JSON that is not an object", "json")
    return value


def encode_json(obj: dict) -> bytes:
    raw = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    if len(raw) > MAX_JSON:
        raise StreamError(f"a record of {len(raw):,} bytes of JSON is over the {MAX_JSON:,}-byte limit", "length")
    return raw


def pages_payload(round_no: int, pages: np.ndarray, contents: bytes) -> list:
    """The parts of a PAGES record: its head, the page numbers and their contents."""
    if not 0 < len(pages) <= PAGES_MAX or len(contents) != len(pages) * PAGE_SIZE:
        raise ValueError("a PAGES record holds 1 to 4096 whole pages")
    return [PAGES_HEAD.pack(round_no, len(pages)), np.asarray(pages, "<u4").tobytes(), contents]


def parse_pages(payload, page_count: int) -> tuple[int, np.ndarray, memoryview]:
    """(round, page numbers, contents) of an untrusted PAGES record for a VM of ``page_count`` pages."""
    if len(payload) < PAGES_HEAD.size:
        raise StreamError(f"a PAGES record of {len(payload)} bytes is too short for its head", "length")
    round_no, count = PAGES_HEAD.unpack_from(payload)
    if not 0 < count <= PAGES_MAX:
        raise StreamError(f"a PAGES record says it holds {count} pages (1 to {PAGES_MAX})", "length")
    expected = PAGES_HEAD.size + count * (4 + PAGE_SIZE)
    if len(payload) != expected:
        raise StreamError(f"a PAGES record of {count} pages is {len(payload):,} bytes, not {expected:,}", "length")
    view = memoryview(payload)
    pages = np.frombuffer(view[PAGES_HEAD.size : PAGES_HEAD.size + 4 * count], "<u4").astype(np.int64)
    outside = pages >= page_count
    if outside.any():
        raise StreamError(f"a PAGES record names page {int(pages[outside][0])}, outside the VM's {page_count} "
                          "pages", "page")
    return round_no, pages, view[PAGES_HEAD.size + 4 * count :]


class TokenBucket:
    """At most ``rate`` bytes a second, in bursts of at most ``capacity``."""

    def __init__(self, rate: float) -> None:
        self.rate = float(rate)
        self.capacity = max(64 * 1024.0, self.rate * 0.02)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def delay(self, n: int) -> float:
        """Seconds to wait before ``n`` bytes (at most ``capacity``) may go; 0 once they are taken."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= n:
            self.tokens -= n
            return 0.0
        return (n - self.tokens) / self.rate


class Channel:
    """Records over ``sock``. ``timeout``: seconds a send or a record may make no progress; ``cancel``: an object
    with ``is_set()`` (a threading.Event) that stops any wait with StreamError(code "cancelled"). Once a send broke
    off inside a record nothing more can be sent (``send_broken``); once a receive did, nothing more received."""

    def __init__(self, sock, *, bandwidth: float = 0, timeout: float = 30.0, cancel=None) -> None:
        self.sock = sock
        self.timeout = timeout
        self.cancel = cancel
        self.bytes_sent = 0
        self.bytes_received = 0
        self.send_broken = False
        self.recv_broken = False
        self._bucket: TokenBucket | None = None
        self.set_bandwidth(bandwidth)

    def set_bandwidth(self, rate: float) -> None:
        """Limit what is sent to ``rate`` bytes a second (0: no limit)."""
        if not isinstance(rate, (int, float)) or not math.isfinite(rate) or rate < 0:
            raise ValueError("bandwidth must be a finite number of bytes a second, 0 for no limit")
        self._bucket = TokenBucket(rate) if rate > 0 else None

    @property
    def bandwidth(self) -> float:
        return self._bucket.rate if self._bucket else 0.0

    # --- sending -----------------------------------------------------------------------------------------------
    def send(self, rtype: int, *parts, flags: int = 0) -> int:
        """Send one record whose payload is ``parts`` joined; returns its size on the wire."""
        if self.send_broken:
            raise StreamError("the stream broke off inside a record and carries nothing more", "closed")
        views = [memoryview(p).cast("B") for p in parts]
        length = sum(len(v) for v in views)
        if length > MAX_PAYLOAD:
            raise ValueError(f"a record of {length:,} bytes is over the {MAX_PAYLOAD:,}-byte limit")
        crc = 0
        for v in views:
            crc = zlib.crc32(v, crc)
        try:
            self._send_all(memoryview(HEADER.pack(rtype, flags, 0, length, crc)))
            for v in views:
                self._send_all(v)
        except BaseException:
            self.send_broken = True
            raise
        return HEADER.size + length

    def send_json(self, rtype: int, obj: dict) -> int:
        return self.send(rtype, encode_json(obj))

    def tell(self, rtype: int, reason: str, code: str) -> bool:
        """Best effort: an ERROR or ABORT record to the other side, within a second; whether it went."""
        if self.send_broken:
            return False
        saved, self.cancel, self.timeout = (self.cancel, self.timeout), None, 1.0
        try:
            self.send_json(rtype, {"reason": str(reason)[:2000], "code": str(code)[:40]})
            return True
        except (MigrationError, OSError, ValueError):
            return False
        finally:
            self.cancel, self.timeout = saved

    def _send_all(self, view: memoryview) -> None:
        def step(sent: int) -> int:
            piece = view[sent : sent + _CHUNK]
            if self._bucket is not None:
                piece = piece[: int(self._bucket.capacity)]
                while (wait := self._bucket.delay(len(piece))) > 0:
                    self._check_cancel()
                    time.sleep(min(wait, _SLICE))
            n = self._slice(self.sock.send, piece, "the other side closed the connection") or 0
            if self._bucket is not None and n < len(piece):
                self._bucket.tokens += len(piece) - n  # not sent: not spent
            self.bytes_sent += n
            return n

        self._pump(view, self.timeout, step,
                   lambda sent: StreamError(f"the other side took nothing for {self.timeout:g} s", "timeout"))

    # --- receiving ---------------------------------------------------------------------------------------------
    def poll(self) -> bool:
        """Whether something came in (a record, or the other side closed): checked between records sent."""
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def recv(self, timeout: float | None = None) -> Record:
        """The next record, checked (framing, length, crc, JSON size); ``timeout`` bounds the wait for it to
        start (default: the channel's stall timeout)."""
        if self.recv_broken:
            raise StreamError("the stream broke off inside a record and carries nothing more", "closed")
        head = bytearray(HEADER.size)
        try:
            self._recv_exact(memoryview(head), self.timeout if timeout is None else timeout, first=True)
            rtype, flags, reserved, length, crc = HEADER.unpack(head)
            if rtype not in NAMES:
                raise StreamError(f"a record of unknown type {rtype}", "type")
            name = NAMES[rtype]
            if flags or reserved:
                raise StreamError(f"a {name} record with flags 0x{flags:x} and reserved 0x{reserved:x} (both must "
                                  "be 0)", "invalid")
            if length > MAX_PAYLOAD:
                raise StreamError(f"a {name} record says it is {length:,} bytes, over the {MAX_PAYLOAD:,}-byte "
                                  "limit", "length")
            if rtype in JSON_RECORDS and length > MAX_JSON:
                raise StreamError(f"a {name} record of {length:,} bytes is over the {MAX_JSON:,}-byte JSON limit",
                                  "length")
            if rtype in EMPTY_RECORDS and length:
                raise StreamError(f"a {name} record must be empty, this one has {length} bytes", "length")
            payload = bytearray(length)
            self._recv_exact(memoryview(payload), self.timeout)
        except BaseException:
            self.recv_broken = True
            raise
        if zlib.crc32(payload) != crc:
            self.recv_broken = True
            raise StreamError(f"a {name} record of {length:,} bytes does not match its crc32", "crc")
        return Record(rtype, flags, payload)

    def _recv_exact(self, view: memoryview, first_wait: float, first: bool = False) -> None:
        def step(got: int) -> int:
            n = self._slice(self.sock.recv_into, view[got:], "the connection broke")
            if n == 0:
                where = "" if first and got == 0 else " inside a record"
                raise StreamError(f"the other side closed the connection{where}", "closed")
            self.bytes_received += n or 0
            return n or 0

        def stalled(got: int) -> StreamError:
            what = "nothing came" if got == 0 and first else "a record stalled"
            return StreamError(f"{what} for {first_wait if first and got == 0 else self.timeout:g} s", "timeout")

        self._pump(view, first_wait, step, stalled)

    def _pump(self, view: memoryview, first_wait: float, step, stalled) -> None:
        """Move all of ``view``: ``step(done)`` moves some of what is left and says how many bytes (0: none in this
        slice of time); ``stalled(done)`` is the error when nothing moved for ``first_wait`` seconds at first, then
        for the channel's timeout."""
        done, deadline = 0, time.monotonic() + first_wait
        while done < len(view):
            self._check_cancel()
            n = step(done)
            if n:
                done += n
                deadline = time.monotonic() + self.timeout
            elif time.monotonic() > deadline:
                raise stalled(done)

    def _slice(self, call, view: memoryview, broke: str) -> int | None:
        """``call(view)`` on the socket for at most a slice of time: the bytes it moved, None when it timed out; a
        broken connection is a StreamError that says ``broke``."""
        try:
            self.sock.settimeout(_SLICE)
            return call(view)
        except (TimeoutError, BlockingIOError, InterruptedError):
            return None
        except OSError as e:
            raise StreamError(f"{broke} ({e.strerror or e})", "closed") from None

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise StreamError("the migration was cancelled", "cancelled")

    def shutdown(self) -> None:
        """Best effort: the other side's sends and receives end now (after a failure; the socket stays open)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass


def peer_error(rec: Record, side: str) -> MigrationError:
    """The other side's (``side``: "source", "destination") ERROR or ABORT record as an error of ours."""
    try:
        info = rec.json()
    except StreamError:
        info = {}
    reason = str(info.get("reason") or "no reason given")[:500]
    code = str(info.get("code") or "refused")[:40]
    verb = "refused" if rec.type == ERROR else "aborted"
    return MigrationError(f"the {side} {verb} the migration: {reason}", code, remote=True)


def expect(ch: Channel, rtype: int, side: str, timeout: float | None = None) -> Record:
    """The next record, which must be ``rtype``; the other side's ERROR or ABORT raised as its error."""
    rec = ch.recv(timeout)
    if rec.type == rtype:
        return rec
    if rec.type in (ERROR, ABORT):
        raise peer_error(rec, side)
    raise StreamError(f"a {rec.name} record came where {NAMES[rtype]} belongs", "order")


def as_error(e: BaseException, what: str) -> MigrationError:
    """``e`` as a MigrationError (its ``code`` kept when it has one), "``what``: ``e``" for what was not one."""
    if isinstance(e, MigrationError):
        return e
    code = getattr(e, "code", None)
    return MigrationError(f"{what}: {e}", code if isinstance(code, str) else "failed")
