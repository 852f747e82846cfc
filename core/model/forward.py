"""Read-only attributes that are another object's: a wrapper or a record says which of its parts answers."""

from __future__ import annotations


class Forward:
    """``size = Forward("_disk")`` in a class body reads ``self._disk.size``; ``sent = Forward("channel",
    "bytes_sent")`` reads ``self.channel.bytes_sent``. Read-only, like a property without a setter."""

    def __init__(self, holder: str, attr: str | None = None) -> None:
        self.holder, self.attr = holder, attr

    def __set_name__(self, owner, name: str) -> None:
        self.attr = self.attr or name
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return getattr(getattr(obj, self.holder), self.attr)

    def __set__(self, obj, value) -> None:
        raise AttributeError(f"'{type(obj).__name__}' object's attribute '{self.name}' is read-only")
