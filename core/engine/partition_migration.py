"""Live migration of a partition (docs/migration.md, "Engine"); part of ``Partition``.

The source (``migrate_out``) sends the resident pages, then in rounds the pages the dirty tracker saw written since
the last round, until what is left fits the downtime limit at the bandwidth measured in the round; auto-converge
throttles the vCPUs when the guest dirties more than half of what a round sent. Then it stops the VM (vCPUs parked,
VMBus suspended, clock stopped), sends the last pages and the state a saved state holds, waits for PREPARED, calls
``before_go``, sends GO and waits for RUNNING. Until GO any failure or a cancel resumes the VM where it was; after
GO without RUNNING the VM stays paused (``MigrationUnconfirmed``): only the destination knows whether it runs there.

The destination (``migrate_in``, on an Off partition with the VM's configuration) reads the untrusted stream straight
into fresh guest memory, builds the machine and devices, restores the state as ``_restore`` does, answers PREPARED,
and on GO calls ``on_go`` and launches the vCPUs with the guest clock continuing (it counts the time the VM was
stopped, as a wall clock would). On any failure before GO it drops everything and the partition stays Off.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from core.model.states import VmState

from . import migration_stream as ms
from .memory import PAGE_SIZE, GuestMemory
from .migration_stream import Channel, MigrationError, StreamError
from .partition_exits import RUN

log = logging.getLogger(__name__)

__all__ = ["MigrationError", "MigrationOptions", "MigrationUnconfirmed", "PartitionMigration", "StreamError"]

CONSUMER = "migration"  # the dirty tracker's consumer
PAGES_PER_RECORD = 1024  # 4 MiB a PAGES record (the stream allows up to 4096)
THROTTLE_FIRST, THROTTLE_STEP, THROTTLE_MAX = 20, 10, 99  # percent
THROTTLE_PERIOD = 0.2  # seconds: each period the vCPUs are held for throttle % of it
SMALL_ROUND = 256 * 1024  # a round that sent less says little about the bandwidth: the last estimate stands
CLOCK_GAP_MAX = 3600 * 10**9  # ns: what an incoming state may say the VM was stopped before it was sent
_FIGURES = ("round", "sent_bytes", "pages", "duration_s", "remaining_bytes", "dirty_rate", "bandwidth",
            "expected_downtime_s", "throttle")


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
            return _Outgoing(self, sock, opts, progress, cancel).run(before_go, hello or {})

    def migrate_in(self, sock, check_hello=None, progress=None, cancel=None, on_go=None, go_timeout: float = 60.0,
                   timeout: float = 30.0) -> dict:
        """Receive this (Off) VM from ``sock``: ``check_hello(hello)`` may refuse it by raising, or return fields
        for READY; ``progress(figures)`` per round; ``cancel.is_set()`` stops before GO; ``on_go()`` runs on GO
        before the vCPUs start (raising stops the VM here). Returns the figures; raises MigrationError (or its
        StreamError) with the partition released and Off."""
        with self._op_lock:
            ch = Channel(sock, timeout=timeout, cancel=cancel)
            if self.state is not VmState.OFF or self.machine is not None:
                error = MigrationError(f"cannot receive VM '{self.name}': it is {self.state.value} (an incoming "
                                       "migration needs it Off)", "state")
                ch.tell(ms.ERROR, error.reason, error.code)
                raise error
            return _Incoming(self, ch, progress, go_timeout).run(check_hello, on_go)

    def _device_layout(self) -> dict:
        """What both sides' devices must agree on: the IDE controller and the VMBus channels in their order."""
        channels = [ch.vsp.name for _, ch in sorted(self.vmbus.channels.items())] if self.vmbus else []
        return {"ide": self.ide is not None, "vmbus": channels}


def _error_of(rec: ms.Record, side: str) -> MigrationError:
    """The other side's ERROR or ABORT record as an error of ours."""
    try:
        info = rec.json()
    except StreamError:
        info = {}
    reason = str(info.get("reason") or "no reason given")[:500]
    code = str(info.get("code") or "refused")[:40]
    verb = "refused" if rec.type == ms.ERROR else "aborted"
    return MigrationError(f"the {side} {verb} the migration: {reason}", code, remote=True)


def _expect(ch: Channel, rtype: int, side: str, timeout: float | None = None) -> ms.Record:
    rec = ch.recv(timeout)
    if rec.type == rtype:
        return rec
    if rec.type in (ms.ERROR, ms.ABORT):
        raise _error_of(rec, side)
    raise StreamError(f"a {rec.name} record came where {ms.NAMES[rtype]} belongs", "order")


def _as_error(e: BaseException, what: str) -> MigrationError:
    if isinstance(e, MigrationError):
        return e
    code = getattr(e, "code", None)
    return MigrationError(f"{what}: {e}", code if isinstance(code, str) else "failed")


