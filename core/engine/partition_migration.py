"""Live migration of a partition (docs/migration.md, "Engine"); part of ``Partition``.

The source (``migrate_out``) sends the resident pages, then in rounds the pages the dirty tracker saw written since
the last round, until what is left fits the downtime limit at the bandwidth measured in the round; auto-converge
throttles the vCPUs when the guest dirties more than half of what a round sent. Then it stops the VM (vCPUs parked,
VMBus suspended, clock stopped), sends the last pages and the state a saved state holds, waits for PREPARED, calls
``before_go``, sends GO and waits for RUNNING. Until GO any failure or a cancel resumes the VM where it was; after
GO without RUNNING the VM stays paused (``MigrationUnconfirmed``): only the destination knows whether it runs there.

The destination (``migrate_in``, on an Off partition with the VM's configuration; ``migration_incoming``) reads the
untrusted stream straight into fresh guest memory, builds the machine and devices, restores the state as ``_restore``
does, answers PREPARED, and on GO calls ``on_go`` and launches the vCPUs with the guest clock continuing (it counts
the time the VM was stopped, as a wall clock would). On any failure before GO it drops everything, the partition Off.

A disk image both sides reach (shared storage) is handed over: once the VM is stopped the source flushes and closes
it (its writer lock goes with it) and the destination opens it with the state; the source opens it again if the VM
stays here (a failure before GO; ``resume`` after an unconfirmed move).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import math
import socket
import struct
import termios
import threading
import time
from dataclasses import dataclass

import numpy as np

from core.model.converge import next_throttle
from core.model.states import TransitionError, VmState

from . import migration_stream as ms
from .memory import PAGE_SIZE
from .migration_incoming import Incoming, report
from .migration_stream import Channel, MigrationError, StreamError
from .partition_exits import RUN
from .storage import DiskError, open_disk
from .storage.tracking import TrackingDisk

log = logging.getLogger(__name__)

__all__ = ["MigrationError", "MigrationOptions", "MigrationUnconfirmed", "PartitionMigration", "StreamError"]

CONSUMER = "migration"  # the dirty tracker's consumer
RATE_CONSUMER = "migration-rate"  # counted every RATE_EVERY seconds of a round: the guest's dirty rate
RATE_EVERY = 1.0  # seconds: unique pages a second, as the metrics sampler counts them (a whole long round saturates)
PAGES_PER_RECORD = 1024  # 4 MiB a PAGES record (the stream allows up to 4096)
THROTTLE_PERIOD = 0.2  # seconds: each period the vCPUs are held for throttle % of it
SMALL_ROUND = 256 * 1024  # a round that sent less says little about the bandwidth: the last estimate stands
DISK_BACK_TIMEOUT = 5.0  # seconds the source waits for a failed destination to let go of a shared disk
# a round ends when what it sent has left this host, not when it was handed to the socket: on a slow link the send
# buffer and the link's queue hold a megabyte or more, and the stop-and-copy's last records would wait behind it
IN_FLIGHT_DONE = 64 * 1024  # bytes still unacknowledged when a round counts as delivered
DRAIN_POLL = 0.002  # seconds between looks at what is still in flight


def in_flight(sock) -> int | None:
    """Bytes written to ``sock`` that the other side has not acknowledged yet (TCP: unsent and unacknowledged,
    SIOCOUTQ), or None where the socket cannot say (a pipe, a closed socket)."""
    try:
        return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
    except (OSError, ValueError, AttributeError, TypeError):
        return None


class MigrationUnconfirmed(MigrationError):
    """GO went out (or may have) and RUNNING did not come back: the VM may run at the destination, so it stays
    paused here and is never resumed on its own; the host asks the destination and then resumes or releases it."""


@dataclass
class MigrationOptions:
    downtime_limit: float = 0.05  # seconds the VM may be stopped for the last pages and the state
    bandwidth: float = 0  # bytes a second the stream may use; 0: no limit
    auto_converge: bool = True
    max_rounds: int = 30  # pre-copy rounds, round 0 (all resident pages) included
    timeout: float = 30.0  # seconds the stream may stall, and the wait for READY, PREPARED and RUNNING
    destination: str = ""  # where the VM goes, for its reason once moved ("Moved to HOST")
    extra_precopy: object = None  # callable(channel, round, ready): more of a round after its pages (disk blocks)
    extra_final: object = None  # callable(channel): its rest once the VM is stopped, before the disk is handed over

    def validate(self) -> None:
        for name in ("downtime_limit", "timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not 0 < value <= 3600:
                raise ValueError(f"{name} must be a number of seconds above 0, at most 3600 (got {value!r})")
        bandwidth = self.bandwidth
        if isinstance(bandwidth, bool) or not isinstance(bandwidth, (int, float)) or not math.isfinite(bandwidth) \
                or bandwidth < 0:
            raise ValueError(f"bandwidth must be bytes a second, 0 for no limit (got {bandwidth!r})")
        if isinstance(self.max_rounds, bool) or not isinstance(self.max_rounds, int) or not 1 <= self.max_rounds \
                <= 1000:
            raise ValueError(f"max_rounds must be a whole number from 1 to 1000 (got {self.max_rounds!r})")


class PartitionMigration:
    """Mixin of ``Partition`` (first among its bases: its vCPU hooks wrap the exits' for the throttle)."""

    _throttle_hold = False  # auto-converge holds the vCPUs for a share of each period

    @property
    def _disk_away(self) -> bool:
        """The run's disk image was handed over to a migration's destination (closed here, its lock let go)."""
        return isinstance(self.disk, TrackingDisk) and self.disk.inner.closed

    # --- the vCPU side of the throttle -------------------------------------------------------------------------
    def vcpu_should_run(self) -> bool:
        return super().vcpu_should_run() and not self._throttle_hold

    def vcpu_park(self, index: int) -> bool:
        if self._throttle_hold and self._control is RUN:
            with self._cond:  # held by the throttle: counts as parked, so a pause is not kept waiting
                self._parked += 1
                self._cond.notify_all()
                while self._throttle_hold and self._control is RUN:
                    self._cond.wait(0.1)
                self._parked -= 1
                self._cond.notify_all()
            if self._control is RUN:
                return False
        return super().vcpu_park(index)

    # --- the two sides -----------------------------------------------------------------------------------------
    def migrate_out(self, sock, options: MigrationOptions | None = None, progress=None, cancel=None,
                    before_go=None, hello: dict | None = None) -> dict:
        """Send this Running or Paused VM over ``sock`` (a connected socket); see the module's description.
        ``progress(figures)`` after each round, ``cancel.is_set()`` stops before GO, ``before_go()`` runs once the
        destination is prepared (raising stops the migration), ``hello`` adds fields to HELLO (the token). Returns
        the figures; raises MigrationError (the VM runs on here) or MigrationUnconfirmed (it stays paused)."""
        opts = options or MigrationOptions()
        opts.validate()
        with self._op_lock:
            self._check("migrate")
            if not self.dirty.tracking:
                raise MigrationError(f"cannot migrate VM '{self.name}' live: its backend cannot track written "
                                     "pages", "unsupported")
            _no_delay(sock)
            return _Outgoing(self, sock, opts, progress, cancel).run(before_go, hello or {})

    def migrate_in(self, sock, check_hello=None, progress=None, cancel=None, on_go=None, go_timeout: float = 60.0,
                   timeout: float = 30.0, on_record=None) -> dict:
        """Receive this (Off) VM from ``sock``: ``check_hello(hello)`` may refuse it by raising, or return fields
        for READY; ``progress(figures)`` per round; ``cancel.is_set()`` stops before GO; ``on_go()`` runs on GO
        before the vCPUs start (raising stops the VM here). Returns the figures; raises MigrationError (or its
        StreamError) with the partition released and Off."""
        with self._op_lock:
            _no_delay(sock)
            ch = Channel(sock, timeout=timeout, cancel=cancel)
            if self.state is not VmState.OFF or self.machine is not None:
                error = MigrationError(f"cannot receive VM '{self.name}': it is {self.state.value} (an incoming "
                                       "migration needs it Off)", "state")
                ch.tell(ms.ERROR, error.reason, error.code)
                raise error
            incoming = Incoming(self, ch, progress, go_timeout)
            incoming.on_record = on_record  # on_record(type, payload): the BLOCKS of a disk the move copies
            return incoming.run(check_hello, on_go)

    def _hand_over_disk(self) -> None:
        """The VM is stopped for the last pages: its disk flushed, and closed so that the destination can open it."""
        disk = self.disk
        if disk is None:
            return
        disk.flush()
        if isinstance(disk, TrackingDisk) and not disk.read_only:
            disk.inner.close()

    def _reclaim_disk(self, wait: float = 0.0) -> None:
        """Before the guest runs here again: the disk a migration handed over opened again (waiting up to ``wait``
        seconds for the other side to let go of it); TransitionError while it is in use."""
        if not self._disk_away:
            return
        deadline = time.monotonic() + wait
        while True:
            try:
                disk = open_disk(self.config.disk, format=self.config.disk_format)
                break
            except DiskError as e:
                if time.monotonic() >= deadline:
                    raise TransitionError(f"VM '{self.name}' cannot run here: its disk went to a migration's "
                                          f"destination and cannot be opened again ({e})") from None
                time.sleep(0.05)
        self.disk.swap(disk)

    def _device_layout(self) -> dict:
        """What both sides' devices must agree on: the IDE controller and the VMBus channels in their order."""
        channels = [ch.vsp.name for _, ch in sorted(self.vmbus.channels.items())] if self.vmbus else []
        return {"ide": self.ide is not None, "vmbus": channels}


def _no_delay(sock) -> None:
    """Small records (PREPARED, GO, RUNNING) leave at once: without TCP_NODELAY a record's payload waits behind its
    header for the other side's delayed ACK (~40 ms on Linux), all of it downtime. Not TCP (a Unix socket): nothing."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError, ValueError):
        pass


class _Throttle:
    """Auto-converge: every THROTTLE_PERIOD the vCPUs are held for ``percent`` % of it."""

    def __init__(self, partition) -> None:
        self.p = partition
        self.percent = 0
        self.highest = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self, dirtied: float = 0.0, seconds: float = 0.0, bandwidth: float = 0.0) -> None:
        """Hold the vCPUs longer after a round that dirtied ``dirtied`` bytes in ``seconds`` (core.model.converge)."""
        self.percent = next_throttle(self.percent, dirtied, seconds, bandwidth)
        self.highest = max(self.highest, self.percent)
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._main, name=f"throttle:{self.p.name}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.percent = 0

    def _main(self) -> None:
        p = self.p
        try:
            while not self._stop.is_set():
                share = self.percent / 100
                if self._stop.wait(THROTTLE_PERIOD * (1 - share)):
                    break
                with p._cond:
                    p._throttle_hold = True
                machine = p.machine
                for i in range(p.config.vcpus if machine is not None else 0):
                    machine.kick(i)
                self._stop.wait(THROTTLE_PERIOD * share)
                self._let_go()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        with self.p._cond:
            self.p._throttle_hold = False
            self.p._cond.notify_all()


class _Outgoing:
    """One migration from the source's side."""

    def __init__(self, partition, sock, opts: MigrationOptions, progress, cancel) -> None:
        self.p = partition
        self.opts = opts
        self.progress = progress
        self.cancel = cancel
        self.ch = Channel(sock, bandwidth=opts.bandwidth, timeout=opts.timeout, cancel=cancel)
        self.throttle = _Throttle(partition)
        self.was_running = partition.state is VmState.RUNNING
        self.parked = False
        self.rounds: list[dict] = []
        self.pages_sent = 0
        self.bandwidth = 0.0
        self.stop_reason = ""
        self.stop_copy = {"pages": 0, "bytes": 0}
        self.ready: dict = {}
        self.start = time.monotonic()
        self.park_at = 0.0
        self.in_flight_at_park: int | None = None  # bytes not yet at the destination when the VM stopped
        self.marks: dict[str, float] = {}  # time.monotonic() of each step of the stop-and-copy
        self.remote_marks: dict = {}  # the destination's, from RUNNING (its own clock)
        self._rate_at, self._rates = 0.0, []  # the dirty rate's samples in this round (bytes/s)

    def _mark(self, name: str) -> None:
        self.marks[name] = time.monotonic()

    def run(self, before_go, hello: dict) -> dict:
        p = self.p
        p.dirty.unregister(CONSUMER)
        p.dirty.unregister(RATE_CONSUMER)
        try:
            try:
                self._handshake(hello)
                p.dirty.register(CONSUMER)
                p.dirty.register(RATE_CONSUMER)
                last = self._precopy()
                self._park()
                self._send_final(last)
                ms.expect(self.ch, ms.PREPARED, "destination", self.opts.timeout)
                self._mark("prepared_received")
                if before_go is not None:
                    before_go()
                self._mark("before_go_done")
            except BaseException as e:
                error = self._back_out(e)
                if isinstance(e, Exception):
                    raise error from (None if error is e else e)
                raise
            return self._switch_over()
        finally:
            self.throttle.stop()
            p.dirty.unregister(CONSUMER)
            p.dirty.unregister(RATE_CONSUMER)

    # --- phases ------------------------------------------------------------------------------------------------
    def _handshake(self, extra: dict) -> None:
        p = self.p
        hello = dict(extra) | {
            "format": ms.FORMAT_VERSION, "type": "live", "name": p.name, "memory": p.config.memory,
            "vcpus": p.config.vcpus, "image_sha256": hashlib.sha256(p.image.data).hexdigest(),
            "backend": p.backend.name, "devices": p._device_layout(),
        }
        self.ch.send_json(ms.HELLO, hello)
        self.ready = ms.expect(self.ch, ms.READY, "destination", self.opts.timeout).json()
        if self.ready.get("format") != ms.FORMAT_VERSION:
            raise StreamError(f"the destination speaks stream format {self.ready.get('format')!r}, this host "
                              f"{ms.FORMAT_VERSION}", "version")

    def _precopy(self) -> np.ndarray:
        """Rounds until the rest may go while the VM is stopped; returns the pages left for the stop-and-copy."""
        p, opts = self.p, self.opts
        pages = np.concatenate([np.arange(gpa // PAGE_SIZE, (gpa + n) // PAGE_SIZE) for gpa, n in
                                p.memory.resident_runs()] or [np.zeros(0, np.int64)])
        stagnant, previous = 0, None
        for round_no in range(opts.max_rounds):
            began, sent_before = time.monotonic(), self.ch.bytes_sent
            self._rate_started(began)
            self._send_pages(round_no, pages)
            if opts.extra_precopy is not None:
                opts.extra_precopy(self.ch, round_no, self.ready)
            self._drain(began)
            dirty = p.dirty.collect(CONSUMER)
            duration = max(time.monotonic() - began, 1e-6)
            sent = self.ch.bytes_sent - sent_before
            if sent >= SMALL_ROUND or not self.bandwidth:
                self.bandwidth = sent / duration
                if opts.bandwidth:
                    self.bandwidth = min(self.bandwidth, float(opts.bandwidth))
            remaining = len(dirty) * PAGE_SIZE
            figures = {"round": round_no, "sent_bytes": sent, "pages": len(pages), "duration_s": duration,
                       "remaining_bytes": remaining, "dirty_rate": remaining / duration, "bandwidth": self.bandwidth,
                       "expected_downtime_s": remaining / self.bandwidth if self.bandwidth else 0.0,
                       "throttle": self.throttle.percent,
                       "sampled_dirty_rate": sum(self._rates) / len(self._rates) if self._rates else None}
            self.rounds.append(figures)
            self.ch.send_json(ms.ROUND, figures)
            report(self.progress, figures)
            stagnant = stagnant + 1 if previous is not None and remaining >= previous else 0
            previous = remaining
            if remaining <= self.bandwidth * opts.downtime_limit:
                self.stop_reason = "converged"
                return dirty
            if not opts.auto_converge and stagnant >= 2:
                self.stop_reason = "not converging"
                return dirty
            if opts.auto_converge and round_no >= 1 and remaining > sent / 2:
                self.throttle.step(*self._dirtied_per(remaining, duration), self.bandwidth)
            pages = dirty
        self.stop_reason = "max rounds"
        return pages

    def _drain(self, began: float) -> None:
        """Wait (the VM running) until what the round sent has reached the destination, so that the round's
        bandwidth is what the link carried and the stop-and-copy starts on an empty link. Bounded: twice the time
        the bytes in flight need at the bandwidth so far, at least a second, and the stall timeout."""
        left = in_flight(self.ch.sock)
        if left is None or left <= IN_FLIGHT_DONE:
            return
        rate = self.bandwidth or (self.ch.bytes_sent / max(time.monotonic() - began, 1e-3))
        deadline = time.monotonic() + min(self.opts.timeout, max(1.0, 2 * left / max(rate, 1.0)))
        while left is not None and left > IN_FLIGHT_DONE and time.monotonic() < deadline:
            self._between_records()
            time.sleep(DRAIN_POLL)
            left = in_flight(self.ch.sock)

    def _send_pages(self, round_no: int, pages: np.ndarray, read=None) -> None:
        """``read(chunk)``: the contents of a chunk of pages (default: the dirty tracker's consistent read)."""
        read = read or self.p.dirty.read_pages
        for i in range(0, len(pages), PAGES_PER_RECORD):
            self._between_records()
            chunk = pages[i : i + PAGES_PER_RECORD]
            self.ch.send(ms.PAGES, *ms.pages_payload(round_no, chunk, read(chunk)))
            self.pages_sent += len(chunk)

    def _rate_started(self, now: float) -> None:
        self.p.dirty.count(RATE_CONSUMER)  # from now on
        self._rate_at, self._rates = now, []

    def _rate_sample(self) -> None:
        now = time.monotonic()
        if now - self._rate_at >= RATE_EVERY:
            self._rates.append(self.p.dirty.count(RATE_CONSUMER) * PAGE_SIZE / (now - self._rate_at))
            self._rate_at = now

    def _dirtied_per(self, remaining: int, duration: float) -> tuple[float, float]:
        """(bytes, seconds) the throttle reads: the guest's dirty rate sampled each second of the round, or, in a
        round shorter than that, the round's own figure (a long round's unique pages stop growing once the guest
        has rewritten its working set: they would say it dirties less than it does)."""
        sampled = self.rounds[-1].get("sampled_dirty_rate") if self.rounds else None
        return (sampled, 1.0) if sampled else (float(remaining), duration)

    def _between_records(self) -> None:
        """What may end a migration between two records: a cancel, the guest stopping, the destination's word."""
        p = self.p
        self._rate_sample()
        if self.cancel is not None and self.cancel.is_set():
            raise StreamError("the migration was cancelled", "cancelled")
        if p._pending is not None:
            raise MigrationError(f"the guest stopped during the migration: {p._pending[1]}", "guest")
        if self.ch.poll():
            rec = self.ch.recv(1.0)
            if rec.type in (ms.ERROR, ms.ABORT):
                raise ms.peer_error(rec, "destination")
            raise StreamError(f"the destination sent a {rec.name} record during the memory transfer", "order")

    def _park(self) -> None:
        p = self.p
        self.in_flight_at_park = in_flight(self.ch.sock)
        self.park_at = time.monotonic()
        self.parked = True
        if self.was_running:
            p._set_state(VmState.PAUSING)
        p._quiesce(park=self.was_running)
        self.clock_stopped = time.monotonic_ns()
        self._mark("parked")
        if self.was_running:
            p._set_state(VmState.PAUSED)
        self.throttle.stop()
        if p._pending is not None:
            raise MigrationError(f"the guest stopped during the migration: {p._pending[1]}", "guest")
        if self.opts.extra_final is not None:
            self.opts.extra_final(self.ch)
        p._hand_over_disk()  # the destination opens the disk once it has the state
        self._mark("disk_handed_over")

    def _send_final(self, pages: np.ndarray) -> None:
        p = self.p
        sent_before = self.ch.bytes_sent
        pages = np.union1d(pages, p.dirty.collect(CONSUMER))  # and what was written until the vCPUs stopped
        # quiesced and collected: guest memory is what the tracker holds, read in one gather, not page by page
        frames = [np.frombuffer(p.memory.view, np.uint8).reshape(-1, PAGE_SIZE)]
        try:
            self._send_pages(len(self.rounds), pages, lambda chunk: frames[0][chunk].reshape(-1).data)
        finally:
            frames.clear()  # the mapping must have no export left when it is closed
        self._mark("last_pages_sent")
        header = p._state_header()
        header["migration"] = {"clock_ns_since_stop": time.monotonic_ns() - self.clock_stopped,
                               "started_at": p.started_at, "paused": not self.was_running}
        self.ch.send_json(ms.STATE, header)
        self._mark("state_sent")
        self.stop_copy = {"pages": len(pages), "bytes": self.ch.bytes_sent - sent_before}

    def _back_out(self, e: BaseException) -> MigrationError:
        """Before GO: the destination is told, the VM goes on here as it was."""
        p = self.p
        self.throttle.stop()
        error = ms.as_error(e, f"cannot migrate VM '{p.name}'")
        if isinstance(error, StreamError) and error.code == "closed":
            error = self._last_word() or error  # the destination may have said why before it closed
        error.result = self._result()
        if not error.remote:
            self.ch.tell(ms.ABORT, error.reason, error.code)
        self.ch.shutdown()
        try:
            p._reclaim_disk(DISK_BACK_TIMEOUT)
        except TransitionError as e:  # without its disk the VM does not run: paused here, nothing lost
            error = MigrationError(f"{error.reason}; {e}, so it stays paused here", "disk", result=error.result)
            self.was_running = False
        if self.parked and self.was_running and p.state in (VmState.PAUSING, VmState.PAUSED):
            if p.state is VmState.PAUSING:
                p._set_state(VmState.PAUSED)
            p._set_state(VmState.RESUMING)
            if p._pending is None:
                p._unquiesce()
            else:  # the guest asked to stop: its request is acted on once the lock is free
                if p.vmbus is not None:
                    p.vmbus.resume()
                p._clock_run()
            p._set_state(VmState.RUNNING)
        return error

    def _last_word(self) -> MigrationError | None:
        try:
            rec = self.ch.recv(0.5)
        except MigrationError:
            return None
        return ms.peer_error(rec, "destination") if rec.type in (ms.ERROR, ms.ABORT) else None

    def _switch_over(self) -> dict:
        p, ch = self.p, self.ch
        ch.cancel = None  # from GO on nothing cancels: the VM is the destination's once it gets GO
        try:
            ch.send(ms.GO)
            self._mark("go_sent")
            running = ms.expect(ch, ms.RUNNING, "destination", self.opts.timeout).json()
            self._mark("running_received")
        except MigrationError as e:
            try:  # the disk back if nobody holds it (the destination did not open it, or let it go)
                p._reclaim_disk()
            except TransitionError:
                pass  # resume opens it again once the destination has let go
            raise MigrationUnconfirmed(
                f"VM '{p.name}' was handed over but the destination did not confirm it runs ({e.reason}); it stays "
                "paused here until the destination is asked", "unconfirmed", result=self._result()) from None
        downtime = time.monotonic() - self.park_at
        remote = running.get("timeline")
        self.remote_marks = {k: v for k, v in remote.items() if isinstance(k, str) and isinstance(v, (int, float))
                             and not isinstance(v, bool) and math.isfinite(v)} if isinstance(remote, dict) else {}
        where = self.opts.destination or str(self.ready.get("host") or "") or "another host"
        p._set_state(VmState.STOPPING)
        p._stop_threads()
        p._release()
        p._clear_pending()
        p.reason = f"Moved to {where}"
        p._set_state(VmState.OFF, p.reason)
        pause = running.get("pause_s")
        return self._result() | {
            "downtime_s": downtime, "guest_downtime_s": self._guest_downtime(),
            "destination_pause_s": float(pause) if isinstance(pause, (int, float)) and math.isfinite(pause) else None,
        }

    def _guest_downtime(self) -> float | None:
        """Guest-visible downtime without a common clock: parked here -> GO sent, plus GO's one-way trip (half the
        GO -> RUNNING round trip less the destination's time between them), plus GO received -> launched there."""
        mine, theirs = self.marks, self.remote_marks
        try:
            here = mine["go_sent"] - mine["parked"]
            there = theirs["launched"] - theirs["go_received"]
            trip = (mine["running_received"] - mine["go_sent"]) - (theirs["running_sent"] - theirs["go_received"])
        except KeyError:
            return None
        return here + there + max(trip, 0.0) / 2

    def _result(self) -> dict:
        return {
            "rounds": list(self.rounds), "stop_reason": self.stop_reason,
            "stop_copy_pages": self.stop_copy["pages"], "stop_copy_bytes": self.stop_copy["bytes"],
            "pages_sent": self.pages_sent, "bytes_sent": self.ch.bytes_sent,
            "bytes_received": self.ch.bytes_received, "total_s": time.monotonic() - self.start,
            "downtime_s": None, "destination_pause_s": None, "throttle": self.throttle.highest,
            "bandwidth": self.bandwidth, "in_flight_at_park_bytes": self.in_flight_at_park,
            "source_backend": self.p.backend.name,
            "destination_backend": str(self.ready.get("backend") or ""), "guest_downtime_s": None,
            "timeline": self._timeline(),
        }

    def _timeline(self) -> dict:
        """The stop-and-copy's steps in ms from the park: the source's, and the destination's (``dest_``) from its
        RUNNING, shifted by the clock offset the GO -> RUNNING exchange gives (exact on one machine's clock)."""
        if "parked" not in self.marks:
            return {}
        origin = self.park_at
        out = {k: round((v - origin) * 1000, 3) for k, v in self.marks.items()}
        theirs = self.remote_marks
        if theirs and {"go_sent", "running_received"} <= self.marks.keys() and \
                {"go_received", "running_sent"} <= theirs.keys():
            trip = (self.marks["running_received"] - self.marks["go_sent"]) - (theirs["running_sent"]
                                                                               - theirs["go_received"])
            offset = self.marks["go_sent"] + max(trip, 0.0) / 2 - theirs["go_received"]  # theirs + offset = mine
            out |= {f"dest_{k}": round((v + offset - origin) * 1000, 3) for k, v in theirs.items()}
        return out
