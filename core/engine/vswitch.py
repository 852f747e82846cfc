"""Virtual switches in the parent partition: learning Ethernet switches between VMs' synthetic NICs.

A *private* switch connects VMs only; an *internal* switch also has the parent partition on it (a host endpoint at
the subnet's .1 address that answers ARP and ICMP echo), as Hyper-V's switch types do. Frames never leave the
process: there is no external switch type here.
"""

from __future__ import annotations

import ipaddress
import struct
import threading
from dataclasses import dataclass, field
from typing import Callable

SWITCH_TYPES = ("private", "internal")
BROADCAST = b"\xff" * 6
HOST_MAC = bytes.fromhex("00155d000001")
ETH_ARP, ETH_IPV4 = 0x0806, 0x0800


@dataclass(eq=False)
class Port:
    mac: bytes
    deliver: Callable[[bytes], None]
    owner: str
    stats: dict = field(default_factory=lambda: {"in": 0, "out": 0})


class VirtualSwitch:
    def __init__(self, name: str, kind: str = "private", subnet: str = "192.0.2.0/24") -> None:
        if kind not in SWITCH_TYPES:
            raise ValueError(f"unknown switch type '{kind}' (choose {', '.join(SWITCH_TYPES)})")
        self.name = name
        self.kind = kind
        self.subnet = ipaddress.IPv4Network(subnet)
        self.ports: list[Port] = []
        self.table: dict[bytes, Port] = {}
        self.lock = threading.Lock()
        self.stats = {"forwarded": 0, "flooded": 0, "dropped": 0}
        self.host_ip = self.subnet.network_address + 1
        self.host_port = self.connect(HOST_MAC, self._host_receive, "parent partition") if kind == "internal" else None

    def connect(self, mac: bytes, deliver: Callable[[bytes], None], owner: str) -> Port:
        port = Port(mac, deliver, owner)
        with self.lock:
            self.ports.append(port)
        return port

    def disconnect(self, port: Port) -> None:
        with self.lock:
            if port in self.ports:
                self.ports.remove(port)
            for mac in [m for m, p in self.table.items() if p is port]:
                del self.table[mac]

    def forward(self, source: Port, frame: bytes) -> None:
        if len(frame) < 14:
            self.stats["dropped"] += 1
            return
        dst, src = frame[:6], frame[6:12]
        source.stats["in"] += 1
        with self.lock:
            if not src[0] & 1:  # learn unicast source addresses only
                self.table[src] = source
            target = None if dst[0] & 1 else self.table.get(dst)
            targets = [target] if target is not None else [p for p in self.ports if p is not source]
        if target is None:
            self.stats["flooded"] += 1
        elif target is source:
            self.stats["dropped"] += 1
            return
        else:
            self.stats["forwarded"] += 1
        for port in targets:
            port.stats["out"] += 1
            port.deliver(frame)

    # --- the parent partition's endpoint on an internal switch -------------------------------------------------
    def _host_receive(self, frame: bytes) -> None:
        ethertype = struct.unpack_from("!H", frame, 12)[0]
        if ethertype == ETH_ARP and len(frame) >= 42:
            op = struct.unpack_from("!H", frame, 20)[0]
            sender_mac, sender_ip, target_ip = frame[22:28], frame[28:32], frame[38:42]
            if op == 1 and target_ip == self.host_ip.packed:
                reply = (sender_mac + HOST_MAC + struct.pack("!HHHBBH", ETH_ARP, 1, ETH_IPV4, 6, 4, 2)
                         + HOST_MAC + self.host_ip.packed + sender_mac + sender_ip)
                self.forward(self.host_port, reply)
        elif ethertype == ETH_IPV4 and len(frame) >= 34:
            ihl = (frame[14] & 0x0F) * 4
            proto, dst = frame[23], frame[30:34]
            icmp = 14 + ihl
            if proto == 1 and dst == self.host_ip.packed and len(frame) >= icmp + 8 and frame[icmp] == 8:
                src_ip = frame[26:30]
                body = bytearray(frame[icmp:])
                body[0] = 0  # echo reply
                body[2:4] = b"\0\0"
                body[2:4] = struct.pack("!H", _checksum(bytes(body)))
                header = bytearray(frame[14:icmp])
                header[12:16], header[16:20] = dst, src_ip
                header[8] = 64
                header[10:12] = b"\0\0"
                header[10:12] = struct.pack("!H", _checksum(bytes(header)))
                self.forward(self.host_port, frame[6:12] + HOST_MAC + frame[12:14] + bytes(header) + bytes(body))

    def snapshot(self) -> dict:
        with self.lock:
            return {"name": self.name, "type": self.kind, "ports": [p.owner for p in self.ports],
                    "mac_table": {m.hex(":"): p.owner for m, p in self.table.items()}, **self.stats}


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def mac_for(seed: str) -> bytes:
    """A stable MAC in Hyper-V's 00:15:5D range for a VM (seeded by its id)."""
    import hashlib

    return bytes.fromhex("00155d") + hashlib.sha256(seed.encode()).digest()[:3]
