"""Moving a VM from one Bulkhead host to another, from the client that holds a connection to each (docs/migration.md):

    job = conn.move_vm("web1", to="bulkhead+tls://rack2")      # live where it can be, else quick; a job
    job.wait(check=True); print(job.result["downtime_s"])

The phases: ``vm.move.begin`` on the source (the VM described), ``vm.move.prepare`` on the destination (checks,
the reservation, a one-time token, and a direct address when it serves TLS), then the stream:

- **direct**: ``vm.move`` on the source with the destination's direct address: the source connects itself;
- **tunnelled** (no direct address, or the source cannot reach it): one more connection to each host turned into a
  byte stream (``vm.move.send`` on the source, ``vm.move.receive`` on the destination) and a thread here copies
  the bytes both ways until either end closes. The connections may be of any kind a Bulkhead host is reached by
  (the local socket, TLS, SSH).

The job ("Migrate VM") runs on the source: its progress and ``vm.move.progress`` events say how far it is;
cancelling it cancels the move (the VM carries on at the source). ``resolve_move`` ends a move the destination
did not confirm (the source asks nothing by itself: this client asks the destination and tells the source).
"""

from __future__ import annotations

import ipaddress
import select
import socket
import ssl
import threading
from urllib.parse import urlsplit

from core.model.errors import BulkheadError, StateError, UsageError

TYPES = ("auto", "live", "quick", "network")
VIAS = ("auto", "direct", "tunnel")
PUMP_CHUNK = 1 << 16
PUMP_BUFFER = 4 << 20  # bytes read from one side and not yet taken by the other


def open_destination(to):
    """(connection, close it when the move no longer needs it?) for a Connection or a URI."""
    if isinstance(to, str):
        from core import api

        return api.connect(uri=to), True
    if not hasattr(to, "call"):
        raise UsageError(f"the destination must be a connection or a URI (got {type(to).__name__})")
    return to, False


def host_name(conn) -> str:
    """How one host names the other: its URI where it has one (the client can reach it again by it)."""
    return getattr(conn, "description", "") or getattr(conn, "uri", "") or "another host"


def move_vm(src, vm: str, to, type: str = "auto", path: str = "", network_map: dict | None = None,
            bandwidth: int = 0, downtime_limit: float = 0.05, auto_converge: bool = True, via: str = "auto",
            predict: bool = True):
    """Move ``vm`` from ``src`` to ``to`` (a Connection or a URI); returns the source's job at once. With
    ``predict`` the move is predicted first (core/api/placement.py) and the job's result has the prediction beside
    what happened."""
    if type not in TYPES:
        raise UsageError(f"unknown move type '{type}' (choose {', '.join(TYPES)})")
    if via not in VIAS:
        raise UsageError(f"via must be one of {', '.join(VIAS)} (got {via!r})")
    dst, owned = open_destination(to)
    try:
        description = src.call("vm.move.begin", vm=vm, type=type)
        prepared = dst.call("vm.move.prepare", description=description, type=type, path=path,
                            network_map=dict(network_map or {}), source=host_name(src))
    except BaseException:
        if owned:
            dst.close()
        raise
    token = prepared["token"]
    params = {"vm": description["id"], "token": token, "type": prepared["type"], "destination": host_name(dst),
              "bandwidth": int(bandwidth), "downtime_limit": float(downtime_limit),
              "auto_converge": bool(auto_converge)}
    if predict:
        params["predicted"] = _prediction(src, description["id"], dst, prepared["type"], bandwidth, downtime_limit)
    try:
        direct = prepared.get("direct")
        if via != "tunnel" and direct:
            try:
                job = src._job("vm.move", **params, direct=_reachable(direct, dst))
                if owned:
                    dst.close()
                return job
            except BulkheadError as e:
                if via == "direct" or e.code != "move.unreachable":
                    raise
        elif via == "direct":
            raise UsageError("the destination offers no direct address (it does not serve TLS: host serve "
                             "--listen); move without --via direct to tunnel the stream")
        return _tunnel(src, dst, params, on_end=dst.close if owned else None)
    except BaseException:
        try:
            dst.call("vm.move.abort", token=token)
        except BulkheadError:
            pass
        if owned:
            dst.close()
        raise


def _prediction(src, vm: str, dst, type: str, bandwidth: int, downtime_limit: float) -> dict | None:
    """What the move is expected to take (None where it cannot be predicted: the move goes ahead all the same)."""
    from .placement import move_predict

    try:
        guess = move_predict(src, vm, dst, bandwidth=bandwidth or None, downtime_limit=downtime_limit, type=type)
    except BulkheadError:
        return None
    return {k: guess[k] for k in ("total_s", "downtime_s", "rounds", "data_bytes") if k in guess}


