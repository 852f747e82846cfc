"""The serial console of a domain, read through virDomainOpenConsole with a non-blocking stream: output is kept
(the last CONSOLE_HISTORY bytes) and told as vm.console events; input is written to the same stream."""

from __future__ import annotations

import logging
import time

from core.hosts.registry import implements, require
from core.model.errors import OperationFailed, StateError

from .domains import Dom

log = logging.getLogger(__name__)

CONSOLE_HISTORY = 64 * 1024


class ConsoleMixin:
    """The serial console of a LibvirtTransport's domains."""

    def _open_console(self, d: Dom, dom) -> None:
        lv = self._lv
        conn = self._conn
        if conn is None or d.stream is not None or self.refusal("console"):
            return
        try:
            stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
            dom.openConsole(None, stream, lv.VIR_DOMAIN_CONSOLE_FORCE)
        except lv.libvirtError as e:
            log.info("console of %s: %s", d.name, e)
            return
        d.stream = stream
        uid, name = d.uuid, d.name

        def readable(st, events, opaque) -> None:  # libvirt's event loop thread
            if events & lv.VIR_STREAM_EVENT_READABLE:
                while True:
                    try:
                        data = st.recv(4096)
                    except lv.libvirtError:
                        data = b""
                    if data == -2:  # nothing more for now
                        return
                    if not isinstance(data, bytes) or not data:
                        break
                    buf = d.console
                    buf.extend(data)
                    if len(buf) > CONSOLE_HISTORY:
                        del buf[: len(buf) - CONSOLE_HISTORY]
                    self._push(("console", uid, name, data.decode("latin-1")))
            # end of stream, error or hang-up: another client took the console, or the domain stopped
            if d.stream is st:
                d.stream = None
            try:
                st.eventRemoveCallback()
            except lv.libvirtError:
                pass

        try:
            stream.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE | lv.VIR_STREAM_EVENT_ERROR
                                    | lv.VIR_STREAM_EVENT_HANGUP, readable, None)
        except lv.libvirtError as e:
            log.info("console of %s: %s", d.name, e)
            d.stream = None

    def _close_console(self, d: Dom) -> None:
        st, d.stream = d.stream, None
        if st is None:
            return
        for fn in (st.eventRemoveCallback, st.abort):
            try:
                fn()
            except Exception:  # noqa: BLE001
                pass

    @implements("vm.console.history")
    def console_history(self, vm: str) -> str:
        d, dom = self._find(vm)
        if self.refusal("console"):
            return ""  # a domain without a serial console has printed nothing
        self._console_wanted.add(d.uuid)
        if d.stream is None and d.state in ("Running", "Paused"):
            self._open_console(d, dom)
        return bytes(d.console).decode("latin-1")

    @implements("vm.console.send")
    def console_send(self, vm: str, data: str) -> int:
        require(self, "console")
        self._connection()
        d, dom = self._find(vm)
        if d.state not in ("Running", "Paused"):
            raise StateError(f"VM '{d.name}' is {d.state}: its console takes no input")
        self._console_wanted.add(d.uuid)
        if d.stream is None:
            self._open_console(d, dom)
        st = d.stream
        if st is None:
            raise OperationFailed(f"cannot open the serial console of VM '{d.name}'")
        raw = data.encode("latin-1", "replace")
        sent, deadline = 0, time.monotonic() + 5
        while sent < len(raw):
            n = st.send(raw[sent:])
            if n == -2:
                if time.monotonic() > deadline:
                    raise OperationFailed(f"the serial console of VM '{d.name}' takes no input")
                time.sleep(0.01)
                continue
            if n < 0:
                raise OperationFailed(f"the serial console of VM '{d.name}' was closed")
            sent += n
        return sent

