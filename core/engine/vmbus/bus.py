"""One partition's VMBus: the control protocol (offers, open, close, rescind), channels, doorbells, and the thread
that serves the partition's VSPs (docs/vmbus.md).

Guest→host doorbells are eventfds: on KVM an ioeventfd, so ringing one costs the guest no exit to user space; under
emulation the port hook writes the eventfd. One thread per partition polls them and drains the rings, so the VSPs
run beside the vCPUs, never on them.
"""

from __future__ import annotations

import logging
import os
import select
import struct
import threading
import time
from collections import deque

from core.model.threads import name_this_thread

from .. import platform as pf
from ..machine import doorbells_of
from .ring import PKT_COMP, PKT_DATA_INBAND, RingError, RingReader, RingWriter

log = logging.getLogger(__name__)

PORT_CONTROL = 0x510
PORT_DOORBELL = 0x511
CONNECT, POST, EOM = 1, 2, 3
MSG_OFFER, MSG_ALL_OFFERS, MSG_RESCIND, MSG_OPEN_RESULT = 1, 2, 3, 4
MSG_OPEN, MSG_CLOSE, MSG_UNLOAD = 10, 11, 12
SLOTS, SLOT_SIZE = 16, 256
POST_AREA = 4096
MESSAGE_PAGE_BYTES = 8192
EVENT_PAGE_BYTES = 4096
BI_MESSAGE_PAGE, BI_EVENT_PAGE = 48, 56
MAX_CHANNELS = 256
MIN_RING_PAGES, MAX_RING_PAGES = 2, 512
TICK = 1.0
TICK_SLACK = TICK / 2

DEVICE_NAMES = {1: "storage", 2: "network", 3: "heartbeat", 4: "shutdown", 5: "timesync", 6: "kvp"}


class Channel:
    def __init__(self, bus: VmBus, channel_id: int, vsp) -> None:
        self.bus = bus
        self.id = channel_id
        self.vsp = vsp
        self.state = "offered"  # offered, open, failed, rescinded
        self.reason = ""
        self.reader: RingReader | None = None
        self.writer: RingWriter | None = None
        self.ring = (0, 0, 0)  # gpa, out pages, in pages
        self.eventfd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self.counters = {"packets_in": 0, "bytes_in": 0, "packets_out": 0, "bytes_out": 0, "signals_in": 0,
                         "signals_out": 0, "dropped_out": 0}

    @property
    def name(self) -> str:
        return f"{self.vsp.name}#{self.id}"

    def open(self, gpa: int, out_pages: int, in_pages: int, read: int = 0, write: int = 0) -> None:
        memory = self.bus.memory
        self.reader = RingReader(memory, gpa, out_pages * 4096, f"{self.vsp.name} outbound", read)
        self.writer = RingWriter(memory, gpa + out_pages * 4096, in_pages * 4096, f"{self.vsp.name} inbound", write)
        self.ring = (gpa, out_pages, in_pages)
        self.state = "open"

    def send(self, payload: bytes, trans_id: int = 0, completion: bool = False) -> bool:
        """Put a packet in the guest's inbound ring; False when the ring is full (the packet is dropped)."""
        if self.state != "open":
            return False
        try:
            written, signal = self.writer.put(PKT_COMP if completion else PKT_DATA_INBAND, payload, trans_id)
        except RingError as e:
            self.bus.fail(self, str(e))
            return False
        if not written:
            self.counters["dropped_out"] += 1
            return False
        self.counters["packets_out"] += 1
        self.counters["bytes_out"] += len(payload)
        if signal:
            self.counters["signals_out"] += 1
            self.bus.signal_guest(self.id)
        return True

    def snapshot(self) -> dict:
        return {"id": self.id, "device": self.vsp.name, "state": self.state, "reason": self.reason,
                **self.counters}


