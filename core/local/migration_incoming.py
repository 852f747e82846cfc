"""The destination's side of a move: prepare (checks, the reservation, the one-time token), the incoming stream,
and finish (the VM made durable, started).

A reservation is an ``Incoming``: the VM is listed Off with the reason "Incoming from HOST" and refuses every
operation; its folder is made under a temporary name in the store (``vms/.<id>.in<hex8>.tmp``: never listed, and
removed whole at the next start if a kill leaves it); copied disks are written beside their targets under
temporary names (listed in the disks-pending file, so the next start sweeps them). The token is 32 random bytes in
hex, bound to this VM; a stream must use it within ``TOKEN_TTL`` seconds of the prepare, and only once. Until the
source says ``GO``, any failure drops the reservation and everything written for it; after ``GO`` the VM is made
durable (files renamed into place, the move written in ``moves.json`` for ``vm.move.status``, ``vm.json``
written, the folder renamed to its real name) before it starts.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.model.errors import NotFound, StateError, UsageError
from core.model.files import fsync_dir, write_json_atomic
from core.model.forward import Forward

from .crash_points import crash_point
from .migration_files import BlockReceiver, FilePlan, FileReceiver, NoSpace, disk_copy_problem, same_file, sha256_of
from .migration_wire import FORMAT, GO, HELLO, PREPARED, READY, RUNNING, Wire, WireError
from .record import VmRecord, bundled_image
from .store import ConfigError, StoredVm, VmConfig

log = logging.getLogger(__name__)

TOKEN_TTL = 60.0  # seconds a prepared VM waits for its stream
HELLO_TIMEOUT = 30.0
RECORD_TIMEOUT = 30.0  # seconds the source may leave the stream silent while it sends files
GO_TIMEOUT = 60.0
MOVES_LOG = "moves.json"
MOVES_KEPT = 64
INCOMING_TAG = "in"
STATE_SLACK = 4 << 20  # a saved state is its memory, its records and a header: at most memory + this + records


class IncomingRecord(VmRecord):
    """A VM being received: listed (its name and memory reserved), never started, refusing operations."""

    def __init__(self, stored: StoredVm, incoming: Incoming) -> None:
        super().__init__(stored)
        self.incoming = incoming

UPTIME_MAX = 100 * 365 * 86400.0  # seconds a moved VM may say it has run


@dataclass
class Incoming:
    token: str
    config: VmConfig
    source: str
    type: str  # live | quick | network
    was: str  # the VM's state at the source
    plans: list[FilePlan]
    folder: Path
    created: float = field(default_factory=time.monotonic)
    state: str = "prepared"  # prepared, receiving, waiting, finishing, durable, running, failed, aborted, expired
    used: bool = False
    reason: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)
    uptime: float = 0.0  # a live move: how long the VM had run at the source (its uptime goes on from there)
    sock: object = None

    id = Forward("config")
    name = Forward("config")


def _incoming_name(vm_id: str) -> str:
    return f".{vm_id}.{INCOMING_TAG}{secrets.token_hex(4)}.tmp"


def is_incoming_folder(name: str) -> bool:
    parts = name.split(".")
    return (len(parts) == 4 and parts[0] == "" and len(parts[1]) == 32 and parts[3] == "tmp"
            and parts[2].startswith(INCOMING_TAG) and len(parts[2]) == len(INCOMING_TAG) + 8)


class IncomingMoves:
    """Mixed into the host service: ``self.moves_in`` (token -> Incoming) under ``self._lock``."""

    live_move_copies_files = "disks"  # a live move here may copy the VM's disks (BLOCKS), not its guest image

    # --- prepare -----------------------------------------------------------------------------------------------
    def _prepare_incoming(self, description: dict | None, type: str, path: str, network_map: dict | None,
                          source: str) -> dict:
        if not isinstance(description, dict):
            raise UsageError("vm.move.prepare needs the VM's description (vm.move.begin on the source gives it)")
        config, was = self._described_config(description)
        kind = self._resolve_type(type, was, config.name)
        config = self._mapped_network(config, network_map or {})
        plans, config = self._plan_files(description, config, path, kind)
        copied = [p for p in plans if not p.shared]
        if kind == "live" and copied and not (self.live_move_copies_files and all(
                p.role == "disk" and not disk_copy_problem(p) for p in copied)):
            problem = next((disk_copy_problem(p) for p in copied if p.role == "disk"), "")
            if type == "auto":
                kind = "quick"
                plans, config = self._plan_files(description, config, path, kind)
            elif problem and self.live_move_copies_files:
                raise UsageError(f"{problem}; use --type quick", code="move.disk_copy")
            elif any(p.role == "disk" and not p.shared for p in plans):
                raise UsageError("the disks are not shared; use --type quick or move the storage (vm move-storage)",
                                 code="move.disks_not_shared")
            else:
                raise UsageError("the guest image is not on this host; use --type quick", code="move.image_missing")
        check = getattr(self, "move_check_rows", None)  # the full precheck, where this host has it
        if check is not None:
            errors = [r for r in check(description, kind, path, network_map) if r.get("severity") == "error"]
            if errors:
                raise UsageError(errors[0].get("text", "the move is refused here"), code="move.check")
        self._move_checks(config, plans)
        source = source.strip() or "another host"
        with self._lock:
            self._move_checks(config, plans)  # again, with the insert: no name or memory taken meanwhile
            folder = self.store.vms / _incoming_name(config.id)
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
            for plan in plans:
                if plan.role == "saved_state":
                    plan.target = str(folder / self.store.SAVED_STATE_NAME)
            incoming = Incoming(secrets.token_hex(32), replace(config, last_running=False), source, kind, was,
                                plans, folder)
            record = IncomingRecord(StoredVm(config.id, folder, incoming.config, None), incoming)
            self.moves_in[incoming.token] = incoming
            self.vms[config.id] = record
        for plan in plans:
            if not plan.shared and plan.role != "saved_state":
                self.pending_disks.add(plan.target)
        timer = threading.Timer(TOKEN_TTL, self._expire_incoming, args=(incoming.token,))
        timer.daemon = True
        timer.start()
        self._emit("vm.added", self._vm_dict(record))
        log.info("prepared incoming VM %s from %s (%s)", config.name, source, kind)
        return {"token": incoming.token, "id": config.id, "name": config.name, "type": kind,
                "expires_in": TOKEN_TTL, "files": [p.to_dict() for p in plans], "direct": self._direct_address()}

    def _described_config(self, description: dict) -> tuple[VmConfig, str]:
        try:
            config = VmConfig.from_dict(description.get("config"))
        except (ConfigError, TypeError) as e:
            raise UsageError(f"the VM's description is not usable: {e}") from None
        was = description.get("state")
        if was not in ("Off", "Saved", "Running", "Paused"):
            raise StateError(f"VM '{config.name}' is {str(was)[:40]}: a move needs it Running, Paused, Saved or Off")
        return config, was

    def _resolve_type(self, wanted: str, was: str, name: str) -> str:
        if was == "Off":
            if wanted in ("live", "quick"):
                raise StateError(f"VM '{name}' is Off: it moves by copying its files (--type network)")
            return "network"
        if was == "Saved":
            if wanted in ("live", "network"):
                raise StateError(f"VM '{name}' is Saved: it moves with its saved state (--type quick)")
            return "quick"
        if wanted == "network":
            raise StateError(f"VM '{name}' is {was}: a network copy needs it Off (use --type live or quick)")
        if wanted == "auto":
            return "live" if self._live_supported() else "quick"
        if wanted == "live" and not self._live_supported():
            raise StateError("this host's engine cannot take a live migration yet; use --type quick")
        return wanted

    def _mapped_network(self, config: VmConfig, network_map: dict) -> VmConfig:
        if not config.network:
            return config
        switch = network_map.get(config.network, config.network)
        if not isinstance(switch, str) or switch not in self.switches:
            raise UsageError(f"no virtual switch named '{switch}' on this host (map the VM's adapter to one: "
                             f"--network-map {config.network}=SWITCH)", code="move.switch_missing")
        config = replace(config, network=switch)
        try:
            self._check_ip(config)
        except UsageError:  # its address is not free (or not of that subnet) here: the host chooses one
            config = replace(config, ip="")
        if not config.ip:
            config = replace(config, ip=self._pick_ip(switch, config.id))
        return config

    def _plan_files(self, description: dict, config: VmConfig, path: str, kind: str) -> tuple[list, VmConfig]:
        """For each file of the VM: shared (the same file is here) or copied, and to which path."""
        folder = None
        if path:
            if not os.path.isabs(path):
                raise UsageError(f"--path {path}: give an absolute path on the destination")
            folder = Path(path)
            if not folder.is_dir():
                raise UsageError(f"--path {path}: no such folder on this host", code="move.path_missing")
        plans: list[FilePlan] = []
        files = description.get("files") if isinstance(description.get("files"), list) else []
        for entry in files:
            if not isinstance(entry, dict) or entry.get("role") not in ("disk", "image"):
                raise UsageError("the VM's description lists a file this host does not understand")
            src, size = entry.get("path"), entry.get("size")
            if not isinstance(src, str) or not os.path.isabs(src) or not isinstance(size, int) or size < 0:
                raise UsageError("the VM's description lists a file without an absolute path and a size")
            role = entry["role"]
            target = str(folder / os.path.basename(src)) if folder else src
            if role == "image":
                shared = os.path.isfile(target) and sha256_of(target) == entry.get("sha256")
            else:
                shared = same_file(entry, target)
            if not shared and os.path.lexists(target):
                raise UsageError(f"{target} on this host is another file; give the move a folder for the VM's "
                                 f"files (--path DIR)", code="move.target_exists", path=target)
            if not shared and not os.path.isdir(os.path.dirname(target)):
                raise UsageError(f"the folder {os.path.dirname(target)} does not exist on this host; give the move "
                                 f"a folder for the VM's files (--path DIR)", code="move.path_missing")
            if any(p.target == target for p in plans):
                raise UsageError(f"two files of the VM would both be {target} on this host")
            ident = entry.get("identity") if isinstance(entry.get("identity"), dict) else {}
            plans.append(FilePlan(len(plans) + 1, role, src, size, target, shared, entry.get("sha256") or "",
                                  identity=ident))
            if role == "disk":
                config = replace(config, disk=target)
            else:
                config = replace(config, image=target)
        if kind == "quick" or description.get("state") == "Saved":
            cap = config.memory + STATE_SLACK + (config.memory // 4096) * 16
            plans.append(FilePlan(len(plans) + 1, "saved_state", "", cap, "", False))
        return plans, config

    def _move_checks(self, config: VmConfig, plans: list[FilePlan]) -> None:
        """The destination's refusals, first one first (the precheck's rows say them all)."""
        self._check_resources(config.memory, config.vcpus)
        if config.id in self.vms:
            other = self.vms[config.id]
            what = "is being moved here already" if isinstance(other, IncomingRecord) else "is already on this host"
            raise UsageError(f"VM '{other.name}' ({config.id}) {what}", code="move.exists")
        self._no_vm_named(config.name, config.id)
        import psutil

        reserved = sum(i.config.memory for i in self.moves_in.values() if i.state in ("prepared", "receiving"))
        free = psutil.virtual_memory().available - reserved
        if config.memory > free:
            raise UsageError(f"this host has {free >> 20} MiB of memory free, VM '{config.name}' needs "
                             f"{config.memory >> 20} MiB", code="move.memory")
        need: dict[int, int] = {}
        for plan in plans:
            if plan.shared:
                continue
            where = str(self.store.vms) if plan.role == "saved_state" else os.path.dirname(plan.target)
            dev = os.stat(where).st_dev
            need[dev] = need.get(dev, 0) + (config.memory if plan.role == "saved_state" else plan.size)
            st = os.statvfs(where)
            if need[dev] > st.f_bavail * st.f_frsize:
                raise UsageError(f"not enough free space in {where} on this host: {need[dev] >> 20} MiB needed, "
                                 f"{st.f_bavail * st.f_frsize >> 20} MiB free", code="move.space")

    # --- the stream --------------------------------------------------------------------------------------------
    def _claim_incoming(self, token: str) -> Incoming:
        """The reservation a stream may use: the token known, unexpired and unused (then it is used)."""
        with self._lock:
            found = None
            for known, incoming in self.moves_in.items():
                if hmac.compare_digest(known.encode(), str(token).encode()):
                    found = incoming
            if found is None:
                raise NotFound("the move token is unknown or has expired (prepare the move again)",
                               code="move.token_unknown")
            if found.used:
                raise StateError("the move token was used already (a token is good for one stream)",
                                 code="move.token_used")
            if found.state != "prepared":
                raise StateError(f"the incoming VM '{found.name}' is {found.state}", code="move.token_used")
            found.used = True
            found.state = "receiving"
        return found

    def _run_incoming(self, incoming: Incoming, sock, leftover: bytes = b"") -> None:
        """Serve one incoming stream to its end; the socket is closed on the way out."""
        incoming.sock = sock
        try:
            if incoming.type == "live":
                self._receive_live(incoming, sock, leftover)
            else:
                self._receive_files(incoming, sock, leftover)
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _receive_files(self, incoming: Incoming, sock, leftover: bytes) -> None:
        receiver = FileReceiver(incoming.plans)
        durable = False
        wire = None
        try:
            wire = Wire(sock, leftover, peer=f"the source ({incoming.source})", timeout=RECORD_TIMEOUT,
                        cancel=incoming.cancel)
            hello = wire.expect_json(HELLO, HELLO_TIMEOUT)
            if not hmac.compare_digest(str(hello.get("token", "")).encode(), incoming.token.encode()) or \
                    hello.get("id") != incoming.id or hello.get("format") != FORMAT:
                raise WireError("the stream is not the one prepared (another VM, token or format)", "hello")
            wire.send_json(READY, {"format": FORMAT, "type": incoming.type, "backend": self.hypervisor.backend.name,
                                   "want": [p.to_dict() for p in incoming.plans if not p.shared]})
            while not receiver.complete:
                if incoming.cancel.is_set():
                    raise WireError("the incoming VM was dropped on this host", "aborted")
                receiver.handle(*wire.recv(RECORD_TIMEOUT))
                crash_point("destination.precopy")  # quick: the files coming
            self._check_received_state(incoming)
            crash_point("destination.stop_copy")  # quick: the files and the saved state here, checked
            incoming.state = "waiting"
            wire.send_json(PREPARED, {"files": len(receiver.files), "bytes": receiver.bytes})
            wire.expect(GO, timeout=GO_TIMEOUT)
            started = time.monotonic()
            incoming.state = "finishing"
            record = self._finish_incoming(incoming, receiver)
            durable = True
            problem = self._start_incoming(incoming, record)
            crash_point("destination.after_finish")  # quick: durable and started, RUNNING not sent
            wire.send_json(RUNNING, {"state": record.state, "restore_s": round(time.monotonic() - started, 4),
                                     "problem": problem})
            log.info("VM %s moved here from %s (%s)", incoming.name, incoming.source, record.state)
        except Exception as e:  # noqa: BLE001 - whatever went wrong, the reservation goes and the source is told
            if not isinstance(e, (WireError, OSError, ValueError, UsageError)):
                log.exception("incoming VM %s failed", incoming.name)
            code = getattr(e, "code", "failed")
            code = code if isinstance(code, str) else "failed"
            reason = str(e) if not isinstance(e, OSError) else f"{e.strerror or e}"
            if isinstance(e, NoSpace):
                reason = f"the destination's disk is full ({e})"
            if durable:
                log.warning("VM %s: moved here, the source was not told (%s)", incoming.name, reason)
            else:  # nothing of it is left here when the source hears why
                receiver.drop()
                self._drop_incoming(incoming, "failed", reason)
                if wire is not None:
                    wire.tell_error(reason, code)
                    _linger(sock)

    def _receive_live(self, incoming: Incoming, sock, leftover: bytes) -> None:
        """Live: the engine receives the memory and the state into a partition made from the VM's configuration;
        on GO the VM is made durable here (``on_go``) before its vCPUs start."""
        from core.engine.partition_migration import MigrationError

        record = self.vms.get(incoming.id)
        moved: dict = {}
        copies = BlockReceiver(incoming.plans)  # the disks this move copies, written beside their targets
        try:
            if leftover:
                raise WireError("the stream began before its answer was read", "order")
            with record.lock:
                p = self._make_partition(record)
                record.partition = p
            copies.open()
            for disk in copies.disks.values():
                self.pending_disks.add(disk.plan.staged)  # what create_disk stages beside it, swept after a kill
                p.config.disk = disk.plan.staged  # the VM runs on the copy from the state on
        except Exception as e:  # noqa: BLE001 - refused before the stream: the source is told by its end
            self._drop_live_copies(copies)
            self._drop_incoming(incoming, "failed", str(e))
            return

        def check_hello(hello: dict) -> dict:
            if not hmac.compare_digest(str(hello.get("token", "")).encode(), incoming.token.encode()) or \
                    hello.get("id") != incoming.id:
                raise WireError("the stream is not the one prepared (another VM or token)", "hello")
            uptime = hello.get("uptime")
            if isinstance(uptime, (int, float)) and not isinstance(uptime, bool) and 0 <= uptime < UPTIME_MAX:
                incoming.uptime = float(uptime)  # anything else (the stream is untrusted): counted from here
            crash_point("destination.precopy")  # live: HELLO checked, before the rounds
            return {"host": socket.gethostname(), "want": [x.plan.to_dict() for x in copies.disks.values()]}

        def on_go() -> None:
            crash_point("destination.stop_copy")  # live: STATE applied and GO heard, not durable yet
            incoming.state = "finishing"
            if copies.disks:
                copies.commit()  # the copy renamed into place: the open image follows it
                p.config.disk = record.config.disk
                self.pending_disks.done(next(iter(copies.disks.values())).plan.staged)
            moved["record"] = self._finish_incoming(incoming, FileReceiver([]), partition=p)
            crash_point("destination.after_finish")  # live: durable, vCPUs not launched, RUNNING not sent

        try:
            p.migrate_in(sock, check_hello, cancel=incoming.cancel, on_go=on_go, go_timeout=GO_TIMEOUT,
                         on_record=copies.handle if copies.plans else None)
        except MigrationError as e:
            if "record" in moved:  # durable here, but its vCPUs did not start: it stays here, Off
                log.error("VM %s moved here but did not start: %s", incoming.name, e.reason)
                return
            self.hypervisor.remove_partition(p)
            self._drop_live_copies(copies)
            self._drop_incoming(incoming, "failed", e.reason)
            return
        incoming.state = "running"
        clock = getattr(moved["record"], "run_clock", None)
        if clock is not None:
            clock.carry(incoming.uptime)
        self._emit("vm.changed", self._vm_dict(moved["record"]))
        log.info("VM %s moved here live from %s", incoming.name, incoming.source)

    def _drop_live_copies(self, copies: BlockReceiver) -> None:
        copies.drop()
        for disk in copies.disks.values():
            self.pending_disks.done(disk.plan.staged)

    def _check_received_state(self, incoming: Incoming) -> None:
        plan = next((p for p in incoming.plans if p.role == "saved_state"), None)
        if plan is None:
            return
        from core.engine.savestate import SavedStateError, read_saved_state

        try:
            header = read_saved_state(plan.staged)
        except SavedStateError as e:
            raise WireError(f"the saved state arrived unusable: {e.reason}", "state") from None
        if header.get("memory") != incoming.config.memory or header.get("vcpus") != incoming.config.vcpus:
            raise WireError("the saved state is of another memory size or processor count", "state")

    # --- finish: durable, then running ---------------------------------------------------------------------------
    def _finish_incoming(self, incoming: Incoming, receiver: FileReceiver, partition=None) -> VmRecord:
        receiver.commit()
        for plan in incoming.plans:
            if not plan.shared and plan.role != "saved_state":
                self.pending_disks.done(plan.target)
        self._log_move_in(incoming)
        write_json_atomic(incoming.folder / self.store.CONFIG_NAME, incoming.config.to_dict())
        final = self.store.folder(incoming.id)
        with self._lock:
            if os.path.lexists(final):
                raise UsageError(f"a VM folder with id {incoming.id} appeared on this host meanwhile")
            os.rename(incoming.folder, final)
            fsync_dir(self.store.vms)
            incoming.state = "durable"
            stored = self.store.entry(incoming.id)
            if stored is None or stored.config is None:
                raise UsageError(f"the moved VM's folder {final} cannot be read: "
                                 f"{stored.error if stored else 'gone'}")
            record = VmRecord(stored)
            if partition is not None:  # live: the partition the stream built goes with it
                old = self.vms.get(incoming.id)
                record.partition = partition
                record.run_clock = getattr(old, "run_clock", None)
            self.vms[incoming.id] = record
            self.moves_in.pop(incoming.token, None)
            self.moves_done[incoming.token] = incoming
        return record

    def _start_incoming(self, incoming: Incoming, record: VmRecord) -> str:
        """Restore a VM that came with its saved state (and start it if it ran at the source); '' or the problem."""
        saved = self.store.saved_state_path(record.id)
        try:
            if saved.exists():
                with record.lock:
                    record.partition = self._make_partition(record)
                    record.partition.adopt_saved_state(saved)
                if incoming.was in ("Running", "Paused"):
                    self._start(record)
                    if incoming.was == "Paused":
                        with record.lock:
                            record.partition.pause()
            incoming.state = "running" if record.state in ("Running", "Paused") else "durable"
            return ""
        except Exception as e:  # noqa: BLE001 - the VM is here, durable: said, never lost
            log.error("VM %s moved here but did not start: %s", record.name, e)
            return f"moved, but did not start here: {e}"
        finally:
            self._emit("vm.changed", self._vm_dict(record))

    def _log_move_in(self, incoming: Incoming) -> None:
        path = self.paths.data / MOVES_LOG
        entries = self._moves_log()
        entries.append({"token_sha256": _token_hash(incoming.token), "id": incoming.id, "name": incoming.name,
                        "source": incoming.source, "when": time.time()})
        write_json_atomic(path, {"in": entries[-MOVES_KEPT:]})

    def _moves_log(self) -> list[dict]:
        try:
            data = json.loads((self.paths.data / MOVES_LOG).read_text())
        except (OSError, ValueError):
            return []
        entries = data.get("in") if isinstance(data, dict) else None
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def _incoming_status(self, token: str) -> dict:
        with self._lock:
            incoming = self.moves_in.get(token) or self.moves_done.get(token)
        if incoming is not None:
            record = self.vms.get(incoming.id)
            state = incoming.state
            if state in ("durable", "running") and record is not None:
                state = "running" if record.state in ("Running", "Paused") else "durable"
            return {"state": state, "vm": incoming.name, "id": incoming.id, "reason": incoming.reason}
        hashed = _token_hash(token)
        for entry in self._moves_log():
            if hmac.compare_digest(str(entry.get("token_sha256", "")), hashed) and entry.get("id") in self.vms:
                record = self.vms[entry["id"]]
                return {"state": "running" if record.state in ("Running", "Paused") else "durable",
                        "vm": record.name, "id": record.id, "reason": ""}
        return {"state": "unknown", "vm": "", "id": "", "reason": "this host knows no move with that token"}

    # --- dropping ------------------------------------------------------------------------------------------------
    def _expire_incoming(self, token: str) -> None:
        incoming = self.moves_in.get(token)
        if incoming is not None and not incoming.used:
            self._drop_incoming(incoming, "expired", f"no stream came within {TOKEN_TTL:g} s")

    def _drop_incoming(self, incoming: Incoming, state: str, reason: str) -> None:
        """Forget a reservation that did not become a VM: its record, its folder, its staged files."""
        with self._lock:
            if self.moves_in.get(incoming.token) is not incoming:
                return
            del self.moves_in[incoming.token]
            incoming.state, incoming.reason = state, reason
            self.moves_done[incoming.token] = incoming
        incoming.cancel.set()
        shutil.rmtree(incoming.folder, ignore_errors=True)
        for plan in incoming.plans:
            if plan.role != "saved_state" and not plan.shared:
                if plan.staged:
                    try:
                        os.unlink(plan.staged)
                    except OSError:
                        pass
                self.pending_disks.done(plan.target)
        with self._lock:  # gone from the list once nothing of it is left on disk
            record = self.vms.get(incoming.id)
            if isinstance(record, IncomingRecord) and record.incoming is incoming:
                del self.vms[incoming.id]
            else:
                record = None
        if record is not None:
            self._emit("vm.removed", {"id": incoming.id, "name": incoming.name})
        log.info("dropped incoming VM %s from %s: %s", incoming.name, incoming.source, reason)

    def _sweep_incoming(self) -> list[str]:
        """Incoming folders a killed host left (never VMs): removed whole."""
        removed = []
        for entry in os.scandir(self.store.vms):
            if is_incoming_folder(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(f"vms/{entry.name}/")
        return removed

    def _live_supported(self) -> bool:
        try:
            from core.engine import partition_migration  # noqa: F401
        except ImportError:
            return False
        return hasattr(self.hypervisor, "create_partition")

    def _image_sha256(self, config: VmConfig) -> str:
        return sha256_of(config.image or bundled_image())


def _linger(sock, seconds: float = 2.0) -> None:
    """Stop sending and drop what the source still sends for a moment, so the refusal just sent is read (closing
    with its data unread would reset the connection and lose the reason)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_WR)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(1 << 16):
                break
    except (OSError, ValueError):
        pass


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(str(token).encode()).hexdigest()
