"""A stand-in for a connection in the GUI tests: the real connection, every call noted (and hooked)."""

from __future__ import annotations


class CallProxy:
    """The real connection; each call's name is noted in ``calls``, then ``before(name)`` runs, then the call."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self.calls: list[str] = []

    def __getattr__(self, name):
        attr = getattr(self._conn, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self.calls.append(name)
            self.before(name)
            return attr(*args, **kwargs)

        return call

    def before(self, name: str) -> None:
        """What happens before each call: nothing here."""
