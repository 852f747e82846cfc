"""Errors every layer shares. Each has a ``kind`` that crosses the host protocol unchanged; a usage error (bad
input, unknown VM or job, a state that does not allow the operation) is exit code 2 on the command line, anything
else that fails is exit code 1.

Each error also carries a stable ``code`` ("vm.not_found", "param.invalid", "method.unavailable", ...) and the
``params`` its message was made from, beside the English text, so a console can show it in the user's language.
Errors raised without a code of their own carry their kind as the code."""

from __future__ import annotations

ERROR_KINDS: dict[str, type[BulkheadError]] = {}  # kind -> the class that stands for it (from_kind)


class BulkheadError(Exception):
    kind = "failed"
    code = ""

    def __init_subclass__(cls, kind: str = "", **kwargs) -> None:
        """``class NotFound(UsageError, kind="not_found")``: the class stands for that kind (ERROR_KINDS)."""
        super().__init_subclass__(**kwargs)
        if kind:
            cls.kind = kind
            ERROR_KINDS[kind] = cls

    def __init__(self, message: str = "", *, code: str | None = None, **params) -> None:
        super().__init__(message)
        if code:
            self.code = code
        elif not type(self).code:
            self.code = self.kind
        self.params = params

    def to_dict(self) -> dict:
        """The error as the protocol carries it; ``code`` and ``params`` only where they say more than the kind."""
        out = {"kind": self.kind, "message": str(self)}
        if self.code and self.code != self.kind:
            out["code"] = self.code
        if self.params:
            out["params"] = self.params
        return out


class UsageError(BulkheadError, kind="usage"): ...
class NotFound(UsageError, kind="not_found"): ...
class StateError(UsageError, kind="state"): ...
class OperationFailed(BulkheadError, kind="failed"): ...
class ProtocolError(BulkheadError, kind="protocol"): ...
class ServiceUnavailable(BulkheadError, kind="unavailable"): ...


class Unavailable(StateError):
    """A method this kind of host does not offer, or cannot offer now; the message says why."""

    code = "method.unavailable"


def from_kind(kind: str, message: str, code: str = "", params: dict | None = None) -> BulkheadError:
    cls = ERROR_KINDS.get(kind, OperationFailed)
    if not isinstance(params, dict):
        params = {}
    return cls(message, code=code or None, **{str(k): v for k, v in params.items()})
