"""The destination's side of a live migration (``Partition.migrate_in``, docs/migration.md): the untrusted stream
read straight into fresh guest memory, the machine and devices built once the state comes, the state restored as a
saved state's is, and on GO the VM started with its guest clock continuing. On any failure before GO everything
built is dropped and the partition stays Off."""

from __future__ import annotations

import hashlib
import logging
import math
import time

import numpy as np

from core.model.states import VmState

from . import migration_stream as ms
from .memory import PAGE_SIZE, GuestMemory
from .migration_stream import Channel, MigrationError, StreamError

log = logging.getLogger(__name__)

CLOCK_GAP_MAX = 3600 * 10**9  # ns: what an incoming state may say the VM was stopped before it was sent
FIGURES = ("round", "sent_bytes", "pages", "duration_s", "remaining_bytes", "dirty_rate", "bandwidth",
           "expected_downtime_s", "throttle")


def report(progress, figures: dict) -> None:
    if progress is None:
        return
    try:
        progress(dict(figures))
    except Exception:  # a listener's bug must not break the migration
        log.exception("migration progress listener failed")


class Incoming:
    """One migration from the destination's side."""

    on_record = None  # callable(type, payload) for the records the engine leaves to its caller (BLOCKS)

    def __init__(self, partition, ch: Channel, progress, go_timeout: float) -> None:
        self.p = partition
        self.ch = ch
        self.progress = progress
        self.go_timeout = go_timeout
        self.rounds = 0
        self.pages_received = 0
        self.hello: dict = {}
        self.start = time.monotonic()
        self.devices_built = False
        self.marks: dict[str, float] = {}  # time.monotonic() of each step of the switch-over, for RUNNING

    def _mark(self, name: str) -> None:
        self.marks[name] = time.monotonic()

    def run(self, check_hello, on_go) -> dict:
        p, ch = self.p, self.ch
        serial_before = p.serial.get_state()
        try:
            self._hello(check_hello)
            p.memory = GuestMemory(p.config.memory)
            self._build_early()
            header = self._receive()
            state_received = time.monotonic_ns()
            self._mark("state_received")
            gap = self._prepare(header)
            applied = time.monotonic()
            self._mark("state_applied")
            ch.send_json(ms.PREPARED, {"pages": self.pages_received, "bytes": ch.bytes_received})
            self._mark("prepared_sent")
            ms.expect(ch, ms.GO, "source", self.go_timeout)
            self._mark("go_received")
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
            self._mark("on_go_done")
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
        self._mark("launched")
        p._set_state(VmState.RUNNING)
        if paused:
            p._set_state(VmState.PAUSING)
            p._quiesce()
            p._set_state(VmState.PAUSED)
        try:
            self._mark("running_sent")
            ch.send_json(ms.RUNNING, {"pause_s": pause, "backend": p.backend.name, "started": time.time(),
                                      "timeline": self.marks})
        except MigrationError as e:  # it runs here all the same: the source finds out by asking
            log.warning("VM %s runs here but the source was not told: %s", p.name, e.reason)
        return {"rounds": self.rounds, "pages_received": self.pages_received, "bytes_received": ch.bytes_received,
                "bytes_sent": ch.bytes_sent, "total_s": time.monotonic() - self.start, "pause_s": pause,
                "source_backend": str(self.hello.get("backend") or ""), "backend": p.backend.name,
                "timeline": dict(self.marks)}

    def _hello(self, check_hello) -> None:
        p = self.p
        hello = ms.expect(self.ch, ms.HELLO, "source").json()
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
                raise ms.as_error(e, "refused") from None
        self.ch.send_json(ms.READY, dict(extra) | {"format": ms.FORMAT_VERSION, "backend": p.backend.name})

    def _build_early(self) -> None:
        """While the memory comes: the machine (VM and vCPUs) and, for a VM without a disk image, its devices too,
        so that the stop-and-copy only restores state. A disk is opened with the state: the source holds it until
        it stops the VM."""
        p = self.p
        self.devices_built = not p.config.disk
        p._build_run(devices=self.devices_built)
        if self.devices_built:
            self._check_layout()
        self._mark("built_early")

    def _check_layout(self) -> None:
        layout = self.p._device_layout()
        if self.hello.get("devices") != layout:
            raise MigrationError(f"the VM's devices differ: {str(self.hello.get('devices'))[:300]} at the source, "
                                 f"{layout} here", "mismatch")

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
                self.marks["pages_last"] = time.monotonic()
            elif rec.type == ms.ROUND:
                figures = rec.json()
                if figures.get("round") != round_no:
                    raise StreamError(f"a ROUND record for round {str(figures.get('round'))[:20]} came in round "
                                      f"{round_no}", "order")
                round_no += 1
                self.rounds = round_no
                shown = {k: v for k, v in figures.items() if k in FIGURES and isinstance(v, (int, float))
                         and not isinstance(v, bool) and math.isfinite(v)}
                report(self.progress, shown | {"received_bytes": ch.bytes_received})
            elif rec.type == ms.BLOCKS and self.on_record is not None:
                self.on_record(rec.type, rec.payload)
            elif rec.type == ms.STATE:
                self._mark("state_read")
                return rec.json()
            elif rec.type in (ms.ERROR, ms.ABORT):
                raise ms.peer_error(rec, "source")
            else:
                raise StreamError(f"a {rec.name} record came during the memory transfer", "order")

    def _prepare(self, header: dict) -> int:
        """Machine and devices built, the state restored; returns how long the source says the VM was stopped."""
        p = self.p
        if not self.devices_built:
            p._build_run()
            self.devices_built = True
            self._check_layout()
        self._mark("built")
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
        error = ms.as_error(e, f"cannot receive VM '{p.name}'")
        if not error.remote:
            self.ch.tell(ms.ERROR, error.reason, error.code)
        self.ch.shutdown()
        return error


def _write_pages(memory: GuestMemory, pages: np.ndarray, contents: memoryview) -> None:
    """Checked pages (numbers in range, contents their size) into guest memory."""
    frames = np.frombuffer(memory.view, np.uint8).reshape(-1, PAGE_SIZE)
    frames[pages] = np.frombuffer(contents, np.uint8).reshape(len(pages), PAGE_SIZE)
    del frames  # the mapping must have no export left when it is closed