def _reachable(direct: dict, dst) -> dict:
    """The direct address as the source can dial it: a listener on every address is reached at the host this
    client reached the destination by."""
    address = direct.get("address", "")
    try:
        wildcard = ipaddress.ip_address(address).is_unspecified
    except ValueError:
        wildcard = False
    host = urlsplit(getattr(dst, "uri", "") or "").hostname
    if wildcard and host:
        return dict(direct, address=host)
    return dict(direct)


def _tunnel(src, dst, params: dict, on_end=None):
    receiving = dst._transport.open_stream("vm.move.receive", {"token": params["token"]})
    try:
        sending = src._transport.open_stream("vm.move.send", params)
    except BaseException:
        receiving.close()
        raise
    job = src._wrap(sending.answer)
    Pump(sending, receiving, on_end).start()
    return job


class Pump:
    """Copies bytes both ways between two streams in one thread (a TLS connection must not be read and written by
    two threads at once) until both directions end; an error on either side ends both, so each host sees the
    other go. A direction that ends is passed on as a half-close."""

    def __init__(self, a, b, on_end=None) -> None:
        self.a, self.b = a, b
        self.on_end = on_end
        self.bytes = [0, 0]  # a -> b, b -> a

    def start(self) -> None:
        threading.Thread(target=self.run, daemon=True, name="move-pump").start()

    def run(self) -> None:
        socks = (self.a.sock, self.b.sock)
        pending = [bytearray(self.a.leftover), bytearray(self.b.leftover)]  # read from side i, for the other
        open_ = [True, True]  # side i still sends
        shut = [False, False]  # side i was told the other is done
        poll = select.poll()
        for sock in socks:
            sock.setblocking(False)
        try:
            while True:
                moved = True
                while moved:
                    moved = False
                    for i in (0, 1):
                        other = socks[1 - i]
                        if open_[i] and len(pending[i]) < PUMP_BUFFER:
                            data = _recv(socks[i])
                            if data is not None:
                                moved = True
                                if data:
                                    pending[i] += data
                                else:
                                    open_[i] = False
                        if pending[i]:
                            n = _send(other, pending[i])
                            if n:
                                self.bytes[i] += n
                                del pending[i][:n]
                                moved = True
                        if not open_[i] and not pending[i] and not shut[1 - i]:
                            _shut(other, socket.SHUT_WR)
                            shut[1 - i] = True
                if not any(open_) and not any(pending):
                    return
                for i in (0, 1):
                    mask = (select.POLLIN if open_[i] and len(pending[i]) < PUMP_BUFFER else 0) | \
                        (select.POLLOUT if pending[1 - i] else 0)
                    try:
                        poll.modify(socks[i], mask)
                    except FileNotFoundError:
                        poll.register(socks[i], mask)
                for _, events in poll.poll(1000):
                    if events & (select.POLLERR | select.POLLNVAL):
                        raise OSError("the stream failed")
        except (OSError, ValueError):
            for sock in socks:
                _shut(sock, socket.SHUT_RDWR)
        finally:
            self.a.close()
            self.b.close()
            if self.on_end is not None:
                try:
                    self.on_end()
                except BulkheadError:
                    pass


def _recv(sock) -> bytes | None:
    """What the socket has (b"" at its end), None if nothing yet."""
    try:
        return sock.recv(PUMP_CHUNK)
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
        return None
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
        return b""


def _send(sock, data: bytearray) -> int:
    try:
        return sock.send(data[:PUMP_CHUNK])  # the same bytes again after a want-write
    except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
        return 0


def _shut(sock, how) -> None:
    try:
        socket.socket.shutdown(sock, how)  # below TLS: the TLS object keeps reading what is still coming
    except OSError:
        pass


def move_status(src, vm: str) -> dict:
    return src.call("vm.move.status", vm=vm)


def resolve_move(src, vm: str, to):
    """End a move the destination did not confirm: ask the destination what became of it (by the token the source
    kept) and tell the source: released if the VM runs (or is durable) there, resumed here if it is unknown there.
    Returns the source's job."""
    status = src.call("vm.move.status", vm=vm)
    if status.get("state") != "unconfirmed":
        raise StateError(f"VM '{status.get('vm', vm)}' has no unconfirmed move (its move is "
                         f"{status.get('state', 'none')})", code="move.none")
    dst, owned = open_destination(to)
    try:
        there = dst.call("vm.move.status", token=status.get("token", ""))
    finally:
        if owned:
            dst.close()
    return src._job("vm.move.resolve", vm=vm, outcome=there.get("state", "unknown"))