class VmBus:
    def __init__(self, partition, vsps: list) -> None:
        self.partition = partition
        self.memory = None
        self.lock = threading.RLock()
        self.channels: dict[int, Channel] = {}
        for i, vsp in enumerate(vsps, start=1):
            self.channels[i] = Channel(self, i, vsp)
            vsp.attach(self.channels[i])
        self.vsps = {}  # device name -> its VSP (the first of a name): the channels never change after this
        for ch in self.channels.values():
            self.vsps.setdefault(ch.vsp.name, ch.vsp)
        self.connected = False
        self.message_page = 0
        self.event_page = 0
        self._outbox: deque[tuple[int, bytes]] = deque()
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._thread: threading.Thread | None = None
        self._running = False
        self.ioeventfd = False

    # --- lifecycle (called by the partition) -------------------------------------------------------------------
    def start(self, memory, machine) -> None:
        self.memory = memory
        doorbells = doorbells_of(machine)
        self.ioeventfd = doorbells is not None and all(doorbells.register_doorbell(PORT_DOORBELL, ch.id, ch.eventfd)
                                                       for ch in self.channels.values())
        self.resume()

    def suspend(self) -> None:
        """Stop serving (pause, save): no VSP touches guest memory until resume()."""
        self._running = False
        os.write(self._wake_w, b"x")
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # until it has stopped: a request it serves may wait on the disk (a dynamic VHD's allocation syncs) for
            # seconds on a busy machine, and a second serving thread started by resume() would share its rings
            while thread.is_alive():
                thread.join(5)
                if thread.is_alive():
                    log.warning("VM %s: the VMBus is still finishing a request", self.partition.name)
        self._thread = None

    def resume(self) -> None:
        if self._thread is None:
            self._running = True
            self._thread = threading.Thread(target=self._serve, name=f"vmbus:{self.partition.name}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self.suspend()
        self.memory = None

    def close(self) -> None:
        self.stop()
        for ch in self.channels.values():
            ch.vsp.close()
            os.close(ch.eventfd)
        os.close(self._wake_r)
        os.close(self._wake_w)

    def reset(self) -> None:
        """A guest reboot: every channel back to offered, the guest must connect again."""
        with self.lock:
            for ch in self.channels.values():
                if ch.state in ("open", "failed"):
                    ch.vsp.closed(ch)
                ch.state, ch.reason, ch.reader, ch.writer = "offered", "", None, None
            self.connected = False
            self.message_page = self.event_page = 0
            self._outbox.clear()

    # --- guest exits (vCPU threads) ----------------------------------------------------------------------------
    def control(self, value: int) -> None:
        with self.lock:
            if value == CONNECT:
                self._connect()
            elif value == POST:
                self._handle_post()
            elif value == EOM:
                self._deliver()
            else:
                from ..errors import GuestFault

                raise GuestFault(f"VMBus control port written with unknown value {value}")

    def doorbell(self, channel_id: int) -> None:
        """Only reached when the doorbell is not an ioeventfd (emulation, or a host without ioeventfd)."""
        ch = self.channels.get(channel_id)
        if ch is not None:
            os.eventfd_write(ch.eventfd, 1)

    # --- host → guest ------------------------------------------------------------------------------------------
    def signal_guest(self, channel_id: int) -> None:
        if self.event_page and self.memory is not None:
            self.memory.view[self.event_page + channel_id] = 1
            self.memory.mark(self.event_page + channel_id, 1)
        self.partition.wake(0)

    def post_message(self, mtype: int, payload: bytes) -> None:
        with self.lock:
            self._outbox.append((mtype, payload))
            self._deliver()

    def rescind(self, channel_id: int) -> None:
        with self.lock:
            ch = self.channels[channel_id]
            if ch.state == "open":
                ch.vsp.closed(ch)
            ch.state = "rescinded"
            if self.connected:
                self.post_message(MSG_RESCIND, struct.pack("<I", channel_id))

    def fail(self, ch: Channel, reason: str) -> None:
        """The guest broke this channel's rules: it stops, the reason is kept, the VM carries on."""
        with self.lock:
            if ch.state == "failed":
                return
            ch.state, ch.reason = "failed", reason
            log.warning("VM %s: VMBus channel %s failed: %s", self.partition.name, ch.name, reason)
        try:
            ch.vsp.closed(ch)
        except Exception:
            log.exception("closing a failed channel")
        self.partition.device_failed(ch.vsp.name, reason)

    # --- internals ---------------------------------------------------------------------------------------------
    def _page(self, offset: int, size: int, what: str) -> int:
        gpa = self.memory.read_u64(pf.BOOT_INFO + offset)
        if gpa % 4096 or gpa < pf.LOAD_FLOOR or gpa + size > self.memory.size:
            from ..errors import GuestFault

            raise GuestFault(f"VMBus {what} page at 0x{gpa:x} is unaligned or outside guest RAM")
        return gpa

    def _connect(self) -> None:
        message = self._page(BI_MESSAGE_PAGE, MESSAGE_PAGE_BYTES, "message")
        event = self._page(BI_EVENT_PAGE, EVENT_PAGE_BYTES, "event")
        if message < event + EVENT_PAGE_BYTES and event < message + MESSAGE_PAGE_BYTES:
            from ..errors import GuestFault

            raise GuestFault("VMBus message and event pages overlap")
        if self.connected:
            self.reset()
        self.message_page, self.event_page, self.connected = message, event, True
        self._outbox.clear()
        for ch in self.channels.values():
            if ch.state == "rescinded":
                continue
            p0, p1 = ch.vsp.offer_params()
            self._outbox.append((MSG_OFFER, struct.pack("<IIIIQQ", ch.id, ch.vsp.device_type, ch.vsp.instance, 0,
                                                        p0, p1)))
        self._outbox.append((MSG_ALL_OFFERS, b""))
        self._deliver()

    def _deliver(self) -> None:
        if not self.connected or self.memory is None:
            return
        view = self.memory.view
        delivered = False
        for slot in range(SLOTS):
            if not self._outbox:
                break
            at = self.message_page + slot * SLOT_SIZE
            if struct.unpack_from("<I", view, at)[0] != 0:
                continue
            mtype, payload = self._outbox.popleft()
            view[at + 8 : at + 8 + len(payload)] = payload
            struct.pack_into("<I", view, at + 4, len(payload))
            struct.pack_into("<I", view, at, mtype)  # type last: the slot is the guest's from here on
            self.memory.mark(at, 8 + len(payload))
            delivered = True
        if delivered:
            self.partition.wake(0)

    def _handle_post(self) -> None:
        if not self.connected:
            from ..errors import GuestFault

            raise GuestFault("VMBus message posted before CONNECT")
        at = self.message_page + POST_AREA
        mtype, size = struct.unpack_from("<II", self.memory.view, at)
        if size > POST_AREA - 8:
            from ..errors import GuestFault

            raise GuestFault(f"VMBus message of {size} bytes is larger than the post area")
        payload = bytes(self.memory.view[at + 8 : at + 8 + size])
        if mtype == MSG_OPEN and size >= 24:
            channel_id, out_pages, in_pages, _r, gpa = struct.unpack_from("<IIIIQ", payload)
            status = self._open(channel_id, out_pages, in_pages, gpa)
            self._outbox.append((MSG_OPEN_RESULT, struct.pack("<Ii", channel_id, status)))
            self._deliver()
        elif mtype == MSG_CLOSE and size >= 4:
            ch = self.channels.get(struct.unpack_from("<I", payload)[0])
            if ch is not None and ch.state == "open":
                ch.vsp.closed(ch)
                ch.state, ch.reader, ch.writer = "offered", None, None
        elif mtype == MSG_UNLOAD:
            for ch in self.channels.values():
                if ch.state == "open":
                    ch.vsp.closed(ch)
                    ch.state, ch.reader, ch.writer = "offered", None, None
        else:
            from ..errors import GuestFault

            raise GuestFault(f"unknown VMBus message type {mtype} ({size} bytes)")

    def _open(self, channel_id: int, out_pages: int, in_pages: int, gpa: int, notify: bool = True) -> int:
        ch = self.channels.get(channel_id)
        if ch is None or ch.state != "offered":
            return -1
        for pages in (out_pages, in_pages):
            if not MIN_RING_PAGES <= pages <= MAX_RING_PAGES or pages & (pages - 1):
                return -2
        total = (out_pages + in_pages) * 4096
        if gpa % 4096 or gpa < pf.LOAD_FLOOR or gpa + total > self.memory.size:
            return -3
        for other in self.channels.values():  # two channels on the same pages would corrupt each other
            if other.state == "open":
                o_gpa, o_out, o_in = other.ring
                if gpa < o_gpa + (o_out + o_in) * 4096 and o_gpa < gpa + total:
                    return -4
        ch.open(gpa, out_pages, in_pages)
        if not notify:
            return 0
        try:
            ch.vsp.opened(ch)
        except Exception as e:
            self.fail(ch, f"could not open: {e}")
            return -5
        return 0

    def _serve(self) -> None:
        name_this_thread(f"vmbus:{self.partition.name}")
        poller = select.poll()
        fds = {}
        for ch in self.channels.values():
            poller.register(ch.eventfd, select.POLLIN)
            fds[ch.eventfd] = ch
        poller.register(self._wake_r, select.POLLIN)
        next_tick = time.monotonic()
        while self._running:
            # The ticks ride on the wake-ups the guest causes anyway (its heartbeat comes every second): due half a
            # tick early, so a doorbell that wakes this thread then runs them, and forced half a tick late, when
            # nothing came. An idle VM so wakes this thread once a second, not twice (issue 17's profile).
            timeout = max(0.0, next_tick + TICK_SLACK - time.monotonic())
            for fd, _ in poller.poll(timeout * 1000):
                if fd == self._wake_r:
                    try:
                        os.read(self._wake_r, 4096)
                    except BlockingIOError:
                        pass
                    continue
                ch = fds[fd]
                try:
                    ch.counters["signals_in"] += os.eventfd_read(fd)
                except BlockingIOError:
                    continue
                self._drain(ch)
            now = time.monotonic()
            if now >= next_tick - TICK_SLACK:
                next_tick = now + TICK
                for ch in self.channels.values():
                    if ch.state == "open" and self._running:
                        self._guarded(ch, ch.vsp.tick, ch, now)
                        self._drain(ch)  # a lost doorbell costs at most a tick, never a hang

    def _guarded(self, ch: Channel, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as e:  # a VSP bug or a guest's bad request fails this channel only
            from ..memory import GuestMemoryError

            if not isinstance(e, (RingError, GuestMemoryError, ValueError)):
                log.exception("VSP %s failed", ch.name)
            self.fail(ch, str(e))

    def _drain(self, ch: Channel) -> None:
        if ch.state != "open" or not self._running:
            return
        reader = ch.reader
        try:
            while ch.state == "open":
                reader.set_draining(True)
                handled = 0
                for ptype, flags, trans_id, payload in reader.packets():
                    handled += 1
                    ch.counters["packets_in"] += 1
                    ch.counters["bytes_in"] += len(payload)
                    ch.vsp.handle(ch, ptype, flags, trans_id, payload)
                    if ch.state != "open":
                        return
                reader.set_draining(False)
                # a packet written between the last look and unmasking would have gone unsignalled: look again
                if reader.available() == 0:
                    break
            if ch.state == "open" and reader.writer_waiting_satisfied():
                ch.counters["signals_out"] += 1
                self.signal_guest(ch.id)
        except Exception as e:
            from ..memory import GuestMemoryError

            if not isinstance(e, (RingError, GuestMemoryError, ValueError)):
                log.exception("VSP %s failed", ch.name)
            self.fail(ch, str(e))

    # --- state -------------------------------------------------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [ch.snapshot() for ch in self.channels.values()]

    def get_state(self) -> dict:
        with self.lock:
            return {
                "connected": self.connected, "message_page": self.message_page, "event_page": self.event_page,
                "outbox": [[t, p.hex()] for t, p in self._outbox],
                "channels": {str(ch.id): {"state": ch.state, "reason": ch.reason, "ring": list(ch.ring),
                                          "read": ch.reader.read if ch.reader else 0,
                                          "write": ch.writer.write if ch.writer else 0,
                                          "vsp": ch.vsp.get_state()}
                             for ch in self.channels.values()},
            }

    def set_state(self, state: dict, memory) -> None:
        """Restore from a saved state (untrusted: every page and ring is checked as if the guest had asked)."""
        self.memory = memory
        if not state.get("connected"):
            return
        self.message_page = self._checked_page(state.get("message_page"), MESSAGE_PAGE_BYTES)
        self.event_page = self._checked_page(state.get("event_page"), EVENT_PAGE_BYTES)
        self.connected = True
        for t, p in state.get("outbox", []):
            if isinstance(t, int) and isinstance(p, str) and len(p) <= 2 * SLOT_SIZE:
                self._outbox.append((t, bytes.fromhex(p)))
        for key, saved in (state.get("channels") or {}).items():
            ch = self.channels.get(int(key))
            if ch is None or not isinstance(saved, dict):
                raise ValueError(f"saved VMBus channel {key} does not exist on this VM")
            ch.vsp.set_state(saved.get("vsp") or {})
            if saved.get("state") == "open":
                gpa, out_pages, in_pages = (int(x) for x in saved.get("ring", (0, 0, 0)))
                read, write = int(saved.get("read", 0)), int(saved.get("write", 0))
                # reopened silently: a VSP must not write before the saved ring indices are back
                if self._open(ch.id, out_pages, in_pages, gpa, notify=False) != 0:
                    raise ValueError(f"saved VMBus channel {key} has an invalid ring")
                if read % 8 or write % 8 or read >= ch.reader.size or write >= ch.writer.size:
                    raise ValueError(f"saved VMBus channel {key} has invalid ring indices")
                ch.reader.read, ch.writer.write = read, write
            elif saved.get("state") in ("failed", "rescinded"):
                ch.state, ch.reason = saved["state"], str(saved.get("reason", ""))[:500]

    def _checked_page(self, gpa, size: int) -> int:
        if not isinstance(gpa, int) or gpa % 4096 or gpa < pf.LOAD_FLOOR or gpa + size > self.memory.size:
            raise ValueError("saved VMBus page address is invalid")
        return gpa
