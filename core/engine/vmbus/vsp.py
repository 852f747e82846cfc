"""Virtualization Service Providers: the parent partition's end of each synthetic device."""

from __future__ import annotations

import struct
import time

MiB = 1 << 20


class Vsp:
    device_type = 0
    name = "device"
    instance = 0

    def attach(self, channel) -> None:
        self.channel = channel

    def offer_params(self) -> tuple[int, int]:
        return 0, 0

    def opened(self, channel) -> None:
        pass

    def closed(self, channel) -> None:
        pass

    def handle(self, channel, ptype: int, flags: int, trans_id: int, payload: bytes) -> None:
        raise ValueError(f"{self.name}: the guest sent a packet this device does not take")

    def tick(self, channel, now: float) -> None:
        pass

    def close(self) -> None:
        pass

    def get_state(self) -> dict:
        return {}

    def set_state(self, state: dict) -> None:
        pass


# --- storage ------------------------------------------------------------------------------------------------------
OP_READ, OP_WRITE, OP_FLUSH = 1, 2, 3
ST_OK, ST_BAD_REQUEST, ST_OUT_OF_RANGE, ST_IO_ERROR = 0, 1, 2, 3
_STOR_REQ = struct.Struct("<IIQQ")
_STOR_COMP = struct.Struct("<II")


class StorageVsp(Vsp):
    """storvsp: sector reads and writes straight between the virtual disk and guest memory, many per doorbell."""

    device_type = 1
    name = "storage"
    MAX_SECTORS = 256  # 128 KiB per request

    def __init__(self, disk) -> None:
        self.disk = disk
        self.stats = {"read_bytes": 0, "write_bytes": 0, "read_ops": 0, "write_ops": 0, "flushes": 0}

    def offer_params(self) -> tuple[int, int]:
        return self.disk.size // 512, self.MAX_SECTORS

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        if len(payload) < _STOR_REQ.size:
            raise ValueError(f"storage request of {len(payload)} bytes is too short")
        op, count, sector, gpa = _STOR_REQ.unpack_from(payload)
        status = ST_OK
        memory = channel.bus.memory
        if op == OP_FLUSH:
            self.disk.flush()
            self.stats["flushes"] += 1
        elif op not in (OP_READ, OP_WRITE) or not 0 < count <= self.MAX_SECTORS:
            status = ST_BAD_REQUEST
        elif sector + count > self.disk.size // 512:
            status = ST_OUT_OF_RANGE
        else:
            nbytes = count * 512
            memory.check(gpa, nbytes)  # a buffer outside guest RAM fails the channel
            try:
                if op == OP_READ:
                    memory.write(gpa, self.disk.read(sector, count))
                    self.stats["read_bytes"] += nbytes
                    self.stats["read_ops"] += 1
                else:
                    self.disk.write(sector, memory.read(gpa, nbytes))
                    self.stats["write_bytes"] += nbytes
                    self.stats["write_ops"] += 1
            except OSError:
                status = ST_IO_ERROR
        channel.send(_STOR_COMP.pack(status, count), trans_id, completion=True)


# --- network ------------------------------------------------------------------------------------------------------
_NET_HDR = struct.Struct("<HHI")
FRAME_MIN, FRAME_MAX = 14, 1514


class NetworkVsp(Vsp):
    """netvsp: Ethernet frames between the guest and its port on a virtual switch."""

    device_type = 2
    name = "network"

    def __init__(self, mac: bytes, switch) -> None:
        self.mac = mac
        self.switch = switch
        self.port = None
        self.stats = {"rx_frames": 0, "rx_bytes": 0, "tx_frames": 0, "tx_bytes": 0, "rx_dropped": 0}

    def offer_params(self) -> tuple[int, int]:
        return int.from_bytes(self.mac, "little"), 0

    def opened(self, channel) -> None:
        if self.switch is not None and self.port is None:
            self.port = self.switch.connect(self.mac, self.deliver, channel.bus.partition.name)

    def closed(self, channel) -> None:
        if self.port is not None:
            self.switch.disconnect(self.port)
            self.port = None

    def close(self) -> None:
        self.closed(None)

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        if len(payload) < _NET_HDR.size:
            raise ValueError("network packet too short")
        length = _NET_HDR.unpack_from(payload)[0]
        if not FRAME_MIN <= length <= FRAME_MAX or _NET_HDR.size + length > len(payload):
            raise ValueError(f"network frame length {length} is out of range")
        frame = payload[_NET_HDR.size : _NET_HDR.size + length]
        self.stats["tx_frames"] += 1
        self.stats["tx_bytes"] += length
        if self.port is not None:
            self.switch.forward(self.port, frame)

    def deliver(self, frame: bytes) -> None:
        """Called by the switch (on the sender's thread)."""
        if self.channel.send(_NET_HDR.pack(len(frame), 0, 0) + frame):
            self.stats["rx_frames"] += 1
            self.stats["rx_bytes"] += len(frame)
        else:
            self.stats["rx_dropped"] += 1


