"""The migration stream's records: what goes out comes back, and what must not come in is refused by name."""

import socket
import struct
import threading
import time
import zlib

import numpy as np
import pytest

from core.engine import migration_stream as ms
from core.engine.migration_stream import Channel, StreamError


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield Channel(a, timeout=2.0), Channel(b, timeout=2.0), a, b
    a.close()
    b.close()


def raw(rtype: int, payload: bytes, *, flags=0, reserved=0, length=None, crc=None) -> bytes:
    return ms.HEADER.pack(rtype, flags, reserved, len(payload) if length is None else length,
                          zlib.crc32(payload) if crc is None else crc) + payload


def refused(sock_b, data: bytes, code: str, match: str, sender=None):
    rx = Channel(sock_b, timeout=1.0)
    sender.sendall(data)
    with pytest.raises(StreamError, match=match) as e:
        rx.recv()
    assert e.value.code == code
    return rx


def test_records_go_and_come_back_with_their_bytes_counted(pair):
    tx, rx, _, _ = pair
    tx.send_json(ms.HELLO, {"format": 1, "name": "vm"})
    pages = np.array([3, 9], np.int64)
    contents = bytes(range(256)) * 32
    tx.send(ms.PAGES, *ms.pages_payload(4, pages, contents))
    tx.send(ms.GO)
    hello = rx.recv()
    assert (hello.type, hello.name, hello.json()) == (ms.HELLO, "HELLO", {"format": 1, "name": "vm"})
    rec = rx.recv()
    number, got, data = ms.parse_pages(rec.payload, 16)
    assert number == 4 and got.tolist() == [3, 9] and bytes(data) == contents
    assert rx.recv().type == ms.GO
    assert tx.bytes_sent == rx.bytes_received == 3 * ms.HEADER.size + len(rec.payload) + len(hello.payload)


@pytest.mark.parametrize("data, code, match", [
    (raw(ms.PAGES, b"x" * 100, crc=1), "crc", "PAGES record of 100 bytes does not match its crc32"),
    (raw(99, b""), "type", "unknown type 99"),
    (raw(ms.GO, b"", flags=1), "invalid", "flags 0x1"),
    (raw(ms.GO, b"", reserved=2), "invalid", "reserved 0x2"),
    (raw(ms.PAGES, b"", length=ms.MAX_PAYLOAD + 1), "length", "over the 16,842,752-byte limit"),
    (raw(ms.STATE, b"", length=ms.MAX_JSON + 1), "length", "STATE record of 1,048,577 bytes is over"),
    (raw(ms.GO, b"boo"), "length", "GO record must be empty"),
])
def test_a_bad_record_is_refused_by_what_is_wrong(pair, data, code, match):
    _, _, a, b = pair
    rx = refused(b, data, code, match, sender=a)
    assert rx.recv_broken
    with pytest.raises(StreamError, match="broke off"):
        rx.recv()


@pytest.mark.parametrize("payload, match", [(b"{not json", "does not hold JSON"), (b"[1, 2]", "not an object"),
                                            (b"[" * 100000, "does not hold JSON")])
def test_json_records_must_hold_an_object(pair, payload, match):
    tx, rx, _, _ = pair
    tx.send(ms.READY, payload)
    with pytest.raises(StreamError, match=match) as e:
        rx.recv().json()
    assert e.value.code == "json"


@pytest.mark.parametrize("payload, code, match", [
    (b"\0" * 7, "length", "too short"),
    (struct.pack("<II", 0, 0), "length", "holds 0 pages"),
    (struct.pack("<II", 0, 5000), "length", "holds 5000 pages"),
    (struct.pack("<III", 0, 1, 3) + b"\0" * 4095, "length", "is 4,107 bytes, not 4,108"),
    (struct.pack("<III", 0, 1, 16) + b"\0" * 4096, "page", "names page 16, outside the VM's 16 pages"),
    (struct.pack("<III", 0, 1, 0xFFFFFFFF) + b"\0" * 4096, "page", "names page 4294967295"),
])
def test_page_records_are_checked_against_the_vm(payload, code, match):
    with pytest.raises(StreamError, match=match) as e:
        ms.parse_pages(payload, 16)
    assert e.value.code == code


def test_the_other_side_closing_is_named_closed_at_a_boundary_and_inside_a_record(pair):
    _, _, a, b = pair
    a.sendall(raw(ms.ROUND, b'{"round": 0}')[:15])
    a.close()
    rx = Channel(b, timeout=1.0)
    with pytest.raises(StreamError, match="closed the connection inside a record") as e:
        rx.recv()
    assert e.value.code == "closed"
    c, d = socket.socketpair()
    c.close()
    with pytest.raises(StreamError, match="closed the connection$"):
        Channel(d, timeout=1.0).recv()
    d.close()


def test_a_silent_peer_times_out_and_a_cancel_is_noticed_at_once(pair):
    _, rx, _, _ = pair
    t0 = time.monotonic()
    with pytest.raises(StreamError, match="nothing came for 0.3 s") as e:
        rx.recv(timeout=0.3)
    assert e.value.code == "timeout" and time.monotonic() - t0 < 1.5
    cancel = threading.Event()
    rx.recv_broken, rx.cancel = False, cancel
    threading.Timer(0.2, cancel.set).start()
    t0 = time.monotonic()
    with pytest.raises(StreamError, match="cancelled") as e:
        rx.recv(timeout=30)
    assert e.value.code == "cancelled" and time.monotonic() - t0 < 1.0


def test_a_peer_that_takes_nothing_stalls_the_sender_into_a_timeout(pair):
    tx, _, _, _ = pair
    tx.timeout = 0.5
    with pytest.raises(StreamError, match="took nothing for 0.5 s") as e:
        tx.send(ms.PAGES, b"\0" * (8 << 20))
    assert e.value.code == "timeout" and tx.send_broken
    with pytest.raises(StreamError, match="broke off"):
        tx.send(ms.GO)
    assert not tx.tell(ms.ABORT, "no", "cancelled")  # nothing more can go on a stream cut inside a record


def test_the_bandwidth_limit_holds_what_is_sent_to_its_rate(pair):
    tx, rx, _, _ = pair
    size, rate = 3 << 20, 6 << 20
    tx.set_bandwidth(rate)
    got = []
    reader = threading.Thread(target=lambda: got.append(rx.recv()))
    reader.start()
    t0 = time.monotonic()
    tx.send(ms.FILE_DATA, b"\xaa" * size)
    elapsed = time.monotonic() - t0
    reader.join(5)
    assert len(got[0].payload) == size
    assert 0.4 <= elapsed <= 1.2, elapsed  # 3 MiB at 6 MiB/s: half a second
    with pytest.raises(ValueError, match="bandwidth"):
        tx.set_bandwidth(float("nan"))


def test_a_json_record_over_the_limit_is_not_sent():
    a, b = socket.socketpair()
    with pytest.raises(StreamError, match="over the 1,048,576-byte limit"):
        Channel(a).send_json(ms.STATE, {"x": "y" * ms.MAX_JSON})
    a.close()
    b.close()
