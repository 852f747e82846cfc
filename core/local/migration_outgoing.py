"""The source's side of a move: describe the VM (``vm.move.begin``), perform the move as a job ("Migrate VM") over
a stream to the destination (direct: ``vm.move``; tunnelled: ``vm.move.send``), confirm (release the VM).

The source is authoritative until it has sent ``GO``: before that any failure (the link, the destination, its
full disk, a refused or damaged stream, a cancel) leaves the VM here as it was: a quick move restores it from the
saved state it took (the guest carries on where it was), a network copy leaves it Off. Before ``GO`` it writes
``moving.json`` (destination, token) in the VM's folder, durably; after ``GO`` without ``RUNNING`` the VM stays
here stopped, never restarted on its own, shown "Migration to HOST unconfirmed" until ``vm.move.resolve``.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field

from core.convert.qemu_img import JobCancel
from core.hosts.jobs import JobCancelled
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.files import write_json_atomic

from .crash_points import crash_point
from .migration_figures import beside_prediction
from .migration_files import FileSender, identity, sha256_of
from .migration_wire import ABORT, ERROR, FORMAT, GO, HELLO, PREPARED, READY, RUNNING, PeerError, Wire, WireError
from .record import VmRecord, bundled_image

log = logging.getLogger(__name__)

MARKER = "moving.json"
STREAM_WAIT = 15.0  # seconds a vm.move.send job waits for its stream to open
READY_TIMEOUT = 30.0
PREPARED_TIMEOUT = 120.0  # the destination checks the files (a saved state is read whole)
RUNNING_TIMEOUT = 60.0
PROGRESS_EVERY = 0.25
TYPES_BY_STATE = {"Running": ("live", "quick"), "Paused": ("live", "quick"), "Saved": ("quick",), "Off": ("network",)}


@dataclass
class OutgoingMove:
    record: VmRecord
    token: str
    type: str
    destination: str
    options: dict = field(default_factory=dict)
    state: str = "moving"  # moving | unconfirmed
    job: int = 0
    started: float = field(default_factory=time.time)


class OutgoingMoves:
    """Mixed into the host service: ``self.moves_out`` (VM id -> OutgoingMove) under ``self._lock``."""

    # --- begin: what the destination needs to know -------------------------------------------------------------
    def _describe_for_move(self, vm: str, type: str) -> dict:
        record = self._usable(vm)
        self._refuse_moving(record)
        state = record.state
        if state not in TYPES_BY_STATE:
            raise StateError(f"cannot move VM '{record.name}': it is {state} (a move needs it Running, Paused, "
                             f"Saved or Off)", code="vm.state", vm=record.name, state=state)
        config = record.config
        files = []
        if config.disk:
            try:
                files.append({"role": "disk", "path": config.disk, "size": os.path.getsize(config.disk),
                              "format": config.disk_format, "identity": identity(config.disk)})
            except OSError as e:
                raise OperationFailed(f"VM '{record.name}': its disk {config.disk} cannot be read "
                                      f"({e.strerror or e})") from None
        if config.image:
            try:
                files.append({"role": "image", "path": config.image, "size": os.path.getsize(config.image),
                              "sha256": sha256_of(config.image)})
            except OSError as e:
                raise OperationFailed(f"VM '{record.name}': its image {config.image} cannot be read "
                                      f"({e.strerror or e})") from None
        p = record.partition
        counters = p.snapshot_counters() if p is not None and state in ("Running", "Paused") else None
        described = self.describe_move(vm) if hasattr(self, "describe_move") else {}  # the precheck's view
        return described | {
            "format": FORMAT, "id": record.id, "name": record.name, "state": state, "type": type,
            "config": config.to_dict(), "backend": self.hypervisor.backend.name, "files": files,
            "image_sha256": sha256_of(config.image or bundled_image()),
            "resident_bytes": counters.get("resident_bytes") if counters else described.get("resident_bytes")}

    # --- starting the job ----------------------------------------------------------------------------------------
    def _start_outgoing(self, vm: str, token: str, type: str, destination: str, options: dict) -> OutgoingMove:
        record = self._usable(vm)
        if not token or len(token) != 64:
            raise UsageError("a move needs the token the destination's vm.move.prepare gave")
        allowed = TYPES_BY_STATE.get(record.state, ())
        if type not in allowed:
            raise StateError(f"cannot move VM '{record.name}' by {type} migration: it is {record.state}"
                             + (f" (it moves by {' or '.join(allowed)})" if allowed else ""), code="vm.state")
        if type == "live" and not self._live_supported():
            raise StateError("this host's engine cannot send a live migration yet; use --type quick")
        with self._lock:
            self._refuse_moving(record)
            move = OutgoingMove(record, token, type, destination.strip() or "another host",
                                options | {"was": record.state})
            self.moves_out[record.id] = move
        return move

    def _stream_job(self, move: OutgoingMove):
        """The job of a tunnelled move and what the server calls with the stream once its answer is sent."""
        slot: queue.Queue = queue.Queue(1)
        done = threading.Event()

        def run(ctx):
            try:
                try:
                    sock, leftover = slot.get(timeout=STREAM_WAIT)
                except queue.Empty:
                    self._end_outgoing(move)
                    raise OperationFailed("the stream to the destination did not open") from None
                return self._perform(ctx, move, sock, leftover)
            finally:
                done.set()

        job = self._submit_move(move, run)

        def serve(sock, leftover: bytes) -> None:
            slot.put((sock, leftover))
            done.wait()

        return job, serve

    def _submit_move(self, move: OutgoingMove, run) -> dict:
        try:
            job = self.submit_job("Migrate VM", move.record.id, run, cancellable=True)
        except BaseException:
            self._end_outgoing(move)
            raise
        move.job = job["id"]
        return job

    def _end_outgoing(self, move: OutgoingMove) -> None:
        with self._lock:
            if self.moves_out.get(move.record.id) is move and move.state == "moving":
                del self.moves_out[move.record.id]

    # --- performing ----------------------------------------------------------------------------------------------
    def _perform(self, ctx, move: OutgoingMove, sock, leftover: bytes = b"") -> dict:
        try:
            if move.type == "live":
                result = self._perform_live(ctx, move, sock, leftover)
            else:
                result = self._perform_files(ctx, move, sock, leftover)
            return beside_prediction(result, move.options.get("predicted"))
        finally:
            self._end_outgoing(move)
            try:
                sock.close()
            except OSError:
                pass

    def _perform_files(self, ctx, move: OutgoingMove, sock, leftover: bytes) -> dict:
        """A quick move (save, the saved state and files, restore there) or a network copy (an Off VM's files)."""
        record = move.record
        peer = f"the destination ({move.destination})"
        wire = Wire(sock, leftover, peer=peer, bandwidth=move.options.get("bandwidth") or 0, cancel=JobCancel(ctx))
        started = time.monotonic()
        figures: dict = {"type": move.type, "destination": move.destination, "stream": move.options.get("stream")}
        saved = went = False
        down_at = None
        try:
            wire.send_json(HELLO, {"format": FORMAT, "token": move.token, "type": move.type, "id": record.id,
                                   "vm": record.name, "memory": record.config.memory,
                                   "vcpus": record.config.vcpus, "backend": self.hypervisor.backend.name})
            ready = wire.expect_json(READY, READY_TIMEOUT)
            wanted = self._wanted_files(record, ready.get("want"))
            ctx.check_cancelled()
            if move.type == "quick" and record.state in ("Running", "Paused"):
                ctx.progress(2, "saving the VM")
                down_at = time.monotonic()
                with record.lock:
                    record.partition.save(self.store.saved_state_path(record.id))
                saved = True
                figures["save_s"] = round(time.monotonic() - down_at, 4)
            elif record.state == "Saved":
                down_at = None  # it was not running: no downtime to speak of
            total = sum(_size(path) for _, _, path in wanted) or 1
            sender = FileSender(wire, self._move_progress(ctx, move, total), lambda: ctx.cancelled)
            transfer_at = time.monotonic()
            figures["files"] = [sender.send(fid, role, path) for fid, role, path in wanted]
            figures["transfer_s"] = round(time.monotonic() - transfer_at, 4)
            ctx.progress(95, "waiting for the destination to check the files")
            wire.expect_json(PREPARED, PREPARED_TIMEOUT)
            move.options["copied"] = [path for _, role, path in wanted if role == "disk"]
            self._write_marker(move)
            ctx.check_cancelled()
            wire.channel.cancel = None  # from GO on nothing cancels: the VM is the destination's once it has GO
            wire.send(GO)
            crash_point("source.after_go")
            went = True
            running = wire.expect_json(RUNNING, RUNNING_TIMEOUT)
        except (WireError, OSError, OperationFailed, JobCancelled) as e:
            cancelled = isinstance(e, JobCancelled) or ctx.cancelled
            if isinstance(e, WireError) and e.code in ("closed", "timeout") and not cancelled:
                e = _last_word(wire) or e  # the destination may have said why before it closed
            reason = "cancelled" if cancelled else (str(e) if not isinstance(e, OSError) else e.strerror or str(e))
            if went:
                return self._unconfirmed(move, reason)
            wire.tell_error(reason, "cancelled" if cancelled else getattr(e, "code", "failed"),
                            ABORT if cancelled else ERROR)
            self._remove_marker(record)
            here = self._resume_here(record, saved)
            if cancelled:
                raise JobCancelled("cancelled") from None
            raise OperationFailed(f"the move of VM '{record.name}' to {move.destination} failed: {reason}; "
                                  f"{here}") from None
        now = time.monotonic()
        transfer = figures.get("transfer_s") or 0.0
        sent_bytes = sum(f["size"] for f in figures["files"])
        figures.update(total_s=round(now - started, 4), bytes_sent=wire.sent, restore_s=running.get("restore_s"),
                       bandwidth=round(sent_bytes / transfer) if transfer > 0 and sent_bytes else None,
                       state_there=running.get("state"), problem=running.get("problem") or "")
        if down_at is not None:
            figures["downtime_s"] = round(now - down_at, 4)
        self._release_moved(move, wanted)
        ctx.progress(100, "moved")
        return {"name": record.name, "id": record.id, "state": f"moved to {move.destination}", **figures}

    def _wanted_files(self, record: VmRecord, want) -> list[tuple[int, str, str]]:
        """(id, role, path) of each file the destination asked for: only the VM's own files (the stream is
        untrusted)."""
        config = record.config
        own = {"disk": config.disk, "image": config.image,
               "saved_state": str(self.store.saved_state_path(record.id))}
        out = []
        for item in want if isinstance(want, list) else []:
            role = item.get("role") if isinstance(item, dict) else None
            path = own.get(role) if isinstance(role, str) else None
            if not path or (role != "saved_state" and item.get("path") != path) or not isinstance(item.get("id"), int):
                raise WireError("the destination asked for a file that is not this VM's", "want")
            out.append((item["id"], role, path))
        return out

    def _move_progress(self, ctx, move: OutgoingMove, total: int):
        state = {"at": 0.0, "t0": time.monotonic()}

        def progress(sent: int) -> None:
            now = time.monotonic()
            if now - state["at"] < PROGRESS_EVERY and sent < total:
                return
            state["at"] = now
            elapsed = max(1e-6, now - state["t0"])
            bandwidth = sent / elapsed
            remaining = max(0, total - sent)
            ctx.progress(5 + int(88 * sent / total), f"sent {sent >> 20} of {total >> 20} MiB")
            self._emit("vm.move.progress", {"job": move.job, "id": move.record.id, "name": move.record.name,
                                            "type": move.type, "phase": "files", "round": 0, "sent": sent,
                                            "remaining": remaining, "bandwidth": round(bandwidth),
                                            "dirty_rate": 0, "expected_downtime": None})

        return progress

    def _write_marker(self, move: OutgoingMove) -> None:
        crash_point("source.stop_copy")  # the VM parked (or saved), the marker not written yet
        write_json_atomic(move.record.stored.folder / MARKER, {"destination": move.destination,
                                                                "token": move.token, "type": move.type,
                                                                "since": time.time(), "job": move.job,
                                                                "copied": move.options.get("copied", []),
                                                                "was": move.options.get("was", "")})

    def _remove_marker(self, record: VmRecord) -> None:
        try:
            os.unlink(record.stored.folder / MARKER)
        except OSError:
            pass

    def _resume_here(self, record: VmRecord, saved: bool, was: str = "") -> str:
        """After a failure before GO (or a move resolved as not done): the VM as it was (restored from the saved
        state the move took, or resumed where a live move left it paused)."""
        p = record.partition
        if was == "Running" and p is not None and p.state.value == "Paused":
            with record.lock:
                p.resume()
            return f"VM '{record.name}' carries on here"
        if not saved:
            return f"VM '{record.name}' stays here, {record.state}"
        try:
            self._start(record)
            return f"VM '{record.name}' carries on here from its saved state"
        except Exception as e:  # noqa: BLE001 - its saved state is kept: the VM is Saved here, nothing lost
            log.error("VM %s: not restored here after a failed move: %s", record.name, e)
            return f"VM '{record.name}' is Saved here (restoring it failed: {e})"

    def _unconfirmed(self, move: OutgoingMove, reason: str) -> dict:
        with self._lock:
            move.state = "unconfirmed"
        record = move.record
        log.warning("VM %s: the move to %s is unconfirmed: %s", record.name, move.destination, reason)
        self._emit("vm.changed", self._vm_dict(record))
        raise OperationFailed(f"the move of VM '{record.name}' to {move.destination} is unconfirmed ({reason}): "
                              f"it stays here, stopped, until the move is resolved (bulkhead vm move "
                              f"{record.name} --to URI --resolve)", code="move.unconfirmed")

    # --- confirm: the VM is there, release it here ---------------------------------------------------------------
    def _release_moved(self, move: OutgoingMove, sent: list[tuple[int, str, str]]) -> None:
        record = move.record
        with record.lock:
            self._drop_partition(record)
            for name in (MARKER, self.store.SAVED_STATE_NAME):
                try:
                    os.unlink(record.stored.folder / name)
                except OSError:
                    pass
            try:
                kept = self.store.remove(record.id)
            except Exception as e:  # noqa: BLE001 - the VM runs there; what is left here is said
                kept = [str(e)]
            with self._lock:
                self.moves_out.pop(record.id, None)
                self.removed[record.id] = record.name
                self.vms.pop(record.id, None)
                in_use = {r.config.disk for r in self.vms.values() if r.config and r.config.disk}
        if kept:
            log.warning("VM %s moved; its folder %s keeps %s", record.name, record.stored.folder, ", ".join(kept))
        for _, role, path in sent:
            if role == "disk" and path not in in_use:
                try:
                    os.unlink(path)
                except OSError as e:
                    log.warning("VM %s moved; its copied disk %s is left here: %s", record.name, path, e)
        self.metrics.forget(record.id)
        self.alerts.clear_target(record.id, f"VM moved to {move.destination}")
        self._emit("vm.removed", {"id": record.id, "name": record.name, "moved_to": move.destination})

    def _perform_live(self, ctx, move: OutgoingMove, sock, leftover: bytes) -> dict:
        """Live: the engine's pre-copy rounds (core/engine/partition_migration.py); the marker before GO."""
        from core.engine.partition_migration import MigrationError, MigrationOptions, MigrationUnconfirmed

        record = move.record
        if leftover:
            raise OperationFailed("the stream to the destination began before its answer was read")
        o = move.options
        disks = _LiveDisks(self, ctx, move)
        options = MigrationOptions(downtime_limit=o.get("downtime_limit", 0.05), bandwidth=o.get("bandwidth", 0),
                                   auto_converge=o.get("auto_converge", True), destination=move.destination,
                                   extra_precopy=disks.precopy, extra_final=disks.final)
        state = {"t0": time.monotonic(), "sent": 0}

        def progress(f: dict) -> None:
            crash_point("source.precopy")  # a round sent, the VM still running here
            state["sent"] += int(f.get("sent_bytes") or 0)
            remaining = int(f.get("remaining_bytes") or 0)
            ctx.progress(min(95, 5 + 10 * (int(f.get("round", 0)) + 1)),
                         f"round {f.get('round')}: {remaining >> 20} MiB dirty")
            self._emit("vm.move.progress", {
                "job": move.job, "id": record.id, "name": record.name, "type": "live", "phase": "memory",
                "round": f.get("round"), "sent": state["sent"], "remaining": remaining,
                "bandwidth": round(f.get("bandwidth") or 0), "dirty_rate": round(f.get("dirty_rate") or 0),
                "expected_downtime": f.get("expected_downtime_s"), "throttle": f.get("throttle") or 0})

        p = record.partition
        try:
            result = p.migrate_out(sock, options, progress, JobCancel(ctx), lambda: self._write_marker(move),
                                   hello={"token": move.token, "id": record.id, "uptime": self._uptime(record)})
        except MigrationUnconfirmed as e:
            return self._unconfirmed(move, e.reason)
        except MigrationError as e:
            self._remove_marker(record)
            if ctx.cancelled or (e.code == "cancelled" and not e.remote):
                raise JobCancelled("cancelled") from None
            raise OperationFailed(f"the move of VM '{record.name}' to {move.destination} failed: {e.reason}; "
                                  f"VM '{record.name}' carries on here, {record.state}") from None
        finally:
            disks.close()
        if disks.copy is not None:
            result["disk_copy"] = disks.summary()
        crash_point("source.after_go")  # live: GO sent (RUNNING heard), not released yet
        self._release_moved(move, disks.wanted)
        ctx.progress(100, "moved")
        return {"name": record.name, "id": record.id, "state": f"moved to {move.destination}", "type": "live",
                "destination": move.destination, "stream": o.get("stream"), **result}


def _last_word(wire: Wire) -> WireError | None:
    """The ERROR or ABORT the other side sent before its stream ended, if it did."""
    try:
        wire.recv(0.5)
    except PeerError as e:
        return e
    except WireError:
        return None
    return None


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class _LiveDisks:
    """A live move's copy of the disk the destination does not reach: its allocated blocks, then in rounds those
    the guest writes (core/engine/storage/livecopy.py DiskCopy), as BLOCKS records after the pages of round 0 of the
    memory pre-copy; the last ones once the VM is stopped; the destination switches the VM to its copy on GO."""

    def __init__(self, host, ctx, move: OutgoingMove) -> None:
        self.host, self.ctx, self.move = host, ctx, move
        self.copy = None
        self.sender = None
        self.wanted: list[tuple[int, str, str]] = []
        self.final_s = 0.0

    def precopy(self, channel, round_no: int, ready: dict) -> int:
        if round_no != 0:
            return 0
        from core.engine.migration_stream import StreamError
        from core.engine.storage.livecopy import CopyCancelled, DiskCopy
        from core.engine.storage.tracking import TrackingDisk

        from .migration_files import BlockSender

        record = self.move.record
        self.wanted = self.host._wanted_files(record, ready.get("want") or [])
        if not self.wanted:
            return 0
        if len(self.wanted) > 1 or self.wanted[0][1] != "disk":
            raise StreamError("a live move copies the VM's disk only", "want")
        disk = record.partition.disk
        if not isinstance(disk, TrackingDisk):
            raise StreamError(f"VM '{record.name}': its disk does not record written blocks", "unsupported")
        self.move.options["copied"] = [self.wanted[0][2]]
        self.sender = BlockSender(channel, self.wanted[0][0])
        self.copy = DiskCopy(disk, self.sender, consumer="migration-disk", cancel=JobCancel(self.ctx),
                             progress=self._progress)
        before = channel.bytes_sent
        try:
            self.copy.precopy()
        except CopyCancelled:
            raise StreamError("the migration was cancelled", "cancelled") from None
        return channel.bytes_sent - before

    def final(self, channel) -> None:
        if self.copy is not None:
            t0 = time.monotonic()
            self.copy.final()
            self.sender.end()
            self.final_s = time.monotonic() - t0

    def close(self) -> None:
        if self.copy is not None:
            self.copy.close()

    def summary(self) -> dict:
        s = self.copy.summary()
        last = s["per_round"][-1] if s["per_round"] else {}
        return {"path": self.wanted[0][2], "rounds": s["rounds"], "sent_bytes": s["sent_bytes"],
                "final_bytes": last.get("bytes", 0), "final_s": round(self.final_s, 4), "seconds": s["seconds"]}

    def _progress(self, info: dict) -> None:
        m = self.move
        total, done = info.get("round_bytes") or 0, info.get("round_done") or 0
        if info.get("round") == 0 and total > 0:  # the disk's first copy is most of the move: the bar follows it
            self.ctx.progress(min(14, 5 + int(9 * done / total)), f"disk: {done >> 20} of {total >> 20} MiB")
        self.host._emit("vm.move.progress", {
            "job": m.job, "id": m.record.id, "name": m.record.name, "type": "live", "phase": "disk",
            "round": info.get("round"), "sent": info.get("sent_bytes"), "remaining": info.get("dirty_bytes"),
            "bandwidth": info.get("bandwidth"), "dirty_rate": 0, "expected_downtime": None})