def _report(progress, figures: dict) -> None:
    if progress is None:
        return
    try:
        progress(dict(figures))
    except Exception:  # a listener's bug must not break the migration
        log.exception("migration progress listener failed")


class _Throttle:
    """Auto-converge: every THROTTLE_PERIOD the vCPUs are held for ``percent`` % of it."""

    def __init__(self, partition) -> None:
        self.p = partition
        self.percent = 0
        self.highest = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> None:
        self.percent = THROTTLE_FIRST if not self.percent else min(THROTTLE_MAX, self.percent + THROTTLE_STEP)
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

    def run(self, before_go, hello: dict) -> dict:
        p = self.p
        p.dirty.unregister(CONSUMER)
        try:
            try:
                self._handshake(hello)
                p.dirty.register(CONSUMER)
                last = self._precopy()
                self._park()
                self._send_final(last)
                _expect(self.ch, ms.PREPARED, "destination", self.opts.timeout)
                if before_go is not None:
                    before_go()
            except BaseException as e:
                error = self._back_out(e)
                if isinstance(e, Exception):
                    raise error from (None if error is e else e)
                raise
            return self._switch_over()
        finally:
            self.throttle.stop()
            p.dirty.unregister(CONSUMER)

    # --- phases ------------------------------------------------------------------------------------------------
    def _handshake(self, extra: dict) -> None:
        p = self.p
        hello = dict(extra) | {
            "format": ms.FORMAT_VERSION, "type": "live", "name": p.name, "memory": p.config.memory,
            "vcpus": p.config.vcpus, "image_sha256": hashlib.sha256(p.image.data).hexdigest(),
            "backend": p.backend.name, "devices": p._device_layout(),
        }
        self.ch.send_json(ms.HELLO, hello)
        self.ready = _expect(self.ch, ms.READY, "destination", self.opts.timeout).json()
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
            self._send_pages(round_no, pages)
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
                       "throttle": self.throttle.percent}
            self.rounds.append(figures)
            self.ch.send_json(ms.ROUND, figures)
            _report(self.progress, figures)
            stagnant = stagnant + 1 if previous is not None and remaining >= previous else 0
            previous = remaining
            if remaining <= self.bandwidth * opts.downtime_limit:
                self.stop_reason = "converged"
                return dirty
            if not opts.auto_converge and stagnant >= 2:
                self.stop_reason = "not converging"
                return dirty
            if opts.auto_converge and round_no >= 1 and remaining > sent / 2:
                self.throttle.step()
            pages = dirty
        self.stop_reason = "max rounds"
        return pages

    def _send_pages(self, round_no: int, pages: np.ndarray) -> None:
        p = self.p
        for i in range(0, len(pages), PAGES_PER_RECORD):
            self._between_records()
            chunk = pages[i : i + PAGES_PER_RECORD]
            self.ch.send(ms.PAGES, *ms.pages_payload(round_no, chunk, p.dirty.read_pages(chunk)))
            self.pages_sent += len(chunk)

    def _between_records(self) -> None:
        """What may end a migration between two records: a cancel, the guest stopping, the destination's word."""
        p = self.p
        if self.cancel is not None and self.cancel.is_set():
            raise StreamError("the migration was cancelled", "cancelled")
        if p._pending is not None:
            raise MigrationError(f"the guest stopped during the migration: {p._pending[1]}", "guest")
        if self.ch.poll():
            rec = self.ch.recv(1.0)
            if rec.type in (ms.ERROR, ms.ABORT):
                raise _error_of(rec, "destination")
            raise StreamError(f"the destination sent a {rec.name} record during the memory transfer", "order")

    def _park(self) -> None:
        p = self.p
        self.park_at = time.monotonic()
        self.parked = True
        if self.was_running:
            p._set_state(VmState.PAUSING)
        p._quiesce(park=self.was_running)
        self.clock_stopped = time.monotonic_ns()
        if self.was_running:
            p._set_state(VmState.PAUSED)
        self.throttle.stop()
        if p._pending is not None:
            raise MigrationError(f"the guest stopped during the migration: {p._pending[1]}", "guest")
        if p.disk is not None:
            p.disk.flush()  # the destination opens the disk once it has the state

    def _send_final(self, pages: np.ndarray) -> None:
        p = self.p
        sent_before = self.ch.bytes_sent
        self._send_pages(len(self.rounds), pages)
        header = p._state_header()
        header["migration"] = {"clock_ns_since_stop": time.monotonic_ns() - self.clock_stopped,
                               "started_at": p.started_at, "paused": not self.was_running}
        self.ch.send_json(ms.STATE, header)
        self.stop_copy = {"pages": len(pages), "bytes": self.ch.bytes_sent - sent_before}

    def _back_out(self, e: BaseException) -> MigrationError:
        """Before GO: the destination is told, the VM goes on here as it was."""
        p = self.p
        self.throttle.stop()
        error = _as_error(e, f"cannot migrate VM '{p.name}'")
        if isinstance(error, StreamError) and error.code == "closed":
            error = self._last_word() or error  # the destination may have said why before it closed
        error.result = self._result()
        if not error.remote:
            self.ch.tell(ms.ABORT, error.reason, error.code)
        self.ch.shutdown()
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
        return _error_of(rec, "destination") if rec.type in (ms.ERROR, ms.ABORT) else None

    def _switch_over(self) -> dict:
        p, ch = self.p, self.ch
        ch.cancel = None  # from GO on nothing cancels: the VM is the destination's once it gets GO
        try:
            ch.send(ms.GO)
            running = _expect(ch, ms.RUNNING, "destination", self.opts.timeout).json()
        except MigrationError as e:
            raise MigrationUnconfirmed(
                f"VM '{p.name}' was handed over but the destination did not confirm it runs ({e.reason}); it stays "
                "paused here until the destination is asked", "unconfirmed", result=self._result()) from None
        downtime = time.monotonic() - self.park_at
        where = self.opts.destination or str(self.ready.get("host") or "") or "another host"
        p._set_state(VmState.STOPPING)
        p._stop_threads()
        p._release()
        p._clear_pending()
        p.reason = f"Moved to {where}"
        p._set_state(VmState.OFF, p.reason)
        pause = running.get("pause_s")
        return self._result() | {
            "downtime_s": downtime,
            "destination_pause_s": float(pause) if isinstance(pause, (int, float)) and math.isfinite(pause) else None,
        }

    def _result(self) -> dict:
        return {
            "rounds": list(self.rounds), "stop_reason": self.stop_reason,
            "stop_copy_pages": self.stop_copy["pages"], "stop_copy_bytes": self.stop_copy["bytes"],
            "pages_sent": self.pages_sent, "bytes_sent": self.ch.bytes_sent,
            "bytes_received": self.ch.bytes_received, "total_s": time.monotonic() - self.start,
            "downtime_s": None, "destination_pause_s": None, "throttle": self.throttle.highest,
            "bandwidth": self.bandwidth, "source_backend": self.p.backend.name,
            "destination_backend": str(self.ready.get("backend") or ""),
        }


