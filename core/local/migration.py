"""Moving VMs between Bulkhead hosts, the host's side (docs/migration.md): the declared ``vm.move.*`` methods,
the refusals of a VM that is moving, and what a host does at start (incoming folders a kill left are removed, a VM
whose move was not confirmed stays stopped until it is resolved).

- ``vm.move.begin`` (source): the VM as the destination needs to know it (configuration, state, files with their
  identities). ``vm.move.prepare`` (destination): checks, the reservation, the token (migration_incoming.py).
- The stream: ``vm.move`` (source, direct: it connects to the destination's migration listener, see
  migration_listener.py) or ``vm.move.send`` / ``vm.move.receive`` (tunnelled through the client: each turns its
  connection into the byte stream after its answer line, as ``events.subscribe`` does).
- ``vm.move.status``: on the source, a VM's move (moving, unconfirmed with its destination and token); on the
  destination, what became of a token (prepared, receiving, running, durable, failed, unknown ...).
  ``vm.move.resolve`` (source) ends an unconfirmed move from what the destination said; ``vm.move.abort``
  (destination) drops a prepared incoming VM.

A stream method answers a ``StreamUpgrade``: the socket server sends its answer line and then hands the
connection to ``run(sock, leftover)`` for the rest of its life. Only a caller that asked for a stream
(``open_stream``) gets one; a plain call is refused.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Callable

from core.hosts.registry import dispatch, implements
from core.model.errors import NotFound, StateError, UsageError

from .migration_figures import predicted_figures
from .migration_incoming import IncomingMoves, IncomingRecord
from .migration_outgoing import MARKER, OutgoingMove, OutgoingMoves

log = logging.getLogger(__name__)

STREAM_METHODS = ("vm.move.send", "vm.move.receive")
_STREAMING = threading.local()


class StreamUpgrade:
    """The answer of a stream method: ``answer`` (JSON) goes back as the request's result, then ``run(sock,
    leftover)`` serves the connection until the stream ends (it closes the socket)."""

    def __init__(self, answer: dict, run: Callable, unused: Callable | None = None) -> None:
        self.answer = answer
        self.run = run
        self.unused = unused or (lambda: None)  # the connection went before run: undo what the answer promised


class MigrationMethods(IncomingMoves, OutgoingMoves):
    """Mixed into HostService before VmMethods, so a moving VM's operations are refused (``_precheck``)."""

    migration_tls = None  # (address, Pki) when this host serves TLS: direct moves get a listener there

    def _init_migration(self) -> None:
        self.moves_in: dict = {}
        self.moves_done: dict = {}
        self.moves_out: dict[str, OutgoingMove] = {}
        self._move_listener = None
        for swept in self._sweep_incoming():
            log.warning("removed %s, left by a move into this host that was interrupted", swept)
        for record in list(self.vms.values()):
            marker = self._read_marker(record)
            if marker is not None:
                self.moves_out[record.id] = OutgoingMove(record, marker.get("token", ""), marker.get("type", ""),
                                                         marker.get("destination", "another host"),
                                                         {"copied": _paths(marker.get("copied")),
                                                          "was": marker.get("was", "")}, state="unconfirmed")
                log.warning("VM %s: its move to %s is unconfirmed; it stays stopped until resolved", record.name,
                            marker.get("destination"))

    def _read_marker(self, record) -> dict | None:
        try:
            data = json.loads((record.stored.folder / MARKER).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            data = {}
        return data if isinstance(data, dict) else {}

    # --- refusals while a VM moves -----------------------------------------------------------------------------
    def move_refusal(self, record) -> str:
        """Why ``record`` takes no operation now ("" if it does)."""
        if isinstance(record, IncomingRecord):
            return f"VM '{record.name}' is incoming from {record.incoming.source}: wait until its move ends"
        move = self.moves_out.get(record.id) if hasattr(self, "moves_out") else None
        if move is None:
            return ""
        if move.state == "unconfirmed":
            return (f"VM '{record.name}': its move to {move.destination} is unconfirmed; resolve it first "
                    f"(bulkhead vm move {record.name} --to URI --resolve)")
        return f"VM '{record.name}' is moving to {move.destination} (job {move.job}): wait for it or cancel it"

    def moving(self, vm_id: str) -> bool:
        record = self.vms.get(vm_id)
        return record is not None and bool(self.move_refusal(record))

    def _refuse_moving(self, record) -> None:
        why = self.move_refusal(record)
        if why:
            raise StateError(why, code="vm.moving", vm=record.name)

    def _precheck(self, record, operation: str) -> None:
        self._refuse_moving(record)
        super()._precheck(record, operation)

    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        self._refuse_moving(self._find(vm))
        return super().remove_vm(vm, delete_storage)

    def set_vm(self, vm: str, **changes) -> dict:
        self._refuse_moving(self._find(vm))
        return super().set_vm(vm, **changes)

    def kvp_set(self, vm: str, key: str, value: str | None = None) -> dict:
        self._refuse_moving(self._find(vm))
        return super().kvp_set(vm, key, value)

    def _vm_dict(self, record, brief: bool = False) -> dict:
        d = super()._vm_dict(record, brief=brief)
        if isinstance(record, IncomingRecord):
            d["reason"] = f"Incoming from {record.incoming.source}"
            d["move"] = {"direction": "in", "state": record.incoming.state, "host": record.incoming.source}
            return d
        move = self.moves_out.get(record.id) if hasattr(self, "moves_out") else None
        if move is not None:
            if move.state == "unconfirmed":
                d["reason"] = f"Migration to {move.destination} unconfirmed"
            elif not d.get("reason"):
                d["reason"] = f"Moving to {move.destination}"
            d["move"] = {"direction": "out", "state": move.state, "host": move.destination, "job": move.job}
        return d

    # --- the declared methods ----------------------------------------------------------------------------------
    @implements("vm.move.begin")
    def move_begin(self, vm: str, type: str = "auto") -> dict:
        return self._describe_for_move(vm, type)

    @implements("vm.move.prepare")
    def move_prepare(self, description: dict | None = None, type: str = "auto", path: str = "",
                     network_map: dict | None = None, source: str = "") -> dict:
        return self._prepare_incoming(description, type, path, network_map, source)

    @implements("vm.move")
    def move_direct(self, vm: str, token: str = "", type: str = "auto", destination: str = "", bandwidth: int = 0,
                    downtime_limit: float = 0.05, auto_converge: bool = True, direct: dict | None = None,
                    predicted: dict | None = None) -> dict:
        from .migration_listener import connect_direct

        if not isinstance(direct, dict):
            raise UsageError("vm.move needs the destination's direct address (vm.move.prepare gives it; without "
                             "one, the client tunnels the stream: vm.move.send)")
        self._usable(vm)
        sock = connect_direct(direct, token)
        try:
            move = self._start_outgoing(vm, token, type, destination, _options(bandwidth, downtime_limit,
                                                                                auto_converge, "direct", predicted))
        except BaseException:
            sock.close()
            raise
        try:
            return self._submit_move(move, lambda ctx: self._perform(ctx, move, sock))
        except BaseException:
            sock.close()
            raise

    @implements("vm.move.send")
    def move_send(self, vm: str, token: str = "", type: str = "auto", destination: str = "", bandwidth: int = 0,
                  downtime_limit: float = 0.05, auto_converge: bool = True,
                  predicted: dict | None = None) -> StreamUpgrade:
        _need_stream("vm.move.send")
        move = self._start_outgoing(vm, token, type, destination,
                                    _options(bandwidth, downtime_limit, auto_converge, "tunnelled", predicted))
        job, serve = self._stream_job(move)
        return StreamUpgrade(job, serve)

    @implements("vm.move.receive")
    def move_receive(self, token: str = "") -> StreamUpgrade:
        _need_stream("vm.move.receive")
        incoming = self._claim_incoming(token)
        return StreamUpgrade({"id": incoming.id, "name": incoming.name, "type": incoming.type},
                             lambda sock, leftover: self._run_incoming(incoming, sock, leftover),
                             lambda: self._drop_incoming(incoming, "failed", "the stream went before it began"))

    @implements("vm.move.status")
    def move_status(self, vm: str = "", token: str = "") -> dict:
        if token:
            return self._incoming_status(token)
        if not vm:
            raise UsageError("vm.move.status takes a VM (on the source) or a token (on the destination)")
        record = self._find(vm)
        move = self.moves_out.get(record.id)
        if isinstance(record, IncomingRecord):
            return {"vm": record.name, "state": "incoming", "host": record.incoming.source}
        if move is None:
            return {"vm": record.name, "state": "none"}
        out = {"vm": record.name, "state": move.state, "host": move.destination, "type": move.type, "job": move.job}
        if move.state == "unconfirmed":
            out["token"] = move.token  # the client asks the destination with it
        return out

    @implements("vm.move.resolve")
    def move_resolve(self, vm: str, outcome: str = "") -> dict:
        record = self._find(vm)
        move = self.moves_out.get(record.id)
        if move is None or move.state != "unconfirmed":
            raise StateError(f"VM '{record.name}' has no unconfirmed move to resolve", code="move.none")
        if outcome in ("running", "durable"):
            def run(ctx):
                self._release_moved(move, [(0, "disk", p) for p in move.options.get("copied", [])])
                return {"name": record.name, "id": record.id, "state": f"moved to {move.destination}",
                        "resolved": "released"}
        elif outcome in ("unknown", "failed", "aborted", "expired"):
            def run(ctx):
                with self._lock:
                    self.moves_out.pop(record.id, None)
                self._remove_marker(record)
                here = self._resume_here(record, record.state == "Saved" and move.type == "quick",
                                         move.options.get("was", ""))
                self._emit("vm.changed", self._vm_dict(record))
                return {"name": record.name, "id": record.id, "state": record.state, "resolved": "resumed",
                        "message": here}
        elif outcome in ("prepared", "receiving", "waiting", "finishing"):
            raise StateError(f"the destination is still {outcome} VM '{record.name}': resolve it again in a moment")
        else:
            raise UsageError("outcome must be what the destination's vm.move.status said: running, durable or "
                             "unknown")
        return self.submit_job("Resolve VM move", record.id, run)

    @implements("vm.move.abort")
    def move_abort(self, token: str = "") -> dict:
        incoming = self.moves_in.get(token) if token else None
        if incoming is None:
            raise NotFound("no prepared incoming VM has that token", code="move.token_unknown")
        if incoming.state not in ("prepared", "receiving", "waiting"):
            raise StateError(f"the incoming VM '{incoming.name}' is {incoming.state}: too late to drop it")
        incoming.cancel.set()
        self._drop_incoming(incoming, "aborted", "dropped on request")
        return {"name": incoming.name, "state": "aborted"}

    # --- streams -------------------------------------------------------------------------------------------------
    def open_stream(self, method: str, params: dict | None) -> StreamUpgrade:
        """``dispatch`` for a caller that can take a stream (the socket server, an embedded connection)."""
        if method not in STREAM_METHODS:
            raise UsageError(f"{method} is not a stream")
        _STREAMING.on = True
        try:
            return dispatch(self, method, params)
        finally:
            _STREAMING.on = False

    def _direct_address(self) -> dict | None:
        if self.migration_tls is None:
            return None
        with self._lock:
            if self._move_listener is None:
                from .migration_listener import MigrationListener

                address, pki = self.migration_tls
                try:
                    self._move_listener = MigrationListener(address, pki, self._claim_incoming, self._run_incoming)
                except (OSError, ValueError) as e:
                    log.warning("no migration listener (moves are tunnelled): %s", e)
                    self.migration_tls = None
                    return None
        return self._move_listener.direct()

    def _stop_migration(self) -> None:
        if getattr(self, "_move_listener", None) is not None:
            self._move_listener.stop()


def _need_stream(method: str) -> None:
    if not getattr(_STREAMING, "on", False):
        raise UsageError(f"{method} turns its connection into a byte stream: open it as a stream (the API's "
                         f"move_vm does), not as a call", code="move.not_stream")


def _paths(value) -> list[str]:
    return [p for p in value if isinstance(p, str) and p] if isinstance(value, list) else []


def _options(bandwidth: int, downtime_limit: float, auto_converge: bool, stream: str,
             predicted: dict | None = None) -> dict:
    return {"bandwidth": bandwidth, "downtime_limit": downtime_limit, "auto_converge": auto_converge,
            "stream": stream, "predicted": predicted_figures(predicted)}