# --- integration services -----------------------------------------------------------------------------------------
class HeartbeatVsp(Vsp):
    device_type = 3
    name = "heartbeat"
    LOST_AFTER = 5.0  # the guest beats every 2 s: two beats missed and half a period

    def __init__(self) -> None:
        self.last_beat: float | None = None
        self.sequence = 0
        self.beats = 0

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        if len(payload) < 8:
            raise ValueError("heartbeat packet too short")
        self.sequence = struct.unpack_from("<Q", payload)[0]
        self.beats += 1
        self.last_beat = time.monotonic()

    def closed(self, channel) -> None:
        self.last_beat = None

    def status(self) -> str:
        if self.beats == 0:
            return "No Contact"
        if self.last_beat is None or time.monotonic() - self.last_beat > self.LOST_AFTER:
            return "Lost Communication"
        return "OK"


class ShutdownVsp(Vsp):
    device_type = 4
    name = "shutdown"

    def request(self, reason: str = "requested by the host") -> bool:
        payload = struct.pack("<I64s", 0, reason.encode()[:63])
        return self.channel.state == "open" and self.channel.send(payload, trans_id=1)

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        pass  # the guest's acknowledgement; it powers off next


class TimeSyncVsp(Vsp):
    device_type = 5
    name = "timesync"
    PERIOD = 5.0

    def __init__(self) -> None:
        self.last = 0.0

    def _sync(self, channel) -> None:
        self.last = time.monotonic()
        channel.send(struct.pack("<Q", time.time_ns()))

    def opened(self, channel) -> None:
        self._sync(channel)

    def tick(self, channel, now: float) -> None:
        if now - self.last >= self.PERIOD:
            self._sync(channel)

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        pass


_KVP = struct.Struct("<I64s256s")
KVP_SET, KVP_DELETE = 1, 2


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


class KvpVsp(Vsp):
    """Key-value pair exchange: the guest publishes facts about itself, the host pushes keys the guest can read."""

    device_type = 6
    name = "kvp"
    MAX_KEYS = 256

    def __init__(self) -> None:
        self.guest: dict[str, str] = {}
        self.host: dict[str, str] = {}

    def handle(self, channel, ptype, flags, trans_id, payload) -> None:
        if len(payload) < _KVP.size:
            raise ValueError("KVP packet too short")
        op, key, value = _KVP.unpack_from(payload)
        key, value = _text(key), _text(value)
        if not key:
            raise ValueError("KVP packet with an empty key")
        if op == KVP_SET:
            if key not in self.guest and len(self.guest) >= self.MAX_KEYS:
                raise ValueError(f"the guest published more than {self.MAX_KEYS} KVP keys")
            self.guest[key] = value
        elif op == KVP_DELETE:
            self.guest.pop(key, None)
        else:
            raise ValueError(f"unknown KVP operation {op}")

    def opened(self, channel) -> None:
        for key, value in self.host.items():
            self._push(channel, KVP_SET, key, value)

    def push(self, key: str, value: str | None) -> None:
        if value is None:
            self.host.pop(key, None)
        else:
            self.host[key] = value
        if self.channel.state == "open":
            self._push(self.channel, KVP_DELETE if value is None else KVP_SET, key, value or "")

    @staticmethod
    def _push(channel, op: int, key: str, value: str) -> None:
        channel.send(_KVP.pack(op, key.encode()[:63], value.encode()[:255]))

    def get_state(self) -> dict:
        return {"guest": dict(self.guest), "host": dict(self.host)}

    def set_state(self, state: dict) -> None:
        for pool in ("guest", "host"):
            items = state.get(pool) or {}
            if isinstance(items, dict):
                getattr(self, pool).update({str(k)[:63]: str(v)[:255] for k, v in list(items.items())[:256]})