class _Incoming:
    """One migration from the destination's side."""

    def __init__(self, partition, ch: Channel, progress, go_timeout: float) -> None:
        self.p = partition
        self.ch = ch
        self.progress = progress
        self.go_timeout = go_timeout
        self.rounds = 0
        self.pages_received = 0
        self.hello: dict = {}
        self.start = time.monotonic()

    def run(self, check_hello, on_go) -> dict:
        p, ch = self.p, self.ch
        serial_before = p.serial.get_state()
        try:
            self._hello(check_hello)
            p.memory = GuestMemory(p.config.memory)
            header = self._receive()
            state_received = time.monotonic_ns()
            gap = self._prepare(header)
            applied = time.monotonic()
            ch.send_json(ms.PREPARED, {"pages": self.pages_received, "bytes": ch.bytes_received})
            _expect(ch, ms.GO, "source", self.go_timeout)
        except BaseException as e:
            error = self._drop(e, serial_before)
            if isinstance(e, Exception):
                raise error from (None if error is e else e)
            raise
        # GO came: the VM is this host's now
        ch.cancel = None
        p._set_state(VmState.STARTING)
        try:
            if on_go is not None:
                on_go()
            p._attach_run()
        except Exception as e:
            error = self._drop(e, serial_before)
            p._set_state(VmState.OFF)
            raise error from e
        extra = header["migration"]
        paused = extra.get("paused") is True  # a Paused VM stays paused: its clock too
        if not paused:
            p._clock_frozen += gap + time.monotonic_ns() - state_received  # the clock went on while it was stopped
        p.reason = ""
        started_at = extra.get("started_at")
        p.started_at = float(started_at) if isinstance(started_at, (int, float)) and math.isfinite(started_at) \
            else time.time()
        p._launch(parked=paused)
        pause = time.monotonic() - applied
        p._set_state(VmState.RUNNING)
        if paused:
            p._set_state(VmState.PAUSING)
            p._quiesce()
            p._set_state(VmState.PAUSED)
        try:
            ch.send_json(ms.RUNNING, {"pause_s": pause, "backend": p.backend.name, "started": time.time()})
        except MigrationError as e:  # it runs here all the same: the source finds out by asking
            log.warning("VM %s runs here but the source was not told: %s", p.name, e.reason)
        return {"rounds": self.rounds, "pages_received": self.pages_received, "bytes_received": ch.bytes_received,
                "bytes_sent": ch.bytes_sent, "total_s": time.monotonic() - self.start, "pause_s": pause,
                "source_backend": str(self.hello.get("backend") or ""), "backend": p.backend.name}

    def _hello(self, check_hello) -> None:
        p = self.p
        hello = _expect(self.ch, ms.HELLO, "source").json()
        self.hello = hello
        if hello.get("format") != ms.FORMAT_VERSION:
            raise StreamError(f"the source speaks stream format {hello.get('format')!r}, this host "
                              f"{ms.FORMAT_VERSION}", "version")
        if hello.get("type") != "live":
            raise MigrationError(f"a {str(hello.get('type'))[:40]!r} migration is not received here (only live)",
                                 "unsupported")
        for key, mine in (("memory", p.config.memory), ("vcpus", p.config.vcpus),
                          ("image_sha256", hashlib.sha256(p.image.data).hexdigest())):
            if hello.get(key) != mine:
                raise MigrationError(f"the VM's {key} differs: {str(hello.get(key))[:80]} at the source, {mine} "
                                     "here", "mismatch")
        if not isinstance(hello.get("devices"), dict):
            raise StreamError("the HELLO record does not say which devices the VM has", "invalid")
        extra = {}
        if check_hello is not None:
            try:
                extra = check_hello(hello) or {}
            except Exception as e:
                raise _as_error(e, "refused") from None
        self.ch.send_json(ms.READY, dict(extra) | {"format": ms.FORMAT_VERSION, "backend": p.backend.name})

    def _receive(self) -> dict:
        """Pages into memory, round by round, until the state comes; returns it."""
        p, ch = self.p, self.ch
        page_count = p.config.memory // PAGE_SIZE
        round_no = 0
        while True:
            rec = ch.recv()
            if rec.type == ms.PAGES:
                number, pages, contents = ms.parse_pages(rec.payload, page_count)
                if number != round_no:
                    raise StreamError(f"a PAGES record of round {number} came in round {round_no}", "order")
                _write_pages(p.memory, pages, contents)
                self.pages_received += len(pages)
            elif rec.type == ms.ROUND:
                figures = rec.json()
                if figures.get("round") != round_no:
                    raise StreamError(f"a ROUND record for round {str(figures.get('round'))[:20]} came in round "
                                      f"{round_no}", "order")
                round_no += 1
                self.rounds = round_no
                shown = {k: v for k, v in figures.items() if k in _FIGURES and isinstance(v, (int, float))
                         and not isinstance(v, bool) and math.isfinite(v)}
                _report(self.progress, shown | {"received_bytes": ch.bytes_received})
            elif rec.type == ms.STATE:
                return rec.json()
            elif rec.type in (ms.ERROR, ms.ABORT):
                raise _error_of(rec, "source")
            else:
                raise StreamError(f"a {rec.name} record came during the memory transfer", "order")

    def _prepare(self, header: dict) -> int:
        """Machine and devices built, the state restored; returns how long the source says the VM was stopped."""
        p = self.p
        p._build_run()
        layout = p._device_layout()
        if self.hello.get("devices") != layout:
            raise MigrationError(f"the VM's devices differ: {str(self.hello.get('devices'))[:300]} at the source, "
                                 f"{layout} here", "mismatch")
        try:
            p._apply_state(header, lambda reason, code: StreamError(f"the incoming state {reason}", code))
        except MigrationError:
            raise
        except Exception as e:  # whatever else a hostile state provokes in a device's restore
            raise StreamError(f"the incoming state has damaged device state: {e}", "invalid") from None
        extra = header.get("migration")
        gap = extra.get("clock_ns_since_stop") if isinstance(extra, dict) else None
        if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= CLOCK_GAP_MAX:
            raise StreamError("the incoming state does not say how long the VM has been stopped", "invalid")
        return gap

    def _drop(self, e: BaseException, serial_before: dict) -> MigrationError:
        """The incoming VM is dropped: everything built is released, the source told."""
        p = self.p
        p._release()
        p.serial.set_state(serial_before)
        error = _as_error(e, f"cannot receive VM '{p.name}'")
        if not error.remote:
            self.ch.tell(ms.ERROR, error.reason, error.code)
        self.ch.shutdown()
        return error


def _write_pages(memory: GuestMemory, pages: np.ndarray, contents: memoryview) -> None:
    """Checked pages (numbers in range, contents their size) into guest memory."""
    frames = np.frombuffer(memory.view, np.uint8).reshape(-1, PAGE_SIZE)
    frames[pages] = np.frombuffer(contents, np.uint8).reshape(len(pages), PAGE_SIZE)
    del frames  # the mapping must have no export left when it is closed
